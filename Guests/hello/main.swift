// hello: the first multi-CPU Embedded Swift guest. Every CPU runs a self-test of the language
// features the kernel will rely on (classes with dynamic dispatch, a generic function over a
// protocol, Array, Dictionary, Optional), then prints its CPU and node number in CPU order (a
// ticket in an Atomic), and increments a shared Atomic counter. CPU 0 waits for all CPUs and
// powers off with the number of failed checks (0 = all correct).
import Synchronization

/// Whose turn it is to print (CPU numbers in order).
let ticket = Atomic<Int>(0)
/// Incremented once by every CPU after it printed.
let arrived = Atomic<Int>(0)
/// Failed checks, summed over all CPUs.
let failures = Atomic<Int>(0)

func guestMain(cpu: Int) -> Int {
    let failed = selfTest(cpu: cpu)
    if failed != 0 { failures.add(failed, ordering: .relaxed) }

    while ticket.load(ordering: .acquiring) != cpu { CPU.pause() }
    print("hello from CPU \(cpu) on node \(CPU.node(of: cpu)): self-test \(failed == 0 ? "ok" : "FAILED")")
    arrived.add(1, ordering: .releasing)
    ticket.store(cpu + 1, ordering: .releasing)
    if cpu != 0 { return 0 }

    let cpus = BootInfo.cpuCount
    while arrived.load(ordering: .acquiring) < cpus { CPU.pause() }
    let total = failures.load(ordering: .acquiring)
    let count = arrived.load(ordering: .acquiring)
    print("\(count) of \(cpus) CPUs on \(BootInfo.nodeCount) nodes arrived; \(total) failed checks")
    return total + (count == cpus && CPU.number == 0 ? 0 : 1)
}
