// AuditBenchmarks — wall-clock time of the full audit (Docs/Performance.md: ≤ 0.5 s for 1,000 real ×
// 1,000 synthetic rows). Run in release:
//   swift build --scratch-path .build-audit -c release --product AuditBenchmarks
//   .build-audit/release/AuditBenchmarks

import Audit
import Dispatch
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

func seconds(_ body: () throws -> Void) rethrows -> Double {
  let start = DispatchTime.now().uptimeNanoseconds
  try body()
  return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

func median(_ x: [Double]) -> Double {
  let s = x.sorted()
  return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
}

let train = cohort(rows: 1_000, stream: 1)
let synthetic = cohort(rows: 1_000, stream: 2, shift: 1)
let holdout = cohort(rows: 1_000, stream: 3)
let runs = 7

print("Audit benchmark: 1,000 train × 1,000 synthetic rows, 10 columns + time/event (release build)")
var report: AuditReport?
for (label, h) in [("without holdout", nil), ("with a 1,000-row holdout", holdout)] as [(String, AuditTable?)] {
  var times: [Double] = []
  for _ in 0..<runs {
    times.append(try seconds { report = try AuditReport(train: train, synthetic: synthetic, holdout: h, seed: 7) })
  }
  let m = median(times)
  print(
    "  full audit \(label): median \(String(format: "%.3f", m)) s over \(runs) runs"
      + " (min \(String(format: "%.3f", times.min() ?? .nan)) s); target ≤ 0.5 s: \(m <= 0.5 ? "met" : "NOT met")")
}

// Parts, to see where the time goes (median of the same number of runs).
let r = train.withOutcomeColumns()
let s = synthetic.withOutcomeColumns()
let h = holdout.withOutcomeColumns()
let parts: [(String, () -> Void)] = [
  ("fidelity without detection", { _ = try? FidelityReport(real: r, synthetic: s, seed: 7, detection: false) }),
  ("fidelity with detection", { _ = try? FidelityReport(real: r, synthetic: s, seed: 7) }),
  ("privacy with holdout", { _ = try? PrivacyReport(train: r, synthetic: s, holdout: h, seed: 7) }),
]
for (label, body) in parts {
  let t = (0..<runs).map { _ in seconds(body) }
  print("    \(label): \(String(format: "%.3f", median(t))) s")
}
if let report { print("\n" + report.summary()) }
