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

    init(physical: PhysicalMemory, addressSpace: ProcessAddressSpace, bigEndian: Bool) {
        self.physical = physical
        self.addressSpace = addressSpace
        mmu = SoftMMU(physical: physical, translator: addressSpace)
        mmu.bigEndian = bigEndian
        addressSpace.onUnmapPage = { [unowned self] va in
            self.mmu.flush(page: va)
            for l in self.pageListeners { l(va) }
        }
    }

    /// A fresh, empty space for a new image.
    convenience init(abi: LinuxABI, guestMemory: UInt64, bigEndian: Bool) {
        let physical = PhysicalMemory(maxBytes: guestMemory)
        let mmapTop = abi.stackTop - LinuxABI.stackSize - LinuxABI.stackGuard
        self.init(physical: physical,
                  addressSpace: ProcessAddressSpace(physical: physical, mmapTop: mmapTop, userLimit: abi.userLimit),
                  bigEndian: bigEndian)
    }

    /// fork: a private copy (nil when the guest memory cannot hold it).
    func copy(guestMemory: UInt64) -> LinuxMemory? {
        let physical = PhysicalMemory(maxBytes: guestMemory)
        guard let space = addressSpace.copy(into: physical) else { return nil }
        let m = LinuxMemory(physical: physical, addressSpace: space, bigEndian: mmu.bigEndian)
        m.sigTrampoline = sigTrampoline
        return m
    }
}
