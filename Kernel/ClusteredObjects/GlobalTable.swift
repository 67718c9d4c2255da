// GlobalTable: the clustered-object global translation table — one 16-byte entry per reference:
// the object's root (a retained CORoot) and a state word changed only by compare-and-swap
// (low 32 bits: misses in progress; then the allocated, destroying and switching flags). It is
// split into one partition per CPU (8192 entries, allocated on that CPU's node when it comes
// up); each CPU hands out references from its own partition, so creating objects shares nothing
// between CPUs. A free entry's root word links the partition's free list. No fixed CPU limit
// beyond the machine's 256.

enum GlobalTable {
    static let entryWords = 2
    static let missMask: UInt64 = 0xFFFF_FFFF
    static let allocated: UInt64 = 1 << 32
    static let destroying: UInt64 = 1 << 33
    static let switching: UInt64 = 1 << 34
    static var partitionOrder: Int { FrameAllocator.order(forBytes: UInt64(LocalTable.refsPerCPU * 16)) }

    @inline(__always) static func entry(_ index: Int) -> UnsafeMutablePointer<UInt64> {
        let p = index / LocalTable.refsPerCPU
        let base = UnsafeMutablePointer<UInt64>(bitPattern: UInt(KernelWords.globalTablePartitions[p]))!
        return base + entryWords * (index % LocalTable.refsPerCPU)
    }
    @inline(__always) static func state(_ index: Int) -> AtomicWord { AtomicWord(entry(index) + 1) }

    /// This CPU's partition, from its own node (CPU bring-up).
    static func createPartition() {
        let cpu = PCA.cpu
        guard let pa = FrameAllocator.allocateRaw(order: partitionOrder, preferred: PCA.node) else {
            Panic.panic("out of memory for the global translation table")
        }
        let base = UnsafeMutableRawPointer(bitPattern: Arch.kernelBase + UInt(pa))!
        _ = memset(base, 0, LocalTable.refsPerCPU * 16)
        AtomicWord(KernelWords.globalTablePartitions + cpu).store(UInt64(Arch.kernelBase) + pa)
        // CPU 0's first entries are the well-known objects (COS.wellKnown).
        PCA.local.word(CPUArea.refNextFresh).pointee = cpu == 0 ? UInt64(COS.wellKnownCount) : 0
    }

    /// A free reference index of this CPU's partition, or nil when the partition is full.
    /// Preemption disabled by the caller.
    static func allocateIndex() -> Int? {
        let pca = PCA.local
        let cpu = PCA.cpu
        var remote = pca.atomic(CPUArea.refRemoteFreed).exchange(0)
        while remote != 0 {
            let i = Int(remote - 1)
            remote = entry(i)[0]
            entry(i)[0] = pca.word(CPUArea.refFreeHead).pointee
            pca.word(CPUArea.refFreeHead).pointee = UInt64(i + 1)
        }
        let head = pca.word(CPUArea.refFreeHead)
        var index: Int
        if head.pointee != 0 {
            index = Int(head.pointee - 1)
            head.pointee = entry(index)[0]
        } else {
            let fresh = pca.word(CPUArea.refNextFresh)
            guard fresh.pointee < UInt64(LocalTable.refsPerCPU) else { return nil }
            index = cpu * LocalTable.refsPerCPU + Int(fresh.pointee)
            fresh.pointee += 1
        }
        entry(index)[0] = 0
        pca.word(CPUArea.refsInUse).pointee += 1
        Counter.refsAllocated.add()
        return index
    }

    /// Returns a reclaimed reference to its partition (its owner's free list, directly or through
    /// the owner's remote-freed stack).
    static func freeIndex(_ index: Int) {
        let owner = index / LocalTable.refsPerCPU
        let e = entry(index)
        state(index).store(0)
        Counter.refsFreed.add()
        if owner == PCA.cpu {
            Preempt.disable()
            e[0] = PCA.local.word(CPUArea.refFreeHead).pointee
            PCA.local.word(CPUArea.refFreeHead).pointee = UInt64(index + 1)
            PCA.local.word(CPUArea.refsInUse).pointee -= 1
            Preempt.enable()
        } else {
            let stack = PCA.of(owner).atomic(CPUArea.refRemoteFreed)
            var old: UInt64
            repeat { old = stack.load(); e[0] = old } while !stack.compareExchange(expected: old, desired: UInt64(index + 1))
            _ = PCA.of(owner).atomic(CPUArea.refsInUse).add(UInt64.max)
        }
    }
}
