// SurvivalFidelity.swift — does the synthetic outcome look like the real one? (Docs/Methods.md, audit)
//
// KM optimism / absolute optimism / short-sightedness are synthcity's
// `core/models/survival_analysis/metrics.py::nonparametric_distance`; the log-rank test, median
// and RMST differences and the Cox CI overlap are the "proposed" rows of §9.5.

import GSL
import SurvivalAnalysis

/// A median survival time with its confidence interval (R `survfit`'s, log-scale limits).
public struct MedianSurvival: Codable, Sendable, Hashable {
  public var estimate: Double?
  public var lower: Double?
  public var upper: Double?
}

/// Kaplan–Meier distances between two samples, synthcity's definition.
public struct KaplanMeierDistance: Codable, Sendable, Hashable {
  /// ∫(Ŝ_S − Ŝ_R) dt / T_max: > 0 when synthetic patients live too long.
  public var optimism: Double
  /// ∫|Ŝ_S − Ŝ_R| dt / T_max, the "KM divergence": 0 for identical curves.
  public var absoluteOptimism: Double
  /// (max T_R − max T_S) / T_max: > 0 when synthetic follow-up ends too early.
  public var shortSightedness: Double
}

/// Real-vs-synthetic comparison of the survival outcome.
public struct SurvivalFidelity: Codable, Sendable, Hashable {
  public var kaplanMeier: KaplanMeierDistance
  /// Log-rank test of R against S as two groups (a p-value is no target on its own); nil when
  /// undefined (no events in either table).
  public var logRankStatistic: Double?
  public var logRankPValue: Double?
  public var realMedian: MedianSurvival
  public var syntheticMedian: MedianSurvival
  public var realEventFraction: Double
  public var syntheticEventFraction: Double
  /// The RMST horizon τ.
  public var horizon: Double
  public var realRMST: Double
  public var realRMSTStandardError: Double
  public var syntheticRMST: Double
  public var syntheticRMSTStandardError: Double
  /// RMST_S(τ) − RMST_R(τ), with a percentile bootstrap interval (R and S resampled
  /// independently; nil with no resamples) and the normal interval from the two standard
  /// errors of `KaplanMeierEstimate.restrictedMean` (R's `print(fit, rmean = τ)`).
  public var rmstDifference: Double
  public var rmstDifferenceBootstrapLower: Double?
  public var rmstDifferenceBootstrapUpper: Double?
  public var rmstDifferenceNormalLower: Double
  public var rmstDifferenceNormalUpper: Double
  public var bootstrapResamples: Int
  /// Univariable Cox hazard ratios of every covariate, real against synthetic.
  public var coxComparisons: [CoxTermComparison]

