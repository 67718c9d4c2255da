// GuestTraceBuffers: the host's end of the guests' per-CPU trace buffers (Traces/Guest/TraceLog.swift,
// docs/traces.md, docs/platform.md). A CPU registers its control block with sim-call op 7; the host
// checks it and writes the class mask the run traces (its software classes). Whoever completes a
// buffer performs op 8, and the host drains every complete buffer of that control block, oldest
// first: each event becomes a recorded event of the registering CPU with a 64-bit cycle, the
// buffer is zeroed and its committed count reset, and `drained` moves on so the guest may reuse
// it. At the end of the run (`drainAll`) the partially filled buffers are drained as well. Every
// loss is recorded as a control.lost event (reason 1: the guest found its ring full and counted
// the event in its `lost` word; 2: a torn or corrupt event or buffer; 3: words reserved but not
// committed when the run ended; 4: a registration that was refused) and summed in `lost*`.
// Timestamps: the guest logs the low 32 bits of its cycle counter (MIPS Count, PPC time base);
// adding the CPU's timestampOffset gives the low 32 bits of the machine cycle, which is unwrapped
// forward from the previous event of that CPU (the registration's cycle first; a heartbeat event
// carries a full cycle and re-anchors). Gaps must stay below 2^32 cycles between a CPU's events.
import Traces

public final class GuestTraceBuffers {
    struct Registration {
        var cpu: Int
        var control: UInt64
        var array: UInt64
        var bufferShift: UInt64
        var countShift: UInt64
        var lastCycle: UInt64
        var lostSeen: UInt64
    }

    let recorder: TraceRecorder
    let ram: PhysicalMemory
    let ramBytes: UInt64
    /// The current cycle and the timestamp offset of a CPU (set by the machine).
    var cycleOf: (Int) -> UInt64 = { _ in 0 }
    var offsetOf: (Int) -> UInt64 = { _ in 0 }
    /// Registrations by the control block's physical address.
    var registrations: [UInt64: Registration] = [:]

    /// Problems worth telling the user (refused registrations, sim-calls for unknown blocks).
    public private(set) var problems: [String] = []
    public private(set) var drainedEvents: UInt64 = 0
    public private(set) var drainedBuffers: UInt64 = 0
    public private(set) var fillers: UInt64 = 0
    public private(set) var lostEvents: UInt64 = 0
    public private(set) var lostWords: UInt64 = 0
    public var registrationCount: Int { registrations.count }

    init(recorder: TraceRecorder, ram: PhysicalMemory, ramBytes: UInt64) {
        self.recorder = recorder
        self.ram = ram
        self.ramBytes = ramBytes
    }

    // MARK: guest RAM

    func read(_ pa: UInt64) -> UInt64 {
        let p = ram.host(frame: Int(pa >> guestPageShift)) + Int(pa & guestPageMask)
        return UInt64(littleEndian: p.loadUnaligned(as: UInt64.self))
    }

    func write(_ pa: UInt64, _ v: UInt64) {
        let frame = Int(pa >> guestPageShift)
        if ram.hasCode(frame: frame) { ram.invalidateCode(frame: frame) }
        (ram.host(frame: frame) + Int(pa & guestPageMask)).storeBytes(of: v.littleEndian, as: UInt64.self)
    }

    func inRAM(_ pa: UInt64, bytes: UInt64) -> Bool {
        pa & 7 == 0 && pa < ramBytes && bytes <= ramBytes - pa
    }

    // MARK: sim-calls

    func simCall(_ op: UInt64, _ arg0: UInt64, _ arg1: UInt64, cpu: Int) {
        switch op {
        case TraceSimCall.register: register(control: arg0, array: arg1, cpu: cpu)
        case TraceSimCall.bufferFull:
            guard var r = registrations[arg0] else {
                problems.append("cpu \(cpu): buffer-full sim-call for 0x\(hex(arg0)), which is no registered trace control block")
                return
            }
            drain(&r, final: false)
            registrations[arg0] = r
        default: break
        }
    }

    func register(control: UInt64, array: UInt64, cpu: Int) {
        let now = cycleOf(cpu)
        func refuse(_ why: String) {
            problems.append("cpu \(cpu): trace buffers at 0x\(hex(control)) refused: \(why)")
            recorder.record(cpu: cpu, cycle: now, .lost, 0, 0, 4)
        }
        guard inRAM(control, bytes: 16 * 8) else { return refuse("the control block is not 8-byte aligned RAM") }
        if var old = registrations[control] {
            drain(&old, final: true)
            registrations[control] = nil
        }
        guard read(control + 8 * UInt64(TraceControlWord.magic)) == TraceControlWord.magicValue else { return refuse("bad magic") }
        let geometry = read(control + 8 * UInt64(TraceControlWord.geometry))
        let shift = geometry & 0xFF, countShift = (geometry >> 8) & 0xFF
        guard shift >= TraceControlWord.minBufferShift, shift <= TraceControlWord.maxBufferShift,
              countShift >= TraceControlWord.minCountShift, countShift <= TraceControlWord.maxCountShift else {
            return refuse("geometry 0x\(hex(geometry)): buffers of 2^8 ... 2^16 words, 2 ... 256 of them")
        }
        guard inRAM(control, bytes: TraceControlWord.controlBytes(countShift: countShift)) else { return refuse("the control block runs past RAM") }
        guard inRAM(array, bytes: 8 << (shift + countShift)) else { return refuse("the buffer array 0x\(hex(array)) is not in RAM") }
        guard read(control + 8 * UInt64(TraceControlWord.physical)) == control else { return refuse("its physical-address word does not match ARG0") }
        let index = read(control + 8 * UInt64(TraceControlWord.index))
        guard index == 0 else { return refuse("its producer index is \(index), not 0") }
        var mask = recorder.mask & TraceMajor.softwareMask
        if mask != 0 { mask |= 1 << TraceMajor.control }
        write(control + 8 * UInt64(TraceControlWord.mask), mask)
        write(control + 8 * UInt64(TraceControlWord.drained), 0)
        registrations[control] = Registration(cpu: cpu, control: control, array: array, bufferShift: shift, countShift: countShift,
                                              lastCycle: now, lostSeen: read(control + 8 * UInt64(TraceControlWord.lost)))
        recorder.record(cpu: cpu, cycle: now, .traceStart, control, 1 << shift, 1 << countShift)
    }

