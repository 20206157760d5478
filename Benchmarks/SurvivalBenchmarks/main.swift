// SurvivalBenchmarks — wall-clock timing of the survival core (release build: `make bench`).
//
// Each case runs in batches until at least `minimumSeconds` have passed; we report the median
// time per operation over batches (robust to a noisy neighbour on a 2-core machine). Figures
// are for humans: record them in Docs/Performance.md beside the anchors. Never a timed test.

import Foundation
import GSL
import SurvivalAnalysis

struct Case {
  let name: String
  let anchor: String
  let target: String
  let body: () -> Void
}

/// Two-arm exponential trial data, 1:1, HR 0.7, uniform censoring: what a simulated trial fits.
/// Times are continuous, as simulated times are; `roundedTo` makes ties (e.g. whole days).
func trialData(n: Int, covariates p: Int, seed: UInt64, roundedTo step: Double? = nil) -> SurvivalData {
  let rng = SeedSequence(masterSeed: seed).makeRandomSource(0)
  var times: [Double] = []
  var events: [Bool] = []
  var columns = [[Double]](repeating: [], count: p)
  for i in 0..<n {
    var eta = 0.0
    for j in 0..<p {
      let x = j == 0 ? Double(i % 2) : rng.normal()
      columns[j].append(x)
      eta += (j == 0 ? log(0.7) : 0.2) * x
    }
    var t = rng.exponential(rate: 0.05 * exp(eta))
    var c = 36 * rng.uniform()
    if let step {
      t = max(step, (t / step).rounded() * step)
      c = max(step, (c / step).rounded() * step)
    }
    times.append(min(t, c))
    events.append(t <= c)
  }
  return SurvivalData(times: times, events: events, covariateColumns: columns)
}

func measure(_ c: Case, minimumSeconds: Double = 1.0) -> Double {
  let clock = ContinuousClock()
  // Calibrate a batch size of ~50 ms.
  var batch = 1
  while true {
    let d = clock.measure { for _ in 0..<batch { c.body() } }
    if d > .milliseconds(50) || batch > 1 << 24 { break }
    batch *= 2
  }
  var perOp: [Double] = []
  let start = clock.now
  while (clock.now - start) < .seconds(minimumSeconds) || perOp.count < 5 {
    let d = clock.measure { for _ in 0..<batch { c.body() } }
    perOp.append(Double(d.components.attoseconds) / 1e18 / Double(batch) + Double(d.components.seconds) / Double(batch))
  }
  perOp.sort()
  return perOp[perOp.count / 2]
}

func format(_ seconds: Double) -> String {
  seconds < 1e-3 ? String(format: "%.2f µs", seconds * 1e6) : String(format: "%.3f ms", seconds * 1e3)
}

let cox600 = trialData(n: 600, covariates: 1, seed: 1)
let cox600Days = trialData(n: 600, covariates: 1, seed: 1, roundedTo: 1.0 / 30)  // months, to the day
let cox10k = trialData(n: 10_000, covariates: 5, seed: 2)
let arms600 = cox600.covariates[0].map { Int($0) }
let weibullData = trialData(n: 929, covariates: 5, seed: 3)
var sink = 0.0

let cases = [
  Case(name: "Cox fit, n = 600, 1 covariate (Efron)", anchor: "R coxph.fit 305 µs", target: "≤ 20 µs") {
    sink += (try? CoxModel().fit(cox600).coefficients[0]) ?? 0
  },
  Case(name: "Cox fit, n = 600, 1 covariate (Breslow)", anchor: "—", target: "—") {
    sink += (try? CoxModel(ties: .breslow).fit(cox600).coefficients[0]) ?? 0
  },
  Case(name: "Cox fit, n = 600, 1 covariate, times in whole days (Efron, ties)", anchor: "—", target: "—") {
    sink += (try? CoxModel().fit(cox600Days).coefficients[0]) ?? 0
  },
  Case(name: "Cox fit, n = 10,000, 5 covariates (Efron)", anchor: "—", target: "—") {
    sink += (try? CoxModel().fit(cox10k).coefficients[0]) ?? 0
  },
  Case(name: "Cox fit + robust variance, n = 600", anchor: "—", target: "—") {
    sink += (try? CoxModel(robustVariance: true).fit(cox600).robustVariance?[0]) ?? 0
  },
  Case(name: "Log-rank, n = 600, 2 groups", anchor: "R survdiff 1.84 ms", target: "—") {
    sink += (try? LogRankTest(cox600, group: arms600).chiSquare.statistic) ?? 0
  },
  Case(name: "Kaplan–Meier, n = 600", anchor: "—", target: "—") {
    sink += (try? KaplanMeierEstimate(cox600).survival.last) ?? 0
  },
  Case(name: "Weibull PH fit, n = 929, 5 covariates", anchor: "—", target: "—") {
    sink += (try? WeibullRegression.fit(weibullData).shape) ?? 0
  },
]

print("SynthArm survival benchmarks (release build, median of ≥ 1 s of batches)")
print("case | time per operation | anchor | target")
// BENCH_FILTER=<substring> runs only matching cases (handy under valgrind/perf).
let filter = ProcessInfo.processInfo.environment["BENCH_FILTER"]
let seconds = Double(ProcessInfo.processInfo.environment["BENCH_SECONDS"] ?? "") ?? 1.0
for c in cases where filter.map({ c.name.contains($0) }) ?? true {
  print("\(c.name) | \(format(measure(c, minimumSeconds: seconds))) | \(c.anchor) | \(c.target)")
}
if sink == .infinity { print(sink) }  // keeps the work observable
