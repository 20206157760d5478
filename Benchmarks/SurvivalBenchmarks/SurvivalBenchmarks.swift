// SurvivalBenchmarks — the survival core on ordo-one's harness (release build; `make bench`):
// time per operation with percentiles and heap allocations per operation, one operation per
// iteration. Data are made once, in each benchmark's set-up, outside the measured iterations.
//
// Anchors, recorded on this machine class (Docs/Performance.md), printed beside the figure as the
// ratio "× faster than …": R `survival::coxph.fit` 305 µs per fit and `survdiff` 1.84 ms, both
// n = 600. Target: Cox fit, n = 600, one covariate (Efron) ≤ 20 µs.

import Anchors
import Benchmark
import Foundation
import GSL
import SurvivalAnalysis

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

let cox600 = trialData(n: 600, covariates: 1, seed: 1)
let cox600Days = trialData(n: 600, covariates: 1, seed: 1, roundedTo: 1.0 / 30)  // months, to the day
let cox10k = trialData(n: 10_000, covariates: 5, seed: 2)
let arms600 = cox600.covariates[0].map { Int($0) }
let weibullData = trialData(n: 929, covariates: 5, seed: 3)

let coxph = Anchor("R coxph.fit 305 µs, recorded", seconds: 305e-6)
let survdiff = Anchor("R survdiff 1.84 ms, recorded", seconds: 1.84e-3)

let benchmarks: @Sendable () -> Void = {
  // Each case allocates the same number of times in every iteration: compared with a baseline,
  // no new allocation is allowed.
  let noNewAllocation = BenchmarkThresholds(absolute: [.p0: 0, .p50: 0, .p90: 0, .p100: 0])
  /// Each benchmark touches its data in set-up (the globals are made on first use).
  func configuration(_ touch: @escaping @Sendable () -> Void, seconds: Int = 2) -> Benchmark.Configuration {
    Benchmark.Configuration(
      metrics: [.wallClock, .mallocCountTotal, .throughput], warmupIterations: 10, maxDuration: .seconds(seconds),
      maxIterations: 20_000, thresholds: [.mallocCountTotal: noNewAllocation], setup: { touch() })
  }

  Benchmark(
    "Cox fit, n = 600, 1 covariate (Efron)", configuration: configuration { _ = cox600 }.comparing(with: coxph)
  ) { benchmark in
    benchmark.run(against: coxph) { blackHole(try? CoxModel().fit(cox600).coefficients[0]) }
  }
  Benchmark("Cox fit, n = 600, 1 covariate (Breslow)", configuration: configuration { _ = cox600 }) { benchmark in
    for _ in benchmark.scaledIterations { blackHole(try? CoxModel(ties: .breslow).fit(cox600).coefficients[0]) }
  }
  Benchmark(
    "Cox fit, n = 600, 1 covariate, times in whole days (Efron, ties)", configuration: configuration { _ = cox600Days }
  ) { benchmark in
    for _ in benchmark.scaledIterations { blackHole(try? CoxModel().fit(cox600Days).coefficients[0]) }
  }
  Benchmark("Cox fit, n = 10,000, 5 covariates (Efron)", configuration: configuration({ _ = cox10k }, seconds: 3)) { benchmark in
    for _ in benchmark.scaledIterations { blackHole(try? CoxModel().fit(cox10k).coefficients[0]) }
  }
  Benchmark("Cox fit + robust variance, n = 600", configuration: configuration { _ = cox600 }) { benchmark in
    for _ in benchmark.scaledIterations { blackHole(try? CoxModel(robustVariance: true).fit(cox600).robustVariance?[0]) }
  }
  Benchmark(
    "Log-rank, n = 600, 2 groups", configuration: configuration { _ = (cox600, arms600) }.comparing(with: survdiff)
  ) { benchmark in
    benchmark.run(against: survdiff) { blackHole(try? LogRankTest(cox600, group: arms600).chiSquare.statistic) }
  }
  Benchmark("Kaplan–Meier, n = 600", configuration: configuration { _ = cox600 }) { benchmark in
    for _ in benchmark.scaledIterations { blackHole(try? KaplanMeierEstimate(cox600).survival.last) }
  }
  Benchmark("Weibull PH fit, n = 929, 5 covariates", configuration: configuration { _ = weibullData }) { benchmark in
    for _ in benchmark.scaledIterations { blackHole(try? WeibullRegression.fit(weibullData).shape) }
  }
}
