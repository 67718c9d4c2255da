// KernelReport: the host side of the kernel's reporting protocol (Kernel/Boot/Report.swift,
// docs/kernel/reporting.md): sim-call op 5 with ARG0 = key, ARG1 = value, recorded by the
// machine with cycle and CPU. These constants are the protocol; the kernel defines the same.
import Emulator

enum KernelReport {
    static let traceMarker: UInt64 = 5
    static let cpuNode: UInt64 = 0x4B42_0001
    static let perCPUPhysical: UInt64 = 0x4B42_0002
    static let perCPUMagic: UInt64 = 0x4B42_0003
    static let cpuOnlineCycle: UInt64 = 0x4B42_0004
    static let allOnline: UInt64 = 0x4B42_0010
    static let testResult: UInt64 = 0x4B42_0020
    static let userFaultAddress: UInt64 = 0x4B42_0040
    static let userFaultAccess: UInt64 = 0x4B42_0041
    static let userExit: UInt64 = 0x4B42_0042
    static let programStatus: UInt64 = 0x4B42_0043
    static let panic: UInt64 = 0x4B42_00FF
    static let counterBase: UInt64 = 0x4B43_0000
    static let measurementBase: UInt64 = 0x4B44_0000

    /// The per-CPU counters' indexes (Kernel/Memory/PerCPU.swift, enum Counter).
    enum Counter: UInt64 {
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
    }

    /// Where the kernel writes each CPU's magic word inside its per-CPU area (Boot.magicOffset).
    static let magicOffset: UInt64 = 0x1F00
    static func magic(_ cpu: Int) -> UInt64 { 0x4B42_4D41_0000_0000 | UInt64(cpu) }
    /// The kernel's panic status (Kernel/Console/Panic.swift).
    static let panicStatus: Int32 = 250
    /// Where the linear map starts, per ISA (Kernel/Arch/*/layout.h).
    static func kernelBase(_ isa: Emulator.GuestISA) -> UInt64 { isa == .mips64 ? 0x80_0000_0000 : 0x100_0000_0000 }
}

extension KernelReport {
    static let tokenStalled: UInt64 = 0x4B42_0050
    static let tableFull: UInt64 = 0x4B42_0051
}