  /// Compares the outcomes of `real` and `synthetic`.
  ///
  /// - Parameters:
  ///   - horizon: τ for the RMST (finite, > 0); nil = the smaller of the two largest follow-up
  ///     times.
  ///   - seed: drives the RMST bootstrap.
  ///   - bootstrapResamples: resamples for the RMST-difference interval (0 = none).
  /// - Throws: ``AuditError`` when a table is empty, lacks times and events, the schemas differ,
  ///   or an option is out of range.
  public init(real: AuditTable, synthetic: AuditTable, horizon: Double? = nil, seed: UInt64, bootstrapResamples: Int = 200)
    throws(AuditError)
  {
    guard let tr = real.times, let er = real.events, let ts = synthetic.times, let es = synthetic.events else {
      throw .invalidTable("survival fidelity needs times and events in both tables")
    }
    guard !tr.isEmpty else { throw .emptyTable("real") }
    guard !ts.isEmpty else { throw .emptyTable("synthetic") }
    try real.checkSameSchema(as: synthetic, name: "the synthetic table")  // the Cox terms pair columns by position
    if let horizon, !(horizon.isFinite && horizon > 0) { throw .invalidOption("the RMST horizon must be finite and > 0, got \(horizon)") }
    guard bootstrapResamples >= 0 else { throw .invalidOption("bootstrapResamples must be >= 0, got \(bootstrapResamples)") }
    // Times are validated by AuditTable and both samples are non-empty: SurvivalAnalysis
    // cannot throw below, so a failure here is a programming error.
    let kmR: KaplanMeierEstimate
    let kmS: KaplanMeierEstimate
    let logRank: LogRankTest
    do {
      kaplanMeier = try Self.kaplanMeierDistance(realTimes: tr, realEvents: er, syntheticTimes: ts, syntheticEvents: es)
      let pooled = SurvivalData(times: tr + ts, events: er + es)
      logRank = try LogRankTest(pooled, group: [Int](repeating: 0, count: tr.count) + [Int](repeating: 1, count: ts.count))
      kmR = try KaplanMeierEstimate(SurvivalData(times: tr, events: er))
      kmS = try KaplanMeierEstimate(SurvivalData(times: ts, events: es))
    } catch {
      preconditionFailure("survival estimators rejected validated data: \(error)")
    }
    logRankStatistic = logRank.chiSquare.statistic.isFinite ? logRank.chiSquare.statistic : nil
    logRankPValue = logRank.chiSquare.pValue.isFinite ? logRank.chiSquare.pValue : nil
    realMedian = MedianSurvival(estimate: kmR.median.estimate, lower: kmR.median.lower, upper: kmR.median.upper)
    syntheticMedian = MedianSurvival(estimate: kmS.median.estimate, lower: kmS.median.lower, upper: kmS.median.upper)
    realEventFraction = Double(er.filter { $0 }.count) / Double(er.count)
    syntheticEventFraction = Double(es.filter { $0 }.count) / Double(es.count)

    let tau = horizon ?? Swift.min(tr.max() ?? 0, ts.max() ?? 0)
    self.horizon = tau
    (realRMST, realRMSTStandardError) = kmR.restrictedMean(horizon: tau)
    (syntheticRMST, syntheticRMSTStandardError) = kmS.restrictedMean(horizon: tau)
    rmstDifference = syntheticRMST - realRMST
    let z = StandardNormal.quantile(0.975)
    let se = (realRMSTStandardError * realRMSTStandardError + syntheticRMSTStandardError * syntheticRMSTStandardError).squareRoot()
    rmstDifferenceNormalLower = rmstDifference - z * se
    rmstDifferenceNormalUpper = rmstDifference + z * se
    let bootR = RestrictedMeanBootstrap(times: tr, events: er)
    let bootS = RestrictedMeanBootstrap(times: ts, events: es)
    let rng = SeedSequence(masterSeed: seed).makeRandomSource(0x5017)
    var differences = (0..<bootstrapResamples).map { _ in
      bootS.resampledRMST(horizon: tau, using: rng) - bootR.resampledRMST(horizon: tau, using: rng)
    }
    differences.sort()
    self.bootstrapResamples = bootstrapResamples
    rmstDifferenceBootstrapLower = differences.isEmpty ? nil : Quantiles.linear(sorted: differences, 0.025)
    rmstDifferenceBootstrapUpper = differences.isEmpty ? nil : Quantiles.linear(sorted: differences, 0.975)
    coxComparisons = CoxTermComparison.univariable(real: real, synthetic: synthetic)
  }

