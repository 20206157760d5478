// CoxBookDataSet1Tests.swift — Therneau & Grambsch (2000), appendix data set 1 (survival's
// tests/book1.R and book2.R), the observation with missing status removed.
//
// Sorted: t = 1 (x=1, event), 1 (x=1, censored), 6 (x=1, event), 6 (x=0, event), 8 (x=0,
// censored), 9 (x=0, event). With r = e^β the risk sets give, by hand:
//   Breslow: ℓ(β) = 2β − log(3r + 3) − 2 log(r + 3)
//            U(β) = (6 + 3r − r²)/((r + 1)(r + 3)),  I(β) = r/(r+1)² + 6r/(r+3)²
//            β̂ = log((3 + √33)/2)
//   Efron:   the second of the two deaths at t = 6 sees (r + 3) − (r + 1)/2 = (r + 5)/2, so
//            ℓ(β) = 2β − log(3r + 3) − log(r + 3) − log((r + 5)/2)
//            U(β) = 2 − r/(r+1) − r/(r+3) − r/(r+5),  I(β) = r/(r+1)² + 3r/(r+3)² + 5r/(r+5)²

import Foundation
import GSL
import SurvivalAnalysis
import Testing

@Suite("Cox — Therneau & Grambsch data set 1 (hand-derived)", .tags(.validation))
struct CoxBookDataSet1Tests {
  let data = SurvivalData(
    times: [9, 1, 1, 6, 6, 8], events: [true, true, false, true, true, false],
    covariates: [[0], [1], [1], [1], [0], [0]])

  func breslowLogLik(_ b: Double) -> Double {
    let r = exp(b)
    return 2 * b - log(3 * r + 3) - 2 * log(r + 3)
  }
  func efronLogLik(_ b: Double) -> Double {
    let r = exp(b)
    return 2 * b - log(3 * r + 3) - log(r + 3) - log((r + 5) / 2)
  }
  func efronScore(_ b: Double) -> Double {
    let r = exp(b)
    return 2 - r / (r + 1) - r / (r + 3) - r / (r + 5)
  }
  func efronInformation(_ b: Double) -> Double {
    let r = exp(b)
    return r / pow(r + 1, 2) + 3 * r / pow(r + 3, 2) + 5 * r / pow(r + 5, 2)
  }

  @Test("Breslow: ℓ(0), one Newton step, the MLE and its variance")
  func breslow() throws {
    var model = CoxModel(ties: .breslow)
    #expect(abs(try model.fit(data).logLikelihoodInitial - breslowLogLik(0)) < 1e-12)
    // One Newton step from 0: β₁ = U(0)/I(0) = 1 / (1/4 + 6/16) = 8/5.
    model.maxIterations = 1
    let oneStep = try model.fit(data)
    #expect(abs(oneStep.coefficients[0] - 8.0 / 5) < 1e-12)
    let fit = try CoxModel(ties: .breslow).fit(data)
    let r = (3 + 33.0.squareRoot()) / 2
    #expect(abs(fit.coefficients[0] - log(r)) < 1e-9)
    #expect(abs(fit.logLikelihood - breslowLogLik(log(r))) < 1e-12)
    let info = r / pow(r + 1, 2) + 6 * r / pow(r + 3, 2)
    #expect(abs(fit.variance[0] - 1 / info) < 1e-8)
  }

  @Test("Efron: ℓ(0), score test, the MLE (root of the hand-derived score) and its variance")
  func efron() throws {
    let fit = try CoxModel(ties: .efron).fit(data)
    #expect(abs(fit.logLikelihoodInitial - efronLogLik(0)) < 1e-12)
    // Score test at 0: U(0)²/I(0).
    #expect(abs(fit.scoreTest.statistic - pow(efronScore(0), 2) / efronInformation(0)) < 1e-12)
    let mle = try RootFinder.brent(lower: 0, upper: 5) { efronScore($0) }
    #expect(abs(fit.coefficients[0] - mle) < 1e-9)
    #expect(abs(fit.logLikelihood - efronLogLik(mle)) < 1e-12)
    #expect(abs(fit.variance[0] - 1 / efronInformation(mle)) < 1e-8)
  }

  @Test("score residuals sum to the score U(β) at any β (Breslow and Efron)", .tags(.unit))
  func residualsSumToScore() throws {
    for ties in TieMethod.allCases {
      let model = CoxModel(ties: ties)
      for b in [-0.7, 0.0, 0.4, 1.3] {
        let residuals = try model.scoreResiduals(data, coefficients: [b])
        let expected =
          ties == .efron
          ? efronScore(b)
          : {
            let r = exp(b)
            return (6 + 3 * r - r * r) / ((r + 1) * (r + 3))
          }()
        #expect(abs(residuals.reduce(0, +) - expected) < 1e-12, "\(ties) β=\(b)")
      }
    }
  }
}
