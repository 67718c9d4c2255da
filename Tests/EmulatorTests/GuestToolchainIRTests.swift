// GuestToolchainIRTests: the IR retargeting step on a small fixed module: the triple is replaced,
// the data layout, RISC-V attributes and module flags are gone, everything else is kept; IR of
// an unexpected shape is rejected with a message that names the file to update.
import XCTest
@testable import GuestToolchain

final class GuestToolchainIRTests: XCTestCase {
    static let sample = """
        ; ModuleID = 'hello'
        target datalayout = "e-m:e-p:64:64-i64:64-i128:128-n32:64-S128"
        target triple = "riscv64-none-none-eabi"

        define i64 @f(i64 %0) #0 {
          ret i64 %0
        }

        attributes #0 = { minsize nounwind "no-trapping-math"="true" "target-cpu"="generic-rv64" "target-features"="+64bit,+a,-d" "target-abi"="lp64" }
        attributes #1 = { nounwind }

        !llvm.module.flags = !{!1, !2, !3, !5}
        !1 = !{i32 1, !"wchar_size", i32 4}
        !2 = !{i32 1, !"target-abi", !"lp64"}
        !3 = !{i32 6, !"riscv-isa", !4}
        !4 = !{!"rv64i2p1_m2p0"}
        !5 = !{i32 8, !"PIC Level", i32 2}
        """

    func testRetargetsToMIPSAndPPC() throws {
        for triple in ["mips64el-unknown-none-elf", "powerpc64le-unknown-none-elf"] {
            let out = try IRRetargeter.retarget(Self.sample, to: triple)
            XCTAssertTrue(out.contains("target triple = \"\(triple)\""))
            XCTAssertFalse(out.contains("datalayout"))
            XCTAssertFalse(out.contains("target-cpu") || out.contains("target-features") || out.contains("\"target-abi\""))
            XCTAssertTrue(out.contains("attributes #0 = { minsize nounwind \"no-trapping-math\"=\"true\" }"), out)
            XCTAssertTrue(out.contains("!llvm.module.flags = !{!1, !5}"), out)
            XCTAssertTrue(out.contains("define i64 @f(i64 %0) #0 {"))
        }
    }

    func testRejectsUnexpectedIR() {
        let wrongTriple = Self.sample.replacingOccurrences(of: "riscv64-none-none-eabi", with: "aarch64-none-none-elf")
        let noFlags = Self.sample.replacingOccurrences(of: "!2 = !{i32 1, !\"target-abi\", !\"lp64\"}\n", with: "")
        for ir in [wrongTriple, noFlags] {
            XCTAssertThrowsError(try IRRetargeter.retarget(ir, to: "mips64el-unknown-none-elf")) { error in
                XCTAssertTrue("\(error)".contains("IRRetargeter.swift"), "\(error)")
            }
        }
    }
}
