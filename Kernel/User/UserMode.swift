// UserMode: running code in user mode on behalf of a kernel thread, and the kernel's side of
// traps from it. `run` enters user mode and returns when the user code exits (system call 1)
// or faults; a fault never harms the kernel: it is recorded in the thread (address, access),
// reported through the sim-call port and the console, and the thread gets an Exit back.
// System calls (number in the port's register, TrapFrame.systemCallNumber): 1 exit(status),
// 2 putchar(byte); others return -38 (ENOSYS).

@_extern(c, "k42_user_enter") func k42_user_enter(_ frame: UInt, _ save: UnsafeMutablePointer<UInt>) -> UInt64
@_extern(c, "k42_user_exit") func k42_user_exit(_ sp: UInt, _ value: UInt64)

enum UserMode {
    enum Exit: Equatable {
        case exited(status: UInt64)
        case fault(address: UInt64, access: Access)
    }

    static let exitCode: UInt64 = 1
    static let faultCode: UInt64 = 2

    static let systemExit: UInt64 = 1
    static let systemPutchar: UInt64 = 2

    /// Runs user code at `pc` in `space` with arguments `a0`, `a1` until it exits or faults.
    static func run(_ space: UserSpace, pc: UInt64, sp: UInt64, _ a0: UInt64, _ a1: UInt64) -> Exit {
        let me = Scheduler.current
        let token = Arch.disableInterrupts()
        me.userSpace = UInt64(space.address)
        space.activate()
        // The first user frame can be anywhere in the linear map; traps from user mode then land
        // below the context k42_user_enter saves on this thread's stack.
        let frameStorage = UnsafeMutablePointer<UInt64>.allocate(capacity: TrapFrame.size / 8)
        let frame = TrapFrame(UInt(bitPattern: frameStorage))
        TrapFrame.user(at: frame, pc: pc, sp: sp, argument0: a0, argument1: a1, tag: space.tag)
        let code = k42_user_enter(frame.address, me.userExitSP)
        frameStorage.deallocate()
        me.userExitSP.pointee = 0
        PCA.local.word(CPUArea.kernelStackOffset).pointee = 0
        me.userSpace = 0
        Arch.restoreInterrupts(token)
        if code == exitCode { return .exited(status: me.userExitStatus) }
        return .fault(address: me.userFaultAddress, access: Access(rawValue: me.userFaultAccess) ?? .read)
    }

    /// A trap from user mode (Trap.swift).
    static func handleTrap(_ frame: TrapFrame, _ cause: TrapCause) {
        let me = Scheduler.current
        switch cause {
        case .systemCall:
            Counter.systemCalls.add()
            frame.skipInstruction()
            switch frame.systemCallNumber {
            case systemExit:
                me.userExitStatus = frame.argument(0)
                Report.value(.userExit, frame.argument(0))
                leave(exitCode)
            case systemPutchar:
                Console.put(UInt8(truncatingIfNeeded: frame.argument(0)))
                frame.setResult(0)
            default:
                frame.setResult(UInt64(bitPattern: -38))
            }
        case .translationMiss(let address, let access):
            // MIPS: the TLB has no entry; the space may have the page.
            let space = UserSpace(UInt(me.userSpace))
            if me.userSpace != 0, address < Arch.userTop, let m = space.lookup(address), allowed(m.flags, access),
               Arch.userRefill(space, va: address) {
                Counter.tlbRefills.add()
                return
            }
            fault(address, access, frame)
        case .protection(let address, let access), .addressError(let address, let access), .busError(let address, let access):
            fault(address, access, frame)
        default:
            fault(frame.pc, .execute, frame)
        }
    }

    static func allowed(_ flags: UInt64, _ access: Access) -> Bool {
        switch access {
        case .read: return true
        case .write: return flags & UserSpace.writable != 0
        case .execute: return flags & UserSpace.executable != 0
        }
    }

    private static func fault(_ address: UInt64, _ access: Access, _ frame: TrapFrame) -> Never {
        let me = Scheduler.current
        me.userFaultAddress = address
        me.userFaultAccess = access.rawValue
        Counter.userFaults.add()
        Report.value(.userFaultAddress, address)
        Report.value(.userFaultAccess, access.rawValue)
        leave(faultCode)
    }

    private static func leave(_ code: UInt64) -> Never {
        let me = Scheduler.current
        k42_user_exit(me.userExitSP.pointee, code)
        Panic.panic("k42_user_exit returned")
    }
}
