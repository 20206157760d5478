// swift-tools-version:6.1
//
// SynthArm's benchmarks: a package of their own so that the root package keeps swift-tools 6.0,
// `swift build` and `make test` never build the benchmark harness, and the harness's traits
// (which need tools 6.1) stay here. Run with `make bench` (release build).
//
// `TrialBenchmarks` runs on ordo-one's `benchmark` harness (repeated runs, percentiles, mallocs
// per iteration, thresholds): `swift package --package-path Benchmarks benchmark --target
// TrialBenchmarks`. The other executables print each figure beside its anchor.

import PackageDescription

let package = Package(
  name: "SynthArmBenchmarks",
  platforms: [.macOS(.v13)],
  dependencies: [
    .package(name: "SynthArm", path: ".."),
    .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
  ],
  targets: [
    .executableTarget(
      name: "TrialBenchmarks",
      dependencies: [
        .product(name: "Benchmark", package: "benchmark"),
        .product(name: "Simulation", package: "SynthArm"),
        .product(name: "TrialSpec", package: "SynthArm"),
      ],
      path: "TrialBenchmarks",
      plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
    ),
    .executableTarget(
      name: "SurvivalBenchmarks",
      dependencies: [
        .product(name: "SurvivalAnalysis", package: "SynthArm"), .product(name: "CohortData", package: "SynthArm"),
        .product(name: "GSL", package: "SynthArm"),
      ],
      path: "SurvivalBenchmarks"
    ),
    .executableTarget(
      name: "AuditBenchmarks",
      dependencies: [.product(name: "Audit", package: "SynthArm"), .product(name: "GSL", package: "SynthArm")],
      path: "AuditBenchmarks"
    ),
    .executableTarget(
      name: "SynthesisBenchmarks",
      dependencies: [.product(name: "Synthesis", package: "SynthArm"), .product(name: "TrialSpec", package: "SynthArm")],
      path: "SynthesisBenchmarks"
    ),
    .executableTarget(
      name: "SimulationBenchmarks",
      dependencies: [.product(name: "Simulation", package: "SynthArm"), .product(name: "TrialSpec", package: "SynthArm")],
      path: "SimulationBenchmarks"
    ),
    .executableTarget(
      name: "BorrowingBenchmarks",
      dependencies: [
        .product(name: "Simulation", package: "SynthArm"), .product(name: "SurvivalAnalysis", package: "SynthArm"),
        .product(name: "GSL", package: "SynthArm"),
      ],
      path: "BorrowingBenchmarks"
    ),
    .executableTarget(
      name: "SweepBenchmarks",
      dependencies: [.product(name: "Runs", package: "SynthArm"), .product(name: "TrialSpec", package: "SynthArm")],
      path: "SweepBenchmarks",
      exclude: ["sweep-20-cells.yaml"]
    ),
  ],
  swiftLanguageModes: [.v6]
)
