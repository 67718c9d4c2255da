// `k42sim build`: builds a guest (Guests/NAME, or "kernel" for Kernel/) with the guest toolchain
// into a static ELF image for one ISA, reusing the cached image when nothing changed. Prints the
// image path (and copies it to -o when given); compiler diagnostics go to stderr. The target
// `ram-image` builds every K42 user program into an initial RAM image (needs -o).
import ArgumentParser
import Emulator
import Foundation
import GuestToolchain

struct Build: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Build a guest (Guests/NAME or 'kernel') into a static ELF image for an ISA.")

    @Argument(help: "The guest: a directory name under Guests/, 'kernel', or 'ram-image' (every K42 user program packed into an initial RAM image for `k42sim boot --ram-image`; needs -o).")
    var target: String

    @Option(help: "Instruction set: mips64 or ppc64.")
    var isa: String

    @Option(name: .shortAndLong, help: "Also copy the image to this path.")
    var output: String?

    @Option(help: "The project root (default: the nearest directory above the current one with Guests/Runtime).")
    var root: String?

    @Flag(help: "Print whether the image was cached and how long the build took (stderr).")
    var verbose = false

    func run() throws {
        guard let chosen = GuestISA(rawValue: isa) else { fail("--isa must be mips64 or ppc64, got '\(isa)'") }
        if target == "ram-image" {
            guard let output else { fail("build ram-image needs -o FILE") }
            do {
                let workspace = try guestWorkspace(root: root)
                let bytes = try ProgramImage.build(workspace: workspace, toolchain: try Toolchain.locate(), isa: chosen)
                guard FileManager.default.createFile(atPath: output, contents: Data(bytes)) else { fail("cannot write \(output)", status: 1) }
            } catch {
                fail("\(error)", status: 1)
            }
            writeAll(1, output + "\n")
            return
        }
        let result: GuestBuildResult
        do {
            result = try buildGuest(target, isa: chosen, root: root)
        } catch {
            fail(error.description, status: 1)
        }
        if verbose {
            writeAll(2, "\(target) (\(chosen.rawValue)): \(result.cached ? "cached" : "built") in "
                + "\(String(format: "%.2f", result.seconds)) s\n")
        }
        var path = result.imagePath
        if let output {
            do {
                if FileManager.default.fileExists(atPath: output) { try FileManager.default.removeItem(atPath: output) }
                try FileManager.default.copyItem(atPath: result.imagePath, toPath: output)
            } catch {
                fail("cannot write \(output): \(error.localizedDescription)", status: 1)
            }
            path = output
        }
        writeAll(1, path + "\n")
    }
}

/// Builds (or reuses) guest `name` for `isa` in the project at `root` (or found from the cwd).
func buildGuest(_ name: String, isa: GuestISA, root: String?) throws(GuestBuildError) -> GuestBuildResult {
    let workspace = try guestWorkspace(root: root)
    let builder = GuestBuilder(workspace: workspace, toolchain: try Toolchain.locate())
    return try builder.build(name, isa: isa)
}

/// The project tree at `root`, or the one found from the current directory.
func guestWorkspace(root: String?) throws(GuestBuildError) -> GuestWorkspace {
    if let root { return GuestWorkspace(root: root) }
    return try GuestWorkspace.find()
}
