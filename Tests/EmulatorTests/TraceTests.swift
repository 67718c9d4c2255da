// TraceTests: the trace machinery of docs/traces.md.
//   TraceFileTests      round trip through the recorder and the file, cycle order, and bad input:
//                       every truncation and thousands of corruptions give an error naming an
//                       offset (never a crash); `k42sim trace` on a bad file exits 2 with it
//   TraceDrainTests     GuestTraceBuffers against a hand-made control block: drained events, and
//                       every kind of loss recorded (ring full, torn, uncommitted, refused)
//   TraceHardwareTests  bare-metal images with known events, both ISAs: IPIs sent / delivered and
//                       the interrupts they cause (ipi.S), the exact exception list (cause, pc,
//                       address) of user_priv.S, L1D misses between the ROI sim-call markers of
//                       cache_sweep.S = the analytic LRU counts; same run = same file byte for byte
//   TraceGuestTests     Guests/tracetest on 8 CPUs, both ISAs: every CPU's 2000 events present,
//                       untorn, in timestamp order, ring wrapped with fillers, nothing lost; the
//                       guest-side cost per event
//   TracePerfettoTests  the Perfetto export decoded with Perfetto's own schema (Python, the
//                       `perfetto` and `protobuf` packages from PyPI installed under .build)
//                       agrees with `k42sim trace dump`; the Chrome JSON parses and has the events
import Foundation
import XCTest
@testable import Emulator
import Traces

/// Traced runs shared by the test classes (each made once per test process).
enum TraceRuns {
    static let directory: String = {
        let d = NSTemporaryDirectory() + "k42sim-traces-\(getpid())"
        try? FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
        return d
    }()
    nonisolated(unsafe) static var cache: [String: String] = [:]
    static let lock = NSLock()

    static func image(_ name: String, _ isa: String) throws -> String {
        try (isa == "mips64" ? BareMetalImageSet.mips64 : BareMetalImageSet.ppc64).build(name)
    }

    /// `k42sim boot ARGS --trace FILE`; returns FILE (cached by the arguments).
    static func boot(_ key: String, _ args: [String], expectStatus: Int32 = 0) throws -> String {
        lock.lock(); defer { lock.unlock() }
        if let f = cache[key] { return f }
        let file = "\(directory)/\(key).trace"
        let r = try ProcessRunner.run(try HostTools.k42sim(), ["boot"] + args + ["--trace", file], timeout: 600)
        guard r.status == expectStatus else { throw GuestToolError("boot \(args): status \(r.status)\n\(r.stderrText)") }
        cache[key] = file
        return file
    }

    static func ipi(_ isa: String) throws -> String {
        try boot("ipi-\(isa)", [try image("ipi", isa), "--cpus", "4", "--trace-events", "all"])
    }

    static func tracetest(_ isa: String) throws -> String {
        try boot("tracetest-\(isa)", ["--guest", "tracetest", "--isa", isa, "--cpus", "8", "--nodes", "2",
                                      "--root", GuestToolchainTests.projectRoot, "--trace-events", "sw.test,hw.simcall"])
    }

    static func cacheSweep(_ isa: String) throws -> String {
        let config = isa == "mips64" ? ["--config", "origin-mips64"] : ["--config", "power5-ppc64", "--set", "caches.l1d.replacement=lru"]
        return try boot("sweep-\(isa)", [try image("cache_sweep", isa), "--cpus", "1", "--nodes", "1"] + config
                        + ["--trace-events", "hw.cache,hw.coherence,hw.simcall"])
    }

    static func k42sim(_ args: [String]) throws -> ProcessResult {
        try ProcessRunner.run(try HostTools.k42sim(), args, timeout: 300)
    }
}

// MARK: - trace files

