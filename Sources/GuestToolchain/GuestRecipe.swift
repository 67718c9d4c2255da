// GuestRecipe: every flag of the guest pipeline, per ISA, in one place (see docs/guest-toolchain.md
// for why each was chosen). Changing anything here changes the build-cache key.
import Emulator

public enum GuestRecipe {
    /// The 64-bit little-endian target whose Embedded Swift stdlib swiftc compiles against.
    public static let referenceTarget = "riscv64-none-none-eabi"
    /// Bump when the pipeline changes in a way the flags below do not show.
    static let version = "k42sim-guest-recipe-1"

    /// swiftc: Embedded Swift to LLVM IR for the reference target. `K42_MIPS64`/`K42_PPC64` select
    /// the ISA in guest code (`#if K42_MIPS64`), since `#if arch(...)` sees riscv64.
    static func swiftFlags(_ isa: GuestISA) -> [String] {
        ["-target", referenceTarget,
         "-enable-experimental-feature", "Embedded", "-enable-experimental-feature", "Extern",
         "-wmo", "-Osize", "-Xfrontend", "-enforce-exclusivity=unchecked", "-parse-as-library",
         "-D", isa == .mips64 ? "K42_MIPS64" : "K42_PPC64",
         "-emit-ir"]
    }

    /// The LLVM triple the retargeted IR gets.
    static func triple(_ isa: GuestISA) -> String {
        switch isa {
        case .mips64: "mips64el-unknown-none-elf"
        case .ppc64: "powerpc64le-unknown-none-elf"
        }
    }

    /// clang code-generation flags shared by IR, C and assembly inputs.
    /// MIPS: MIPS64 Release 2 (what the emulator implements), n64 ABI, hard float (FR=1; the
    /// entry glue sets Status.CU1|FR), static non-PIC code with no small-data section.
    /// PPC: POWER8 integer/FP instructions, but no VMX/VSX (`-mno-altivec -mno-vsx`): the
    /// emulator implements the scalar FPU only and kernels need not save vector state;
    /// floating point uses the classic FPRs (the entry glue sets MSR[FP]).
    static func codegenFlags(_ isa: GuestISA) -> [String] {
        let common = ["-O2", "-fno-pic", "-ffunction-sections", "-fdata-sections"]
        switch isa {
        case .mips64:
            return ["-target", triple(isa), "-march=mips64r2", "-mabi=64", "-mhard-float",
                    "-mno-abicalls", "-G0"] + common
        case .ppc64:
            return ["-target", triple(isa), "-mcpu=pwr8", "-mno-altivec", "-mno-vsx", "-mhard-float"] + common
        }
    }

    /// Extra flags for the runtime's C files (mem*, libm pieces): no libc, no builtins (so a
    /// byte loop in memset never becomes a call to memset), no stack protector.
    static let cFlags = ["-ffreestanding", "-fno-builtin", "-fno-stack-protector", "-std=c11", "-Wall", "-Werror"]

    /// ld.lld: a static image laid out by the ISA's linker script.
    static func linkFlags(script: String) -> [String] {
        ["-static", "-nostdlib", "--gc-sections", "--no-undefined", "-T", script]
    }
}
