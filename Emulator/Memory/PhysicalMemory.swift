// PhysicalMemory: guest page frames (4 KiB) backed by host memory allocated in large chunks.
// Frames are numbered; a frame's host address never changes while it is allocated, so soft-TLB
// entries and pre-decoded code may point straight into it. Per-frame flags record which frames
// hold pre-decoded instructions so that a store can invalidate them (self-modifying code). A
// NUMA machine's memory is divided into per-node frame ranges, and frames are handed out from
// the node `allocationNode` names first (timed syscall emulation places pages on first touch).
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
    /// Host memory of each chunk (nil until a frame in it is first handed out).
    private var chunks: [UnsafeMutableRawPointer?]
    private var chunkBytes: [Int]
    /// Per node: freed frames (reused last-in first-out) and the next never-used frame.
    private var freeFrames: [[Int]]
    private var nextFresh: [Int]
    /// Upper bound on frames; exceeding it is an out-of-memory condition for the guest.
    public let maxFrames: Int
    /// NUMA nodes the frames are divided into: node n owns frames [n * framesPerNode,
    /// (n+1) * framesPerNode) (the last node also the remainder), so a frame's physical address
    /// divided by the node's memory is its home node.
    public let nodes: Int
    public let framesPerNode: Int
    /// The node `allocateFrame` takes frames from first (first-touch placement: the node of the
    /// CPU touching a page); when it has none left, the next nodes in turn.
    public var allocationNode = 0
    /// Bit 0: frame holds pre-decoded code. Bit 1: an LL reservation lies in the frame.
    /// Raw zeroed memory (calloc: committed lazily).
    private let frameFlags: UnsafeMutablePointer<UInt8>
    /// Soft-TLB entries (over all CPUs and modes) that map each frame for direct stores: when it
    /// is 0 nothing needs revoking (SoftMMU keeps it exact). Raw memory (calloc: committed
    /// lazily), so the soft-TLB refill path pays no exclusivity check for it.
    public let directWriters: UnsafeMutablePointer<UInt16>
    private var listeners: [CodeInvalidationListener] = []
    public private(set) var allocatedFrames = 0

    public init(maxBytes: UInt64 = 8 << 30, nodes: Int = 1) {
        let frames = Int(maxBytes >> guestPageShift)
        let n = max(1, min(nodes, frames))
        maxFrames = frames
        self.nodes = n
        framesPerNode = frames / n
        let chunkCount = (frames + Self.framesPerChunk - 1) / Self.framesPerChunk
        chunks = [UnsafeMutableRawPointer?](repeating: nil, count: chunkCount)
        chunkBytes = [Int](repeating: 0, count: chunkCount)
        freeFrames = [[Int]](repeating: [], count: n)
        nextFresh = (0 ..< n).map { $0 * (frames / n) }
        frameFlags = calloc(max(frames, 1), 1)!.assumingMemoryBound(to: UInt8.self)
        directWriters = calloc(max(frames, 1), 2)!.assumingMemoryBound(to: UInt16.self)
    }

    deinit {
        for (c, n) in zip(chunks, chunkBytes) where c != nil { munmap(c, n) }
        free(frameFlags)
        free(directWriters)
    }

    public func addListener(_ l: CodeInvalidationListener) { listeners.append(l) }

    /// Stops notifying `l` (a process's code cache when its address space goes away).
    public func removeListener(_ l: CodeInvalidationListener) { listeners.removeAll { $0 === l } }

    /// The node owning frame `f`.
    public func node(ofFrame f: Int) -> Int { framesPerNode == 0 ? 0 : min(f / framesPerNode, nodes - 1) }

    /// One past the last frame of node `n`.
    private func nodeEnd(_ n: Int) -> Int { n == nodes - 1 ? maxFrames : (n + 1) * framesPerNode }

    /// Allocates a zero-filled frame, or nil when guest memory is exhausted: from
    /// `allocationNode` when it has a frame left, else from the following nodes in turn.
    public func allocateFrame() -> Int? {
        let first = allocationNode < nodes ? allocationNode : 0
        for i in 0 ..< nodes {
            if let f = allocateFrame(node: (first + i) % nodes) { return f }
        }
        return nil
    }

    private func allocateFrame(node n: Int) -> Int? {
        if let f = freeFrames[n].popLast() {
            memset(host(frame: f), 0, Int(guestPageSize))
            allocatedFrames += 1
            return f
        }
        let f = nextFresh[n]
        if f >= nodeEnd(n) { return nil }
        let chunk = f / Self.framesPerChunk
        if chunks[chunk] == nil {
            // The last chunk holds only the frames the limit allows (a 1 MiB machine gets 1 MiB).
            let frames = min(Self.framesPerChunk, maxFrames - chunk * Self.framesPerChunk)
            let bytes = frames * Int(guestPageSize)
            // Anonymous mmap: zeroed, lazily committed host pages. (Not calloc: once glibc has
            // freed a chunk this large it raises its mmap threshold and serves the next calloc
            // from the heap with a 16 MiB memset — every fork and execve paid that.)
            let mem = mmap(nil, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
            guard let mem, mem != MAP_FAILED else { return nil }
            chunks[chunk] = mem
            chunkBytes[chunk] = bytes
        }
        nextFresh[n] = f + 1
        allocatedFrames += 1
        return f
    }

    public func releaseFrame(_ f: Int) {
        if frameFlags[f] & 1 != 0 { invalidateCode(frame: f) }
        freeFrames[node(ofFrame: f)].append(f)
        allocatedFrames -= 1
    }

    @inline(__always)
    public func host(frame: Int) -> UnsafeMutableRawPointer {
        chunks[frame / Self.framesPerChunk].unsafelyUnwrapped + (frame % Self.framesPerChunk) * Int(guestPageSize)
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
