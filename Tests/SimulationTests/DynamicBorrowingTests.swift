// DynamicBorrowingTests.swift — robust mixture, SAM, empirical-Bayes / normalized power prior and
// the commensurate prior against the checked numbers of the borrowing reference note (§3–§7),
// SAMprior's vignette, RBesT's ELIR, and their limits.

import Foundation
import GSL
import TestSupport
import Testing

@testable import Simulation

/// One exponential interval.
private func one(_ d: Double, _ e: Double) -> EventsExposure { EventsExposure(events: [d], exposure: [e]) }
private let flat = GammaComponent(shape: [0.001], rate: [0.001])
private let rule = GaussLegendre(points: 64)

@Suite("Robust mixture and SAM priors", .tags(.validation))
struct MixturePriorTests {
  @Test("0.8·G(150, 1500) + 0.2·G(1, 10) with d_c = 40, E_c = 550, d_t = 30, E_t = 400: weights (0.8248, 0.1752), P = 0.803353")
  func mixtureExample() throws {
    let post = try GammaMixture.posterior(
      prior: [(0.8, GammaComponent(shape: [150], rate: [1500])), (0.2, GammaComponent(shape: [1], rate: [10]))],
      control: one(40, 550), experimental: one(30, 400), baseline: flat, rule: rule)
    #expect(abs(post.weights[0] - 0.8248) < 5e-5 && abs(post.weights[1] - 0.1752) < 5e-5)
    #expect(abs(post.summary.probabilityBelowZero - 0.803353) < 5e-7)
  }

  @Test("ELIR: Gamma(50, 500) is worth a − 1 = 49 events; 0.8·G(150, 1500) + 0.2·G(1, 10) 104.95; its posterior 132.5")
  func elir() {
    #expect(abs(GammaMixture.elir([(1, 50, 500)]) - 49) < 1e-6)
    #expect(abs(GammaMixture.elir([(0.8, 150, 1500), (0.2, 1, 10)]) - 104.95) < 0.01)
    #expect(abs(GammaMixture.elir([(0.8248, 190, 2050), (0.1752, 41, 560)]) - 132.5) < 0.1)
  }

  @Test(
    "the Lindley effect: a too-flat vague component keeps the informative weight near 1 under conflict",
    arguments: [(400.0, 1.000, 0.860), (300, 0.998, 0.652), (250, 0.990, 0.226), (200, 0.755, 0.011)])
  func lindley(_ exposure: Double, _ flatVague: Double, _ unitVague: Double) throws {
    for (vague, expected) in [
      (GammaComponent(shape: [0.001], rate: [0.001]), flatVague),
      (GammaComponent(shape: [1], rate: [10]), unitVague),
    ] {
      let post = try GammaMixture.posterior(
        prior: [(0.5, GammaComponent(shape: [150], rate: [1500])), (0.5, vague)],
        control: one(40, exposure), experimental: one(30, 400), baseline: flat, rule: rule)
      #expect(abs(post.weights[0] - expected) < 0.0006, "E_c \(exposure): \(post.weights[0]) vs \(expected)")
    }
  }

  @Test(
    "borrowed events, signed: G(150, 1500) and G(1, 10) at 0.5/0.5, d_c = 40",
    arguments: [(400.0, 86.6), (300, 4.8), (250, -16.7), (220, -10.2), (200, -3.6)])
  func borrowedEvents(_ exposure: Double, _ expected: Double) throws {
    let post = try GammaMixture.posterior(
      prior: [(0.5, GammaComponent(shape: [150], rate: [1500])), (0.5, GammaComponent(shape: [1], rate: [10]))],
      control: one(40, exposure), experimental: one(30, 400), baseline: GammaComponent(shape: [0], rate: [0]), rule: rule)
    #expect(abs(post.borrowedEvents - expected) < 0.06, "E_c \(exposure): \(post.borrowedEvents)")
  }

