// TraceFormat: the binary layout every k42sim trace event has, in a guest's trace buffers and in
// the host's trace files, and the guest/platform contract of the trace buffers. Compiled into the
// host (target Traces) and, by the guest toolchain, into every guest module (the kernel too), so
// both sides read the same constants. Plain integers and structs only (Embedded Swift).
//
// An event is a header word followed by data words, as K42 laid it out (lib/libc/trace/traceCore.H):
//   bits 63..32  timestamp: the low 32 bits of the logging CPU's cycle counter
//   bits 31..24  length of the event in 64-bit words, header included (1 ... 255)
//   bits 23..20  layer (TraceLayer)
//   bits 19..14  major class (TraceMajor; one bit of the 64-bit class mask each)
//   bits 13..0   minor id (the event within its class)
// Host trace files precede every event with its full 64-bit cycle (docs/traces.md).

public enum TraceHeader {
    public static let timestampShift: UInt64 = 32
    public static let lengthShift: UInt64 = 24
    public static let layerShift: UInt64 = 20
    public static let majorShift: UInt64 = 14
    public static let lengthMask: UInt64 = 0xFF
    public static let layerMask: UInt64 = 0xF
    public static let majorMask: UInt64 = 0x3F
    public static let minorMask: UInt64 = 0x3FFF
    /// Longest event, header included.
    public static let maxLength: UInt64 = 255

    /// The header word; `bits` = layer << 20 | major << 14 | minor (TraceEventID.headerBits).
    @inline(__always)
    public static func make(timestamp: UInt64, length: UInt64, bits: UInt64) -> UInt64 {
        (timestamp << timestampShift) | (length << lengthShift) | bits
    }

    @inline(__always) public static func timestamp(_ h: UInt64) -> UInt64 { h >> timestampShift }
    @inline(__always) public static func length(_ h: UInt64) -> UInt64 { (h >> lengthShift) & lengthMask }
    @inline(__always) public static func layer(_ h: UInt64) -> UInt64 { (h >> layerShift) & layerMask }
    @inline(__always) public static func major(_ h: UInt64) -> UInt64 { (h >> majorShift) & majorMask }
    @inline(__always) public static func minor(_ h: UInt64) -> UInt64 { h & minorMask }
}

/// A guest CPU's trace control block (64-bit words, little-endian, in guest RAM), followed by
/// one committed-word counter per buffer. The guest lays it out and registers it with the
/// sim-call TraceSimCall.register; the host writes only `mask` (at registration), `drained` and
/// the counters and contents of the buffers it drained (docs/platform.md, docs/traces.md).
public enum TraceControlWord {
    /// Classes to log: bit n = major class n. Written by the host; guests only test it.
    public static let mask = 0
    /// Producer index in words since registration (monotonic); reserved by compare-and-swap.
    public static let index = 1
    /// Index of the first word the host has not drained yet (a buffer boundary). Host-written.
    public static let drained = 2
    /// Events the guest dropped because every buffer was still undrained (guest-counted).
    public static let lost = 3
    /// The guest's virtual address of the buffer array.
    public static let array = 4
    /// The guest's virtual address of the sim-call port page (ARG0 +0x00, ARG1 +0x08, OP +0x10).
    public static let port = 5
    /// log2(words per buffer) | log2(buffer count) << 8.
    public static let geometry = 6
    /// TraceControlWord.magicValue.
    public static let magic = 7
    /// The physical address of this control block (ARG0 of every buffer-full sim-call).
    public static let physical = 8
    /// Words 9 ... 12 are the guest's own, derived from the geometry (the host ignores them):
    /// words per buffer - 1, words in the ring - 1, log2(words per buffer), buffers - 1.
    public static let bufferMask = 9
    public static let ringMask = 10
    public static let bufferShift = 11
    public static let countMask = 12
    /// Words 13 ..< 16 are reserved (0). Word 16 + b: words committed in buffer b.
    public static let committed = 16

    /// "K42TRC" then version 1.
    public static let magicValue: UInt64 = 0x4B34_3254_5243_0001
    /// A buffer holds the longest event: at least 256 words; at most 64 Ki words (K42's 16 offset bits).
    public static let minBufferShift: UInt64 = 8
    public static let maxBufferShift: UInt64 = 16
    /// 2 ... 256 buffers.
    public static let minCountShift: UInt64 = 1
    public static let maxCountShift: UInt64 = 8

    /// Bytes of a control block for 2^countShift buffers.
    @inline(__always) public static func controlBytes(countShift: UInt64) -> UInt64 { (16 + (1 << countShift)) * 8 }
}

/// Sim-call port operations of the trace buffers (docs/platform.md).
public enum TraceSimCall {
    /// ARG0 = physical address of the calling CPU's control block, ARG1 = physical address of
    /// its buffer array (physically contiguous). The host checks both, then writes the mask.
    public static let register: UInt64 = 7
    /// ARG0 = physical address of the control block, ARG1 = number of the buffer whose last
    /// word was just committed. The host drains every complete buffer, oldest first.
    public static let bufferFull: UInt64 = 8
}
