// SmallAllocator: the kernel heap behind Swift's posix_memalign/free (Malloc.swift). Objects up
// to 2 KiB come from per-CPU free lists, one per size class, with no lock: only the owning CPU
// touches its lists (preemption disabled; interrupt handlers never allocate). A list is refilled
// from a slab — frames from the CPU's own node, whose descriptors record the class and the owning
// CPU. An object freed on another CPU is not pushed onto the owner's lists: the freeing CPU
// collects such objects in a small per-CPU buffer and, when it fills, hands them home in one
// chain per owner (one compare-and-swap per chain) onto the owner's remote-free list, which the
// owner drains when a list runs empty. Bigger objects are whole frame blocks.
// `trim` returns completely free slabs to the frame allocator (tests prove every byte comes back).

enum SmallAllocator {
    /// Size classes (bytes). A class serves an alignment that divides it.
    @inline(__always) static func classSize(_ c: Int) -> Int {
        switch c {
        case 0: 16
        case 1: 32
        case 2: 48
        case 3: 64
        case 4: 96
        case 5: 128
        case 6: 192
        case 7: 256
        case 8: 384
        case 9: 512
        case 10: 768
        case 11: 1024
        case 12: 1536
        default: 2048
        }
    }
    static let classCount = 14
    static let largest = 2048

    /// Slab size: one frame up to 256 bytes, four frames beyond.
    @inline(__always) static func slabOrder(_ c: Int) -> Int { c <= 7 ? 0 : 2 }

    /// The smallest class holding `size` bytes whose objects are `alignment`-aligned.
    @inline(__always) static func sizeClass(size: Int, alignment: Int) -> Int? {
        if size > largest || alignment > largest { return nil }
        var c = 0
        while c < classCount {
            let s = classSize(c)
            if s >= size && s % alignment == 0 { return c }
            c += 1
        }
        return nil
    }

    @inline(__always) static func listHead(_ pca: CPUArea, _ c: Int) -> UnsafeMutablePointer<UInt64> {
        pca.word(CPUArea.freeLists + 8 * c)
    }
    @inline(__always) static func listCount(_ pca: CPUArea, _ c: Int) -> UnsafeMutablePointer<UInt64> {
        pca.word(CPUArea.freeCounts + 8 * c)
    }

    static func allocate(size: Int, alignment: Int) -> UnsafeMutableRawPointer? {
        guard let c = sizeClass(size: max(size, 1), alignment: max(alignment, 16)) else {
            return allocateLarge(size: size, alignment: alignment)
        }
        let pca = PCA.local
        if pca.word(CPUArea.interruptDepth).pointee != 0 { Panic.panic("allocation in an interrupt handler") }
        Preempt.disable()
        let head = listHead(pca, c)
        if head.pointee == 0 { refill(c) }
        let object = head.pointee
        if object != 0 {
            head.pointee = word(UInt(object)).pointee
            listCount(pca, c).pointee -= 1
            Counter.allocations.add()
        }
        Preempt.enable()
        return UnsafeMutableRawPointer(bitPattern: UInt(object))
    }

