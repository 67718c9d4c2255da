// LinuxMemory: one syscall-emulation address space (Linux's mm): the frames, the page map and
// the soft MMU the CPUs of its threads use, plus the ISA's pre-decoded code cache. Threads of a
// process and a vfork/CLONE_VM child share one; fork copies it (every touched page), execve
// replaces it.

public final class LinuxMemory {
    public let physical: PhysicalMemory
    public let addressSpace: ProcessAddressSpace
    public let mmu: SoftMMU
    /// The ISA's DecodedPageCache for this space (set by the CPU adaptor that first runs in it).
    var codeCache: AnyObject?
    /// The page holding the rt_sigreturn trampoline signal handlers return to (mapped on the
    /// first delivery; fork copies it with the rest).
    var sigTrampoline: UInt64?
    var decodedPagesCounter: (() -> UInt64)?
    var decodedPageCount: UInt64 { decodedPagesCounter?() ?? 0 }
    /// Called when a page's translation changes or vanishes, after the soft MMU was flushed (the
    /// CPU adaptors flush their code TLBs here).
    var pageListeners: [(UInt64) -> Void] = []

    /// The frames come from the system's one physical memory (a timed run), not from a memory
    /// of this space's own: they are given back when the space goes away.
    let sharesPhysical: Bool

    init(physical: PhysicalMemory, addressSpace: ProcessAddressSpace, bigEndian: Bool, sharesPhysical: Bool = false) {
        self.physical = physical
        self.sharesPhysical = sharesPhysical
        self.addressSpace = addressSpace
        mmu = SoftMMU(physical: physical, translator: addressSpace)
        mmu.bigEndian = bigEndian
        addressSpace.onUnmapPage = { [unowned self] va in
            self.mmu.flush(page: va)
            for l in self.pageListeners { l(va) }
        }
    }

    deinit {
        guard sharesPhysical else { return }
        // The soft TLB's direct-write counts and the code cache's registration live in the
        // shared memory; then every frame goes back to it.
        mmu.flushAll()
        addressSpace.releaseAll()
        if let c = codeCache as? CodeInvalidationListener { physical.removeListener(c) }
    }

    /// A fresh, empty space for a new image: over `shared` (a timed run's one physical memory)
    /// or over a physical memory of its own of `guestMemory` bytes.
    convenience init(abi: LinuxABI, guestMemory: UInt64, bigEndian: Bool, shared: PhysicalMemory? = nil) {
        let physical = shared ?? PhysicalMemory(maxBytes: guestMemory)
        let mmapTop = abi.stackTop - LinuxABI.stackSize - LinuxABI.stackGuard
        self.init(physical: physical,
                  addressSpace: ProcessAddressSpace(physical: physical, mmapTop: mmapTop, userLimit: abi.userLimit),
                  bigEndian: bigEndian, sharesPhysical: shared != nil)
    }

    /// fork: a private copy (nil when the guest memory cannot hold it), over the same shared
    /// physical memory or over one of its own.
    func copy(guestMemory: UInt64) -> LinuxMemory? {
        let physical = sharesPhysical ? self.physical : PhysicalMemory(maxBytes: guestMemory)
        guard let space = addressSpace.copy(into: physical) else {
            return nil
        }
        let m = LinuxMemory(physical: physical, addressSpace: space, bigEndian: mmu.bigEndian, sharesPhysical: sharesPhysical)
        m.sigTrampoline = sigTrampoline
        return m
    }
}
