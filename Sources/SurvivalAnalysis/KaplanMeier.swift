// KaplanMeier.swift — the product-limit estimator, Greenwood variance, log-scale intervals.

import Foundation
import GSL
import RealModule

/// A Kaplan–Meier estimate of the survival function.
///
/// With distinct times t₁ < t₂ < …, dᵢ events and nᵢ subjects at risk just before tᵢ:
/// ```
/// Ŝ(t) = ∏_{tᵢ ≤ t} (1 − dᵢ/nᵢ),   Var̂ log Ŝ(t) = Σ_{tᵢ ≤ t} dᵢ / (nᵢ (nᵢ − dᵢ))   (Greenwood)
/// ```
/// Confidence limits are R `survfit`'s default `conf.type = "log"`: Ŝ·exp(±z·σ), σ = √(Greenwood
/// sum), the upper limit capped at 1. Times are compared exactly (our data are whole days); R's
/// `aeqSurv` would also merge times within √ε relative — irrelevant for such data.
///
/// Checked against R `survival::survfit` / `summary(times =)` / `quantile` in
/// `Tests/SurvivalAnalysisTests/KaplanMeierValidationTests.swift`.
public struct KaplanMeierEstimate: Sendable {
  /// Every distinct follow-up time (events and censorings), ascending.
  public let times: [Double]
  /// At risk just before each time, events and censorings at it.
  public let atRisk: [Int]
  public let events: [Int]
  public let censored: [Int]
  /// Ŝ just after each time.
  public let survival: [Double]
  /// Greenwood's Σ d/(n(n−d)) up to each time: the variance of log Ŝ.
  public let greenwood: [Double]
  /// The confidence level of `lower` / `upper`.
  public let confidenceLevel: Double
  /// Pointwise log-scale confidence limits (nil where Ŝ = 0).
  public let lower: [Double?]
  public let upper: [Double?]

  /// Number of subjects and events.
  public var subjectCount: Int { atRisk.first ?? 0 }
  public var eventCount: Int { events.reduce(0, +) }

  /// Estimates the survival function from times and event indicators.
  /// - Throws: ``SurvivalError/noSubjects`` when empty, `.invalidInput` for a negative or
  ///   non-finite time.
  public init(_ data: SurvivalData, confidenceLevel: Double = 0.95) throws(SurvivalError) {
    try data.validate()
    if data.weights != nil || data.strata != nil || data.offsets != nil {
      throw .invalidInput("Kaplan–Meier here takes unweighted, unstratified data; estimate each stratum separately")
    }
    let z = StandardNormal.quantile(0.5 + confidenceLevel / 2)
    let keyed = SortedOrder.byTime(data.times).map { (data.times[$0], data.events[$0]) }
    var times: [Double] = []
    var atRisk: [Int] = []
    var events: [Int] = []
    var censored: [Int] = []
    var survival: [Double] = []
    var greenwood: [Double] = []
    var lower: [Double?] = []
    var upper: [Double?] = []
    var remaining = keyed.count
    var logS = 0.0
    var sum = 0.0
    var k = 0
    while k < keyed.count {
      let t = keyed[k].0
      var d = 0
      var c = 0
      while k < keyed.count && keyed[k].0 == t {
        if keyed[k].1 { d += 1 } else { c += 1 }
        k += 1
      }
      let n = remaining
      if d > 0 {
        logS += Double.log(onePlus: -Double(d) / Double(n))
        sum += d < n ? Double(d) / (Double(n) * Double(n - d)) : .infinity
      }
      let s = d == n && d > 0 ? 0 : Foundation.exp(logS)
      times.append(t)
      atRisk.append(n)
      events.append(d)
      censored.append(c)
      survival.append(s)
      greenwood.append(sum)
      if s > 0 && sum.isFinite {
        let sigma = sum.squareRoot()
        lower.append(s * Foundation.exp(-z * sigma))
        upper.append(min(1, s * Foundation.exp(z * sigma)))
      } else {
        lower.append(nil)
        upper.append(nil)
      }
      remaining -= d + c
    }
    self.times = times
    self.atRisk = atRisk
    self.events = events
    self.censored = censored
    self.survival = survival
    self.greenwood = greenwood
    self.confidenceLevel = confidenceLevel
    self.lower = lower
    self.upper = upper
  }

  // MARK: - Landmarks

  /// The estimate at a landmark time, as R's `summary(fit, times = t, extend = TRUE)`.
  public struct Landmark: Sendable, Hashable {
    public var time: Double
    /// Subjects still at risk at `time` (follow-up ≥ time).
    public var atRisk: Int
    public var survival: Double
    /// Standard error of Ŝ (Greenwood: Ŝ·σ); nil when Ŝ = 0 or past the last follow-up.
    public var standardError: Double?
    public var lower: Double?
    public var upper: Double?
  }