    static func free(_ pointer: UnsafeMutableRawPointer) {
        let address = UInt64(UInt(bitPattern: pointer))
        let kernelBase = UInt64(Arch.kernelBase)
        guard address >= kernelBase, address - kernelBase < Arch.linearMapSize else {
            Panic.panic("free of an address outside the kernel heap:", value: address)
        }
        let pa = address - kernelBase
        let d = FrameAllocator.descriptor(physical: pa).pointee
        switch Descriptor.kind(d) {
        case Descriptor.slab where PCA.local.word(CPUArea.quarantine).pointee != 0:
            // Checking mode (Destruction.reclaim): poison the object and never reuse it.
            let size = classSize(Descriptor.order(d))
            _ = memset(pointer, 0xDB, size)
            Counter.quarantinedBytes.add(UInt64(size))
        case Descriptor.slab:
            let c = Descriptor.order(d)
            guard (pa & (UInt64(4096 << slabOrder(c)) - 1)) % UInt64(classSize(c)) == 0 else {
                Panic.panic("free of a pointer inside an object:", value: address)
            }
            Preempt.disable()
            let pca = PCA.local
            if Descriptor.owner(d) == PCA.cpu {
                let head = listHead(pca, c)
                word(UInt(address)).pointee = head.pointee
                head.pointee = address
                listCount(pca, c).pointee += 1
            } else {
                let n = pca.word(CPUArea.remoteBufferCount)
                pca.word(CPUArea.remoteBuffer + 8 * Int(n.pointee)).pointee = address
                n.pointee += 1
                Counter.remoteFrees.add()
                if n.pointee == UInt64(CPUArea.remoteBufferCapacity) { flushRemote() }
            }
            Counter.frees.add()
            Preempt.enable()
        case Descriptor.allocatedHead:
            Counter.largeFrees.add()
            Counter.frees.add()
            FrameAllocator.free(physical: pa, order: Descriptor.order(d))
        default:
            Panic.panic("free of memory the allocator did not hand out:", value: address)
        }
    }

    static func allocateLarge(size: Int, alignment: Int) -> UnsafeMutableRawPointer? {
        var order = FrameAllocator.order(forBytes: UInt64(max(size, 1)))
        while (UInt64(4096) << UInt64(order)) < UInt64(alignment) { order += 1 }
        guard let pa = FrameAllocator.allocateRaw(order: order, preferred: PCA.node) else { return nil }
        Counter.largeAllocations.add()
        Counter.allocations.add()
        return UnsafeMutableRawPointer(bitPattern: Arch.kernelBase + UInt(pa))
    }

    /// Refills class `c`: first from objects other CPUs returned, else from a new slab.
    /// Preemption disabled.
    static func refill(_ c: Int) {
        drainRemote()
        let pca = PCA.local
        if listHead(pca, c).pointee != 0 { return }
        let order = slabOrder(c)
        guard let pa = FrameAllocator.allocateRaw(order: order, preferred: PCA.node) else { return }
        let frames = 1 << order
        for i in 0 ..< frames {
            FrameAllocator.descriptor(physical: pa + UInt64(i) << 12).pointee =
                Descriptor.slab(sizeClass: c, owner: PCA.cpu, offset: i)
        }
        Counter.slabsCreated.add()
        let size = UInt64(classSize(c))
        let bytes = UInt64(4096 << order)
        let base = UInt64(Arch.kernelBase) + pa
        // Push in descending order so the list hands out ascending addresses.
        let head = listHead(pca, c)
        var offset = (bytes / size - 1) * size
        var count: UInt64 = 0
        while true {
            word(UInt(base + offset)).pointee = head.pointee
            head.pointee = base + offset
            count += 1
            if offset == 0 { break }
            offset -= size
        }
        listCount(pca, c).pointee += count
    }

    /// Takes the chains other CPUs handed back and puts each object on its class list.
    /// Preemption disabled.
    static func drainRemote() {
        let pca = PCA.local
        var object = pca.atomic(CPUArea.remoteFrees).exchange(0)
        let kernelBase = UInt64(Arch.kernelBase)
        while object != 0 {
            let next = word(UInt(object)).pointee
            let c = Descriptor.order(FrameAllocator.descriptor(physical: object - kernelBase).pointee)
            let head = listHead(pca, c)
            word(UInt(object)).pointee = head.pointee
            head.pointee = object
            listCount(pca, c).pointee += 1
            object = next
        }
    }

