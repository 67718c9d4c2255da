// TraceFile: k42sim's trace file (docs/traces.md), little-endian 64-bit words:
//   file header (16 words): magic "K42TRACE", version 1, header words (16), ISA (0 MIPS64,
//     1 PPC64), CPUs, nodes, cycles per second, class mask, records in the file, 7 words 0;
//   then one section per CPU, in CPU order: "CPU" tag | cpu, records, words, 0 — followed by
//     the section's records in cycle order, each the full 64-bit cycle, then the event itself
//     (K42's header word, whose timestamp field holds the cycle's low 32 bits, and data words).
// The reader checks everything and reports the first problem with its byte offset; it never
// traps on bad input (truncated, corrupt or hostile files).
import Foundation

public enum TraceISA: UInt64, Sendable {
    case mips64 = 0, ppc64 = 1
    public var name: String { self == .mips64 ? "mips64" : "ppc64" }
}

public enum TraceFileFormat {
    /// "K42TRACE" as little-endian bytes.
    public static let magic: UInt64 = 0x4543_4152_5432_344B
    public static let version: UInt64 = 1
    public static let headerWords = 16
    public static let sectionTag: UInt64 = 0x0055_5043_0000_0000   // "\0\0\0\0CPU\0" with the CPU in the low bits
    public static let sectionWords = 4
}

public struct TraceFileError: Error, CustomStringConvertible, Sendable {
    public let offset: Int
    public let message: String
    public init(offset: Int, _ message: String) { self.offset = offset; self.message = message }
    public var description: String { "offset 0x\(String(offset, radix: 16)) (byte \(offset)): \(message)" }
}

/// Builds a trace file.
public struct TraceFileWriter {
    public private(set) var bytes: [UInt8] = []

    public init(isa: TraceISA, cpus: Int, nodes: Int, frequency: UInt64, mask: UInt64, records: UInt64) {
        for w in [TraceFileFormat.magic, TraceFileFormat.version, UInt64(TraceFileFormat.headerWords), isa.rawValue,
                  UInt64(cpus), UInt64(nodes), frequency, mask, records] { word(w) }
        while bytes.count < TraceFileFormat.headerWords * 8 { word(0) }
    }

    public mutating func beginSection(cpu: Int, records: UInt64, words: UInt64) {
        word(TraceFileFormat.sectionTag | UInt64(cpu)); word(records); word(words); word(0)
    }

    public mutating func word(_ w: UInt64) {
        withUnsafeBytes(of: w.littleEndian) { bytes.append(contentsOf: $0) }
    }
}

/// One event of a trace file.
public struct TraceEvent: Sendable {
    public var cpu: Int
    public var cycle: UInt64
    public var header: UInt64
    public var data: ArraySlice<UInt64>
    public var layer: UInt64 { TraceHeader.layer(header) }
    public var major: UInt64 { TraceHeader.major(header) }
    public var minor: UInt64 { TraceHeader.minor(header) }
    public subscript(_ i: Int) -> UInt64 { i < data.count ? data[data.startIndex + i] : 0 }
}

/// A parsed trace file: its header and every CPU's events.
public struct TraceFile: Sendable {
    public var isa: TraceISA
    public var cpus: Int
    public var nodes: Int
    public var frequency: UInt64
    public var mask: UInt64
    /// Per CPU, events in cycle order.
    public var events: [[TraceEvent]]

    public var eventCount: Int { events.reduce(0) { $0 + $1.count } }

    /// Every event of every CPU, by cycle (ties: lower CPU first, then file order).
    public var merged: [TraceEvent] {
        var all: [TraceEvent] = []
        all.reserveCapacity(eventCount)
        var next = [Int](repeating: 0, count: events.count)
        // k-way merge (CPU counts are small).
        while true {
            var best = -1
            for c in 0 ..< events.count where next[c] < events[c].count {
                if best < 0 || events[c][next[c]].cycle < events[best][next[best]].cycle { best = c }
            }
            if best < 0 { break }
            all.append(events[best][next[best]])
            next[best] += 1
        }
        return all
    }

