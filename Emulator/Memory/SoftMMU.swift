// SoftMMU: a CPU's software TLB from guest virtual pages to host pointers (QEMU's softmmu idea).
// The interpreter's fast path is one tag compare per access: a tag is the page address, and the
// compare uses `va & (pageMask | (size-1))`, so misaligned accesses also miss and reach the slow
// path, which enforces alignment, walks the architectural translator and refills the entry. The
// slow path returns what it found (`SlowAccess`: RAM with its physical address, device space, or
// the fault with the architecture's exception); the MMU keeps no record of its last access.
// Frames holding pre-decoded code are never entered as writable, so stores to code take the slow
// path and invalidate it.

/// Permissions of a guest page.
public struct PagePermissions: OptionSet, Sendable, Hashable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    public static let read = PagePermissions(rawValue: 1)
    public static let write = PagePermissions(rawValue: 2)
    public static let execute = PagePermissions(rawValue: 4)
    public static let all: PagePermissions = [.read, .write, .execute]
}

public enum MemoryAccess: UInt8, Sendable {
    case read, write, execute
}

public enum MemoryFaultKind: UInt8, Sendable {
    case unmapped        // no translation (TLB miss / SIGSEGV MAPERR)
    case protection      // translation exists, access not allowed (SIGSEGV ACCERR)
    case misaligned      // address error (SIGBUS)
    case outOfMemory     // host could not provide a frame
}

public struct MemoryFault: Error, Sendable, Equatable {
    public var address: UInt64
    public var kind: MemoryFaultKind
    public var access: MemoryAccess
    /// The exception the architecture raises, when a full-system translator described it (MIPS:
    /// `code` = ExcCode, `flags` = MIPS64FaultFlags; PPC: `code` = PPC64FaultKind, `flags` =
    /// DSISR or SRR1 bits). false: derive the exception from `kind` and `access`.
    public var architectural = false
    public var code: UInt64 = 0
    public var flags: UInt64 = 0
    public init(address: UInt64, kind: MemoryFaultKind, access: MemoryAccess) {
        self.address = address; self.kind = kind; self.access = access
    }
    public init(address: UInt64, kind: MemoryFaultKind, access: MemoryAccess, code: UInt64, flags: UInt64) {
        self.address = address; self.kind = kind; self.access = access
        architectural = true; self.code = code; self.flags = flags
    }
}

/// What the soft TLB's slow path found for one access that does not cross a page: RAM (the host
/// bytes and the physical address), device space (the bounce buffer: a load's value is in it, a
/// store writes it and calls `completeStore`), or the fault.
public enum SlowAccess {
    case ram(UnsafeMutableRawPointer, physical: UInt64)
    case device(UnsafeMutableRawPointer, physical: UInt64)
    case fault(MemoryFault)

    /// The bytes to access, or nil on a fault.
    @inline(__always) public var pointer: UnsafeMutableRawPointer? {
        switch self {
        case .ram(let p, _), .device(let p, _): return p
        case .fault: return nil
        }
    }
}

/// Where a byte-level access (it may cross pages) ended: the physical address of its last piece
/// and whether that was device space (the timing model charges it there).
public struct AccessPlace: Sendable, Equatable {
    public var physical: UInt64
    public var device: Bool
}

/// Where a virtual page lives: a RAM frame, or device (MMIO) space at a physical address.
public struct Translation: Sendable {
    /// RAM frame, or -1 for device space.
    public var frame: Int
    public var permissions: PagePermissions
    /// Physical address of the page (device accesses add the page offset).
    public var physicalPage: UInt64

    public init(frame: Int, permissions: PagePermissions, physicalPage: UInt64) {
        self.frame = frame; self.permissions = permissions; self.physicalPage = physicalPage
    }
    public static func device(_ physicalPage: UInt64, permissions: PagePermissions) -> Translation {
        Translation(frame: -1, permissions: permissions, physicalPage: physicalPage)
    }
}

/// The architectural translation a soft-TLB miss consults (SE process page map, MIPS TLB, PPC HPT).
/// Only called on the slow path.
public protocol AddressTranslator: AnyObject {
    /// Returns the translation of the page containing `va`, or a fault.
    func translate(_ va: UInt64, access: MemoryAccess) -> Result<Translation, MemoryFault>
}