  @Test("mixture weight 1 or 0 equals the power prior with a₀ = 1 or 0")
  func mixtureLimits() throws {
    let stats = TrialStatistics(experimental: one(30, 400), control: one(40, 450), external: one(150, 1500))
    let (informative, vague) = GammaMixture.informativeAndVague(stats.external, priorShape: 0.001, priorRate: 0.001)
    for (w, a0) in [(1.0, 1.0), (0.0, 0.0)] {
      let prior: [(weight: Double, component: GammaComponent)] = [(w, informative), (1 - w, flat)]
      let mixture = try GammaMixture.posterior(
        prior: prior, control: stats.control, experimental: stats.experimental,
        baseline: flat, rule: rule)
      let power = try HazardRatioPosterior(statistics: stats, externalWeight: a0, priorShape: 0.001, priorRate: 0.001)
        .summary(rule: rule)
      #expect(abs(mixture.summary.probabilityBelowZero - power.probabilityBelowZero) < 1e-9)
    }
    #expect(vague.shape == [1] && abs(vague.rate[0] - 1500.001 / 150.001) < 1e-12)
  }

  @Test("SAM weights of SAMprior's binary vignette: 0.7588881 (likelihood ratio) and 0.5742702 (prior odds 3/7)")
  func samBinary() {
    // MAP 0.530831·Beta(50.769450, 89.281035) + 0.469169·Beta(9.059985, 15.747092): θh is its mean.
    let theta = 0.530831 * 50.769450 / (50.769450 + 89.281035) + 0.469169 * 9.059985 / (9.059985 + 15.747092)
    #expect(abs(theta - 0.3637794) < 5e-7)
    func logL(_ p: Double) -> Double { 10 * log(p) + 25 * log(1 - p) }
    let logR = max(logL(theta + 0.2), logL(theta - 0.2)) - logL(theta)
    #expect(abs(GammaMixture.samWeight(logLikelihoodRatio: logR) - 0.7588881) < 5e-7)
    #expect(abs(GammaMixture.samWeight(logLikelihoodRatio: logR, priorOdds: 3.0 / 7) - 0.5742702) < 5e-7)
  }

  @Test(
    "SAM weights for time to event: θh = 0.1, δ = 0.03 on the hazard scale, d_c = 40",
    arguments: [(400.0, 0.818), (300, 0.183), (250, 0.048), (200, 0.011)])
  func samTimeToEvent(_ exposure: Double, _ expected: Double) {
    func logL(_ l: Double) -> Double { 40 * log(l) - l * exposure }
    let logR = max(logL(0.13), logL(0.07)) - logL(0.1)
    #expect(abs(GammaMixture.samWeight(logLikelihoodRatio: logR) - expected) < 0.0006)
    // On the log-hazard scale the same weight comes from δ = log(1.3) when the 1.3 side wins.
    if exposure <= 300 {
      let w = GammaMixture.samWeight(control: one(40, exposure), externalHazards: [0.1], delta: log(1.3))
      #expect(abs(w - expected) < 0.0006)
    }
  }
}

@Suite("Empirical-Bayes and normalized power priors", .tags(.validation))
struct AdaptivePowerPriorTests {
  /// Internal hazards 0.100, 0.133, 0.073, 0.050 as 40 events in 400, 300, 550 and 800.
  @Test(
    "EB a₀ with 150 external events in 1,500: 1.000, 0.123, 0.090, 0.019 (initial Gamma(0.001, 0.001)); 0.116, 0.083, 0.012 (Gamma(1, 10))",
    arguments: [(400.0, 1.000, nil), (300, 0.123, 0.116), (550, 0.090, 0.083), (800, 0.019, 0.012)] as [(Double, Double, Double?)])
  func empiricalBayes(_ exposure: Double, _ expected: Double, _ expectedInformative: Double?) {
    let hazard = 40 / exposure
    let control = one(40, exposure)
    let external = one(150, 1500)
    let a0 = AdaptivePowerPrior.empiricalBayesWeight(external: external, control: control, priorShape: 0.001, priorRate: 0.001)
    #expect(abs(a0 - expected) < 0.0015, "hazard \(hazard): \(a0)")
    if let expectedInformative {
      let b = AdaptivePowerPrior.empiricalBayesWeight(external: external, control: control, priorShape: 1, priorRate: 10)
      #expect(abs(b - expectedInformative) < 0.0015, "hazard \(hazard), Gamma(1, 10): \(b)")
    }
  }

