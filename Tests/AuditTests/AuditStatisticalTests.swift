// AuditStatisticalTests.swift — seeded samples: same distribution → scores near their ideal,
// shifted distribution → clearly worse. Tolerances come from the sampling distributions.

import TestSupport
import Testing

@testable import Audit

@Suite("Audit — seeded samples from equal and shifted distributions", .tags(.statistical))
struct AuditStatisticalTests {
  static let n = 1_000

  @Test(arguments: [UInt64(1), 2, 3])
  func sameDistributionScoresNearOne(seed: UInt64) throws {
    let r = simulatedCohort(rows: Self.n, seed: seed, stream: 1)
    let s = simulatedCohort(rows: Self.n, seed: seed, stream: 2)
    let f = try FidelityReport(real: r, synthetic: s, seed: seed)
    // Under H0, √(nm/(n+m))·D follows Kolmogorov's law; P(K > 1.95) ≈ 0.001, so with n = m =
    // 1000, D < 1.95/√500 = 0.087 and KSComplement > 0.913 (a false alarm about 1 in 1000).
    let ks = try #require(f.columns.first { $0.name == "a" }?.shapeScore)
    #expect(ks > 1 - 1.95 / Double(Self.n / 2).squareRoot(), "seed \(seed): KSComplement \(ks)")
    // Each held-out fold has ≈333 + 333 rows; under H0 its AUC has SD √((n₁+n₀+1)/(12 n₁ n₀))
    // ≈ 0.022. Score < 0.85 needs mean(2·max(0, AUC − 0.5)) > 0.15, i.e. AUCs ≳ 3.4 SD high.
    let d = try #require(f.detection)
    #expect(d.score > 0.85, "seed \(seed): detection \(d.score), AUCs \(d.foldAUCs)")
    #expect(abs(d.meanAUC - 0.5) < 4 * 0.022, "seed \(seed): mean AUC \(d.meanAUC)")
    // KM divergence for equal exponential laws with follow-up 3: ∫|Ŝ_S − Ŝ_R| / 3 is of order
    // the curves' SE (≈ 0.016 at n = 1000) or less.
    let km = try SurvivalFidelity.kaplanMeierDistance(
      realTimes: r.times ?? [], realEvents: r.events ?? [], syntheticTimes: s.times ?? [], syntheticEvents: s.events ?? [])
    #expect(km.absoluteOptimism < 0.03, "seed \(seed): KM divergence \(km.absoluteOptimism)")
  }

  @Test(arguments: [UInt64(1), 2])
  func rmstBootstrapIntervalAgreesWithTheNormalInterval(seed: UInt64) throws {
    // With n = 1000 per table the percentile bootstrap and the Greenwood-type normal interval
    // estimate the same spread; 200 resamples give the 2.5 % / 97.5 % quantiles a relative
    // Monte Carlo error of roughly 10 %, so their widths agree within 25 %.
    let r = simulatedCohort(rows: Self.n, seed: seed, stream: 1)
    let s = simulatedCohort(rows: Self.n, seed: seed, stream: 2)
    let f = try SurvivalFidelity(real: r, synthetic: s, horizon: 2, seed: seed)
    let boot = try #require(f.rmstDifferenceBootstrapUpper) - (try #require(f.rmstDifferenceBootstrapLower))
    let normal = f.rmstDifferenceNormalUpper - f.rmstDifferenceNormalLower
    #expect(abs(boot / normal - 1) < 0.25, "seed \(seed): bootstrap width \(boot), normal \(normal)")
  }

  @Test(arguments: [UInt64(1), 2, 3])
  func shiftedDistributionScoresClearlyLower(seed: UInt64) throws {
    let r = simulatedCohort(rows: Self.n, seed: seed, stream: 1)
    let s = simulatedCohort(rows: Self.n, seed: seed, stream: 2, shift: 0.5, hazardRatio: 1.5)
    let f = try FidelityReport(real: r, synthetic: s, seed: seed)
    // A 0.5-SD shift: population D = 2Φ(0.25) − 1 = 0.197, so KSComplement ≈ 0.80 ± 0.03.
    let ks = try #require(f.columns.first { $0.name == "a" }?.shapeScore)
    #expect(ks < 0.87, "seed \(seed): KSComplement \(ks)")
    // The shift alone gives AUC ≥ Φ(0.5/√2) = 0.638 (more with b and time), score ≲ 0.72.
    let d = try #require(f.detection)
    #expect(d.score < 0.8 && d.meanAUC > 0.6, "seed \(seed): detection \(d.score), AUC \(d.meanAUC)")
    // Hazard ratio 1.5 with follow-up 3: ∫₀³ |e^{−t} − e^{−1.5t}| dt / 3 = 0.097.
    let km = try SurvivalFidelity.kaplanMeierDistance(
      realTimes: r.times ?? [], realEvents: r.events ?? [], syntheticTimes: s.times ?? [], syntheticEvents: s.events ?? [])
    #expect(km.absoluteOptimism > 0.06 && km.optimism < -0.06, "seed \(seed): KM \(km)")
  }
}
