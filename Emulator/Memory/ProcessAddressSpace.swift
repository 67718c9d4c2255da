// ProcessAddressSpace: the page map of a syscall-emulation process (what Linux's mm would hold):
// virtual page -> frame + permissions, with mmap placement, brk, munmap, mprotect and mremap.
// It is the AddressTranslator of SE mode; soft TLBs are flushed through `onUnmapPage` when a
// mapping is removed or loses permissions. Pages may be mapped lazily (no frame until first
// touch, like Linux's demand-zero pages) so large PROT_NONE reservations and sparse heaps cost
// no guest memory.

public final class ProcessAddressSpace: AddressTranslator {
    struct PageEntry {
        /// -1: demand-zero page whose frame is allocated on first translation.
        var frame: Int32
        var permissions: PagePermissions
    }

    public let physical: PhysicalMemory
    private var pages: [UInt64: PageEntry] = [:]
    /// Called with a page address whose translation changed or vanished.
    public var onUnmapPage: ((UInt64) -> Void)?
    /// Lowest address handed out by mmap without a hint; allocation goes downward from here.
    public var mmapTop: UInt64
    public var mmapNext: UInt64
    public var brkStart: UInt64 = 0
    public var brkCurrent: UInt64 = 0
    /// Highest user address + 1.
    public let userLimit: UInt64

    public init(physical: PhysicalMemory, mmapTop: UInt64, userLimit: UInt64) {
        self.physical = physical
        self.mmapTop = mmapTop
        self.mmapNext = mmapTop
        self.userLimit = userLimit
    }

    public var mappedPageCount: Int { pages.count }

    public func translate(_ va: UInt64, access: MemoryAccess) -> Result<Translation, MemoryFault> {
        let vpn = va >> guestPageShift
        if let e = pages[vpn] {
            if e.frame >= 0 { return .success(Translation(frame: Int(e.frame), permissions: e.permissions, physicalPage: UInt64(e.frame) << guestPageShift)) }
            guard let f = physical.allocateFrame() else {
                return .failure(MemoryFault(address: va, kind: .outOfMemory, access: access))
            }
            pages[vpn] = PageEntry(frame: Int32(f), permissions: e.permissions)
            return .success(Translation(frame: f, permissions: e.permissions, physicalPage: UInt64(f) << guestPageShift))
        }
        return .failure(MemoryFault(address: va, kind: .unmapped, access: access))
    }

    public func isMapped(_ va: UInt64) -> Bool { pages[va >> guestPageShift] != nil }

    public func permissions(_ va: UInt64) -> PagePermissions? { pages[va >> guestPageShift]?.permissions }

    /// Maps fresh zeroed pages over [start, start+length), replacing what was there.
    /// `lazy` pages get their frame on first touch. Returns false if guest memory is exhausted
    /// (pages mapped so far stay mapped).
    @discardableResult
    public func map(_ start: UInt64, length: UInt64, permissions: PagePermissions, lazy: Bool = false) -> Bool {
        let first = start >> guestPageShift
        let last = (start &+ length &+ guestPageMask) >> guestPageShift
        var vpn = first
        while vpn < last {
            if let old = pages[vpn] {
                if old.frame >= 0 { physical.releaseFrame(Int(old.frame)) }
                onUnmapPage?(vpn << guestPageShift)
            }
            if lazy {
                pages[vpn] = PageEntry(frame: -1, permissions: permissions)
                vpn += 1
                continue
            }
            guard let f = physical.allocateFrame() else { pages[vpn] = nil; return false }
            pages[vpn] = PageEntry(frame: Int32(f), permissions: permissions)
            vpn += 1
        }
        return true
    }

