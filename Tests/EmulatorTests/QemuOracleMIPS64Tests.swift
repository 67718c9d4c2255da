// QemuOracleMIPS64Tests: every program in Tests/Programs, built for mips64el, must give the
// same stdout (stderr where compared) and exit status under `k42sim run` as under qemu-mips64el.
import XCTest

final class QemuOracleMIPS64Tests: QemuOracleTestCase {
    override class var isa: GuestISA { .mips64 }

    static let programs = ["abort", "alarm", "argv_env", "bits", "execve_errors", "exit42", "false_sharing", "fenv", "float", "fork_wait", "funcptr", "int128", "int64", "malloc", "pthreads", "recursion", "setjmp", "sha256", "sigsegv", "sigwait", "stdin_wc", "stdio_mix", "strings", "structs", "thread_signals"]

    func testEveryProgramIsTested() throws { try checkEveryProgramIsTested(Self.programs) }

    func testAbort() throws { try check("abort") }
    func testArgvEnv() throws { try check("argv_env") }
    func testBits() throws { try check("bits") }
    func testExit42() throws { try check("exit42") }
    func testFenv() throws { try check("fenv") }
    func testFloat() throws { try check("float") }
    func testFuncptr() throws { try check("funcptr") }
    func testInt128() throws { try check("int128") }
    func testInt64() throws { try check("int64") }
    func testMalloc() throws { try check("malloc") }
    func testRecursion() throws { try check("recursion") }
    func testSetjmp() throws { try check("setjmp") }
    func testSha256() throws { try check("sha256") }
    func testStdinWc() throws { try check("stdin_wc") }
    func testStdioMix() throws { try check("stdio_mix") }
    func testStrings() throws { try check("strings") }
    func testStructs() throws { try check("structs") }
    func testAlarm() throws { try check("alarm") }
    func testExecveErrors() throws { try check("execve_errors") }
    func testForkWait() throws { try check("fork_wait") }
    func testFalseSharing() throws { try check("false_sharing") }
    func testPthreads() throws { try check("pthreads") }
    func testThreadSignals() throws { try check("thread_signals") }
    func testSigsegv() throws { try check("sigsegv") }
    func testSigwait() throws { try check("sigwait") }
}
