// PerCPU: the layout of the per-CPU area (PCA), the kernel's processor-specific memory. On every
// CPU the same virtual range (Arch.perCPUBase) maps to that CPU's own area, on its own node, so
// `PCA.x` is a load from a fixed address: no CPU-number lookup. Another CPU's area is reached
// through the CPU table (`PCA.of(cpu)`, its linear-map address) — only for cross-CPU queues
// (wakeups, cross-calls, remote frees), never for the owner's fast paths.
//
// Offsets 0x00-0xFF belong to the assembly glue (layout.h of each port); the rest is laid out
// here; 0x2000 onwards holds the clustered-object state (the local translation table itself is
// its own processor-specific range, Arch.localTableBase).

struct CPUArea {
    let base: UInt

    @inline(__always) func word(_ offset: Int) -> UnsafeMutablePointer<UInt64> {
        UnsafeMutablePointer<UInt64>(bitPattern: base + UInt(offset))!
    }
    @inline(__always) func atomic(_ offset: Int) -> AtomicWord { AtomicWord(word(offset)) }

    // Shared with the glue.
    static let cpuOffset = 0x00
    static let nodeOffset = 0x08
    static let physicalOffset = 0x10
    static let kernelStackOffset = 0x18

    // Scheduler.
    static let currentThread = 0x100
    static let idleThread = 0x108
    static let readyHead = 0x110
    static let readyTail = 0x118
    static let incomingWakeups = 0x120      // atomic stack of threads woken by other CPUs
    static let preemptCount = 0x128
    static let needReschedule = 0x130
    static let zombie = 0x138
    static let serviceThread = 0x140
    static let crossCallQueue = 0x148       // atomic stack of cross-call messages
    static let nextThreadID = 0x150
    static let interruptDepth = 0x158
    static let tickInterval = 0x160
    static let userSpace = 0x168            // ID of the process last activated here
    static let lastTickCycle = 0x170
    static let ready = 0x178                // 1 once this area is initialised
    static let randomState = 0x180
    static let nextSegmentSlot = 0x188      // PPC: round robin over the user SLB entries
    static let idleDispatcher = 0x190       // list of dispatchers whose vehicles sleep in their idle call
    static let domainHead = 0x198           // ready vehicles (Sched/Domains.swift)
    static let domainTail = 0x1A0
    static let runStart = 0x1A8             // the cycle the running thread was switched in
    static let domainTime = 0x1B0           // virtual time per class (5 words)
    static let kernelYielded = 0x1D8        // a kernel thread yielded: a ready vehicle goes first once

    // Statistics (Counter.rawValue indexes them).
    static let counters = 0x400

    // Small-object allocator.
    static let freeLists = 0x800            // head per size class
    static let freeCounts = 0x900           // objects per size class list
    static let remoteFrees = 0xA00          // atomic: chains freed by other CPUs
    static let remoteBufferCount = 0xA08
    static let remoteBuffer = 0xA10         // objects this CPU freed for other CPUs (64)
    static let remoteBufferCapacity = 64

    // Console line buffer used before this CPU runs threads.
    static let lineBuffer = 0x1000

    // Clustered objects (ClusteredObjects/): generations, ref allocation, destruction, token.
    static let generationIndex = 0x2000
    static let activeCounts = 0x2008         // two words, one per generation
    static let generationCount = 0x2018
    static let refNextFresh = 0x2020
    static let refFreeHead = 0x2028          // index + 1 of the first free ref of this partition
    static let refRemoteFreed = 0x2030       // atomic stack of refs other CPUs reclaimed
    static let refsInUse = 0x2038
    static let localReclaim = 0x2040         // destroy records awaiting local generations
    static let pendingRemote = 0x2048        // atomic stack of records for the token
    static let cosDaemon = 0x2050
    static let cosWork = 0x2058              // set when the daemon has something to do
    static let tokenArrivalGeneration = 0x2060
    static let tokenArrivalCycle = 0x2068
    static let tokenArrived = 0x2070
    static let tokenStallReported = 0x2078
    static let quarantine = 0x2080           // frees go to quarantine (checking mode)
    static let cosReady = 0x2088
    // 0x4000-0xBFFF: MIPS local-table EntryLo pairs (Arch MIPS64, layout.h PCA_LTT_PAIRS).
    // 0xC000-0x13FFF: physical address of each local-table page (LocalTable.swift).
    static let localTablePages = 0xC000
}

enum PCA {
    /// This CPU's area (the fixed processor-specific address).
    @inline(__always) static var local: CPUArea { CPUArea(base: Arch.perCPUBase) }

    /// CPU `cpu`'s area through the linear map (for cross-CPU queues).
    @inline(__always) static func of(_ cpu: Int) -> CPUArea {
        CPUArea(base: UInt(KernelWords.cpuTable[cpu]))
    }

    @inline(__always) static var cpu: Int { Int(local.word(CPUArea.cpuOffset).pointee) }
    @inline(__always) static var node: Int { Int(local.word(CPUArea.nodeOffset).pointee) }
}

/// Per-CPU event counters, reported at the end of tests (Report.counters).
enum Counter: Int {
    case allocations = 0, frees, remoteFrees, remoteFreeBatches, largeAllocations, largeFrees
    case slabsCreated, slabsReleased, localPages, remotePages, pagesFreed
    case contextSwitches, threadsCreated, threadsExited, ticks, ipisSent, interrupts
    case crossCallsSent, crossCallsRun, wakeupsRemote, userFaults, systemCalls, tlbRefills
    case localTablePages, refsAllocated, refsFreed, misses, objectsDestroyed, objectsReclaimed
    case repsCreated, generations, tokenVisits, quarantinedBytes, deadCalls
    case pageFaults, zeroFills, copyOnWrites, pagesMapped, pagesUnmapped, shootdowns, pteEvictions
    case processFrames, processFramesFreed, faultNotifications, diskReads
    case programsStarted, programsExited, programsKilled
    case dispatchersRegistered, faultsReflected, upcalls, timersSet
    case dispatchersStarted, pokes
    case softPreemptions, hardPreemptions, preemptionsHonoured
    case pagesEvicted, evictionRaces, systemCallUpcalls
    case count

    /// One atomic add (no ordering): a plain `+=` loses counts when the thread is preempted
    /// between its load and its store and another thread of the CPU counts meanwhile.
    @inline(__always) func add(_ n: UInt64 = 1) {
        AtomicWord(PCA.local.word(CPUArea.counters + 8 * rawValue)).addRelaxed(n)
    }
    var value: UInt64 { PCA.local.word(CPUArea.counters + 8 * rawValue).pointee }
    func value(on cpu: Int) -> UInt64 { PCA.of(cpu).word(CPUArea.counters + 8 * rawValue).pointee }
}
