// ColumnMetrics.swift — single-column fidelity and validity scores (Docs/Methods.md, audit).
//
// Each function follows the SDMetrics metric of the same name (source file cited per function)
// and returns nil where SDMetrics raises IncomputableMetricError or returns NaN, e.g. a column
// whose values are all missing in one table.

/// Single-column metrics with SDMetrics' names. Numeric columns use `NaN` for missing values,
/// categorical ones the code −1.
public enum ColumnMetrics {
  // MARK: - Shapes

  /// KSComplement = 1 − D, D = sup_x |F_R(x) − F_S(x)|, the two-sample Kolmogorov–Smirnov
  /// statistic of the non-missing values (SDMetrics `single_column/statistical/kscomplement.py`,
  /// which calls `scipy.stats.ks_2samp`). nil when either side has no value.
  public static func ksComplement(real: [Double], synthetic: [Double]) -> Double? {
    let r = real.filter { !$0.isNaN }.sorted()
    let s = synthetic.filter { !$0.isNaN }.sorted()
    guard !r.isEmpty, !s.isEmpty else { return nil }
    return 1 - ksStatistic(sortedA: r, sortedB: s)
  }

  /// D for two sorted samples: walk both in step and evaluate |F_a − F_b| after every distinct
  /// value, where both ECDFs have jumped past it (the supremum is attained at a data point).
  static func ksStatistic(sortedA a: [Double], sortedB b: [Double]) -> Double {
    let na = Double(a.count)
    let nb = Double(b.count)
    var i = 0
    var j = 0
    var d = 0.0
    while i < a.count || j < b.count {
      let x = j >= b.count || (i < a.count && a[i] <= b[j]) ? a[i] : b[j]
      while i < a.count && a[i] <= x { i += 1 }
      while j < b.count && b[j] <= x { j += 1 }
      d = Swift.max(d, abs(Double(i) / na - Double(j) / nb))
    }
    return d
  }

  /// TVComplement = 1 − ½ Σ_k |p_S(k) − p_R(k)| over the categories seen in R or S, missing
  /// values dropped (SDMetrics `tv_complement.py` with `utils.get_frequencies`). A category seen
  /// only in S counts with p_R = 0; SDMetrics adds 1e-6 to its real count instead, which moves
  /// the score by about 1e-6/n_R. nil when either side has no value.
  public static func tvComplement(real: [Int32], synthetic: [Int32], levelCount: Int) -> Double? {
    let (cr, nr) = counts(real, levelCount)
    let (cs, ns) = counts(synthetic, levelCount)
    guard nr > 0, ns > 0 else { return nil }
    var total = 0.0
    for k in 0..<levelCount { total += abs(Double(cs[k]) / Double(ns) - Double(cr[k]) / Double(nr)) }
    return 1 - total / 2
  }

  // MARK: - Coverage

  /// RangeCoverage = max(0, 1 − [max(0, (min_S − min_R)/range) + max(0, (max_R − max_S)/range)]),
  /// missing values dropped (SDMetrics `range_coverage.py`). nil when a side has no value or
  /// R's range is 0.
  public static func rangeCoverage(real: [Double], synthetic: [Double]) -> Double? {
    guard let (minR, maxR) = extremes(real), let (minS, maxS) = extremes(synthetic), maxR > minR
    else { return nil }
    let range = maxR - minR
    let below = Swift.max(0, (minS - minR) / range)
    let above = Swift.max(0, (maxR - maxS) / range)
    return Swift.max(0, 1 - (below + above))
  }

  /// CategoryCoverage = |cats_S ∩ cats_R| / |cats_R| over non-missing categories
  /// (SDMetrics `category_coverage.py`): low when S drops rare categories. nil when R has none.
  public static func categoryCoverage(real: [Int32], synthetic: [Int32], levelCount: Int) -> Double? {
    let (cr, _) = counts(real, levelCount)
    let (cs, _) = counts(synthetic, levelCount)
    let inReal = cr.filter { $0 > 0 }.count
    guard inReal > 0 else { return nil }
    let both = (0..<levelCount).filter { cr[$0] > 0 && cs[$0] > 0 }.count
    return Double(both) / Double(inReal)
  }

  /// MissingValueSimilarity = 1 − |miss_R − miss_S| with the missing fractions of each table
  /// (SDMetrics `missing_value_similarity.py`).
  public static func missingValueSimilarity(realMissingFraction r: Double, syntheticMissingFraction s: Double) -> Double {
    1 - abs(r - s)
  }

  // MARK: - Validity (diagnostic)

  /// BoundaryAdherence = share of non-missing S values inside [min_R, max_R]
  /// (SDMetrics `boundary_adherence.py`). nil when a side has no value.
  public static func boundaryAdherence(real: [Double], synthetic: [Double]) -> Double? {
    guard let (lo, hi) = extremes(real) else { return nil }
    let s = synthetic.filter { !$0.isNaN }
    guard !s.isEmpty else { return nil }
    return Double(s.filter { $0 >= lo && $0 <= hi }.count) / Double(s.count)
  }

  /// CategoryAdherence = share of S rows whose category occurs in R; a missing S value counts as
  /// valid when R has missing values too (SDMetrics `category_adherence.py`,
  /// `range_is_nullable`). The denominator is every S row. nil when S is empty.
  public static func categoryAdherence(real: [Int32], synthetic: [Int32], levelCount: Int) -> Double? {
    guard !synthetic.isEmpty else { return nil }
    let (cr, nr) = counts(real, levelCount)
    let realHasMissing = nr < real.count
    var valid = 0
    for c in synthetic {
      if c < 0 { valid += realHasMissing ? 1 : 0 } else if cr[Int(c)] > 0 { valid += 1 }
    }
    return Double(valid) / Double(synthetic.count)
  }

  // MARK: - Helpers

  /// Per-level counts and the number of non-missing codes.
  static func counts(_ codes: [Int32], _ levelCount: Int) -> ([Int], Int) {
    var c = [Int](repeating: 0, count: levelCount)
    var n = 0
    for code in codes where code >= 0 {
      c[Int(code)] += 1
      n += 1
    }
    return (c, n)
  }

  /// (min, max) of the non-missing values; nil when there are none.
  static func extremes(_ values: [Double]) -> (Double, Double)? {
    var lo = Double.infinity
    var hi = -Double.infinity
    for v in values where !v.isNaN {
      lo = Swift.min(lo, v)
      hi = Swift.max(hi, v)
    }
    return lo <= hi ? (lo, hi) : nil
  }

  /// The fraction of missing values (0 for an empty column).
  static func missingFraction(_ values: AuditColumnValues) -> Double {
    let n = values.count
    guard n > 0 else { return 0 }
    switch values {
    case .numeric(let v): return Double(v.filter { $0.isNaN }.count) / Double(n)
    case .categorical(let c, _, _): return Double(c.filter { $0 < 0 }.count) / Double(n)
    }
  }
}