/// Device (MMIO) space behind the MMU; accesses are never cached in the soft TLB.
public protocol DeviceBus: AnyObject {
    func read(physical: UInt64, size: Int, cpu: Int) -> UInt64
    func write(physical: UInt64, size: Int, value: UInt64, cpu: Int)
}

public struct SoftTLBEntry {
    public var readTag: UInt64 = .max
    public var writeTag: UInt64 = .max
    /// host address = addend &+ guest virtual address
    public var addend: UInt = 0
    public var frame: Int = -1
}

public final class SoftMMU {
    public static let entryCount = 1024
    public let entries: UnsafeMutablePointer<SoftTLBEntry>
    /// Entries holding a direct-write tag, per frame bucket (frame & writeBucketMask), so that
    /// `revokeWrite` skips soft TLBs that cannot map a frame for writing (and needs no scan once
    /// the hinted entry was the bucket's only one): a kernel's LL/SC on a
    /// frame otherwise scans every CPU's soft TLBs (docs/memory-system.md). Kept exact by
    /// `setEntry`, the only writer of entries.
    private let writeBuckets: UnsafeMutablePointer<UInt16>
    static let writeBucketCount = 16384
    public let physical: PhysicalMemory
    public unowned(unsafe) var translator: AddressTranslator
    public var bigEndian = false
    /// Set when a store invalidated pre-decoded code or is a pending device write: the
    /// interpreter calls `completeStore()` after writing and leaves its loop to re-sync.
    public var storeNeedsCompletion = false
    /// Device space, when this MMU belongs to a full-system machine.
    public var devices: DeviceBus?
    /// The CPU this MMU serves (passed to devices and the reservation monitor).
    public var cpuIndex = 0
    /// The machine's LL/SC reservation monitor (full-system mode; nil in SE mode).
    public weak var reservations: ReservationMonitor?
    /// Bounce buffer for device accesses (8 bytes, guest byte order).
    private let deviceScratch = UnsafeMutableRawPointer.allocate(byteCount: 8, alignment: 8)
    private var pendingDeviceStore: (physical: UInt64, size: Int)?
    public private(set) var slowPathCount: UInt64 = 0

    public init(physical: PhysicalMemory, translator: AddressTranslator) {
        self.physical = physical
        self.translator = translator
        entries = .allocate(capacity: Self.entryCount)
        entries.initialize(repeating: SoftTLBEntry(), count: Self.entryCount)
        writeBuckets = .allocate(capacity: Self.writeBucketCount)
        writeBuckets.initialize(repeating: 0, count: Self.writeBucketCount)
    }

    deinit {
        entries.deallocate()
        writeBuckets.deallocate()
        deviceScratch.deallocate()
    }

    /// Finishes a store that went through the slow path: forwards a device write.
    public func completeStore() {
        storeNeedsCompletion = false
        if let (pa, size) = pendingDeviceStore {
            pendingDeviceStore = nil
            let v = decodeScratch(size)
            devices?.write(physical: pa, size: size, value: v, cpu: cpuIndex)
        }
    }

    private func decodeScratch(_ size: Int) -> UInt64 {
        var raw: UInt64 = 0
        withUnsafeMutableBytes(of: &raw) { $0.baseAddress!.copyMemory(from: deviceScratch, byteCount: size) }
        return bigEndian ? (UInt64(bigEndian: raw) >> (64 - 8 * UInt64(size))) : UInt64(littleEndian: raw)
    }

    private func encodeScratch(_ v: UInt64, _ size: Int) {
        var raw = bigEndian ? (v << (64 - 8 * UInt64(size))).bigEndian : v.littleEndian
        withUnsafeBytes(of: &raw) { deviceScratch.copyMemory(from: $0.baseAddress!, byteCount: size) }
    }

    @inline(__always)
    public static func index(_ va: UInt64) -> Int { Int(truncatingIfNeeded: (va >> guestPageShift) & UInt64(entryCount - 1)) }

    @inline(__always) private static func bucket(_ frame: Int) -> Int { frame & (writeBucketCount - 1) }

    /// Replaces entry `i`, keeping the write buckets exact.
    @inline(__always) private func setEntry(_ i: Int, _ new: SoftTLBEntry) {
        let old = entries[i]
        if old.writeTag != .max { dropWriter(old.frame) }
        if new.writeTag != .max {
            writeBuckets[Self.bucket(new.frame)] &+= 1
            physical.addDirectWriter(frame: new.frame)
        }
        entries[i] = new
    }

