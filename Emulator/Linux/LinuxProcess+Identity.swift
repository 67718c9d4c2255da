// LinuxProcess+Identity: credentials (real/effective/saved uid and gid, the set*id family with
// Linux's permission rules: only euid 0 may set arbitrary ids), supplementary groups (none),
// sysinfo from the simulated clock and guest memory, prctl's name calls, and the diagnostic
// log k42sim's own messages go to (stderr or --log FILE, never mixed into a guest stream by
// choice).

extension LinuxProcess {
    func sysGetres(_ a: Args, _ ids: (UInt64, UInt64, UInt64)) -> Int64 {
        for (p, v) in [(a.0, ids.0), (a.1, ids.1), (a.2, ids.2)] where !mmu.storeValue(p, size: 4, v) {
            return err(.EFAULT)
        }
        return 0
    }

    /// setuid/setgid/setreuid/setregid/setresuid/setresgid/setfsuid/setfsgid. -1 (as a 32-bit
    /// id) leaves an id unchanged. An unprivileged caller may only pick among its current ids.
    func sysSetIDs(_ name: String, _ a: Args) -> Int64 {
        let isUID = name.contains("uid")
        var ids = isUID ? uids : gids
        let privileged = uids.1 == 0
        let none: UInt64 = 0xffff_ffff
        func arg(_ v: UInt64) -> UInt64? { let x = v & 0xffff_ffff; return x == none ? nil : x }
        func allowed(_ v: UInt64) -> Bool { privileged || v == ids.0 || v == ids.1 || v == ids.2 }
        switch name {
        case "setuid", "setgid":
            guard let v = arg(a.0) else { return err(.EINVAL) }
            if privileged { ids = (v, v, v) } else if allowed(v) { ids.1 = v } else { return err(.EPERM) }
        case "setreuid", "setregid":
            let r = arg(a.0), e = arg(a.1)
            if let r, !(privileged || r == ids.0 || r == ids.1) { return err(.EPERM) }
            if let e, !allowed(e) { return err(.EPERM) }
            if r != nil || (e != nil && e != ids.0) { ids.2 = e ?? ids.1 }
            if let r { ids.0 = r }
            if let e { ids.1 = e }
        case "setresuid", "setresgid":
            let r = arg(a.0), e = arg(a.1), s = arg(a.2)
            for v in [r, e, s] { if let v, !allowed(v) { return err(.EPERM) } }
            if let r { ids.0 = r }
            if let e { ids.1 = e }
            if let s { ids.2 = s }
        default:                                              // setfsuid/setfsgid: returns the old fs id
            return Int64(ids.1)
        }
        if isUID { uids = ids } else { gids = ids }
        return 0
    }

    /// No supplementary groups.
    func sysGetgroups(_ size: UInt64, _ list: UInt64) -> Int64 {
        Int64(bitPattern: size) < 0 ? err(.EINVAL) : 0
    }

    /// struct sysinfo (112 bytes on 64-bit): uptime, loads[3], totalram, freeram, sharedram,
    /// bufferram, totalswap, freeswap, procs (u16), pad, totalhigh, freehigh, mem_unit (u32).
    func sysSysinfo(_ buf: UInt64) -> Int64 {
        var b = GuestStruct(size: 112, bigEndian: mmu.bigEndian)
        b.put64(0, monotonicNanoseconds / 1_000_000_000)
        let total = UInt64(physical.maxFrames) << guestPageShift
        let used = UInt64(physical.allocatedFrames) << guestPageShift
        b.put64(32, total)
        b.put64(40, total - min(total, used))
        b.put16(80, UInt64(system?.liveProcessCount ?? 1))
        b.put32(104, 1)
        return mmu.writeBytes(buf, b.bytes) ? 0 : err(.EFAULT)
    }

    /// prctl: PR_SET_NAME (15) / PR_GET_NAME (16) keep a 16-byte name; PR_SET_PDEATHSIG (1),
    /// PR_GET_DUMPABLE (3), PR_SET_DUMPABLE (4), PR_SET_NO_NEW_PRIVS (38) are accepted.
    func sysPrctl(_ option: UInt64, _ arg: UInt64) -> Int64 {
        switch option {
        case 15:
            guard let raw = mmu.readCString(arg, limit: 4096) else { return err(.EFAULT) }
            commandName = Array(raw.prefix(15))
            return 0
        case 16:
            return mmu.writeBytes(arg, commandName + [UInt8](repeating: 0, count: 16 - commandName.count)) ? 0 : err(.EFAULT)
        case 1, 4, 38: return 0
        case 3: return 1
        default: return err(.EINVAL)
        }
    }

    /// One line of k42sim's own diagnostics (stderr unless --log names a file).
    func log(_ line: String) {
        hostLogLine(line, fd: options.logFD)
    }
}
