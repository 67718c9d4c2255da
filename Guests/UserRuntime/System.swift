// System: the K42 kernel's system calls as a K42 user program sees them (the numbers and
// meanings are the kernel's, Kernel/User/UserMode.swift and docs/kernel/programs.md). Every call
// traps through k42_syscall (Arch/*/entry.S); a negative result is a negated errno.

import Synchronization

@_extern(c, "k42_syscall")
func k42_syscall_trap(_ number: UInt64, _ a: UInt64, _ b: UInt64, _ c: UInt64, _ d: UInt64) -> Int64

/// Every system call of the program goes through here, counted (System.calls).
@inline(__always)
func k42_syscall(_ number: UInt64, _ a: UInt64, _ b: UInt64, _ c: UInt64, _ d: UInt64) -> Int64 {
    systemCallCount.wrappingAdd(1, ordering: .relaxed)
    return k42_syscall_trap(number, a, b, c, d)
}

/// System calls made so far by all of the program's dispatchers.
let systemCallCount = Atomic<UInt64>(0)

enum System {
    /// System calls this program made so far.
    static var calls: UInt64 { systemCallCount.load(ordering: .relaxed) }
    static let exitCall: UInt64 = 1
    static let putcharCall: UInt64 = 2
    static let mapCall: UInt64 = 3
    static let unmapCall: UInt64 = 4
    static let spawnCall: UInt64 = 5
    static let waitCall: UInt64 = 6
    static let infoCall: UInt64 = 7
    static let writeCall: UInt64 = 8
    static let dispatcherCall: UInt64 = 9
    static let resumeCall: UInt64 = 10
    static let timerCall: UInt64 = 11
    static let idleCall: UInt64 = 12
    static let mapFileCall: UInt64 = 13
    static let resultCall: UInt64 = 15
    static let startDispatcherCall: UInt64 = 16
    static let pokeCall: UInt64 = 17
    static let domainCall: UInt64 = 18
    static let yieldCall: UInt64 = 19

    /// Resource-domain classes (docs/kernel/scheduling.md): soft real time, time sharing (the
    /// default), background.
    static let softRealTime: UInt64 = 2, timeSharing: UInt64 = 3, background: UInt64 = 4

    /// Puts the calling dispatcher (vehicle) in resource-domain class `class` with `weight`
    /// (1-1000); 0 or -errno (EINVAL, EPERM for the gang class).
    @discardableResult
    static func setDomain(class c: UInt64, weight: UInt64) -> Int64 { k42_syscall(domainCall, c, weight, 0, 0) }

    /// Gives up the CPU to the other ready vehicles of its class (what a soft preemption asks).
    static func yieldCPU() { _ = k42_syscall(yieldCall, 0, 0, 0, 0) }

    /// Ends the program with `status` (what the parent's `wait` returns).
    static func exit(_ status: UInt64) -> Never {
        _ = k42_syscall(exitCall, status, 0, 0, 0)
        while true {}
    }

    static func putchar(_ byte: UInt8) { _ = k42_syscall(putcharCall, UInt64(byte), 0, 0, 0) }

    /// Writes `bytes` to the console in one call; returns the count written or -errno.
    static func write(_ bytes: UnsafeRawBufferPointer) -> Int64 {
        k42_syscall(writeCall, UInt64(UInt(bitPattern: bytes.baseAddress)), UInt64(bytes.count), 0, 0)
    }

    struct MapFlags: OptionSet {
        let rawValue: UInt64
        static let writable = MapFlags(rawValue: 1)
        static let executable = MapFlags(rawValue: 2)
        static let distributed = MapFlags(rawValue: 4)
    }

    /// Maps zero-filled memory at [base, base + size) (page-aligned); 0 or -errno.
    static func map(base: UInt64, size: UInt64, _ flags: MapFlags) -> Int64 {
        k42_syscall(mapCall, base, size, flags.rawValue, 0)
    }

    /// Unmaps the region at `base`; the number of CPUs shot down, or -errno.
    static func unmap(base: UInt64) -> Int64 { k42_syscall(unmapCall, base, 0, 0, 0) }

    /// Starts program `name` of the initial RAM image on `cpu` with `argument`; its process ID
    /// or -errno (ENOENT: no such program, ENOEXEC: not a loadable image, EINVAL: no such CPU,
    /// EAGAIN: the process table is full, ENOMEM).
    static func spawn(_ name: StaticString, cpu: Int, argument: UInt64 = 0) -> Int64 {
        name.withUTF8Buffer { b in
            k42_syscall(spawnCall, UInt64(UInt(bitPattern: b.baseAddress)), UInt64(b.count), UInt64(cpu), argument)
        }
    }

    /// Waits for child `pid`: its exit status (low 32 bits), or `killedBit | access` when the
    /// kernel ended it for a fault it could not resolve; -ECHILD when `pid` is not a child of
    /// this process still to be waited for.
    static func wait(_ pid: Int64) -> Int64 { k42_syscall(waitCall, UInt64(bitPattern: pid), 0, 0, 0) }
    static let killedBit: Int64 = 1 << 32

    /// Maps `sectors` sectors of the block device from `firstSector` read-only at
    /// [base, base + size); pages are read on first touch. 0 or -errno.
    static func mapFile(base: UInt64, size: UInt64, firstSector: UInt64, sectors: UInt64) -> Int64 {
        k42_syscall(mapFileCall, base, size, firstSector, sectors)
    }

    /// Leaves figure `index` (0-3) for whoever waits for this program (the kernel's experiments).
    @discardableResult
    static func result(_ index: Int, _ value: UInt64) -> Int64 { k42_syscall(resultCall, UInt64(index), value, 0, 0) }

    /// The CPU the program runs on, the machine's CPU count, the process ID, the cycle counter.
    static var cpu: Int { Int(k42_syscall(infoCall, 0, 0, 0, 0)) }
    static var cpuCount: Int { Int(k42_syscall(infoCall, 1, 0, 0, 0)) }
    static var pid: Int64 { k42_syscall(infoCall, 2, 0, 0, 0) }
    static var cycles: UInt64 { UInt64(bitPattern: k42_syscall(infoCall, 3, 0, 0, 0)) }
}
