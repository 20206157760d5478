// AuditFigures.swift — what the report draws for an audit, computed once from the audit's tables
// and stored with the cell: the audit metrics (AuditReport) are numbers only, and the report is
// written later from the stored cells alone, when the patients are gone.
//
// Three things, no more: Kaplan–Meier curves of the real (training) and synthetic patients with
// 95 % intervals; each covariate's distribution in both groups on shared bins or levels; and the
// correlation matrices of both groups. Sizes stay small (≤ ~200 steps per curve, ≤ 21 bins per
// covariate), so a cell file grows by a few kilobytes.

import Audit
import Foundation
import SurvivalAnalysis
import TrialSpec

/// The data behind the audit's figures: survival curves, covariate distributions and
/// correlations of real (training) and synthetic patients.
public struct AuditFigures: Sendable, Codable, Equatable {
  /// A Kaplan–Meier curve as right-continuous steps: `survival[i]` holds from `time[i]` until
  /// `time[i + 1]`. The first point is (0, 1); the last is the end of follow-up.
  public struct SurvivalCurve: Sendable, Codable, Equatable {
    public var patients: Int
    public var events: Int
    public var time: [Double]
    public var survival: [Double]
    /// Pointwise 95 % limits (log scale, as `KaplanMeierEstimate`); nil where Ŝ = 0.
    public var lower: [Double?]
    public var upper: [Double?]
  }

  /// One covariate in both groups, as proportions of the patients with a known value.
  public struct Distribution: Sendable, Codable, Equatable {
    public enum Kind: String, Sendable, Codable { case numeric, categorical }
    public var name: String
    public var kind: Kind
    /// Numeric: increasing edges shared by both groups; bin i is [edgeᵢ, edgeᵢ₊₁), the last bin
    /// also holds its upper edge. Empty for categorical covariates.
    public var binEdges: [Double]
    /// Categorical: the level labels in code order. Empty for numeric covariates.
    public var levels: [String]
    /// One proportion per bin or level; each group's proportions sum to 1 (or are all 0 when
    /// no value is known).
    public var real: [Double]
    public var synthetic: [Double]
    /// Share of patients with the value missing.
    public var realMissing: Double
    public var syntheticMissing: Double
  }

  /// Pearson correlations of the covariates in each group.
  ///
  /// Categorical covariates enter by their level codes (0, 1, …): for binary and ordered
  /// covariates this is the point-biserial or a rank-like correlation, which is what a reader
  /// compares; nominal covariates with more than two levels have no meaningful order and are
  /// left out. Each pair uses the patients with both values known (pairwise-complete, as R's
  /// `cor(use = "pairwise.complete.obs")`); nil when a column is constant there or fewer than
  /// three patients remain.
  public struct Correlations: Sendable, Codable, Equatable {
    public var names: [String]
    /// `[row][column]`, symmetric with 1 on the diagonal.
    public var real: [[Double?]]
    public var synthetic: [[Double?]]
  }

  /// The unit of the curves' times (the reference data's unit).
  public var timeUnit: TimeUnit
  /// The protocol's unit, in which a report shows times.
  public var protocolTimeUnit: TimeUnit
  /// nil when a table has no survival outcome.
  public var realSurvival: SurvivalCurve?
  public var syntheticSurvival: SurvivalCurve?
  public var distributions: [Distribution]
  public var correlations: Correlations

  /// The most steps a stored curve keeps; see ``SurvivalCurve/thinned(maxSteps:)``.
  public static let maxSteps = 200

  /// Computes the figures of `real` (the training patients) against `synthetic`, which must
  /// share its columns (as the audit's tables do).
  public init(real: AuditTable, synthetic: AuditTable, timeUnit: TimeUnit, protocolTimeUnit: TimeUnit) {
    precondition(
      real.columns.map(\.name) == synthetic.columns.map(\.name),
      "AuditFigures: real and synthetic columns differ")
    self.timeUnit = timeUnit
    self.protocolTimeUnit = protocolTimeUnit
    realSurvival = Self.curve(real)?.thinned(maxSteps: Self.maxSteps)
    syntheticSurvival = Self.curve(synthetic)?.thinned(maxSteps: Self.maxSteps)
    distributions = zip(real.columns, synthetic.columns).map { Self.distribution($0.0, $0.1) }
    correlations = Self.correlations(real: real, synthetic: synthetic)
  }

  // MARK: - Kaplan–Meier

