// SpinLock: a ticket lock in two words of the memory of the object it protects (next ticket,
// now serving): FIFO, so a contended lock is handed out in arrival order and the interleaving
// stays deterministic. `lock` also disables preemption on this CPU (a holder is never switched
// out while others spin); `lockDisablingInterrupts` is for the few locks taken where an
// interrupt handler could take them too (the console). `Preempt` counts nested
// preemption-disabled sections in the per-CPU area.

struct SpinLock {
    let words: UnsafeMutablePointer<UInt64>

    init(_ words: UnsafeMutablePointer<UInt64>) { self.words = words }

    static func initialise(_ words: UnsafeMutablePointer<UInt64>) { words[0] = 0; words[1] = 0 }

    @inline(__always) func acquire() {
        let ticket = AtomicWord(words).add(1)
        let serving = AtomicWord(words + 1)
        while serving.load() != ticket { Arch.pause() }
    }

    @inline(__always) func release() {
        let serving = AtomicWord(words + 1)
        serving.store(serving.loadRelaxed() &+ 1)
    }

    /// True when the lock is held (or queued for).
    var isLocked: Bool { AtomicWord(words).load() != AtomicWord(words + 1).load() }

    @inline(__always) func lock() {
        Preempt.disable()
        acquire()
    }

    @inline(__always) func unlock() {
        release()
        Preempt.enable()
    }

    @inline(__always) func lockDisablingInterrupts() -> UInt64 {
        let token = Arch.disableInterrupts()
        acquire()
        return token
    }

    @inline(__always) func unlock(restoring token: UInt64) {
        release()
        Arch.restoreInterrupts(token)
    }
}

enum Preempt {
    @inline(__always) static func disable() {
        PCA.local.word(CPUArea.preemptCount).pointee &+= 1
    }

    /// Leaves a preemption-disabled section; a reschedule requested meanwhile happens now.
    @inline(__always) static func enable() {
        let count = PCA.local.word(CPUArea.preemptCount)
        count.pointee &-= 1
        if count.pointee == 0 && PCA.local.word(CPUArea.needReschedule).pointee != 0 {
            Scheduler.preemptIfNeeded()
        }
    }

    static var isDisabled: Bool { PCA.local.word(CPUArea.preemptCount).pointee != 0 }
}
