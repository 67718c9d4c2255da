// PM: the page manager (K42's PM), the frame supply of the memory objects — a well-known
// clustered object (COS.pageManager) with a rep per NUMA node. An FCM filling a page asks it
// on the faulting CPU, so the frame comes from that CPU's node (through the node's frame
// allocator rep; another node only when the local one is exhausted, as the allocator does).
// Counter.processFrames / processFramesFreed count the frames handed out and returned, per CPU.
// Replacement (paging out to backing store) is not done: frames stay with their FCM until the
// FCM is destroyed, and exhaustion is a failed fault (the process is notified), never a panic.

final class PMRep {
    let node: Int
    init(node: Int) { self.node = node }

    /// A zeroed-or-not frame for a process page, from this node first; nil when memory is out.
    func allocate() -> UInt64? {
        guard let pa = COS.frames.call({ $0.allocate(order: 0) }) else { return nil }
        Counter.processFrames.add()
        return pa
    }

    func free(_ pa: UInt64) {
        COS.frames.call { $0.free(physical: pa, order: 0) }
        Counter.processFramesFreed.add()
    }
}

enum PM {
    @inline(__always) static func allocate() -> UInt64? { COS.pageManager.call { $0.allocate() } }
    @inline(__always) static func free(_ pa: UInt64) { COS.pageManager.call { $0.free(pa) } }
    /// The kernel's address of a frame (linear map).
    @inline(__always) static func kernelAddress(_ pa: UInt64) -> UnsafeMutableRawPointer {
        UnsafeMutableRawPointer(bitPattern: Arch.kernelBase + UInt(pa))!
    }
}
