// PhysicalAddressMap: what lies at a physical address on the full-system machine — a RAM frame
// (frame f = physical address f << 12, all nodes' RAM in one range), the platform devices' MMIO
// window, or nothing (a bus error). The CPUs' translators classify physical addresses with it.

/// RAM as an address translator for physical accesses (used by loaders and real-mode CPUs).
public final class PhysicalAddressMap {
    public let ramBytes: UInt64
    public init(ramBytes: UInt64) { self.ramBytes = ramBytes }

    /// RAM frame, device page, or nil (nothing there: bus error).
    public func classify(_ pa: UInt64) -> Translation? {
        let page = pa & ~guestPageMask
        if pa < ramBytes { return Translation(frame: Int(pa >> guestPageShift), permissions: .all, physicalPage: page) }
        if pa >= MachineConfig.mmioBase && pa < MachineConfig.mmioBase + MachineConfig.mmioSize {
            return .device(page, permissions: [.read, .write])
        }
        return nil
    }
}
