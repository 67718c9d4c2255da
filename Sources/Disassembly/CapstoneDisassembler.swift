// CapstoneDisassembler: owns one capstone handle for a guest ISA and byte order, and turns
// 32-bit instruction words (or a byte range) into capstone's mnemonic and operand text.
// Both guest ISAs have fixed 4-byte instructions, so a range is decoded word by word and a word
// capstone cannot decode is reported as such (never skipped, never a crash).
import CCapstone
import Emulator

public struct DisassemblerError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// One 4-byte slot of a disassembled range. `mnemonic == nil`: capstone could not decode it.
/// A trailing piece shorter than 4 bytes has `size < 4` and `mnemonic == nil`.
public struct DisassembledWord: Sendable, Equatable {
    public var address: UInt64
    public var word: UInt32
    public var size: Int
    public var mnemonic: String?
    public var operands: String

    public init(address: UInt64, word: UInt32, size: Int, mnemonic: String?, operands: String) {
        self.address = address
        self.word = word
        self.size = size
        self.mnemonic = mnemonic
        self.operands = operands
    }
}

public final class CapstoneDisassembler {
    public let isa: GuestISA
    public let littleEndian: Bool
    private var handle: csh = 0
    /// Reused instruction buffer for cs_disasm_iter (no allocation per word).
    private let insn: UnsafeMutablePointer<cs_insn>

    /// Capstone 4 has no MIPS64r2-specific mode: CS_MODE_MIPS64 enables every MIPS feature except
    /// microMIPS, MIPS16 and Release 6 (so it also decodes DSP, MSA and the like; the decoder oracle
    /// test lists those). PPC: CS_MODE_64 decodes 64-bit Power ISA including VMX/VSX.
    public init(isa: GuestISA, littleEndian: Bool) throws(DisassemblerError) {
        self.isa = isa
        self.littleEndian = littleEndian
        let arch: cs_arch
        var mode: Int32
        switch isa {
        case .mips64:
            arch = CS_ARCH_MIPS
            mode = CS_MODE_MIPS64.rawValue
        case .ppc64:
            arch = CS_ARCH_PPC
            mode = CS_MODE_64.rawValue
        }
        mode |= littleEndian ? CS_MODE_LITTLE_ENDIAN.rawValue : CS_MODE_BIG_ENDIAN.rawValue
        var h: csh = 0
        let err = cs_open(arch, cs_mode(rawValue: mode), &h)
        guard err == CS_ERR_OK else {
            throw DisassemblerError("capstone cannot open \(isa.rawValue): \(String(cString: cs_strerror(err)))")
        }
        guard let buffer = cs_malloc(h) else {
            cs_close(&h)
            throw DisassemblerError("capstone cannot allocate an instruction buffer")
        }
        handle = h
        insn = buffer
    }

    deinit {
        cs_free(insn, 1)
        cs_close(&handle)
    }

    /// Capstone's text for one instruction word at `address`, or nil when it cannot decode it.
    public func disassemble(word: UInt32, address: UInt64) -> (mnemonic: String, operands: String)? {
        let bytes: (UInt8, UInt8, UInt8, UInt8)
        if littleEndian {
            bytes = (UInt8(truncatingIfNeeded: word), UInt8(truncatingIfNeeded: word >> 8),
                     UInt8(truncatingIfNeeded: word >> 16), UInt8(truncatingIfNeeded: word >> 24))
        } else {
            bytes = (UInt8(truncatingIfNeeded: word >> 24), UInt8(truncatingIfNeeded: word >> 16),
                     UInt8(truncatingIfNeeded: word >> 8), UInt8(truncatingIfNeeded: word))
        }
        return withUnsafeBytes(of: bytes) { raw -> (mnemonic: String, operands: String)? in
            var code: UnsafePointer<UInt8>? = raw.baseAddress?.assumingMemoryBound(to: UInt8.self)
            var size = 4
            var addr = address
            guard cs_disasm_iter(handle, &code, &size, &addr, insn), insn.pointee.size == 4 else {
                return nil
            }
            return (Self.text(&insn.pointee.mnemonic), Self.text(&insn.pointee.op_str))
        }
    }

    /// Decodes `bytes` as consecutive instruction words starting at `address`, in this
    /// disassembler's byte order. Every 4 bytes give one entry, decodable or not.
    public func disassemble<C: Collection<UInt8>>(bytes: C, address: UInt64) -> [DisassembledWord] {
        var result: [DisassembledWord] = []
        result.reserveCapacity(bytes.count / 4 + 1)
        var index = bytes.startIndex
        var addr = address
        while index != bytes.endIndex {
            var chunk: [UInt8] = []
            var i = index
            while chunk.count < 4 && i != bytes.endIndex {
                chunk.append(bytes[i])
                i = bytes.index(after: i)
            }
            index = i
            var word: UInt32 = 0
            for (k, b) in chunk.enumerated() {
                let shift = littleEndian ? 8 * k : 8 * (chunk.count - 1 - k)
                word |= UInt32(b) << UInt32(shift)
            }
            if chunk.count == 4, let d = disassemble(word: word, address: addr) {
                result.append(DisassembledWord(address: addr, word: word, size: 4,
                                               mnemonic: d.mnemonic, operands: d.operands))
            } else {
                result.append(DisassembledWord(address: addr, word: word, size: chunk.count,
                                               mnemonic: nil, operands: ""))
            }
            addr &+= UInt64(chunk.count)
        }
        return result
    }

    /// A NUL-terminated fixed-size C char array (imported as a tuple) as a String.
    private static func text<T>(_ tuple: inout T) -> String {
        withUnsafeBytes(of: &tuple) { raw in
            let bytes = raw.bindMemory(to: UInt8.self)
            let end = bytes.firstIndex(of: 0) ?? bytes.count
            return String(decoding: bytes[0 ..< end], as: UTF8.self)
        }
    }
}