  @Test(
    "the normalized power prior lies between no borrowing and pooling, and nearer pooling when the sources agree",
    .tags(.unit))
  func normalizedBetweenLimits() throws {
    let agree = TrialStatistics(experimental: one(30, 400), control: one(40, 400), external: one(150, 1500))
    let (npp, a0) = try AdaptivePowerPrior.normalized(statistics: agree, priorShape: 0.001, priorRate: 0.001, rule: rule)
    let none = try HazardRatioPosterior(statistics: agree, externalWeight: 0, priorShape: 0.001, priorRate: 0.001).summary(rule: rule)
    let pool = try HazardRatioPosterior(statistics: agree, externalWeight: 1, priorShape: 0.001, priorRate: 0.001).summary(rule: rule)
    #expect(npp.standardDeviation < none.standardDeviation && npp.standardDeviation > pool.standardDeviation)
    #expect(a0 > 0.4 && a0 < 1)
    let conflict = TrialStatistics(experimental: one(30, 400), control: one(40, 200), external: one(150, 1500))
    let (_, a0Conflict) = try AdaptivePowerPrior.normalized(statistics: conflict, priorShape: 0.001, priorRate: 0.001, rule: rule)
    #expect(a0Conflict < a0 / 3)
  }
}

@Suite("Commensurate prior", .tags(.validation))
struct CommensurateTests {
  static let sets: [(TrialStatistics, spikeAndSlab: Double, gammaMCMC: Double)] = [
    (.init(experimental: one(30, 400), control: one(40, 400), external: one(150, 1500)), 0.9002, 0.9169),
    (.init(experimental: one(30, 400), control: one(40, 300), external: one(150, 1500)), 0.9874, 0.9840),
    (.init(experimental: one(30, 400), control: one(40, 550), external: one(150, 1500)), 0.5394, 0.6143),
    (.init(experimental: one(12, 160), control: one(15, 150), external: one(60, 600)), 0.7988, 0.8209),
  ]

  @Test("spike-and-slab τ prior: the note's moment-matched values 0.9002, 0.9874, 0.5394, 0.7988", arguments: 0..<4)
  func spikeAndSlab(_ k: Int) throws {
    let (stats, expected, _) = Self.sets[k]
    let (post, _) = try Commensurate.posterior(statistics: stats, prior: .spikeAndSlab)
    #expect(abs(post.probabilityBelowZero - expected) < 0.0006, "set \(k): \(post.probabilityBelowZero)")
  }

  @Test("Gamma(0.001, 0.001) τ prior: within 0.01 of Stan's 0.9169, 0.9840, 0.6143, 0.8209", arguments: 0..<4)
  func gammaPrior(_ k: Int) throws {
    let (stats, _, expected) = Self.sets[k]
    let (post, _) = try Commensurate.posterior(statistics: stats, prior: .gamma(shape: 0.001, rate: 0.001))
    #expect(abs(post.probabilityBelowZero - expected) < 0.01, "set \(k): \(post.probabilityBelowZero)")
  }

  @Test("τ → ∞ pools the external data; τ → 0 ignores it (normal approximations worked directly)", .tags(.unit))
  func limits() throws {
    let s = Self.sets[0].0
    let c = Commensurate.normal(40, 400)
    let t = Commensurate.normal(30, 400)
    let e = Commensurate.normal(150, 1500)
    // No borrowing: θ̂ = y_t − y_c with variance v_t + v_c.
    let none = StandardNormal.cdf(-(t.0 - c.0) / (t.1 + c.1).squareRoot())
    // Pooling: the control log hazard is the precision-weighted mean of y_c and y_e.
    let v = 1 / (1 / c.1 + 1 / e.1)
    let m = v * (c.0 / c.1 + e.0 / e.1)
    let pooled = StandardNormal.cdf(-(t.0 - m) / (t.1 + v).squareRoot())
    let (far, _) = try Commensurate.posterior(statistics: s, prior: .fixed(1e12))
    let (near, borrowedNear) = try Commensurate.posterior(statistics: s, prior: .fixed(1e-12))
    #expect(abs(far.probabilityBelowZero - pooled) < 1e-9)
    #expect(abs(near.probabilityBelowZero - none) < 1e-9)
    #expect(abs(borrowedNear) < 1e-6)
  }
}
