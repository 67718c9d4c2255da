// FrameAllocator: physical memory, one allocator per NUMA node. Each node's allocator is a
// binary buddy system over absolute frame numbers (4 KiB frames; a block of order k is 2^k
// frames aligned to its size), with its own lock and its own bookkeeping in its own node's
// memory: a header page and one descriptor word per frame. Allocation tries the calling CPU's
// node first and other nodes only when it is exhausted; the per-CPU counters say which
// (Counter.localPages / remotePages). The descriptors also tell the small-object allocator who
// owns a slab (Descriptor).
//
// Header layout (words): 0-1 lock, 2 node, 3 first frame, 4 end frame, 5 free frames,
// 6 descriptors' address, 7 total frames, 8.. free-list heads per order (frame + 1, 0 = empty).
// A free block keeps its list links in its first two words (next + 1, previous + 1).

enum Descriptor {
    static let kindMask: UInt64 = 0xF
    static let reserved: UInt64 = 0
    static let freeHead: UInt64 = 1
    static let allocatedHead: UInt64 = 2
    static let inside: UInt64 = 3
    static let slab: UInt64 = 4

    @inline(__always) static func make(_ kind: UInt64, order: Int) -> UInt64 { kind | UInt64(order) << 8 }
    @inline(__always) static func kind(_ d: UInt64) -> UInt64 { d & kindMask }
    @inline(__always) static func order(_ d: UInt64) -> Int { Int((d >> 8) & 0xFF) }
    /// Slab frames: size class (bits 8..15), owning CPU (16..31), the frame's offset inside
    /// the slab (32..39); bits 47..63 are SmallAllocator.trim's scratch.
    @inline(__always) static func slab(sizeClass: Int, owner: Int, offset: Int) -> UInt64 {
        slab | UInt64(sizeClass) << 8 | UInt64(owner) << 16 | UInt64(offset) << 32
    }
    @inline(__always) static func owner(_ d: UInt64) -> Int { Int((d >> 16) & 0xFFFF) }
    @inline(__always) static func slabOffset(_ d: UInt64) -> Int { Int((d >> 32) & 0xFF) }
}

@_extern(c, "memset") func memset(_ p: UnsafeMutableRawPointer, _ c: Int32, _ n: Int) -> UnsafeMutableRawPointer

struct NodeFrames {
    let header: UnsafeMutablePointer<UInt64>
    static let maxOrder = 18
    static let pageShift: UInt64 = 12

    init(_ address: UInt) { header = UnsafeMutablePointer<UInt64>(bitPattern: address)! }

    var lock: SpinLock { SpinLock(header) }
    var node: Int { Int(header[2]) }
    var firstFrame: UInt64 { header[3] }
    var endFrame: UInt64 { header[4] }
    var freeFrames: UInt64 { get { header[5] } nonmutating set { header[5] = newValue } }
    var descriptors: UnsafeMutablePointer<UInt64> { UnsafeMutablePointer<UInt64>(bitPattern: UInt(header[6]))! }
    var totalFrames: UInt64 { header[7] }
    @inline(__always) func head(_ order: Int) -> UnsafeMutablePointer<UInt64> { header + 8 + order }

    @inline(__always) func descriptor(_ frame: UInt64) -> UnsafeMutablePointer<UInt64> {
        descriptors + Int(frame - firstFrame)
    }
    @inline(__always) static func links(_ frame: UInt64) -> UnsafeMutablePointer<UInt64> {
        UnsafeMutablePointer<UInt64>(bitPattern: Arch.kernelBase + UInt(frame << pageShift))!
    }

    /// Sets up node `node` over physical [base, base + size), whose frames below `reservedEnd`
    /// (the kernel image on node 0) are not free. The header and descriptors take the first
    /// free frames of the node. Runs once per node, on the node's first CPU (so the bookkeeping
    /// is written locally), before that node's allocator is published in the node table.
    static func create(node: Int, base: UInt64, size: UInt64, reservedEnd: UInt64) -> NodeFrames {
        let first = base >> pageShift
        let end = (base + size) >> pageShift
        var next = max(first, (reservedEnd + 4095) >> pageShift)
        let headerFrame = next
        next += 1
        let descriptorBytes = (end - first) * 8
        let descriptorFrame = next
        next += (descriptorBytes + 4095) >> pageShift
        let n = NodeFrames(Arch.kernelBase + UInt(headerFrame << pageShift))
        _ = memset(n.header, 0, 4096)
        n.header[2] = UInt64(node)
        n.header[3] = first
        n.header[4] = end
        n.header[6] = UInt64(Arch.kernelBase) + (descriptorFrame << pageShift)
        n.header[7] = end - first
        _ = memset(n.descriptors, 0, Int(descriptorBytes))          // Descriptor.reserved
        // Free what is left in maximal aligned blocks.
        var f = next
        while f < end {
            var order = 0
            while order < maxOrder && f & ((1 << UInt64(order + 1)) - 1) == 0 && f + (1 << UInt64(order + 1)) <= end {
                order += 1
            }
            n.pushFree(f, order)
            n.freeFrames += 1 << UInt64(order)
            f += 1 << UInt64(order)
        }
        return n
    }