    // MARK: draining

    /// Drains every guest buffer at the end of the run, complete or not.
    public func drainAll() {
        for key in registrations.keys.sorted() {
            var r = registrations[key]!
            drain(&r, final: true)
            registrations[key] = r
        }
    }

    func lost(_ r: Registration, events: UInt64, words: UInt64, reason: UInt64) {
        lostEvents &+= events
        lostWords &+= words
        recorder.record(cpu: r.cpu, cycle: cycleOf(r.cpu), .lost, events, words, reason)
    }

    func drain(_ r: inout Registration, final: Bool) {
        let c = r.control
        let w: UInt64 = 1 << r.bufferShift, n: UInt64 = 1 << r.countShift
        let index = read(c + 8 * UInt64(TraceControlWord.index))
        var drained = read(c + 8 * UInt64(TraceControlWord.drained))
        let lostNow = read(c + 8 * UInt64(TraceControlWord.lost))
        if lostNow != r.lostSeen {
            lost(r, events: lostNow &- r.lostSeen, words: 0, reason: 1)
            r.lostSeen = lostNow
        }
        guard drained <= index, drained & (w - 1) == 0, index - drained <= n * w else {
            problems.append("cpu \(r.cpu): trace control block 0x\(hex(c)) is corrupt (index \(index), drained \(drained)); no longer drained")
            lost(r, events: 0, words: index &- drained, reason: 2)
            write(c + 8 * UInt64(TraceControlWord.mask), 0)
            return
        }
        let offset = offsetOf(r.cpu)
        while drained < index {
            let b = (drained >> r.bufferShift) & (n - 1)
            let reserved = min(w, index - drained)
            let counter = c + 8 * (UInt64(TraceControlWord.committed) + b)
            let committed = read(counter)
            if !final && (reserved < w || committed < w) { break }
            let base = r.array + 8 * (b << r.bufferShift)
            if committed > reserved {
                lost(r, events: 1, words: reserved, reason: 2)
            } else {
                let parsed = parse(&r, base: base, words: reserved, offset: offset, buffer: b)
                if committed < reserved {
                    // Only at the end of the run: some writer never committed (the machine stopped).
                    lost(r, events: 1, words: reserved - committed, reason: 3)
                } else if parsed < reserved {
                    lost(r, events: 1, words: reserved - parsed, reason: 2)
                }
            }
            for i in 0 ..< w { write(base + 8 * i, 0) }
            write(counter, 0)
            drained += w
            drainedBuffers &+= 1
        }
        write(c + 8 * UInt64(TraceControlWord.drained), drained)
    }

    /// Records the events of one buffer's first `words` words; returns how many words held
    /// well-formed events (parsing stops at the first that is not).
    func parse(_ r: inout Registration, base: UInt64, words: UInt64, offset: UInt64, buffer: UInt64) -> UInt64 {
        var pos: UInt64 = 0
        var events: UInt64 = 0
        var data = [UInt64](repeating: 0, count: Int(TraceHeader.maxLength))
        while pos < words {
            let h = read(base + 8 * pos)
            let length = TraceHeader.length(h)
            let major = TraceHeader.major(h)
            // Guests log control (filler, heartbeat) and software classes only.
            guard h != 0, length != 0, pos + length <= words, major == TraceMajor.control || major >= 16 else { break }
            for i in 1 ..< length { data[Int(i - 1)] = read(base + 8 * (pos + i)) }
            let minor = TraceHeader.minor(h)
            if major == TraceMajor.control && minor == TraceEventID.heartbeat.minor && length >= 2 { r.lastCycle = data[0] }
            let cycle = unwrap(TraceHeader.timestamp(h), offset: offset, &r.lastCycle)
            if major == TraceMajor.control && minor == TraceEventID.filler.minor {
                fillers &+= 1
                recorder.record(cpu: r.cpu, cycle: cycle, .filler, length)
            } else {
                data.withUnsafeBufferPointer { p in
                    recorder.record(cpu: r.cpu, cycle: cycle, layer: TraceHeader.layer(h), major: major, minor: minor,
                                    data: UnsafeBufferPointer(rebasing: p[0 ..< Int(length - 1)]))
                }
                events &+= 1
                drainedEvents &+= 1
            }
            pos += length
        }
        recorder.record(cpu: r.cpu, cycle: r.lastCycle, .drain, buffer, events)
        return pos
    }

    /// The 64-bit cycle of a 32-bit guest timestamp, just after (or, by less than 2^20 cycles,
    /// just before) the previous event of the CPU.
    func unwrap(_ timestamp: UInt64, offset: UInt64, _ last: inout UInt64) -> UInt64 {
        let low = UInt32(truncatingIfNeeded: timestamp &+ offset)
        let delta = low &- UInt32(truncatingIfNeeded: last)
        let cycle = delta >= 0xFFF0_0000 ? last &- UInt64(0 &- delta) : last &+ UInt64(delta)
        last = cycle
        return cycle
    }
}
