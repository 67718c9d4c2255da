// `k42sim run`: syscall-emulation mode, runs a static Linux executable like qemu-user.
import ArgumentParser
import Emulator

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a static Linux mips64el or ppc64le program in syscall-emulation mode.")

    @Argument(help: "The static ELF program.")
    var program: String

    @Argument(parsing: .captureForPassthrough, help: "Arguments passed to the program.")
    var arguments: [String] = []

    func run() throws {
        throw ValidationError("run is not available yet")
    }
}
