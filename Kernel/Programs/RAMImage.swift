// RAMImage: the files of the initial RAM image the loader placed at the top of node 0's RAM
// (BootInfo.ramImage; layout in docs/platform.md "Initial RAM image"), read in place through
// the kernel's linear map. Nothing is trusted: the header, every entry and every file range are
// checked against the image's size before a file is handed out.

enum RAMImage {
    static let magic: UInt64 = 0x4D49_4D41_5232_344B
    static let headerBytes: UInt64 = 0x18
    static let entryBytes: UInt64 = 48

    /// The image's bytes, or nil when there is none or its header is malformed.
    static var bytes: UnsafeRawBufferPointer? {
        let (base, size) = BootInfo.ramImage
        guard size >= headerBytes else { return nil }
        let b = UnsafeRawBufferPointer(start: UnsafeRawPointer(bitPattern: Arch.kernelBase + UInt(base))!, count: Int(size))
        guard word(b, 0) == magic, word(b, 16) == size, word(b, 8) <= 256,
              headerBytes + entryBytes * word(b, 8) <= size else { return nil }
        return b
    }

    static var fileCount: Int { bytes.map { Int(word($0, 8)) } ?? 0 }

    /// The file called `name`, or nil.
    static func file(named name: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer? {
        guard let b = bytes, name.count > 0, name.count < 32 else { return nil }
        for i in 0 ..< word(b, 8) {
            let e = Int(headerBytes + entryBytes * i)
            var same = b[e + name.count] == 0
            var j = 0
            while same && j < name.count { same = b[e + j] == name[j]; j += 1 }
            guard same else { continue }
            let offset = word(b, e + 32), size = word(b, e + 40)
            guard offset <= UInt64(b.count), size <= UInt64(b.count) - offset else { return nil }
            return UnsafeRawBufferPointer(rebasing: b[Int(offset) ..< Int(offset + size)])
        }
        return nil
    }

    static func file(named name: StaticString) -> UnsafeRawBufferPointer? {
        name.withUTF8Buffer { file(named: UnsafeRawBufferPointer($0)) }
    }

    @inline(__always) static func word(_ b: UnsafeRawBufferPointer, _ offset: Int) -> UInt64 {
        b.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
    }
    @inline(__always) static func word(_ b: UnsafeRawBufferPointer, _ offset: UInt64) -> UInt64 { word(b, Int(offset)) }
}
