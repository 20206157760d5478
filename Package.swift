// swift-tools-version:6.0
//
// SynthArm: synthetic control arms for cancer trials, computable.
// Module floors (Docs/Architecture.md): each target imports only targets below it, and `GSL` is
// the only importer of the C library.

import PackageDescription

let package = Package(
  name: "SynthArm",
  platforms: [.macOS(.v13)],
  products: [
    .executable(name: "syntharm", targets: ["syntharm"]),
    .library(name: "SurvivalAnalysis", targets: ["SurvivalAnalysis"]),
    // For the benchmark package (Benchmarks/Package.swift) and library users.
    .library(name: "GSL", targets: ["GSL"]),
    .library(name: "CohortData", targets: ["CohortData"]),
    .library(name: "TrialSpec", targets: ["TrialSpec"]),
    .library(name: "Synthesis", targets: ["Synthesis"]),
    .library(name: "Audit", targets: ["Audit"]),
    .library(name: "Simulation", targets: ["Simulation"]),
    .library(name: "Runs", targets: ["Runs"]),
    .library(name: "Reporting", targets: ["Reporting"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    .package(url: "https://github.com/apple/swift-numerics", from: "1.0.0"),
    .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
    .package(url: "https://github.com/apple/swift-crypto", from: "3.0.0"),
  ],
  targets: [
    // Floor 0: the C library, nothing else.
    .systemLibrary(
      name: "CGSL",
      pkgConfig: "gsl",
      providers: [.apt(["libgsl-dev"]), .brew(["gsl"])]
    ),
    // Floor 1.
    .target(name: "GSL", dependencies: ["CGSL"]),
    .target(name: "CohortData"),
    .target(name: "Plotting"),
    // Floor 2.
    .target(
      name: "SurvivalAnalysis",
      dependencies: [
        "GSL", "CohortData",
        .product(name: "RealModule", package: "swift-numerics"),
      ]
    ),
    .target(
      name: "TrialSpec",
      dependencies: ["CohortData", .product(name: "Yams", package: "Yams")]
    ),
    // Floor 3.
    .target(name: "Synthesis", dependencies: ["GSL", "CohortData", "SurvivalAnalysis", "TrialSpec"]),
    .target(name: "Audit", dependencies: ["GSL", "SurvivalAnalysis"]),
    // Floor 4.
    .target(name: "Simulation", dependencies: ["GSL", "SurvivalAnalysis", "TrialSpec", "Synthesis"]),
    // Floor 5: runs as a library — sweep cells, shards, resume, the run folder, its lock and
    // manifest, safe file writes, and the audit of generated patients.
    .target(
      name: "Runs",
      dependencies: [
        "TrialSpec", "SurvivalAnalysis", "Synthesis", "Audit", "Simulation", .product(name: "Crypto", package: "swift-crypto"),
      ]
    ),
    // Floor 6: rendering only — tables, JSON, data cards, the HTML report. Runs nothing.
    .target(
      name: "Reporting",
      dependencies: ["TrialSpec", "SurvivalAnalysis", "Synthesis", "Audit", "Simulation", "Runs", "Plotting"]
    ),
    // Floor 7: the command-line tool. Parses, calls the library, prints.
    .executableTarget(
      name: "syntharm",
      dependencies: [
        "SurvivalAnalysis", "CohortData", "TrialSpec", "Synthesis", "Audit", "Simulation", "Runs", "Reporting",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]
    ),
    // Tests mirror modules; fixtures live in Tests/Fixtures and are found via #filePath.
    .target(
      name: "TestSupport",
      dependencies: [.product(name: "RealModule", package: "swift-numerics")],
      path: "Tests/TestSupport"
    ),
    .testTarget(name: "GSLTests", dependencies: ["GSL", "TestSupport"]),
    .testTarget(name: "CohortDataTests", dependencies: ["CohortData", "TestSupport"]),
    .testTarget(name: "PlottingTests", dependencies: ["Plotting", "TestSupport"]),
    .testTarget(name: "TrialSpecTests", dependencies: ["TrialSpec", "CohortData", "TestSupport"]),
    .testTarget(name: "SynthesisTests", dependencies: ["Synthesis", "TrialSpec", "SurvivalAnalysis", "GSL", "TestSupport"]),
    .testTarget(name: "SimulationTests", dependencies: ["Simulation", "TrialSpec", "SurvivalAnalysis", "GSL", "TestSupport"]),
    .testTarget(name: "AuditTests", dependencies: ["Audit", "SurvivalAnalysis", "GSL", "TestSupport"]),
    .testTarget(
      name: "RunsTests",
      dependencies: ["Runs", "Simulation", "Synthesis", "Audit", "SurvivalAnalysis", "TrialSpec", "TestSupport"]
    ),
    .testTarget(
      name: "ReportingTests",
      dependencies: [
        "Reporting", "Runs", "Plotting", "Simulation", "Synthesis", "Audit", "SurvivalAnalysis", "TrialSpec", "TestSupport",
      ]
    ),
    .testTarget(
      name: "SurvivalAnalysisTests",
      dependencies: ["SurvivalAnalysis", "CohortData", "GSL", "TestSupport"]
    ),
    .testTarget(
      name: "SynthArmCLITests",
      dependencies: ["syntharm", "TestSupport"],
      path: "Tests/SynthArmCLITests"
    ),
  ],
  swiftLanguageModes: [.v6]
)