final class TraceFileTests: XCTestCase {
    func sample() -> [UInt8] {
        let r = TraceRecorder(cpus: 3, mask: ~0)
        r.record(cpu: 0, cycle: 50, .exception, 2, 0x400000, 0x10, 0x80000180, 0)
        r.record(cpu: 0, cycle: 10, .ipiSend, 1, 1010)
        r.record(cpu: 1, cycle: 1010, .ipiDeliver, 1)
        r.record(cpu: 0, cycle: 10, .simCall, 5, 6, 7)
        r.record(cpu: 2, cycle: 1 << 40, .idle, 0)
        r.record(cpu: 2, cycle: (1 << 40) + 5, .wake, 5)
        return r.fileBytes(isa: .mips64, nodes: 1, frequency: 1_000_000_000)
    }

    func testRoundTripKeepsEventsInCycleOrder() throws {
        let bytes = sample()
        XCTAssertEqual(bytes, sample(), "same events, same bytes")
        let t = try TraceFile.parse(bytes)
        XCTAssertEqual(t.cpus, 3)
        XCTAssertEqual(t.eventCount, 6)
        // CPU 0: the two events at cycle 10 keep their recording order, then cycle 50.
        XCTAssertEqual(t.events[0].map(\.cycle), [10, 10, 50])
        XCTAssertEqual(t.events[0].map { TraceCatalog.eventName(major: $0.major, minor: $0.minor) },
                       ["hw.ipi.send", "hw.simcall.call", "hw.exceptions.exception"])
        XCTAssertEqual(Array(t.events[0][2].data), [2, 0x400000, 0x10, 0x80000180, 0])
        XCTAssertEqual(t.events[2].map(\.cycle), [1 << 40, (1 << 40) + 5])
        XCTAssertEqual(TraceText.line(t.events[0][2], isa: .mips64),
                       "50 0 hw.exceptions.exception TLBL pc 0x400000 address 0x10 vector 0x80000180 flags 0")
        XCTAssertEqual(t.merged.map(\.cycle), [10, 10, 50, 1010, 1 << 40, (1 << 40) + 5])
    }

    func testEveryTruncationIsAnErrorWithAnOffset() throws {
        let bytes = sample()
        for n in 0 ..< bytes.count {
            do {
                _ = try TraceFile.parse(Array(bytes.prefix(n)))
                XCTFail("\(n) bytes parsed")
            } catch {
                XCTAssertLessThanOrEqual(error.offset, max(n, 64), "\(n) bytes: \(error)")
                XCTAssertTrue(error.description.hasPrefix("offset 0x"), error.description)
            }
        }
    }

    func testCorruptFilesNeverCrash() throws {
        let bytes = sample()
        var rng = SplitMix64(seed: 42)
        var refused = 0
        for trial in 0 ..< 4000 {
            var b = bytes
            for _ in 0 ..< 1 + trial % 3 {
                let i = Int(rng.next() % UInt64(b.count))
                b[i] = trial % 2 == 0 ? b[i] ^ UInt8(1 << (rng.next() % 8)) : UInt8(truncatingIfNeeded: rng.next())
            }
            do { _ = try TraceFile.parse(b) } catch {
                refused += 1
                XCTAssertLessThan(error.offset, b.count + 1)
            }
        }
        XCTAssertGreaterThan(refused, 2000)
        // Specific problems name their place.
        var b = bytes
        b[0] ^= 1
        XCTAssertThrowsError(try TraceFile.parse(b)) { XCTAssertEqual(($0 as! TraceFileError).offset, 0) }
        b = bytes
        b[8 * 16 + 8 * 4 + 8 + 4] ^= 1          // CPU 0's first record: its header's timestamp field
        XCTAssertThrowsError(try TraceFile.parse(b)) {
            XCTAssertEqual(($0 as! TraceFileError).offset, 8 * 16 + 8 * 4 + 8)
            XCTAssertTrue("\($0)".contains("timestamp"), "\($0)")
        }
        XCTAssertThrowsError(try TraceFile.parse(bytes + [0, 0, 0, 0, 0, 0, 0, 0])) { XCTAssertTrue("\($0)".contains("garbage"), "\($0)") }
    }

