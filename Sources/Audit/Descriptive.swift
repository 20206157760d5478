// Descriptive.swift — quantiles and summaries of per-row values (DCR, NNDR, Hamming, bootstrap).

/// Summary of a list of per-row values, e.g. the distance of every synthetic row to its closest
/// real row. Quantiles use numpy's default rule (linear interpolation between order statistics,
/// R type 7), so numbers can be compared with `np.quantile` / `np.median` directly.
public struct ValueSummary: Codable, Sendable, Hashable {
  public var count: Int
  public var minimum: Double
  public var percentile5: Double
  public var median: Double
  public var mean: Double
  public var percentile95: Double
  public var maximum: Double

  /// Summarises `values`; nil when empty or when any value is NaN.
  public init?(_ values: [Double]) {
    guard !values.isEmpty, !values.contains(where: { $0.isNaN }) else { return nil }
    let sorted = values.sorted()
    count = sorted.count
    minimum = sorted[0]
    maximum = sorted[sorted.count - 1]
    percentile5 = Quantiles.linear(sorted: sorted, 0.05)
    median = Quantiles.linear(sorted: sorted, 0.5)
    percentile95 = Quantiles.linear(sorted: sorted, 0.95)
    mean = sorted.reduce(0, +) / Double(sorted.count)
  }
}

enum Quantiles {
  /// numpy's default (`method="linear"`): h = (n − 1)p, x[⌊h⌋] + (h − ⌊h⌋)(x[⌊h⌋+1] − x[⌊h⌋]).
  static func linear(sorted x: [Double], _ p: Double) -> Double {
    precondition(!x.isEmpty, "quantile of an empty list")
    let h = Double(x.count - 1) * p
    let lo = Int(h.rounded(.down))
    let hi = Swift.min(lo + 1, x.count - 1)
    return x[lo] + (h - Double(lo)) * (x[hi] - x[lo])
  }

  /// The median (the mean of the two middle values for an even count), nil when empty.
  static func median(_ values: [Double]) -> Double? {
    values.isEmpty ? nil : linear(sorted: values.sorted(), 0.5)
  }
}

/// Mean of the values that are not nil (numpy's `nanmean` over defined scores); nil if none.
func meanOfDefined(_ values: [Double?]) -> Double? {
  let defined = values.compactMap { $0 }
  return defined.isEmpty ? nil : defined.reduce(0, +) / Double(defined.count)
}
