// CORef: a clustered-object reference — the index of the object's entry in every CPU's local
// translation table (its address is Arch.localTableBase + 8 * index, the same on every CPU).
// A call is ref -> rep -> method: one load of this CPU's entry and, when it is filled, the call on
// that rep, with no lock, no shared write and no lookup. An empty entry goes to `COS.miss`, which
// asks the object's root for this CPU's rep (passing the method's number, as K42's default-object
// trampolines do), fills the entry and completes the call — or, while the object is being hot
// swapped, runs it through the mediator. Reps are Swift classes used without ARC on this path.

struct CORef<Rep: AnyObject>: Equatable {
    let index: Int

    @inline(__always) var entry: UnsafeMutablePointer<UInt> { LocalTable.entry(index) }

    /// Calls `body` with this CPU's rep. `method` identifies the call for the miss path.
    @inline(__always) func call<R>(method: Int = 0, _ body: (Rep) -> R) -> R {
        let p = entry.pointee
        if _fastPath(p != 0) {
            return Unmanaged<Rep>.fromOpaque(UnsafeRawPointer(bitPattern: p)!)._withUnsafeGuaranteedRef(body)
        }
        guard let r = COS.miss(index, method, body) else {
            Panic.panic("call on a destroyed clustered object, reference", value: UInt64(index))
        }
        return r
    }

    /// Like `call`, but nil when the object was destroyed (callers that race with destruction).
    @inline(__always) func callIfAlive<R>(method: Int = 0, _ body: (Rep) -> R) -> R? {
        let p = entry.pointee
        if _fastPath(p != 0) {
            return Unmanaged<Rep>.fromOpaque(UnsafeRawPointer(bitPattern: p)!)._withUnsafeGuaranteedRef(body)
        }
        return COS.miss(index, method, body)
    }

    /// The root (for object-specific operations such as summing a partitioned counter).
    var root: CORoot { COS.root(index) }
}
