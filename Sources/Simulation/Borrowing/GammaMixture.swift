// GammaMixture.swift — mixture priors on the piecewise-exponential control hazards: the robust
// mixture (an informative component from the external data and a vague unit-information one) and
// the SAM prior (self-adapting weight), with posterior weights from each component's marginal
// likelihood; and the borrowed information of a mixture.
//
// Component k puts Gamma(a_kj, b_kj) on λ_j. Its marginal likelihood, with the λ_j and a flat θ
// integrated out (reference note B4), is
//   m_k = Π_j b_kj^a_kj Γ(A_kj) / Γ(a_kj) · ∫ e^{θ·D_t} Π_j (B_kj + E_tj e^θ)^{−A_kj} dθ,
// A_kj = a_kj + d_cj + d_tj, B_kj = b_kj + E_cj (the θ integral from ``HazardRatioPosterior``).
// With J = 1 it reduces to RBesT's gamma–Poisson weight b^a Γ(a + d_c)/(Γ(a)(b + E_c)^(a + d_c))
// times a factor common to all components. The posterior is the mixture of the components'
// posteriors with weights w'_k ∝ w_k·m_k (RBesT postmix).

import Foundation
import GSL

/// One gamma prior per interval on the control hazards.
public struct GammaComponent: Sendable, Equatable {
  public var shape: [Double]
  public var rate: [Double]
  public init(shape: [Double], rate: [Double]) {
    self.shape = shape
    self.rate = rate
  }
}

/// The posterior of θ under a mixture prior.
public struct MixturePosterior: Sendable, Equatable {
  /// Posterior weights of the components, in the prior's order.
  public var weights: [Double]
  public var summary: PosteriorSummary
  /// Signed control events borrowed (control-parameter variance ratio; negative under conflict).
  public var borrowedEvents: Double
}

public enum GammaMixture {
  /// The posterior of θ under Σ_k w_k·component_k for the control hazards and a flat prior on θ.
  /// `baseline` is the no-borrowing prior of the borrowed-information ratio.
  public static func posterior(
    prior: [(weight: Double, component: GammaComponent)], control: EventsExposure,
    experimental: EventsExposure, baseline: GammaComponent, rule: GaussLegendre
  )
    throws(PosteriorError) -> MixturePosterior
  {
    var logWeights: [Double] = []
    var summaries: [PosteriorSummary] = []
    for (w, c) in prior where w > 0 {
      let shape = c.shape.indices.map { c.shape[$0] + control.events[$0] + experimental.events[$0] }
      let rate = c.rate.indices.map { c.rate[$0] + control.exposure[$0] }
      let s = try HazardRatioPosterior(
        shape: shape, rate: rate, treatmentExposure: experimental.exposure,
        treatmentEvents: experimental.totalEvents
      ).summary(rule: rule)
      var logMarginal = s.logNormalizer
      for j in c.shape.indices {
        logMarginal += c.shape[j] * log(c.rate[j]) - SpecialFunctions.logGamma(c.shape[j]) + SpecialFunctions.logGamma(shape[j])
      }
      logWeights.append(log(w) + logMarginal)
      summaries.append(s)
    }
    let top = logWeights.max() ?? 0
    var weights = logWeights.map { exp($0 - top) }
    let sum = weights.reduce(0, +)
    weights = weights.map { $0 / sum }
    guard sum > 0, sum.isFinite else { throw .notFinite }
    var p = 0.0
    var mean = 0.0
    var second = 0.0
    for (w, s) in zip(weights, summaries) {
      p += w * s.probabilityBelowZero
      mean += w * s.mean
      second += w * (s.standardDeviation * s.standardDeviation + s.mean * s.mean)
    }
    // Re-expand the weights to the prior's order (components with weight 0 get 0).
    var full: [Double] = []
    var k = 0
    for (w, _) in prior {
      if w > 0 {
        full.append(weights[k])
        k += 1
      } else {
        full.append(0)
      }
    }
    let borrowed = borrowedEvents(prior: prior.map { $0.component }, weights: full, control: control, baseline: baseline)
    return MixturePosterior(
      weights: full,
      summary: PosteriorSummary(
        probabilityBelowZero: p, mean: mean,
        standardDeviation: max(second - mean * mean, 0).squareRoot()),
      borrowedEvents: borrowed)
  }

  /// Control events borrowed, by the control-parameter variance ratio of the reference note §7:
  /// per interval d_cj·(Var_nb(log λ_j)/Var_b(log λ_j) − 1), with Var(log λ) = ψ′(a) under
  /// Gamma(a, b) and, for the mixture, Σ w′_k(ψ′(a′_k) + (μ_k − μ̄)²), μ_k = ψ(a′_k) − log b′_k;
  /// summed over intervals. Signed: it goes negative under prior–data conflict.
  static func borrowedEvents(prior: [GammaComponent], weights: [Double], control: EventsExposure, baseline: GammaComponent)
    -> Double
  {
    var total = 0.0
    for j in control.events.indices {
      let d = control.events[j]
      let e = control.exposure[j]
      var mu: [Double] = []
      var v: [Double] = []
      for c in prior {
        let a = c.shape[j] + d
        let b = c.rate[j] + e
        mu.append(SpecialFunctions.digamma(a) - log(b))
        v.append(SpecialFunctions.trigamma(a))
      }
      let mean = zip(weights, mu).reduce(0) { $0 + $1.0 * $1.1 }
      var variance = 0.0
      for k in prior.indices { variance += weights[k] * (v[k] + (mu[k] - mean) * (mu[k] - mean)) }
      let none = SpecialFunctions.trigamma(baseline.shape[j] + d)
      total += d * (none / variance - 1)
    }
    return total
  }

