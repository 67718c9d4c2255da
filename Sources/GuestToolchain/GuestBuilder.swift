// GuestBuilder: builds one guest for one ISA into a static ELF image: swiftc -> LLVM IR for the
// reference target -> IRRetargeter -> clang (IR, C, assembly) -> ld.lld with the ISA's linker
// script. Results are cached under .build/guests/<isa>/<name>-<hash>/, keyed by the content of
// every input, every flag and the toolchain's identity, so an unchanged guest runs no tool.
import Emulator
import Foundation

/// The outcome of `GuestBuilder.build`.
public struct GuestBuildResult: Sendable {
    /// Absolute path of the ELF image (inside the cache directory).
    public var imagePath: String
    /// True when the image came from the cache and no tool ran.
    public var cached: Bool
    /// Host seconds the build (or cache lookup) took.
    public var seconds: Double
}

public struct GuestBuilder: Sendable {
    public var workspace: GuestWorkspace
    public var toolchain: Toolchain

    public init(workspace: GuestWorkspace, toolchain: Toolchain) {
        self.workspace = workspace
        self.toolchain = toolchain
    }

    /// Builds guest `name` (a directory under Guests/, or "kernel") for `isa`.
    public func build(_ name: String, isa: GuestISA) throws(GuestBuildError) -> GuestBuildResult {
        let start = Date()
        let sources = try GuestSources(workspace: workspace, name: name, isa: isa)
        let key = try cacheKey(sources, isa: isa)
        let dir = "\(workspace.cacheDirectory)/\(isa.rawValue)/\(name)-\(key.prefix(16))"
        let image = "\(dir)/\(name).elf"
        if FileManager.default.fileExists(atPath: image) {
            return GuestBuildResult(imagePath: image, cached: true, seconds: Date().timeIntervalSince(start))
        }
        try toolchain.checkBackends()
        let work = "\(dir).tmp-\(getpid())"
        try? FileManager.default.removeItem(atPath: work)
        do {
            try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        } catch {
            throw GuestBuildError("cannot create \(work): \(error.localizedDescription)")
        }
        let objects = try compile(sources, isa: isa, into: work)
        try link(objects, sources: sources, output: "\(work)/\(name).elf")
        // Publish atomically: a concurrent build of the same key wins or loses as a whole.
        if rename(work, dir) != 0 {
            try? FileManager.default.removeItem(atPath: work)
            guard FileManager.default.fileExists(atPath: image) else {
                throw GuestBuildError("cannot move the build of \(name) into \(dir): \(String(cString: strerror(errno)))")
            }
        }
        pruneCache(name: name, directory: "\(workspace.cacheDirectory)/\(isa.rawValue)", keeping: dir)
        return GuestBuildResult(imagePath: image, cached: false, seconds: Date().timeIntervalSince(start))
    }

    /// How many builds of one guest and ISA the cache keeps.
    static let cachedBuildsKept = 3

    /// Removes all but the newest `cachedBuildsKept` finished builds of `name` (never `current`
    /// or an unfinished `.tmp-` directory of a concurrent build).
    func pruneCache(name: String, directory: String, keeping current: String) {
        let fm = FileManager.default
        guard let entries = try? fm.contentsOfDirectory(atPath: directory) else { return }
        let builds = entries.filter { entry in
                entry.hasPrefix(name + "-") && entry.count == name.count + 17
                    && entry.dropFirst(name.count + 1).allSatisfy(\.isHexDigit)
            }
            .map { directory + "/" + $0 }
            .filter { $0 != current }
            .map { ($0, ((try? fm.attributesOfItem(atPath: $0))?[.modificationDate] as? Date) ?? .distantPast) }
            .sorted { $0.1 > $1.1 }
        for (path, _) in builds.dropFirst(Self.cachedBuildsKept - 1) { try? fm.removeItem(atPath: path) }
    }

