// HazardRatioPosterior.swift — the posterior of the log hazard ratio θ on a piecewise-exponential
// control hazard with conjugate gamma factors, without MCMC.
//
// With a Gamma(A_j, B_j) kernel on each control hazard λ_j (prior, concurrent controls and any
// powered external data folded in) and a flat prior on θ, integrating the λ_j out leaves
//   log p(θ | D) = θ·D_t − Σ_j A_j · log(B_j + E_tj·e^θ) + const,
// where A_j already counts the experimental arm's events d_tj. It is log-concave (second
// derivative −Σ A_j·B_j·E_tj·e^θ / (B_j + E_tj·e^θ)² < 0), hence unimodal.
//   J = 1: u = E_t·e^θ / (B + E_t·e^θ) ~ Beta(D_t, A − D_t), so
//          P(θ < log r) = I_{r·E_t/(B + r·E_t)}(D_t, A − D_t),
//          E[θ] = ψ(D_t) − ψ(A − D_t) + log(B/E_t),  Var[θ] = ψ′(D_t) + ψ′(A − D_t).
//   J > 1: Newton to the mode, then Gauss–Legendre on two panels split at 0 over ±12 posterior SDs.
// (Derivation: the reference note on borrowing formulas, B1–B3; RBesT's oc2S-tte demo makes the
// same decision by numerical convolution.)

import Foundation
import GSL

/// P(θ < 0), E[θ] and SD[θ] of one posterior.
public struct PosteriorSummary: Sendable, Equatable {
  public var probabilityBelowZero: Double
  public var mean: Double
  public var standardDeviation: Double
  /// log ∫ exp(θ·D_t − Σ_j A_j·log(B_j + E_tj·e^θ)) dθ: with the gamma constants, a prior
  /// component's marginal likelihood (mixture weights).
  public var logNormalizer: Double = .nan
}

/// Why a posterior cannot be formed.
public enum PosteriorError: Error, Equatable {
  /// No event in the experimental arm: with a flat prior on θ the posterior is improper.
  case noExperimentalEvents
  /// The mode search or the quadrature produced a non-finite value.
  case notFinite
}

public struct HazardRatioPosterior: Sendable {
  /// A_j and B_j of the control hazards' gamma kernels (experimental events included in A_j).
  public let shape: [Double]
  public let rate: [Double]
  public let treatmentExposure: [Double]
  public let treatmentEvents: Double

  public init(shape: [Double], rate: [Double], treatmentExposure: [Double], treatmentEvents: Double) {
    self.shape = shape
    self.rate = rate
    self.treatmentExposure = treatmentExposure
    self.treatmentEvents = treatmentEvents
  }

  /// The posterior of a trial analysed with a Gamma(a, b) initial prior on every λ_j and the
  /// external data's likelihood raised to `externalWeight` (a power prior's a₀, times any discount
  /// for the generator's estimation error). `externalWeight` 0 ignores the external data, 1 pools.
  public init(statistics s: TrialStatistics, externalWeight w: Double, priorShape a: Double, priorRate b: Double) {
    let j = s.control.events.indices
    shape = j.map { a + s.control.events[$0] + s.experimental.events[$0] + w * s.external.events[$0] }
    rate = j.map { b + s.control.exposure[$0] + w * s.external.exposure[$0] }
    treatmentExposure = s.experimental.exposure
    treatmentEvents = s.experimental.totalEvents
  }

  /// B1: P(λ_t/λ_c < r) for independent λ_t ~ Gamma(a_t, b_t) and λ_c ~ Gamma(a_c, b_c):
  /// I_{r·b_t/(r·b_t + b_c)}(a_t, a_c).
  public static func probabilityRatioBelow(
    _ r: Double, treatmentShape at: Double, treatmentRate bt: Double,
    controlShape ac: Double, controlRate bc: Double
  ) -> Double {
    BetaDistribution.cdf(r * bt / (r * bt + bc), at, ac)
  }

