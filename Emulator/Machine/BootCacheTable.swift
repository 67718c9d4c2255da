// BootCacheTable: the caches as the boot-information block describes them to either ISA's kernel
// (at +0x1080, docs/platform.md), the role a device tree's cache properties play on real PowerPC
// machines. Four entries, L1I, L1D, L2, L3, of four words: size in bytes, line size in bytes,
// associativity, and how many CPUs share one instance (1: private; the node's CPUs: a shared L2;
// 0: a memory-side L3, which caches only its own node's memory). An absent level (no L3) and a
// machine without a cache description have all-zero entries.

public enum BootCacheTable {
    public static let entries = 4
    public static let wordsPerEntry = 4

    public static func words(_ config: MachineConfig) -> [UInt64] {
        guard let c = config.caches else { return [UInt64](repeating: 0, count: entries * wordsPerEntry) }
        func entry(_ d: CacheDescription?, sharedBy: Int) -> [UInt64] {
            guard let d else { return [0, 0, 0, 0] }
            return [UInt64(d.size), UInt64(d.lineSize), UInt64(d.associativity), UInt64(sharedBy)]
        }
        return entry(c.l1i, sharedBy: 1) + entry(c.l1d, sharedBy: 1)
            + entry(c.l2, sharedBy: c.l2Shared ? config.cpusPerNode : 1) + entry(c.l3, sharedBy: 0)
    }
}
