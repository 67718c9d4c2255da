// TraceLog: the guest side of k42sim tracing (docs/traces.md), for the kernel, servers and
// programs alike: the guest toolchain compiles this file and Traces/Shared into every guest
// module. Each CPU has its own trace buffers in memory: a control block (TraceControlWord) and a
// ring of 2^n buffers of 2^m words. Logging an event:
//   1. tests the 64-bit class mask inline (one load, one bit test, one branch) — nothing else
//      happens for a class that is off;
//   2. reserves its words with a compare-and-swap on the CPU's producer index (lock-free: an
//      interrupt handler on the same CPU that logs in between makes the CAS fail and retry),
//      reading the timestamp inside the loop, so index order is time order on a CPU;
//   3. an event that would straddle a buffer boundary leaves a filler event (TraceEventID.filler)
//      up to the boundary and starts the next buffer; entering a buffer that the host has not
//      drained yet (the ring is full) drops the event and counts it in the `lost` word;
//   4. writes the data words, then the header, then adds its length to the buffer's committed
//      count; whoever completes a buffer's count tells the host (sim-call TraceSimCall.bufferFull),
//      which drains every complete buffer at once, so nothing is lost silently.
// Timestamps are the low 32 bits of the CPU's cycle counter (MIPS Count, PPC time base) read
// with llvm.readcyclecounter (rdhwr $2 / mftb); the host turns them into 64-bit cycles, anchored
// at registration and at heartbeat events (`heartbeat(cycles:)`). Memory orderings are relaxed:
// only the CPU itself (and its interrupt handlers) writes its buffers, and the host reads them at
// a sim-call, after the release store that performs it.
import Synchronization

@_extern(c, "llvm.readcyclecounter")
func k42TraceCycleCounter() -> UInt64

/// One CPU's trace buffers: a view of its control block in guest memory.
public struct TraceBuffer {
    /// The control block (guest virtual address).
    public let control: UnsafeMutablePointer<UInt64>

    @inline(__always)
    public init(control: UnsafeMutablePointer<UInt64>) { self.control = control }

    /// Lays out a control block for 2^countShift buffers of 2^bufferShift words each and registers
    /// it (TraceSimCall.register). `control` needs TraceControlWord.controlBytes(countShift:) bytes,
    /// `array` 8 << (bufferShift + countShift) bytes, physically contiguous, both 8-byte aligned;
    /// the physical addresses are what the host reads. `simCallPort`: the guest virtual address of
    /// the sim-call port page. Every class starts off; the host sets the mask it was asked for.
    public static func setUp(control: UnsafeMutableRawPointer, controlPhysical: UInt64,
                             array: UnsafeMutableRawPointer, arrayPhysical: UInt64,
                             bufferShift: UInt64, countShift: UInt64, simCallPort: UInt) -> TraceBuffer {
        let c = control.assumingMemoryBound(to: UInt64.self)
        let words = Int(TraceControlWord.controlBytes(countShift: countShift) / 8)
        for i in 0 ..< words { c[i] = 0 }
        // The array needs no clearing: only reserved words are ever read, and the host zeroes
        // the buffers it drains.
        c[TraceControlWord.array] = UInt64(UInt(bitPattern: array))
        c[TraceControlWord.port] = UInt64(simCallPort)
        c[TraceControlWord.geometry] = bufferShift | countShift << 8
        c[TraceControlWord.bufferMask] = (1 &<< bufferShift) &- 1
        c[TraceControlWord.ringMask] = (1 &<< (bufferShift + countShift)) &- 1
        c[TraceControlWord.bufferShift] = bufferShift
        c[TraceControlWord.countMask] = (1 &<< countShift) &- 1
        c[TraceControlWord.physical] = controlPhysical
        c[TraceControlWord.magic] = TraceControlWord.magicValue
        let buffer = TraceBuffer(control: c)
        buffer.simCall(TraceSimCall.register, controlPhysical, arrayPhysical)
        return buffer
    }