    func testTraceCommandReportsTheOffsetOfABadFile() throws {
        let path = TraceRuns.directory + "/truncated.trace"
        let bytes = sample()
        FileManager.default.createFile(atPath: path, contents: Data(bytes.prefix(bytes.count - 12)))
        for sub in ["dump", "stats"] {
            let r = try TraceRuns.k42sim(["trace", sub, path])
            XCTAssertEqual(r.status, 2, r.stderrText)
            XCTAssertTrue(r.stderrText.contains("offset 0x"), r.stderrText)
            XCTAssertTrue(r.stderrText.contains("truncated"), r.stderrText)
        }
        let r = try TraceRuns.k42sim(["trace", "export", path, "--perfetto", path + ".pf"])
        XCTAssertEqual(r.status, 2, r.stderrText)
        let bad = try TraceRuns.k42sim(["boot", "--trace-events", "hw.nothing", "--trace", path, try TraceRuns.image("ipi", "mips64")])
        XCTAssertEqual(bad.status, 2)
        XCTAssertTrue(bad.stderrText.contains("unknown trace event class 'hw.nothing'"), bad.stderrText)
    }
}

// MARK: - draining guest buffers

final class TraceDrainTests: XCTestCase {
    let control: UInt64 = 0x1000, array: UInt64 = 0x4000
    var ram: PhysicalMemory!
    var recorder: TraceRecorder!
    var buffers: GuestTraceBuffers!

    override func setUp() {
        ram = PhysicalMemory(maxBytes: 1 << 20)
        for _ in 0 ..< 64 { _ = ram.allocateFrame() }
        recorder = TraceRecorder(cpus: 1, mask: TraceMajor.softwareMask)
        buffers = GuestTraceBuffers(recorder: recorder, ram: ram, ramBytes: 64 << 12)
        buffers.cycleOf = { _ in 1000 }
    }

    func w(_ word: Int, _ v: UInt64) { buffers.write(control + 8 * UInt64(word), v) }
    func r(_ word: Int) -> UInt64 { buffers.read(control + 8 * UInt64(word)) }

    /// A control block for 2 buffers of 256 words, registered at cycle 1000.
    func register() {
        w(TraceControlWord.geometry, 8 | 1 << 8)
        w(TraceControlWord.magic, TraceControlWord.magicValue)
        w(TraceControlWord.physical, control)
        buffers.simCall(TraceSimCall.register, control, array, cpu: 0)
    }

    /// Writes an event of `length` words at `index` as the guest does (not committed).
    func put(_ index: UInt64, length: UInt64, timestamp: UInt64, id: TraceEventID = .testMark) {
        let base = array + 8 * (index & 511)
        for i in 1 ..< length { buffers.write(base + 8 * i, index * 100 + i) }
        buffers.write(base, TraceHeader.make(timestamp: timestamp, length: length, bits: id.headerBits))
    }

    func commit(_ buffer: Int, _ words: UInt64) { w(TraceControlWord.committed + buffer, r(TraceControlWord.committed + buffer) + words) }

    func lost() -> [[UInt64]] {
        let t = try! TraceFile.parse(recorder.fileBytes(isa: .mips64, nodes: 1, frequency: 1_000_000_000))
        return t.events[0].filter { $0.major == 0 && $0.minor == TraceEventID.lost.minor }.map { Array($0.data) }
    }

