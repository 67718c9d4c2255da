// Atomic: a view of a 64-bit word in raw memory (per-CPU areas, thread records, lock words) as
// an atomic, for kernel structures that live in memory the kernel lays out itself rather than
// in Swift objects. Compiles to the ISA's load-linked/store-conditional sequences (checked in
// the IR: cmpxchg / atomicrmw).
import Synchronization

struct AtomicWord {
    let pointer: UnsafeMutablePointer<Atomic<UInt64>>

    @inline(__always) init(_ address: UnsafeMutableRawPointer) {
        pointer = address.assumingMemoryBound(to: Atomic<UInt64>.self)
    }
    @inline(__always) init(_ word: UnsafeMutablePointer<UInt64>) { self.init(UnsafeMutableRawPointer(word)) }

    @inline(__always) func load() -> UInt64 { pointer.pointee.load(ordering: .acquiring) }
    @inline(__always) func loadRelaxed() -> UInt64 { pointer.pointee.load(ordering: .relaxed) }
    @inline(__always) func store(_ v: UInt64) { pointer.pointee.store(v, ordering: .releasing) }
    /// Sequentially consistent: for the store-then-load handshakes of blocking (a thread says
    /// it sleeps, then looks whether it still must; its waker publishes, then looks who sleeps).
    @inline(__always) func storeSequential(_ v: UInt64) { pointer.pointee.store(v, ordering: .sequentiallyConsistent) }
    @inline(__always) func loadSequential() -> UInt64 { pointer.pointee.load(ordering: .sequentiallyConsistent) }
    // Read-modify-write operations are sequentially consistent.
    @inline(__always) func exchange(_ v: UInt64) -> UInt64 {
        pointer.pointee.exchange(v, ordering: .sequentiallyConsistent)
    }
    @inline(__always) func compareExchange(expected: UInt64, desired: UInt64) -> Bool {
        pointer.pointee.compareExchange(expected: expected, desired: desired, ordering: .sequentiallyConsistent).exchanged
    }
    /// Sets / clears bits; returns the old value.
    @inline(__always) @discardableResult func or(_ v: UInt64) -> UInt64 {
        pointer.pointee.bitwiseOr(v, ordering: .sequentiallyConsistent).oldValue
    }
    @inline(__always) @discardableResult func and(_ v: UInt64) -> UInt64 {
        pointer.pointee.bitwiseAnd(v, ordering: .sequentiallyConsistent).oldValue
    }
    /// Adds `v` with no ordering: a per-CPU counter that threads of its CPU (which may be
    /// preempted between a load and a store) and interrupt handlers share.
    @inline(__always) func addRelaxed(_ v: UInt64) {
        _ = pointer.pointee.wrappingAdd(v, ordering: .relaxed)
    }
    /// Adds `v`; returns the old value.
    @inline(__always) func add(_ v: UInt64) -> UInt64 {
        pointer.pointee.wrappingAdd(v, ordering: .sequentiallyConsistent).oldValue
    }
}

/// A word of raw memory at a kernel virtual address.
@inline(__always) func word(_ address: UInt) -> UnsafeMutablePointer<UInt64> {
    UnsafeMutablePointer<UInt64>(bitPattern: address)!
}
