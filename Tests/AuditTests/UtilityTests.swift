// UtilityTests.swift — Harrell's C (audit_reference.py block E) and the TSTR wiring.

import SurvivalAnalysis
import TestSupport
import Testing

@testable import Audit

@Suite("Utility — Harrell's C by hand and audit_reference.py block E", .tags(.validation))
struct ConcordanceValidationTests {
  let times: [Double] = [5, 8, 8, 3, 10, 6]
  let events = [true, true, false, true, false, false]

  @Test func harrellByHand() {
    // Events at t = 3 (risk .8), 5 (.9), 8 (.2).
    // t = 3: later rows risks .9 .2 .5 .1 .5 → 4 of 5 concordant (not .9).
    // t = 5: later rows .2 .5 .1 .5 → 4 of 4.
    // t = 8: the t = 10 row (.1) → 1; the row censored at t = 8 (.5) is comparable → 0.
    // C = (4 + 4 + 1) / (5 + 4 + 2) = 9/11.
    #expect(close(Concordance.harrell(times: times, events: events, risk: [0.9, 0.2, 0.5, 0.8, 0.1, 0.5]), 9.0 / 11))
    // Risk of the t = 6 row raised to .8: a tie with the t = 3 event → ½: 8.5/11.
    #expect(close(Concordance.harrell(times: times, events: events, risk: [0.9, 0.2, 0.5, 0.8, 0.1, 0.8]), 0.7727272727272727))
  }

  @Test func perfectReverseAndNone() {
    let t: [Double] = [1, 2, 3, 4]
    let e = [true, true, true, true]
    #expect(Concordance.harrell(times: t, events: e, risk: [4, 3, 2, 1]) == 1)
    #expect(Concordance.harrell(times: t, events: e, risk: [1, 2, 3, 4]) == 0)
    #expect(Concordance.harrell(times: t, events: e, risk: [1, 1, 1, 1]) == 0.5)
    #expect(Concordance.harrell(times: t, events: [false, false, false, false], risk: [1, 2, 3, 4]) == nil)
  }
}

@Suite("Utility — Cox TSTR wiring", .tags(.regression))
struct UtilityWiringTests {
  @Test func syntheticEqualToTrainGivesTheSameConcordance() throws {
    // S = R: both models are the same fit, so the C-indices on H agree exactly, and the
    // multivariable coefficients overlap fully.
    let times: [Double] = [5, 8, 3, 9, 12, 4, 7, 10, 6, 2, 11, 13, 1, 15]
    let events = [true, true, false, true, true, true, false, true, true, true, false, true, true, false]
    let x: [Double] = [1.2, 0.3, 2.2, 0.1, -0.5, 1.9, 0.0, -1.0, 0.8, 2.5, -0.2, -1.4, 3.0, -2.0]
    let g: [Int32] = [0, 1, 1, 0, 1, 0, -1, 0, 1, 1, 0, 1, 0, 0]
    let train = try AuditTable(
      columns: [.numeric("x", x), .categorical("g", codes: g, levels: ["a", "b"])], times: times, events: events)
    let holdout = train.selecting([0, 2, 4, 6, 8, 10, 12, 1])
    let u = try UtilityReport(train: train, synthetic: train, holdout: holdout)
    #expect(u.syntheticTrainedConcordance != nil)
    #expect(u.syntheticTrainedConcordance == u.realTrainedConcordance && u.concordanceDifference == 0)
    #expect(u.realRowsUsed == 13 && u.holdoutRowsUsed == 7)  // the row with g missing is dropped
    #expect(u.coefficients.map(\.term) == ["x", "g=b"])
    for c in u.coefficients { #expect(close(c.confidenceIntervalOverlap, 1)) }
    // The C on H equals Harrell's C of the directly fitted linear predictor.
    let keep = (0..<14).filter { g[$0] >= 0 }
    let fit = try CoxModel(ties: .efron).fit(
      SurvivalData(
        times: keep.map { times[$0] }, events: keep.map { events[$0] },
        covariateColumns: [keep.map { x[$0] }, keep.map { g[$0] == 1 ? 1 : 0 }]))
    let h = [0, 2, 4, 8, 10, 12, 1]
    let risk = h.map { fit.coefficients[0] * x[$0] + fit.coefficients[1] * (g[$0] == 1 ? 1 : 0) }
    #expect(
      close(
        u.realTrainedConcordance,
        try #require(
          Concordance.harrell(
            times: h.map { times[$0] }, events: h.map { events[$0] }, risk: risk))))
  }
}
