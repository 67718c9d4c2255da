// LinuxThread and LinuxWait: a schedulable guest thread of a syscall-emulation process (its CPU
// core object, tid, clear_child_tid, and the call it is blocked in) and what a blocked call
// waits for — wait channels (a pipe, a child's state change, a vfork child, a futex word), an
// optional deadline on the simulated clock, and whether the call is re-run when woken or
// completed by its waker.

/// Something threads wait on. Equal channels wake each other's waiters; nothing iterates them.
struct WaitChannel: Hashable {
    var kind: UInt8
    var a: UInt64
    var b: UInt64 = 0

    static func pipe(_ id: Int) -> WaitChannel { WaitChannel(kind: 1, a: UInt64(id)) }
    /// A child of `pid` changed state (wait4/waitid).
    static func children(of pid: Int32) -> WaitChannel { WaitChannel(kind: 2, a: UInt64(UInt32(bitPattern: pid))) }
    /// A vfork child exec'd or exited.
    static func vfork(_ pid: Int32) -> WaitChannel { WaitChannel(kind: 3, a: UInt64(UInt32(bitPattern: pid))) }
    static func futex(_ memory: LinuxMemory, _ address: UInt64) -> WaitChannel {
        WaitChannel(kind: 4, a: UInt64(UInt(bitPattern: ObjectIdentifier(memory).hashValue)), b: address)
    }
    /// A signal arrived for the process (pause, sigsuspend, and every interruptible wait).
    static func signal(_ pid: Int32) -> WaitChannel { WaitChannel(kind: 5, a: UInt64(UInt32(bitPattern: pid))) }
    /// A signal became pending (rt_sigtimedwait re-checks).
    static func sigwait(_ pid: Int32) -> WaitChannel { WaitChannel(kind: 6, a: UInt64(UInt32(bitPattern: pid))) }
}

struct LinuxWait {
    var channels: [WaitChannel] = []
    /// Absolute simulated time (ns) at which the wait ends with `timeoutResult`.
    var deadline: UInt64?
    /// Generic -errno or value returned at the deadline (0 for a sleep, -ETIMEDOUT for a futex).
    var timeoutResult: Int64 = 0
    /// Re-run the call when woken (pipes, wait4, poll); otherwise the waker completes it (futex).
    var retry = true
    /// A blocking write that moved this many bytes before it had to wait (it continues).
    var partial: Int64 = 0
    /// A handler with SA_RESTART re-runs the call after it returns (pipes, wait4); otherwise EINTR.
    var restartable = false
    /// Why, for the deadlock message.
    var what: String = ""
}

final class LinuxThread {
    let tid: Int32
    let process: LinuxProcess
    var cpu: SEThreadCPU
    /// set_tid_address / CLONE_CHILD_CLEARTID: zeroed and futex-woken when the thread exits.
    var clearChildTID: UInt64 = 0
    var robustList: UInt64 = 0
    /// The wait of a blocked call, and the call to re-run (retry waits) when it is woken.
    var wait: LinuxWait?
    var blockedCall: (number: UInt64, args: LinuxProcess.Args, pc: UInt64)?
    /// Bytes a blocking write moved in earlier tries.
    var progress: Int64 = 0
    /// The first deadline of a call that is re-run (poll's timeout counts from the first try).
    var callDeadline: UInt64?
    /// Simulated time at which it became runnable.
    var readyAt: UInt64 = 0
    /// Time-slice use on its CPU, for preemption.
    var sliceUsed: UInt64 = 0
    var alive = true
    /// rt_sigreturn and execve set the registers themselves: the call writes no result.
    var skipCompletion = false
    /// The blocked call may be restarted after an SA_RESTART handler.
    var restartCall = false
    /// rt_sigsuspend: the mask to restore when the handler returns.
    var suspendMask: [UInt64]?
    /// Instructions at the last accounting (per-CPU statistics).
    var accountedInstructions: UInt64 = 0

    /// Blocked signals (bit n-1 of the words for signal n).
    var signalMask: [UInt64]
    /// Signals sent to this thread alone (tgkill, tkill), with their siginfo; taken before the
    /// process's, as Linux does. They die with the thread.
    var pendingSignals: UInt64 = 0
    var pendingInfo: [Int32: [UInt8]] = [:]

    init(tid: Int32, process: LinuxProcess, cpu: SEThreadCPU, signalMask: [UInt64]) {
        self.tid = tid
        self.process = process
        self.cpu = cpu
        self.signalMask = signalMask
    }

    func blocks(_ sig: Int32) -> Bool {
        let bit = Int(sig - 1)
        guard bit >= 0, bit / 64 < signalMask.count else { return false }
        return signalMask[bit / 64] & (UInt64(1) << UInt64(bit % 64)) != 0
    }
}
