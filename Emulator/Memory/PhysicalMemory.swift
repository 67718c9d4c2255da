// PhysicalMemory: guest page frames (4 KiB) backed by host memory allocated in large chunks.
// Frames are numbered; a frame's host address never changes while it is allocated, so soft-TLB
// entries and pre-decoded code may point straight into it. Per-frame flags record which frames
// hold pre-decoded instructions so that a store can invalidate them (self-modifying code).
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

public let guestPageShift: UInt64 = 12
public let guestPageSize: UInt64 = 1 << guestPageShift
public let guestPageMask: UInt64 = guestPageSize - 1

/// Receives notice that pre-decoded code of a frame is stale.
public protocol CodeInvalidationListener: AnyObject {
    func invalidateCode(frame: Int)
}

public final class PhysicalMemory {
    static let framesPerChunk = 4096           // 16 MiB chunks
    private var chunks: [UnsafeMutableRawPointer] = []
    private var chunkBytes: [Int] = []
    private var freeFrames: [Int] = []
    private var nextFresh = 0
    /// Upper bound on frames; exceeding it is an out-of-memory condition for the guest.
    public let maxFrames: Int
    /// Bit 0: frame holds pre-decoded code. Bit 1: an LL reservation lies in the frame.
    private(set) var frameFlags: [UInt8] = []
    /// Soft-TLB entries (over all CPUs and modes) that map each frame for direct stores: when it
    /// is 0 nothing needs revoking (SoftMMU keeps it exact). Raw memory (calloc: committed
    /// lazily), so the soft-TLB refill path pays no exclusivity check for it.
    public let directWriters: UnsafeMutablePointer<UInt16>
    private var listeners: [CodeInvalidationListener] = []
    public private(set) var allocatedFrames = 0

    public init(maxBytes: UInt64 = 8 << 30) {
        maxFrames = Int(maxBytes >> guestPageShift)
        directWriters = calloc(max(maxFrames, 1), 2)!.assumingMemoryBound(to: UInt16.self)
    }

    deinit {
        for (c, n) in zip(chunks, chunkBytes) { munmap(c, n) }
        free(directWriters)
    }

    public func addListener(_ l: CodeInvalidationListener) { listeners.append(l) }

    /// Allocates a zero-filled frame, or nil when guest memory is exhausted.
    public func allocateFrame() -> Int? {
        if let f = freeFrames.popLast() {
            memset(host(frame: f), 0, Int(guestPageSize))
            allocatedFrames += 1
            return f
        }
        if nextFresh >= maxFrames { return nil }
        let chunk = nextFresh / Self.framesPerChunk
        if chunk == chunks.count {
            // The last chunk holds only the frames the limit allows (a 1 MiB machine gets 1 MiB).
            let frames = min(Self.framesPerChunk, maxFrames - chunk * Self.framesPerChunk)
            let bytes = frames * Int(guestPageSize)
            // Anonymous mmap: zeroed, lazily committed host pages. (Not calloc: once glibc has
            // freed a chunk this large it raises its mmap threshold and serves the next calloc
            // from the heap with a 16 MiB memset — every fork and execve paid that.)
            let mem = mmap(nil, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
            guard let mem, mem != MAP_FAILED else { return nil }
            chunks.append(mem)
            chunkBytes.append(bytes)
            frameFlags.append(contentsOf: repeatElement(0, count: frames))
        }
        let f = nextFresh
        nextFresh += 1
        allocatedFrames += 1
        return f
    }

    public func releaseFrame(_ f: Int) {
        if frameFlags[f] & 1 != 0 { invalidateCode(frame: f) }
        freeFrames.append(f)
        allocatedFrames -= 1
    }

    @inline(__always)
    public func host(frame: Int) -> UnsafeMutableRawPointer {
        chunks[frame / Self.framesPerChunk] + (frame % Self.framesPerChunk) * Int(guestPageSize)
    }

    public func hasCode(frame: Int) -> Bool { frameFlags[frame] & 1 != 0 }

    public func markHasCode(frame: Int) { frameFlags[frame] |= 1 }

    /// An LL/larx reservation lies in the frame (see ReservationMonitor): stores must take the
    /// soft-TLB slow path so they can break it.
    public func isReserved(frame: Int) -> Bool { frameFlags[frame] & 2 != 0 }

    public func setReserved(frame: Int, _ on: Bool) {
        if on { frameFlags[frame] |= 2 } else { frameFlags[frame] &= ~2 }
    }

    /// Whether a soft TLB may map the frame for direct stores (no decoded code, no reservation).
    public func allowsDirectWrite(frame: Int) -> Bool { frameFlags[frame] == 0 }

    @inline(__always) func addDirectWriter(frame: Int) { directWriters[frame] &+= 1 }
    @inline(__always) func removeDirectWriter(frame: Int) { directWriters[frame] &-= 1 }

    /// Drops all pre-decoded copies of a frame (a store hit it, or it was freed).
    public func invalidateCode(frame: Int) {
        frameFlags[frame] &= ~1
        for l in listeners { l.invalidateCode(frame: frame) }
    }
}