    // MARK: the inline mask test

    /// Whether `major`'s class is being traced: one relaxed load of the mask (never hoisted out of
    /// a loop, since the host may set it), a bit test and the caller's branch.
    @inline(__always)
    public func isOn(_ id: TraceEventID) -> Bool {
        atomic(TraceControlWord.mask).pointee.load(ordering: .relaxed) & id.majorBit != 0
    }

    @inline(__always) public func log(_ id: TraceEventID) {
        if isOn(id) { Self.write0(control, id.headerBits) }
    }
    @inline(__always) public func log(_ id: TraceEventID, _ d0: UInt64) {
        if isOn(id) { Self.write1(control, id.headerBits, d0) }
    }
    @inline(__always) public func log(_ id: TraceEventID, _ d0: UInt64, _ d1: UInt64) {
        if isOn(id) { Self.write2(control, id.headerBits, d0, d1) }
    }
    @inline(__always) public func log(_ id: TraceEventID, _ d0: UInt64, _ d1: UInt64, _ d2: UInt64) {
        if isOn(id) { Self.write3(control, id.headerBits, d0, d1, d2) }
    }
    @inline(__always) public func log(_ id: TraceEventID, _ d0: UInt64, _ d1: UInt64, _ d2: UInt64, _ d3: UInt64) {
        if isOn(id) { Self.write4(control, id.headerBits, d0, d1, d2, d3) }
    }
    /// An event with `count` data words (0 ... 254) copied from `words`.
    @inline(__always) public func log(_ id: TraceEventID, words: UnsafePointer<UInt64>, count: Int) {
        if isOn(id) { Self.writeWords(control, id.headerBits, words, count) }
    }

    /// Logs a heartbeat carrying the full 64-bit cycle counter (e.g. the platform clock's CYCLES
    /// register, read *before* this call). The host re-anchors its 32-bit timestamps there; log
    /// one at least every 2^32 cycles on a CPU that logs rarely.
    public func heartbeat(cycles: UInt64) {
        if atomic(TraceControlWord.mask).pointee.load(ordering: .relaxed) != 0 {
            Self.write1(control, TraceEventID.heartbeat.headerBits, cycles)
        }
    }

    /// Events this CPU dropped because its ring was full.
    public var lostEvents: UInt64 { atomic(TraceControlWord.lost).pointee.load(ordering: .relaxed) }

    // MARK: writing (out of line, one function per data-word count)
    // Each writer is a leaf on its fast path (no stack frame): reserving a buffer's first words,
    // straddling a boundary and completing a buffer continue in out-of-line functions.

