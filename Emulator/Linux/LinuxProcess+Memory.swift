// LinuxProcess+Memory: brk, mmap (anonymous, and private file mappings by copying the file in),
// munmap, mprotect, mremap, madvise. Anonymous memory is demand-zero (frames on first touch).
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

extension LinuxProcess {
    func permissions(prot: UInt64) -> PagePermissions {
        var p: PagePermissions = []
        if prot & 1 != 0 { p.insert(.read) }
        if prot & 2 != 0 { p.formUnion([.read, .write]) }     // the MMUs cannot do write-only
        if prot & 4 != 0 { p.insert(.execute) }
        return p
    }

    /// Page-rounded length, or nil when it is 0 or does not fit the user address space.
    func pageLength(_ length: UInt64) -> UInt64? {
        guard length > 0, length <= addressSpace.userLimit else { return nil }
        return (length + guestPageMask) & ~guestPageMask
    }

    /// Mapped pages (reserved or backed) are capped at the guest memory size, so a huge
    /// reservation fails with ENOMEM instead of growing the host's page map without bound.
    func withinBudget(_ length: UInt64) -> Bool {
        UInt64(addressSpace.mappedPageCount) + (length >> guestPageShift) <= UInt64(physical.maxFrames)
    }

    func inUserSpace(_ start: UInt64, _ length: UInt64) -> Bool {
        let (end, o) = start.addingReportingOverflow(length)
        return !o && end <= addressSpace.userLimit
    }

    func sysBrk(_ requested: UInt64) -> Int64 {
        let cur = addressSpace.brkCurrent
        let start = addressSpace.brkStart
        guard requested >= start, requested < addressSpace.userLimit else { return Int64(cur) }
        let oldEnd = (cur + guestPageMask) & ~guestPageMask
        let newEnd = (requested + guestPageMask) & ~guestPageMask
        if newEnd > oldEnd {
            guard withinBudget(newEnd - oldEnd), addressSpace.isFree(oldEnd, length: newEnd - oldEnd),
                  addressSpace.map(oldEnd, length: newEnd - oldEnd, permissions: [.read, .write], lazy: true) else {
                return Int64(cur)
            }
        } else if newEnd < oldEnd {
            guard addressSpace.unmap(newEnd, length: oldEnd - newEnd) else { return Int64(cur) }
        }
        addressSpace.brkCurrent = requested
        return Int64(requested)
    }

    func sysMmap(_ addr: UInt64, _ length: UInt64, _ prot: UInt64, _ flags: UInt64, _ fd: UInt64, _ offset: UInt64) -> Int64 {
        let anonymous = flags & abi.mapAnonymous != 0
        let fixed = flags & abi.mapFixed != 0
        let noReplace = flags & abi.mapFixedNoReplace != 0
        let type = flags & 0xf
        guard type >= 1 && type <= 3 else { return err(.EINVAL) }
        guard let len = pageLength(length) else { return length == 0 ? err(.EINVAL) : err(.ENOMEM) }
        guard offset & guestPageMask == 0 else { return err(.EINVAL) }
        guard withinBudget(len) else { return err(.ENOMEM) }
        var file: GuestFile?
        if !anonymous {
            guard let f = files.get(fd) else { return err(.EBADF) }
            if type != 2 && prot & 2 != 0 { return err(.ENODEV) }   // shared writable file mapping
            file = f
        }
        let start: UInt64
        if fixed || noReplace {
            guard addr & guestPageMask == 0 else { return err(.EINVAL) }
            guard inUserSpace(addr, len) else { return err(.ENOMEM) }
            if noReplace && !addressSpace.isFree(addr, length: len) { return err(.EEXIST) }
            start = addr
        } else if addr != 0, addr & guestPageMask == 0, inUserSpace(addr, len), addressSpace.isFree(addr, length: len) {
            start = addr
        } else {
            guard let a = addressSpace.findFree(length: len) else { return err(.ENOMEM) }
            start = a
        }
        guard addressSpace.map(start, length: len, permissions: permissions(prot: prot), lazy: true) else {
            return err(.ENOMEM)
        }
        if let file {
            let r = fillFromFile(file, at: start, length: len, offset: offset)
            if r < 0 { addressSpace.unmap(start, length: len); return r }
        }
        return Int64(start)
    }

    /// Copies file content at `offset` into fresh pages (bytes past EOF stay zero).
    private func fillFromFile(_ file: GuestFile, at start: UInt64, length: UInt64, offset: UInt64) -> Int64 {
        switch file.kind {
        case .random:
            var remaining = length
            var a = start
            while remaining > 0 {
                let n = min(remaining, 1 << 16)
                guard copyIntoPages(a, random.bytes(Int(n))) else { return err(.ENOMEM) }
                a += n
                remaining -= n
            }
            return 0
        case .host(let h):
            var buf = [UInt8](repeating: 0, count: 1 << 16)
            var done: UInt64 = 0
            while done < length {
                let want = Int(min(length - done, UInt64(buf.count)))
                guard offset <= UInt64(Int64.max) - done else { break }
                let n = buf.withUnsafeMutableBytes { pread(h.fd, $0.baseAddress, want, off_t(offset + done)) }
                if n < 0 { return errno == EISDIR ? err(.ENODEV) : hostErr() }
                if n == 0 { break }
                guard copyIntoPages(start + done, buf[0 ..< n]) else { return err(.ENOMEM) }
                done += UInt64(n)
            }
            return 0
        }
    }