    func testCompleteBuffersAreDrainedAndTimestampsUnwrapped() throws {
        register()
        XCTAssertEqual(r(TraceControlWord.mask), TraceMajor.softwareMask | 1)
        // Buffer 0: 85 events of 3 words and a filler of 1 word; the timestamps wrap past 2^32.
        var i: UInt64 = 0
        var ts: UInt64 = 1000
        while i < 255 { put(i, length: 3, timestamp: ts & 0xFFFF_FFFF); i += 3; ts += 0x4000_0000 }
        put(255, length: 1, timestamp: ts & 0xFFFF_FFFF, id: .filler)
        commit(0, 256)
        w(TraceControlWord.index, 256)
        buffers.simCall(TraceSimCall.bufferFull, control, 0, cpu: 0)
        XCTAssertEqual(r(TraceControlWord.drained), 256)
        XCTAssertEqual(r(TraceControlWord.committed), 0)
        XCTAssertEqual(buffers.read(array), 0, "drained buffers are zeroed")
        let t = try TraceFile.parse(recorder.fileBytes(isa: .mips64, nodes: 1, frequency: 1_000_000_000))
        let marks = t.events[0].filter { $0.major == TraceMajor.swTest }
        XCTAssertEqual(marks.count, 85)
        XCTAssertEqual(marks.map(\.cycle), (0 ..< 85).map { 1000 + UInt64($0) * 0x4000_0000 })
        XCTAssertEqual(Array(marks[1].data), [301, 302])
        XCTAssertEqual(t.events[0].filter { $0.minor == TraceEventID.filler.minor && $0.major == 0 }.count, 1)
        XCTAssertEqual(lost(), [])
    }

    func testEveryLossIsRecorded() throws {
        register()
        // Buffer 0 complete but for a writer that never commits; buffer 1 has a torn event.
        put(0, length: 4, timestamp: 1100)
        put(4, length: 252, timestamp: 1200)
        commit(0, 4)                       // the 252-word event is not committed
        put(256, length: 2, timestamp: 1300)
        buffers.write(array + 8 * 258, TraceHeader.make(timestamp: 1400, length: 200, bits: TraceEventID.testMark.headerBits))
        commit(1, 100)                     // reserved 100 words of buffer 1: the 200-word event runs past them
        w(TraceControlWord.index, 356)
        w(TraceControlWord.lost, 7)        // the guest dropped 7 events (ring full)
        buffers.simCall(TraceSimCall.bufferFull, control, 1, cpu: 0)
        XCTAssertEqual(r(TraceControlWord.drained), 0, "buffer 0 is incomplete: nothing drained")
        buffers.drainAll()
        XCTAssertEqual(lost(), [[7, 0, 1], [1, 252, 3], [1, 98, 2]])
        // A refused registration.
        buffers.simCall(TraceSimCall.register, 0x3, array, cpu: 0)
        buffers.simCall(TraceSimCall.bufferFull, 0x8000, 0, cpu: 0)
        XCTAssertEqual(lost().last, [0, 0, 4])
        XCTAssertEqual(buffers.problems.count, 2, "\(buffers.problems)")
        XCTAssertEqual(buffers.lostEvents, 9)
    }
}

// MARK: - hardware events

final class TraceHardwareTests: XCTestCase {
    func names(_ es: [TraceEvent]) -> [String] { es.map { TraceCatalog.eventName(major: $0.major, minor: $0.minor) } }
    func count(_ t: TraceFile, _ cpu: Int, _ id: TraceEventID) -> Int {
        t.events[cpu].filter { $0.major == id.major && $0.minor == id.minor }.count
    }

    func testIPIsSentDeliveredAndTakenMIPS64() throws {
        let t = try TraceFile.read(path: try TraceRuns.ipi("mips64"))
        let sends = t.events[0].filter { $0.major == TraceMajor.hwIPI && $0.minor == 0 }
        XCTAssertEqual(sends.map { $0[0] }, [3, 2, 1])
        XCTAssertEqual(sends.map { $0[1] }, sends.map { $0.cycle + 1000 }, "arrival = send + ipiLatency")
        for cpu in 1 ... 3 {
            XCTAssertEqual(count(t, cpu, .ipiDeliver), 1)
            XCTAssertEqual(count(t, cpu, .interrupt), 1)
            XCTAssertEqual(count(t, cpu, .exceptionReturn), 1)
            let deliver = t.events[cpu].first { $0.major == TraceMajor.hwIPI }!
            XCTAssertEqual(deliver.cycle, sends.first { $0[0] == UInt64(cpu) }![1])
            let irq = t.events[cpu].first { $0.major == TraceMajor.hwExceptions }!
            XCTAssertEqual(irq[0], 0, "ExcCode Int")
            XCTAssertEqual(irq[2] & 0x04, 0x04, "Cause.IP2: the interrupt controller")
            XCTAssertEqual(irq.cycle, deliver.cycle, "taken at the delivery cycle")
        }
        XCTAssertEqual(count(t, 0, .interrupt) + count(t, 0, .exception), 0)
    }

