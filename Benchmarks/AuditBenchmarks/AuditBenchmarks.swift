// AuditBenchmarks — the full audit of synthetic rows on ordo-one's harness (release build;
// `make bench`): time per audit with percentiles, heap allocations and peak resident memory, for
// 1,000 real × 1,000 synthetic rows (10 columns + time/event), then its parts to see where the time
// goes. The cohorts are made in set-up, outside the measured iterations. Target
// (Docs/Performance.md): full audit ≤ 0.5 s. No external anchor.

import Audit
import Benchmark
import Foundation
import GSL

/// A seeded cohort of `n` patients with 10 mixed columns (6 numeric, 4 categorical, some
/// missing values) and an exponential survival outcome depending on three of them. `shift`
/// moves the synthetic table away from the real one a little, as a generator would.
func cohort(rows n: Int, stream: UInt64, shift: Double = 0) -> AuditTable {
  let rng = SeedSequence(masterSeed: 20_251_127).makeRandomSource(stream)
  var age = [Double]()
  var bmi = [Double]()
  var albumin = [Double]()
  var ldh = [Double]()
  var crp = [Double]()
  var weight = [Double]()
  var sex = [Int32]()
  var ecog = [Int32]()
  var stage = [Int32]()
  var smoker = [Int32]()
  var times = [Double]()
  var events = [Bool]()
  for _ in 0..<n {
    let z1 = rng.normal()
    let z2 = rng.normal()
    let z3 = rng.normal()
    age.append((62 + 9 * z1 + shift).rounded())
    bmi.append(26 + 4 * (0.6 * z1 + 0.8 * z2))
    albumin.append(rng.uniform() < 0.05 ? .nan : 3.9 - 0.4 * z3)
    ldh.append(exp(5.4 + 0.3 * z3))
    crp.append(rng.uniform() < 0.08 ? .nan : rng.exponential(rate: 0.2))
    weight.append(75 + 12 * (0.7 * z2 + 0.7 * rng.normal()))  // not a function of bmi's z1, z2
    sex.append(rng.uniform() < 0.45 ? 0 : 1)
    let e = z1 + rng.normal() > 1 ? 2 : (z1 + rng.normal() > -0.5 ? 1 : 0)
    ecog.append(Int32(e))
    stage.append(rng.uniform() < 0.03 ? -1 : Int32(rng.uniformInt(below: 4)))
    smoker.append(Int32(rng.uniformInt(below: 3)))
    let linear: Double = 0.3 * Double(e) + 0.4 * z3 + 0.02 * ((age.last ?? 62) - 62)
    let hazard = 0.002 * exp(linear)
    let t = rng.exponential(rate: hazard)
    let c = 200 + 1800 * rng.uniform()
    times.append(min(t, c).rounded(.up))
    events.append(t <= c)
  }
  let columns: [AuditColumn] = [
    .numeric("age", age), .numeric("bmi", bmi), .numeric("albumin", albumin), .numeric("ldh", ldh),
    .numeric("crp", crp), .numeric("weight", weight),
    .categorical("sex", codes: sex, levels: ["F", "M"]),
    .categorical("ecog", codes: ecog, levels: ["0", "1", "2"], ordered: true),
    .categorical("stage", codes: stage, levels: ["I", "II", "III", "IV"], ordered: true),
    .categorical("smoker", codes: smoker, levels: ["never", "former", "current"]),
  ]
  do {
    return try AuditTable(columns: columns, times: times, events: events)
  } catch {
    fatalError("benchmark cohort: \(error)")
  }
}

// Made in set-up (first use), one per benchmark process.
let train = cohort(rows: 1_000, stream: 1)
let synthetic = cohort(rows: 1_000, stream: 2, shift: 1)
let holdout = cohort(rows: 1_000, stream: 3)
let trainWithOutcome = train.withOutcomeColumns()
let syntheticWithOutcome = synthetic.withOutcomeColumns()
let holdoutWithOutcome = holdout.withOutcomeColumns()

let benchmarks: @Sendable () -> Void = {
  let audit = Benchmark.Configuration(
    metrics: [.wallClock, .mallocCountTotal, .peakMemoryResident], warmupIterations: 1, maxDuration: .seconds(3),
    maxIterations: 50, setup: { _ = (train, synthetic, holdout) })
  let part = Benchmark.Configuration(
    metrics: [.wallClock, .mallocCountTotal, .peakMemoryResident], warmupIterations: 1, maxDuration: .seconds(2),
    maxIterations: 50, setup: { _ = (trainWithOutcome, syntheticWithOutcome, holdoutWithOutcome) })

  Benchmark("full audit without holdout", configuration: audit) { benchmark in
    for _ in benchmark.scaledIterations {
      blackHole(try AuditReport(train: train, synthetic: synthetic, holdout: nil, seed: 7))
    }
  }
  Benchmark("full audit with a 1,000-row holdout", configuration: audit) { benchmark in
    for _ in benchmark.scaledIterations {
      blackHole(try AuditReport(train: train, synthetic: synthetic, holdout: holdout, seed: 7))
    }
  }
  Benchmark("fidelity without detection", configuration: part) { benchmark in
    for _ in benchmark.scaledIterations {
      blackHole(try FidelityReport(real: trainWithOutcome, synthetic: syntheticWithOutcome, seed: 7, detection: false))
    }
  }
  Benchmark("fidelity with detection", configuration: part) { benchmark in
    for _ in benchmark.scaledIterations {
      blackHole(try FidelityReport(real: trainWithOutcome, synthetic: syntheticWithOutcome, seed: 7))
    }
  }
  Benchmark("privacy with holdout", configuration: part) { benchmark in
    for _ in benchmark.scaledIterations {
      blackHole(try PrivacyReport(train: trainWithOutcome, synthetic: syntheticWithOutcome, holdout: holdoutWithOutcome, seed: 7))
    }
  }
}