    /// Hands the buffered remote frees home: one chain, one CAS, per owning CPU.
    /// Preemption disabled.
    static func flushRemote() {
        let pca = PCA.local
        let count = Int(pca.word(CPUArea.remoteBufferCount).pointee)
        let buffer = pca.word(CPUArea.remoteBuffer)
        let kernelBase = UInt64(Arch.kernelBase)
        var done = 0
        // Gather objects of the same owner next to each other, then push each run as a chain.
        while done < count {
            let owner = Descriptor.owner(FrameAllocator.descriptor(physical: buffer[done] - kernelBase).pointee)
            var end = done + 1
            for i in done + 1 ..< count {
                let o = Descriptor.owner(FrameAllocator.descriptor(physical: buffer[i] - kernelBase).pointee)
                if o == owner {
                    let t = buffer[end]; buffer[end] = buffer[i]; buffer[i] = t
                    end += 1
                }
            }
            for i in done ..< end - 1 { word(UInt(buffer[i])).pointee = buffer[i + 1] }
            let last = word(UInt(buffer[end - 1]))
            let remote = PCA.of(owner).atomic(CPUArea.remoteFrees)
            while true {
                let old = remote.load()
                last.pointee = old
                if remote.compareExchange(expected: old, desired: buffer[done]) { break }
            }
            Counter.remoteFreeBatches.add()
            done = end
        }
        pca.word(CPUArea.remoteBufferCount).pointee = 0
    }

    /// Sends this CPU's buffered remote frees home and takes back what others returned
    /// (the idle loop; tests).
    static func flush() {
        Preempt.disable()
        if PCA.local.word(CPUArea.remoteBufferCount).pointee != 0 { flushRemote() }
        if PCA.local.atomic(CPUArea.remoteFrees).load() != 0 { drainRemote() }
        Preempt.enable()
    }

    /// Returns every slab whose objects are all free on this CPU's lists to the frame
    /// allocator; returns how many slabs went back. The slab's first descriptor counts its free
    /// objects meanwhile (bits 48..63) and flags a slab being released (bit 47).
    static func trim() -> Int {
        Preempt.disable()
        drainRemote()
        let pca = PCA.local
        let kernelBase = UInt64(Arch.kernelBase)
        let releasing: UInt64 = 1 << 47
        var released = 0
        for c in 0 ..< classCount {
            let head = listHead(pca, c)
            let perSlab = UInt64((4096 << slabOrder(c)) / classSize(c))
            let slabMask = UInt64(4096 << slabOrder(c)) - 1
            @inline(__always) func slabDescriptor(_ o: UInt64) -> UnsafeMutablePointer<UInt64> {
                FrameAllocator.descriptor(physical: (o - kernelBase) & ~slabMask)
            }
            var o = head.pointee
            while o != 0 {
                slabDescriptor(o).pointee += 1 << 48
                o = word(UInt(o)).pointee
            }
            var previous: UnsafeMutablePointer<UInt64> = head
            o = head.pointee
            var kept: UInt64 = 0
            while o != 0 {
                let next = word(UInt(o)).pointee
                let d = slabDescriptor(o)
                if d.pointee >> 48 == perSlab { d.pointee |= releasing }
                if d.pointee & releasing != 0 {
                    previous.pointee = next
                    d.pointee -= 1 << 48
                    if d.pointee >> 48 == 0 {
                        let slab = (o - kernelBase) & ~slabMask
                        for i in 1 ..< (1 << slabOrder(c)) {
                            FrameAllocator.descriptor(physical: slab + UInt64(i) << 12).pointee = Descriptor.make(Descriptor.inside, order: 0)
                        }
                        d.pointee = Descriptor.make(Descriptor.allocatedHead, order: slabOrder(c))
                        FrameAllocator.free(physical: slab, order: slabOrder(c))
                        Counter.slabsReleased.add()
                        released += 1
                    }
                } else {
                    previous = word(UInt(o))
                    kept += 1
                }
                o = next
            }
            o = head.pointee
            while o != 0 {
                slabDescriptor(o).pointee &= (1 << 47) - 1
                o = word(UInt(o)).pointee
            }
            listCount(pca, c).pointee = kept
        }
        Preempt.enable()
        return released
    }
}