    func testIPIsSentDeliveredAndTakenPPC64() throws {
        let t = try TraceFile.read(path: try TraceRuns.ipi("ppc64"))
        XCTAssertEqual(t.events[0].filter { $0.major == TraceMajor.hwIPI && $0.minor == 0 }.map { $0[0] }.sorted(), [1, 2, 3])
        XCTAssertEqual(count(t, 0, .ipiDeliver), 3)
        XCTAssertTrue((1 ... 3).contains(count(t, 0, .interrupt)), "IPIs to one CPU may coalesce")
        for cpu in 1 ... 3 {
            XCTAssertEqual(t.events[cpu].filter { $0.major == TraceMajor.hwIPI && $0.minor == 0 }.map { $0[0] }, [0])
            XCTAssertEqual(count(t, cpu, .ipiDeliver), 1)
            XCTAssertEqual(count(t, cpu, .interrupt), 1)
            XCTAssertEqual(t.events[cpu].first { $0.major == TraceMajor.hwExceptions }![0], 0x500, "external interrupt")
        }
        for cpu in 0 ..< 4 { XCTAssertEqual(count(t, cpu, .exception), 0) }
    }

    func testExceptionCausesAndPCsOfUserPrivileged() throws {
        // MIPS: ExcCode, EPC, BadVAddr (user_priv.S; the run ends with the exit syscall).
        let m = try TraceFile.read(path: try TraceRuns.boot("user_priv-mips64", [try TraceRuns.image("user_priv", "mips64"), "--trace-events", "hw.exceptions"]))
        let me = m.events[0].filter { $0.major == TraceMajor.hwExceptions && $0.minor == 0 }
        XCTAssertEqual(me.map { [$0[0], $0[1]] }, [[11, 0x400000], [4, 0x400008], [5, 0x40001c], [11, 0x400020], [10, 0x400024],
                                                   [10, 0x400028], [11, 0x40002c], [8, 0x400034]])
        XCTAssertEqual(me[1][2], 0xFFFF_FFFF_8010_0000)
        XCTAssertEqual(me[2][2], 0x9000_0000_0010_0008)
        XCTAssertEqual(count(m, 0, .exceptionReturn), 8, "eret to user mode, then one per skipped instruction")
        // PPC: vector, SRR0, DAR.
        let p = try TraceFile.read(path: try TraceRuns.boot("user_priv-ppc64", [try TraceRuns.image("user_priv", "ppc64"), "--trace-events", "hw.exceptions"]))
        let pe = p.events[0].filter { $0.major == TraceMajor.hwExceptions && $0.minor == 0 }
        XCTAssertEqual(pe.map { [$0[0], $0[1]] }, [[0x700, 0x1000_0000], [0x300, 0x1000_000c], [0x300, 0x1000_0010], [0x380, 0x1000_0018],
                                                   [0x700, 0x1000_001c], [0x800, 0x1000_0020], [0x700, 0x1000_0024], [0x700, 0x1000_0028],
                                                   [0xC00, 0x1000_0030]])
        XCTAssertEqual(pe[1][2], 0x1000_2000)
        XCTAssertEqual(pe[3][2], 0x2000_0000)
        XCTAssertEqual(count(p, 0, .exceptionReturn), 9)
    }

