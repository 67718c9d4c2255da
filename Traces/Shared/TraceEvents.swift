// TraceEvents: the one definition of every k42sim trace event — layers, major classes (one bit
// each of the 64-bit class mask), and per event its name, the meaning of its data words, the
// format string `k42sim trace dump` prints and how it appears on a timeline. Compiled into the
// host (target Traces: the emulator's hardware events, the drain of guest buffers, the trace
// tools) and, by the guest toolchain, into every guest module and the kernel (which log with
// the ids below), so an event means the same on both sides. Embedded Swift: integers, structs
// and StaticStrings only. Adding an event: a new minor id in its class, a line in
// `TraceEventDefinition.all`; guests and host pick it up at their next build.
//
// Format strings: `{n}` data word n in decimal, `{n:x}` in hexadecimal, `{n:cause}` an exception
// cause of the trace's ISA (MIPS ExcCode / PPC vector), `{n:access}` fetch/read/write,
// `{n:coh}` a coherence request kind, `{n:node}` a node or "memory" (all ones).

/// The layer an event comes from (K42: hardware 0, K42 kernel 2).
public enum TraceLayer {
    public static let hardware: UInt64 = 0
    public static let control: UInt64 = 1
    public static let kernel: UInt64 = 2
    public static let user: UInt64 = 3
}

/// Major classes: 0 control, 1 ... 15 the emulator's hardware events, 16 ... 63 software.
public enum TraceMajor {
    public static let control: UInt64 = 0
    public static let hwExceptions: UInt64 = 1
    public static let hwIPI: UInt64 = 2
    public static let hwTLB: UInt64 = 3
    public static let hwCache: UInt64 = 4
    public static let hwCoherence: UInt64 = 5
    public static let hwSimCall: UInt64 = 6
    public static let hwIdle: UInt64 = 7
    public static let swExceptions: UInt64 = 16
    public static let swSched: UInt64 = 17
    public static let swMemory: UInt64 = 18
    public static let swLock: UInt64 = 19
    public static let swTest: UInt64 = 20
    public static let swUser: UInt64 = 21

    /// Mask bits of the hardware classes (1 ... 15) and of the software classes (16 ... 63).
    public static let hardwareMask: UInt64 = 0xFFFE
    public static let softwareMask: UInt64 = ~0xFFFF
}

/// An event's identity: what the guest logs and the host matches.
public struct TraceEventID: Equatable, Sendable {
    public let layer: UInt64
    public let major: UInt64
    public let minor: UInt64

    @inline(__always)
    public init(layer: UInt64, major: UInt64, minor: UInt64) {
        self.layer = layer; self.major = major; self.minor = minor
    }

    /// This event's bit in the class mask.
    @inline(__always) public var majorBit: UInt64 { 1 << major }
    /// Header bits 23 ... 0: layer, major, minor.
    @inline(__always) public var headerBits: UInt64 {
        layer << TraceHeader.layerShift | major << TraceHeader.majorShift | minor
    }
}

extension TraceEventID {
    // control: the trace machinery.
    @inline(__always) public static var filler: TraceEventID { TraceEventID(layer: TraceLayer.control, major: TraceMajor.control, minor: 0) }
    @inline(__always) public static var heartbeat: TraceEventID { TraceEventID(layer: TraceLayer.control, major: TraceMajor.control, minor: 1) }
    @inline(__always) public static var traceStart: TraceEventID { TraceEventID(layer: TraceLayer.control, major: TraceMajor.control, minor: 2) }
    @inline(__always) public static var lost: TraceEventID { TraceEventID(layer: TraceLayer.control, major: TraceMajor.control, minor: 3) }
    @inline(__always) public static var drain: TraceEventID { TraceEventID(layer: TraceLayer.control, major: TraceMajor.control, minor: 4) }

