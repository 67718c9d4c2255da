// HeapRegion: the bare-metal heap (Common/Heap.swift) runs from the linker symbol __heap_start
// to the end of node 0's RAM (on MIPS at most to the end of the identity-mapped window); it
// cannot grow.

@_extern(c, "k42_heap_start") func k42HeapStart() -> UInt

func heapInitialRegion() -> (start: UInt, limit: UInt) {
    let node0 = BootInfo.nodeRAM(0)
    var end = node0.base + node0.size
    #if K42_MIPS64
    end = min(end, Platform.mappedRAM)   // Swift objects must live in the identity-mapped xuseg window
    #endif
    return (k42HeapStart(), Platform.cached(0) + UInt(end))
}

func heapGrow(from limit: UInt, by bytes: UInt) -> UInt { limit }

@inline(__always) func heapPause() { CPU.pause() }

@inline(__always) func heapWillLock() {}
@inline(__always) func heapDidUnlock() {}
