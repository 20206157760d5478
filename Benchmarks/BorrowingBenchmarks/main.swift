// BorrowingBenchmarks — the cost of one borrowing analysis beyond data generation (release build:
// `make bench`). Target: ≤ 20 µs per analysis. Anchor (not runnable here): psborrow2, ~24 s per
// Bayesian analysis by MCMC. Data: one colon-sized trial's events and exposure on J = 4 intervals
// (300 experimental, 150 real and 300 synthetic controls); each analysis is repeated and the
// median of 5 timed rounds is printed.

import Foundation
import GSL
import Simulation
import SurvivalAnalysis

func time(_ body: () throws -> Void) rethrows -> Double {
  let clock = ContinuousClock()
  let d = try clock.measure(body)
  return Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
}

/// Median microseconds per call over 5 rounds of `n` calls.
func perCall(_ n: Int, _ body: () throws -> Void) rethrows -> Double {
  var rounds: [Double] = []
  for _ in 0..<5 { rounds.append(try time { for _ in 0..<n { try body() } } / Double(n) * 1e6) }
  return rounds.sorted()[2]
}

let stats = TrialStatistics(
  experimental: EventsExposure(events: [26, 22, 18, 14], exposure: [2_900, 2_500, 2_100, 1_700]),
  control: EventsExposure(events: [18, 15, 11, 9], exposure: [1_400, 1_200, 1_000, 800]),
  external: EventsExposure(events: [30, 27, 22, 18], exposure: [2_800, 2_400, 2_000, 1_600]))
let one = TrialStatistics(
  experimental: EventsExposure(events: [80], exposure: [9_200]), control: EventsExposure(events: [53], exposure: [4_400]),
  external: EventsExposure(events: [97], exposure: [8_800]))
let rule = GaussLegendre(points: 64)
let flat = GammaComponent(shape: [Double](repeating: 0.001, count: 4), rate: [Double](repeating: 0.001, count: 4))
var sink = 0.0

do {
  print("SynthArm borrowing analyses (release build, one core): µs per analysis beyond data generation")
  print("analysis | µs | anchor | target")
  func row(_ name: String, _ us: Double) {
    print(String(format: "%@ | %.2f | psborrow2 ~24 s (MCMC) | ≤ 20", name, us))
  }
  row(
    "power prior, J = 1 (closed form)",
    try perCall(100_000) {
      sink += try HazardRatioPosterior(statistics: one, externalWeight: 0.5, priorShape: 0.001, priorRate: 0.001)
        .summary(rule: rule).probabilityBelowZero
    })
  row(
    "power prior, J = 4 (64-point quadrature)",
    try perCall(20_000) {
      sink += try HazardRatioPosterior(statistics: stats, externalWeight: 0.5, priorShape: 0.001, priorRate: 0.001)
        .summary(rule: rule).probabilityBelowZero
    })
  let informative = GammaComponent(shape: stats.external.events.map { $0 + 0.001 }, rate: stats.external.exposure.map { $0 + 0.001 })
  let vague = GammaComponent(shape: [1, 1, 1, 1], rate: informative.shape.indices.map { informative.rate[$0] / informative.shape[$0] })
  row(
    "robust mixture, J = 4",
    try perCall(10_000) {
      sink += try GammaMixture.posterior(
        prior: [(0.5, informative), (0.5, vague)], control: stats.control,
        experimental: stats.experimental, baseline: flat, rule: rule
      ).summary.probabilityBelowZero
    })
  row(
    "SAM, J = 4",
    try perCall(10_000) {
      let w = GammaMixture.samWeight(
        control: stats.control,
        externalHazards: informative.shape.indices.map {
          informative.shape[$0] / informative.rate[$0]
        }, delta: 0.2)
      sink += try GammaMixture.posterior(
        prior: [(w, informative), (1 - w, vague)], control: stats.control,
        experimental: stats.experimental, baseline: flat, rule: rule
      ).summary.probabilityBelowZero
    })
  row(
    "empirical-Bayes power prior, J = 4",
    try perCall(10_000) {
      let a0 = AdaptivePowerPrior.empiricalBayesWeight(
        external: stats.external, control: stats.control, priorShape: 0.001,
        priorRate: 0.001)
      sink += try HazardRatioPosterior(statistics: stats, externalWeight: a0, priorShape: 0.001, priorRate: 0.001)
        .summary(rule: rule).probabilityBelowZero
    })
  row(
    "normalized power prior, J = 1 (32 a₀ nodes)",
    try perCall(10_000) {
      sink += try AdaptivePowerPrior.normalized(statistics: one, priorShape: 0.001, priorRate: 0.001, rule: rule).0.probabilityBelowZero
    })
  row(
    "normalized power prior, J = 4 (32 a₀ nodes)",
    try perCall(1_000) {
      sink += try AdaptivePowerPrior.normalized(statistics: stats, priorShape: 0.001, priorRate: 0.001, rule: rule).0.probabilityBelowZero
    })
  row(
    "commensurate, J = 4 (120 τ nodes)",
    try perCall(5_000) {
      sink += try Commensurate.posterior(statistics: stats, prior: .gamma(shape: 0.001, rate: 0.001)).0.probabilityBelowZero
    })
  // The prognostic analysis works on patients, not on sums: 450 concurrent patients.
  let rng = SeedSequence(masterSeed: 1).makeRandomSource(1)
  let n = 450
  let score = (0..<n).map { _ in rng.normal(mean: 0, standardDeviation: 0.5) }
  let treated = (0..<n).map { $0 % 2 == 0 }
  let times = (0..<n).map { i in rng.exponential(rate: 0.02 * exp(score[i]) * (treated[i] ? 0.7 : 1)) }
  let events = times.map { $0 < 60 }
  let observed = times.map { min($0, 60) }
  row(
    "prognostic, adjusted log-rank and estimate, 450 patients",
    try perCall(2_000) {
      sink += try CovariateAdjustedLogRank(times: observed, events: events, treated: treated, covariates: [score]).adjustedZ
    })
  if sink.isNaN { print("(sink \(sink))") }
} catch {
  print("benchmark failed: \(error)")
}