    // hw.exceptions
    @inline(__always) public static var exception: TraceEventID { TraceEventID(layer: TraceLayer.hardware, major: TraceMajor.hwExceptions, minor: 0) }
    @inline(__always) public static var interrupt: TraceEventID { TraceEventID(layer: TraceLayer.hardware, major: TraceMajor.hwExceptions, minor: 1) }
    @inline(__always) public static var exceptionReturn: TraceEventID { TraceEventID(layer: TraceLayer.hardware, major: TraceMajor.hwExceptions, minor: 2) }
    // hw.ipi
    @inline(__always) public static var ipiSend: TraceEventID { TraceEventID(layer: TraceLayer.hardware, major: TraceMajor.hwIPI, minor: 0) }
    @inline(__always) public static var ipiDeliver: TraceEventID { TraceEventID(layer: TraceLayer.hardware, major: TraceMajor.hwIPI, minor: 1) }
    // hw.tlb
    @inline(__always) public static var tlbRefill: TraceEventID { TraceEventID(layer: TraceLayer.hardware, major: TraceMajor.hwTLB, minor: 0) }
    @inline(__always) public static var pageTableWalk: TraceEventID { TraceEventID(layer: TraceLayer.hardware, major: TraceMajor.hwTLB, minor: 1) }
    // hw.cache: the minor id is the level.
    @inline(__always) public static var l1iMiss: TraceEventID { TraceEventID(layer: TraceLayer.hardware, major: TraceMajor.hwCache, minor: 0) }
    @inline(__always) public static var l1dMiss: TraceEventID { TraceEventID(layer: TraceLayer.hardware, major: TraceMajor.hwCache, minor: 1) }
    @inline(__always) public static var l2Miss: TraceEventID { TraceEventID(layer: TraceLayer.hardware, major: TraceMajor.hwCache, minor: 2) }
    @inline(__always) public static var l3Miss: TraceEventID { TraceEventID(layer: TraceLayer.hardware, major: TraceMajor.hwCache, minor: 3) }
    // hw.coherence
    @inline(__always) public static var coherenceRequest: TraceEventID { TraceEventID(layer: TraceLayer.hardware, major: TraceMajor.hwCoherence, minor: 0) }
    @inline(__always) public static var coherenceWriteback: TraceEventID { TraceEventID(layer: TraceLayer.hardware, major: TraceMajor.hwCoherence, minor: 1) }
    // hw.simcall
    @inline(__always) public static var simCall: TraceEventID { TraceEventID(layer: TraceLayer.hardware, major: TraceMajor.hwSimCall, minor: 0) }
    // hw.idle
    @inline(__always) public static var idle: TraceEventID { TraceEventID(layer: TraceLayer.hardware, major: TraceMajor.hwIdle, minor: 0) }
    @inline(__always) public static var wake: TraceEventID { TraceEventID(layer: TraceLayer.hardware, major: TraceMajor.hwIdle, minor: 1) }

    // sw.exceptions (the kernel)
    @inline(__always) public static var trapEntry: TraceEventID { TraceEventID(layer: TraceLayer.kernel, major: TraceMajor.swExceptions, minor: 0) }
    @inline(__always) public static var trapExit: TraceEventID { TraceEventID(layer: TraceLayer.kernel, major: TraceMajor.swExceptions, minor: 1) }
    // sw.sched
    @inline(__always) public static var contextSwitch: TraceEventID { TraceEventID(layer: TraceLayer.kernel, major: TraceMajor.swSched, minor: 0) }
    // sw.mem
    @inline(__always) public static var pageAllocate: TraceEventID { TraceEventID(layer: TraceLayer.kernel, major: TraceMajor.swMemory, minor: 0) }
    @inline(__always) public static var pageFree: TraceEventID { TraceEventID(layer: TraceLayer.kernel, major: TraceMajor.swMemory, minor: 1) }
    // sw.lock
    @inline(__always) public static var lockContended: TraceEventID { TraceEventID(layer: TraceLayer.kernel, major: TraceMajor.swLock, minor: 0) }
    // sw.test (test guests)
    @inline(__always) public static var testSequence: TraceEventID { TraceEventID(layer: TraceLayer.user, major: TraceMajor.swTest, minor: 0) }
    @inline(__always) public static var testMark: TraceEventID { TraceEventID(layer: TraceLayer.user, major: TraceMajor.swTest, minor: 1) }
    // sw.user (programs)
    @inline(__always) public static var userMark: TraceEventID { TraceEventID(layer: TraceLayer.user, major: TraceMajor.swUser, minor: 0) }
}

