// Thread: a kernel thread — a record (512 bytes from the kernel heap) and a 16 KiB stack from
// its CPU's node. Threads never migrate: a thread belongs to the CPU that created it, whose
// scheduler alone runs it; other CPUs can only wake it (Scheduler.unblock). The record holds
// the saved stack pointer, an atomic state word, queue link, entry point and argument, the join
// word, the user-mode exit context (User/UserMode.swift) and the thread's console line buffer.

struct ThreadRecord: Equatable {
    let raw: UnsafeMutablePointer<UInt64>
    static let bytes = 512
    static let stackOrder = 2                   // 16 KiB

    init(_ address: UInt) { raw = UnsafeMutablePointer<UInt64>(bitPattern: address)! }
    var address: UInt { UInt(bitPattern: raw) }

    // States (word 1).
    static let running: UInt64 = 0
    static let ready: UInt64 = 1
    static let blocked: UInt64 = 2
    static let exited: UInt64 = 3

    var savedSP: UnsafeMutablePointer<UInt> { UnsafeMutableRawPointer(raw).assumingMemoryBound(to: UInt.self) }
    var state: AtomicWord { AtomicWord(raw + 1) }
    var cpu: Int { Int(raw[2]) }
    var next: UInt64 { get { raw[3] } nonmutating set { raw[3] = newValue } }
    var stackPhysical: UInt64 { raw[4] }
    var entry: UInt64 { raw[6] }
    var argument: UInt64 { raw[7] }
    var result: UInt64 { get { raw[8] } nonmutating set { raw[8] = newValue } }
    /// 0: running, nobody joining; 1: exited; otherwise the joining thread's record.
    var joinWord: AtomicWord { AtomicWord(raw + 9) }
    var id: UInt64 { raw[10] }
    var detached: Bool { raw[11] & 1 != 0 }
    var isIdle: Bool { raw[11] & 2 != 0 }
    /// User mode (UserMode.swift): the kernel stack pointer to return to, and why it returned.
    var userExitSP: UnsafeMutablePointer<UInt> { UnsafeMutableRawPointer(raw + 12).assumingMemoryBound(to: UInt.self) }
    var userFaultAddress: UInt64 { get { raw[13] } nonmutating set { raw[13] = newValue } }
    var userFaultAccess: UInt64 { get { raw[14] } nonmutating set { raw[14] = newValue } }
    var userExitStatus: UInt64 { get { raw[15] } nonmutating set { raw[15] = newValue } }
    /// The process this thread runs user code in (an unretained Process handle; 0: none).
    var userSpace: UInt64 { get { raw[17] } nonmutating set { raw[17] = newValue } }
    // Words 18-19: the clustered-object request depth and generation slot (Generations.swift).
    /// What the trap path needs of that process, copied here so that it never touches the
    /// (shared, reference-counted) Process object: ID, tag, HAT and region-list references.
    var userContext: ProcessContext {
        get { ProcessContext(id: raw[20], tag: raw[21], hat: CORef(index: Int(raw[22])), regions: CORef(index: Int(raw[23]))) }
        nonmutating set {
            raw[20] = newValue.id; raw[21] = newValue.tag
            raw[22] = UInt64(newValue.hat.index); raw[23] = UInt64(newValue.regions.index)
        }
    }
    /// The K42 user program this thread runs (Programs/Programs.swift; 0: none).
    var processID: UInt64 { get { raw[24] } nonmutating set { raw[24] = newValue } }
    /// The dispatcher this thread carries in user mode (User/Dispatcher.swift; 0: none).
    var dispatcher: UInt64 { get { raw[25] } nonmutating set { raw[25] = newValue } }
    var lineBuffer: UnsafeMutablePointer<UInt64> { raw + 32 }

    static let flagDetached: UInt64 = 1
    static let flagIdle: UInt64 = 2
}

typealias ThreadEntry = @convention(c) (UInt) -> UInt

enum Thread {
    /// Creates a thread on this CPU, ready to run `entry(argument)`.
    static func create(_ entry: ThreadEntry, argument: UInt = 0, detached: Bool = false, flags: UInt64 = 0) -> ThreadRecord {
        guard let record = SmallAllocator.allocate(size: ThreadRecord.bytes, alignment: 64) else {
            Panic.panic("out of memory creating a thread")
        }
        guard let stack = FrameAllocator.allocate(order: ThreadRecord.stackOrder) else {
            Panic.panic("out of memory for a thread stack")
        }
        let t = ThreadRecord(UInt(bitPattern: record))
        for i in 0 ..< ThreadRecord.bytes / 8 { t.raw[i] = 0 }
        let pca = PCA.local
        t.raw[1] = ThreadRecord.ready
        t.raw[2] = UInt64(PCA.cpu)
        t.raw[4] = stack
        t.raw[5] = UInt64(ThreadRecord.stackOrder)
        t.raw[6] = UInt64(UInt(bitPattern: unsafeBitCast(entry, to: UnsafeRawPointer.self)))
        t.raw[7] = UInt64(argument)
        let idWord = pca.word(CPUArea.nextThreadID)
        idWord.pointee += 1
        t.raw[10] = UInt64(PCA.cpu) << 32 | idWord.pointee
        t.raw[11] = (detached ? ThreadRecord.flagDetached : 0) | flags
        let top = Arch.kernelBase + UInt(stack) + UInt(4096 << ThreadRecord.stackOrder)
        t.savedSP.pointee = Arch.prepareThreadStack(top: top, thread: t.address)
        Counter.threadsCreated.add()
        if flags & ThreadRecord.flagIdle == 0 { Scheduler.makeReady(t) }
        return t
    }

    /// Creates a thread running `body`; its result is what `join` returns.
    static func spawn(detached: Bool = false, _ body: @escaping () -> UInt) -> ThreadRecord {
        let box = ClosureBox(body)
        return create(runClosure, argument: UInt(bitPattern: Unmanaged.passRetained(box).toOpaque()), detached: detached)
    }

    /// Waits for `t` (created by this or another CPU) to exit; returns its result and frees it.
    static func join(_ t: ThreadRecord) -> UInt64 {
        let me = Scheduler.current
        Scheduler.prepareToBlock()
        if t.joinWord.compareExchange(expected: 0, desired: UInt64(me.address)) {
            Scheduler.block()
        } else {
            Scheduler.cancelBlock()
        }
        // Woken by the exit (or it had exited already): the record is ours to free.
        while t.joinWord.load() != 1 { Scheduler.yield() }
        let result = t.result
        SmallAllocator.free(UnsafeMutableRawPointer(t.raw))
        return result
    }

    static var current: ThreadRecord { Scheduler.current }
}

final class ClosureBox {
    let body: () -> UInt
    init(_ body: @escaping () -> UInt) { self.body = body }
}

private func runClosure(_ argument: UInt) -> UInt {
    let box = Unmanaged<ClosureBox>.fromOpaque(UnsafeRawPointer(bitPattern: argument)!).takeRetainedValue()
    return box.body()
}

/// Where a new thread's first switch lands (switch.S: k42_thread_start), interrupts disabled.
@_cdecl("k42_thread_main")
func k42ThreadMain(_ thread: UInt) {
    Scheduler.finishSwitch()
    Arch.restoreInterrupts(1)
    let t = ThreadRecord(thread)
    let entry = unsafeBitCast(UnsafeRawPointer(bitPattern: UInt(t.entry))!, to: ThreadEntry.self)
    let result = entry(UInt(t.argument))
    Scheduler.exit(result: UInt64(result))
}
