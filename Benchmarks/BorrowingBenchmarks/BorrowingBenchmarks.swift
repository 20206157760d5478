// BorrowingBenchmarks — the cost of one borrowing analysis beyond data generation, on ordo-one's
// harness (release build; `make bench`): time per analysis with percentiles and heap allocations
// per analysis. Target: ≤ 20 µs per analysis. Anchor (not runnable here): psborrow2, ~24 s per
// Bayesian analysis by MCMC, recorded, printed beside each figure as "× faster than …". Data: one
// colon-sized trial's events and exposure on J = 4 intervals (300 experimental, 150 real and 300
// synthetic controls), made once outside the measured iterations.

import Anchors
import Benchmark
import Foundation
import GSL
import Simulation
import SurvivalAnalysis

let stats = TrialStatistics(
  experimental: EventsExposure(events: [26, 22, 18, 14], exposure: [2_900, 2_500, 2_100, 1_700]),
  control: EventsExposure(events: [18, 15, 11, 9], exposure: [1_400, 1_200, 1_000, 800]),
  external: EventsExposure(events: [30, 27, 22, 18], exposure: [2_800, 2_400, 2_000, 1_600]))
let one = TrialStatistics(
  experimental: EventsExposure(events: [80], exposure: [9_200]), control: EventsExposure(events: [53], exposure: [4_400]),
  external: EventsExposure(events: [97], exposure: [8_800]))
let rule = GaussLegendre(points: 64)
let flat = GammaComponent(shape: [Double](repeating: 0.001, count: 4), rate: [Double](repeating: 0.001, count: 4))
let informative = GammaComponent(shape: stats.external.events.map { $0 + 0.001 }, rate: stats.external.exposure.map { $0 + 0.001 })
let vague = GammaComponent(shape: [1, 1, 1, 1], rate: informative.shape.indices.map { informative.rate[$0] / informative.shape[$0] })

/// The prognostic analysis works on patients, not on sums: 450 concurrent patients.
struct Patients {
  let observed: [Double]
  let events: [Bool]
  let treated: [Bool]
  let score: [Double]

  init(count n: Int) {
    let rng = SeedSequence(masterSeed: 1).makeRandomSource(1)
    let score = (0..<n).map { _ in rng.normal(mean: 0, standardDeviation: 0.5) }
    let treated = (0..<n).map { $0 % 2 == 0 }
    let times = (0..<n).map { i in rng.exponential(rate: 0.02 * exp(score[i]) * (treated[i] ? 0.7 : 1)) }
    self.score = score
    self.treated = treated
    events = times.map { $0 < 60 }
    observed = times.map { min($0, 60) }
  }
}
let patients = Patients(count: 450)

let psborrow2 = Anchor("psborrow2 ~24 s per MCMC analysis, recorded", seconds: 24)

let benchmarks: @Sendable () -> Void = {
  // Each analysis allocates the same number of times in every iteration: compared with a
  // baseline, no new allocation is allowed.
  let noNewAllocation = BenchmarkThresholds(absolute: [.p0: 0, .p50: 0, .p90: 0, .p100: 0])
  let analysis = Benchmark.Configuration(
    metrics: [.wallClock, .mallocCountTotal, .throughput], warmupIterations: 10, maxDuration: .seconds(1),
    maxIterations: 100_000, thresholds: [.mallocCountTotal: noNewAllocation],
    setup: { _ = (stats, one, rule, flat, informative, vague, patients) }
  ).comparing(with: psborrow2)

  Benchmark("power prior, J = 1 (closed form)", configuration: analysis) { benchmark in
    try benchmark.run(against: psborrow2) {
      blackHole(
        try HazardRatioPosterior(statistics: one, externalWeight: 0.5, priorShape: 0.001, priorRate: 0.001)
          .summary(rule: rule).probabilityBelowZero)
    }
  }
  Benchmark("power prior, J = 4 (64-point quadrature)", configuration: analysis) { benchmark in
    try benchmark.run(against: psborrow2) {
      blackHole(
        try HazardRatioPosterior(statistics: stats, externalWeight: 0.5, priorShape: 0.001, priorRate: 0.001)
          .summary(rule: rule).probabilityBelowZero)
    }
  }
  Benchmark("robust mixture, J = 4", configuration: analysis) { benchmark in
    try benchmark.run(against: psborrow2) {
      blackHole(
        try GammaMixture.posterior(
          prior: [(0.5, informative), (0.5, vague)], control: stats.control, experimental: stats.experimental, baseline: flat,
          rule: rule
        ).summary.probabilityBelowZero)
    }
  }
  Benchmark("SAM, J = 4", configuration: analysis) { benchmark in
    try benchmark.run(against: psborrow2) {
      let w = GammaMixture.samWeight(
        control: stats.control, externalHazards: informative.shape.indices.map { informative.shape[$0] / informative.rate[$0] },
        delta: 0.2)
      blackHole(
        try GammaMixture.posterior(
          prior: [(w, informative), (1 - w, vague)], control: stats.control, experimental: stats.experimental, baseline: flat,
          rule: rule
        ).summary.probabilityBelowZero)
    }
  }
  Benchmark("empirical-Bayes power prior, J = 4", configuration: analysis) { benchmark in
    try benchmark.run(against: psborrow2) {
      let a0 = AdaptivePowerPrior.empiricalBayesWeight(
        external: stats.external, control: stats.control, priorShape: 0.001, priorRate: 0.001)
      blackHole(
        try HazardRatioPosterior(statistics: stats, externalWeight: a0, priorShape: 0.001, priorRate: 0.001)
          .summary(rule: rule).probabilityBelowZero)
    }
  }
  Benchmark("normalized power prior, J = 1 (32 a₀ nodes)", configuration: analysis) { benchmark in
    try benchmark.run(against: psborrow2) {
      blackHole(try AdaptivePowerPrior.normalized(statistics: one, priorShape: 0.001, priorRate: 0.001, rule: rule).0.probabilityBelowZero)
    }
  }
  Benchmark("normalized power prior, J = 4 (32 a₀ nodes)", configuration: analysis) { benchmark in
    try benchmark.run(against: psborrow2) {
      blackHole(
        try AdaptivePowerPrior.normalized(statistics: stats, priorShape: 0.001, priorRate: 0.001, rule: rule).0.probabilityBelowZero)
    }
  }
  Benchmark("commensurate, J = 4 (120 τ nodes)", configuration: analysis) { benchmark in
    try benchmark.run(against: psborrow2) {
      blackHole(try Commensurate.posterior(statistics: stats, prior: .gamma(shape: 0.001, rate: 0.001)).0.probabilityBelowZero)
    }
  }
  Benchmark("prognostic, adjusted log-rank and estimate, 450 patients", configuration: analysis) { benchmark in
    try benchmark.run(against: psborrow2) {
      blackHole(
        try CovariateAdjustedLogRank(
          times: patients.observed, events: patients.events, treated: patients.treated, covariates: [patients.score]
        ).adjustedZ)
    }
  }
}
