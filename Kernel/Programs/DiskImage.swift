// DiskImage: user programs on the block device. A disk whose sector 0 starts with the initial
// RAM image's magic holds that same layout (docs/platform.md "Initial RAM image"; `k42sim build
// ram-image -o FILE` writes one, `k42sim boot --disk FILE` attaches it); `spawn` looks there for a
// name the RAM image lacks (docs/kernel/programs.md). The directory is read per lookup (the
// device, not a cache, is the truth: an image rewritten between runs of a writable disk is seen),
// the file's sectors go by DMA into frames of the spawning CPU's node, which the program's first
// vehicle frees once its image is loaded. Nothing on the disk is trusted: header, directory and
// file ranges are checked against the device's size and the image's own, and a file larger than
// `maxFileBytes` is refused (EFBIG).

enum DiskImage {
    static let maxFileBytes: UInt64 = 4 << 20
    static let efbig: Int64 = 27, eio: Int64 = 5

    /// A program's bytes read from the disk, in frames of `order` at physical `pa`.
    struct Loaded {
        let pa: UInt64
        let order: Int
        let offset: Int
        let size: Int
        var bytes: UnsafeRawBufferPointer {
            UnsafeRawBufferPointer(start: UnsafeRawPointer(bitPattern: Arch.kernelBase + UInt(pa) + UInt(offset))!, count: size)
        }
        func free() { FrameAllocator.free(physical: pa, order: order) }
    }

    static func order(for bytes: UInt64) -> Int {
        var o = 0
        while UInt64(4096) << UInt64(o) < bytes { o += 1 }
        return o
    }

    /// Reads `[byte, byte + count)` of the disk (whole sectors around it) into fresh frames.
    private static func read(byte: UInt64, count: UInt64) -> Result<Loaded, Failure> {
        let first = byte / Disk.sectorSize
        let last = (byte + count + Disk.sectorSize - 1) / Disk.sectorSize
        let o = order(for: (last - first) * Disk.sectorSize)
        guard let pa = FrameAllocator.allocate(order: o) else { return .failure(Failure(errno: Programs.enomem)) }
        var sector = first
        while sector < last {                           // at most 1 MiB per request
            let n = min(last - sector, 2048)
            guard Disk.read(sector: sector, count: n, into: pa + (sector - first) * Disk.sectorSize) else {
                FrameAllocator.free(physical: pa, order: o)
                return .failure(Failure(errno: eio))
            }
            sector += n
        }
        return .success(Loaded(pa: pa, order: o, offset: Int(byte - first * Disk.sectorSize), size: Int(count)))
    }

    struct Failure: Error { let errno: Int64 }

    /// Program `name` from the disk: its bytes (the caller frees them), or ENOENT (no disk, no
    /// image on it, no such file), EFBIG, EIO, ENOMEM.
    static func load(named name: UnsafeRawBufferPointer) -> Result<Loaded, Failure> {
        let deviceBytes = Disk.sectors * Disk.sectorSize
        guard deviceBytes >= Disk.sectorSize else { return .failure(Failure(errno: Programs.enoent)) }
        let header: Loaded
        switch read(byte: 0, count: RAMImage.headerBytes) {
        case .success(let h): header = h
        case .failure(let f): return .failure(f)
        }
        let magic = RAMImage.word(header.bytes, 0), files = RAMImage.word(header.bytes, 8), total = RAMImage.word(header.bytes, 16)
        header.free()
        guard magic == RAMImage.magic, files <= 256, total <= deviceBytes,
              RAMImage.headerBytes + RAMImage.entryBytes * files <= total else { return .failure(Failure(errno: Programs.enoent)) }
        let directory: Loaded
        switch read(byte: 0, count: RAMImage.headerBytes + RAMImage.entryBytes * files) {
        case .success(let d): directory = d
        case .failure(let f): return .failure(f)
        }
        var found: (offset: UInt64, size: UInt64)? = nil
        let d = directory.bytes
        for i in 0 ..< Int(files) where found == nil {
            let e = Int(RAMImage.headerBytes) + Int(RAMImage.entryBytes) * i
            var same = d[e + name.count] == 0
            var j = 0
            while same && j < name.count { same = d[e + j] == name[j]; j += 1 }
            if same { found = (RAMImage.word(d, e + 32), RAMImage.word(d, e + 40)) }
        }
        directory.free()
        guard let (offset, size) = found, offset <= total, size <= total - offset else { return .failure(Failure(errno: Programs.enoent)) }
        guard size <= maxFileBytes else { return .failure(Failure(errno: efbig)) }
        guard size > 0 else { return .failure(Failure(errno: Programs.enoexec)) }
        return read(byte: offset, count: size)
    }
}
