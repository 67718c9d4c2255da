// MIPS64TimingTests: full-system MIPS64 with the timing model on (`k42sim boot --config ...`),
// on the bare-metal images of Tests/BareMetal/mips64 — every expectation is computed here from
// the machine description or by enumeration, never by running the model:
//   cache sweeps   L1D misses of working-set / stride sweeps (between sim-call reset and dump)
//                  equal the analytic count for the configured LRU geometry
//   litmus         MP, SB, LB, IRIW, 2+2W with and without sync: every observed outcome is
//                  sequentially consistent (enumerated interleavings); the model is SC by
//                  construction, so the relaxed outcomes MIPS allows without sync never appear
//                  either (TimingExpectations.litmus names them); the 2-thread tests show every
//                  SC outcome
//   stress         random loads/stores/LL-SC/cache ops on 8 CPUs with checking mode (invariants
//                  after every transaction, value tracking) on three coherence set-ups
//   NUMA           ping-pong of a line: remote partners cost exactly 2 x msg latency more per
//                  access than a partner on the same node; placement by home node moves the
//                  local/remote fill counts
//   determinism    statistics (text and JSON) and config.json of two runs are identical
//   options        --cpus/--set conflicts, --timing off keeps 1 instruction = 1 cycle
import Foundation
import XCTest
@testable import Emulator

final class MIPS64TimingTests: XCTestCase {
    typealias E = TimingExpectations

    func boot(_ name: String, _ args: [String], file: StaticString = #filePath, line: UInt = #line) throws -> ProcessResult {
        let image = try BareMetalImages.build(name)
        return try ProcessRunner.run(try HostTools.k42sim(), ["boot", image] + args, timeout: 600)
    }