    /// L1D misses between each region's two sim-call markers, per region.
    func regionMisses(_ t: TraceFile, begin: UInt64, end: UInt64) -> [Int] {
        var out: [Int] = []
        var inside = false
        var n = 0
        for e in t.events[0] {
            if e.major == TraceMajor.hwSimCall {
                if e[0] == begin { inside = true; n = 0 }
                if e[0] == end && inside { out.append(n); inside = false }
            } else if inside && e.major == TraceMajor.hwCache && e.minor == TraceEventID.l1dMiss.minor {
                n += 1
            }
        }
        return out
    }

    func testCacheSweepMissesMatchTheAnalyticCounts() throws {
        typealias E = TimingExpectations
        for (isa, ways, begin, end) in [("mips64", 2, UInt64(1), UInt64(2)), ("ppc64", 4, 3, 4)] {
            let t = try TraceFile.read(path: try TraceRuns.cacheSweep(isa))
            let expected = E.sweeps.map { E.expectedMisses(size: $0.0, stride: $0.1, line: 128, sets: 32768 / 128 / ways, ways: ways) }
            XCTAssertEqual(regionMisses(t, begin: begin, end: end), expected, isa)
            XCTAssertGreaterThan(count(t, 0, .l2Miss), 0)
            XCTAssertEqual(count(t, 0, .l2Miss), count(t, 0, .coherenceRequest), "\(isa): each L2 miss is one directory request")
        }
    }

    func testSameRunSameTraceFile() throws {
        for isa in ["mips64", "ppc64"] {
            let a = try TraceRuns.ipi(isa)
            let b = TraceRuns.directory + "/ipi-again-\(isa).trace"
            let r = try TraceRuns.k42sim(["boot", try TraceRuns.image("ipi", isa), "--cpus", "4", "--trace-events", "all", "--trace", b])
            XCTAssertEqual(r.status, 0, r.stderrText)
            XCTAssertEqual(FileManager.default.contents(atPath: a), FileManager.default.contents(atPath: b), isa)
        }
    }
}

// MARK: - guest events

final class TraceGuestTests: XCTestCase {
    static let events: UInt64 = 2000

    func check(_ isa: String) throws {
        let t = try TraceFile.read(path: try TraceRuns.tracetest(isa))
        XCTAssertEqual(t.cpus, 8)
        for cpu in 0 ..< 8 {
            let es = t.events[cpu]
            let seq = es.filter { $0.major == TraceMajor.swTest && $0.minor == TraceEventID.testSequence.minor }
            XCTAssertEqual(seq.count, Int(Self.events), "\(isa) cpu \(cpu)")
            // The file is in cycle order, so in-order tags mean buffer order = timestamp order.
            for (i, e) in seq.enumerated() {
                let s = UInt64(i), c = UInt64(cpu)
                guard e[0] == c << 32 | s else { XCTFail("\(isa) cpu \(cpu): event \(i) has tag 0x\(String(e[0], radix: 16))"); break }
                let extra: UInt64 = s % 4 == 0 ? 0 : s % 4 == 1 ? 3 : (s &* 7 &+ c) % 12
                XCTAssertEqual(UInt64(e.data.count), 1 + extra, "\(isa) cpu \(cpu) event \(i)")
                for j in 1 ... max(1, extra) where j <= extra {
                    XCTAssertEqual(e[Int(j)], pattern(c, s, j), "\(isa) cpu \(cpu) event \(i) word \(j): torn")
                }
            }
            XCTAssertGreaterThan(es.filter { $0.major == 0 && $0.minor == TraceEventID.filler.minor }.count, 0, "\(isa) cpu \(cpu): fillers")
            XCTAssertGreaterThan(es.filter { $0.major == 0 && $0.minor == TraceEventID.drain.minor }.count, 8, "\(isa) cpu \(cpu): the 4-buffer ring wrapped")
            XCTAssertEqual(es.filter { $0.major == 0 && $0.minor == TraceEventID.lost.minor }.count, 0, "\(isa) cpu \(cpu): lost")
            // Timestamps are the cycles the guest logged at: after the registration, before the end.
            let start = es.first { $0.major == 0 && $0.minor == TraceEventID.traceStart.minor }!
            XCTAssertGreaterThan(seq.first!.cycle, start.cycle)
        }
        let marks = t.events[0].filter { $0.major == TraceMajor.swTest && $0.minor == TraceEventID.testMark.minor }
        XCTAssertEqual(marks.map { $0[0] }, Array(0 ..< 4096))
        XCTAssertEqual(t.events.flatMap { $0 }.filter { $0.major == TraceMajor.swUser }.count, 0, "sw.user is off")
    }