    @inline(__always) private func dropWriter(_ frame: Int) {
        writeBuckets[Self.bucket(frame)] &-= 1
        physical.removeDirectWriter(frame: frame)
    }

    public func flushAll() {
        for i in 0 ..< Self.entryCount {
            if entries[i].writeTag != .max { physical.removeDirectWriter(frame: entries[i].frame) }
            entries[i] = SoftTLBEntry()
        }
        writeBuckets.update(repeating: 0, count: Self.writeBucketCount)
    }

    public func flush(page va: UInt64) {
        let i = Self.index(va)
        if entries[i].readTag == va & ~guestPageMask || entries[i].writeTag == va & ~guestPageMask {
            setEntry(i, SoftTLBEntry())
        }
    }

    /// Drops the entry in the slot `va`'s page maps to, whatever page it holds (for an
    /// invalidation that knows the page number only modulo the soft-TLB size, e.g. PPC tlbie).
    public func flushSlot(of va: UInt64) {
        setEntry(Self.index(va), SoftTLBEntry())
    }

    /// Stops direct stores into a frame (it now holds pre-decoded code, or a reservation).
    /// `hint` is a virtual address the frame is likely mapped at (checked first; when that was
    /// the only direct-write entry of the bucket, no scan is needed).
    public func revokeWrite(frame: Int, hint: UInt64? = nil) {
        let b = Self.bucket(frame)
        guard writeBuckets[b] != 0 else { return }
        if let hint {
            let i = Self.index(hint)
            if entries[i].frame == frame && entries[i].writeTag != .max {
                entries[i].writeTag = .max
                dropWriter(frame)
                if writeBuckets[b] == 0 || physical.directWriters[frame] == 0 { return }
            }
        }
        for i in 0 ..< Self.entryCount where entries[i].frame == frame && entries[i].writeTag != .max {
            entries[i].writeTag = .max
            dropWriter(frame)
            if writeBuckets[b] == 0 || physical.directWriters[frame] == 0 { return }
        }
    }

    /// The slow path of an access of `size` bytes that does not cross a page: alignment (when
    /// `alignment`), the architectural translation, permissions; refills the soft TLB for RAM.
    @inline(never)
    public func access(_ va: UInt64, size: Int, access: MemoryAccess, alignment: Bool) -> SlowAccess {
        accessInline(va, size: size, access: access, alignment: alignment)
    }

    /// `access` for an interpreter's own out-of-line slow path (inlined there: one call fewer,
    /// and the result is switched on without going through memory).
    @inline(__always)
    func accessInline(_ va: UInt64, size: Int, access: MemoryAccess, alignment: Bool) -> SlowAccess {
        slowPathCount &+= 1
        if alignment && va & UInt64(size - 1) != 0 {
            return .fault(MemoryFault(address: va, kind: .misaligned, access: access))
        }
        switch translator.translate(va, access: access) {
        case .failure(let f):
            return .fault(f)
        case .success(let t):
            let needed: PagePermissions = access == .write ? .write : (access == .execute ? .execute : .read)
            if !t.permissions.contains(needed) {
                return .fault(MemoryFault(address: va, kind: .protection, access: access))
            }
            let pa = t.physicalPage | (va & guestPageMask)
            if t.frame < 0 {
                // Device space: bounce through the scratch buffer, never cache the translation.
                guard let devices, access != .execute else {
                    return .fault(MemoryFault(address: va, kind: .unmapped, access: access))
                }
                if access == .write {
                    pendingDeviceStore = (pa, size)
                    storeNeedsCompletion = true
                } else {
                    encodeScratch(devices.read(physical: pa, size: size, cpu: cpuIndex), size)
                }
                return .device(deviceScratch, physical: pa)
            }
            let page = va & ~guestPageMask
            let host = physical.host(frame: t.frame)
            let i = Self.index(va)
            var e = entries[i]
            if e.frame != t.frame || e.readTag != page && e.writeTag != page { e = SoftTLBEntry() }
            e.frame = t.frame
            e.addend = UInt(bitPattern: host) &- UInt(truncatingIfNeeded: page)
            if t.permissions.contains(.read) { e.readTag = page }
            if access == .write && physical.hasCode(frame: t.frame) {
                physical.invalidateCode(frame: t.frame)
                storeNeedsCompletion = true
            }
            if access == .write && physical.isReserved(frame: t.frame) {
                reservations?.storeObserved(physical: pa, size: size, by: cpuIndex)
            }
            if t.permissions.contains(.write) && physical.allowsDirectWrite(frame: t.frame) { e.writeTag = page }
            setEntry(i, e)
            return .ram(host + Int(va & guestPageMask), physical: pa)
        }
    }

