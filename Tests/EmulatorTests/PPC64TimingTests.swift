// PPC64TimingTests: full-system PPC64 with the timing model on (`k42sim boot --config
// power5-ppc64 ...`), on the bare-metal images of Tests/BareMetal/ppc64 — every expectation is
// computed here from the machine description or by enumeration, never by running the model:
//   cache sweeps   L1D misses of working-set / stride sweeps (between sim-call reset and dump)
//                  equal the analytic LRU count for the configured geometry (power5's L1D is
//                  write-through, no-write-allocate; the sweeps only load)
//   litmus         MP, SB, LB, IRIW, 2+2W with no barrier, lwsync and sync: every observed
//                  outcome is sequentially consistent (enumerated interleavings); the model is
//                  SC by construction, so the relaxed outcomes Power allows without a barrier
//                  never appear either (TimingExpectations.litmus names them); the 2-thread
//                  tests show every SC outcome
//   stress         random loads/stores/dcbf/dcbst/ldarx-stdcx. on 8 CPUs with checking mode
//   NUMA           ping-pong of a line (private L2s): remote partners cost exactly 2 x msg
//                  latency more per access than a partner on the same node; placement by home
//                  node moves the local/remote fill counts
//   determinism    statistics (text and JSON) and config.json of two runs are identical
//   options        PPC64 runs timed by default with --config, --timing off stays functional
import Foundation
import XCTest
@testable import Emulator

final class PPC64TimingTests: XCTestCase {
    typealias E = TimingExpectations

    func boot(_ name: String, _ args: [String]) throws -> ProcessResult {
        let image = try PPC64BareMetalImages.build(name)
        return try ProcessRunner.run(try HostTools.k42sim(), ["boot", image] + args, timeout: 600)
    }

    func tempDir() -> String {
        let d = NSTemporaryDirectory() + "k42sim-ppctiming-\(getpid())-\(UUID().uuidString.prefix(8))"
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
        // power5's 32 KiB 4-way L1D (made LRU), a 32 KiB 2-way and a 16 KiB direct-mapped one.
        for (size, ways) in [(32768, 4), (32768, 2), (16384, 1)] {
            let dir = tempDir()
            let r = try boot("cache_sweep", ["--config", "power5-ppc64", "--cpus", "1", "--nodes", "1",
                                             "--set", "caches.l1d.replacement=lru",
                                             "--set", "caches.l1d.size=\(size)", "--set", "caches.l1d.associativity=\(ways)",
                                             "--stats-file", "\(dir)/stats.txt"])
            XCTAssertEqual(r.stdoutText, "sweeps \(E.sweeps.count)\n", r.stderrText)
            XCTAssertEqual(r.status, 0, r.stderrText)
            let f = try stats("\(dir)/stats.txt")
            XCTAssertEqual(f.dumps.count, E.sweeps.count + 1)
            let line = 128, sets = size / line / ways
            for (i, (bytes, stride)) in E.sweeps.enumerated() where i < f.dumps.count {
                let d = f.dumps[i]
                let loads = UInt64(E.passes * ((bytes + stride - 1) / stride))
                let what = "L1D \(size)/\(ways)-way, sweep \(bytes) B stride \(stride)"
                XCTAssertEqual(value(d, "system.cpu0.dcache.overallMisses::total"),
                               UInt64(E.expectedMisses(size: bytes, stride: stride, line: line, sets: sets, ways: ways)), what)
                XCTAssertEqual(value(d, "system.cpu0.dcache.overallAccesses::total"), loads, what)
                XCTAssertEqual(value(d, "system.cpu0.mmu.dtb.rdAccesses"), loads, what)
                XCTAssertEqual(value(d, "system.cpu0.mmu.dtb.wrAccesses"), 1, what)   // the sim-call store
                XCTAssertEqual(value(d, "system.cpu0.mmu.dtb.rdMisses"), 0, what)     // real mode: no HPT walks
            }
        }
    }

    // MARK: litmus tests

    func testLitmusOutcomesAreSequentiallyConsistent() throws {
        var seen: [String: Set<Int>] = [:]
        for extra in [["--quantum", "5"], ["--quantum", "13"], ["--timing", "off", "--quantum", "7"]] {
            let r = try boot("litmus", ["--config", "power5-ppc64", "--cpus", "4", "--nodes", "2"] + extra)
            XCTAssertEqual(r.status, 0, r.stderrText)
            let c = E.checkLitmus(r.stdoutText, variants: ["none", "lwsync", "sync"])
            XCTAssertEqual(c.problems, [], "\(extra)")
            seen.merge(c.seen) { $0.union($1) }
        }
        for t in E.litmus where t.name != "IRIW" { XCTAssertEqual(seen[t.name], t.sc, "\(t.name): every SC outcome appears") }
        XCTAssertGreaterThanOrEqual(seen["IRIW"]?.count ?? 0, 8)
    }

    // MARK: randomized stress with checking mode

    func testRandomStressWithCheckingMode() throws {
        let expected = "stress: ok \(E.expectedIncrements(cpus: 8))\n"
        for config in [["--config", "power5-ppc64"],
                       ["--config", "power5-ppc64", "--set", "caches.l2Shared=false", "--set", "memory.coherence=MESI"],
                       ["--config", "numa-16x4", "--set", "isa=ppc64", "--cpus", "8", "--nodes", "2", "--set", "topology.meshColumns=2"]] {
            let r = try boot("stress", config + ["--check-coherence", "--quantum", "20"])
            XCTAssertEqual(r.stdoutText, expected, "\(config): \(r.stderrText)")
            XCTAssertEqual(r.status, 0, "\(config): \(r.stderrText)")
        }
    }