    func pattern(_ cpu: UInt64, _ sequence: UInt64, _ j: UInt64) -> UInt64 {
        (cpu &* 0x9E37_79B9_7F4A_7C15) ^ (sequence &* 0xBF58_476D_1CE4_E5B9) ^ (j &* 0x94D0_49BB_1331_11EB)
    }

    func testEightCPUsLogAtOnceMIPS64() throws { try check("mips64") }
    func testEightCPUsLogAtOncePPC64() throws { try check("ppc64") }

    func testGuestSideCostPerEvent() throws {
        for isa in ["mips64", "ppc64"] {
            let t = try TraceFile.read(path: try TraceRuns.tracetest(isa))
            var m: [UInt64: UInt64] = [:]
            for e in t.events[0] where e.major == TraceMajor.hwSimCall && e[0] == 5 { m[e[1]] = e[2] }
            guard let bare = m[0x5452_0001], let off = m[0x5452_0002], let on = m[0x5452_0003] else { return XCTFail("\(isa): no figures") }
            let mask = Double(off - bare) / 4096, log = Double(on - bare) / 4096
            print("trace cost \(isa): mask test \(mask) instructions, log a 1-word event \(log) instructions")
            XCTAssertLessThanOrEqual(mask, 6, isa)
            XCTAssertLessThanOrEqual(log, 80, isa)
        }
    }
}

// MARK: - Perfetto and Chrome JSON

final class TracePerfettoTests: XCTestCase {
    /// A directory with Perfetto's Python protos and protobuf, installed from PyPI once.
    static func pythonPath() throws -> String {
        let dir = GuestToolchainTests.projectRoot + "/.build/python-perfetto"
        let marker = dir + "/perfetto/protos/perfetto/trace/perfetto_trace_pb2.py"
        if FileManager.default.fileExists(atPath: marker) { return dir }
        let tmp = dir + ".tmp-\(getpid())"
        let r = try ProcessRunner.run(try HostTools.find("python3", package: "python3"),
                                      ["-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--target", tmp,
                                       "perfetto==0.59.1", "protobuf"], timeout: 600)
        guard r.status == 0 else { throw GuestToolError("pip install perfetto protobuf failed:\n\(r.stderrText)") }
        if rename(tmp, dir) != 0 { try? FileManager.default.removeItem(atPath: tmp) }
        return dir
    }

