// UserMode: running code in user mode in a process on behalf of a kernel thread, and the
// kernel's side of traps from it. `run` enters user mode and returns when the user code exits
// (system call 1) or takes a fault the kernel cannot resolve. Page faults go to the fault path
// (VM/PageFault.swift); what it cannot resolve — no region, a forbidden access, no memory — is
// the process's fault notification: recorded in the thread (address, access), reported through
// the sim-call port, counted, and `run` returns `.fault`; the kernel carries on and the process
// may be run again. (Dispatchers, which take such notifications in user mode, come next.)
// System calls (number in the port's register, TrapFrame.systemCallNumber; result in the
// port's result register, negative errno on failure):
//   1 exit(status)    2 putchar(byte)
//   3 map(base, size, flags: 1 writable, 2 executable, 4 distributed FCM): anonymous memory
//   4 unmap(base) -> the number of CPUs shot down
//   5 spawn(name, length, cpu, argument) -> process ID    6 wait(pid) -> status
//   7 info(which: 0 CPU, 1 CPU count, 2 process ID, 3 cycle counter)
//   8 write(address, length) -> length (console)
//   9 dispatcher(area) -> 0   10 resume(save area)   11 timer(deadline cycle; 0 cancels) -> 0
//   12 idle() -> soft-interrupt bits   13 mapFile(base, size, first sector, sectors) -> 0
//   15 result(index 0-3, value) -> 0: a figure for the parent's wait (experiments)
//   16 startDispatcher(cpu | number << 32, entry, stack, argument) -> 0: a vehicle of this
//      process for its dispatcher `number` (0-3) on `cpu`
//   17 poke(cpu | number << 32) -> 0: soft interrupt bit 4 for that dispatcher of the process
//   18 domain(class, weight) -> 0: this vehicle's resource domain   19 yield() -> 0: give up
//   the CPU (the answer to a soft preemption; Sched/Domains.swift, docs/kernel/scheduling.md)
// (dispatchers: User/Dispatcher.swift, docs/kernel/dispatchers.md)
// (Programs/Programs.swift, docs/kernel/programs.md); others return -38 (ENOSYS) — numbers
// 0x100 and up go to the dispatcher's system-call entry when it has one (Dispatcher.swift). User memory
// a call names is read through the process's pages (Process.copyIn), never from kernel mode.

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
    static let systemMap: UInt64 = 3
    static let systemUnmap: UInt64 = 4
    static let systemSpawn: UInt64 = 5
    static let systemWait: UInt64 = 6
    static let systemInfo: UInt64 = 7
    static let systemWrite: UInt64 = 8
    static let systemDispatcher: UInt64 = 9
    static let systemResume: UInt64 = 10
    static let systemTimer: UInt64 = 11
    static let systemIdle: UInt64 = 12
    static let systemMapFile: UInt64 = 13
    static let systemResult: UInt64 = 15
    static let systemStartDispatcher: UInt64 = 16
    static let systemPoke: UInt64 = 17
    static let systemDomain: UInt64 = 18
    static let systemYield: UInt64 = 19

    /// Runs user code at `pc` in `process` with arguments `a0`...`a3` until it exits or faults.
    static func run(_ process: Process, pc: UInt64, sp: UInt64, _ a0: UInt64, _ a1: UInt64,
                    _ a2: UInt64 = 0, _ a3: UInt64 = 0) -> Exit {
        let me = Scheduler.current
        let token = Arch.disableInterrupts()
        Domains.charge(me)
        Domains.enterDefault(me)                // a vehicle: scheduled by resource domain
        me.userSpace = process.word
        me.userContext = process.context
        process.context.activate()
        Arch.setUserDispatcher(0)               // until this vehicle registers one
        // The first user frame can be anywhere in the linear map; traps from user mode then land
        // below the context k42_user_enter saves on this thread's stack.
        let frameStorage = UnsafeMutablePointer<UInt64>.allocate(capacity: TrapFrame.size / 8)
        let frame = TrapFrame(UInt(bitPattern: frameStorage))
        TrapFrame.user(at: frame, pc: pc, sp: sp, arguments: (a0, a1, a2, a3), tag: process.tag)
        let code = k42_user_enter(frame.address, me.userExitSP)
        frameStorage.deallocate()
        me.userExitSP.pointee = 0
        PCA.local.word(CPUArea.kernelStackOffset).pointee = 0
        me.userSpace = 0
        Domains.charge(me)
        me.domainClass = Domains.kernelClass
        Arch.restoreInterrupts(token)
        if code == exitCode { return .exited(status: me.userExitStatus) }
        return .fault(address: me.userFaultAddress, access: Access(rawValue: me.userFaultAccess) ?? .read)
    }

    /// A trap from user mode (Trap.swift).
    static func handleTrap(_ frame: TrapFrame, _ cause: TrapCause) {
        let me = Scheduler.current
        guard me.userSpace != 0 else { fault(frame.pc, .execute, frame) }
        let process = me.userContext
        switch cause {
        case .systemCall:
            Counter.systemCalls.add()
            frame.skipInstruction()
            systemCall(frame, Process.from(me.userSpace))
        case .segmentMiss(let address, let access):
            if Arch.hatSegmentMiss(tag: process.tag, va: address) { return }
            notify(address, access, frame)
        case .translationMiss(let address, let access), .protection(let address, let access):
            // A process with a dispatcher hears of a fault that must wait for the device.
            if me.dispatcher != 0 {
                if PageFault.tryRefill(process, address, access) { return }
                if Dispatcher.reflectFault(frame, process, address, access) { return }
            }
            if PageFault.handle(process, address, access) == .resolved { return }
            notify(address, access, frame)
        case .addressError(let address, let access), .busError(let address, let access):
            notify(address, access, frame)
        default:
            notify(frame.pc, .execute, frame)
        }
    }

    private static func systemCall(_ frame: TrapFrame, _ process: Process) {
        let me = Scheduler.current
        switch frame.systemCallNumber {
        case systemExit:
            me.userExitStatus = frame.argument(0)
            Report.value(.userExit, frame.argument(0))
            leave(exitCode)
        case systemPutchar:
            Console.put(UInt8(truncatingIfNeeded: frame.argument(0)))
            frame.setResult(0)
        case systemMap:
            let flags = frame.argument(2)
            let e = process.mapAnonymous(base: frame.argument(0), size: frame.argument(1), writable: flags & 1 != 0,
                                         executable: flags & 2 != 0, distributed: flags & 4 != 0)
            frame.setResult(e.map { 0 &- $0.rawValue } ?? 0)
        case systemUnmap:
            if Dispatcher.pins(process, base: frame.argument(0)) { frame.setResult(UInt64(bitPattern: -16)); return }
            let n = process.unmap(base: frame.argument(0))
            frame.setResult(n.map { UInt64($0) } ?? 0 &- Process.MapError.invalid.rawValue)
        case systemSpawn:
            var name: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
            let length = frame.argument(1)
            let r: Int64 = withUnsafeMutableBytes(of: &name) { buffer in
                guard length > 0, length < 32 else { return -Programs.einval }
                guard process.copyIn(frame.argument(0), Int(length), into: buffer.baseAddress!) else { return -Programs.efault }
                return Programs.spawn(name: UnsafeRawBufferPointer(rebasing: buffer[0 ..< Int(length)]),
                                      cpu: frame.argument(2) < UInt64(Int.max) ? Int(frame.argument(2)) : -1,
                                      argument: frame.argument(3), parent: me.processID)
            }
            frame.setResult(UInt64(bitPattern: r))
        case systemWait:
            frame.setResult(UInt64(bitPattern: Programs.wait(frame.argument(0), parent: me.processID)))
        case systemInfo:
            switch frame.argument(0) {
            case 0: frame.setResult(UInt64(PCA.cpu))
            case 1: frame.setResult(UInt64(BootInfo.cpuCount))
            case 2: frame.setResult(me.processID)
            case 3: frame.setResult(Devices.cycles)
            default: frame.setResult(UInt64(bitPattern: -Programs.einval))
            }
        case systemWrite:
            frame.setResult(UInt64(bitPattern: write(process, frame.argument(0), frame.argument(1))))
        case systemDispatcher:
            frame.setResult(UInt64(bitPattern: Dispatcher.register(process, va: frame.argument(0))))
        case systemResume:
            if !Dispatcher.resume(frame, slot: frame.argument(0), tag: process.tag) {
                frame.setResult(UInt64(bitPattern: -Programs.einval))
            }
        case systemTimer:
            frame.setResult(UInt64(bitPattern: Dispatcher.setTimer(frame.argument(0))))
        case systemIdle:
            frame.setResult(UInt64(bitPattern: Dispatcher.idle()))
        case systemMapFile:
            guard Disk.present else { frame.setResult(UInt64(bitPattern: -19)); return }     // ENODEV
            let e = process.mapFile(firstSector: frame.argument(2), sectors: frame.argument(3),
                                    base: frame.argument(0), size: frame.argument(1), writable: false)
            frame.setResult(e.map { 0 &- $0.rawValue } ?? 0)
        case systemStartDispatcher:
            frame.setResult(UInt64(bitPattern: Programs.startDispatcher(process, pid: me.processID, cpu: frame.argument(0),
                                                                        entry: frame.argument(1), sp: frame.argument(2),
                                                                        argument: frame.argument(3))))
        case systemPoke:
            frame.setResult(UInt64(bitPattern: Dispatcher.poke(cpu: frame.argument(0))))
        case systemDomain:
            frame.setResult(UInt64(bitPattern: Domains.set(me, class: frame.argument(0), weight: frame.argument(1))))
        case systemYield:
            Domains.yieldCPU(me)
            frame.setResult(0)
        case systemResult:
            frame.setResult(UInt64(bitPattern: Programs.setResult(pid: me.processID, index: frame.argument(0), value: frame.argument(1))))
        default:
            if Dispatcher.reflectSystemCall(frame) { return }
            frame.setResult(UInt64(bitPattern: -38))
        }
    }

    /// The console write call: copies through a small kernel buffer; -EFAULT when part of the
    /// range is not mapped (what came before it is written).
    private static func write(_ process: Process, _ address: UInt64, _ length: UInt64) -> Int64 {
        guard length <= 1 << 20 else { return -Programs.einval }
        var chunk: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0)
        var done: UInt64 = 0
        while done < length {
            let n = Int(min(length - done, 64))
            let ok = withUnsafeMutableBytes(of: &chunk) { b -> Bool in
                guard process.copyIn(address &+ done, n, into: b.baseAddress!) else { return false }
                for i in 0 ..< n { Console.put(b[i]) }
                return true
            }
            guard ok else { return -Programs.efault }
            done += UInt64(n)
        }
        return Int64(length)
    }

    /// A fault the kernel cannot resolve: delivered to the process's dispatcher (trap upcall)
    /// when it takes it, else the program is ended (`fault`).
    private static func notify(_ address: UInt64, _ access: Access, _ frame: TrapFrame) {
        if Dispatcher.deliverTrap(frame, address: address, access: access) {
            Counter.userFaults.add()
            Counter.faultNotifications.add()
            return
        }
        fault(address, access, frame)
    }

    private static func fault(_ address: UInt64, _ access: Access, _ frame: TrapFrame) -> Never {
        let me = Scheduler.current
        me.userFaultAddress = address
        me.userFaultAccess = access.rawValue
        Counter.userFaults.add()
        Counter.faultNotifications.add()
        Report.value(.userFaultAddress, address)
        Report.value(.userFaultAccess, access.rawValue)
        print("k42: process \(me.processID) on cpu \(PCA.cpu): \(access.name) of 0x\(String(address, radix: 16)) at pc 0x\(String(frame.pc, radix: 16)) (return address 0x\(String(frame.returnAddress, radix: 16)), sp 0x\(String(frame.stackPointer, radix: 16))) cannot be resolved")
        leave(faultCode)
    }

    /// The process has ended (another vehicle exited or was killed): this vehicle leaves user
    /// mode too (UserMode.run returns; the process's status is the first end's).
    static func leaveEnded() -> Never { leave(exitCode) }

    private static func leave(_ code: UInt64) -> Never {
        let me = Scheduler.current
        k42_user_exit(me.userExitSP.pointee, code)
        Panic.panic("k42_user_exit returned")
    }
}
