// swift-tools-version:6.0
import PackageDescription

// Module graph (arrows point one way only, see docs/architecture.md):
//   tracejit (CLI) -> TracejitCLI -> JIT -> Runtime -> Frontend -> Bytecode
//                     TracejitCLI -> Profiler (never Runtime -> Profiler: the CLI connects them)
//                                    Runtime -> CVM (C object layouts, VM state for the signal handler)
let releaseFlags: [SwiftSetting] = [
    .unsafeFlags(["-Xllvm", "-generate-arange-section"]),
]

let package = Package(
    name: "tracejit",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "tracejit", targets: ["tracejit"]),
        .executable(name: "tj-spawn", targets: ["tj-spawn"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        .target(name: "Bytecode", swiftSettings: releaseFlags),
        .target(name: "Frontend", dependencies: ["Bytecode"], swiftSettings: releaseFlags),
        .target(name: "CVM", cSettings: [.unsafeFlags(["-gdwarf-aranges"])]),
        .target(name: "Runtime", dependencies: ["Bytecode", "Frontend", "CVM"], swiftSettings: releaseFlags),
        // The trace JIT: hotness, recorder, IR and passes, IR interpreter, x86-64 backend.
        .target(name: "JIT", dependencies: ["Bytecode", "Runtime", "CVM"], swiftSettings: releaseFlags),
        .target(
            name: "TracejitCLI",
            dependencies: [
                "Bytecode", "Frontend", "Runtime", "JIT", "Profiler", "Bench",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: releaseFlags),
        // Sampling profiler: C signal handler + ring (CSampler), libdw for symbols, Swift on top.
        .target(
            name: "CSampler",
            dependencies: ["CVM"],
            cSettings: [.unsafeFlags(["-g", "-gdwarf-aranges", "-fno-omit-frame-pointer"])],
            linkerSettings: [.linkedLibrary("dl"), .linkedLibrary("z")]),
        .systemLibrary(name: "CLibdw", pkgConfig: "libdw", providers: [.apt(["libdw-dev"])]),
        .target(name: "Profiler", dependencies: ["Bytecode", "CVM", "CSampler", "CLibdw"], swiftSettings: releaseFlags),
        // Regression benchmarking: suite runner, statistics, baselines, comparison, reports.
        .target(name: "Bench", dependencies: ["Profiler"], swiftSettings: releaseFlags),
        // The measuring parent of each benchmark run (tiny, so the child's peak RSS is its own).
        .executableTarget(name: "tj-spawn"),
        .executableTarget(name: "tracejit", dependencies: ["TracejitCLI"], swiftSettings: releaseFlags),
        // Micro-benchmarks of the runtime data layer (not a test; see docs/runtime.md).
        .executableTarget(name: "tj-runtime-bench", dependencies: ["Runtime"], path: "bench/runtime-micro"),
        .testTarget(name: "BytecodeTests", dependencies: ["Bytecode", "Frontend"]),
        .testTarget(name: "FrontendTests", dependencies: ["Bytecode", "Frontend"]),
        .testTarget(name: "RuntimeTests", dependencies: ["Bytecode", "Frontend", "Runtime"], exclude: ["Conformance"]),
        .testTarget(name: "JITTests", dependencies: ["JIT", "Runtime", "Bytecode", "Frontend"]),
        .testTarget(name: "ProfilerTests", dependencies: ["Profiler", "CSampler", "CVM", "Bytecode"]),
        .testTarget(name: "BenchTests", dependencies: ["Bench", "Profiler"]),
        .testTarget(name: "CLITests", dependencies: ["TracejitCLI", "Bytecode", "Frontend", "Profiler"]),
    ],
    swiftLanguageModes: [.v5]
)