    @inline(never) static func write0(_ c: UnsafeMutablePointer<UInt64>, _ bits: UInt64) {
        let r = reserve(c, 1)
        if r.index == .max { return writeSlow(c, bits, 1, 0, 0, 0, 0) }
        let p = slot(c, r.index)
        p[0] = TraceHeader.make(timestamp: r.timestamp, length: 1, bits: bits)
        commit(c, r.index, 1)
    }
    @inline(never) static func write1(_ c: UnsafeMutablePointer<UInt64>, _ bits: UInt64, _ d0: UInt64) {
        let r = reserve(c, 2)
        if r.index == .max { return writeSlow(c, bits, 2, d0, 0, 0, 0) }
        let p = slot(c, r.index)
        p[1] = d0
        p[0] = TraceHeader.make(timestamp: r.timestamp, length: 2, bits: bits)
        commit(c, r.index, 2)
    }
    @inline(never) static func write2(_ c: UnsafeMutablePointer<UInt64>, _ bits: UInt64, _ d0: UInt64, _ d1: UInt64) {
        let r = reserve(c, 3)
        if r.index == .max { return writeSlow(c, bits, 3, d0, d1, 0, 0) }
        let p = slot(c, r.index)
        p[1] = d0; p[2] = d1
        p[0] = TraceHeader.make(timestamp: r.timestamp, length: 3, bits: bits)
        commit(c, r.index, 3)
    }
    @inline(never) static func write3(_ c: UnsafeMutablePointer<UInt64>, _ bits: UInt64, _ d0: UInt64, _ d1: UInt64, _ d2: UInt64) {
        let r = reserve(c, 4)
        if r.index == .max { return writeSlow(c, bits, 4, d0, d1, d2, 0) }
        let p = slot(c, r.index)
        p[1] = d0; p[2] = d1; p[3] = d2
        p[0] = TraceHeader.make(timestamp: r.timestamp, length: 4, bits: bits)
        commit(c, r.index, 4)
    }
    @inline(never) static func write4(_ c: UnsafeMutablePointer<UInt64>, _ bits: UInt64, _ d0: UInt64, _ d1: UInt64, _ d2: UInt64, _ d3: UInt64) {
        let r = reserve(c, 5)
        if r.index == .max { return writeSlow(c, bits, 5, d0, d1, d2, d3) }
        let p = slot(c, r.index)
        p[1] = d0; p[2] = d1; p[3] = d2; p[4] = d3
        p[0] = TraceHeader.make(timestamp: r.timestamp, length: 5, bits: bits)
        commit(c, r.index, 5)
    }
    /// An event of 1 ... 5 words whose reservation needs the slow path.
    @inline(never) static func writeSlow(_ c: UnsafeMutablePointer<UInt64>, _ bits: UInt64, _ length: UInt64,
                                         _ d0: UInt64, _ d1: UInt64, _ d2: UInt64, _ d3: UInt64) {
        let r = reserveSlow(c, length)
        if r.index == .max { return }
        let p = slot(c, r.index)
        if length > 1 { p[1] = d0 }
        if length > 2 { p[2] = d1 }
        if length > 3 { p[3] = d2 }
        if length > 4 { p[4] = d3 }
        p[0] = TraceHeader.make(timestamp: r.timestamp, length: length, bits: bits)
        commit(c, r.index, length)
    }
    @inline(never) static func writeWords(_ c: UnsafeMutablePointer<UInt64>, _ bits: UInt64, _ words: UnsafePointer<UInt64>, _ count: Int) {
        guard count >= 0, UInt64(count) < TraceHeader.maxLength else { return }
        let length = UInt64(count + 1)
        var r = reserve(c, length)
        if r.index == .max { r = reserveSlow(c, length) }
        if r.index == .max { return }
        let p = slot(c, r.index)
        for i in 0 ..< count { p[i + 1] = words[i] }
        p[0] = TraceHeader.make(timestamp: r.timestamp, length: length, bits: bits)
        commit(c, r.index, length)
    }

    /// A reservation: the event's first index, or .max (not reserved), and its timestamp.
    struct Reservation {
        var index: UInt64
        var timestamp: UInt64
    }

    /// Reserves `length` words in the common case: inside the current buffer, not its first
    /// word. Otherwise returns index .max without reserving (the caller goes to reserveSlow).
    @inline(__always)
    static func reserve(_ c: UnsafeMutablePointer<UInt64>, _ length: UInt64) -> Reservation {
        let index = word(c, TraceControlWord.index)
        let bufferMask = c[TraceControlWord.bufferMask]
        var old = index.pointee.load(ordering: .relaxed)
        while true {
            let offset = old & bufferMask
            if offset == 0 || offset &+ length > bufferMask &+ 1 { return Reservation(index: .max, timestamp: 0) }
            let timestamp = k42TraceCycleCounter()
            let (done, seen) = index.pointee.compareExchange(expected: old, desired: old &+ length, ordering: .relaxed)
            if done { return Reservation(index: old, timestamp: timestamp) }
            old = seen
        }
    }

