// KernelWords: named slots in the statically allocated word array of libc.c, for the few
// machine-wide words the kernel needs before its allocator exists. Each group sits on its own
// 128-byte line so CPUs spinning on one do not disturb the others. None is touched on a common
// path: the console lock guards the UART, the tables are written once at boot and then only
// read.
@_extern(c, "k42_kernel_words_address") func k42_kernel_words_address() -> UnsafeMutablePointer<UInt64>

enum KernelWords {
    @inline(__always) static func slot(_ i: Int) -> UnsafeMutablePointer<UInt64> { k42_kernel_words_address() + i }

    /// Ticket lock (two words) serialising whole console lines.
    static var consoleLock: UnsafeMutablePointer<UInt64> { slot(0) }
    /// The CPU table (256 words): per CPU, the linear-map address of its per-CPU area.
    static var cpuTable: UnsafeMutablePointer<UInt64> { slot(512) }
    /// The node table (256 words): per node, the address of its frame allocator's header.
    static var nodeTable: UnsafeMutablePointer<UInt64> { slot(256) }
    /// CPUs that finished their per-CPU initialisation.
    static var cpusOnline: UnsafeMutablePointer<UInt64> { slot(32) }
    /// Set once a CPU started to panic (the others stop printing).
    static var panicking: UnsafeMutablePointer<UInt64> { slot(48) }
    /// Counters of the machine-wide barrier used by kernel tests (count, generation).
    static var barrier: UnsafeMutablePointer<UInt64> { slot(64) }
    /// Scratch for kernel tests (16 words).
    static var testScratch: UnsafeMutablePointer<UInt64> { slot(80) }
    /// Ticket lock (two words) for the kernel tests' shared blocking-lock counter.
    static var testLock: UnsafeMutablePointer<UInt64> { slot(96) }
    /// A word user-mode probes try to read and overwrite (protection test).
    static var protectedWord: UnsafeMutablePointer<UInt64> { slot(112) }
    /// PPC hashed page table group locks: 128 ticket locks (256 words).
    static var pageTableLocks: UnsafeMutablePointer<UInt64> { slot(768) }
    /// The clustered-object global translation table: per CPU, the address of its partition.
    static var globalTablePartitions: UnsafeMutablePointer<UInt64> { slot(1024) }
    /// The clustered-object token and its reclamation batches (Destruction.swift), 16 words.
    static var cosToken: UnsafeMutablePointer<UInt64> { slot(1280) }
    /// Address-space tags in use (256 bits) and the process-ID counter (VM/AddressTags.swift).
    static var addressTags: UnsafeMutablePointer<UInt64> { slot(1296) }
    /// Blocking lock (four words) serialising block-device requests, then the waiting thread
    /// and the request's status (Platform/Disk.swift).
    static var diskLock: UnsafeMutablePointer<UInt64> { slot(1312) }
    /// The program process table's address (set once, by the first spawn) and the next
    /// process ID (Programs/ProcessTable.swift).
    static var processTable: UnsafeMutablePointer<UInt64> { slot(1328) }
    static var nextProcessID: UnsafeMutablePointer<UInt64> { slot(1344) }
}
