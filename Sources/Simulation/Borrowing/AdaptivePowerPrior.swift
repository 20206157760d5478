// AdaptivePowerPrior.swift — the empirical-Bayes power prior (a₀ chosen by the data) and the
// normalized power prior (a₀ integrated over its posterior), from the closed-form marginal of a₀.
//
// For one exponential rate with a Gamma(a, b) initial prior, external data (S₀ events, n₀
// exposure) and current data (S₁, n₁), the normalized power prior gives (NPP package,
// PoissonNPP.R; Beta(1, 1) prior on a₀):
//   log p(a₀ | D) = lgamma(S₁ + a₀S₀ + a) − lgamma(a₀S₀ + a) + (a₀S₀ + a)·log(a₀n₀ + b)
//                   − (a₀S₀ + S₁ + a)·log(a₀n₀ + n₁ + b)
// summed over the intervals of the piecewise-exponential hazard. EB: a₀ maximizing it on [0, 1]
// (the ends checked, GSL's Brent inside); NPP: 32-point Gauss–Legendre over a₀ with these weights,
// each node's posterior of θ from ``HazardRatioPosterior``.

import Foundation
import GSL

public enum AdaptivePowerPrior {
  /// log p(a₀ | D) up to a constant.
  public static func logMarginal(
    _ a0: Double, external: EventsExposure, control: EventsExposure, priorShape a: Double,
    priorRate b: Double
  ) -> Double {
    var sum = 0.0
    for j in control.events.indices {
      let s0 = external.events[j]
      let n0 = external.exposure[j]
      let s1 = control.events[j]
      let n1 = control.exposure[j]
      sum +=
        SpecialFunctions.logGamma(s1 + a0 * s0 + a) - SpecialFunctions.logGamma(a0 * s0 + a)
        + (a0 * s0 + a) * log(a0 * n0 + b) - (a0 * s0 + s1 + a) * log(a0 * n0 + n1 + b)
    }
    return sum
  }

  /// The empirical-Bayes a₀ in [0, 1].
  public static func empiricalBayesWeight(
    external: EventsExposure, control: EventsExposure, priorShape a: Double,
    priorRate b: Double
  ) -> Double {
    let f = { (x: Double) in -logMarginal(x, external: external, control: control, priorShape: a, priorRate: b) }
    // A coarse grid finds the best region; at an end, a finer grid between the end and its
    // neighbour decides whether the maximum is the end itself (EB a₀ reaches 0 or 1) or just
    // inside; Brent then refines between the best point's neighbours.
    func bestOf(_ grid: [Double]) -> (Int, [Double]) {
      let values = grid.map(f)
      return (values.indices.min { values[$0] < values[$1] }!, grid)
    }
    var (best, grid) = bestOf((0...20).map { Double($0) / 20 })
    if best == 0 || best == grid.count - 1 {
      let end = grid[best]
      let next = grid[best == 0 ? 1 : best - 1]
      (best, grid) = bestOf((0...10).map { end + (next - end) * Double($0) / 10 })
      if best == 0 { return end }
      if best == grid.count - 1 { return grid[best] }
    }
    // A minimum is located to about √ε of its position (f is flat there): 1e-7 is reachable.
    let (a, b) = (min(grid[best - 1], grid[best + 1]), max(grid[best - 1], grid[best + 1]))
    return (try? LineMinimizer.brent(lower: a, guess: grid[best], upper: b, absoluteTolerance: 1e-7, relativeTolerance: 0, f))
      ?? grid[best]
  }

  /// The normalized power prior's posterior of θ: a₀ ~ Beta(1, 1) integrated by quadrature.
  /// Returns the summary and E[a₀ | D].
  public static func normalized(
    statistics s: TrialStatistics, priorShape a: Double, priorRate b: Double,
    rule: GaussLegendre, weightRule: GaussLegendre = GaussLegendre(points: 32)
  )
    throws(PosteriorError) -> (PosteriorSummary, Double)
  {
    var logW: [Double] = []
    var summaries: [PosteriorSummary] = []
    var nodes: [Double] = []
    for i in weightRule.nodes.indices {
      let a0 = 0.5 * (weightRule.nodes[i] + 1)
      let summary = try HazardRatioPosterior(statistics: s, externalWeight: a0, priorShape: a, priorRate: b).summary(rule: rule)
      logW.append(log(weightRule.weights[i]) + logMarginal(a0, external: s.external, control: s.control, priorShape: a, priorRate: b))
      summaries.append(summary)
      nodes.append(a0)
    }
    let top = logW.max()!
    let w = logW.map { exp($0 - top) }
    let total = w.reduce(0, +)
    var p = 0.0
    var mean = 0.0
    var second = 0.0
    var a0Mean = 0.0
    for k in w.indices {
      let q = w[k] / total
      p += q * summaries[k].probabilityBelowZero
      mean += q * summaries[k].mean
      second += q * (summaries[k].standardDeviation * summaries[k].standardDeviation + summaries[k].mean * summaries[k].mean)
      a0Mean += q * nodes[k]
    }
    return (
      PosteriorSummary(probabilityBelowZero: p, mean: mean, standardDeviation: max(second - mean * mean, 0).squareRoot()),
      a0Mean
    )
  }
}