    @inline(never)
    static func reserveSlow(_ c: UnsafeMutablePointer<UInt64>, _ length: UInt64) -> Reservation {
        let index = word(c, TraceControlWord.index)
        let bufferWords = c[TraceControlWord.bufferMask] &+ 1
        let ringWords = c[TraceControlWord.ringMask] &+ 1
        var old = index.pointee.load(ordering: .relaxed)
        var start: UInt64, timestamp: UInt64
        repeat {
            let offset = old & (bufferWords &- 1)
            start = offset == 0 ? old : old &- offset &+ bufferWords
            // The buffer at `start` is free once the host drained the one a ring earlier.
            let drained = word(c, TraceControlWord.drained).pointee.load(ordering: .relaxed)
            if start &- drained >= ringWords {
                _ = word(c, TraceControlWord.lost).pointee.wrappingAdd(1, ordering: .relaxed)
                return Reservation(index: .max, timestamp: 0)
            }
            timestamp = k42TraceCycleCounter()
            let (done, seen) = index.pointee.compareExchange(expected: old, desired: start &+ length, ordering: .relaxed)
            if done { break }
            old = seen
        } while true
        if start != old {
            // The filler: the rest of the buffer, one event long (at most 254 words).
            let fill = start &- old
            slot(c, old)[0] = TraceHeader.make(timestamp: timestamp, length: fill, bits: TraceEventID.filler.headerBits)
            commit(c, old, fill)
        }
        return Reservation(index: start, timestamp: timestamp)
    }

    /// Adds `length` to the committed count of the buffer holding `index`; the writer that
    /// completes a buffer tells the host.
    @inline(__always)
    static func commit(_ c: UnsafeMutablePointer<UInt64>, _ index: UInt64, _ length: UInt64) {
        let buffer = (index &>> c[TraceControlWord.bufferShift]) & c[TraceControlWord.countMask]
        let counter = word(c, TraceControlWord.committed &+ Int(truncatingIfNeeded: buffer))
        let before = counter.pointee.wrappingAdd(length, ordering: .relaxed).oldValue
        if before &+ length == c[TraceControlWord.bufferMask] &+ 1 { bufferFull(c, buffer) }
    }

    @inline(never)
    static func bufferFull(_ c: UnsafeMutablePointer<UInt64>, _ buffer: UInt64) {
        TraceBuffer(control: c).simCall(TraceSimCall.bufferFull, c[TraceControlWord.physical], buffer)
    }

    @inline(__always)
    static func slot(_ c: UnsafeMutablePointer<UInt64>, _ index: UInt64) -> UnsafeMutablePointer<UInt64> {
        UnsafeMutablePointer<UInt64>(bitPattern: UInt(truncatingIfNeeded: c[TraceControlWord.array])).unsafelyUnwrapped
            + Int(truncatingIfNeeded: index & c[TraceControlWord.ringMask])
    }

    @inline(__always)
    static func word(_ c: UnsafeMutablePointer<UInt64>, _ i: Int) -> UnsafeMutablePointer<Atomic<UInt64>> {
        UnsafeMutableRawPointer(c + i).assumingMemoryBound(to: Atomic<UInt64>.self)
    }

    @inline(__always)
    func atomic(_ i: Int) -> UnsafeMutablePointer<Atomic<UInt64>> { Self.word(control, i) }

    /// A sim-call through the port: ARG0, ARG1, then OP with release ordering, so everything this
    /// CPU wrote before (the events) is in memory when the host acts.
    func simCall(_ op: UInt64, _ arg0: UInt64, _ arg1: UInt64) {
        let port = UnsafeMutablePointer<Atomic<UInt64>>(bitPattern: UInt(truncatingIfNeeded: control[TraceControlWord.port])).unsafelyUnwrapped
        port[0].store(arg0, ordering: .relaxed)
        port[1].store(arg1, ordering: .relaxed)
        port[2].store(op, ordering: .releasing)
    }
}
