// PM: the page manager (K42's PM), the frame supply of the memory objects — a well-known
// clustered object (COS.pageManager) in two implementations, chosen at boot (`pm=`):
//  - per-node (default): a rep per NUMA node; an FCM filling a page asks it on the faulting
//    CPU, so the frame comes from that CPU's node (through the node's frame-allocator rep;
//    another node only when the local one is exhausted, as the allocator does);
//  - global (`pm=global`): one rep for the machine — a single pool under one lock that hands
//    out frames from all nodes in turn, as a kernel without NUMA-aware supply would; the
//    `numa-alloc` experiment compares the two.
// Counter.processFrames / processFramesFreed count the frames handed out and returned, per CPU.
// Replacement (Replacement.swift): clean pages of read-only file mappings are evicted when a
// node runs out (or reaches `pm-frames=N`); other pages stay with their FCM until it is
// destroyed, and exhaustion with nothing to evict is a failed fault (the process is notified),
// never a panic.

class PMRep {
    /// A frame for a process page (contents undefined); nil when memory is out.
    func allocate() -> UInt64? { nil }
    func free(_ pa: UInt64) {
        FrameAllocator.free(physical: pa, order: 0)
        Replacement.freed(pa)
        Counter.processFramesFreed.add()
    }
}

final class PMNodeRep: PMRep {
    let node: Int
    init(node: Int) { self.node = node }

    override func allocate() -> UInt64? {
        guard let pa = Replacement.allocate(node: node, { COS.frames.call { $0.allocate(order: 0) } }) else { return nil }
        Counter.processFrames.add()
        return pa
    }
}

final class PMGlobalRep: PMRep {
    let words: UnsafeMutablePointer<UInt64>        // lock (2), next node

    override init() {
        words = UnsafeMutablePointer<UInt64>.allocate(capacity: 16)
        SpinLock.initialise(words)
        words[2] = 0
        super.init()
    }

    override func allocate() -> UInt64? {
        let pa = Replacement.allocate(node: PCA.node) {
            let lock = SpinLock(words)
            lock.lock()
            let node = Int(words[2] % UInt64(BootInfo.nodeCount))
            words[2] &+= 1
            let pa = FrameAllocator.allocateRaw(order: 0, preferred: node)
            lock.unlock()
            return pa
        }
        if pa != nil { Counter.processFrames.add() }
        return pa
    }

    override func free(_ pa: UInt64) {
        let lock = SpinLock(words)
        lock.lock()
        FrameAllocator.free(physical: pa, order: 0)
        lock.unlock()
        Replacement.freed(pa)
        Counter.processFramesFreed.add()
    }
}

enum PM {
    /// The root COS installs at boot (reference 2).
    static func makeRoot() -> CORoot {
        Replacement.setUp()
        if BootArgs.value("pm", is: "global") { return RepRoot<PMRep>.single { _ in PMGlobalRep() } }
        return RepRoot<PMRep>.perNode { PMNodeRep(node: $0) }
    }

    @inline(__always) static func allocate() -> UInt64? { COS.pageManager.call { $0.allocate() } }
    @inline(__always) static func free(_ pa: UInt64) { COS.pageManager.call { $0.free(pa) } }
    /// The kernel's address of a frame (linear map).
    @inline(__always) static func kernelAddress(_ pa: UInt64) -> UnsafeMutableRawPointer {
        UnsafeMutableRawPointer(bitPattern: Arch.kernelBase + UInt(pa))!
    }
}
