// PiecewiseExponentialTests.swift — piecewise-exponential PH regression.

import Foundation
import GSL
import SurvivalAnalysis
import TestSupport
import Testing

@Suite("Piecewise-exponential PH regression")
struct PiecewiseExponentialTests {
  @Test("no covariates: λ_k = D_k / E_k (occurrence / exposure)", .tags(.validation))
  func occurrenceExposure() throws {
    // By hand: times 1, 3, 4, 6 (events at 1, 4, 6; 3 censored), cuts at 2 and 5.
    // Interval [0,2): exposure 1+2+2+2 = 7, events 1. [2,5): 1+2+3 = 6, events 1. [5,∞): 1, events 1.
    let data = SurvivalData(times: [1, 3, 4, 6], events: [true, false, true, true])
    let fit = try PiecewiseExponentialRegression.fit(data, cutPoints: [2, 5])
    #expect(fit.exposure == [7, 6, 1])
    #expect(fit.events == [1, 1, 1])
    #expect(zip(fit.rates, [1.0 / 7, 1.0 / 6, 1]).allSatisfy { abs($0 - $1) < 1e-12 })
  }

  @Test("one interval, binary covariate: the exponential closed form", .tags(.validation))
  func oneInterval() throws {
    let data = try ReferenceModels.veteranUnivariable().data
    let fit = try PiecewiseExponentialRegression.fit(data, cutPoints: [])
    let weibull = try WeibullRegression.fit(data, fixedShape: 1)
    #expect(abs(fit.coefficients[0] - weibull.coefficients[0]) < 1e-7)
    #expect(relativeDifference(fit.rates[0], 1 / weibull.scale) < 1e-7)
  }

  @Test("a seeded simulation recovers the rates and β within 4 SE", .tags(.statistical))
  func recoversTruth() throws {
    let rates = [0.05, 0.02, 0.04]
    let cuts = [6.0, 18.0]
    let beta = 0.4
    let truth = PiecewiseExponentialFit(cutPoints: cuts, rates: rates, coefficients: [beta])
    let rng = SeedSequence(masterSeed: 7).makeRandomSource(2)
    var times: [Double] = []
    var events: [Bool] = []
    var x: [Double] = []
    for _ in 0..<5_000 {
      let g = Double(rng.uniformInt(below: 2))
      let t = truth.quantile(survival: rng.uniformPositive(), covariates: [g])
      let c = 40.0
      times.append(min(t, c))
      events.append(t <= c)
      x.append(g)
    }
    let fit = try PiecewiseExponentialRegression.fit(
      SurvivalData(times: times, events: events, covariateColumns: [x]),
      cutPoints: cuts)
    #expect(fit.converged)
    let m = 4
    for k in 0..<3 {
      let seLog = fit.variance[k * m + k].squareRoot()
      #expect(abs(log(fit.rates[k]) - log(rates[k])) < 4 * seLog, "interval \(k)")
    }
    #expect(abs(fit.coefficients[0] - beta) < 4 * fit.coefficientStandardErrors[0])
  }

  @Test("an interval without events is held at λ = 0; bad cut points are errors", .tags(.unit))
  func edges() throws {
    let fit = try PiecewiseExponentialRegression.fit(
      SurvivalData(times: [1, 2, 8], events: [true, true, false]),
      cutPoints: [5])
    #expect(fit.rates[1] == 0)
    #expect(fit.quantile(survival: 0.01) == .infinity)
    #expect(throws: SurvivalError.self) {
      try PiecewiseExponentialRegression.fit(SurvivalData(times: [1], events: [true]), cutPoints: [3, 2])
    }
  }
}
