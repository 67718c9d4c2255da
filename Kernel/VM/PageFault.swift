// PageFault: the kernel's fault path for user addresses, entirely in the kernel for in-core
// pages (K42's): trap vector -> Process (its CPU's HAT view first: a translation this CPU
// already has is re-entered — MIPS TLB refill, PPC evicted page-table entry) -> the region
// containing the address -> Region.fault (rights) -> FCM.page (find or fill, frame from this
// CPU's node) -> HAT.map on this CPU. Runs as one clustered-object request. What it cannot
// resolve (no region, a forbidden access, no memory) goes back to the caller, which notifies
// the process; the kernel never fails on it.

enum PageFault {
    static func handle(_ process: ProcessContext, _ va: UInt64, _ access: Access) -> FaultResult {
        guard va >= Arch.userBase, va < Arch.userTop else { return .badAddress }
        return Generation.request {
            let e = process.hat.call { $0.lookup(va) }
            if e != 0 && HATEntry.allows(e, access) {
                process.hat.call { $0.refill(va, e) }
                Counter.tlbRefills.add()
                return .resolved
            }
            Counter.pageFaults.add()
            guard let region = process.region(containing: va) else { return .badAddress }
            return region.callIfAlive(method: 1) { $0.fault(va, access, hat: process.hat) } ?? .badAddress
        }
    }

    /// Only the first step of `handle`: re-enter a translation this CPU's HAT view already has.
    static func tryRefill(_ process: ProcessContext, _ va: UInt64, _ access: Access) -> Bool {
        guard va >= Arch.userBase, va < Arch.userTop else { return false }
        return Generation.request {
            let e = process.hat.call { $0.lookup(va) }
            guard e != 0 && HATEntry.allows(e, access) else { return false }
            process.hat.call { $0.refill(va, e) }
            Counter.tlbRefills.add()
            return true
        }
    }

    /// Whether a fault at `va` would have to wait for the block device: the region's page is
    /// not resident and its FR reads it from the device (a hint for reflecting the fault).
    static func needsDevice(_ process: ProcessContext, _ va: UInt64, _ access: Access) -> Bool {
        guard va >= Arch.userBase, va < Arch.userTop else { return false }
        return Generation.request {
            guard let region = process.region(containing: va) else { return false }
            return region.callIfAlive(method: 1) { r -> Bool in
                if access == .write && !r.writable { return false }
                if access == .execute && !r.executable { return false }
                let index = r.firstPage + ((va & ~0xFFF) - r.base) >> 12
                return r.fcm.call { f in !f.isResident(index) && f.fr.call { $0.fillNeedsDevice(index) } }
            } ?? false
        }
    }
}