    public func unmap(_ start: UInt64, length: UInt64) {
        let first = start >> guestPageShift
        let last = (start &+ length &+ guestPageMask) >> guestPageShift
        if last &- first > UInt64(pages.count) {
            // In address order, so frames return to the free list in the same order every run
            // (Dictionary order is seeded per process).
            for (vpn, e) in pages.filter({ $0.key >= first && $0.key < last }).sorted(by: { $0.key < $1.key }) {
                if e.frame >= 0 { physical.releaseFrame(Int(e.frame)) }
                pages[vpn] = nil
                onUnmapPage?(vpn << guestPageShift)
            }
            return
        }
        var vpn = first
        while vpn < last {
            if let e = pages.removeValue(forKey: vpn) {
                if e.frame >= 0 { physical.releaseFrame(Int(e.frame)) }
                onUnmapPage?(vpn << guestPageShift)
            }
            vpn += 1
        }
    }

    /// Changes permissions; false (ENOMEM) if part of the range is unmapped.
    public func protect(_ start: UInt64, length: UInt64, permissions: PagePermissions) -> Bool {
        let first = start >> guestPageShift
        let last = (start &+ length &+ guestPageMask) >> guestPageShift
        var vpn = first
        while vpn < last {
            if pages[vpn] == nil { return false }
            vpn += 1
        }
        vpn = first
        while vpn < last {
            pages[vpn]!.permissions = permissions
            onUnmapPage?(vpn << guestPageShift)
            vpn += 1
        }
        return true
    }

    /// Whether every page of the range is free.
    public func isFree(_ start: UInt64, length: UInt64) -> Bool {
        let first = start >> guestPageShift
        let last = (start &+ length &+ guestPageMask) >> guestPageShift
        if last > userLimit >> guestPageShift || last < first { return false }
        var vpn = first
        while vpn < last {
            if pages[vpn] != nil { return false }
            vpn += 1
        }
        return true
    }

    /// Picks a free range of `length` bytes for mmap, top-down below `mmapTop`: first below the
    /// last placement (`mmapNext`), then, if that fails, again from `mmapTop` (reusing holes).
    public func findFree(length: UInt64) -> UInt64? {
        let len = (length &+ guestPageMask) & ~guestPageMask
        if len == 0 || len > mmapTop { return nil }
        let floor = brkCurrent &+ (1 << 24)
        if let a = searchDown(from: mmapNext, length: len, floor: floor) { mmapNext = a; return a }
        if mmapNext < mmapTop, let a = searchDown(from: mmapTop, length: len, floor: floor) {
            mmapNext = a
            return a
        }
        return nil
    }

    /// Highest free range [start, start+len) with start >= floor and start+len <= top.
    /// Each page is looked at most once: a mapped page moves the window's end below it.
    private func searchDown(from top: UInt64, length len: UInt64, floor: UInt64) -> UInt64? {
        var end = top & ~guestPageMask
        while end >= len && end - len >= floor {
            let first = (end - len) >> guestPageShift
            var vpn = end >> guestPageShift
            var blocked: UInt64?
            while vpn > first {
                vpn -= 1
                if pages[vpn] != nil { blocked = vpn; break }
            }
            guard let b = blocked else { return end - len }
            end = b << guestPageShift
        }
        return nil
    }

    /// Moves the pages of [old, old+oldLength) to `new` (no copying), growing or shrinking to
    /// `newLength`. The caller checked the target is free.
    public func move(from old: UInt64, oldLength: UInt64, to new: UInt64, newLength: UInt64, lazy: Bool = false) -> Bool {
        let oldPages = (oldLength + guestPageMask) >> guestPageShift
        let newPages = (newLength + guestPageMask) >> guestPageShift
        var perms: PagePermissions = [.read, .write]
        var moved: [(UInt64, PageEntry)] = []
        for k in 0 ..< min(oldPages, newPages) {
            let vpn = (old >> guestPageShift) + k
            if let e = pages.removeValue(forKey: vpn) {
                perms = e.permissions
                moved.append((k, e))
                onUnmapPage?(vpn << guestPageShift)
            }
        }
        if oldPages > newPages {
            unmap(old + newPages << guestPageShift, length: (oldPages - newPages) << guestPageShift)
        }
        for (k, e) in moved { pages[(new >> guestPageShift) + k] = e }
        if newPages > oldPages {
            return map(new + (oldPages << guestPageShift), length: (newPages - oldPages) << guestPageShift,
                       permissions: perms, lazy: lazy)
        }
        return true
    }
}
