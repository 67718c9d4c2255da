// ProcessAddressSpace: the page map of a syscall-emulation process (what Linux's mm would hold):
// mapped regions (Linux's VMAs: page ranges with one set of permissions) and the frames of the
// pages touched so far, with mmap placement, brk, munmap, mprotect and mremap. It is the
// AddressTranslator of SE mode; soft TLBs are flushed through `onUnmapPage` when a touched page
// is removed or loses permissions. Pages are demand-zero (no frame until first touch, like
// Linux's anonymous pages), so a region costs the same whatever its size: mapping, protecting,
// finding or checking a range takes time in the number of regions (logarithmic lookups) plus the
// touched pages it affects, never in the range's length. The region count is capped at Linux's
// vm.max_map_count (65530); past it map, unmap and protect fail (ENOMEM), as Linux's do.

public final class ProcessAddressSpace: AddressTranslator {
    struct PageEntry {
        var frame: Int32
        var permissions: PagePermissions
    }

    /// Mapped virtual pages [first, end) (page numbers) with one set of permissions.
    struct Region {
        var first: UInt64
        var end: UInt64
        var permissions: PagePermissions
        var count: UInt64 { end - first }
    }

    /// Linux's default vm.max_map_count.
    public static let maxRegions = 65530

    public let physical: PhysicalMemory
    /// Sorted by address, disjoint; adjacent regions with equal permissions are merged by `map`.
    private var regions: [Region] = []
    /// Touched pages: each lies inside a region and carries that region's permissions.
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
    /// Pages mapped (touched or not): the sum of the regions' sizes.
    public private(set) var mappedPageCount = 0

    public init(physical: PhysicalMemory, mmapTop: UInt64, userLimit: UInt64) {
        self.physical = physical
        self.mmapTop = mmapTop
        self.mmapNext = mmapTop
        self.userLimit = userLimit
    }

    public var regionCount: Int { regions.count }
    /// Pages that have a frame.
    public var touchedPageCount: Int { pages.count }

    // MARK: lookups

