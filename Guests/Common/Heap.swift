// Heap: `posix_memalign` and `free` for Embedded Swift over one contiguous heap region, which
// the guest's runtime supplies (`heapInitialRegion`, `heapGrow`, `heapPause`, and
// `heapWillLock`/`heapDidUnlock` around the lock — a K42 user program's runtime keeps its
// dispatcher disabled there, so no upcall switches threads while one holds the lock; the bare-metal
// runtime's runs from __heap_start to the end of node 0's RAM; a K42 user program's grows by
// mapping more anonymous memory). Power-of-two size classes with one free list each and a bump
// pointer; one spinlock (an Atomic) serialises all CPUs or threads, so the allocation sequence,
// and with it every address, is deterministic for a deterministic interleaving. Freed blocks
// are reused only for their own size class (no coalescing).
import Synchronization

private let heapLock = Atomic<Int>(0)
nonisolated(unsafe) private var heapNext: UInt = 0
nonisolated(unsafe) private var heapLimit: UInt = 0
/// Free-list heads, one per size class, kept at the start of the heap.
nonisolated(unsafe) private var freeLists: UnsafeMutablePointer<UInt>? = nil

private let classCount = 48
private let headerSize: UInt = 16

private func lockHeap() {
    heapWillLock()
    while heapLock.compareExchange(expected: 0, desired: 1, ordering: .acquiring).exchanged == false {
        heapPause()
    }
}

private func unlockHeap() {
    heapLock.store(0, ordering: .releasing)
    heapDidUnlock()
}

/// First use: carve the free-list heads out of the heap and find its end.
private func initialiseHeap() {
    let region = heapInitialRegion()
    let start = (region.start + 15) & ~15
    freeLists = UnsafeMutablePointer<UInt>(bitPattern: start)
    for i in 0..<classCount { freeLists![i] = 0 }
    heapNext = start + UInt(classCount * 8)
    heapLimit = region.limit
}

/// Allocates `size` bytes aligned to `alignment` (a power of two); nil when the heap is full.
func heapAllocate(size: Int, alignment: Int) -> UnsafeMutableRawPointer? {
    let align = UInt(max(alignment, 16))
    let need = UInt(max(size, 1)) + headerSize + (align - 16)
    var sizeClass = 0
    while (UInt(16) << UInt(sizeClass)) < need { sizeClass += 1 }
    if sizeClass >= classCount { return nil }
    let blockSize = UInt(16) << UInt(sizeClass)
    lockHeap()
    if freeLists == nil { initialiseHeap() }
    var block = freeLists![sizeClass]
    if block != 0 {
        freeLists![sizeClass] = UnsafePointer<UInt>(bitPattern: block)!.pointee
    } else {
        if heapLimit - heapNext < blockSize { heapLimit = heapGrow(from: heapLimit, by: blockSize - (heapLimit - heapNext)) }
        if heapLimit - heapNext >= blockSize {
            block = heapNext
            heapNext += blockSize
        }
    }
    unlockHeap()
    if block == 0 { return nil }
    let payload = (block + headerSize + align - 1) & ~(align - 1)
    let header = UnsafeMutablePointer<UInt>(bitPattern: payload - headerSize)!
    header[0] = UInt(sizeClass)
    header[1] = block
    return UnsafeMutableRawPointer(bitPattern: payload)
}

/// Returns a block from `heapAllocate` to its size class's free list.
func heapFree(_ pointer: UnsafeMutableRawPointer) {
    let header = UnsafeMutablePointer<UInt>(bitPattern: UInt(bitPattern: pointer) - headerSize)!
    let sizeClass = Int(header[0])
    let block = header[1]
    lockHeap()
    UnsafeMutablePointer<UInt>(bitPattern: block)!.pointee = freeLists![sizeClass]
    freeLists![sizeClass] = block
    unlockHeap()
}

/// Bytes handed out by the bump pointer so far (for tests and statistics).
func heapBytesUsed() -> UInt {
    lockHeap(); defer { unlockHeap() }
    return freeLists == nil ? 0 : heapNext - UInt(bitPattern: freeLists!)
}

@_cdecl("posix_memalign")
func posix_memalign(_ result: UnsafeMutablePointer<UnsafeMutableRawPointer?>, _ alignment: Int, _ size: Int) -> Int32 {
    guard let p = heapAllocate(size: size, alignment: alignment) else { return 12 }  // ENOMEM
    result.pointee = p
    return 0
}

@_cdecl("free")
func free(_ pointer: UnsafeMutableRawPointer?) {
    if let pointer { heapFree(pointer) }
}