  /// synthcity's `nonparametric_distance`: Kaplan–Meier curves Ŝ_R, Ŝ_S evaluated (as lifelines'
  /// `predict`, right-continuous steps carried past the last time) on 1000 points
  /// `np.linspace(max(0, min T), T_max, 1000)`, T_max = the largest time of either sample, and
  /// integrated with `np.trapz`, then divided by T_max. All three are 0 when every time is 0.
  /// - Throws: `SurvivalError` for an empty sample or a negative or non-finite time.
  public static func kaplanMeierDistance(
    realTimes: [Double], realEvents: [Bool], syntheticTimes: [Double], syntheticEvents: [Bool], points: Int = 1000
  ) throws(SurvivalError) -> KaplanMeierDistance {
    precondition(points >= 2, "the KM grid needs at least 2 points")
    let kmR = try KaplanMeierEstimate(SurvivalData(times: realTimes, events: realEvents))
    let kmS = try KaplanMeierEstimate(SurvivalData(times: syntheticTimes, events: syntheticEvents))
    let maxR = realTimes.max() ?? 0
    let maxS = syntheticTimes.max() ?? 0
    let tMax = Swift.max(maxR, maxS)
    let tMin = Swift.max(0, Swift.min(realTimes.min() ?? 0, syntheticTimes.min() ?? 0))
    guard tMax > 0 else { return KaplanMeierDistance(optimism: 0, absoluteOptimism: 0, shortSightedness: 0) }
    // np.linspace: start + k·step, with the last point set to stop exactly.
    let step = (tMax - tMin) / Double(points - 1)
    var previousT = tMin
    var previousD = kmS.survival(at: tMin) - kmR.survival(at: tMin)
    var signed = 0.0
    var absolute = 0.0
    for k in 1..<points {
      let t = k == points - 1 ? tMax : Double(k) * step + tMin
      let d = kmS.survival(at: t) - kmR.survival(at: t)
      signed += (t - previousT) * (d + previousD) / 2
      absolute += (t - previousT) * (abs(d) + abs(previousD)) / 2
      previousT = t
      previousD = d
    }
    return KaplanMeierDistance(
      optimism: signed / tMax, absoluteOptimism: absolute / tMax, shortSightedness: (maxR - maxS) / tMax)
  }
}

/// The restricted mean of a Kaplan–Meier curve recomputed on bootstrap resamples without
/// refitting: the times are grouped once, and a resample is a count per original row, so each
/// replicate costs O(n) (a fresh `KaplanMeierEstimate` would sort every time).
struct RestrictedMeanBootstrap {
  /// Distinct times ascending, and the group of each original row.
  let distinctTimes: [Double]
  let group: [Int]
  let events: [Bool]

  init(times: [Double], events: [Bool]) {
    let distinctTimes = Array(Set(times)).sorted()
    self.distinctTimes = distinctTimes
    group = times.map { t in
      var lo = 0
      var hi = distinctTimes.count - 1
      while lo < hi {
        let mid = (lo + hi) / 2
        if distinctTimes[mid] < t { lo = mid + 1 } else { hi = mid }
      }
      return lo
    }
    self.events = events
  }

  /// RMST of the curve with `weights[i]` copies of row i (all 1 = the original sample).
  func restrictedMean(horizon tau: Double, weights: [Int]) -> Double {
    var atTime = [Int](repeating: 0, count: distinctTimes.count)
    var eventsAtTime = [Int](repeating: 0, count: distinctTimes.count)
    var total = 0
    for i in group.indices where weights[i] > 0 {
      atTime[group[i]] += weights[i]
      if events[i] { eventsAtTime[group[i]] += weights[i] }
      total += weights[i]
    }
    // Ŝ is a step function: area of each step from its start to the next time (or τ).
    var remaining = total
    var survival = 1.0
    var start = 0.0
    var area = 0.0
    for g in distinctTimes.indices {
      let t = distinctTimes[g]
      if t > tau { break }
      area += survival * (t - start)
      start = t
      if eventsAtTime[g] > 0 { survival *= 1 - Double(eventsAtTime[g]) / Double(remaining) }
      remaining -= atTime[g]
    }
    return area + survival * (tau - start)
  }

  /// RMST on one bootstrap resample (n draws with replacement).
  func resampledRMST(horizon tau: Double, using rng: GSLRandomSource) -> Double {
    var weights = [Int](repeating: 0, count: group.count)
    for _ in group.indices { weights[rng.uniformInt(below: group.count)] += 1 }
    return restrictedMean(horizon: tau, weights: weights)
  }
}