    /// Index of the first region whose end lies above `vpn` (regions.count when none).
    private func firstRegion(endingAbove vpn: UInt64) -> Int {
        var lo = 0, hi = regions.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if regions[mid].end > vpn { hi = mid } else { lo = mid + 1 }
        }
        return lo
    }

    private func region(containing vpn: UInt64) -> Int? {
        let i = firstRegion(endingAbove: vpn)
        return i < regions.count && regions[i].first <= vpn ? i : nil
    }

    /// Page numbers [first, last) of a byte range (last < first when it wraps).
    private func pageRange(_ start: UInt64, _ length: UInt64) -> (UInt64, UInt64) {
        (start >> guestPageShift, (start &+ length &+ guestPageMask) >> guestPageShift)
    }

    /// The touched pages in [first, last), in address order (so frames go back to the free list
    /// in the same order every run: Dictionary order is seeded per process).
    private func touchedPages(_ first: UInt64, _ last: UInt64) -> [UInt64] {
        guard last > first, !pages.isEmpty else { return [] }
        if last - first <= UInt64(pages.count) {
            var out: [UInt64] = []
            var vpn = first
            while vpn < last {
                if pages[vpn] != nil { out.append(vpn) }
                vpn += 1
            }
            return out
        }
        return pages.keys.filter { $0 >= first && $0 < last }.sorted()
    }

    public func translate(_ va: UInt64, access: MemoryAccess) -> Result<Translation, MemoryFault> {
        let vpn = va >> guestPageShift
        if let e = pages[vpn] {
            return .success(Translation(frame: Int(e.frame), permissions: e.permissions, physicalPage: UInt64(e.frame) << guestPageShift))
        }
        guard let r = region(containing: vpn) else {
            return .failure(MemoryFault(address: va, kind: .unmapped, access: access))
        }
        guard let f = physical.allocateFrame() else {
            return .failure(MemoryFault(address: va, kind: .outOfMemory, access: access))
        }
        let perms = regions[r].permissions
        pages[vpn] = PageEntry(frame: Int32(f), permissions: perms)
        return .success(Translation(frame: f, permissions: perms, physicalPage: UInt64(f) << guestPageShift))
    }

    public func isMapped(_ va: UInt64) -> Bool { region(containing: va >> guestPageShift) != nil }

    public func permissions(_ va: UInt64) -> PagePermissions? {
        region(containing: va >> guestPageShift).map { regions[$0].permissions }
    }

    /// Whether every page of [start, start+length) is mapped.
    public func isMappedRange(_ start: UInt64, length: UInt64) -> Bool {
        let (first, last) = pageRange(start, length)
        if last <= first { return last == first }
        var i = firstRegion(endingAbove: first)
        var next = first
        while next < last {
            guard i < regions.count, regions[i].first <= next else { return false }
            next = regions[i].end
            i += 1
        }
        return true
    }

    // MARK: changing the map

    /// Removes the regions' coverage of [first, last), splitting a region that spans it.
    /// False (nothing changed) when that would exceed `maxRegions`.
    private func cut(_ first: UInt64, _ last: UInt64) -> Bool {
        guard last > first else { return true }
        var i = firstRegion(endingAbove: first)
        guard i < regions.count, regions[i].first < last else { return true }
        if regions[i].first < first && regions[i].end > last {          // strictly inside one region
            guard regions.count < Self.maxRegions else { return false }
            var tail = regions[i]
            tail.first = last
            regions[i].end = first
            regions.insert(tail, at: i + 1)
            mappedPageCount -= Int(last - first)
            return true
        }
        if regions[i].first < first {                                    // trim the region below
            mappedPageCount -= Int(regions[i].end - first)
            regions[i].end = first
            i += 1
        }
        var j = i
        while j < regions.count && regions[j].end <= last {              // wholly covered
            mappedPageCount -= Int(regions[j].count)
            j += 1
        }
        if j < regions.count && regions[j].first < last {                // trim the region above
            mappedPageCount -= Int(last - regions[j].first)
            regions[j].first = last
        }
        regions.removeSubrange(i ..< j)
        return true
    }

    /// Releases the frames of touched pages in [first, last) (the pages stay mapped if their
    /// region does; they read back as zero).
    private func release(_ first: UInt64, _ last: UInt64) {
        for vpn in touchedPages(first, last) {
            if let e = pages.removeValue(forKey: vpn) { physical.releaseFrame(Int(e.frame)) }
            onUnmapPage?(vpn << guestPageShift)
        }
    }

    /// Inserts [first, last) (free) with `permissions`, merging with equal neighbours.
    private func insert(_ first: UInt64, _ last: UInt64, _ permissions: PagePermissions) {
        let i = firstRegion(endingAbove: first)
        let mergeBelow = i > 0 && regions[i - 1].end == first && regions[i - 1].permissions == permissions
        let mergeAbove = i < regions.count && regions[i].first == last && regions[i].permissions == permissions
        switch (mergeBelow, mergeAbove) {
        case (true, true):
            regions[i - 1].end = regions[i].end
            regions.remove(at: i)
        case (true, false):
            regions[i - 1].end = last
        case (false, true):
            regions[i].first = first
        case (false, false):
            regions.insert(Region(first: first, end: last, permissions: permissions), at: i)
        }
        mappedPageCount += Int(last - first)
    }

    /// Maps fresh zeroed pages over [start, start+length), replacing what was there. `lazy`
    /// pages get their frame on first touch (the SE process maps everything so); others now.
    /// Returns false if guest memory is exhausted (eager pages: nothing stays mapped) or the
    /// region limit is reached (nothing changed).
    @discardableResult
    public func map(_ start: UInt64, length: UInt64, permissions: PagePermissions, lazy: Bool = false) -> Bool {
        let (first, last) = pageRange(start, length)
        guard last > first else { return true }
        // Cutting splits at most one region and inserting adds at most one.
        guard regions.count + 2 <= Self.maxRegions else { return false }
        release(first, last)
        _ = cut(first, last)
        insert(first, last, permissions)
        if lazy { return true }
        var vpn = first
        while vpn < last {
            guard let f = physical.allocateFrame() else {
                unmap(start, length: length)
                return false
            }
            pages[vpn] = PageEntry(frame: Int32(f), permissions: permissions)
            vpn += 1
        }
        return true
    }

    /// Unmaps [start, start+length); false (nothing changed) when splitting a region would
    /// exceed the region limit.
    @discardableResult
    public func unmap(_ start: UInt64, length: UInt64) -> Bool {
        let (first, last) = pageRange(start, length)
        guard last > first else { return true }
        guard cut(first, last) else { return false }
        release(first, last)
        return true
    }

    /// Drops the frames of [start, start+length) but keeps the mapping (MADV_DONTNEED).
    public func discard(_ start: UInt64, length: UInt64) {
        let (first, last) = pageRange(start, length)
        release(first, last)
    }

    /// Changes permissions; false (ENOMEM) if part of the range is unmapped or the region
    /// limit would be exceeded (nothing changed then).
    public func protect(_ start: UInt64, length: UInt64, permissions: PagePermissions) -> Bool {
        let (first, last) = pageRange(start, length)
        guard last > first else { return true }
        guard isMappedRange(start, length: length) else { return false }
        guard regions.count + 2 <= Self.maxRegions else { return false }
        // Split at both ends, then re-insert the range's pages as one region.
        _ = cut(first, last)
        insert(first, last, permissions)
        for vpn in touchedPages(first, last) {
            pages[vpn]!.permissions = permissions
            onUnmapPage?(vpn << guestPageShift)
        }
        return true
    }

    /// Whether every page of the range is free (and below the user limit).
    public func isFree(_ start: UInt64, length: UInt64) -> Bool {
        let (first, last) = pageRange(start, length)
        if last > userLimit >> guestPageShift || last < first { return false }
        let i = firstRegion(endingAbove: first)
        return !(i < regions.count && regions[i].first < last)
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
    /// Each region is looked at most once: one in the window moves the window's end below it.
    private func searchDown(from top: UInt64, length len: UInt64, floor: UInt64) -> UInt64? {
        var end = top & ~guestPageMask
        while end >= len && end - len >= floor {
            let first = (end - len) >> guestPageShift
            // The highest region starting below the window's end.
            let i = firstRegion(endingAbove: end >> guestPageShift)
            var j = i < regions.count && regions[i].first < end >> guestPageShift ? i : i - 1
            if j >= regions.count { j = regions.count - 1 }
            guard j >= 0, regions[j].end > first else { return end - len }
            end = regions[j].first << guestPageShift
        }
        return nil
    }

    /// Moves the pages of [old, old+oldLength) (all mapped) to `new` (no copying), growing or
    /// shrinking to `newLength`. The caller checked the target is free.
    public func move(from old: UInt64, oldLength: UInt64, to new: UInt64, newLength: UInt64, lazy: Bool = false) -> Bool {
        let oldPages = (oldLength + guestPageMask) >> guestPageShift
        let newPages = (newLength + guestPageMask) >> guestPageShift
        let oldFirst = old >> guestPageShift, newFirst = new >> guestPageShift
        let kept = min(oldPages, newPages)
        guard regions.count + 4 <= Self.maxRegions else { return false }
        // The regions of the moved part, relative to its start.
        var pieces: [Region] = []
        var i = firstRegion(endingAbove: oldFirst)
        while i < regions.count && regions[i].first < oldFirst + kept {
            let a = max(regions[i].first, oldFirst), b = min(regions[i].end, oldFirst + kept)
            pieces.append(Region(first: a - oldFirst, end: b - oldFirst, permissions: regions[i].permissions))
            i += 1
        }
        let perms = pieces.last?.permissions ?? [.read, .write]
        var moved: [(UInt64, PageEntry)] = []
        for vpn in touchedPages(oldFirst, oldFirst + kept) {
            moved.append((vpn - oldFirst, pages.removeValue(forKey: vpn)!))
            onUnmapPage?(vpn << guestPageShift)
        }
        _ = cut(oldFirst, oldFirst + kept)
        if oldPages > newPages {
            unmap((oldFirst + newPages) << guestPageShift, length: (oldPages - newPages) << guestPageShift)
        }
        for p in pieces { insert(newFirst + p.first, newFirst + p.end, p.permissions) }
        for (k, e) in moved { pages[newFirst + k] = e }
        if newPages > oldPages {
            return map(new + (oldPages << guestPageShift), length: (newPages - oldPages) << guestPageShift,
                       permissions: perms, lazy: lazy)
        }
        return true
    }
}

