// InitialRAMImage: the initial RAM image — named files (K42 user programs) the loader places at
// the top of node 0's RAM and announces in the boot-information block (+0x1100 physical base,
// +0x1108 size; docs/platform.md "Initial RAM image"). Layout, little-endian 64-bit words:
//   +0x00 magic "K42RAMIM" (0x4D49_4D41_5232_344B), +0x08 file count, +0x10 total size, then per
//   file 48 bytes: name (32 bytes, UTF-8, NUL-padded, at least one NUL), offset from the image
//   start, size; the files follow, each at an 8-byte-aligned offset.
// `pack` builds one, `parse` reads one back (and rejects a malformed one with the reason).

public struct InitialRAMImage: Sendable, Equatable {
    public static let magic: UInt64 = 0x4D49_4D41_5232_344B
    public static let maxNameBytes = 31
    public static let maxFiles = 256
    static let headerBytes = 0x18
    static let entryBytes = 48

    public struct File: Sendable, Equatable {
        public var name: String
        public var bytes: [UInt8]
        public init(name: String, bytes: [UInt8]) { self.name = name; self.bytes = bytes }
    }

    public var files: [File]

    public init(files: [File]) { self.files = files }

    /// The image's bytes, or an error naming the file that cannot be packed.
    public func pack() throws(ElfError) -> [UInt8] {
        guard files.count <= Self.maxFiles else { throw ElfError("initial RAM image: \(files.count) files, at most \(Self.maxFiles)") }
        var seen = Set<String>()
        for f in files {
            let n = Array(f.name.utf8)
            guard !n.isEmpty, n.count <= Self.maxNameBytes, !n.contains(0) else {
                throw ElfError("initial RAM image: file name '\(f.name)' must be 1 to \(Self.maxNameBytes) bytes of UTF-8 without NUL")
            }
            guard seen.insert(f.name).inserted else { throw ElfError("initial RAM image: file '\(f.name)' appears twice") }
        }
        var offset = Self.headerBytes + Self.entryBytes * files.count
        var entries: [(offset: Int, size: Int)] = []
        for f in files {
            offset = (offset + 7) & ~7
            entries.append((offset, f.bytes.count))
            offset += f.bytes.count
        }
        var out = [UInt8](repeating: 0, count: offset)
        func put(_ v: UInt64, at o: Int) { for i in 0 ..< 8 { out[o + i] = UInt8(truncatingIfNeeded: v >> (8 * UInt64(i))) } }
        put(Self.magic, at: 0)
        put(UInt64(files.count), at: 8)
        put(UInt64(offset), at: 16)
        for (i, f) in files.enumerated() {
            let e = Self.headerBytes + Self.entryBytes * i
            for (j, b) in f.name.utf8.enumerated() { out[e + j] = b }
            put(UInt64(entries[i].offset), at: e + 32)
            put(UInt64(entries[i].size), at: e + 40)
            out.replaceSubrange(entries[i].offset ..< entries[i].offset + f.bytes.count, with: f.bytes)
        }
        return out
    }

    /// Reads an image back; the error names what is wrong and where.
    public static func parse(_ bytes: [UInt8]) throws(ElfError) -> InitialRAMImage {
        func word(_ o: Int) -> UInt64 {
            var v: UInt64 = 0
            for i in 0 ..< 8 { v |= UInt64(bytes[o + i]) << (8 * UInt64(i)) }
            return v
        }
        guard bytes.count >= headerBytes, word(0) == magic else { throw ElfError("initial RAM image: bad magic at offset 0") }
        let count = word(8)
        guard count <= UInt64(maxFiles), headerBytes + entryBytes * Int(count) <= bytes.count else {
            throw ElfError("initial RAM image: file count \(count) at offset 0x8 does not fit the image")
        }
        guard word(16) == UInt64(bytes.count) else {
            throw ElfError("initial RAM image: total size \(word(16)) at offset 0x10, the image has \(bytes.count) bytes")
        }
        var files: [File] = []
        for i in 0 ..< Int(count) {
            let e = headerBytes + entryBytes * i
            let nameBytes = bytes[e ..< e + 32]
            guard let nul = nameBytes.firstIndex(of: 0), nul > e else {
                throw ElfError("initial RAM image: entry \(i) at offset 0x\(String(e, radix: 16)): name not NUL-terminated or empty")
            }
            let offset = word(e + 32), size = word(e + 40)
            guard offset <= UInt64(bytes.count), size <= UInt64(bytes.count) - offset else {
                throw ElfError("initial RAM image: entry \(i) at offset 0x\(String(e, radix: 16)): file outside the image")
            }
            files.append(File(name: String(decoding: bytes[e ..< nul], as: UTF8.self),
                              bytes: Array(bytes[Int(offset) ..< Int(offset + size)])))
        }
        return InitialRAMImage(files: files)
    }
}
