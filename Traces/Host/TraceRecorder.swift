// TraceRecorder: the host's side of one traced run. The emulator's hardware hooks and the drain
// of the guests' trace buffers append events here, per CPU, each with its full 64-bit cycle;
// `fileBytes` sorts every CPU's events by cycle (ties keep the order they were recorded in) and
// writes the trace file (TraceFile). Nothing host-dependent is recorded, so the same run gives
// the same file byte for byte. Hooks test `wants(major)` (or `mask`) before building an event:
// with tracing off the machine holds no recorder at all and the hooks test one optional.

public final class TraceRecorder {
    /// Classes recorded: bit n = major class n (TraceMajor); control is always included.
    public let mask: UInt64
    public let cpuCount: Int
    /// Per CPU: records as words — cycle, header (TraceHeader, timestamp = low 32 bits of the
    /// cycle), data words.
    public private(set) var streams: [[UInt64]]
    public private(set) var recordCounts: [Int]

    public init(cpus: Int, mask: UInt64) {
        precondition(cpus >= 1)
        self.mask = mask | 1 << TraceMajor.control
        cpuCount = cpus
        streams = [[UInt64]](repeating: [], count: cpus)
        recordCounts = [Int](repeating: 0, count: cpus)
    }

    @inline(__always) public func wants(_ major: UInt64) -> Bool { mask & (1 << major) != 0 }

    /// Total events recorded so far.
    public var eventCount: Int { recordCounts.reduce(0, +) }

    @inline(__always)
    private func begin(_ cpu: Int, _ cycle: UInt64, _ id: TraceEventID, _ dataWords: UInt64) {
        streams[cpu].append(cycle)
        streams[cpu].append(TraceHeader.make(timestamp: cycle & 0xFFFF_FFFF, length: dataWords + 1, bits: id.headerBits))
        recordCounts[cpu] += 1
    }

    public func record(cpu: Int, cycle: UInt64, _ id: TraceEventID) {
        begin(cpu, cycle, id, 0)
    }
    public func record(cpu: Int, cycle: UInt64, _ id: TraceEventID, _ d0: UInt64) {
        begin(cpu, cycle, id, 1); streams[cpu].append(d0)
    }
    public func record(cpu: Int, cycle: UInt64, _ id: TraceEventID, _ d0: UInt64, _ d1: UInt64) {
        begin(cpu, cycle, id, 2); streams[cpu].append(d0); streams[cpu].append(d1)
    }
    public func record(cpu: Int, cycle: UInt64, _ id: TraceEventID, _ d0: UInt64, _ d1: UInt64, _ d2: UInt64) {
        begin(cpu, cycle, id, 3); streams[cpu].append(d0); streams[cpu].append(d1); streams[cpu].append(d2)
    }
    public func record(cpu: Int, cycle: UInt64, _ id: TraceEventID, _ d0: UInt64, _ d1: UInt64, _ d2: UInt64, _ d3: UInt64) {
        begin(cpu, cycle, id, 4)
        streams[cpu].append(d0); streams[cpu].append(d1); streams[cpu].append(d2); streams[cpu].append(d3)
    }
    public func record(cpu: Int, cycle: UInt64, _ id: TraceEventID, _ d0: UInt64, _ d1: UInt64, _ d2: UInt64, _ d3: UInt64, _ d4: UInt64) {
        begin(cpu, cycle, id, 5)
        streams[cpu].append(d0); streams[cpu].append(d1); streams[cpu].append(d2); streams[cpu].append(d3); streams[cpu].append(d4)
    }
    public func record(cpu: Int, cycle: UInt64, _ id: TraceEventID, _ d0: UInt64, _ d1: UInt64, _ d2: UInt64, _ d3: UInt64, _ d4: UInt64,
                       _ d5: UInt64, _ d6: UInt64) {
        begin(cpu, cycle, id, 7)
        streams[cpu].append(d0); streams[cpu].append(d1); streams[cpu].append(d2); streams[cpu].append(d3); streams[cpu].append(d4)
        streams[cpu].append(d5); streams[cpu].append(d6)
    }
    /// An event whose data words come from guest memory (`data` holds its words, at most 254).
    public func record(cpu: Int, cycle: UInt64, layer: UInt64, major: UInt64, minor: UInt64, data: UnsafeBufferPointer<UInt64>) {
        let count = min(data.count, Int(TraceHeader.maxLength) - 1)
        let bits = (layer & TraceHeader.layerMask) << TraceHeader.layerShift | (major & TraceHeader.majorMask) << TraceHeader.majorShift
            | (minor & TraceHeader.minorMask)
        streams[cpu].append(cycle)
        streams[cpu].append(TraceHeader.make(timestamp: cycle & 0xFFFF_FFFF, length: UInt64(count) + 1, bits: bits))
        streams[cpu].append(contentsOf: data.prefix(count))
        recordCounts[cpu] += 1
    }

    /// The trace file of everything recorded (TraceFile's layout), every CPU's events in cycle order.
    public func fileBytes(isa: TraceISA, nodes: Int, frequency: UInt64) -> [UInt8] {
        var out = TraceFileWriter(isa: isa, cpus: cpuCount, nodes: nodes, frequency: frequency, mask: mask,
                                  records: UInt64(eventCount))
        for cpu in 0 ..< cpuCount {
            let words = streams[cpu]
            // Record offsets, then a stable order by cycle.
            var offsets: [Int] = []
            offsets.reserveCapacity(recordCounts[cpu])
            var i = 0
            var sorted = true
            var last: UInt64 = 0
            while i < words.count {
                offsets.append(i)
                if words[i] < last { sorted = false }
                last = words[i]
                i += 2 + Int(TraceHeader.length(words[i + 1])) - 1
            }
            if !sorted {
                offsets = offsets.enumerated().sorted { a, b in
                    words[a.element] != words[b.element] ? words[a.element] < words[b.element] : a.offset < b.offset
                }.map(\.element)
            }
            out.beginSection(cpu: cpu, records: UInt64(offsets.count), words: UInt64(words.count))
            for o in offsets {
                let n = 1 + Int(TraceHeader.length(words[o + 1]))
                for k in 0 ..< n { out.word(words[o + k]) }
            }
        }
        return out.bytes
    }
}
