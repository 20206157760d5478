// ColumnPairMetrics.swift — two-column fidelity scores (Docs/Methods.md, audit, "Column Pair Trends").

/// Ten equal-width bins with edges from the real data and outer edges at ±∞, as SDMetrics'
/// `utils.discretize_column`: `np.histogram_bin_edges(real.dropna(), bins=10)` with the first and
/// last edge replaced by −∞ and +∞, then `np.digitize` (bins closed on the left). A missing
/// value gets its own code, `binCount`, as `np.digitize` puts NaN past the last edge.
///
/// The edges are computed as numpy does (`linspace`: start + k·step, step = (max − min)/10; a
/// constant column is widened to [v − 0.5, v + 0.5]), so bin membership of values that sit
/// exactly on an edge matches numpy's.
struct EqualWidthBins: Sendable {
  static let binCount = 10
  /// The nine interior edges, ascending.
  let interior: [Double]

  /// Bins from the non-missing real values; every value falls in bin 0 when there are none.
  init(real: [Double]) {
    guard var (lo, hi) = ColumnMetrics.extremes(real) else {
      interior = []
      return
    }
    if lo == hi {
      lo -= 0.5
      hi += 0.5
    }
    let step = (hi - lo) / Double(Self.binCount)
    interior = (1..<Self.binCount).map { Double($0) * step + lo }
  }

  /// 0…9 for a value, 10 for a missing one.
  func code(_ x: Double) -> Int32 {
    if x.isNaN { return Int32(Self.binCount) }
    var k: Int32 = 0
    for e in interior where e <= x { k += 1 }
    return k
  }

  func codes(_ values: [Double]) -> [Int32] { values.map(code) }
}

/// Two-column metrics with SDMetrics' names.
public enum ColumnPairMetrics {
  /// Pearson's correlation over the rows where both values are present; nil with fewer than two
  /// such rows or a constant column (pandas returns NaN there).
  public static func pearson(_ x: [Double], _ y: [Double]) -> Double? {
    precondition(x.count == y.count, "pearson: \(x.count) != \(y.count) values")
    var n = 0.0
    var mx = 0.0
    var my = 0.0
    for i in x.indices where !x[i].isNaN && !y[i].isNaN {
      n += 1
      mx += x[i]
      my += y[i]
    }
    guard n >= 2 else { return nil }
    mx /= n
    my /= n
    var sxy = 0.0
    var sxx = 0.0
    var syy = 0.0
    for i in x.indices where !x[i].isNaN && !y[i].isNaN {
      let dx = x[i] - mx
      let dy = y[i] - my
      sxy += dx * dy
      sxx += dx * dx
      syy += dy * dy
    }
    guard sxx > 0, syy > 0 else { return nil }
    return Swift.max(-1, Swift.min(1, sxy / (sxx * syy).squareRoot()))
  }

  /// CorrelationSimilarity = 1 − |ρ_R − ρ_S| / 2 with Pearson's ρ, each table using its own
  /// complete pairs (SDMetrics `column_pairs/statistical/correlation_similarity.py`).
  /// Returns the score and both correlations; the score is nil when either ρ is.
  public static func correlationSimilarity(
    realX: [Double], realY: [Double], syntheticX: [Double], syntheticY: [Double]
  ) -> (score: Double?, real: Double?, synthetic: Double?) {
    let r = pearson(realX, realY)
    let s = pearson(syntheticX, syntheticY)
    guard let r, let s else { return (nil, r, s) }
    return (1 - abs(r - s) / 2, r, s)
  }

  /// ContingencySimilarity = 1 − ½ Σ_{a,b} |P_R(a,b) − P_S(a,b)| for two discrete codings
  /// (codes 0..<ka, 0..<kb; missing values already given their own code), with proportions over
  /// all rows of each table, as SDMetrics' `groupby(dropna=False).size() / len(data)`
  /// (`contingency_similarity.py`). nil when a table is empty.
  public static func contingencySimilarity(
    realA: [Int32], realB: [Int32], syntheticA: [Int32], syntheticB: [Int32], ka: Int, kb: Int
  ) -> Double? {
    guard !realA.isEmpty, !syntheticA.isEmpty else { return nil }
    let pr = jointCounts(realA, realB, kb: kb, cells: ka * kb)
    let ps = jointCounts(syntheticA, syntheticB, kb: kb, cells: ka * kb)
    let nr = Double(realA.count)
    let ns = Double(syntheticA.count)
    var total = 0.0
    for c in 0..<(ka * kb) { total += abs(Double(pr[c]) / nr - Double(ps[c]) / ns) }
    return 1 - total / 2
  }

  /// Cramér's V = √(χ² / (n (min(r, c) − 1))) of the contingency table of two codings, with
  /// Pearson's χ² without continuity correction over the rows and columns that occur, as
  /// `scipy.stats.contingency.association(method="cramer")` on SDMetrics' `unstack`ed counts.
  /// nil when fewer than two rows or columns occur.
  public static func cramersV(_ a: [Int32], _ b: [Int32], ka: Int, kb: Int) -> Double? {
    let cells = jointCounts(a, b, kb: kb, cells: ka * kb)
    var rowSum = [Int](repeating: 0, count: ka)
    var colSum = [Int](repeating: 0, count: kb)
    for i in 0..<ka {
      for j in 0..<kb {
        rowSum[i] += cells[i * kb + j]
        colSum[j] += cells[i * kb + j]
      }
    }
    let rows = rowSum.filter { $0 > 0 }.count
    let cols = colSum.filter { $0 > 0 }.count
    guard rows >= 2, cols >= 2 else { return nil }
    let n = Double(a.count)
    var chi2 = 0.0
    for i in 0..<ka where rowSum[i] > 0 {
      for j in 0..<kb where colSum[j] > 0 {
        let expected = Double(rowSum[i]) * Double(colSum[j]) / n
        let d = Double(cells[i * kb + j]) - expected
        chi2 += d * d / expected
      }
    }
    return (chi2 / (n * Double(Swift.min(rows, cols) - 1))).squareRoot()
  }

  static func jointCounts(_ a: [Int32], _ b: [Int32], kb: Int, cells: Int) -> [Int] {
    precondition(a.count == b.count, "joint counts: \(a.count) != \(b.count) codes")
    var counts = [Int](repeating: 0, count: cells)
    for i in a.indices { counts[Int(a[i]) * kb + Int(b[i])] += 1 }
    return counts
  }
}
