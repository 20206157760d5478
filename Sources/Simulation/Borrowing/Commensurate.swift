// Commensurate.swift — the hierarchical commensurate prior (psborrow2's PEM HCP: one precision τ
// links each interval's concurrent-control log hazard α_j to the external one, α_j ~ N(α_ej, 1/τ)),
// without MCMC.
//
// Each arm's interval data become a normal likelihood for its log hazard by moment matching
// (reference note B5): y = ψ(d) − log E, v = ψ′(d) (the exact mean and variance of log λ under
// Gamma(d, E); d + 0.5 when d = 0). With flat priors on α_ej and θ, and τ given (note §3):
//   U_j = v_ej + 1/τ,  V_j = 1/(1/v_cj + 1/U_j),  m_j = V_j·(y_cj/v_cj + y_ej/U_j),
//   s_j² = V_j + v_tj,  w_j = 1/s_j²,  r_j = y_tj − m_j,
//   θ | τ, D ~ N(θ̂(τ) = Σ w_j r_j / Σ w_j, 1/Σ w_j),
//   log p(τ | D) = log p(τ) + Σ_j log N(y_cj; y_ej, U_j + v_cj) − ½Σ log s_j² − ½ log Σ w_j
//                  − ½ Σ w_j (r_j − θ̂)².
// τ is integrated on 120 nodes of log τ ∈ [−14, 14] (Jacobian τ). The τ prior is explicit:
// psborrow2's Gamma(0.001, 0.001) (default), or hdbayes' spike and slab: 0.1 at τ = 200 (its
// N⁺(200, 0.1) spike, far narrower than the grid, as a point mass) + 0.9·N⁺(0, 5).

import Foundation
import GSL

/// The prior on the commensurability precision τ.
public enum CommensuratePrior: Sendable, Equatable {
  case gamma(shape: Double, rate: Double)
  case spikeAndSlab
  /// τ known (the limits: τ → ∞ pools, τ → 0 ignores the external data).
  case fixed(Double)
}

public enum Commensurate {
  /// (y, v) of log λ for d events in exposure E.
  static func normal(_ d: Double, _ e: Double) -> (Double, Double) {
    let events = d > 0 ? d : 0.5
    return (SpecialFunctions.digamma(events) - log(e), SpecialFunctions.trigamma(events))
  }

  /// The posterior of θ, and the control events borrowed (variance ratio of the control log
  /// hazards, summed over intervals).
  public static func posterior(statistics s: TrialStatistics, prior: CommensuratePrior) throws(PosteriorError)
    -> (PosteriorSummary, borrowedEvents: Double)
  {
    let j = s.control.events.indices
    guard s.experimental.totalEvents > 0 else { throw .noExperimentalEvents }
    // Intervals where an arm has no exposure carry no information about θ: left out.
    let used = j.filter { s.control.exposure[$0] > 0 && s.experimental.exposure[$0] > 0 && s.external.exposure[$0] > 0 }
    guard !used.isEmpty else { throw .notFinite }
    let c = used.map { normal(s.control.events[$0], s.control.exposure[$0]) }
    let t = used.map { normal(s.experimental.events[$0], s.experimental.exposure[$0]) }
    let e = used.map { normal(s.external.events[$0], s.external.exposure[$0]) }

    // Each τ node's weight, θ̂, Var θ and the control log hazards' posterior means and variances,
    // in flat buffers allocated once (nodes × intervals).
    let size = used.count
    var taus: [Double] = []
    var logPriors: [Double] = []
    switch prior {
    case .fixed(let tau):
      taus = [tau]
      logPriors = [0]
    case .gamma(let a, let b):
      for g in 0..<gridSize {
        let logTau = -14 + 28 * Double(g) / Double(gridSize - 1)
        taus.append(exp(logTau))
        // Gamma density of τ times the Jacobian τ, on an even log-τ grid.
        logPriors.append(a * logTau - b * exp(logTau))
      }
    case .spikeAndSlab:
      let step = 28 / Double(gridSize - 1)
      for g in 0..<gridSize {
        let logTau = -14 + step * Double(g)
        let tau = exp(logTau)
        taus.append(tau)
        // 0.9 × half-normal(0, 5) density × τ × grid step: a probability mass per node.
        logPriors.append(log(0.9) + log(2) - 0.5 * log(2 * Double.pi * 25) - tau * tau / 50 + logTau + log(step))
      }
      taus.append(200)
      logPriors.append(log(0.1))
    }
    let nodes = taus.count
    var logWeights = [Double](repeating: 0, count: nodes)
    var means = logWeights
    var variances = logWeights
    var controlMeans = [Double](repeating: 0, count: nodes * size)
    var controlVariances = controlMeans
    var w = [Double](repeating: 0, count: size)
    var r = w
    for g in 0..<nodes {
      let tau = taus[g]
      var sumW = 0.0
      var sumWR = 0.0
      var logLik = 0.0
      for k in 0..<size {
        let u = e[k].1 + 1 / tau
        let v = 1 / (1 / c[k].1 + 1 / u)
        let m = v * (c[k].0 / c[k].1 + e[k].0 / u)
        controlMeans[g * size + k] = m
        controlVariances[g * size + k] = v
        let s2 = v + t[k].1
        w[k] = 1 / s2
        r[k] = t[k].0 - m
        sumW += w[k]
        sumWR += w[k] * r[k]
        let q = u + c[k].1
        logLik += -0.5 * log(2 * Double.pi * q) - 0.5 * (c[k].0 - e[k].0) * (c[k].0 - e[k].0) / q - 0.5 * log(s2)
      }
      let theta = sumWR / sumW
      for k in 0..<size { logLik -= 0.5 * w[k] * (r[k] - theta) * (r[k] - theta) }
      logLik -= 0.5 * log(sumW)
      logWeights[g] = logPriors[g] + logLik
      means[g] = theta
      variances[g] = 1 / sumW
    }
    let top = logWeights.max()!
    var total = 0.0
    for g in 0..<nodes {
      logWeights[g] = exp(logWeights[g] - top)
      total += logWeights[g]
    }
    guard total > 0, total.isFinite else { throw .notFinite }
    var p = 0.0
    var mean = 0.0
    var second = 0.0
    var controlMean = [Double](repeating: 0, count: size)
    var controlSecond = controlMean
    for g in 0..<nodes {
      let q = logWeights[g] / total
      guard q > 1e-300 else { continue }
      p += q * StandardNormal.cdf(-means[g] / variances[g].squareRoot())
      mean += q * means[g]
      second += q * (variances[g] + means[g] * means[g])
      for k in 0..<size {
        let m = controlMeans[g * size + k]
        controlMean[k] += q * m
        controlSecond[k] += q * (controlVariances[g * size + k] + m * m)
      }
    }
    var borrowed = 0.0
    for k in 0..<size {
      let variance = controlSecond[k] - controlMean[k] * controlMean[k]
      borrowed += s.control.events[used[k]] * (c[k].1 / variance - 1)
    }
    guard p.isFinite, mean.isFinite else { throw .notFinite }
    return (
      PosteriorSummary(probabilityBelowZero: p, mean: mean, standardDeviation: max(second - mean * mean, 0).squareRoot()),
      borrowed
    )
  }

  static let gridSize = 120
}
