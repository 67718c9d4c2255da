// `k42sim cache-bench`: host speed of the memory-hierarchy model (use a release build):
// MemoryHierarchy.access on an L1-hitting stream, the L1HitFilter fast path on the same stream,
// and a miss-heavy stream (working set larger than the L2). Prints accesses per host second.
import ArgumentParser
import Emulator

struct CacheBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cache-bench",
        abstract: "Measure the memory-hierarchy model's host speed (accesses per second).")

    @OptionGroup var machine: MachineOptions

    @Option(help: "Accesses per measurement.")
    var accesses: Int = 20_000_000

    func run() throws {
        let d = machine.description()
        let h: MemoryHierarchy
        do { h = try MemoryHierarchy(d) } catch { fail("config: \(error)") }
        let line = UInt64(d.caches.l1d.lineSize)
        // L1-hitting stream: 8-byte loads/stores walking a quarter of the L1D.
        let span = UInt64(d.caches.l1d.size / 4)
        var now: UInt64 = 0
        for a in stride(from: 0, to: span, by: Int(line)) { now &+= UInt64(h.access(cpu: 0, pa: UInt64(a), size: 8, kind: .write, now: now)) }
        let n = accesses
        var clock = HostClock()
        var pa: UInt64 = 0
        for i in 0 ..< n {
            now &+= UInt64(h.access(cpu: 0, pa: pa, size: 8, kind: i & 3 == 0 ? .write : .read, now: now))
            pa = (pa &+ 8) % span
        }
        let tAccess = clock.seconds
        let f = h.filters[0]
        clock = HostClock()
        pa = 0
        for i in 0 ..< n {
            let hit = i & 3 == 0 ? f.write(pa, size: 8) : f.read(pa, size: 8)
            now &+= hit ? UInt64(f.dataLatency) : UInt64(h.access(cpu: 0, pa: pa, size: 8, kind: i & 3 == 0 ? .write : .read, now: now))
            pa = (pa &+ 8) % span
        }
        let tFilter = clock.seconds
        // Miss-heavy: line-strided sweep over 4x the L2 from all CPUs of node 0.
        let big = UInt64(d.caches.l2.size * 4)
        let missN = max(1, n / 20)
        clock = HostClock()
        pa = 0
        for i in 0 ..< missN {
            now &+= UInt64(h.access(cpu: i % d.cpusPerNode, pa: pa, size: 8, kind: .read, now: now))
            pa = (pa &+ line) % big
        }
        let tMiss = clock.seconds
        let m = { (c: Int, t: Double) in StatsReport.format(Double(c) / t / 1e6) }
        writeAll(1, "config \(d.name): \(n) accesses per stream (checksum \(now))\n")
        writeAll(1, "access(), L1-hitting stream:        \(m(n, tAccess)) M accesses/s\n")
        writeAll(1, "L1HitFilter fast path, same stream: \(m(n, tFilter)) M accesses/s (filter hits \(f.hits[1] + f.hits[2]))\n")
        writeAll(1, "access(), L2-missing sweep:         \(m(missN, tMiss)) M accesses/s\n")
    }
}
