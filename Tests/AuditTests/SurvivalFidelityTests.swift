// SurvivalFidelityTests.swift — KM distances, log-rank, RMST and Cox CI overlap (Docs/Methods.md, audit).

import GSL
import SurvivalAnalysis
import TestSupport
import Testing

@testable import Audit

@Suite("Survival fidelity — hand-worked and audit_reference.py block C", .tags(.validation))
struct SurvivalFidelityValidationTests {
  typealias E = AuditExamples

  func tables() throws -> (AuditTable, AuditTable) {
    // One numeric covariate so the Cox comparison has something to fit.
    let r = try AuditTable(columns: [.numeric("z", [0, 1, 0, 1, 1])], times: E.realTimes, events: E.realEvents)
    let s = try AuditTable(columns: [.numeric("z", [1, 0, 1, 0, 0, 1])], times: E.syntheticTimes, events: E.syntheticEvents)
    return (r, s)
  }

  @Test func kaplanMeierDistanceMatchesSynthcityRecipe() throws {
    // Python: lifelines-style KM predict on np.linspace(1, 10, 1000), np.trapezoid, / T_max.
    let d = try SurvivalFidelity.kaplanMeierDistance(
      realTimes: E.realTimes, realEvents: E.realEvents, syntheticTimes: E.syntheticTimes, syntheticEvents: E.syntheticEvents)
    #expect(abs(d.optimism - 3.3783783783747355e-05) < 1e-12)
    #expect(close(d.absoluteOptimism, 0.10663288288288286))
    // (max T_R − max T_S) / T_max = (9 − 10) / 10.
    #expect(close(d.shortSightedness, -0.1))
  }

  @Test func kaplanMeierAbsoluteOptimismNearTheExactIntegral() throws {
    // Exact ∫|Ŝ_S − Ŝ_R| over [1, 10]: Ŝ_R = 1, .8 (t ≥ 2), .6 (t ≥ 4), .3 (t ≥ 6);
    // Ŝ_S = 5/6 (t ≥ 1; t = 3 censored), 5/12 (t ≥ 5: 2 events of 4 at risk), 5/24 (t ≥ 8).
    // |diff| × length: [1,2) 1/6, [2,4) 2·1/30, [4,5) 7/30, [5,6) 11/60, [6,8) 2·7/60,
    // [8,10] 2·11/120: total 64/60; / T_max = 10 → 0.10667.
    // The 1000-point trapezoid adds half a grid step of error at each of the 5 jumps.
    let d = try SurvivalFidelity.kaplanMeierDistance(
      realTimes: E.realTimes, realEvents: E.realEvents, syntheticTimes: E.syntheticTimes, syntheticEvents: E.syntheticEvents)
    #expect(abs(d.absoluteOptimism - 64.0 / 600) < 1e-3)
  }

  @Test func reportCarriesLogRankMediansAndRMST() throws {
    let (r, s) = try tables()
    let f = try SurvivalFidelity(real: r, synthetic: s, horizon: 8, seed: 3, bootstrapResamples: 200)
    // Python log-rank (own O − E, hypergeometric variance): χ² 0.0013112270171042508.
    #expect(close(f.logRankStatistic, 0.0013112270171042508, 1e-10))
    #expect(close(f.logRankPValue, 0.971114219648713, 1e-10))
    // RMST(8) real = 2·1 + 2·0.8 + 2·0.6 + 2·0.3 = 5.4; synthetic (Python) 5.583333….
    #expect(close(f.realRMST, 5.4))
    #expect(close(f.syntheticRMST, 5.583333333333334))
    #expect(close(f.rmstDifference, 5.583333333333334 - 5.4))
    let lower = try #require(f.rmstDifferenceBootstrapLower)
    let upper = try #require(f.rmstDifferenceBootstrapUpper)
    #expect(lower <= f.rmstDifference && f.rmstDifference <= upper)
    // Medians: Ŝ_R first ≤ 0.5 at t = 6; Ŝ_S first ≤ 0.5 at t = 5.
    #expect(f.realMedian.estimate == 6 && f.syntheticMedian.estimate == 5)
    #expect(close(f.realEventFraction, 0.6) && close(f.syntheticEventFraction, 4.0 / 6))
  }

