// GuestSources: finds a guest's inputs in the project tree: its Swift/C sources (Guests/NAME or
// Kernel/), the pieces every non-kernel guest shares (Guests/Common), its runtime — the
// bare-metal one (Guests/Runtime) or, for a K42 user program (a guest directory holding
// `program.info`), the user runtime (Guests/UserRuntime) — the per-ISA assembly glue and linker
// script (Arch/MIPS64, Arch/PPC64; a guest's own link.ld overrides the runtime's), and for every
// guest (the kernel too) the Swift files of Traces/Shared and Traces/Guest.
import Emulator
import Foundation

/// The project tree that holds Guests/ and Kernel/.
public struct GuestWorkspace: Sendable {
    public var root: String

    public init(root: String) { self.root = root }

    /// The nearest directory at or above `directory` that contains Guests/Runtime.
    public static func find(from directory: String = FileManager.default.currentDirectoryPath) throws(GuestBuildError) -> GuestWorkspace {
        var url = URL(fileURLWithPath: directory).standardizedFileURL
        while true {
            if FileManager.default.fileExists(atPath: url.path + "/Guests/Runtime") { return GuestWorkspace(root: url.path) }
            let parent = url.deletingLastPathComponent()
            if parent.path == url.path { break }
            url = parent
        }
        throw GuestBuildError("no k42sim project tree (a directory with Guests/Runtime) at or above \(directory); "
            + "run from the project or pass --root")
    }

    /// The directory of guest `name`: "kernel" is Kernel/, anything else Guests/NAME.
    public func guestDirectory(_ name: String) -> String {
        name.lowercased() == "kernel" ? root + "/Kernel" : root + "/Guests/" + name
    }

    public var runtimeDirectory: String { root + "/Guests/Runtime" }
    /// The runtime of K42 user programs (docs/kernel/programs.md).
    public var userRuntimeDirectory: String { root + "/Guests/UserRuntime" }
    /// Sources every guest but the kernel includes (C library pieces, heap, random numbers).
    public var commonDirectory: String { root + "/Guests/Common" }
    /// Directories under Guests/ that are not guests.
    static let nonGuests: Set<String> = ["Runtime", "UserRuntime", "Common"]

    /// True when Guests/NAME is a K42 user program (it holds `program.info`), not a bare-metal guest.
    public func isUserProgram(_ name: String) -> Bool {
        name.lowercased() != "kernel" && !Self.nonGuests.contains(name)
            && FileManager.default.fileExists(atPath: guestDirectory(name) + "/program.info")
    }

    /// Every guest directory under Guests/, sorted.
    public func guestNames() -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: root + "/Guests")) ?? [])
            .filter { !Self.nonGuests.contains($0) && !$0.hasPrefix(".") }
            .filter { var d: ObjCBool = false; return FileManager.default.fileExists(atPath: guestDirectory($0), isDirectory: &d) && d.boolValue }
            .sorted()
    }

    /// The K42 user programs under Guests/, sorted.
    public func userProgramNames() -> [String] { guestNames().filter(isUserProgram) }
    /// Swift files every guest module includes: the shared trace definitions and the guest tracing runtime.
    public var traceDirectories: [String] { [root + "/Traces/Shared", root + "/Traces/Guest"] }
    public var cacheDirectory: String { root + "/.build/guests" }
}

/// All inputs of one guest build, as paths relative to the workspace root.
struct GuestSources {
    var name: String
    var swift: [String] = []
    var c: [String] = []
    var assembly: [String] = []
    var linkerScript: String
    /// Every file whose content the build depends on (sources, headers, scripts).
    var allFiles: [String] = []

    static func archDirectoryName(_ isa: GuestISA) -> String { isa == .mips64 ? "MIPS64" : "PPC64" }

    init(workspace: GuestWorkspace, name: String, isa: GuestISA) throws(GuestBuildError) {
        self.name = name
        let fm = FileManager.default
        let guestDir = workspace.guestDirectory(name)
        var isDir: ObjCBool = false
        guard !GuestWorkspace.nonGuests.contains(name), fm.fileExists(atPath: guestDir, isDirectory: &isDir), isDir.boolValue else {
            let available = workspace.guestNames()
            throw GuestBuildError("no guest named '\(name)': \(guestDir) is not a directory "
                + "(guests: \(available.joined(separator: ", ")), or 'kernel')")
        }
        let arch = "Arch/" + Self.archDirectoryName(isa)
        var script: String?
        // The kernel has its own arch glue, allocator and console: it does not link the
        // bare-metal runtime. Every other guest is built together with Guests/Runtime.
        let isKernel = name.lowercased() == "kernel"
        let isUser = workspace.isUserProgram(name)
        let runtime = isUser ? workspace.userRuntimeDirectory : workspace.runtimeDirectory
        for dir in isKernel ? [guestDir] : [workspace.commonDirectory, runtime, guestDir] {
            let files = Self.files(under: dir, root: workspace.root)
            allFiles += files
            let prefix = String(dir.dropFirst(workspace.root.count + 1)) + "/"
            for file in files {
                let local = file.dropFirst(prefix.count)
                if local.hasPrefix("Arch/") {
                    guard local.hasPrefix(arch + "/") else { continue }
                    if local.hasSuffix(".S") { assembly.append(file) }
                    if local.hasSuffix(".swift") { swift.append(file) }
                    if local.hasSuffix(".c") { c.append(file) }
                    if local == arch + "/link.ld" { script = file }
                } else if local.hasSuffix(".swift") {
                    swift.append(file)
                } else if local.hasSuffix(".c") {
                    c.append(file)
                }
            }
        }
        // The trace event definitions and logging runtime (docs/traces.md) are part of every
        // guest module, the kernel's too: one definition shared with the host's Traces target.
        for dir in workspace.traceDirectories {
            let files = Self.files(under: dir, root: workspace.root).filter { $0.hasSuffix(".swift") }
            allFiles += files
            swift += files
        }
        guard let script else {
            throw GuestBuildError("no linker script for \(isa.rawValue): expected "
                + (isKernel ? "Kernel/\(arch)/link.ld" : isUser ? "Guests/UserRuntime/\(arch)/link.ld" : "Guests/Runtime/\(arch)/link.ld"))
        }
        guard swift.contains(where: { $0.hasPrefix(String(guestDir.dropFirst(workspace.root.count + 1)) + "/") }) else {
            throw GuestBuildError("guest '\(name)' has no Swift sources in \(guestDir)")
        }
        linkerScript = script
    }

    /// Regular files under `dir` (recursively, hidden ones skipped), relative to `root`, sorted.
    static func files(under dir: String, root: String) -> [String] {
        guard let e = FileManager.default.enumerator(atPath: dir) else { return [] }
        var out: [String] = []
        while let rel = e.nextObject() as? String {
            if rel.split(separator: "/").contains(where: { $0.hasPrefix(".") }) { continue }
            var isDir: ObjCBool = false
            let full = dir + "/" + rel
            if FileManager.default.fileExists(atPath: full, isDirectory: &isDir), !isDir.boolValue {
                out.append(String(full.dropFirst(root.count + 1)))
            }
        }
        return out.sorted()
    }
}
