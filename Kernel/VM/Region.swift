// Region: a range of a process's virtual addresses mapped onto an offset of a memory object
// (K42's Region), a clustered object with one rep. It checks access rights, translates the
// faulting address to a page of its FCM, and asks the process's HAT to map the frame on the
// faulting CPU. It records every CPU that mapped any of its pages (`usedCPUs`), so unmapping
// shoots down exactly those CPUs. Unmap races with faults by a flag and a full barrier on both
// sides: a fault first records its CPU, then checks `dying`; unmap first sets `dying`, then
// reads the CPU set; a fault that mapped a page anyway re-checks and drops it itself. The same
// for a page the page manager evicts (Replacement.swift) while a fault maps it.

enum FaultResult: Equatable {
    case resolved, badAddress, protection, outOfMemory
}

final class RegionRep {
    let base: UInt64
    let end: UInt64
    /// The region's first page in the FCM.
    let firstPage: UInt64
    let writable: Bool
    let executable: Bool
    let fcm: CORef<FCMRep>
    /// True when the region's unmap releases the FCM's pages (anonymous memory); false when
    /// the memory object outlives it (a shared object, a copy-on-write parent).
    let ownsFCM: Bool
    let usedCPUs = CPUSet.make()
    /// Its FCM's pages may be evicted (a read-only file mapping, Replacement.swift).
    var reclaimable = false
    private let dyingWord: UnsafeMutablePointer<UInt64>

    init(base: UInt64, size: UInt64, fcm: CORef<FCMRep>, firstPage: UInt64, writable: Bool, executable: Bool, ownsFCM: Bool) {
        self.base = base
        end = base + size
        self.fcm = fcm
        self.firstPage = firstPage
        self.writable = writable
        self.executable = executable
        self.ownsFCM = ownsFCM
        dyingWord = UnsafeMutablePointer<UInt64>.allocate(capacity: 1)
        dyingWord.pointee = 0
    }
    deinit {
        usedCPUs.words.deallocate()
        dyingWord.deallocate()
    }

    var dying: Bool { AtomicWord(dyingWord).loadSequential() != 0 }

    /// Resolves a fault at `va` (inside the region) for `access` on this CPU. Closures here
    /// capture only values, never `self`: a capture would retain the rep, and a shared region's
    /// reference count would become a line every faulting CPU writes.
    func fault(_ va: UInt64, _ access: Access, hat: CORef<HATRep>) -> FaultResult {
        let mayWrite = writable, mayExecute = executable
        if access == .write && !mayWrite { return .protection }
        if access == .execute && !mayExecute { return .protection }
        let cpu = PCA.cpu
        usedCPUs.insert(cpu)
        Arch.memoryBarrier()
        if dying { return .badAddress }
        let page = va & ~0xFFF
        let index = firstPage + (page - base) >> 12
        let write = access == .write
        let evictable = reclaimable
        let evictions = evictable ? fcm.call { $0.evictionCount } : 0
        guard let p = fcm.callIfAlive(method: 1, { $0.page(index, write: write) }) ?? nil else {
            return .outOfMemory
        }
        if p.copied {
            // Other CPUs may map the parent's page read-only here: they must see the copy.
            let others = CPUSet.make()
            for c in 0 ..< BootInfo.cpuCount where c != cpu && usedCPUs.contains(c) { others.insert(c) }
            _ = HAT.shootDown(hat, others, page, page + 4096)
            others.words.deallocate()
        }
        let entry = HATEntry.make(p.pa, writable: p.writable && mayWrite, executable: mayExecute)
        hat.call { $0.map(page, entry) }
        Arch.memoryBarrier()
        if dying {
            _ = hat.call { $0.unmap(page, page + 4096) }
            return .badAddress
        }
        if evictable && fcm.call({ $0.evictionCount }) != evictions && fcm.call({ $0.residentFrame(index) }) != p.pa {
            // Evicted between the lookup and the mapping (its shootdown may have missed ours):
            // drop it; the access faults again and reads the page back.
            _ = hat.call { $0.unmap(page, page + 4096) }
            Counter.evictionRaces.add()
        }
        return .resolved
    }

    /// Starts the unmap: no new translations from now on. Returns the CPUs to shoot down.
    func beginUnmap() -> CPUSet {
        AtomicWord(dyingWord).storeSequential(1)
        return usedCPUs
    }
}

enum Region {
    static func create(base: UInt64, size: UInt64, fcm: CORef<FCMRep>, firstPage: UInt64 = 0,
                       writable: Bool, executable: Bool, ownsFCM: Bool) -> CORef<RegionRep>? {
        COS.create(RepRoot<RegionRep>.single { _ in
            RegionRep(base: base, size: size, fcm: fcm, firstPage: firstPage, writable: writable,
                      executable: executable, ownsFCM: ownsFCM)
        })
    }
}