    /// SHA-256 over the recipe, toolchain identity, flags and every input file's path and content.
    func cacheKey(_ sources: GuestSources, isa: GuestISA) throws(GuestBuildError) -> String {
        var hash = SHA256()
        hash.update(field: GuestRecipe.version)
        hash.update(field: isa.rawValue)
        toolchain.fingerprint().forEach { hash.update(field: $0) }
        (GuestRecipe.swiftFlags(isa) + GuestRecipe.codegenFlags(isa) + GuestRecipe.cFlags
            + GuestRecipe.linkFlags(script: sources.linkerScript)).forEach { hash.update(field: $0) }
        for file in sources.allFiles {
            guard let data = FileManager.default.contents(atPath: workspace.root + "/" + file) else {
                throw GuestBuildError("cannot read \(file)")
            }
            hash.update(field: file)
            hash.update(field: String(data.count))
            hash.update(data)
        }
        return hash.finalize()
    }

    /// Compiles every input into `work`; returns the object files.
    func compile(_ sources: GuestSources, isa: GuestISA, into work: String) throws(GuestBuildError) -> [String] {
        let module = Self.moduleName(sources.name)
        let referenceIR = "\(work)/\(module).\(GuestRecipe.referenceTarget).ll"
        try runChecked("swiftc", toolchain.swiftc,
                       GuestRecipe.swiftFlags(isa) + ["-module-name", module] + sources.swift + ["-o", referenceIR],
                       what: "Swift sources of guest '\(sources.name)'")
        let ir: String
        do { ir = try String(contentsOfFile: referenceIR, encoding: .utf8) } catch {
            throw GuestBuildError("cannot read swiftc's output \(referenceIR): \(error.localizedDescription)")
        }
        let targetIR = "\(work)/\(module).\(isa.rawValue).ll"
        do {
            try IRRetargeter.retarget(ir, to: GuestRecipe.triple(isa)).write(toFile: targetIR, atomically: false, encoding: .utf8)
        } catch let e as GuestBuildError { throw e } catch {
            throw GuestBuildError("cannot write \(targetIR): \(error.localizedDescription)")
        }
        var objects: [String] = []
        let swiftObject = "\(work)/\(module).o"
        try runChecked("clang", toolchain.clang, GuestRecipe.codegenFlags(isa) + ["-c", targetIR, "-o", swiftObject],
                       what: "retargeted IR \(targetIR) (a toolchain/recipe problem, not a guest source error)")
        objects.append(swiftObject)
        for (i, file) in (sources.c + sources.assembly).enumerated() {
            let object = "\(work)/\(i)-\((file as NSString).lastPathComponent).o"
            let extra = file.hasSuffix(".c") ? GuestRecipe.cFlags : []
            try runChecked("clang", toolchain.clang, GuestRecipe.codegenFlags(isa) + extra + ["-c", file, "-o", object],
                           what: file)
            objects.append(object)
        }
        return objects
    }

    func link(_ objects: [String], sources: GuestSources, output: String) throws(GuestBuildError) {
        let args = GuestRecipe.linkFlags(script: sources.linkerScript) + objects + ["-o", output]
        let result = try ToolRunner.run("ld.lld", toolchain.lld, args, in: workspace.root)
        guard result.status == 0 else {
            throw GuestBuildError("ld.lld failed linking guest '\(sources.name)':\n"
                + SymbolDemangler(toolchain: toolchain).demangle(result.text))
        }
    }

    /// Runs a tool in the workspace root (so diagnostics name files like Guests/hello/main.swift).
    func runChecked(_ name: String, _ path: String, _ args: [String], what: String) throws(GuestBuildError) {
        let result = try ToolRunner.run(name, path, args, in: workspace.root)
        guard result.status == 0 else {
            throw GuestBuildError("\(name) failed (exit status \(result.status)) compiling \(what):\n\(result.text)")
        }
    }

    /// A Swift module name for a guest directory name.
    static func moduleName(_ name: String) -> String {
        var s = String(name.map { $0.isLetter || $0.isNumber || $0 == "_" ? $0 : "_" })
        if s.first?.isNumber ?? true { s = "Guest_" + s }
        return s
    }
}
