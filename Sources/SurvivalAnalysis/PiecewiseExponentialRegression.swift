// PiecewiseExponentialRegression.swift — PH regression with a piecewise-constant baseline hazard.
//
// Model: h(t | x) = λ_k exp(xᵀβ) for t in interval k = [c_{k−1}, c_k), c₀ = 0, c_K = ∞.
// With E_ik the time subject i spends in interval k and D_k the events there, the log-likelihood
//   ℓ(ρ, β) = Σ_k D_k ρ_k + Σ_i δ_i xᵢᵀβ − Σ_i Σ_k exp(ρ_k + xᵢᵀβ) E_ik,   ρ_k = log λ_k,
// is a Poisson log-likelihood with offset log E_ik (Holford 1980; Laird & Olivier 1981), concave
// in (ρ, β), so Newton–Raphson with step halving finds the maximum. An interval without events
// has its MLE on the boundary (λ_k = 0): it is held at 0 and left out of the Newton system.
// Without covariates the MLE is closed form, λ_k = D_k / Σ_i E_ik — a check in the tests.

import Foundation
import GSL

/// A fitted piecewise-exponential PH model.
public struct PiecewiseExponentialFit: Sendable {
  /// Interior cut points c₁ < … < c_{K−1}; interval k is [c_{k−1}, c_k).
  public var cutPoints: [Double]
  /// Baseline hazard λ_k per interval (0 for an interval without events).
  public var rates: [Double]
  /// Log hazard ratios β.
  public var coefficients: [Double]
  /// Covariance of (log λ₁…log λ_K, β), row-major; NaN rows for intervals held at 0.
  public var variance: [Double]
  public var logLikelihood: Double
  public var iterations: Int
  public var converged: Bool
  /// Events and exposure (person-time) per interval.
  public var events: [Double]
  public var exposure: [Double]

  var intervalCount: Int { rates.count }

  /// A model given by its parameters rather than fitted (e.g. a protocol's assumed control
  /// hazard); variance is unknown (NaN), the fit fields are empty.
  public init(cutPoints: [Double], rates: [Double], coefficients: [Double] = []) {
    precondition(rates.count == cutPoints.count + 1, "need one rate per interval: \(cutPoints.count + 1), got \(rates.count)")
    let m = rates.count + coefficients.count
    self.init(
      cutPoints: cutPoints, rates: rates, coefficients: coefficients,
      variance: [Double](repeating: .nan, count: m * m), logLikelihood: .nan, iterations: 0,
      converged: true, events: [], exposure: [])
  }

  init(
    cutPoints: [Double], rates: [Double], coefficients: [Double], variance: [Double], logLikelihood: Double,
    iterations: Int, converged: Bool, events: [Double], exposure: [Double]
  ) {
    self.cutPoints = cutPoints
    self.rates = rates
    self.coefficients = coefficients
    self.variance = variance
    self.logLikelihood = logLikelihood
    self.iterations = iterations
    self.converged = converged
    self.events = events
    self.exposure = exposure
  }

  /// Standard errors of β.
  public var coefficientStandardErrors: [Double] {
    let m = intervalCount + coefficients.count
    return coefficients.indices.map { j in variance[(intervalCount + j) * m + intervalCount + j].squareRoot() }
  }

  /// Baseline cumulative hazard H₀(t) = Σ_k λ_k |[c_{k−1}, c_k) ∩ [0, t)|.
  public func baselineCumulativeHazard(at t: Double) -> Double {
    var h = 0.0
    var start = 0.0
    for k in 0..<intervalCount {
      let end = k < cutPoints.count ? cutPoints[k] : .infinity
      if t <= start { break }
      h += rates[k] * (min(t, end) - start)
      start = end
    }
    return h
  }

  /// S(t | x) = exp(−H₀(t) exp(xᵀβ)).
  public func survival(at t: Double, covariates x: [Double] = []) -> Double {
    Foundation.exp(-baselineCumulativeHazard(at: t) * Foundation.exp(linearPredictor(x)))
  }

  /// The time t with S(t | x) = s (∞ if the hazard is 0 from some point on and s is never reached).
  public func quantile(survival s: Double, covariates x: [Double] = []) -> Double {
    var target = -Foundation.log(s) * Foundation.exp(-linearPredictor(x))  // H₀ still to accumulate
    var start = 0.0
    for k in 0..<intervalCount {
      let end = k < cutPoints.count ? cutPoints[k] : .infinity
      let width = end - start
      if rates[k] > 0 && target <= rates[k] * width { return start + target / rates[k] }
      target -= rates[k] * width
      start = end
    }
    return .infinity
  }

  func linearPredictor(_ x: [Double]) -> Double {
    precondition(x.count == coefficients.count, "expected \(coefficients.count) covariates, got \(x.count)")
    return zip(coefficients, x).reduce(0) { $0 + $1.0 * $1.1 }
  }
}

