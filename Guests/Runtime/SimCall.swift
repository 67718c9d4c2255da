// SimCall: the sim-call port (docs/platform.md): region-of-interest marks, statistics reset and
// dump, trace markers and a debug hex print, each one MMIO operation.

enum SimCall {
    static func perform(_ op: UInt64, _ arg0: UInt64 = 0, _ arg1: UInt64 = 0) {
        Platform.write(Platform.simCallPage + 0x00, arg0)
        Platform.write(Platform.simCallPage + 0x08, arg1)
        Platform.write(Platform.simCallPage + 0x10, op)
    }

    static func regionOfInterestBegin(_ id: UInt64) { perform(1, id) }
    static func regionOfInterestEnd(_ id: UInt64) { perform(2, id) }
    static func resetStatistics() { perform(3) }
    static func dumpStatistics() { perform(4) }
    static func traceMarker(_ id: UInt64, _ value: UInt64) { perform(5, id, value) }
    static func debugPrintHex(_ value: UInt64) { perform(6, value) }
}
