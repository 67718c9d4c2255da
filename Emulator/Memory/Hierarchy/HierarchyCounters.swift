// HierarchyCounters: the memory system's counters beyond each cache's own (per CPU, per node,
// per coherence message type). Reset by MemoryHierarchy.resetStatistics().

struct HierarchyCounters {
    var l2Hits: [UInt64], l2Misses: [UInt64], l2MissLatency: [UInt64]        // per requesting CPU
    var transactions: [UInt64], remoteTransactions: [UInt64]                 // per CPU
    var localFills: [UInt64], remoteFills: [UInt64], cacheToCacheFills: [UInt64]  // per requester node
    var directoryLookups: [UInt64], directoryWaitCycles: [UInt64], directoryBusyCycles: [UInt64]  // per home node
    var lineWaitCycles: [UInt64]  // per home node: waiting for a line's previous transfer
    var controllerAccesses: [UInt64], controllerWaitCycles: [UInt64]         // per home node
    var invalidationsSent: [UInt64]                                          // per home node
    var messages: [UInt64]
    var maintenanceOps: UInt64 = 0

    init(cpus: Int, nodes: Int) {
        let c = [UInt64](repeating: 0, count: cpus), n = [UInt64](repeating: 0, count: nodes)
        l2Hits = c; l2Misses = c; l2MissLatency = c; transactions = c; remoteTransactions = c
        localFills = n; remoteFills = n; cacheToCacheFills = n
        directoryLookups = n; directoryWaitCycles = n; directoryBusyCycles = n; lineWaitCycles = n
        controllerAccesses = n; controllerWaitCycles = n; invalidationsSent = n
        messages = [UInt64](repeating: 0, count: CoherenceMessage.allCases.count)
    }
}