  /// The summary: closed form when J = 1 (unless `forceQuadrature`), quadrature otherwise.
  public func summary(rule: GaussLegendre, forceQuadrature: Bool = false) throws(PosteriorError) -> PosteriorSummary {
    guard treatmentEvents > 0 else { throw .noExperimentalEvents }
    if shape.count == 1 && !forceQuadrature {
      let a = treatmentEvents
      let c = shape[0] - treatmentEvents
      let e = treatmentExposure[0]
      let b = rate[0]
      let p = BetaDistribution.cdf(e / (b + e), a, c)
      let mean = SpecialFunctions.digamma(a) - SpecialFunctions.digamma(c) + log(b / e)
      let variance = SpecialFunctions.trigamma(a) + SpecialFunctions.trigamma(c)
      guard p.isFinite, mean.isFinite, variance.isFinite else { throw .notFinite }
      // ∫ e^{θa}(b + e·e^θ)^{−(a+c)} dθ = Γ(a)Γ(c)/Γ(a+c) · e^{−a} · b^{−c}
      let normalizer =
        SpecialFunctions.logGamma(a) + SpecialFunctions.logGamma(c) - SpecialFunctions.logGamma(a + c)
        - a * log(e) - c * log(b)
      return PosteriorSummary(
        probabilityBelowZero: p, mean: mean, standardDeviation: variance.squareRoot(),
        logNormalizer: normalizer)
    }
    let (mode, curvature) = try self.mode()
    let sd = 1 / (-curvature).squareRoot()
    let lo = mode - 12 * sd
    let hi = mode + 12 * sd
    let peak = logDensity(mode)
    var below = 0.0
    var total = 0.0
    var first = 0.0
    var second = 0.0
    func panel(_ a: Double, _ b: Double, countsBelow: Bool) {
      guard b > a else { return }
      let half = 0.5 * (b - a)
      let mid = 0.5 * (a + b)
      for i in rule.nodes.indices {
        let theta = mid + half * rule.nodes[i]
        let f = rule.weights[i] * half * exp(logDensity(theta) - peak)
        total += f
        first += f * theta
        second += f * theta * theta
        if countsBelow { below += f }
      }
    }
    if lo < 0 && 0 < hi {
      panel(lo, 0, countsBelow: true)
      panel(0, hi, countsBelow: false)
    } else {
      panel(lo, mode, countsBelow: hi <= 0)
      panel(mode, hi, countsBelow: hi <= 0)
    }
    let mean = first / total
    let variance = max(second / total - mean * mean, 0)
    guard total > 0, mean.isFinite, variance.isFinite else { throw .notFinite }
    return PosteriorSummary(
      probabilityBelowZero: below / total, mean: mean, standardDeviation: variance.squareRoot(),
      logNormalizer: peak + log(total))
  }

  /// log p(θ | D) up to a constant.
  @inline(__always)
  func logDensity(_ theta: Double) -> Double {
    let e = exp(theta)
    var sum = theta * treatmentEvents
    for j in shape.indices where treatmentExposure[j] > 0 { sum -= shape[j] * log(rate[j] + treatmentExposure[j] * e) }
    return sum
  }

  /// The mode and the second derivative there (Newton from the pooled J = 1 estimate, halving
  /// steps that would lower the density).
  func mode() throws(PosteriorError) -> (Double, Double) {
    let a = shape.reduce(0, +)
    let b = rate.reduce(0, +)
    let e = treatmentExposure.reduce(0, +)
    var theta = log(treatmentEvents / e) - log(max(a - treatmentEvents, 1e-9) / b)
    func derivatives(_ t: Double) -> (Double, Double) {
      let x = exp(t)
      var g = treatmentEvents
      var h = 0.0
      for j in shape.indices where treatmentExposure[j] > 0 {
        let q = treatmentExposure[j] * x / (rate[j] + treatmentExposure[j] * x)
        g -= shape[j] * q
        h -= shape[j] * q * (1 - q)
      }
      return (g, h)
    }
    for _ in 0..<100 {
      let (g, h) = derivatives(theta)
      guard h < 0, g.isFinite else { throw .notFinite }
      var step = -g / h
      let current = logDensity(theta)
      while logDensity(theta + step) < current - 1e-12 && abs(step) > 1e-14 { step /= 2 }
      theta += step
      if abs(step) < 1e-10 { return (theta, derivatives(theta).1) }
    }
    throw .notFinite
  }
}
