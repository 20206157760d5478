// CoxFailureTests.swift — inputs that break naive fitters give statuses, not crashes
// (in the spirit of survival's tests/fail/ folder).

import Foundation
import SurvivalAnalysis
import TestSupport
import Testing

@Suite("Cox: no events, separation, aliasing, bad input", .tags(.regression))
struct CoxFailureTests {
  @Test("no events: status .noEvents, no crash")
  func noEvents() throws {
    let data = SurvivalData(times: [1, 2, 3], events: [false, false, false], covariates: [[0], [1], [0]])
    let fit = try CoxModel().fit(data)
    #expect(fit.convergence == .noEvents)
    #expect(fit.standardErrors[0].isNaN)
  }

  @Test("a covariate that separates the events: β̂ → ∞ is flagged as monotone likelihood")
  func separation() throws {
    // Every x = 1 subject dies before every x = 0 subject: the likelihood increases forever in β.
    let data = SurvivalData(
      times: [1, 2, 3, 4, 5, 6, 7, 8], events: [true, true, true, true, true, true, false, true],
      covariates: [[1], [1], [1], [1], [0], [0], [0], [0]])
    for ties in TieMethod.allCases {
      let fit = try CoxModel(ties: ties).fit(data)
      #expect(fit.monotoneLikelihood == [0], "\(ties)")
      #expect(fit.coefficients[0] > 5)
    }
  }

  @Test("a duplicated covariate is aliased (coefficient 0), the other is still estimated")
  func aliasing() throws {
    let frame = try ReferenceModels.veteranUnivariable()
    var data = frame.data
    data.covariates.append(data.covariates[0].map { 2 * $0 })
    let fit = try CoxModel().fit(data)
    let ref = Fixtures.reference.clinical["veteran"]!.coxEfron.terms[0]
    #expect(fit.aliased == [1])
    #expect(fit.coefficients[1] == 0)
    #expect(relativeDifference(fit.coefficients[0], ref.coef) < 1e-6)
    #expect(fit.likelihoodRatioTest.degreesOfFreedom == 1)
  }

  @Test("non-finite or negative input is an error naming the subject")
  func invalidInput() {
    #expect(throws: SurvivalError.invalidInput("time of subject 2 is -1.0; times must be finite and >= 0")) {
      try CoxModel().fit(SurvivalData(times: [1, -1], events: [true, true], covariates: [[0], [1]]))
    }
    #expect(throws: SurvivalError.noSubjects) { try CoxModel().fit(SurvivalData(times: [], events: [])) }
  }

  @Test("strata: two copies of a data set as strata give the same β as the single copy")
  func strataCopies() throws {
    let d = try ReferenceModels.veteranUnivariable().data
    let single = try CoxModel().fit(d)
    let both = SurvivalData(
      times: d.times + d.times, events: d.events + d.events,
      covariateColumns: [d.covariates[0] + d.covariates[0]],
      strata: [Int](repeating: 0, count: d.count) + [Int](repeating: 1, count: d.count))
    let stratified = try CoxModel().fit(both)
    #expect(relativeDifference(stratified.coefficients[0], single.coefficients[0]) < 1e-9)
    #expect(relativeDifference(stratified.logLikelihood, 2 * single.logLikelihood) < 1e-12)
    #expect(relativeDifference(stratified.variance[0], single.variance[0] / 2) < 1e-9)
  }

  @Test("Breslow: weights 2 equal duplicated rows; Efron: a common weight leaves β̂ unchanged; offsets shift β̂")
  func weightsAndOffsets() throws {
    let d = try ReferenceModels.veteranUnivariable().data
    var weighted = d
    weighted.weights = [Double](repeating: 2, count: d.count)
    let duplicated = SurvivalData(
      times: d.times + d.times, events: d.events + d.events,
      covariateColumns: [d.covariates[0] + d.covariates[0]])
    let a = try CoxModel(ties: .breslow).fit(weighted)
    let b = try CoxModel(ties: .breslow).fit(duplicated)
    #expect(relativeDifference(a.coefficients[0], b.coefficients[0]) < 1e-9)
    #expect(relativeDifference(a.logLikelihood, b.logLikelihood) < 1e-12)
    // Efron with weights is *not* duplication (duplicates double the ties); as in R, a common
    // weight c leaves β̂ alone and gives ℓ_c = c·ℓ − c·D·log c (every risk-set sum is scaled by c).
    let plainEfron = try CoxModel(ties: .efron).fit(d)
    let weightedEfron = try CoxModel(ties: .efron).fit(weighted)
    #expect(relativeDifference(weightedEfron.coefficients[0], plainEfron.coefficients[0]) < 1e-9)
    let deaths = Double(d.eventCount)
    #expect(relativeDifference(weightedEfron.logLikelihood, 2 * plainEfron.logLikelihood - 2 * deaths * log(2)) < 1e-12)
    var offset = d
    offset.offsets = d.covariates[0].map { 0.25 * $0 }
    let plain = try CoxModel().fit(d)
    let shifted = try CoxModel().fit(offset)
    #expect(abs(shifted.coefficients[0] - (plain.coefficients[0] - 0.25)) < 1e-9)
  }
}
