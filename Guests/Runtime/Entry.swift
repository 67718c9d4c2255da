// Entry: where every CPU arrives from the arch glue (Arch/*/entry.S) with its stack and FPU set
// up: checks the boot-information block, runs the guest's `guestMain(cpu:)`, and powers off
// with CPU 0's result (other CPUs idle when theirs returns). Also the runtime's fatal-error
// path.
import Synchronization

@_cdecl("k42_runtime_entry")
func k42RuntimeEntry(_ bootInfo: UInt64, _ cpu: UInt64) {
    if cpu == 0 && (bootInfo != BootInfo.physicalAddress || BootInfo.magic != BootInfo.expectedMagic) {
        fatal("bad boot-information block (magic or address)")
    }
    let status = guestMain(cpu: Int(cpu))
    if cpu == 0 { Power.off(status: UInt64(truncatingIfNeeded: status)) }
    while true { CPU.idle() }
}

/// Prints "k42 runtime: fatal: MESSAGE (cpu N)" and powers off with status 255.
func fatal(_ message: StaticString) -> Never {
    Console.write("k42 runtime: fatal: ")
    Console.write(message)
    Console.write(" (cpu ")
    Console.write(decimal: CPU.number)
    Console.write(")\n")
    Power.off(status: 255)
}

/// Called by the arch glue's exception vectors: prints the exception state and powers off with
/// status 254. (MIPS: Cause, EPC, BadVAddr; PPC: vector, SRR0/HSRR0, DAR.)
@_cdecl("k42_exception")
func k42Exception(_ cause: UInt64, _ pc: UInt64, _ address: UInt64) {
    Console.write("k42 runtime: exception (cpu ")
    Console.write(decimal: CPU.number)
    Console.write("): cause ")
    Console.write(hex: cause)
    Console.write(", pc ")
    Console.write(hex: pc)
    Console.write(", address ")
    Console.write(hex: address)
    Console.write("\n")
    Power.off(status: 254)
}

@_cdecl("k42_stack_check_failed")
func k42StackCheckFailed() { fatal("stack smashing detected") }
