// SimulationBenchmarks — simulated trials per second (release build: `make bench`).
// Targets (issue 5): rpact-d1 with Cox + log-rank per replicate ≥ 40,000 trials/s on 2 cores
// (anchor: rpact, log-rank only, 1 core: 10,000 in 2.1 s); the colon scenario's augmented design
// with a generator refit per replicate ≥ 5,000 trials/s. The large-sample estimand trial (one per
// hazard ratio) is included in the wall time, as in `syntharm run`.

import Foundation
import Simulation
import TrialSpec

let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

func time(_ body: () throws -> Void) rethrows -> Double {
  let clock = ContinuousClock()
  let d = try clock.measure(body)
  return Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
}

do {
  print("SynthArm simulation benchmarks (release build, all cores)")
  print("case | trials/s | anchor | target")
  var d1 = try Scenario.load(path: root.appendingPathComponent("Scenarios/rpact-d1.yaml").path)
  d1.truth.hazardRatios = [0.75]
  let d1Model = try TrialModel(protocol: d1.trialProtocol, needsSynthetic: false)
  let t1 = time { _ = MonteCarlo.run(model: d1Model, scenario: d1, replicates: 10_000) }
  print(String(format: "rpact-d1, Cox + log-rank, 10,000 replicates | %.0f | rpact 4,800 (1 core, log-rank only) | ≥ 40,000", 10_000 / t1))

  var colon = try Scenario.load(path: root.appendingPathComponent("Scenarios/colon-augmented.yaml").path)
  colon.designs = colon.designs.filter { $0.id == "augmented-pp50" }
  colon.truth.hazardRatios = [0.70]
  colon.truth.drifts = [1]
  let refitModel = try TrialModel(protocol: colon.trialProtocol, refit: true, needsSynthetic: true)
  let t2 = time { _ = MonteCarlo.run(model: refitModel, scenario: colon, replicates: 1_000) }
  print(String(format: "colon augmented-pp50 with refit, 1,000 replicates | %.0f | psborrow2 ~24 s per analysis | ≥ 5,000", 1_000 / t2))
  let fixedModel = try TrialModel(protocol: colon.trialProtocol, refit: false, needsSynthetic: true)
  let t3 = time { _ = MonteCarlo.run(model: fixedModel, scenario: colon, replicates: 1_000) }
  print(String(format: "colon augmented-pp50 without refit, 1,000 replicates | %.0f | — | —", 1_000 / t3))
} catch {
  print("benchmark failed: \(error)")
}
