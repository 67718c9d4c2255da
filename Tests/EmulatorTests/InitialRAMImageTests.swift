// InitialRAMImageTests: the initial RAM image format (Emulator/Machine/InitialRAMImage.swift,
// docs/platform.md): pack/parse round trip at the documented offsets, malformed images and
// names refused with the reason, and the loader's placement at the top of node 0 as the
// boot-information block announces it (and its refusal when the image does not fit).
import Emulator
import XCTest

final class InitialRAMImageTests: XCTestCase {
    func word(_ b: [UInt8], _ o: Int) -> UInt64 { (0 ..< 8).reduce(0) { $0 | UInt64(b[o + $1]) << (8 * UInt64($1)) } }

    func testRoundTripAndLayout() throws {
        let image = InitialRAMImage(files: [.init(name: "a", bytes: [1, 2, 3]), .init(name: "bb", bytes: Array(0 ..< 200))])
        let bytes = try image.pack()
        XCTAssertEqual(word(bytes, 0), 0x4D49_4D41_5232_344B)
        XCTAssertEqual(Array(bytes[0 ..< 8]), Array("K42RAMIM".utf8))
        XCTAssertEqual(word(bytes, 8), 2)
        XCTAssertEqual(word(bytes, 16), UInt64(bytes.count))
        XCTAssertEqual(bytes[0x18], UInt8(ascii: "a"))
        let first = Int(word(bytes, 0x18 + 32)), second = Int(word(bytes, 0x18 + 48 + 32))
        XCTAssertEqual(first, 0x18 + 96)
        XCTAssertEqual(Array(bytes[first ..< first + 3]), [1, 2, 3])
        XCTAssertEqual(second % 8, 0)
        XCTAssertEqual(word(bytes, 0x18 + 48 + 40), 200)
        XCTAssertEqual(try InitialRAMImage.parse(bytes), image)
    }

    func testMalformedImagesAndNames() throws {
        XCTAssertThrowsError(try InitialRAMImage(files: [.init(name: "", bytes: [])]).pack())
        XCTAssertThrowsError(try InitialRAMImage(files: [.init(name: String(repeating: "x", count: 32), bytes: [])]).pack())
        XCTAssertThrowsError(try InitialRAMImage(files: [.init(name: "a", bytes: []), .init(name: "a", bytes: [])]).pack())
        var bytes = try InitialRAMImage(files: [.init(name: "a", bytes: [9])]).pack()
        XCTAssertThrowsError(try InitialRAMImage.parse(Array(bytes.prefix(10)))) { XCTAssertTrue("\($0)".contains("magic")) }
        bytes[0x18 + 40] = 0xFF                                            // file size past the end
        XCTAssertThrowsError(try InitialRAMImage.parse(bytes)) { XCTAssertTrue("\($0)".contains("outside the image")) }
    }

    func testLoaderPlacesImageAtTopOfNodeZero() throws {
        let image = try ElfImage(path: try KernelImages.path(.mips64))
        var config = MachineConfig(isa: .mips64, cpus: 2, nodes: 2)
        config.memoryPerNode = 64 << 20
        let ram = try InitialRAMImage(files: [.init(name: "x", bytes: Array(repeating: 7, count: 5000))]).pack()
        let m = try Machine(config: config, image: image, initialRAM: ram, makeCPU: SystemCPUFactory.make)
        let base = m.readPhysical64(MachineConfig.bootInfoAddress + 0x1100)
        XCTAssertEqual(m.readPhysical64(MachineConfig.bootInfoAddress + 0x1108), UInt64(ram.count))
        XCTAssertEqual(base, ((64 << 20) - UInt64(ram.count)) & ~0xFFF)
        XCTAssertEqual(m.readPhysical64(base), 0x4D49_4D41_5232_344B)
        let none = try Machine(config: config, image: image, makeCPU: SystemCPUFactory.make)
        XCTAssertEqual(none.readPhysical64(MachineConfig.bootInfoAddress + 0x1108), 0)
        XCTAssertThrowsError(try Machine(config: config, image: image, initialRAM: [UInt8](repeating: 0, count: 64 << 20),
                                         makeCPU: SystemCPUFactory.make)) { XCTAssertTrue("\($0)".contains("do not fit")) }
    }
}