  /// The informative component of external data with `events` and `exposure` per interval, on a
  /// Gamma(a, b) initial prior, and the vague unit-information component with the same mean:
  /// Gamma(1, 1/λ̄_j) — worth one event (RBesT's robustify for the exponential likelihood).
  static func informativeAndVague(_ external: EventsExposure, priorShape a: Double, priorRate b: Double)
    -> (GammaComponent, GammaComponent)
  {
    let shape = external.events.map { a + $0 }
    let rate = external.exposure.map { b + $0 }
    let vagueRate = shape.indices.map { rate[$0] / shape[$0] }
    return (
      GammaComponent(shape: shape, rate: rate),
      GammaComponent(shape: [Double](repeating: 1, count: shape.count), rate: vagueRate)
    )
  }

  /// The SAM weight of the informative component (Yang et al. 2023; SAMprior's SAM_weight):
  /// R = max over ± of L(λ̂_e·e^{±δ}) / L(λ̂_e) on the concurrent controls' piecewise-exponential
  /// likelihood, δ on the log-hazard scale (so the weight does not depend on the time unit);
  /// w = 1/(1 + R), or 1/(1 + R/odds) for the prior-odds (PPR) variant.
  public static func samWeight(control: EventsExposure, externalHazards: [Double], delta: Double, priorOdds: Double? = nil)
    -> Double
  {
    func logRatio(_ factor: Double) -> Double {
      var sum = 0.0
      for j in control.events.indices where externalHazards[j] > 0 {
        sum += control.events[j] * log(factor) - externalHazards[j] * (factor - 1) * control.exposure[j]
      }
      return sum
    }
    let logR = max(logRatio(exp(delta)), logRatio(exp(-delta)))
    return samWeight(logLikelihoodRatio: logR, priorOdds: priorOdds)
  }

  /// w = 1/(1 + R) (or 1/(1 + R/odds)) from log R, without overflow.
  public static func samWeight(logLikelihoodRatio logR: Double, priorOdds: Double? = nil) -> Double {
    let l = logR - log(priorOdds ?? 1)
    return l > 0 ? exp(-l) / (1 + exp(-l)) : 1 / (1 + exp(l))
  }

  /// The effective sample size of a gamma-mixture prior on one exponential rate by expected local
  /// information ratio (ELIR; Neuenschwander et al. 2020, RBesT's mixess): ∫ p(λ)·i(p, λ)·λ² dλ
  /// with i = −d²/dλ² log p(λ), in events. A single Gamma(a, b) gives a − 1. Gauss–Legendre on
  /// log λ over the mixture's support (±12 SD of each component's log λ).
  public static func elir(_ prior: [(weight: Double, shape: Double, rate: Double)], rule: GaussLegendre = GaussLegendre(points: 96))
    -> Double
  {
    // In u = log λ: each Gamma(a, b) density of u is b^a/Γ(a)·exp(a·u − b·e^u).
    var lo = Double.infinity
    var hi = -Double.infinity
    for c in prior where c.weight > 0 {
      let m = SpecialFunctions.digamma(c.shape) - log(c.rate)
      let s = SpecialFunctions.trigamma(c.shape).squareRoot()
      lo = min(lo, m - 12 * s)
      hi = max(hi, m + 12 * s)
    }
    // Split the range into panels so narrow components are resolved.
    let panels = 24
    var total = 0.0
    for k in 0..<panels {
      let a = lo + (hi - lo) * Double(k) / Double(panels)
      let b = lo + (hi - lo) * Double(k + 1) / Double(panels)
      total += rule.integrate(from: a, to: b) { u in
        let lambda = exp(u)
        // p, p′ and p″ of the density in λ, summed over components.
        var p = 0.0
        var g = 0.0
        var h = 0.0
        for c in prior where c.weight > 0 {
          let logDensity = c.shape * log(c.rate) - SpecialFunctions.logGamma(c.shape) + (c.shape - 1) * u - c.rate * lambda
          let f = c.weight * exp(logDensity)
          let d1 = (c.shape - 1) / lambda - c.rate
          let d2 = -(c.shape - 1) / (lambda * lambda)
          p += f
          g += f * d1
          h += f * (d2 + d1 * d1)
        }
        guard p > 0 else { return 0 }
        // −d²/dλ² log p = (p′/p)² − p″/p; times λ² (the exponential likelihood's inverse Fisher
        // information per event); times the density of λ (p·λ in u).
        let information = (g / p) * (g / p) - h / p
        return p * lambda * information * lambda * lambda
      }
    }
    return total
  }
}
