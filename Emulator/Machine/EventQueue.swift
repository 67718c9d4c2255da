// EventQueue: timed machine events (IPIs, device timer ticks, block-device completions) in deterministic order — by cycle,
// then by the order they were scheduled.

public struct MachineEvent: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case ipi
        case deviceTimer
        case blockDone
    }
    public var time: UInt64
    public var cpu: Int
    public var kind: Kind
    var sequence: UInt64
}

public struct EventQueue: Sendable {
    private var heap: [MachineEvent] = []
    private var nextSequence: UInt64 = 0

    public init() {}

    public var isEmpty: Bool { heap.isEmpty }
    public var count: Int { heap.count }

    public mutating func schedule(at time: UInt64, cpu: Int, _ kind: MachineEvent.Kind) {
        heap.append(MachineEvent(time: time, cpu: cpu, kind: kind, sequence: nextSequence))
        nextSequence &+= 1
        var i = heap.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            if !Self.before(heap[i], heap[parent]) { break }
            heap.swapAt(i, parent)
            i = parent
        }
    }

    /// Earliest pending event for `cpu`, if any (linear; the queue is small).
    public func nextTime(for cpu: Int) -> UInt64? {
        var best: UInt64?
        for e in heap where e.cpu == cpu { best = min(best ?? .max, e.time) }
        return best
    }

    /// Removes and returns the events for `cpu` due at or before `time`, in order.
    public mutating func takeDue(for cpu: Int, upTo time: UInt64) -> [MachineEvent] {
        var due: [MachineEvent] = []
        var rest: [MachineEvent] = []
        for e in heap {
            if e.cpu == cpu && e.time <= time { due.append(e) } else { rest.append(e) }
        }
        if due.isEmpty { return [] }
        heap = []
        for e in rest { reinsert(e) }
        return due.sorted(by: Self.before)
    }

    private mutating func reinsert(_ e: MachineEvent) {
        heap.append(e)
        var i = heap.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            if !Self.before(heap[i], heap[parent]) { break }
            heap.swapAt(i, parent)
            i = parent
        }
    }

    static func before(_ a: MachineEvent, _ b: MachineEvent) -> Bool {
        a.time != b.time ? a.time < b.time : a.sequence < b.sequence
    }
}