    // MARK: - LL/SC in full-system mode (see ReservationMonitor)

    /// After a successful LL load of `va`: reserves its granule for this CPU. False when the
    /// load did not come from RAM (device space), so no reservation exists.
    @inline(never)
    public func linkedLoad(_ va: UInt64) -> Bool {
        let e = entries[Self.index(va)]
        guard let reservations, e.readTag == va & ~guestPageMask, e.frame >= 0 else {
            reservations?.clear(cpu: cpuIndex)
            return false
        }
        reservations.reserve(cpu: cpuIndex, physical: (UInt64(e.frame) << guestPageShift) | (va & guestPageMask), virtual: va)
        return true
    }

    public enum StoreConditionalOutcome {
        case fault(MemoryFault)
        case failed             // no (or a broken) reservation: nothing stored
        /// Write the value here (at `physical`), then completeStore if needed.
        case store(UnsafeMutableRawPointer, physical: UInt64)
    }

    /// SC/SCD: translates `va` for a store (faults as a store would), then succeeds only if the
    /// CPU's link bit is set (`linked`) and it still holds the reservation of the granule; a successful SC breaks other CPUs'
    /// reservations of it. SC to device space always fails.
    @inline(never)
    public func storeConditional(_ va: UInt64, size: Int, linked: Bool) -> StoreConditionalOutcome {
        slowPathCount &+= 1
        if va & UInt64(size - 1) != 0 {
            return .fault(MemoryFault(address: va, kind: .misaligned, access: .write))
        }
        switch translator.translate(va, access: .write) {
        case .failure(let f):
            return .fault(f)
        case .success(let t):
            guard t.permissions.contains(.write) else {
                return .fault(MemoryFault(address: va, kind: .protection, access: .write))
            }
            guard linked, t.frame >= 0, let reservations else {
                reservations?.clear(cpu: cpuIndex)
                return .failed
            }
            let pa = t.physicalPage | (va & guestPageMask)
            guard reservations.consume(cpu: cpuIndex, physical: pa) else { return .failed }
            reservations.storeObserved(physical: pa, size: size, by: cpuIndex)
            if physical.hasCode(frame: t.frame) {
                physical.invalidateCode(frame: t.frame)
                storeNeedsCompletion = true
            }
            return .store(physical.host(frame: t.frame) + Int(va & guestPageMask), physical: pa)
        }
    }

    // MARK: - Byte-level access for loaders, syscalls and accesses that cross pages

    /// Reads `count` bytes at `va` into `buffer`: where the last piece was, or the fault. Device
    /// space is accessed only as one piece of at most 8 bytes inside a page.
    public func copyIn(_ va: UInt64, into buffer: UnsafeMutableRawPointer, count: Int) -> Result<AccessPlace, MemoryFault> {
        var done = 0
        var place = AccessPlace(physical: 0, device: false)
        while done < count {
            let a = va &+ UInt64(done)
            let chunk = min(count - done, Int(guestPageSize - (a & guestPageMask)))
            // A device register is read once, with the access's own size (a probe of one byte
            // would already have performed a read with side effects, e.g. the UART's RX).
            switch access(a, size: chunk <= 8 ? chunk : 1, access: .read, alignment: false) {
            case .fault(let f):
                return .failure(f)
            case .device(let p, let pa):
                guard chunk == count - done, chunk <= 8 else {
                    return .failure(MemoryFault(address: a, kind: .misaligned, access: .read))
                }
                (buffer + done).copyMemory(from: p, byteCount: chunk)
                return .success(AccessPlace(physical: pa, device: true))
            case .ram(let p, let pa):
                (buffer + done).copyMemory(from: p, byteCount: chunk)
                place = AccessPlace(physical: pa, device: false)
                done += chunk
            }
        }
        return .success(place)
    }