  /// The Kaplan–Meier curve of a table's outcome, or nil without one (or without rows).
  static func curve(_ table: AuditTable) -> SurvivalCurve? {
    guard let times = table.times, let events = table.events,
      let km = try? KaplanMeierEstimate(SurvivalData(times: times, events: events))
    else { return nil }
    return SurvivalCurve(km)
  }

  // MARK: - Distributions

  static func distribution(_ real: AuditColumn, _ synthetic: AuditColumn) -> Distribution {
    switch (real.values, synthetic.values) {
    case (.numeric(let r), .numeric(let s)):
      let edges = histogramEdges(r + s)
      return Distribution(
        name: real.name, kind: .numeric, binEdges: edges, levels: [],
        real: proportions(r, edges: edges), synthetic: proportions(s, edges: edges),
        realMissing: missingShare(r.map { $0.isNaN }), syntheticMissing: missingShare(s.map { $0.isNaN }))
    case (.categorical(let r, let levels, _), .categorical(let s, _, _)):
      return Distribution(
        name: real.name, kind: .categorical, binEdges: [], levels: levels,
        real: proportions(r, levels: levels.count), synthetic: proportions(s, levels: levels.count),
        realMissing: missingShare(r.map { $0 < 0 }), syntheticMissing: missingShare(s.map { $0 < 0 }))
    default:
      preconditionFailure("AuditFigures: column '\(real.name)' has different kinds in the two tables")
    }
  }

  /// Shared histogram edges for the finite values of both groups: a "nice" width of 1, 2, 2.5
  /// or 5 × 10ᵏ, the smallest giving at most `maxBins` bins over the pooled range (so about
  /// 10–20 bins), with edges at multiples of the width. The last edge lies above the maximum,
  /// so every value falls in some [edgeᵢ, edgeᵢ₊₁). Whole-number data (counts, years) get
  /// whole-number widths, so no bin falls between two integers and stays empty by construction.
  /// A constant covariate gets one bin of width 1 around its value; no finite value, no bins.
  static func histogramEdges(_ values: [Double], maxBins: Int = 20) -> [Double] {
    let finite = values.filter(\.isFinite)
    guard let lo = finite.min(), let hi = finite.max() else { return [] }
    guard hi > lo else { return [lo - 0.5, lo + 0.5] }
    // The width is mantissa × 10^exponent with an integer mantissa (2.5 is 25 × 10^(k−1)), so
    // each edge is an integer times it and prints as the decimal it is meant to be.
    let rough = (hi - lo) / Double(maxBins)
    var exponent = Int(log10(rough).rounded(.down))
    var mantissa = 10
    for (m, shift) in [(1, 0), (2, 0), (25, -1), (5, 0), (10, 0)] {
      if Double(m) * pow(10, Double(exponent + shift)) >= rough * (1 - 1e-12) {
        (mantissa, exponent) = (m, exponent + shift)
        break
      }
    }
    if exponent < 0 && finite.allSatisfy({ $0 == $0.rounded() }) {
      // Whole numbers: a whole-number width (2.5 becomes 3, 0.5 becomes 1).
      (mantissa, exponent) = (Int((Double(mantissa) / pow(10, Double(-exponent))).rounded(.up)), 0)
    }
    func edge(_ i: Int) -> Double {
      exponent >= 0 ? Double(i * mantissa) * pow(10, Double(exponent)) : Double(i * mantissa) / pow(10, Double(-exponent))
    }
    let width = edge(1)
    var first = Int((lo / width).rounded(.down))
    while edge(first) > lo { first -= 1 }  // rounding in the division
    var last = Int((hi / width).rounded(.down)) + 1
    while edge(last - 1) > hi { last -= 1 }
    while edge(last) <= hi { last += 1 }
    return (first...last).map(edge)
  }

  /// Shares of the finite values in each bin of `edges` (last bin closed on the right).
  static func proportions(_ values: [Double], edges: [Double]) -> [Double] {
    guard edges.count >= 2 else { return [] }
    var counts = [Int](repeating: 0, count: edges.count - 1)
    var known = 0
    for v in values where v.isFinite {
      known += 1
      // The last edge that is ≤ v, by binary search; v at the top edge goes in the last bin.
      var lo = 0
      var hi = edges.count - 1
      while hi - lo > 1 {
        let mid = (lo + hi) / 2
        if edges[mid] <= v { lo = mid } else { hi = mid }
      }
      if v >= edges[0] && v <= edges[edges.count - 1] { counts[lo] += 1 }
    }
    return counts.map { known > 0 ? Double($0) / Double(known) : 0 }
  }

