// SimulationBenchmarks — simulated trials per second (release build, all cores: `make bench`),
// each figure beside its anchor and the ratio.
//
// Targets (Docs/Performance.md): rpact D1 with Cox + log-rank per trial ≥ 40,000 trials/s on 2
// cores and ≥ 3.5× rpact per core, rpact (log-rank only, one core) measured in the same run by
// Scripts/bench/rpact-d1.R when Rscript and rpact are installed (else the recorded figure,
// labelled as such); the colon augmented power-prior design with the generator's uncertainty
// propagated ≥ 5,000 trials/s. The large-sample estimand trial (one per hazard ratio) is included
// in the wall time, as in `syntharm run`.

import Foundation
import Simulation
import TrialSpec

let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
let cores = ProcessInfo.processInfo.activeProcessorCount

func time(_ body: () throws -> Void) rethrows -> Double {
  let clock = ContinuousClock()
  let d = try clock.measure(body)
  return Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
}

/// rpact's trials per second on one core, measured now (nil when R or rpact is missing).
func rpactRate(iterations: Int) -> (rate: Double, line: String)? {
  let process = Process()
  process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
  process.arguments = ["Rscript", root.appendingPathComponent("Scripts/bench/rpact-d1.R").path, String(iterations)]
  let output = Pipe()
  process.standardOutput = output
  process.standardError = Pipe()
  do { try process.run() } catch { return nil }
  let data = output.fileHandleForReading.readDataToEndOfFile()
  process.waitUntilExit()
  guard process.terminationStatus == 0, let line = String(data: data, encoding: .utf8)?.trimmingCharacters(in: .whitespacesAndNewlines),
    let range = line.range(of: #"([0-9.]+) trials/s"#, options: .regularExpression),
    let rate = Double(line[range].split(separator: " ")[0])
  else { return nil }
  return (rate, line)
}

func rate(_ trials: Int, _ seconds: Double) -> String { String(format: "%.0f trials/s", Double(trials) / seconds) }

do {
  print("SynthArm simulation benchmarks (release build, \(cores) cores)")
  print("case | SynthArm | anchor | ratio | target")
  var d1 = try Scenario.load(path: root.appendingPathComponent("Scenarios/rpact-d1.yaml").path)
  d1.truth.hazardRatios = [0.75]
  let d1Model = try TrialModel(protocol: d1.trialProtocol, needsSynthetic: false)
  let n1 = 100_000
  let t1 = time { _ = MonteCarlo.run(model: d1Model, scenario: d1, replicates: n1) }
  let ours = Double(n1) / t1
  let anchor: String
  let ratio: String
  if let (rpact, line) = rpactRate(iterations: 10_000) {
    anchor = String(format: "rpact %.0f trials/s on 1 core, log-rank only (measured now: %@)", rpact, line)
    ratio = String(format: "%.2f× rpact per core", ours / Double(cores) / rpact)
  } else {
    let recorded = 5_350.0
    anchor = "rpact 4,500–5,350 trials/s on 1 core, log-rank only (recorded 2026-11-30; Rscript or rpact not installed)"
    ratio = String(format: "%.2f× the recorded 5,350 per core", ours / Double(cores) / recorded)
  }
  print("rpact D1, Cox + log-rank, \(n1) trials | \(rate(n1, t1)) | \(anchor) | \(ratio) | ≥ 40,000 trials/s, ≥ 3.5× per core")

  var colon = try Scenario.load(path: root.appendingPathComponent("Scenarios/colon-augmented.yaml").path)
  colon.designs = colon.designs.filter { $0.id == "augmented-pp50" }
  colon.truth.hazardRatios = [0.70]
  colon.truth.drifts = [1]
  let psborrow = "psborrow2 ~24 s per MCMC analysis (recorded, not runnable here)"
  let refitModel = try TrialModel(scenario: colon, cellIndex: 0, refit: true)
  let n2 = 2_000
  let t2 = time { _ = MonteCarlo.simulateCell(model: refitModel, scenario: colon, cellIndex: 0, replicates: n2, searchSavings: false) }
  print(
    "colon augmented-pp50, generator uncertainty, refit every replicate, \(n2) trials | \(rate(n2, t2)) | \(psborrow) | — | ≥ 5,000 trials/s"
  )
  var pooled = colon
  pooled.borrowing.refit = .pool(size: Scenario.GeneratorRefit.defaultPoolSize)
  let n3 = 20_000
  let t3 = time { _ = MonteCarlo.simulateCell(model: refitModel, scenario: pooled, cellIndex: 0, replicates: n3, searchSavings: false) }
  print(
    "colon augmented-pp50, generator uncertainty, refit: pool (K = 200), \(n3) trials | \(rate(n3, t3)) | \(psborrow) | — | ≥ 5,000 trials/s"
  )
  let fixedModel = try TrialModel(scenario: colon, cellIndex: 0, refit: false)
  let t4 = time { _ = MonteCarlo.simulateCell(model: fixedModel, scenario: colon, cellIndex: 0, replicates: n3, searchSavings: false) }
  print("colon augmented-pp50, generator fitted once, \(n3) trials | \(rate(n3, t4)) | — | — | —")
} catch {
  print("benchmark failed: \(error)")
  exit(1)
}