    /// Writes `count` bytes to `va`: where the last piece was, or the fault. A device write (one
    /// piece of at most 8 bytes inside a page) is forwarded at once; `storeNeedsCompletion` stays
    /// set so the interpreter re-syncs.
    public func copyOut(_ va: UInt64, from buffer: UnsafeRawPointer, count: Int) -> Result<AccessPlace, MemoryFault> {
        var done = 0
        var place = AccessPlace(physical: 0, device: false)
        while done < count {
            let a = va &+ UInt64(done)
            let chunk = min(count - done, Int(guestPageSize - (a & guestPageMask)))
            switch access(a, size: 1, access: .write, alignment: false) {
            case .fault(let f):
                return .failure(f)
            case .device(let p, let pa):
                guard chunk == count - done, chunk <= 8 else {
                    pendingDeviceStore = nil
                    return .failure(MemoryFault(address: a, kind: .misaligned, access: .write))
                }
                pendingDeviceStore = (pa, chunk)
                p.copyMemory(from: buffer + done, byteCount: chunk)
                completeStore()
                storeNeedsCompletion = true
                return .success(AccessPlace(physical: pa, device: true))
            case .ram(let p, let pa):
                p.copyMemory(from: buffer + done, byteCount: chunk)
                place = AccessPlace(physical: pa, device: false)
                done += chunk
            }
        }
        return .success(place)
    }

    /// `copyIn` when only success matters.
    public func read(_ va: UInt64, into buffer: UnsafeMutableRawPointer, count: Int) -> Bool {
        if case .success = copyIn(va, into: buffer, count: count) { return true }
        return false
    }

    /// `copyOut` when only success matters.
    public func write(_ va: UInt64, from buffer: UnsafeRawPointer, count: Int) -> Bool {
        if case .success = copyOut(va, from: buffer, count: count) { return true }
        return false
    }

    public func readBytes(_ va: UInt64, count: Int) -> [UInt8]? {
        var out = [UInt8](repeating: 0, count: count)
        let ok = out.withUnsafeMutableBytes { read(va, into: $0.baseAddress!, count: count) }
        return ok ? out : nil
    }

    public func writeBytes(_ va: UInt64, _ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { write(va, from: $0.baseAddress!, count: bytes.count) }
    }

    /// Reads a NUL-terminated string of at most `limit` bytes.
    public func readCString(_ va: UInt64, limit: Int = 4096) -> [UInt8]? {
        var out: [UInt8] = []
        var a = va
        while out.count < limit {
            guard case .ram(let p, _) = access(a, size: 1, access: .read, alignment: false) else { return nil }
            let avail = Int(guestPageSize - (a & guestPageMask))
            let bytes = p.assumingMemoryBound(to: UInt8.self)
            for k in 0 ..< avail {
                if bytes[k] == 0 { return out }
                out.append(bytes[k])
                if out.count >= limit { return nil }
            }
            a &+= UInt64(avail)
        }
        return nil
    }

    /// Loads an integer of `size` bytes (1, 2, 4, 8) in guest byte order, any alignment: the
    /// value and where it was, or the fault.
    public func load(_ va: UInt64, size: Int) -> Result<(value: UInt64, place: AccessPlace), MemoryFault> {
        var raw: UInt64 = 0
        let r = withUnsafeMutableBytes(of: &raw) { copyIn(va, into: $0.baseAddress!, count: size) }
        switch r {
        case .failure(let f): return .failure(f)
        case .success(let place):
            return .success((bigEndian ? (UInt64(bigEndian: raw) >> (64 - 8 * UInt64(size))) : UInt64(littleEndian: raw), place))
        }
    }

    /// Stores an integer of `size` bytes in guest byte order, any alignment: where it went, or
    /// the fault.
    public func store(_ va: UInt64, size: Int, _ value: UInt64) -> Result<AccessPlace, MemoryFault> {
        var raw = bigEndian ? (value << (64 - 8 * UInt64(size))).bigEndian : value.littleEndian
        return withUnsafeBytes(of: &raw) { copyOut(va, from: $0.baseAddress!, count: size) }
    }

    /// `load` when only the value matters.
    public func loadValue(_ va: UInt64, size: Int) -> UInt64? {
        if case .success(let r) = load(va, size: size) { return r.value }
        return nil
    }

    /// `store` when only success matters.
    public func storeValue(_ va: UInt64, size: Int, _ value: UInt64) -> Bool {
        if case .success = store(va, size: size, value) { return true }
        return false
    }
}
