// Generations: K42's per-CPU activation counters for deferred destruction. Every kernel request
// (a cross-call body, a user trap, a test's unit of work: `Generation.request { ... }`) counts
// itself into the current one of two generations of its CPU. The generation advances when no
// request of the older one is still running; after two advances, every request that was running
// when a marker was taken has finished — on that CPU, nobody can still hold a rep it read from a
// local entry before then. Only the owning CPU touches its counters (preemption disabled),
// interrupt handlers never. Thread record words 18 (nesting depth) and 19 (its generation).

enum Generation {
    @inline(__always) static func activate() {
        let pca = PCA.local
        let t = Scheduler.current
        Preempt.disable()
        if t.raw[18] == 0 {
            let slot = pca.word(CPUArea.generationIndex).pointee
            pca.word(CPUArea.activeCounts + 8 * Int(slot)).pointee += 1
            t.raw[19] = slot
        }
        t.raw[18] += 1
        Preempt.enable()
    }

    @inline(__always) static func deactivate() {
        let t = Scheduler.current
        Preempt.disable()
        t.raw[18] -= 1
        if t.raw[18] == 0 {
            PCA.local.word(CPUArea.activeCounts + 8 * Int(t.raw[19])).pointee -= 1
        }
        Preempt.enable()
    }

    /// Runs `body` as one request.
    @inline(__always) static func request<R>(_ body: () -> R) -> R {
        activate()
        let r = body()
        deactivate()
        return r
    }

    /// Advances this CPU's generation if the older one has drained; true when it did.
    @discardableResult
    static func tryAdvance() -> Bool {
        let pca = PCA.local
        Preempt.disable()
        let i = pca.word(CPUArea.generationIndex).pointee
        var advanced = false
        if pca.word(CPUArea.activeCounts + 8 * Int(1 - i)).pointee == 0 {
            pca.word(CPUArea.generationIndex).pointee = 1 - i
            pca.word(CPUArea.generationCount).pointee += 1
            Counter.generations.add()
            advanced = true
        }
        Preempt.enable()
        return advanced
    }

    /// Generations this CPU has completed.
    @inline(__always) static var count: UInt64 { PCA.local.word(CPUArea.generationCount).pointee }

    /// True once two generations passed since `marker` was read from `count`.
    @inline(__always) static func elapsed(_ marker: UInt64) -> Bool { count >= marker + 2 }

    /// Waits (yielding, advancing) until two generations passed on this CPU; the caller must not
    /// be inside a request itself.
    static func waitForTwo() {
        let marker = count
        while !elapsed(marker) {
            tryAdvance()
            if !elapsed(marker) { Scheduler.yield() }
        }
    }
}