/// How an event appears on a timeline (Perfetto / Chrome JSON export).
public enum TraceTimeline: UInt8, Sendable {
    /// A point in time.
    case instant
    /// Opens a slice on the CPU's track (closed by the next `sliceEnd` on that track).
    case sliceBegin
    case sliceEnd
    /// Counted per interval on a counter track of the CPU, not exported one by one.
    case counter
    /// Not exported (the trace machinery's own bookkeeping).
    case hidden
}

/// A major class: its mask bit, its name in `--trace-events` and in dumps.
public struct TraceClassDefinition: Sendable {
    public let major: UInt64
    public let name: StaticString
    public let summary: StaticString

    public static let all: [TraceClassDefinition] = [
        TraceClassDefinition(major: TraceMajor.control, name: "control", summary: "trace machinery: fillers, heartbeats, registrations, losses, drains (always on)"),
        TraceClassDefinition(major: TraceMajor.hwExceptions, name: "hw.exceptions", summary: "exceptions and interrupts taken (cause, pc), exception returns"),
        TraceClassDefinition(major: TraceMajor.hwIPI, name: "hw.ipi", summary: "inter-processor interrupts sent and delivered"),
        TraceClassDefinition(major: TraceMajor.hwTLB, name: "hw.tlb", summary: "MIPS TLB refill exceptions, PPC hashed-page-table walks"),
        TraceClassDefinition(major: TraceMajor.hwCache, name: "hw.cache", summary: "cache misses by level (timing model)"),
        TraceClassDefinition(major: TraceMajor.hwCoherence, name: "hw.coherence", summary: "directory coherence requests and writebacks (timing model)"),
        TraceClassDefinition(major: TraceMajor.hwSimCall, name: "hw.simcall", summary: "sim-call port operations"),
        TraceClassDefinition(major: TraceMajor.hwIdle, name: "hw.idle", summary: "CPU idle (wait, nap, branch to self) and wake-up"),
        TraceClassDefinition(major: TraceMajor.swExceptions, name: "sw.exceptions", summary: "kernel trap entry and exit"),
        TraceClassDefinition(major: TraceMajor.swSched, name: "sw.sched", summary: "kernel context switches"),
        TraceClassDefinition(major: TraceMajor.swMemory, name: "sw.mem", summary: "kernel memory management"),
        TraceClassDefinition(major: TraceMajor.swLock, name: "sw.lock", summary: "kernel locks"),
        TraceClassDefinition(major: TraceMajor.swTest, name: "sw.test", summary: "test guests"),
        TraceClassDefinition(major: TraceMajor.swUser, name: "sw.user", summary: "servers and programs"),
    ]
}

/// One event: identity, name, data words (space-separated names), format, timeline role.
public struct TraceEventDefinition: Sendable {
    public let id: TraceEventID
    public let name: StaticString
    public let fields: StaticString
    public let format: StaticString
    public let timeline: TraceTimeline

    public init(_ id: TraceEventID, _ name: StaticString, fields: StaticString, format: StaticString, _ timeline: TraceTimeline) {
        self.id = id; self.name = name; self.fields = fields; self.format = format; self.timeline = timeline
    }

