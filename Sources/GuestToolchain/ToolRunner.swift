// ToolRunner: runs one toolchain program (swiftc, clang, ld.lld) with fixed arguments, collects
// its combined output, and counts invocations per tool so tests can prove a cached build ran
// no compiler.
import Foundation

/// The output and exit status of one tool run.
struct ToolOutput {
    var status: Int32
    var text: String
}

/// Process-wide count of tool invocations, by tool name (e.g. "swiftc").
public enum ToolInvocationLog {
    nonisolated(unsafe) private static var counts: [String: Int] = [:]
    private static let lock = NSLock()

    /// How many times `tool` was started by this process.
    public static func count(_ tool: String) -> Int {
        lock.lock(); defer { lock.unlock() }
        return counts[tool, default: 0]
    }

    static func record(_ tool: String) {
        lock.lock(); defer { lock.unlock() }
        counts[tool, default: 0] += 1
    }
}

enum ToolRunner {
    /// Runs `executable` with `arguments` in `directory`; `name` is the tool's short name for the
    /// invocation log and messages.
    static func run(_ name: String, _ executable: String, _ arguments: [String],
                    in directory: String? = nil) throws(GuestBuildError) -> ToolOutput {
        ToolInvocationLog.record(name)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw GuestBuildError("cannot start \(name) (\(executable)): \(error.localizedDescription)")
        }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let status = process.terminationReason == .uncaughtSignal ? 128 + process.terminationStatus
                                                                   : process.terminationStatus
        return ToolOutput(status: status, text: String(decoding: data, as: UTF8.self))
    }
}
