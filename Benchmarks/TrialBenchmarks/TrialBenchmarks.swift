// TrialBenchmarks — one simulated trial at a time on one thread, on ordo-one's harness:
// time per trial with percentiles, and heap allocations per trial (the replicate loop of a
// conventional design must not allocate: its threshold is 0 mallocs at every percentile).
//
// `swift package --package-path Benchmarks benchmark --target TrialBenchmarks` (release build;
// `make bench` runs it). Each iteration is one replicate of `TrialRunner`, which is the engine's
// worker loop: streams reseeded, patients generated into the worker's columns, one sort, Cox and
// log-rank (or the design's borrowing analysis).

import Benchmark
import Foundation
import Simulation
import TrialSpec

let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// A runner for `design` under truth `truth` of a shipped scenario (the scenario's own model).
func makeRunner(_ path: String, design: String, truth: Int, refit: Bool = true) -> TrialRunner {
  do {
    let s = try Scenario.load(path: root.appendingPathComponent(path).path)
    let d = s.designs.firstIndex { $0.id == design }!
    let model = try TrialModel(scenario: s, cellIndex: 0, refit: refit)
    return TrialRunner(model: model, scenario: s, designIndex: d, truthIndex: truth)
  } catch {
    fatalError("benchmark set-up failed: \(error)")
  }
}

// Built once, outside the measured iterations (the first touch happens in a warm-up iteration).
// Each benchmark drives its own runner from one thread at a time.
nonisolated(unsafe) let rpactD1 = makeRunner("Scenarios/rpact-d1.yaml", design: "conventional", truth: 1)
nonisolated(unsafe) let colonConventional = makeRunner("Scenarios/colon-augmented.yaml", design: "conventional", truth: 2)
nonisolated(unsafe) let colonPowerPrior = makeRunner("Scenarios/colon-augmented.yaml", design: "augmented-pp50", truth: 2)
nonisolated(unsafe) let colonPowerPriorFixed = makeRunner(
  "Scenarios/colon-augmented.yaml", design: "augmented-pp50", truth: 2, refit: false)
nonisolated(unsafe) var replicate = 0

let benchmarks: @Sendable () -> Void = {
  let noAllocation = BenchmarkThresholds(absolute: [.p0: 0, .p50: 0, .p90: 0, .p100: 0])
  // No CPU-time metric: reading it allocates inside the measured region (16 mallocs per
  // iteration, none of them the trial's: the harness's allocation-stack mode shows 0).
  let trial = Benchmark.Configuration(
    metrics: [.wallClock, .mallocCountTotal, .throughput], warmupIterations: 20,
    maxDuration: .seconds(4), maxIterations: 100_000, thresholds: [.mallocCountTotal: noAllocation])
  let augmented = Benchmark.Configuration(
    metrics: [.wallClock, .mallocCountTotal, .throughput], warmupIterations: 5,
    maxDuration: .seconds(4), maxIterations: 10_000)

  Benchmark("rpact D1 trial (558 patients, event-driven cut, Cox + log-rank)", configuration: trial) { _ in
    replicate += 1
    blackHole(rpactD1.simulate(replicate: replicate))
  }
  Benchmark("colon conventional trial (300 + 300, fitted truth, Cox + log-rank)", configuration: trial) { _ in
    replicate += 1
    blackHole(colonConventional.simulate(replicate: replicate))
  }
  Benchmark("colon augmented-pp50 trial, generator refit in the replicate", configuration: augmented) { _ in
    replicate += 1
    blackHole(colonPowerPrior.simulate(replicate: replicate))
  }
  Benchmark("colon augmented-pp50 trial, generator fitted once", configuration: augmented) { _ in
    replicate += 1
    blackHole(colonPowerPriorFixed.simulate(replicate: replicate))
  }
}
