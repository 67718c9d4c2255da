// SoftMMU: a CPU's software TLB from guest virtual pages to host pointers (QEMU's softmmu idea).
// The interpreter's fast path is one tag compare per access: a tag is the page address, and the
// compare uses `va & (pageMask | (size-1))`, so misaligned accesses also miss and reach the slow
// path, which enforces alignment, walks the architectural translator and refills the entry.
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
    public init(address: UInt64, kind: MemoryFaultKind, access: MemoryAccess) {
        self.address = address; self.kind = kind; self.access = access
    }
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
    /// The fault that made the last slow-path access fail.
    public var lastFault = MemoryFault(address: 0, kind: .unmapped, access: .read)
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
    /// The last successful slow-path (or SC) access: its physical address and whether it went
    /// to device space (read by the timing model; two stores on the slow path only).
    public private(set) var lastPhysical: UInt64 = 0
    public private(set) var lastWasDevice = false

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

    /// Host pointer for an access of `size` bytes that does not cross a page, or nil with
    /// `lastFault` set. Refills the soft TLB.
    @inline(never)
    public func slowHostPointer(_ va: UInt64, size: Int, access: MemoryAccess, alignment: Bool) -> UnsafeMutableRawPointer? {
        slowPathCount &+= 1
        if alignment && va & UInt64(size - 1) != 0 {
            lastFault = MemoryFault(address: va, kind: .misaligned, access: access)
            return nil
        }
        switch translator.translate(va, access: access) {
        case .failure(let f):
            lastFault = f
            return nil
        case .success(let t):
            let needed: PagePermissions = access == .write ? .write : (access == .execute ? .execute : .read)
            if !t.permissions.contains(needed) {
                lastFault = MemoryFault(address: va, kind: .protection, access: access)
                return nil
            }
            if t.frame < 0 {
                // Device space: bounce through the scratch buffer, never cache the translation.
                let pa = t.physicalPage | (va & guestPageMask)
                guard let devices, access != .execute else {
                    lastFault = MemoryFault(address: va, kind: .unmapped, access: access)
                    return nil
                }
                lastWasDevice = true
                lastPhysical = pa
                if access == .write {
                    pendingDeviceStore = (pa, size)
                    storeNeedsCompletion = true
                } else {
                    encodeScratch(devices.read(physical: pa, size: size, cpu: cpuIndex), size)
                }
                return deviceScratch
            }
            let page = va & ~guestPageMask
            let host = physical.host(frame: t.frame)
            lastWasDevice = false
            lastPhysical = t.physicalPage | (va & guestPageMask)
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
                reservations?.storeObserved(physical: t.physicalPage | (va & guestPageMask), size: size, by: cpuIndex)
            }
            if t.permissions.contains(.write) && physical.allowsDirectWrite(frame: t.frame) { e.writeTag = page }
            setEntry(i, e)
            return host + Int(va & guestPageMask)
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
        case fault              // lastFault says why
        case failed             // no (or a broken) reservation: nothing stored
        case store(UnsafeMutableRawPointer)  // write the value here, then completeStore if needed
    }

    /// SC/SCD: translates `va` for a store (faults as a store would), then succeeds only if the
    /// CPU's link bit is set (`linked`) and it still holds the reservation of the granule; a successful SC breaks other CPUs'
    /// reservations of it. SC to device space always fails.
    @inline(never)
    public func storeConditional(_ va: UInt64, size: Int, linked: Bool) -> StoreConditionalOutcome {
        slowPathCount &+= 1
        if va & UInt64(size - 1) != 0 {
            lastFault = MemoryFault(address: va, kind: .misaligned, access: .write)
            return .fault
        }
        switch translator.translate(va, access: .write) {
        case .failure(let f):
            lastFault = f
            return .fault
        case .success(let t):
            guard t.permissions.contains(.write) else {
                lastFault = MemoryFault(address: va, kind: .protection, access: .write)
                return .fault
            }
            guard linked, t.frame >= 0, let reservations else {
                reservations?.clear(cpu: cpuIndex)
                return .failed
            }
            let pa = t.physicalPage | (va & guestPageMask)
            guard reservations.consume(cpu: cpuIndex, physical: pa) else { return .failed }
            lastWasDevice = false
            lastPhysical = pa
            reservations.storeObserved(physical: pa, size: size, by: cpuIndex)
            if physical.hasCode(frame: t.frame) {
                physical.invalidateCode(frame: t.frame)
                storeNeedsCompletion = true
            }
            return .store(physical.host(frame: t.frame) + Int(va & guestPageMask))
        }
    }

    // MARK: - Byte-level access for loaders, syscalls and accesses that cross pages

    /// Reads `count` bytes at `va` into `buffer`; false with `lastFault` on a fault. Device space
    /// is accessed only as one piece of at most 8 bytes inside a page.
    public func read(_ va: UInt64, into buffer: UnsafeMutableRawPointer, count: Int) -> Bool {
        var done = 0
        while done < count {
            let a = va &+ UInt64(done)
            let chunk = min(count - done, Int(guestPageSize - (a & guestPageMask)))
            // A device register is read once, with the access's own size (a probe of one byte
            // would already have performed a read with side effects, e.g. the UART's RX).
            guard let p = slowHostPointer(a, size: chunk <= 8 ? chunk : 1, access: .read, alignment: false) else { return false }
            if p == deviceScratch {
                guard chunk == count - done, chunk <= 8 else {
                    lastFault = MemoryFault(address: a, kind: .misaligned, access: .read)
                    return false
                }
                (buffer + done).copyMemory(from: p, byteCount: chunk)
                return true
            }
            (buffer + done).copyMemory(from: p, byteCount: chunk)
            done += chunk
        }
        return true
    }

    /// Writes `count` bytes to `va`; false with `lastFault` on a fault. A device write (one piece
    /// of at most 8 bytes inside a page) is forwarded at once; `storeNeedsCompletion` stays set so
    /// the interpreter re-syncs.
    public func write(_ va: UInt64, from buffer: UnsafeRawPointer, count: Int) -> Bool {
        var done = 0
        while done < count {
            let a = va &+ UInt64(done)
            let chunk = min(count - done, Int(guestPageSize - (a & guestPageMask)))
            guard let p = slowHostPointer(a, size: 1, access: .write, alignment: false) else { return false }
            if p == deviceScratch {
                guard chunk == count - done, chunk <= 8, let pending = pendingDeviceStore else {
                    pendingDeviceStore = nil
                    lastFault = MemoryFault(address: a, kind: .misaligned, access: .write)
                    return false
                }
                pendingDeviceStore = (pending.physical, chunk)
                p.copyMemory(from: buffer + done, byteCount: chunk)
                completeStore()
                storeNeedsCompletion = true
                return true
            }
            p.copyMemory(from: buffer + done, byteCount: chunk)
            done += chunk
        }
        return true
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
            guard let p = slowHostPointer(a, size: 1, access: .read, alignment: false) else { return nil }
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

    /// Loads an integer of `size` bytes (1, 2, 4, 8) in guest byte order, any alignment.
    public func loadValue(_ va: UInt64, size: Int) -> UInt64? {
        var raw: UInt64 = 0
        guard withUnsafeMutableBytes(of: &raw, { read(va, into: $0.baseAddress!, count: size) }) else { return nil }
        return bigEndian ? (UInt64(bigEndian: raw) >> (64 - 8 * UInt64(size))) : UInt64(littleEndian: raw)
    }

    /// Stores an integer of `size` bytes in guest byte order, any alignment.
    public func storeValue(_ va: UInt64, size: Int, _ value: UInt64) -> Bool {
        var raw = bigEndian ? (value << (64 - 8 * UInt64(size))).bigEndian : value.littleEndian
        return withUnsafeBytes(of: &raw) { write(va, from: $0.baseAddress!, count: size) }
    }
}
