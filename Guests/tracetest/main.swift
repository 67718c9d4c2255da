// tracetest: every CPU logs into its own trace buffers at once (docs/traces.md), for
// Tests/EmulatorTests/TraceGuestTests. Each CPU registers a ring of 4 buffers of 256 words (so
// the ring wraps many times and events straddle buffer boundaries: fillers), waits for all CPUs,
// then logs `events` sw.test.sequence events whose data are a tag (cpu << 32 | sequence) and a
// pattern of 0 ... 11 more words the host checks word by word, through every writer arity.
// CPU 0 then measures the guest-side cost with the clock device (functional mode: 1 instruction
// = 1 cycle) over 4096 iterations each: a bare loop, the same loop logging a class that is off
// (sw.user) and one logging a one-word sw.test.mark event; it reports the three cycle counts as
// sim-call trace markers 0x5452_0001 ... 3 and powers off with 0 once every CPU is done.
import Synchronization

let ready = Atomic<Int>(0)
let done = Atomic<Int>(0)
let sink = Atomic<UInt64>(0)
let events: UInt64 = 2000

/// Data word j (1 ... 11) of event `sequence` on `cpu`.
func pattern(_ cpu: UInt64, _ sequence: UInt64, _ j: UInt64) -> UInt64 {
    (cpu &* 0x9E37_79B9_7F4A_7C15) ^ (sequence &* 0xBF58_476D_1CE4_E5B9) ^ (j &* 0x94D0_49BB_1331_11EB)
}

func guestMain(cpu: Int) -> Int {
    let cpus = BootInfo.cpuCount
    let trace = Trace.start(bufferShift: 8, countShift: 2)
    _ = ready.wrappingAdd(1, ordering: .sequentiallyConsistent)
    while ready.load(ordering: .sequentiallyConsistent) < cpus { CPU.pause() }
    let c = UInt64(cpu)
    let words = UnsafeMutablePointer<UInt64>.allocate(capacity: 12)
    for i in 0 ..< events {
        let tag = c << 32 | i
        let extra = (i &* 7 &+ c) % 12
        switch i % 4 {
        case 0: trace.log(.testSequence, tag)
        case 1: trace.log(.testSequence, tag, pattern(c, i, 1), pattern(c, i, 2), pattern(c, i, 3))
        default:
            words[0] = tag
            var j: UInt64 = 1
            while j <= extra { words[Int(j)] = pattern(c, i, j); j += 1 }
            trace.log(.testSequence, words: words, count: Int(extra) + 1)
        }
    }
    if cpu == 0 {
        let n: UInt64 = 4096
        let t0 = Clock.cycles
        for i in 0 ..< n { sink.store(i, ordering: .relaxed) }
        let t1 = Clock.cycles
        for i in 0 ..< n { sink.store(i, ordering: .relaxed); trace.log(.userMark, i) }
        let t2 = Clock.cycles
        for i in 0 ..< n { sink.store(i, ordering: .relaxed); trace.log(.testMark, i) }
        let t3 = Clock.cycles
        SimCall.traceMarker(0x5452_0001, t1 &- t0)
        SimCall.traceMarker(0x5452_0002, t2 &- t1)
        SimCall.traceMarker(0x5452_0003, t3 &- t2)
    }
    _ = done.wrappingAdd(1, ordering: .sequentiallyConsistent)
    if cpu != 0 { return 0 }
    while done.load(ordering: .sequentiallyConsistent) < cpus { CPU.pause() }
    Console.write("tracetest: \(cpus) cpus, lost \(trace.lostEvents)\n")
    return 0
}
