// LinuxStackTests: the initial stack (argc, argv, envp, auxv, strings, AT_RANDOM) and image
// placement (static and static-PIE) for both ABIs, read back through the process's soft MMU.
import XCTest
@testable import Emulator

final class LinuxStackTests: XCTestCase {
    func checkStack(_ abi: LinuxABI) throws {
        let (p, image, path) = try LinuxTestSupport.process(abi)
        let sp = p.initialStackPointer
        XCTAssertEqual(sp & 15, 0)
        XCTAssertLessThan(sp, abi.stackTop)
        XCTAssertLessThan(abi.stackTop, abi.userLimit)
        func word(_ va: UInt64) -> UInt64 { p.mmu.loadValue(va, size: 8) ?? 0xdead }
        XCTAssertEqual(word(sp), 2)
        XCTAssertEqual(p.string(word(sp + 8)), "prog")
        XCTAssertEqual(p.string(word(sp + 16)), "hello")
        XCTAssertEqual(word(sp + 24), 0)
        XCTAssertEqual(p.string(word(sp + 32)), "HOME=/nowhere")
        XCTAssertEqual(p.string(word(sp + 40)), "K42=sim")
        XCTAssertEqual(word(sp + 48), 0)
        var aux: [UInt64: UInt64] = [:]
        var a = sp + 56
        var order: [UInt64] = []
        while word(a) != 0 {
            aux[word(a)] = word(a + 8)
            order.append(word(a))
            a += 16
        }
        XCTAssertEqual(word(a + 8), 0, "AT_NULL value")
        XCTAssertEqual(order, p.auxv.map(\.key))
        XCTAssertEqual(aux[6], 4096, "AT_PAGESZ")
        XCTAssertEqual(aux[17], 100, "AT_CLKTCK")
        XCTAssertEqual(aux[9], p.entryPoint, "AT_ENTRY")
        XCTAssertEqual(aux[9], image.entry)
        XCTAssertEqual(aux[7], 0, "AT_BASE")
        XCTAssertEqual(aux[8], 0, "AT_FLAGS")
        XCTAssertEqual(aux[23], 0, "AT_SECURE")
        XCTAssertEqual(aux[11], 1000)
        XCTAssertEqual(aux[14], 1000)
        XCTAssertEqual(aux[4], image.programHeaderEntrySize)
        XCTAssertEqual(aux[5], image.programHeaderCount)
        XCTAssertEqual(aux[16], abi.hwcap)
        XCTAssertEqual(aux[26], abi.hwcap2)
        XCTAssertEqual(p.string(aux[15] ?? 0), abi == .mips64n64 ? "mips64" : "power8")
        XCTAssertEqual(p.string(aux[24] ?? 0), abi == .mips64n64 ? nil : "power8")
        XCTAssertEqual(p.string(aux[31] ?? 0), path, "AT_EXECFN")
        // AT_PHDR: the program headers as the file holds them.
        let phBytes = Int(image.programHeaderEntrySize * image.programHeaderCount)
        let off = Int(image.programHeaderOffset)
        XCTAssertEqual(p.mmu.readBytes(aux[3] ?? 0, count: phBytes), Array(image.bytes[off ..< off + phBytes]))
        // AT_RANDOM: 16 bytes above the vectors, a function of the seed.
        let rnd = aux[25] ?? 0
        XCTAssertGreaterThan(rnd, a)
        let bytes = p.mmu.readBytes(rnd, count: 16)
        let (q, _, _) = try LinuxTestSupport.process(abi)
        let (r, _, _) = try LinuxTestSupport.process(abi, seed: 8)
        XCTAssertEqual(bytes, q.mmu.readBytes(rnd, count: 16))
        XCTAssertNotEqual(bytes, r.mmu.readBytes(rnd, count: 16))
        // Strings: argv[0] lowest, envp after it, execfn last, NULL word at the top.
        XCTAssertLessThan(word(sp + 8), word(sp + 32))
        XCTAssertLessThan(word(sp + 40), aux[31] ?? 0)
        XCTAssertEqual(word(abi.stackTop - 8), 0)
        // Stack is RW and 8 MiB; the guard below it is unmapped.
        XCTAssertTrue(p.mmu.storeValue(abi.stackTop - LinuxABI.stackSize, size: 8, 1))
        XCTAssertNil(p.mmu.loadValue(abi.stackTop - LinuxABI.stackSize - 8, size: 8))
        // Image: data initialised, bss zero, text executable and not writable.
        if let sym = image.symbols.first(where: { $0.name == "data_word" }) {
            XCTAssertEqual(p.mmu.loadValue(sym.value, size: 4), 42)
        } else { XCTFail("no data_word") }
        if let sym = image.symbols.first(where: { $0.name == "bss_buf" }) {
            XCTAssertEqual(p.mmu.loadValue(sym.value + 9992, size: 8), 0)
        } else { XCTFail("no bss_buf") }
        XCTAssertEqual(p.addressSpace.permissions(p.entryPoint), [.read, .execute])
        XCTAssertFalse(p.mmu.storeValue(p.entryPoint, size: 4, 0))
    }

    func testMIPSStackAndAuxv() throws { try checkStack(.mips64n64) }
    func testPPCStackAndAuxv() throws { try checkStack(.ppc64le) }

    func testPPCAuxvHasCacheLineSizes() throws {
        let (p, _, _) = try LinuxTestSupport.process(.ppc64le)
        XCTAssertEqual(p.auxv.first { $0.key == 19 }?.value, 128)
    }

    func testStaticPIELoadsAtFixedBias() throws {
        for abi in [LinuxABI.mips64n64, .ppc64le] {
            let (p, image, _) = try LinuxTestSupport.process(abi, pie: true)
            XCTAssertTrue(image.isPositionIndependent)
            XCTAssertEqual(p.entryPoint, image.entry + LinuxABI.staticPIEBase)
            XCTAssertEqual(p.auxv.first { $0.key == 9 }?.value, p.entryPoint)
            let phdr = p.auxv.first { $0.key == 3 }?.value ?? 0
            let off = Int(image.programHeaderOffset)
            XCTAssertEqual(p.mmu.readBytes(phdr, count: 56), Array(image.bytes[off ..< off + 56]))
        }
    }

    func testSignalNames() {
        XCTAssertEqual(LinuxProcess.signalName(10, abi: .mips64n64), "SIGBUS")
        XCTAssertEqual(LinuxProcess.signalName(7, abi: .ppc64le), "SIGBUS")
        XCTAssertEqual(LinuxProcess.signalName(11, abi: .ppc64le), "SIGSEGV")
        XCTAssertEqual(LinuxProcess.signalName(6, abi: .mips64n64), "SIGABRT")
    }
}
