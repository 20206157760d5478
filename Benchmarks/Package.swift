// swift-tools-version:6.1
//
// SynthArm's benchmarks: a package of their own so that the root package keeps swift-tools 6.0,
// `swift build` and `make test` never build the benchmark harness, and the harness's traits
// (which need tools 6.1) stay here. Run with `make bench` (release build).
//
// Every executable runs on ordo-one's `benchmark` harness (repeated runs, wall-clock percentiles,
// mallocs per iteration, peak memory, stored baselines and thresholds): `swift package
// --package-path Benchmarks benchmark --target <Target>`. Micro-benchmarks (Survival, Synthesis,
// Audit, Borrowing, Trial) time one operation per iteration; the whole-run benchmarks (Simulation,
// Sweep) time one Monte Carlo run per iteration, with few iterations, and report trials/s as a
// metric. Where a figure has an anchor (another tool's time for the same work) the benchmark also
// reports the ratio as a metric named after the anchor (`Anchors`): recorded figures say
// "recorded"; rpact is run in the same process by Scripts/bench/rpact-d1.R when Rscript and rpact
// are installed. Malloc counts do not depend on the machine's load: the single-threaded
// micro-benchmarks whose counts are exact (Survival, Borrowing; Trial's conventional trials, which
// allocate nothing) allow no new allocation when compared with a baseline (`benchmark baseline
// check`). No baseline is stored in the repository: times on the shared 2-core machine are not
// stable enough to gate on, so a comparison is made on one machine, e.g. `benchmark baseline update
// before` on main, then `benchmark baseline check before` on the branch.

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
    .target(name: "Anchors", dependencies: [.product(name: "Benchmark", package: "benchmark")], path: "Anchors"),
    .executableTarget(
      name: "SurvivalBenchmarks",
      dependencies: [
        "Anchors", .product(name: "Benchmark", package: "benchmark"), .product(name: "SurvivalAnalysis", package: "SynthArm"),
        .product(name: "GSL", package: "SynthArm"),
      ],
      path: "SurvivalBenchmarks",
      plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
    ),
    .executableTarget(
      name: "AuditBenchmarks",
      dependencies: [
        .product(name: "Benchmark", package: "benchmark"), .product(name: "Audit", package: "SynthArm"),
        .product(name: "GSL", package: "SynthArm"),
      ],
      path: "AuditBenchmarks",
      plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
    ),
    .executableTarget(
      name: "SynthesisBenchmarks",
      dependencies: [
        "Anchors", .product(name: "Benchmark", package: "benchmark"), .product(name: "Synthesis", package: "SynthArm"),
        .product(name: "TrialSpec", package: "SynthArm"),
      ],
      path: "SynthesisBenchmarks",
      plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
    ),
    .executableTarget(
      name: "SimulationBenchmarks",
      dependencies: [
        "Anchors", .product(name: "Benchmark", package: "benchmark"), .product(name: "Simulation", package: "SynthArm"),
        .product(name: "TrialSpec", package: "SynthArm"),
      ],
      path: "SimulationBenchmarks",
      plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
    ),
    .executableTarget(
      name: "BorrowingBenchmarks",
      dependencies: [
        "Anchors", .product(name: "Benchmark", package: "benchmark"), .product(name: "Simulation", package: "SynthArm"),
        .product(name: "SurvivalAnalysis", package: "SynthArm"), .product(name: "GSL", package: "SynthArm"),
      ],
      path: "BorrowingBenchmarks",
      plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
    ),
    .executableTarget(
      name: "SweepBenchmarks",
      dependencies: [
        "Anchors", .product(name: "Benchmark", package: "benchmark"), .product(name: "Runs", package: "SynthArm"),
        .product(name: "TrialSpec", package: "SynthArm"),
      ],
      path: "SweepBenchmarks",
      exclude: ["sweep-20-cells.yaml"],
      plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
    ),
  ],
  swiftLanguageModes: [.v6]
)
