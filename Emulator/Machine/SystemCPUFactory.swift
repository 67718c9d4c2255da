// SystemCPUFactory: builds the full-system CPU of a machine's ISA.

public enum SystemCPUFactory {
    public static func make(_ ctx: MachineCPUContext) throws(ElfError) -> MachineCPU {
        switch ctx.config.isa {
        case .mips64:
            return try MIPS64SystemCPU(ctx)
        case .ppc64:
            return PPC64SystemCPU(ctx)
        }
    }
}
