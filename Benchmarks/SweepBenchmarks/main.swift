// SweepBenchmarks — the sweep benchmark of issue 6 (release build: `make bench`): 20 eligibility
// cells × 3 designs × 2 truths × 1,000 replicates of the contract colon protocol, each cell
// simulated as `syntharm run` does (attrition, generator audit, large-sample estimand, operating
// characteristics; generator refit in every replicate). Target: ≤ 30 s on 2 cores.

import Foundation
import Runs
import TrialSpec

let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

func time(_ body: () throws -> Void) rethrows -> Double {
  let clock = ContinuousClock()
  let d = try clock.measure(body)
  return Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
}

do {
  let scenario = try Scenario.load(path: root.appendingPathComponent("Benchmarks/SweepBenchmarks/sweep-20-cells.yaml").path)
  let threads = ProcessInfo.processInfo.activeProcessorCount
  print("SynthArm sweep benchmark (release build, \(threads) threads)")
  for refit in [true, false] {
    var trials = 0
    let settings = RunSettings(replicates: scenario.replicates, refit: refit)
    let seconds = time {
      for cell in scenario.sweep.indices {
        trials += SweepCellRunner.run(scenario, cell: cell, settings: settings, threads: threads).trials
      }
    }
    print(
      String(
        format: "20 cells × 3 designs × 2 truths × 1,000 replicates, refit %@ | %.1f s | %.0f trials/s | target ≤ 30 s",
        refit ? "on" : "off", seconds, Double(trials) / seconds))
  }
} catch {
  print("benchmark failed: \(error)")
}
