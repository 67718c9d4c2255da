// PhysicalMemoryNodeTests: a NUMA machine's frames are divided into per-node ranges (so a
// frame's physical address divided by the node's memory is its home node); allocation takes the
// `allocationNode`'s frames first, falls back to the next nodes when it is full, and a freed
// frame goes back to its own node. Address spaces over one shared memory give their frames back.
import XCTest
@testable import Emulator

final class PhysicalMemoryNodeTests: XCTestCase {
    func testFramesComeFromTheAllocationNodeAndFallBack() {
        // 4 nodes of 4 frames each.
        let m = PhysicalMemory(maxBytes: 16 * guestPageSize, nodes: 4)
        XCTAssertEqual(m.framesPerNode, 4)
        m.allocationNode = 2
        let a = (0 ..< 4).map { _ in m.allocateFrame()! }
        XCTAssertEqual(a, [8, 9, 10, 11])
        XCTAssertEqual(a.map { m.node(ofFrame: $0) }, [2, 2, 2, 2])
        // Node 2 is full: node 3, then node 0.
        let b = (0 ..< 5).map { _ in m.allocateFrame()! }
        XCTAssertEqual(b, [12, 13, 14, 15, 0])
        // A freed frame returns to its node and is reused (zeroed) before the node's next one.
        m.host(frame: 9).storeBytes(of: 0xdead_beef as UInt32, as: UInt32.self)
        m.releaseFrame(9)
        XCTAssertEqual(m.allocateFrame(), 9)
        XCTAssertEqual(m.host(frame: 9).load(as: UInt32.self), 0)
        m.allocationNode = 1
        XCTAssertEqual(m.allocateFrame(), 4)
        XCTAssertEqual(m.allocatedFrames, 10)
        // Exhaustion: 16 frames in all, then nil.
        while m.allocateFrame() != nil {}
        XCTAssertEqual(m.allocatedFrames, 16)
    }

    func testOneNodeKeepsSequentialFrames() {
        let m = PhysicalMemory(maxBytes: 8 * guestPageSize)
        XCTAssertEqual((0 ..< 8).map { _ in m.allocateFrame()! }, Array(0 ..< 8))
        XCTAssertNil(m.allocateFrame())
    }

    func testSharedSpacesGiveFramesBack() {
        let shared = PhysicalMemory(maxBytes: 64 * guestPageSize, nodes: 2)
        for _ in 0 ..< 10 {
            let mem = LinuxMemory(abi: .mips64n64, guestMemory: 0, bigEndian: false, shared: shared)
            XCTAssertTrue(mem.addressSpace.map(0x10000, length: 32 * guestPageSize, permissions: [.read, .write]))
            for i in 0 ..< 32 { XCTAssertTrue(mem.mmu.storeValue(0x10000 + UInt64(i) * guestPageSize, size: 8, 1)) }
            XCTAssertEqual(shared.allocatedFrames, 32)
            guard let child = mem.copy(guestMemory: 0) else { return XCTFail("fork copy failed") }
            withExtendedLifetime(child) {
                XCTAssertEqual(shared.allocatedFrames, 64)
                XCTAssertNil(mem.copy(guestMemory: 0), "a third copy cannot fit")
                XCTAssertEqual(shared.allocatedFrames, 64, "a failed copy keeps no frames")
            }
        }
        XCTAssertEqual(shared.allocatedFrames, 0)
    }
}
