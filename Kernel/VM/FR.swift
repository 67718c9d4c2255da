// FR: a file representative (K42's FR) — where the contents of a memory object's pages come
// from when its FCM does not have them. A clustered object with one rep. Kinds today:
// zero-fill (anonymous memory: FRComputation) and copy-on-write of another FCM (the child sees
// the parent's pages read-only until it writes one, then gets its own copy), and file-backed:
// page i is sectors first + 8i ... of the block device (Platform/Disk.swift), the part of a
// page past the file's end zero, pages wholly past it unfillable (the process's fault). The
// read sleeps until the device's completion interrupt; a process with a dispatcher is told
// about such a fault and runs another thread meanwhile (User/Dispatcher.swift).

final class FRRep {
    enum Kind {
        case zeroFill
        case copyOnWrite(parent: CORef<FCMRep>)
        case file(firstSector: UInt64, sectors: UInt64)
    }
    let kind: Kind

    init(_ kind: Kind) { self.kind = kind }

    /// Fills the new frame `pa` with the contents of page `index` (zero-fill and file FRs: a
    /// copy-on-write FR fills through its parent, FCM.swift). False if it cannot.
    func fill(_ index: UInt64, into pa: UInt64) -> Bool {
        switch kind {
        case .zeroFill:
            _ = memset(PM.kernelAddress(pa), 0, 4096)
            Counter.zeroFills.add()
            return true
        case .copyOnWrite:
            return false
        case .file(let first, let sectors):
            let perPage = 4096 / Disk.sectorSize
            guard index < (sectors + perPage - 1) / perPage else { return false }
            let count = min(perPage, sectors - index * perPage)
            guard Disk.read(sector: first + index * perPage, count: count, into: pa) else { return false }
            if count < perPage {
                _ = memset(PM.kernelAddress(pa) + Int(count * Disk.sectorSize), 0, Int((perPage - count) * Disk.sectorSize))
            }
            return true
        }
    }

    /// Whether filling page `index` reads the block device (a file FR's page inside the file).
    func fillNeedsDevice(_ index: UInt64) -> Bool {
        guard case .file(_, let sectors) = kind, Disk.present else { return false }
        let perPage = 4096 / Disk.sectorSize
        return index < (sectors + perPage - 1) / perPage
    }

    var parent: CORef<FCMRep>? {
        if case .copyOnWrite(let p) = kind { return p }
        return nil
    }
}

enum FR {
    static func zeroFill() -> CORef<FRRep>? { COS.create(RepRoot<FRRep>.single { _ in FRRep(.zeroFill) }) }
    /// `sectors` sectors of the block device from `firstSector` (a file on it).
    static func file(firstSector: UInt64, sectors: UInt64) -> CORef<FRRep>? {
        COS.create(RepRoot<FRRep>.single { _ in FRRep(.file(firstSector: firstSector, sectors: sectors)) })
    }
    static func copyOnWrite(of parent: CORef<FCMRep>) -> CORef<FRRep>? {
        COS.create(RepRoot<FRRep>.single { _ in FRRep(.copyOnWrite(parent: parent)) })
    }
}
