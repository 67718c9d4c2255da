// swift-tools-version:6.0
// k42sim: a deterministic cycle-level MIPS64/PPC64 NUMA multiprocessor emulator
// and the Swift re-implementation of the K42 kernel that runs on it.
import PackageDescription

let package = Package(
    name: "k42sim",
    products: [
        .executable(name: "k42sim", targets: ["k42sim"]),
        .library(name: "Emulator", targets: ["Emulator"]),
        .library(name: "Disassembly", targets: ["Disassembly"]),
        .library(name: "GuestToolchain", targets: ["GuestToolchain"]),
        .library(name: "Traces", targets: ["Traces"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // Debian's libelf-dev, used for all ELF parsing (no hand-written ELF parser).
        .systemLibrary(name: "CElf", path: "Sources/CElf", pkgConfig: "libelf",
                       providers: [.apt(["libelf-dev"])]),
        // Debian's libcapstone-dev: `k42sim disasm` and the decoder oracle in tests.
        .systemLibrary(name: "CCapstone", path: "Sources/CCapstone", pkgConfig: "capstone",
                       providers: [.apt(["libcapstone-dev"])]),
        // Host floating-point helpers that need strict FP-environment access (rounding, flags).
        .target(name: "CHostFP", path: "Sources/CHostFP"),
        // The trace event format and definitions (Traces/Shared, also compiled into every guest
        // by the guest toolchain), recording, trace files, dump/stats and Perfetto/Chrome export
        // (Traces/Host). Traces/Guest is the guests' logging runtime: guest-only.
        .target(
            name: "Traces",
            path: "Traces",
            exclude: ["Guest"]
        ),
        .target(
            name: "Emulator",
            dependencies: ["CElf", "CHostFP", "Traces"],
            path: "Emulator",
            // Functions start on 64-byte boundaries: the interpreters' dispatch loops otherwise
            // land wherever the module's other code pushes them, and the same machine code ran
            // 13 % slower on this machine at a 16-byte offset (docs/architecture.md, "Code layout").
            // The hot loops are specialised per byte order and mode; LLVM's function merging
            // folded those bodies into one taking the semantics as function pointers (an
            // indirect call per instruction), so it is off here. Release builds do not check
            // exclusivity at run time: the interpreters and the soft MMU touch class state on
            // every slow-path access (swift_beginAccess); debug builds still check it.
            // scripts/check-hot-loop verifies the generated code (docs/architecture.md, "Code layout").
            swiftSettings: [
                .unsafeFlags(["-Xllvm", "-align-all-functions=6",
                              "-Xfrontend", "-disable-llvm-merge-functions-pass"]),
                .unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release)),
            ]
        ),
        .target(
            name: "Disassembly",
            dependencies: ["CCapstone", "Emulator"],
            path: "Sources/Disassembly"
        ),
        // Builds Kernel/ and Guests/ (Embedded Swift) into static ELF images per ISA.
        .target(
            name: "GuestToolchain",
            dependencies: ["Emulator"],
            path: "Sources/GuestToolchain"
        ),
        .executableTarget(
            name: "k42sim",
            dependencies: [
                "Emulator",
                "Disassembly",
                "GuestToolchain",
                "Traces",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Sources/k42sim"
        ),
        .testTarget(
            name: "EmulatorTests",
            dependencies: ["Emulator", "Disassembly", "GuestToolchain", "Traces", "k42sim"],
            path: "Tests/EmulatorTests"
        ),
    ]
)
