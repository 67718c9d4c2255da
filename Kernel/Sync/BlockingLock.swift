// BlockingLock: a sleeping mutex in four words of the object it protects: an inner spin lock
// (two words) guarding the owner and a FIFO queue of waiting threads (head; the tail is found by
// walking, waiters are few). An uncontended lock and unlock take the inner lock once each; a
// contended lock queues the thread and sleeps; unlock hands the lock directly to the oldest
// waiter (on whatever CPU it is) and wakes it, so ownership never bounces and no waiter starves.
// Layout: 0-1 inner spin lock, 2 owner (thread record), 3 queue head.

struct BlockingLock {
    let words: UnsafeMutablePointer<UInt64>
    static let wordCount = 4

    init(_ words: UnsafeMutablePointer<UInt64>) { self.words = words }

    static func initialise(_ words: UnsafeMutablePointer<UInt64>) {
        for i in 0 ..< wordCount { words[i] = 0 }
    }

    private var inner: SpinLock { SpinLock(words) }

    func lock() {
        let me = Scheduler.current
        inner.lock()
        if words[2] == 0 {
            words[2] = UInt64(me.address)
            inner.unlock()
            return
        }
        me.next = 0
        if words[3] == 0 {
            words[3] = UInt64(me.address)
        } else {
            var t = ThreadRecord(UInt(words[3]))
            while t.next != 0 { t = ThreadRecord(UInt(t.next)) }
            t.next = UInt64(me.address)
        }
        Scheduler.prepareToBlock()
        inner.unlock()
        Scheduler.block()
        // unlock() made us the owner before waking us.
    }

    func unlock() {
        inner.lock()
        let head = words[3]
        if head == 0 {
            words[2] = 0
            inner.unlock()
            return
        }
        let waiter = ThreadRecord(UInt(head))
        words[3] = waiter.next
        words[2] = head
        inner.unlock()
        Scheduler.unblock(waiter)
    }

    var owner: UInt64 { words[2] }
}