  /// Shares of each level among the known codes (−1 = missing).
  static func proportions(_ codes: [Int32], levels: Int) -> [Double] {
    var counts = [Int](repeating: 0, count: levels)
    for c in codes where c >= 0 { counts[Int(c)] += 1 }
    let known = counts.reduce(0, +)
    return counts.map { known > 0 ? Double($0) / Double(known) : 0 }
  }

  static func missingShare(_ missing: [Bool]) -> Double {
    missing.isEmpty ? 0 : Double(missing.filter { $0 }.count) / Double(missing.count)
  }

  // MARK: - Correlations

  /// The columns as numbers (NaN = missing), leaving out nominal columns with > 2 levels.
  static func numericCodes(_ table: AuditTable) -> [(name: String, values: [Double])] {
    table.columns.compactMap { column in
      switch column.values {
      case .numeric(let v): return (column.name, v)
      case .categorical(let codes, let levels, let ordered):
        guard ordered || levels.count <= 2 else { return nil }
        return (column.name, codes.map { $0 < 0 ? .nan : Double($0) })
      }
    }
  }

  static func correlations(real: AuditTable, synthetic: AuditTable) -> Correlations {
    let r = numericCodes(real)
    let s = numericCodes(synthetic)
    func matrix(_ columns: [(name: String, values: [Double])]) -> [[Double?]] {
      columns.indices.map { i in
        columns.indices.map { j in i == j ? 1 : pearson(columns[i].values, columns[j].values) }
      }
    }
    return Correlations(names: r.map(\.name), real: matrix(r), synthetic: matrix(s))
  }

  /// Pearson's r over the pairs where both values are finite; nil with fewer than three pairs
  /// or a constant variable. Two passes (means, then centred sums) for accuracy.
  static func pearson(_ x: [Double], _ y: [Double]) -> Double? {
    let pairs = zip(x, y).filter { $0.0.isFinite && $0.1.isFinite }
    guard pairs.count >= 3 else { return nil }
    let n = Double(pairs.count)
    let mx = pairs.reduce(0) { $0 + $1.0 } / n
    let my = pairs.reduce(0) { $0 + $1.1 } / n
    var sxy = 0.0
    var sxx = 0.0
    var syy = 0.0
    for (a, b) in pairs {
      sxy += (a - mx) * (b - my)
      sxx += (a - mx) * (a - mx)
      syy += (b - my) * (b - my)
    }
    guard sxx > 0, syy > 0 else { return nil }
    return min(max(sxy / (sxx * syy).squareRoot(), -1), 1)
  }
}

extension AuditFigures.SurvivalCurve {
  /// The curve of `km`: (0, 1) first, then every time with an event, then the last follow-up
  /// time (so the final flat step is drawn to the end of follow-up).
  init(_ km: KaplanMeierEstimate) {
    var time = [0.0]
    var survival = [1.0]
    var lower: [Double?] = [1]
    var upper: [Double?] = [1]
    for i in km.times.indices where km.events[i] > 0 || i == km.times.count - 1 {
      time.append(km.times[i])
      survival.append(km.survival[i])
      lower.append(km.lower[i])
      upper.append(km.upper[i])
    }
    self.init(patients: km.subjectCount, events: km.eventCount, time: time, survival: survival, lower: lower, upper: upper)
  }

  /// At most about `maxSteps` steps: follow-up is cut into `maxSteps` equal intervals and each
  /// keeps only its last point, so the thinned curve equals the full one at every kept time and
  /// is off by less than one interval (0.5 % of follow-up) in time elsewhere. The first and last
  /// points are always kept.
  func thinned(maxSteps: Int) -> Self {
    guard time.count > maxSteps + 1, let end = time.last, end > 0 else { return self }
    let width = end / Double(maxSteps)
    var keep: [Int] = [0]
    for i in 1..<time.count {
      let bucket = min(Int(time[i] / width), maxSteps - 1)
      let next = i + 1 < time.count ? min(Int(time[i + 1] / width), maxSteps - 1) : -1
      if bucket != next { keep.append(i) }  // the last point of its interval
    }
    return Self(
      patients: patients, events: events, time: keep.map { time[$0] }, survival: keep.map { survival[$0] },
      lower: keep.map { lower[$0] }, upper: keep.map { upper[$0] })
  }
}