  @Test func intervalOverlapByHand() {
    // (0, 2) and (1, 4): shared length 1 → ½(1/2 + 1/3) = 5/12.
    #expect(close(CoxTermComparison.intervalOverlap(real: 0...2, synthetic: 1...4), 5.0 / 12))
    // Disjoint (0, 1) and (2, 3): shared −1 → ½(−1 − 1) = −1. Identical → 1.
    #expect(close(CoxTermComparison.intervalOverlap(real: 0...1, synthetic: 2...3), -1))
    #expect(close(CoxTermComparison.intervalOverlap(real: -1...1, synthetic: -1...1), 1))
  }
}

@Suite("Survival fidelity — RMST bootstrap and Cox wiring", .tags(.doubleProgramming))
struct SurvivalFidelityDoubleProgrammingTests {
  @Test func weightedRestrictedMeanEqualsKaplanMeierEstimate() throws {
    // The O(n) bootstrap RMST with unit weights against SurvivalAnalysis (validated against R),
    // and with integer weights against a table with the rows repeated.
    let rng = SeedSequence(masterSeed: 11).makeRandomSource(1)
    let n = 60
    let times = (0..<n).map { _ in (rng.exponential(rate: 0.1) * 4).rounded() / 4 }
    let events = (0..<n).map { _ in rng.uniform() < 0.7 }
    let weights = (0..<n).map { _ in rng.uniformInt(below: 3) }
    let boot = RestrictedMeanBootstrap(times: times, events: events)
    for tau in [2.0, 7.25, 15, 100] {
      let km = try KaplanMeierEstimate(SurvivalData(times: times, events: events))
      #expect(close(boot.restrictedMean(horizon: tau, weights: [Int](repeating: 1, count: n)), km.restrictedMean(horizon: tau).estimate))
      let repeated = (0..<n).flatMap { [Int](repeating: $0, count: weights[$0]) }
      let kmW = try KaplanMeierEstimate(SurvivalData(times: repeated.map { times[$0] }, events: repeated.map { events[$0] }))
      #expect(close(boot.restrictedMean(horizon: tau, weights: weights), kmW.restrictedMean(horizon: tau).estimate))
    }
  }

  @Test func univariableTermsMatchDirectCoxFits() throws {
    // A 3-level categorical gives two indicator terms fitted jointly, compared with CoxModel
    // called directly on hand-built indicators (complete cases only).
    let times: [Double] = [5, 8, 3, 9, 12, 4, 7, 10, 6, 2, 11, 13]
    let events = [true, true, false, true, true, true, false, true, true, true, false, true]
    let codes: [Int32] = [0, 1, 2, 0, 1, 2, 0, 1, 2, -1, 1, 0]
    let col = AuditColumn.categorical("grade", codes: codes, levels: ["G1", "G2", "G3"])
    let r = try AuditTable(columns: [col], times: times, events: events)
    let s = try AuditTable(columns: [col], times: times.map { $0 * 1.1 }, events: events)
    let terms = CoxTermComparison.univariable(real: r, synthetic: s)
    #expect(terms.map(\.term) == ["grade=G2", "grade=G3"])
    let keep = codes.indices.filter { codes[$0] >= 0 }
    let direct = try CoxModel(ties: .efron).fit(
      SurvivalData(
        times: keep.map { times[$0] }, events: keep.map { events[$0] },
        covariateColumns: [keep.map { codes[$0] == 1 ? 1 : 0 }, keep.map { codes[$0] == 2 ? 1 : 0 }]))
    for k in 0..<2 {
      #expect(close(terms[k].realLogHazardRatio, direct.coefficients[k]))
      #expect(close(terms[k].realStandardError, direct.standardErrors[k]))
      let interval = direct.hazardRatioInterval(k)
      #expect(close(terms[k].realHazardRatioLower, interval.lowerBound) && close(terms[k].realHazardRatioUpper, interval.upperBound))
      // Scaling every time by 1.1 keeps the order, so the synthetic fit is identical: CIO = 1.
      #expect(close(terms[k].confidenceIntervalOverlap, 1, 1e-9))
      #expect(close(terms[k].standardizedDifference, 0, 1e-9))
    }
  }
}
