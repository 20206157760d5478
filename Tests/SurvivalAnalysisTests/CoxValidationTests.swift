// CoxValidationTests.swift — Cox fits against R survival 3.5.3 `coxph` on colon_os and veteran.

import CohortData
import Foundation
import SurvivalAnalysis
import TestSupport
import Testing

struct CoxCase: CustomTestStringConvertible, Sendable {
  var dataset: String
  var multivariable: Bool
  var ties: TieMethod
  var testDescription: String { "\(dataset) \(multivariable ? "multivariable" : "univariable") \(ties)" }

  var reference: Reference.Cox {
    let c = Fixtures.reference.clinical[dataset]!
    switch (multivariable, ties) {
    case (false, .efron): return c.coxEfron
    case (false, .breslow): return c.coxBreslow
    case (true, .efron): return c.multivariableEfron
    case (true, .breslow): return c.multivariableBreslow
    }
  }

  static let all: [CoxCase] = ["colon_os", "veteran"].flatMap { d in
    [false, true].flatMap { m in TieMethod.allCases.map { CoxCase(dataset: d, multivariable: m, ties: $0) } }
  }
}

@Suite("Cox PH against R survival::coxph (colon_os, veteran)", .tags(.validation))
struct CoxValidationTests {
  @Test("coefficients, SE, log-likelihoods within 1e-6 relative", arguments: CoxCase.all)
  func matchesR(_ c: CoxCase) throws {
    let ref = c.reference
    let frame = try ReferenceModels.frame(dataset: c.dataset, multivariable: c.multivariable)
    let fit = try CoxModel(ties: c.ties).fit(frame.data)

    #expect(fit.subjectCount == ref.n)
    #expect(fit.eventCount == ref.nevent)
    #expect(frame.rowsDropped.count == ref.nMissingDropped)
    #expect(fit.convergence.isConverged)
    #expect(fit.iterations == ref.iterations, "R needed \(ref.iterations) Newton iterations")
    #expect(relativeDifference(fit.logLikelihoodInitial, ref.loglikNull) < 1e-9)
    #expect(relativeDifference(fit.logLikelihood, ref.loglikFit) < 1e-9)
    #expect(fit.coefficients.count == ref.terms.count)
    for (j, term) in ref.terms.enumerated() {
      #expect(relativeDifference(fit.coefficients[j], term.coef) < 1e-6, "\(term.term) coef")
      #expect(relativeDifference(fit.standardErrors[j], term.se) < 1e-6, "\(term.term) se")
      let ci = fit.hazardRatioInterval(j)
      #expect(relativeDifference(ci.lowerBound, term.hrLower95) < 1e-6, "\(term.term) lower")
      #expect(relativeDifference(ci.upperBound, term.hrUpper95) < 1e-6, "\(term.term) upper")
      #expect(relativeDifference(fit.waldPValue(j), term.pWald) < 1e-5, "\(term.term) p")
    }
    #expect(relativeDifference(fit.likelihoodRatioTest.statistic, ref.lrTest.chisq) < 1e-6)
    #expect(relativeDifference(fit.scoreTest.statistic, ref.scoreLogrankTest.chisq) < 1e-6)
    #expect(fit.likelihoodRatioTest.degreesOfFreedom == ref.lrTest.df)
    #expect(relativeDifference(fit.likelihoodRatioTest.pValue, ref.lrTest.p) < 1e-5)
    // R prints the Wald statistic rounded to 2 decimals.
    #expect(abs(fit.waldTest.statistic - ref.waldTest.chisq) <= 0.005 + 1e-9)
  }

  @Test("the demo's headline: Lev+5FU vs Obs HR 0.690 (0.546–0.870)")
  func demoHeadline() throws {
    let fit = try CoxModel().fit(ReferenceModels.colonUnivariable().data)
    let ci = fit.hazardRatioInterval(1)
    #expect(
      String(format: "%.3f (%.3f–%.3f)", fit.hazardRatios[1], ci.lowerBound, ci.upperBound)
        == "0.690 (0.546–0.870)")
  }
}
