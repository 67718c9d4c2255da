// FuzzMain: the libFuzzer entry points of k42fuzz (built by scripts/fuzz, never by `swift build`).
// The target is chosen by K42SIM_FUZZ_TARGET (one of FuzzTargets.names); its body is in
// Tests/EmulatorTests/Fuzzing/FuzzTargets.swift, shared with the corpus replay test.
#if canImport(Glibc)
import Glibc
#endif

nonisolated(unsafe) var fuzzTarget = ""

@_cdecl("LLVMFuzzerInitialize")
public func fuzzInitialize(_ argc: UnsafeMutablePointer<Int32>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>) -> Int32 {
    fuzzTarget = getenv("K42SIM_FUZZ_TARGET").map { String(cString: $0) } ?? ""
    guard FuzzTargets.names.contains(fuzzTarget) else {
        let text = "k42fuzz: set K42SIM_FUZZ_TARGET to one of: \(FuzzTargets.names.joined(separator: " "))\n"
        _ = text.withCString { write(2, $0, strlen($0)) }
        exit(2)
    }
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = size > 0 && data != nil ? Array(UnsafeBufferPointer(start: data, count: size)) : []
    FuzzTargets.run(fuzzTarget, bytes)
    return 0
}
