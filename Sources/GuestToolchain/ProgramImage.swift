// ProgramImage: builds K42 user programs (Guests/NAME with program.info) for one ISA and packs
// their ELF images into an initial RAM image (Emulator's InitialRAMImage), each under its
// directory name — what `k42sim boot` hands the K42 kernel by default.
import Emulator
import Foundation

public enum ProgramImage {
    /// The initial RAM image holding `names` (default: every user program under Guests/).
    public static func build(workspace: GuestWorkspace, toolchain: Toolchain, isa: GuestISA,
                             names: [String]? = nil) throws(GuestBuildError) -> [UInt8] {
        let chosen = names ?? workspace.userProgramNames()
        let builder = GuestBuilder(workspace: workspace, toolchain: toolchain)
        var files: [InitialRAMImage.File] = []
        for name in chosen {
            guard workspace.isUserProgram(name) else {
                throw GuestBuildError("'\(name)' is not a K42 user program (no Guests/\(name)/program.info; "
                    + "programs: \(workspace.userProgramNames().joined(separator: ", ")))")
            }
            let path = try builder.build(name, isa: isa).imagePath
            guard let data = FileManager.default.contents(atPath: path) else { throw GuestBuildError("cannot read \(path)") }
            files.append(InitialRAMImage.File(name: name, bytes: [UInt8](data)))
        }
        do { return try InitialRAMImage(files: files).pack() } catch { throw GuestBuildError(error.message) }
    }
}
