// SweepBenchmarks — the sweep benchmark on ordo-one's harness (release build, all cores; `make
// bench`): 20 eligibility cells × 3 designs × 2 truths × 1,000 replicates of the contract colon
// protocol, each cell simulated as `syntharm run` does (attrition, generator audit, large-sample
// estimand, operating characteristics), with the generator refit in every replicate and fitted
// once per cell. Target: ≤ 30 s on 2 cores; no external anchor.
//
// One run takes tens of seconds, so each benchmark is a single iteration without warm-up (`make
// bench` stays within minutes): its percentiles are that one figure, and what the harness adds is
// the heap allocations, the peak resident memory and a stored-baseline comparison for the whole
// sweep, with trials per second as a metric of its own. The scenario is loaded in set-up.

import Anchors
import Benchmark
import Foundation
import Runs
import TrialSpec

let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
let threads = ProcessInfo.processInfo.activeProcessorCount

// Made in set-up (first use).
let scenario: Scenario = {
  do {
    return try Scenario.load(path: root.appendingPathComponent("Benchmarks/SweepBenchmarks/sweep-20-cells.yaml").path)
  } catch {
    fatalError("benchmark set-up failed: \(error)")
  }
}()

let trialsPerSecond = BenchmarkMetric.custom("trials/s, \(threads) threads", polarity: .prefersLarger, useScalingFactor: false)

let benchmarks: @Sendable () -> Void = {
  let sweep = Benchmark.Configuration(
    metrics: [.wallClock, .mallocCountTotal, .peakMemoryResident, trialsPerSecond], units: [trialsPerSecond: .count],
    warmupIterations: 0, maxDuration: .seconds(1), maxIterations: 1, setup: { _ = scenario })

  for refit in [true, false] {
    Benchmark("20 cells × 3 designs × 2 truths × 1,000 replicates, refit \(refit ? "on" : "off")", configuration: sweep) { benchmark in
      let clock = ContinuousClock()
      let start = clock.now
      var trials = 0
      let settings = RunSettings(replicates: scenario.replicates, refit: refit)
      for cell in scenario.sweep.indices {
        trials += SweepCellRunner.run(scenario, cell: cell, settings: settings, threads: threads).trials
      }
      benchmark.measurement(trialsPerSecond, Int((Double(trials) / seconds(start.duration(to: clock.now))).rounded()))
    }
  }
}