    func sysMunmap(_ addr: UInt64, _ length: UInt64) -> Int64 {
        guard addr & guestPageMask == 0 else { return err(.EINVAL) }
        guard let len = pageLength(length), inUserSpace(addr, len) else { return err(.EINVAL) }
        guard addressSpace.unmap(addr, length: len) else { return err(.ENOMEM) }
        // Let the next mmap reuse this range when it was the latest placement.
        if addr == addressSpace.mmapNext && addr + len <= addressSpace.mmapTop {
            addressSpace.mmapNext = addr + len
        }
        return 0
    }

    func sysMprotect(_ addr: UInt64, _ length: UInt64, _ prot: UInt64) -> Int64 {
        guard addr & guestPageMask == 0 else { return err(.EINVAL) }
        if prot & ~UInt64(0x7 | 0x0100_0000 | 0x0200_0000) != 0 && !(abi == .mips64n64 && prot & 0x10 != 0) {
            return err(.EINVAL)
        }
        if length == 0 { return 0 }
        guard let len = pageLength(length), inUserSpace(addr, len) else { return err(.ENOMEM) }
        return addressSpace.protect(addr, length: len, permissions: permissions(prot: prot)) ? 0 : err(.ENOMEM)
    }

    func sysMremap(_ old: UInt64, _ oldLength: UInt64, _ newLength: UInt64, _ flags: UInt64, _ newAddr: UInt64) -> Int64 {
        let mayMove = flags & 1 != 0, fixed = flags & 2 != 0
        guard flags & ~UInt64(7) == 0, old & guestPageMask == 0 else { return err(.EINVAL) }
        if fixed && !mayMove { return err(.EINVAL) }
        if flags & 4 != 0 { return err(.EINVAL) }                  // MREMAP_DONTUNMAP: not supported
        guard let oldLen = pageLength(oldLength), let newLen = pageLength(newLength) else { return err(.EINVAL) }
        guard inUserSpace(old, oldLen) else { return err(.EFAULT) }
        if newLen > oldLen && !withinBudget(newLen - oldLen) { return err(.ENOMEM) }
        if !addressSpace.isMappedRange(old, length: oldLen) { return err(.EFAULT) }
        if fixed {
            guard newAddr & guestPageMask == 0, inUserSpace(newAddr, newLen) else { return err(.EINVAL) }
            if newAddr < old + oldLen && old < newAddr + newLen { return err(.EINVAL) }
            guard addressSpace.unmap(newAddr, length: newLen) else { return err(.ENOMEM) }
            return addressSpace.move(from: old, oldLength: oldLen, to: newAddr, newLength: newLen, lazy: true)
                ? Int64(newAddr) : err(.ENOMEM)
        }
        if newLen <= oldLen {
            if newLen < oldLen && !addressSpace.unmap(old + newLen, length: oldLen - newLen) { return err(.ENOMEM) }
            return Int64(old)
        }
        if inUserSpace(old + oldLen, newLen - oldLen) && addressSpace.isFree(old + oldLen, length: newLen - oldLen) {
            let perms = addressSpace.permissions(old + oldLen - guestPageSize) ?? [.read, .write]
            guard addressSpace.map(old + oldLen, length: newLen - oldLen, permissions: perms, lazy: true) else {
                return err(.ENOMEM)
            }
            return Int64(old)
        }
        guard mayMove else { return err(.ENOMEM) }
        guard let target = addressSpace.findFree(length: newLen) else { return err(.ENOMEM) }
        return addressSpace.move(from: old, oldLength: oldLen, to: target, newLength: newLen, lazy: true)
            ? Int64(target) : err(.ENOMEM)
    }

    func sysMadvise(_ addr: UInt64, _ length: UInt64, _ advice: UInt64) -> Int64 {
        guard addr & guestPageMask == 0 else { return err(.EINVAL) }
        if length == 0 { return 0 }
        guard let len = pageLength(length), inUserSpace(addr, len) else { return err(.EINVAL) }
        // Every page must be mapped (else ENOMEM, as Linux).
        guard addressSpace.isMappedRange(addr, length: len) else { return err(.ENOMEM) }
        // MADV_DONTNEED (4): private anonymous pages read back as zero afterwards.
        if advice == 4 { addressSpace.discard(addr, length: len) }
        return 0
    }
}