  /// Ŝ(t), its standard error and confidence limits at `time`. Past the last follow-up the curve
  /// is carried forward with nobody at risk and no standard error (R's `extend = TRUE`).
  public func landmark(at time: Double) -> Landmark {
    let i = lastIndex(atOrBefore: time)
    let atRiskNow = times.firstIndex { $0 >= time }.map { atRisk[$0] } ?? 0
    guard let i else {
      return Landmark(time: time, atRisk: atRiskNow, survival: 1, standardError: 0, lower: 1, upper: 1)
    }
    let s = survival[i]
    let pastEnd = atRiskNow == 0
    let se: Double? = s > 0 && greenwood[i].isFinite && !pastEnd ? s * greenwood[i].squareRoot() : nil
    return Landmark(
      time: time, atRisk: atRiskNow, survival: s, standardError: se,
      lower: pastEnd ? nil : lower[i], upper: pastEnd ? nil : upper[i])
  }

  /// Ŝ(t) (1 before the first time, carried forward after the last).
  public func survival(at time: Double) -> Double {
    lastIndex(atOrBefore: time).map { survival[$0] } ?? 1
  }

  private func lastIndex(atOrBefore time: Double) -> Int? {
    var lo = 0
    var hi = times.count  // first index with times[i] > time
    while lo < hi {
      let mid = (lo + hi) / 2
      if times[mid] <= time { lo = mid + 1 } else { hi = mid }
    }
    return lo == 0 ? nil : lo - 1
  }

  // MARK: - Quantiles

  /// A survival-time quantile with its confidence limits.
  public struct Quantile: Sendable, Hashable {
    public var probability: Double
    public var estimate: Double?
    public var lower: Double?
    public var upper: Double?
  }

  /// The time by which a fraction `probability` has had the event (0.5 = the median), with the
  /// confidence limits read off the pointwise limits, as R's `quantile.survfit`.
  ///
  /// R's rule: the first time the curve reaches 1 − p or below; if the curve is flat exactly at
  /// 1 − p (within √ε), the midpoint of that flat and the next drop (or the last follow-up time,
  /// when the flat ends the curve). The lower limit of the quantile is where the lower
  /// confidence curve crosses, the upper limit where the upper curve crosses; nil when a curve
  /// never gets that low (R prints NA).
  public func quantile(_ probability: Double) -> Quantile {
    let q = { (values: [Double?]) in Self.findQuantile(times: self.times, values: values, p: probability) }
    return Quantile(probability: probability, estimate: q(survival.map { $0 }), lower: q(lower), upper: q(upper))
  }

  /// The median survival time and its confidence interval.
  public var median: Quantile { quantile(0.5) }

  /// survival's `findq` on the curve 1 − values with (0, 0) prepended.
  static func findQuantile(times: [Double], values: [Double?], p: Double) -> Double? {
    let tolerance = Double.ulpOfOne.squareRoot()
    var xs = [0.0]
    var ys = [0.0]
    for (t, v) in zip(times, values) {
      guard let v else { continue }  // approx() drops NA
      let y = 1 - v
      if !ys.contains(where: { $0 == y }) {  // R's duplicated(): keep the first time of each level
        xs.append(t)
        ys.append(y)
      }
    }
    let xmax = times.last ?? 0
    guard let first = ys.firstIndex(where: { $0 + tolerance >= p }) else { return nil }
    if p == 0 { return xs[0] }
    let second = ys.firstIndex(where: { $0 - tolerance >= p })
    if abs(p - ys[ys.count - 1]) < tolerance, second == nil {
      return (xs[first] + xmax) / 2  // a flat exactly at p that ends the curve
    }
    guard let second else { return nil }
    return (xs[first] + xs[second]) / 2
  }

  // MARK: - Restricted mean

  /// Restricted mean survival time ∫₀^τ Ŝ(t) dt with its standard error
  /// (R `print(fit, rmean = τ)`: Var = Σ_{tᵢ ≤ τ} Aᵢ² dᵢ / (nᵢ(nᵢ − dᵢ)), Aᵢ = ∫_{tᵢ}^τ Ŝ).
  public func restrictedMean(horizon tau: Double) -> (estimate: Double, standardError: Double) {
    // Steps of Ŝ up to τ: on [start_j, end_j) the curve is level_j.
    var starts = [0.0]
    var levels = [1.0]
    for i in times.indices where times[i] <= tau {
      starts.append(times[i])
      levels.append(survival[i])
    }
    // Area from each step's start to τ, accumulated backwards once: tail[j] = ∫_{start_j}^τ Ŝ.
    var tail = [Double](repeating: 0, count: starts.count + 1)
    for j in stride(from: starts.count - 1, through: 0, by: -1) {
      let end = j + 1 < starts.count ? starts[j + 1] : tau
      tail[j] = tail[j + 1] + levels[j] * (end - starts[j])
    }
    // Step j ≥ 1 starts at times[i] for the j-th time ≤ τ; events there contribute A² d/(n(n−d)).
    var variance = 0.0
    var j = 1
    for i in times.indices where times[i] <= tau {
      let n = Double(atRisk[i])
      let d = Double(events[i])
      if d > 0 && n > d { variance += tail[j] * tail[j] * d / (n * (n - d)) }
      j += 1
    }
    return (tail[0], variance.squareRoot())
  }
}
