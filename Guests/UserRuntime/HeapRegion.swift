// HeapRegion: a K42 user program's heap (Common/Heap.swift) is anonymous memory the runtime
// maps itself at `base`, growing in steps of at least `step` bytes as the allocator asks.

enum UserHeap {
    static let base: UInt = 0x4000_0000
    static let step: UInt = 1 << 20
    static let limit: UInt = 0x6000_0000
}

func heapInitialRegion() -> (start: UInt, limit: UInt) {
    (UserHeap.base, heapGrow(from: UserHeap.base, by: UserHeap.step))
}

/// Maps at least `bytes` more at `limit`; the new limit (unchanged when the kernel refused).
func heapGrow(from limit: UInt, by bytes: UInt) -> UInt {
    let size = max(UserHeap.step, (bytes + 4095) & ~4095)
    guard limit + size <= UserHeap.limit,
          System.map(base: UInt64(limit), size: UInt64(size), .writable) == 0 else { return limit }
    return limit + size
}

@inline(__always) func heapPause() {}

/// While a thread holds the heap lock its dispatcher is disabled (no upcall may switch to a
/// thread that would then spin on the lock); nested uses keep the outer state (per dispatcher:
/// the lock itself is shared by all of them, Common/Heap.swift).
func heapWillLock() {
    guard Dispatcher.started, Dispatcher.base != 0 else { return }
    let d = Threads.here
    let enabled = !Dispatcher.disabled
    Dispatcher.disable()
    if d.heapDepth == 0 { d.heapWasEnabled = enabled }
    d.heapDepth += 1
}

func heapDidUnlock() {
    guard Dispatcher.started, Dispatcher.base != 0 else { return }
    let d = Threads.here
    d.heapDepth -= 1
    if d.heapDepth == 0 && d.heapWasEnabled { Dispatcher.enable() }
}