    func check(_ trace: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let pf = trace + ".pftrace", dump = trace + ".dump"
        let e = try TraceRuns.k42sim(["trace", "export", trace, "--perfetto", pf, "--chrome-json", trace + ".json"])
        XCTAssertEqual(e.status, 0, e.stderrText, file: file, line: line)
        let d = try TraceRuns.k42sim(["trace", "dump", trace])
        XCTAssertEqual(d.status, 0, file: file, line: line)
        FileManager.default.createFile(atPath: dump, contents: Data(d.stdout))
        let script = GuestToolchainTests.projectRoot + "/Tests/Traces/check_perfetto.py"
        let py = try ProcessRunner.run("/usr/bin/env", ["PYTHONPATH=\(try Self.pythonPath())", "python3", script, pf, dump], timeout: 300)
        XCTAssertEqual(py.status, 0, py.stdoutText + py.stderrText, file: file, line: line)
        XCTAssertTrue(py.stdoutText.hasPrefix("perfetto ok"), py.stdoutText, file: file, line: line)
        print("\((trace as NSString).lastPathComponent): \(py.stdoutText)", terminator: "")
        // Chrome JSON: valid JSON with one trace event per exported item (plus metadata).
        let json = try JSONSerialization.jsonObject(with: FileManager.default.contents(atPath: trace + ".json")!) as! [String: Any]
        let events = json["traceEvents"] as! [[String: Any]]
        let t = try TraceFile.read(path: trace)
        XCTAssertEqual(events.filter { ($0["ph"] as? String) != "M" }.count, Timeline(t).items.count, file: file, line: line)
        // Exports are deterministic too.
        let again = try TraceRuns.k42sim(["trace", "export", trace, "--perfetto", pf + "2"])
        XCTAssertEqual(again.status, 0)
        XCTAssertEqual(FileManager.default.contents(atPath: pf), FileManager.default.contents(atPath: pf + "2"), file: file, line: line)
    }

    func testPerfettoExportDecodesWithPerfettoSchema() throws {
        try check(try TraceRuns.ipi("mips64"))        // slices (interrupts, idle) and instants
        try check(try TraceRuns.ipi("ppc64"))
        try check(try TraceRuns.cacheSweep("ppc64"))  // counter tracks, 250 MHz -> ns
        try check(try TraceRuns.tracetest("mips64"))  // software tracks
    }
}

// MARK: - the K42 kernel's events

final class TraceKernelTests: XCTestCase {
    /// test=threads on 8 CPUs: every CPU's logged context switches before it reports its counters
    /// equal its contextSwitches counter (report key 0x4B43_000B); trap entries pair with exits;
    /// nothing lost; the kernel's events interleave with the hardware's on one timeline.
    func check(_ isa: String) throws {
        let file = try TraceRuns.boot("kernel-\(isa)", ["--isa", isa, "--cpus", "8", "--nodes", "2", "--root", GuestToolchainTests.projectRoot,
                                                        "--kernel-args", "test=threads quiet", "--trace-events", "sw.all,hw.simcall,hw.exceptions"])
        let t = try TraceFile.read(path: file)
        for cpu in 0 ..< 8 {
            let es = t.events[cpu]
            guard let report = es.first(where: { $0.major == TraceMajor.hwSimCall && $0[0] == 5 && $0[1] == 0x4B43_000B }) else {
                XCTFail("\(isa) cpu \(cpu): no contextSwitches report"); continue
            }
            let switches = es.filter { $0.major == TraceMajor.swSched && $0.cycle < report.cycle }.count
            XCTAssertEqual(UInt64(switches), report[2], "\(isa) cpu \(cpu)")
            XCTAssertGreaterThan(switches, 0, "\(isa) cpu \(cpu)")
            let entries = es.filter { $0.major == TraceMajor.swExceptions && $0.minor == 0 }.count
            let exits = es.filter { $0.major == TraceMajor.swExceptions && $0.minor == 1 }.count
            XCTAssertGreaterThan(entries, 0, "\(isa) cpu \(cpu)")
            XCTAssertTrue(exits == entries || exits == entries - 1, "\(isa) cpu \(cpu): \(entries) trap entries, \(exits) exits")
            let taken = es.filter { $0.major == TraceMajor.hwExceptions && $0.minor <= 1 }.count
            XCTAssertLessThanOrEqual(entries, taken, "\(isa) cpu \(cpu): every kernel trap follows a hardware exception")
            XCTAssertEqual(es.filter { $0.major == 0 && $0.minor == TraceEventID.lost.minor }.count, 0, "\(isa) cpu \(cpu): lost")
        }
    }

    func testKernelLogsTrapsAndSwitchesMIPS64() throws { try check("mips64") }
    func testKernelLogsTrapsAndSwitchesPPC64() throws { try check("ppc64") }
}