extension ProcessAddressSpace {
    /// Gives every touched page's frame back to `physical` (in address order, so frames return
    /// to the free lists the same way every run) and empties the map: the end of an address
    /// space whose frames come from memory shared with other spaces.
    public func releaseAll() {
        for vpn in pages.keys.sorted() { physical.releaseFrame(Int(pages[vpn]!.frame)) }
        pages.removeAll()
        regions.removeAll()
        mappedPageCount = 0
    }

    /// fork: a copy of this map over `physical` (another process's frames): the same regions,
    /// placement state and brk, and a private copy of every touched page. Nil when `physical`
    /// runs out of frames (the fork fails with ENOMEM).
    public func copy(into physical: PhysicalMemory) -> ProcessAddressSpace? {
        let c = ProcessAddressSpace(physical: physical, mmapTop: mmapTop, userLimit: userLimit)
        c.regions = regions
        c.mappedPageCount = mappedPageCount
        c.mmapNext = mmapNext
        c.brkStart = brkStart
        c.brkCurrent = brkCurrent
        // Sorted so the child's frame numbering does not depend on dictionary order.
        for vpn in pages.keys.sorted() {
            let e = pages[vpn]!
            guard let f = physical.allocateFrame() else {
                c.releaseAll()                  // a shared physical memory gets the frames back
                return nil
            }
            physical.host(frame: f).copyMemory(from: self.physical.host(frame: Int(e.frame)), byteCount: Int(guestPageSize))
            c.pages[vpn] = PageEntry(frame: Int32(f), permissions: e.permissions)
        }
        return c
    }
}
