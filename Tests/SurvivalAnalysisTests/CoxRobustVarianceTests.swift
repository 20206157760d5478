// CoxRobustVarianceTests.swift — score residuals and the sandwich variance, double programming.
//
// The reference here is a deliberately naive second implementation: residuals straight from the
// definition, looping over every event time for every subject (O(n²), no sorting, no running
// sums), with Efron's tie weights written out. It shares no code with the fitter.

import Foundation
import SurvivalAnalysis
import TestSupport
import Testing

/// rᵢ from the definition (see CoxModel+Residuals.swift), one covariate.
func naiveScoreResiduals(times: [Double], events: [Bool], x: [Double], weights: [Double], beta: Double, efron: Bool) -> [Double] {
  let n = times.count
  let risk = x.map { exp(beta * $0) }
  let eventTimes = Array(Set(zip(times, events).filter { $0.1 }.map { $0.0 })).sorted()
  var r = [Double](repeating: 0, count: n)
  for t in eventTimes {
    let atRisk = (0..<n).filter { times[$0] >= t }
    let dying = atRisk.filter { times[$0] == t && events[$0] }
    let d = Double(dying.count)
    let deadWeight = dying.reduce(0.0) { $0 + weights[$1] }
    let terms = efron ? dying.count : 1
    for k in 0..<terms {
      let f = efron ? Double(k) / d : 0
      // Risk set of the k-th term: the dying count with weight (1 − f).
      func share(_ i: Int) -> Double { dying.contains(i) ? 1 - f : 1 }
      let denominator = atRisk.reduce(0.0) { $0 + share($1) * weights[$1] * risk[$1] }
      let xbar = atRisk.reduce(0.0) { $0 + share($1) * weights[$1] * risk[$1] * x[$1] } / denominator
      let hazard = (efron ? deadWeight / d : deadWeight) / denominator
      for i in atRisk { r[i] -= share(i) * risk[i] * (x[i] - xbar) * hazard }
      for i in dying { r[i] += (x[i] - xbar) / Double(terms) }
    }
  }
  return r
}

@Suite("Cox score residuals and robust variance", .tags(.doubleProgramming))
struct CoxRobustVarianceTests {
  @Test("score residuals equal the naive definition on veteran (many ties), both tie methods")
  func residualsMatchNaive() throws {
    let frame = try ReferenceModels.veteranUnivariable()
    let d = frame.data
    for ties in TieMethod.allCases {
      let mine = try CoxModel(ties: ties).scoreResiduals(d, coefficients: [0.3])
      let naive = naiveScoreResiduals(
        times: d.times, events: d.events, x: d.covariates[0],
        weights: [Double](repeating: 1, count: d.count), beta: 0.3, efron: ties == .efron)
      let worst = zip(mine, naive).map { abs($0 - $1) }.max()!
      #expect(worst < 1e-12, "\(ties): max |Δ| = \(worst)")
    }
  }

  @Test("robust variance = Σ (wᵢ rᵢ V)², with fractional weights")
  func robustVariance() throws {
    let frame = try ReferenceModels.veteranUnivariable()
    let n = frame.data.count
    let weights = (0..<n).map { 0.5 + Double($0 % 3) * 0.25 }
    var data = frame.data
    data.weights = weights
    for ties in TieMethod.allCases {
      let fit = try CoxModel(ties: ties, robustVariance: true).fit(data)
      let r = naiveScoreResiduals(
        times: data.times, events: data.events, x: data.covariates[0], weights: weights,
        beta: fit.coefficients[0], efron: ties == .efron)
      let expected = zip(r, weights).reduce(0.0) { $0 + pow($1.1 * $1.0 * fit.variance[0], 2) }
      #expect(relativeDifference(fit.robustVariance![0], expected) < 1e-9, "\(ties)")
    }
  }

  @Test("robust SE is close to the jackknife SE on veteran (n = 137; agreement within 5 %)", .tags(.statistical))
  func closeToJackknife() throws {
    // dfbeta approximates the leave-one-out change, so the sandwich and the jackknife agree
    // asymptotically (Lin & Wei 1989); an independent, approximate check.
    let frame = try ReferenceModels.veteranUnivariable()
    let fit = try CoxModel(robustVariance: true).fit(frame.data)
    let n = frame.data.count
    var leaveOneOut: [Double] = []
    for i in 0..<n {
      leaveOneOut.append(try CoxModel().fit(frame.data.selecting((0..<n).filter { $0 != i })).coefficients[0])
    }
    let mean = leaveOneOut.reduce(0, +) / Double(n)
    let jackknife = (Double(n - 1) / Double(n) * leaveOneOut.reduce(0) { $0 + pow($1 - mean, 2) }).squareRoot()
    #expect(abs(fit.robustStandardErrors![0] / jackknife - 1) < 0.05)
  }
}
