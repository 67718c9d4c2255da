// LinuxTestSupport: builds tiny static guest programs with Debian's cross gcc at test time
// (cached per test run) and wraps LinuxProcess syscalls by name for the Linux* tests.
import XCTest
#if canImport(Glibc)
import Glibc
#endif
@testable import Emulator

enum LinuxTestSupport {
    static let program = """
    int data_word = 42; char bss_buf[10000];
    void _start(void) { for (;;) { bss_buf[0]++; } }
    """

    static func crossPrefix(_ abi: LinuxABI) -> String {
        abi == .mips64n64 ? "mips64el-linux-gnuabi64" : "powerpc64le-linux-gnu"
    }

    static func qemu(_ abi: LinuxABI) -> String { abi == .mips64n64 ? "qemu-mips64el" : "qemu-ppc64le" }

    static func which(_ tool: String) -> String? {
        for dir in ["/usr/bin", "/usr/local/bin", "/bin"] where access(dir + "/" + tool, X_OK) == 0 {
            return dir + "/" + tool
        }
        return nil
    }

    static func tempDir() -> String {
        var t = Array("/tmp/k42sim-linux-test-XXXXXX".utf8CString)
        return t.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)!) }
    }

    static func run(_ argv: [String]) -> (status: Int32, output: String) {
        let dir = tempDir()
        let out = dir + "/out.txt"
        let cmd = argv.map { "'" + $0 + "'" }.joined(separator: " ") + " > '\(out)' 2>&1"
        let st = system(cmd)
        let text = (try? HostFile.readAll(path: out)).map { String(decoding: $0, as: UTF8.self) } ?? ""
        return (st, text)
    }

    /// Compiles C source for the ABI; throws XCTSkip when the cross compiler is missing.
    static func compile(_ abi: LinuxABI, source: String, flags: [String]) throws -> String {
        let cc = crossPrefix(abi) + "-gcc"
        guard let path = which(cc) else { throw XCTSkip("\(cc) not installed") }
        let dir = tempDir()
        let src = dir + "/prog.c", exe = dir + "/prog"
        let fd = open(src, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        _ = Array(source.utf8).withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        close(fd)
        let r = run([path] + flags + ["-o", exe, src])
        guard r.status == 0 else { throw XCTSkip("compile failed: \(r.output)") }
        return exe
    }

    static func tinyProgram(_ abi: LinuxABI, pie: Bool = false) throws -> String {
        var flags = ["-nostdlib", "-O1", "-Wl,-e,_start"]
        flags += pie ? ["-static-pie", "-fPIE", "-Wl,--no-dynamic-linker"] : ["-static"]
        return try compile(abi, source: program, flags: flags)
    }

    static func process(_ abi: LinuxABI, pie: Bool = false, arguments: [String] = ["prog", "hello"],
                        environment: [String] = ["HOME=/nowhere", "K42=sim"], seed: UInt64 = 7,
                        allowWrites: Bool = false) throws -> (LinuxProcess, ElfImage, String) {
        let path = try tinyProgram(abi, pie: pie)
        let image = try ElfImage(path: path)
        let p = try LinuxProcess(image: image, options: LinuxSEOptions(
            programPath: path, arguments: arguments, environment: environment, seed: seed,
            allowWrites: allowWrites))
        return (p, image, path)
    }
}

extension LinuxProcess {
    /// Calls a syscall by its kernel name with up to six arguments.
    func call(_ name: String, _ a: UInt64 = 0, _ b: UInt64 = 0, _ c: UInt64 = 0, _ d: UInt64 = 0,
              _ e: UInt64 = 0, _ f: UInt64 = 0, file: StaticString = #filePath, line: UInt = #line) -> SyscallOutcome {
        guard let n = abi.syscallNumber(name) else {
            XCTFail("\(abi) has no syscall \(name)", file: file, line: line)
            return .returned(-1)
        }
        return syscall(number: n, args: (a, b, c, d, e, f), pc: 0x1000)
    }

    /// The returned value of a syscall (fails the test on other outcomes).
    func ret(_ name: String, _ a: UInt64 = 0, _ b: UInt64 = 0, _ c: UInt64 = 0, _ d: UInt64 = 0,
             _ e: UInt64 = 0, _ f: UInt64 = 0, file: StaticString = #filePath, line: UInt = #line) -> Int64 {
        let o = call(name, a, b, c, d, e, f, file: file, line: line)
        guard case .returned(let v) = o else {
            XCTFail("\(name) did not return: \(o)", file: file, line: line)
            return Int64.min
        }
        return v
    }

    /// A scratch buffer in the stack area, far below the initial stack pointer.
    var scratch: UInt64 { (initialStackPointer - 0x100000) & ~0xfff }

    func errno(_ generic: Int32) -> Int64 { -Int64(abi.guestErrno(generic)) }

    func string(_ va: UInt64) -> String? {
        mmu.readCString(va).map { String(decoding: $0, as: UTF8.self) }
    }

    func put(_ va: UInt64, _ s: String) {
        XCTAssertTrue(mmu.writeBytes(va, Array(s.utf8) + [0]))
    }
}

func u(_ v: Int64) -> UInt64 { UInt64(bitPattern: v) }