/// Piecewise-exponential PH regression by maximum likelihood.
public enum PiecewiseExponentialRegression {
  /// Fits the model with the given interior cut points (strictly increasing, > 0).
  /// - Throws: ``SurvivalError/noEvents`` without events; `.invalidInput` for bad cut points or
  ///   weights/strata/offsets (not supported here).
  public static func fit(_ data: SurvivalData, cutPoints: [Double], maxIterations: Int = 50) throws(SurvivalError)
    -> PiecewiseExponentialFit
  {
    try data.validate()
    if data.weights != nil || data.strata != nil || data.offsets != nil {
      throw .invalidInput("piecewise-exponential regression does not support weights, strata or offsets")
    }
    for (i, c) in cutPoints.enumerated() where !(c > 0 && c.isFinite) || (i > 0 && c <= cutPoints[i - 1]) {
      throw .invalidInput("cut points must be finite, > 0 and strictly increasing; got \(cutPoints)")
    }
    guard data.eventCount > 0 else { throw .noEvents }
    let n = data.count
    let p = data.covariateCount
    let K = cutPoints.count + 1
    let bounds = [0.0] + cutPoints + [.infinity]

    // Exposure E_ik (stored sparsely: a subject only touches intervals up to its own time).
    var exposure = [[Double]](repeating: [], count: n)
    var events = [Double](repeating: 0, count: K)
    var totalExposure = [Double](repeating: 0, count: K)
    for i in 0..<n {
      let t = data.times[i]
      for k in 0..<K where t > bounds[k] || (k == 0) {
        let e = max(0, min(t, bounds[k + 1]) - bounds[k])
        exposure[i].append(e)
        totalExposure[k] += e
        if t <= bounds[k + 1] {
          if data.events[i] { events[k] += 1 }
          break
        }
      }
    }
    // Intervals with events are estimated; the others stay at λ = 0.
    let free = (0..<K).filter { events[$0] > 0 }
    let m = free.count + p
    var rho = [Double](repeating: -.infinity, count: K)
    for k in free { rho[k] = Foundation.log(events[k] / totalExposure[k]) }
    var beta = [Double](repeating: 0, count: p)
    let x = data.covariates

    func logLik(_ rho: [Double], _ beta: [Double]) -> Double {
      var ll = 0.0
      for k in free { ll += events[k] * rho[k] }
      for i in 0..<n {
        var eta = 0.0
        for j in 0..<p { eta += beta[j] * x[j][i] }
        if data.events[i] { ll += eta }
        let risk = Foundation.exp(eta)
        for (k, e) in exposure[i].enumerated() where rho[k] > -.infinity { ll -= Foundation.exp(rho[k]) * risk * e }
      }
      return ll
    }

    func scoreAndInformation(_ rho: [Double], _ beta: [Double]) -> (u: [Double], info: [Double]) {
      var u = [Double](repeating: 0, count: m)
      var info = [Double](repeating: 0, count: m * m)
      var slot = [Int](repeating: -1, count: K)
      for (a, k) in free.enumerated() {
        slot[k] = a
        u[a] = events[k]
      }
      let q = free.count
      for i in 0..<n {
        var eta = 0.0
        for j in 0..<p { eta += beta[j] * x[j][i] }
        let risk = Foundation.exp(eta)
        if data.events[i] { for j in 0..<p { u[q + j] += x[j][i] } }
        for (k, e) in exposure[i].enumerated() where slot[k] >= 0 {
          let mu = Foundation.exp(rho[k]) * risk * e
          let a = slot[k]
          u[a] -= mu
          info[a * m + a] += mu
          for j in 0..<p {
            u[q + j] -= mu * x[j][i]
            info[a * m + q + j] += mu * x[j][i]
            info[(q + j) * m + a] += mu * x[j][i]
            for l in 0..<p { info[(q + j) * m + q + l] += mu * x[j][i] * x[l][i] }
          }
        }
      }
      return (u, info)
    }

    var ll = logLik(rho, beta)
    var iterations = 0
    var converged = false
    var info: [Double] = []
    while iterations < maxIterations {
      iterations += 1
      let (u, information) = scoreAndInformation(rho, beta)
      info = information
      guard let step = try? CholeskyFactorization(rowMajor: info, dimension: m).solve(u) else { break }
      var scale = 1.0
      var accepted = false
      for _ in 0..<30 {
        var newRho = rho
        var newBeta = beta
        for (a, k) in free.enumerated() { newRho[k] += scale * step[a] }
        for j in 0..<p { newBeta[j] += scale * step[free.count + j] }
        let newLl = logLik(newRho, newBeta)
        if newLl >= ll - 1e-12 * abs(ll) {
          let change = abs(newLl - ll)
          rho = newRho
          beta = newBeta
          ll = newLl
          accepted = true
          if change <= 1e-12 * max(1, abs(ll)) && step.allSatisfy({ abs($0) < 1e-6 }) { converged = true }
          break
        }
        scale /= 2
      }
      if !accepted || converged {
        converged = converged || step.allSatisfy { abs($0) < 1e-8 }
        break
      }
    }
    let (_, finalInfo) = scoreAndInformation(rho, beta)
    let inverse =
      (try? CholeskyFactorization(rowMajor: finalInfo, dimension: m).inverse())
      ?? [Double](repeating: .nan, count: m * m)
    // Expand to the full (K + p) layout, NaN for intervals held at 0.
    let full = K + p
    var variance = [Double](repeating: .nan, count: full * full)
    let index = free + (0..<p).map { K + $0 }
    for a in 0..<m { for b in 0..<m { variance[index[a] * full + index[b]] = inverse[a * m + b] } }
    return PiecewiseExponentialFit(
      cutPoints: cutPoints, rates: rho.map { $0 == -.infinity ? 0 : Foundation.exp($0) },
      coefficients: beta, variance: variance, logLikelihood: ll, iterations: iterations,
      converged: converged, events: events, exposure: totalExposure)
  }
}