    public static let all: [TraceEventDefinition] = [
        // control
        TraceEventDefinition(.filler, "filler", fields: "words", format: "{0} words to the end of a buffer", .hidden),
        TraceEventDefinition(.heartbeat, "heartbeat", fields: "cycles", format: "cycle counter {0}", .hidden),
        TraceEventDefinition(.traceStart, "start", fields: "control bufferWords buffers", format: "guest buffers registered: control {0:x}, {2} buffers of {1} words", .instant),
        TraceEventDefinition(.lost, "lost", fields: "events words reason", format: "{0} events ({1} words) lost: reason {2} (1 ring full, 2 torn, 3 uncommitted at the end, 4 bad registration)", .instant),
        TraceEventDefinition(.drain, "drain", fields: "buffer events", format: "buffer {0} drained: {1} events", .hidden),
        // hw.exceptions. MIPS: cause = ExcCode, pc = EPC, address = BadVAddr; PPC: cause = the
        // vector, pc = SRR0, address = DAR (data interrupts). flags: 1 nested (MIPS EXL already
        // set: EPC unchanged), 2 in a branch delay slot.
        TraceEventDefinition(.exception, "exception", fields: "cause pc address vector flags", format: "{0:cause} pc {1:x} address {2:x} vector {3:x} flags {4}", .sliceBegin),
        TraceEventDefinition(.interrupt, "interrupt", fields: "cause pc pending vector flags", format: "{0:cause} pc {1:x} pending {2:x} vector {3:x} flags {4}", .sliceBegin),
        TraceEventDefinition(.exceptionReturn, "return", fields: "pc", format: "to {0:x}", .sliceEnd),
        // hw.ipi
        TraceEventDefinition(.ipiSend, "send", fields: "target arrival", format: "to cpu {0}, pending at cycle {1}", .instant),
        TraceEventDefinition(.ipiDeliver, "deliver", fields: "pending", format: "pending {0:x}", .instant),
        // hw.tlb. access: 0 fetch, 1 read, 2 write; result: 0 found, 1 no PTE, 2 table outside RAM.
        TraceEventDefinition(.tlbRefill, "refill", fields: "address access", format: "{1:access} {0:x}", .instant),
        TraceEventDefinition(.pageTableWalk, "walk", fields: "address access result", format: "{1:access} {0:x} result {2}", .instant),
        // hw.cache: physical line address, access, latency in cycles.
        TraceEventDefinition(.l1iMiss, "l1i.miss", fields: "address access latency", format: "{1:access} {0:x} latency {2}", .counter),
        TraceEventDefinition(.l1dMiss, "l1d.miss", fields: "address access latency", format: "{1:access} {0:x} latency {2}", .counter),
        TraceEventDefinition(.l2Miss, "l2.miss", fields: "address access latency", format: "{1:access} {0:x} latency {2}", .counter),
        TraceEventDefinition(.l3Miss, "l3.miss", fields: "address home latency", format: "{0:x} at node {1} latency {2}", .counter),
        // hw.coherence: kind 0 GetS, 1 GetM, 2 Upgrade, 3 Zero (writebacks: 0 PutM, 1 PutClean);
        // source: the node whose cache supplied the data, or all ones for memory / no data.
        TraceEventDefinition(.coherenceRequest, "request", fields: "kind address home requester source invalidations latency",
                             format: "{0:coh} {1:x} home {2} from node {3} data {4:node} invalidations {5} latency {6}", .counter),
        TraceEventDefinition(.coherenceWriteback, "writeback", fields: "kind address home", format: "{0:coh} {1:x} home {2}", .counter),
        // hw.simcall
        TraceEventDefinition(.simCall, "call", fields: "op arg0 arg1", format: "op {0} arg0 {1:x} arg1 {2:x}", .instant),
        // hw.idle: kind 0 wait, 1 nap, 2 branch to self.
        TraceEventDefinition(.idle, "idle", fields: "kind", format: "kind {0}", .sliceBegin),
        TraceEventDefinition(.wake, "wake", fields: "idleCycles", format: "after {0} idle cycles", .sliceEnd),
        // sw.exceptions
        TraceEventDefinition(.trapEntry, "trap", fields: "cause pc", format: "cause {0} pc {1:x}", .sliceBegin),
        TraceEventDefinition(.trapExit, "trap.exit", fields: "cause", format: "cause {0}", .sliceEnd),
        // sw.sched
        TraceEventDefinition(.contextSwitch, "switch", fields: "from to", format: "thread {0} -> {1}", .instant),
        // sw.mem
        TraceEventDefinition(.pageAllocate, "page.alloc", fields: "address order", format: "{0:x} order {1}", .instant),
        TraceEventDefinition(.pageFree, "page.free", fields: "address order", format: "{0:x} order {1}", .instant),
        // sw.lock
        TraceEventDefinition(.lockContended, "contended", fields: "lock spins", format: "lock {0:x} after {1} spins", .instant),
        // sw.test: d0 = cpu << 32 | sequence, then a pattern the test checks word by word.
        TraceEventDefinition(.testSequence, "sequence", fields: "tag", format: "tag {0:x}", .instant),
        TraceEventDefinition(.testMark, "mark", fields: "value", format: "value {0}", .instant),
        // sw.user
        TraceEventDefinition(.userMark, "mark", fields: "value", format: "value {0}", .instant),
    ]
}