    // MARK: NUMA

    func pingPongSums(_ out: String) -> [Int: (UInt64, UInt64)] {
        var sums: [Int: (UInt64, UInt64)] = [:]
        for l in out.split(separator: "\n") {
            let f = l.split(separator: " ")
            guard f.count == 4, f[0] == "pingpong", let p = Int(f[1]), let a = UInt64(f[2]), let b = UInt64(f[3]) else {
                XCTFail("unexpected line \(l)"); continue
            }
            sums[p] = (a, b)
        }
        return sums
    }

    func testNUMAPingPongAndPlacement() throws {
        // Private L2s, so a same-node partner takes the line through the directory like a
        // remote one (with a shared per-chip L2 it never leaves the chip; checked below).
        let dir = tempDir()
        let r = try boot("numa", ["--config", "power5-ppc64", "--set", "caches.l2Shared=false", "--stats-file", "\(dir)/stats.txt"])
        XCTAssertEqual(r.status, 0, r.stderrText)
        let sums = pingPongSums(r.stdoutText)
        XCTAssertEqual(Set(sums.keys), [1, 2, 6], r.stdoutText)
        // Each ping-pong access sends two messages between the partner's node and node 0 (the
        // home and CPU 0's node) on its critical path; a round is one load + store per CPU.
        let d = MachineDescription.preset("power5-ppc64")!
        XCTAssertEqual(d.topology.kind, .crossbar)
        func msg(_ node: Int) -> UInt64 { node == 0 ? 0 : UInt64(d.topology.routerLatency + d.topology.hopLatency) }
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
        // The preset's shared per-chip L2: the same-node partner is cheaper still, remote ones
        // are unchanged (their messages are the same).
        let shared = try boot("numa", ["--config", "power5-ppc64"])
        XCTAssertEqual(shared.status, 0, shared.stderrText)
        let ss = pingPongSums(shared.stdoutText)
        if let l = ss[1], let r2 = ss[2], let r6 = ss[6] {
            XCTAssertLessThan(l.0, local.0)
            XCTAssertEqual(r2.0, sums[2]?.0)
            XCTAssertEqual(r6.1, sums[6]?.1)
        } else { XCTFail(shared.stdoutText) }
    }

    // MARK: determinism and options

    func testStatisticsAreDeterministic() throws {
        func run() throws -> (String, String, String) {
            let dir = tempDir()
            let r = try boot("numa", ["--config", "power5-ppc64", "--stats-file", "\(dir)/stats.txt", "--stats-json", "\(dir)/j/stats.json"])
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
        XCTAssertTrue(a.1.contains("system.cpu0.dcache"))
        XCTAssertTrue(a.2.contains("\"power5-ppc64\""))
    }

    func testTimedByDefaultAndTLBWalks() throws {
        let dir = tempDir()
        // --config: timed (caches in the statistics, more cycles than instructions).
        let on = try boot("spinlock", ["--config", "power5-ppc64", "--stats-file", "\(dir)/t.txt"])
        XCTAssertEqual(on.stdoutText, "spinlock: counter 1600\n", on.stderrText)
        let t = try stats("\(dir)/t.txt").dumps.last!
        XCTAssertGreaterThan(value(t, "system.cpu0.numCycles"), value(t, "system.cpu0.committedInsts"))
        XCTAssertTrue(t.entries.contains { $0.name == "system.cpu0.dcache.overallMisses::total" })
        // --timing off: functional, 1 instruction = 1 cycle (plus idle cycles).
        let off = try boot("spinlock", ["--config", "power5-ppc64", "--timing", "off", "--stats-file", "\(dir)/f.txt"])
        XCTAssertEqual(off.stdoutText, "spinlock: counter 1600\n", off.stderrText)
        let f = try stats("\(dir)/f.txt").dumps.last!
        for c in 0 ..< 8 {
            XCTAssertEqual(value(f, "system.cpu\(c).numCycles"),
                           value(f, "system.cpu\(c).committedInsts") + value(f, "system.cpu\(c).idleCycles"))
        }
        XCTAssertFalse(f.entries.contains { $0.name.contains("dcache") })
        // hpt_user: relocation on for the user program; its fetch of the user page and its two
        // data accesses to mapped pages (one of them the faulting one, then its retry... see
        // hpt_user.S) walk the page table; each walk costs tlb.missPenalty.
        let hu = try boot("hpt_user", ["--config", "power5-ppc64", "--cpus", "1", "--nodes", "1", "--stats-file", "\(dir)/h.txt"])
        XCTAssertEqual(hu.status, 0, hu.stderrText)
        let hd = try stats("\(dir)/h.txt").dumps.last!
        XCTAssertEqual(value(hd, "system.cpu0.mmu.itb.rdMisses"), 1)
        let walks = value(hd, "system.cpu0.mmu.itb.rdMisses") + value(hd, "system.cpu0.mmu.dtb.rdMisses") + value(hd, "system.cpu0.mmu.dtb.wrMisses")
        let noPenalty = try boot("hpt_user", ["--config", "power5-ppc64", "--cpus", "1", "--nodes", "1", "--set", "tlb.missPenalty=0",
                                              "--stats-file", "\(dir)/h0.txt"])
        XCTAssertEqual(noPenalty.stdoutText, hu.stdoutText)
        let h0 = try stats("\(dir)/h0.txt").dumps.last!
        let penalty = UInt64(MachineDescription.preset("power5-ppc64")!.tlb.missPenalty)
        XCTAssertEqual(value(hd, "system.cpu0.numCycles"), value(h0, "system.cpu0.numCycles") + walks * penalty)
    }
}