    func tempDir() -> String {
        let d = NSTemporaryDirectory() + "k42sim-timing-\(getpid())-\(UUID().uuidString.prefix(8))"
        try? FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: d) }
        return d
    }

    func stats(_ path: String) throws -> StatsFile {
        try StatsFile.parse(String(decoding: FileManager.default.contents(atPath: path) ?? Data(), as: UTF8.self))
    }

    func value(_ dump: StatsReport, _ name: String, file: StaticString = #filePath, line: UInt = #line) -> UInt64 {
        guard let e = dump.entries.first(where: { $0.name == name }), let v = UInt64(e.value) else {
            XCTFail("no statistic \(name)", file: file, line: line)
            return .max
        }
        return v
    }

    // MARK: analytic cache sweeps

    func testCacheSweepsMatchLRUGeometry() throws {
        // (size, ways): origin-mips64's 32 KiB 2-way, an 8 KiB 4-way and a 16 KiB direct-mapped L1D.
        for (size, ways) in [(32768, 2), (8192, 4), (16384, 1)] {
            let dir = tempDir()
            let r = try boot("cache_sweep", ["--config", "origin-mips64", "--cpus", "1", "--nodes", "1",
                                             "--set", "caches.l1d.size=\(size)", "--set", "caches.l1d.associativity=\(ways)",
                                             "--stats-file", "\(dir)/stats.txt"])
            XCTAssertEqual(r.stdoutText, "sweeps \(E.sweeps.count)\n", r.stderrText)
            XCTAssertEqual(r.status, 0, r.stderrText)
            let f = try stats("\(dir)/stats.txt")
            XCTAssertEqual(f.dumps.count, E.sweeps.count + 1)   // one per sweep + the final one
            let line = 128, sets = size / line / ways
            for (i, (bytes, stride)) in E.sweeps.enumerated() where i < f.dumps.count {
                let d = f.dumps[i]
                let loads = UInt64(E.passes * ((bytes + stride - 1) / stride))
                let what = "L1D \(size)/\(ways)-way, sweep \(bytes) B stride \(stride)"
                XCTAssertEqual(value(d, "system.cpu0.dcache.overallMisses::total"),
                               UInt64(E.expectedMisses(size: bytes, stride: stride, line: line, sets: sets, ways: ways)), what)
                XCTAssertEqual(value(d, "system.cpu0.dcache.overallAccesses::total"), loads, what)
                XCTAssertEqual(value(d, "system.cpu0.mmu.dtb.rdAccesses"), loads, what)
                // The one store is the sim-call store that triggers the dump (counted as executed).
                XCTAssertEqual(value(d, "system.cpu0.mmu.dtb.wrAccesses"), 1, what)
            }
            XCTAssertTrue(FileManager.default.fileExists(atPath: "\(dir)/config.json"))
        }
    }

    // MARK: litmus tests

    func testLitmusOutcomesAreSequentiallyConsistent() throws {
        var seen: [String: Set<Int>] = [:]
        for extra in [["--quantum", "5"], ["--quantum", "13"], ["--timing", "off", "--quantum", "7"]] {
            let r = try boot("litmus", ["--config", "origin-mips64", "--cpus", "4", "--nodes", "2"] + extra)
            XCTAssertEqual(r.status, 0, r.stderrText)
            let c = E.checkLitmus(r.stdoutText, variants: ["nosync", "sync"])
            XCTAssertEqual(c.problems, [], "\(extra)")
            seen.merge(c.seen) { $0.union($1) }
        }
        for t in E.litmus where t.name != "IRIW" { XCTAssertEqual(seen[t.name], t.sc, "\(t.name): every SC outcome appears") }
        XCTAssertGreaterThanOrEqual(seen["IRIW"]?.count ?? 0, 8)
    }

    // MARK: randomized stress with checking mode

    func testRandomStressWithCheckingMode() throws {
        let expected = "stress: ok \(E.expectedIncrements(cpus: 8))\n"
        for config in [["--config", "origin-mips64"],
                       ["--config", "numa-16x4", "--cpus", "8", "--nodes", "2", "--set", "topology.meshColumns=2"],
                       ["--config", "power5-ppc64", "--set", "isa=mips64"]] {
            let r = try boot("stress", config + ["--check-coherence", "--quantum", "20"])
            XCTAssertEqual(r.stdoutText, expected, "\(config): \(r.stderrText)")
            XCTAssertEqual(r.status, 0, "\(config): \(r.stderrText)")
        }
    }

    // MARK: NUMA

    func testNUMAPingPongAndPlacement() throws {
        let dir = tempDir()
        let r = try boot("numa", ["--config", "origin-mips64", "--stats-file", "\(dir)/stats.txt"])
        XCTAssertEqual(r.status, 0, r.stderrText)
        var sums: [Int: (UInt64, UInt64)] = [:]
        for l in r.stdoutText.split(separator: "\n") {
            let f = l.split(separator: " ")
            guard f.count == 4, f[0] == "pingpong", let p = Int(f[1]), let a = UInt64(f[2]), let b = UInt64(f[3]) else {
                XCTFail("unexpected line \(l)"); continue
            }
            sums[p] = (a, b)
        }
        XCTAssertEqual(Set(sums.keys), [1, 2, 6], r.stdoutText)
        // Each ping-pong access (a load taking the line from the other CPU's M or S copy, a store
        // invalidating its S copy) sends two messages between the partner's node and node 0 (the
        // home and CPU 0's node) on its critical path; a round is one load + store per CPU.
        let d = MachineDescription.preset("origin-mips64")!
        func msg(_ node: Int) -> UInt64 {
            node == 0 ? 0 : UInt64(d.topology.routerLatency + (node ^ 0).nonzeroBitCount * d.topology.hopLatency)
        }
        let rounds: UInt64 = 20
        guard let local = sums[1] else { return }
        for p in [2, 6] {
            guard let s = sums[p] else { continue }
            let extra = rounds * 2 * 2 * msg(d.node(ofCPU: p))
            XCTAssertEqual(s.0, local.0 + extra, "CPU 0's accesses with partner \(p)")
            XCTAssertEqual(s.1, local.1 + extra, "partner \(p)'s accesses")
        }
        // Placement: CPU 2 (node 1) loads 64 lines of node 1's memory (dump 1), then of node 0's (dump 2).
        let f = try stats("\(dir)/stats.txt")
        XCTAssertEqual(f.dumps.count, 4)
        guard f.dumps.count >= 3 else { return }
        XCTAssertEqual(value(f.dumps[1], "system.numa.localFills::node1"), 64)
        XCTAssertEqual(value(f.dumps[1], "system.numa.remoteFills::node1"), 0)
        XCTAssertEqual(value(f.dumps[2], "system.numa.localFills::node1"), 0)
        XCTAssertEqual(value(f.dumps[2], "system.numa.remoteFills::node1"), 64)
        for i in 1 ... 2 { XCTAssertEqual(value(f.dumps[i], "system.cpu2.dcache.overallMisses::total"), 64) }
    }

    // MARK: determinism and options

    func testStatisticsAreDeterministic() throws {
        func run() throws -> (String, String, String) {
            let dir = tempDir()
            let r = try boot("numa", ["--config", "origin-mips64", "--stats-file", "\(dir)/stats.txt", "--stats-json", "\(dir)/j/stats.json"])
            XCTAssertEqual(r.status, 0, r.stderrText)
            func read(_ p: String) -> String { String(decoding: FileManager.default.contents(atPath: p) ?? Data(), as: UTF8.self) }
            let text = read("\(dir)/stats.txt").split(separator: "\n").filter { !$0.hasPrefix("host") }.joined(separator: "\n")
            let json = try StatsFile.parse(read("\(dir)/j/stats.json"))
            XCTAssertEqual(json.dumps.count, 4)
            XCTAssertEqual(read("\(dir)/config.json"), read("\(dir)/j/config.json"))
            return (r.stdoutText, text, read("\(dir)/config.json"))
        }
        let a = try run(), b = try run()
        XCTAssertEqual(a.0, b.0)
        XCTAssertEqual(a.1, b.1)
        XCTAssertEqual(a.2, b.2)
        XCTAssertTrue(a.1.contains("system.cpu7.numCycles"))
        XCTAssertTrue(a.2.contains("\"origin-mips64\""))
    }

    func testBootOptions() throws {
        let conflict = try boot("spinlock", ["--config", "origin-mips64", "--cpus", "4", "--set", "cpus=4"])
        XCTAssertEqual(conflict.status, 2)
        XCTAssertTrue(conflict.stderrText.contains("--cpus conflicts with --set cpus"), conflict.stderrText)
        let wrongISA = try boot("spinlock", ["--config", "power5-ppc64"])
        XCTAssertEqual(wrongISA.status, 2)
        XCTAssertTrue(wrongISA.stderrText.contains("is ppc64"), wrongISA.stderrText)
        let badTiming = try boot("spinlock", ["--timing", "maybe"])
        XCTAssertEqual(badTiming.status, 2)
        let badSet = try boot("spinlock", ["--config", "origin-mips64", "--set", "caches.l1d.associativity=3"])
        XCTAssertEqual(badSet.status, 2)
        XCTAssertTrue(badSet.stderrText.contains("caches.l1d.associativity"), badSet.stderrText)
        // --timing off with a description: functional, 1 instruction = 1 cycle (plus idle cycles).
        let dir = tempDir()
        let off = try boot("spinlock", ["--config", "origin-mips64", "--timing", "off", "--stats-file", "\(dir)/s.txt"])
        XCTAssertEqual(off.stdoutText, "spinlock: counter 1600\n", off.stderrText)
        let f = try stats("\(dir)/s.txt")
        let last = f.dumps.last!
        for c in 0 ..< 8 {
            XCTAssertEqual(value(last, "system.cpu\(c).numCycles"),
                           value(last, "system.cpu\(c).committedInsts") + value(last, "system.cpu\(c).idleCycles"))
        }
        XCTAssertFalse(last.entries.contains { $0.name.contains("dcache") })
        // TLB statistics from the software-refill path: tlb_user takes exactly one refill, for
        // the first user-mode instruction fetch.
        let tu = try boot("tlb_user", ["--config", "origin-mips64", "--cpus", "1", "--nodes", "1", "--stats-file", "\(dir)/tu.txt"])
        XCTAssertEqual(tu.status, 0, tu.stderrText)
        let tud = try stats("\(dir)/tu.txt").dumps.last!
        XCTAssertEqual(value(tud, "system.cpu0.mmu.itb.rdMisses"), 1)
        XCTAssertEqual(value(tud, "system.cpu0.mmu.dtb.rdMisses") + value(tud, "system.cpu0.mmu.dtb.wrMisses"), 0)
        // --write-config without a description writes the functional machine actually used.
        let wc = try boot("spinlock", ["--cpus", "2", "--write-config", "\(dir)/wc"])
        XCTAssertEqual(wc.stdoutText, "spinlock: counter 400\n", wc.stderrText)
        let cfg = try MachineDescription.decode(FileManager.default.contents(atPath: "\(dir)/wc/config.json") ?? Data(), origin: "test")
        XCTAssertEqual(cfg.cpus, 2)
        XCTAssertEqual(cfg.name, "functional")
        // PPC64 with a description runs timed (PPC64TimingTests); --timing on without one uses power5-ppc64.
        let ppcTimed = try ProcessRunner.run(try HostTools.k42sim(), ["boot", try PPC64BareMetalImages.build("spinlock"),
                                             "--timing", "on", "--write-config", "\(dir)/pw"], timeout: 300)
        XCTAssertEqual(ppcTimed.stdoutText, "spinlock: counter 1600\n", ppcTimed.stderrText)
        let pcfg = try MachineDescription.decode(FileManager.default.contents(atPath: "\(dir)/pw/config.json") ?? Data(), origin: "test")
        XCTAssertEqual(pcfg.name, "power5-ppc64")
        // Timing on: the same program, slower in cycles than in instructions.
        let on = try boot("spinlock", ["--config", "origin-mips64", "--stats-file", "\(dir)/t.txt"])
        XCTAssertEqual(on.stdoutText, "spinlock: counter 1600\n", on.stderrText)
        let t = try stats("\(dir)/t.txt").dumps.last!
        XCTAssertGreaterThan(value(t, "system.cpu0.numCycles"), value(t, "system.cpu0.committedInsts"))
    }
}
