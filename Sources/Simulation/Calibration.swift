// Calibration.swift — decision thresholds set by simulation under the null (Docs/Methods.md,
// "Calibrated decisions").
//
// Every analysis turns its decision statistic into an evidence score e that rejects when it
// exceeds a threshold c: −z (one-sided) or |z| (two-sided) for the protocol's test; P(HR < 1 | data)
// (one-sided) or max(P, 1 − P) (two-sided) for a Bayesian analysis. The nominal c is z₁₋α,
// z₁₋α/₂ or the posterior cut. The calibrated c is read off the stored null statistics: with m
// analysed null trials and k = ⌊α·m⌋, c is the (k + 1)-th largest score, so that at most k of them
// exceed it (type-I error ≤ α on these trials; the order-statistic quantile, R's type 3 in
// spirit). Over a drift range, the largest c of the drifts in it. Its Monte Carlo interval is the
// order statistics at k ± 1.96·√(m·α(1 − α)). Power and type-I error at c are then the shares of
// scores above it — no second simulation.

import Foundation
import GSL
import TrialSpec

/// The scale a decision threshold is on: the trial rejects when its evidence exceeds the threshold.
public enum EvidenceScale: String, Sendable, Codable, CaseIterable, CustomStringConvertible {
  /// One-sided frequentist: −z (rejects for HR < 1).
  case negativeZ = "-z"
  /// Two-sided frequentist: |z|.
  case absoluteZ = "|z|"
  /// One-sided Bayesian: P(HR < 1 | data).
  case posterior = "P(HR<1)"
  /// Two-sided Bayesian: max(P, 1 − P).
  case twoSidedPosterior = "max(P,1-P)"

  public var description: String { rawValue }
}

/// How a design decides: a z statistic against a critical value, or a posterior probability
/// against a cut.
public enum DecisionRule: String, Sendable, Codable, CaseIterable, CustomStringConvertible {
  case z
  case posterior
  public var description: String { rawValue }
}

/// A design's calibrated decision threshold.
public struct CalibratedThreshold: Sendable, Codable, Equatable {
  /// The threshold on the evidence scale, with its Monte Carlo interval, and the nominal one.
  public var threshold: Double
  public var low: Double
  public var high: Double
  public var nominal: Double
  /// The evidence scale: `-z`, `|z|`, `P(HR<1)` or `max(P,1-P)`.
  public var scale: EvidenceScale
  /// The null drifts it was calibrated at, and the analysed null trials at each.
  public var drifts: [Double]
  public var nullTrials: [Int]
}

enum Calibration {
  /// The evidence score of one analysed replicate (rejects when above the threshold).
  static func evidence(_ r: ReplicateResult, bayesian: Bool, sided: Int) -> Double {
    if bayesian { return sided == 1 ? r.statistic : max(r.statistic, 1 - r.statistic) }
    return sided == 1 ? -r.statistic : abs(r.statistic)
  }

  static func scale(bayesian: Bool, sided: Int) -> EvidenceScale {
    bayesian ? (sided == 1 ? .posterior : .twoSidedPosterior) : (sided == 1 ? .negativeZ : .absoluteZ)
  }

  static func nominal(bayesian: Bool, context: AnalysisContext) -> Double {
    if bayesian { return context.efficacyCut }
    let alpha = context.test.alpha
    return context.test.sided == 1 ? StandardNormal.quantile(1 - alpha) : StandardNormal.quantile(1 - alpha / 2)
  }

  /// The calibrated threshold from the null trials at each calibration drift (nil when some drift
  /// has no analysed trial).
  static func threshold(nulls: [(drift: Double, results: [ReplicateResult])], bayesian: Bool, context: AnalysisContext)
    -> CalibratedThreshold?
  {
    let alpha = context.test.alpha
    let sided = context.test.sided
    var best: (Double, Double, Double)?
    var counts: [Int] = []
    for (_, results) in nulls {
      let scores = results.filter { !$0.failed }.map { evidence($0, bayesian: bayesian, sided: sided) }.sorted(by: >)
      guard let c = orderStatistic(scores, alpha: alpha) else { return nil }
      counts.append(scores.count)
      if best == nil || c.threshold > best!.0 { best = (c.threshold, c.low, c.high) }
    }
    guard let (c, low, high) = best else { return nil }
    return CalibratedThreshold(
      threshold: c, low: low, high: high, nominal: nominal(bayesian: bayesian, context: context),
      scale: scale(bayesian: bayesian, sided: sided), drifts: nulls.map(\.drift), nullTrials: counts)
  }

  /// The threshold of one set of null scores sorted largest first: the (k + 1)-th largest score,
  /// k = ⌊α·m⌋, and its interval, the order statistics at k ± 1.96·√(m·α(1 − α)) (nil when empty).
  static func orderStatistic(_ sorted: [Double], alpha: Double) -> (threshold: Double, low: Double, high: Double)? {
    let m = sorted.count
    guard m > 0 else { return nil }
    let k = min(Int((alpha * Double(m)).rounded(.down)), m - 1)
    let spread = 1.96 * (Double(m) * alpha * (1 - alpha)).squareRoot()
    let kLow = max(0, Int((alpha * Double(m) - spread).rounded(.down)))
    let kHigh = min(m - 1, Int((alpha * Double(m) + spread).rounded(.up)))
    return (sorted[k], sorted[kHigh], sorted[kLow])
  }

  /// The share of analysed trials whose score exceeds `threshold`, and its MCSE.
  static func rejectionRate(_ results: [ReplicateResult], threshold: Double, bayesian: Bool, sided: Int) -> (Double, Double) {
    let scores = results.filter { !$0.failed }.map { evidence($0, bayesian: bayesian, sided: sided) }
    let m = Double(scores.count)
    let rate = Double(scores.filter { $0 > threshold }.count) / m
    return (rate, (rate * (1 - rate) / m).squareRoot())
  }
}