    public static func read(path: String) throws -> TraceFile {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw TraceFileError(offset: 0, "cannot read the file")
        }
        return try parse([UInt8](data))
    }

    public static func parse(_ bytes: [UInt8]) throws(TraceFileError) -> TraceFile {
        let wordCount = bytes.count / 8
        func word(_ i: Int) -> UInt64 {
            var w: UInt64 = 0
            for k in 0 ..< 8 { w |= UInt64(bytes[i * 8 + k]) << (8 * UInt64(k)) }
            return w
        }
        let h = TraceFileFormat.headerWords
        if bytes.count < 8 || word(0) != TraceFileFormat.magic {
            throw TraceFileError(offset: 0, bytes.count < 8 ? "truncated: \(bytes.count) bytes, no file header" : "not a k42sim trace file (bad magic)")
        }
        if bytes.count % 8 != 0 {
            throw TraceFileError(offset: wordCount * 8, "truncated: the file ends inside a word (\(bytes.count) bytes is not a multiple of 8)")
        }
        if wordCount < h { throw TraceFileError(offset: bytes.count, "truncated: the file header needs \(h * 8) bytes, the file has \(bytes.count)") }
        if word(1) != TraceFileFormat.version { throw TraceFileError(offset: 8, "unsupported trace file version \(word(1)) (this k42sim reads version 1)") }
        if word(2) != UInt64(h) { throw TraceFileError(offset: 16, "bad header length \(word(2)) (expected \(h) words)") }
        guard let isa = TraceISA(rawValue: word(3)) else { throw TraceFileError(offset: 24, "unknown ISA \(word(3))") }
        let cpus = word(4), nodes = word(5), frequency = word(6), mask = word(7), records = word(8)
        if cpus < 1 || cpus > 256 { throw TraceFileError(offset: 32, "CPU count \(cpus) outside 1 ... 256") }
        if nodes < 1 || nodes > cpus { throw TraceFileError(offset: 40, "node count \(nodes) outside 1 ... \(cpus)") }
        if frequency == 0 { throw TraceFileError(offset: 48, "frequency 0") }
        var events: [[TraceEvent]] = []
        var all: [UInt64] = []
        all.reserveCapacity(wordCount)
        for i in 0 ..< wordCount { all.append(word(i)) }
        var pos = h
        var total: UInt64 = 0
        for cpu in 0 ..< Int(cpus) {
            let at = pos * 8
            guard pos + TraceFileFormat.sectionWords <= wordCount else {
                throw TraceFileError(offset: bytes.count, "truncated: section header of CPU \(cpu) missing")
            }
            if all[pos] != TraceFileFormat.sectionTag | UInt64(cpu) {
                throw TraceFileError(offset: at, "bad section header: expected CPU \(cpu)'s tag, found 0x\(String(all[pos], radix: 16))")
            }
            let n = all[pos + 1], words = all[pos + 2]
            pos += TraceFileFormat.sectionWords
            if words > UInt64(wordCount - pos) {
                throw TraceFileError(offset: at + 16, "truncated: CPU \(cpu)'s section declares \(words) words, \(wordCount - pos) remain")
            }
            if n > words / 2 { throw TraceFileError(offset: at + 8, "CPU \(cpu)'s section declares \(n) records in \(words) words") }
            let end = pos + Int(words)
            var list: [TraceEvent] = []
            list.reserveCapacity(Int(n))
            var last: UInt64 = 0
            while pos < end {
                let at = pos * 8
                guard pos + 2 <= end else { throw TraceFileError(offset: at, "truncated record of CPU \(cpu): a cycle without a header") }
                let cycle = all[pos], header = all[pos + 1]
                let length = Int(TraceHeader.length(header))
                if length == 0 { throw TraceFileError(offset: at + 8, "corrupt record of CPU \(cpu): event length 0") }
                if pos + 1 + length > end {
                    throw TraceFileError(offset: at + 8, "truncated record of CPU \(cpu): event of \(length) words runs past the section end")
                }
                if TraceHeader.timestamp(header) != cycle & 0xFFFF_FFFF {
                    throw TraceFileError(offset: at + 8, "corrupt record of CPU \(cpu): header timestamp 0x\(String(TraceHeader.timestamp(header), radix: 16)) is not the low half of cycle \(cycle)")
                }
                if cycle < last { throw TraceFileError(offset: at, "corrupt record of CPU \(cpu): cycle \(cycle) before the previous event's \(last)") }
                last = cycle
                list.append(TraceEvent(cpu: cpu, cycle: cycle, header: header, data: all[(pos + 2) ..< (pos + 1 + length)]))
                pos += 1 + length
            }
            if UInt64(list.count) != n {
                throw TraceFileError(offset: at + 8, "CPU \(cpu)'s section declares \(n) records but holds \(list.count)")
            }
            total += n
            events.append(list)
        }
        if pos != wordCount { throw TraceFileError(offset: pos * 8, "\(wordCount - pos) words of garbage after the last section") }
        if total != records { throw TraceFileError(offset: 64, "the header declares \(records) records, the sections hold \(total)") }
        return TraceFile(isa: isa, cpus: Int(cpus), nodes: Int(nodes), frequency: frequency, mask: mask, events: events)
    }
}
