// ExperimentPlan: what an experiment run is (experiment.json in its directory) and the shell
// command of each point (jobs.txt). The commands use absolute paths — this k42sim binary and the
// copy of the kernel image in the directory — so any host with the same binary can run them.
import Foundation

struct ExperimentPlan: Codable {
    var experiment: String
    var isa: String
    var config: String
    var overrides: [String]
    var ops: Int
    var quantum: Int
    var maxCycles: UInt64
    var cpus: [Int]
    var variants: [String]

    static let fileName = "experiment.json"

    /// The directory tree, the kernel copy (and the initial RAM image, when the experiment runs
    /// user programs), experiment.json and jobs.txt.
    func prepare(directory: String, kernelImage: String, ramImage: [UInt8]? = nil, points: [ExperimentPoint]) throws {
        let fm = FileManager.default
        try fm.createDirectory(atPath: directory + "/points", withIntermediateDirectories: true)
        let kernel = directory + "/kernel-\(isa).elf"
        if fm.fileExists(atPath: kernel) { try fm.removeItem(atPath: kernel) }
        try fm.copyItem(atPath: kernelImage, toPath: kernel)
        if let ramImage { try Data(ramImage).write(to: URL(fileURLWithPath: ramImagePath(directory))) }
        for p in points {
            let d = directory + "/points/" + p.directoryName
            if fm.fileExists(atPath: d) { try fm.removeItem(atPath: d) }
            try fm.createDirectory(atPath: d, withIntermediateDirectories: true)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(self).write(to: URL(fileURLWithPath: directory + "/" + Self.fileName))
        try (commands(directory: directory, points: points).map(\.1).joined(separator: "\n") + "\n")
            .write(toFile: directory + "/jobs.txt", atomically: true, encoding: .utf8)
    }

    func commands(directory: String, points: [ExperimentPoint]) throws -> [(ExperimentPoint, String)] {
        let binary = Self.selfPath()
        guard let spec = ExperimentSpec.named(experiment) else { throw CocoaError(.fileReadCorruptFile) }
        return points.map { p in
            let d = directory + "/points/" + p.directoryName
            var args = [binary, "boot", directory + "/kernel-\(isa).elf", "--isa", isa, "--config", config]
            for o in overrides { args += ["--set", o] }
            if spec.needsPrograms { args += ["--ram-image", ramImagePath(directory)] }
            args += ["--cpus", "\(p.cpus)", "--nodes", "\(p.nodes)", "--quantum", "\(quantum)",
                     "--max-cycles", "\(maxCycles)",
                     "--kernel-args", spec.kernelArgs(variant: p.variant, ops: ops),
                     "--stats-file", d + "/stats.txt", "--stats-json", d + "/stats.json", "--simcall-log", d + "/simcalls.txt"]
            let line = "cd \(Self.quote(d)) && " + args.map(Self.quote).joined(separator: " ")
                + " > console.log 2>&1; echo $? > status"
            return (p, line)
        }
    }

    func ramImagePath(_ directory: String) -> String { directory + "/ram-\(isa).img" }

    static func quote(_ s: String) -> String {
        if !s.isEmpty && s.allSatisfy({ $0.isLetter || $0.isNumber || "/._-=,+:".contains($0) }) { return s }
        return "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// This executable's absolute path.
    static func selfPath() -> String {
        if let p = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") { return p }
        return URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL.path
    }

    static func load(directory: String) throws -> ExperimentPlan {
        try JSONDecoder().decode(ExperimentPlan.self, from: Data(contentsOf: URL(fileURLWithPath: directory + "/" + fileName)))
    }
}

/// Runs point commands, `jobs` at a time, with progress on stderr.
enum ExperimentRunner {
    final class Queue: @unchecked Sendable {
        let lock = NSLock()
        var next = 0, done = 0
        let commands: [(ExperimentPoint, String)]
        let started: Date
        init(_ commands: [(ExperimentPoint, String)], _ started: Date) { self.commands = commands; self.started = started }

        func take() -> (ExperimentPoint, String)? {
            lock.lock(); defer { lock.unlock() }
            guard next < commands.count else { return nil }
            next += 1
            return commands[next - 1]
        }

        func finished(_ point: ExperimentPoint, seconds: Double) {
            lock.lock(); defer { lock.unlock() }
            done += 1
            printError("[\(done)/\(commands.count)] \(point.variant) at \(point.cpus) CPUs: \(String(format: "%.1f", seconds)) s "
                + "(elapsed \(String(format: "%.1f", Date().timeIntervalSince(started))) s)")
        }
    }

    static func run(_ commands: [(ExperimentPoint, String)], jobs: Int, started: Date) {
        let queue = Queue(commands, started)
        let group = DispatchGroup()
        for _ in 0 ..< min(jobs, commands.count) {
            group.enter()
            Thread.detachNewThread {
                while let (point, line) = queue.take() {
                    let p = Process()
                    p.executableURL = URL(fileURLWithPath: "/bin/sh")
                    p.arguments = ["-c", line]
                    p.standardInput = FileHandle.nullDevice
                    let t0 = Date()
                    do { try p.run(); p.waitUntilExit() } catch {}
                    queue.finished(point, seconds: Date().timeIntervalSince(t0))
                }
                group.leave()
            }
        }
        group.wait()
    }
}