    // Free lists (doubly linked through the blocks; lock held).
    private func pushFree(_ frame: UInt64, _ order: Int) {
        let l = Self.links(frame)
        let old = head(order).pointee
        l[0] = old
        l[1] = 0
        if old != 0 { Self.links(old - 1)[1] = frame + 1 }
        head(order).pointee = frame + 1
        descriptor(frame).pointee = Descriptor.make(Descriptor.freeHead, order: order)
    }

    private func removeFree(_ frame: UInt64, _ order: Int) {
        let l = Self.links(frame)
        let next = l[0], prev = l[1]
        if prev != 0 { Self.links(prev - 1)[0] = next } else { head(order).pointee = next }
        if next != 0 { Self.links(next - 1)[1] = prev }
        descriptor(frame).pointee = Descriptor.make(Descriptor.inside, order: 0)
    }

    /// A block of 2^order frames (its first frame), or nil. Lock held.
    func take(_ order: Int) -> UInt64? {
        var o = order
        while o <= Self.maxOrder && head(o).pointee == 0 { o += 1 }
        if o > Self.maxOrder { return nil }
        let frame = head(o).pointee - 1
        removeFree(frame, o)
        while o > order {
            o -= 1
            pushFree(frame + (1 << UInt64(o)), o)
        }
        descriptor(frame).pointee = Descriptor.make(Descriptor.allocatedHead, order: order)
        freeFrames -= 1 << UInt64(order)
        return frame
    }

    /// Returns a block, merging it with free buddies. Lock held.
    func give(_ frame: UInt64, _ order: Int) {
        var f = frame
        var o = order
        freeFrames += 1 << UInt64(order)
        descriptor(frame).pointee = Descriptor.make(Descriptor.inside, order: 0)
        while o < Self.maxOrder {
            let buddy = f ^ (1 << UInt64(o))
            guard buddy >= firstFrame, buddy + (1 << UInt64(o)) <= endFrame,
                  descriptor(buddy).pointee == Descriptor.make(Descriptor.freeHead, order: o) else { break }
            removeFree(buddy, o)
            f = min(f, buddy)
            o += 1
        }
        pushFree(f, o)
    }
}

enum FrameAllocator {
    static var nodeCount: Int { BootInfo.nodeCount }

    @inline(__always) static func node(_ n: Int) -> NodeFrames {
        NodeFrames(UInt(KernelWords.nodeTable[n]))
    }

    /// The node whose RAM holds physical address `pa`.
    @inline(__always) static func nodeOf(physical pa: UInt64) -> Int {
        Int(pa / BootInfo.memoryPerNode)
    }

    @inline(__always) static func descriptor(physical pa: UInt64) -> UnsafeMutablePointer<UInt64> {
        node(nodeOf(physical: pa)).descriptor(pa >> NodeFrames.pageShift)
    }

    /// 2^order contiguous frames, from `preferred` node if it has them, else from the other
    /// nodes in order; returns the physical address or nil. `early` (boot, before this CPU's
    /// per-CPU area exists) takes the node lock without touching per-CPU state. This is the
    /// allocator's own level: the small-object allocator, the translation tables and the
    /// clustered frame-allocator object (FrameAllocatorRep) use it directly.
    static func allocateRaw(order: Int, preferred: Int, early: Bool = false) -> UInt64? {
        for i in 0 ..< nodeCount {
            let n = node((preferred + i) % nodeCount)
            if early { n.lock.acquire() } else { n.lock.lock() }
            let frame = n.take(order)
            if early { n.lock.release() } else { n.lock.unlock() }
            if let frame {
                if !early { (i == 0 ? Counter.localPages : Counter.remotePages).add(1 << UInt64(order)) }
                return frame << NodeFrames.pageShift
            }
        }
        return nil
    }

    /// Frames on this CPU's node first — through the clustered frame allocator (a rep per node,
    /// COS.frames) once this CPU's clustered objects are up.
    static func allocate(order: Int) -> UInt64? {
        if PCA.local.word(CPUArea.cosReady).pointee != 0 { return COS.frames.call { $0.allocate(order: order) } }
        return allocateRaw(order: order, preferred: PCA.node)
    }

    /// Returns a block from `allocate`.
    static func free(physical pa: UInt64, order: Int) {
        let n = node(nodeOf(physical: pa))
        n.lock.lock()
        n.give(pa >> NodeFrames.pageShift, order)
        n.lock.unlock()
        Counter.pagesFreed.add(1 << UInt64(order))
    }

    /// Free frames over all nodes (tests).
    static var freeFrames: UInt64 {
        var total: UInt64 = 0
        for i in 0 ..< nodeCount {
            let n = node(i)
            n.lock.lock()
            total += n.freeFrames
            n.lock.unlock()
        }
        return total
    }

    /// The smallest order whose block holds `bytes`.
    static func order(forBytes bytes: UInt64) -> Int {
        var o = 0
        while (UInt64(4096) << UInt64(o)) < bytes { o += 1 }
        return o
    }
}

/// The frame allocator as a clustered object: one rep per NUMA node, created on (and so living
/// on) that node; a CPU's calls go to its own node's rep, which falls back to the other nodes
/// only when its node is exhausted.
final class FrameAllocatorRep {
    let node: Int
    init(node: Int) { self.node = node }

    func allocate(order: Int) -> UInt64? { FrameAllocator.allocateRaw(order: order, preferred: node) }
    func free(physical pa: UInt64, order: Int) { FrameAllocator.free(physical: pa, order: order) }
}
