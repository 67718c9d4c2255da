// LinuxTestSupport: tiny static and static-PIE guest programs (built by GuestProgramBuilder)
// loaded into a LinuxProcess, and LinuxProcess syscalls wrapped by name, for the Linux* tests.
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

    static func tempDir() -> String {
        var t = Array("/tmp/k42sim-linux-test-XXXXXX".utf8CString)
        return t.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)!) }
    }

    /// Compiles C source for the ABI with exactly `flags` (cached by GuestProgramBuilder, which
    /// fails naming the Debian package when the cross compiler is missing).
    static func compile(_ abi: LinuxABI, source: String, flags: [String]) throws -> String {
        try GuestProgramBuilder.build(source: Array(source.utf8), name: "prog", for: GuestISA(abi),
                                      flags: flags, libraries: [])
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

extension GuestISA {
    /// The guest ISA whose cross compiler and qemu build and run programs of `abi`.
    init(_ abi: LinuxABI) {
        switch abi {
        case .mips64n64: self = .mips64
        case .ppc64le: self = .ppc64
        }
    }
}
