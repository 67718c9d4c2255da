// FR: a file representative (K42's FR) — where the contents of a memory object's pages come
// from when its FCM does not have them. A clustered object with one rep. Kinds today:
// zero-fill (anonymous memory: FRComputation) and copy-on-write of another FCM (the child sees
// the parent's pages read-only until it writes one, then gets its own copy). File-backed FRs
// on the block device come with out-of-core faults.

final class FRRep {
    enum Kind {
        case zeroFill
        case copyOnWrite(parent: CORef<FCMRep>)
    }
    let kind: Kind

    init(_ kind: Kind) { self.kind = kind }

    /// Fills the new frame `pa` with the contents of page `index` (zero-fill FRs only: a
    /// copy-on-write FR fills through its parent, FCM.swift). False if it cannot.
    func fill(_ index: UInt64, into pa: UInt64) -> Bool {
        switch kind {
        case .zeroFill:
            _ = memset(PM.kernelAddress(pa), 0, 4096)
            Counter.zeroFills.add()
            return true
        case .copyOnWrite:
            return false
        }
    }

    var parent: CORef<FCMRep>? {
        if case .copyOnWrite(let p) = kind { return p }
        return nil
    }
}

enum FR {
    static func zeroFill() -> CORef<FRRep>? { COS.create(RepRoot<FRRep>.single { _ in FRRep(.zeroFill) }) }
    static func copyOnWrite(of parent: CORef<FCMRep>) -> CORef<FRRep>? {
        COS.create(RepRoot<FRRep>.single { _ in FRRep(.copyOnWrite(parent: parent)) })
    }
}
