// GeneratorTests.swift — the Gaussian-copula generator against known models and hand values.

import Foundation
import GSL
import SurvivalAnalysis
import TestSupport
import Testing
import TrialSpec

@testable import Synthesis

@Suite("Marginals: hand-computed values", .tags(.unit))
struct MarginalTests {
  @Test("discrete: frequency intervals, the category of a latent value, E[Z | interval] scores")
  func discrete() {
    // Values 0,0,0,1 → P(0) = 3/4: category 0 is u ≤ 0.75, i.e. z ≤ Φ⁻¹(0.75) = 0.6745.
    let m = Marginal.fit([0, 0, 0, 1], discrete: true)
    #expect(m.value(latent: 0.67) == 0 && m.value(latent: 0.68) == 1)
    // E[Z | Z ≤ a] = −φ(a)/Φ(a) and E[Z | Z > a] = φ(a)/(1 − Φ(a)), a = Φ⁻¹(0.75).
    let a = StandardNormal.quantile(0.75)
    let phi = exp(-a * a / 2) / (2 * Double.pi).squareRoot()
    let scores = m.normalScores([0, 1, .nan])
    #expect(abs(scores[0] - (-phi / 0.75)) < 1e-12)
    #expect(abs(scores[1] - phi / 0.25) < 1e-12)
    #expect(scores[2].isNaN)
  }

  @Test("continuous: the quantile interpolates order statistics and stays in the observed range")
  func continuous() {
    let m = Marginal.fit([10, 30, 20, 40], discrete: false)
    #expect(m.value(latent: 0) == 25)  // u = 0.5 → position 1.5 between 20 and 30
    #expect(m.value(latent: -40) == 10 && m.value(latent: 40) == 40)
    // Normal scores: ranks 1…4 → Φ⁻¹(r/5).
    let s = m.normalScores([10, 30, 20, 40])
    #expect(abs(s[1] - StandardNormal.quantile(3.0 / 5)) < 1e-12)
  }
}

@Suite("Generator recovers a known model", .tags(.statistical))
struct GeneratorRecoveryTests {
  @Test("latent correlation within 4 SE; generated x, y match the truth (KS); the event-time model recovers shape, scale and β")
  func recovery() throws {
    let rho = 0.6
    let n = 4_000
    let reference = try KnownReference.make(n: n, rho: rho, seed: 11)
    defer { reference.remove() }
    let generator = try SyntheticControlGenerator(protocol: reference.load())
    // Correlation of normal scores of two continuous variables: SE ≈ (1 − ρ²)/√n.
    let r = try #require(generator.copula).correlation[1]  // (y, x)
    #expect(abs(r - rho) < 4 * (1 - rho * rho) / Double(n).squareRoot(), "ρ̂ = \(r)")
    let (patients, report) = try generator.generate(count: 4_000, seed: 3)
    #expect(report.acceptanceRate == 1)
    // x and y are N(0,1) with correlation ρ: KS against draws from the truth, and ρ within 4 SE.
    let rng = SeedSequence(masterSeed: 5).makeRandomSource(0)
    let truth = (0..<4_000).map { _ in rng.normal() }
    #expect(ksStatistic(patients.values[0], truth) < 1.95 * (2.0 / 4_000).squareRoot())  // α = 0.001
    #expect(abs(pearson(patients.values[0], patients.values[1]) - rho) < 4 * (1 - rho * rho) / 63.2)
    // The Weibull outcome model: truth shape 1.3, scale 20, β = 0.5 on x (and 0 on y, g).
    let w = try #require(generator.outcome.weibull)
    #expect(abs(w.shape - 1.3) < 4 * w.shapeStandardError)
    #expect(abs(w.scale - 20) < 4 * w.scaleStandardError)
    #expect(abs(w.coefficients[0] - 0.5) < 4 * w.coefficientStandardErrors[0])
    // Uncensored generated event times follow S(t) = ∫ exp(−(t/λ)^k e^{βx}) dΦ(x): compare at t = 20.
    let expected =
      (0..<20_000).map { i -> Double in
        let x = StandardNormal.quantile((Double(i) + 0.5) / 20_000)
        return exp(-pow(1.0, 1.3) * exp(0.5 * x))
      }.reduce(0, +) / 20_000
    let observed = Double(patients.eventTimes.filter { $0 > 20 }.count) / 4_000
    #expect(
      abs(observed - expected) < 4 * (expected * (1 - expected) / 4_000).squareRoot() + 0.02,
      "S(20): generated \(observed), truth \(expected)")
  }

  @Test("missing values: the synthetic missing rate matches the reference's within 4 SE")
  func missingRate() throws {
    let reference = try KnownReference.make(n: 2_000, rho: 0.5, missingY: 0.15, seed: 12)
    defer { reference.remove() }
    let generator = try SyntheticControlGenerator(protocol: reference.load())
    let (patients, _) = try generator.generate(count: 4_000, seed: 4)
    let rate = Double(patients.values[1].filter(\.isNaN).count) / 4_000
    let real = try #require(generator.copula).missingRates[1]
    #expect(abs(rate - real) < 4 * (real * (1 - real) / 4_000).squareRoot() + 4 * (real * (1 - real) / 2_000).squareRoot())
  }

  @Test("the same seed gives the same patients; another seed others", .tags(.regression))
  func determinism() throws {
    let p = try TrialProtocol.load(path: Fixtures.repositoryRoot.appendingPathComponent("Protocols/colon-adjuvant-os.yaml").path)
    let generator = try SyntheticControlGenerator(protocol: p)
    let a = try generator.generate(count: 200, seed: 9).0
    let b = try generator.generate(count: 200, seed: 9).0
    let c = try generator.generate(count: 200, seed: 10).0
    // Bit patterns, so that a missing value (NaN) equals itself.
    #expect(a.values.map { $0.map(\.bitPattern) } == b.values.map { $0.map(\.bitPattern) })
    #expect(a.eventTimes == b.eventTimes)
    #expect(a.eventTimes != c.eventTimes)
  }
}
