// Marginal.swift — one variable's distribution, and its map to and from the latent normal.
//
// Gaussian copula (SDV's GaussianCopulaSynthesizer; Nelsen 2006, ch. 2): each variable X_j is
// represented by a standard normal Z_j with X_j = F_j⁻¹(Φ(Z_j)).
// - Continuous variables use their empirical distribution: F⁻¹(u) interpolates linearly between
//   the order statistics at position u·(n − 1), so generated values stay inside the observed
//   range. Normal scores for fitting are Φ⁻¹(rank/(n + 1)) with average ranks for ties.
// - Discrete variables (count, binary, categorical, ordinal) use frequency intervals: category k
//   occupies (c_{k−1}, c_k] on the uniform scale, c_k the cumulative frequency (in the variable's
//   natural order: codes ascending, ordinal order). The normal score of category k is
//   E[Z | Φ⁻¹(c_{k−1}) < Z ≤ Φ⁻¹(c_k)] = (φ(a) − φ(b)) / (Φ(b) − Φ(a)).

import Foundation
import GSL
import SurvivalAnalysis

enum Marginal: Sendable {
  /// Sorted observed values.
  case continuous(sorted: [Double])
  /// Category values (numbers, or label positions) in order, with the upper edge of each
  /// category's interval on the uniform scale (the last is 1).
  case discrete(values: [Double], cumulative: [Double])

  /// Fits the marginal of the observed (non-missing) values.
  static func fit(_ observed: [Double], discrete: Bool) -> Marginal {
    // In place, without the standard library's scratch buffer (every bootstrap refit sorts each
    // variable): equal values are indistinguishable, so the result is `observed.sorted()`.
    var sorted = observed
    sorted.withUnsafeMutableBufferPointer { SortedOrder.sortValues($0) }
    guard discrete else { return .continuous(sorted: sorted) }
    var values: [Double] = []
    var counts: [Double] = []
    for v in sorted {
      if values.last == v {
        counts[counts.count - 1] += 1
      } else {
        values.append(v)
        counts.append(1)
      }
    }
    var running = 0.0
    let cumulative = counts.map { c -> Double in
      running += c
      return running / Double(sorted.count)
    }
    return .discrete(values: values, cumulative: Array(cumulative.dropLast()) + [1])
  }

  /// Normal scores of `values` (NaN stays NaN), for estimating the latent correlation.
  func normalScores(_ values: [Double]) -> [Double] {
    switch self {
    case .continuous:
      // Observed positions by value (ties get one average rank, so their order does not matter).
      let present = values.indices.filter { !values[$0].isNaN }
      let keys = present.map { values[$0] }
      var order = [Int](repeating: 0, count: present.count)
      keys.withUnsafeBufferPointer { k in order.withUnsafeMutableBufferPointer { SortedOrder.sortIndices(k, into: $0) } }
      let observed = order.map { present[$0] }
      var scores = [Double](repeating: .nan, count: values.count)
      var i = 0
      let n = Double(observed.count)
      while i < observed.count {
        var j = i
        while j + 1 < observed.count && values[observed[j + 1]] == values[observed[i]] { j += 1 }
        let averageRank = Double(i + j) / 2 + 1
        for k in i...j { scores[observed[k]] = StandardNormal.quantile(averageRank / (n + 1)) }
        i = j + 1
      }
      return scores
    case .discrete(let categories, let cumulative):
      let means = cumulative.indices.map { k -> Double in
        let lo = k == 0 ? 0 : cumulative[k - 1]
        let hi = cumulative[k]
        let a = lo == 0 ? -Double.infinity : StandardNormal.quantile(lo)
        let b = hi >= 1 ? Double.infinity : StandardNormal.quantile(hi)
        let mass = hi - lo
        return mass > 0 ? (density(a) - density(b)) / mass : 0
      }
      return values.map { v in v.isNaN ? .nan : categories.firstIndex(of: v).map { means[$0] } ?? .nan }
    }
  }

  /// The value whose latent normal is `z`.
  func value(latent z: Double) -> Double {
    let u = StandardNormal.cdf(z)
    switch self {
    case .continuous(let sorted):
      let h = u * Double(sorted.count - 1)
      let i = min(Int(h), sorted.count - 1)
      let f = h - Double(i)
      return i + 1 < sorted.count ? sorted[i] + f * (sorted[i + 1] - sorted[i]) : sorted[i]
    case .discrete(let values, let cumulative):
      var lo = 0
      var hi = cumulative.count - 1  // first k with u <= cumulative[k]
      while lo < hi {
        let mid = (lo + hi) / 2
        if u <= cumulative[mid] { hi = mid } else { lo = mid + 1 }
      }
      return values[lo]
    }
  }

  /// The latent interval of the values allowed by a rule: for a discrete marginal, the
  /// categories passing `allows` must be contiguous in order (else nil); for a continuous one,
  /// the values within [low, high].
  func latentInterval(allows: (Double) -> Bool, low: Double, high: Double) -> (Double, Double)? {
    switch self {
    case .discrete(let values, let cumulative):
      let allowed = values.indices.filter { allows(values[$0]) }
      guard let first = allowed.first, let last = allowed.last, last - first + 1 == allowed.count else { return nil }
      let lo = first == 0 ? 0 : cumulative[first - 1]
      let hi = cumulative[last]
      return (lo <= 0 ? -.infinity : StandardNormal.quantile(lo), hi >= 1 ? .infinity : StandardNormal.quantile(hi))
    case .continuous(let sorted):
      let n = sorted.count
      guard n > 1, low <= sorted[n - 1], high >= sorted[0] else { return nil }
      // Q(h) interpolates sorted at h ∈ [0, n−1]; invert at low and high.
      func position(_ x: Double) -> Double {
        if x <= sorted[0] { return 0 }
        if x >= sorted[n - 1] { return Double(n - 1) }
        var lo = 0
        var hi = n - 1  // last i with sorted[i] <= x
        while lo < hi {
          let mid = (lo + hi + 1) / 2
          if sorted[mid] <= x { lo = mid } else { hi = mid - 1 }
        }
        let gap = sorted[lo + 1] - sorted[lo]
        return Double(lo) + (gap > 0 ? (x - sorted[lo]) / gap : 0)
      }
      let uLow = position(low) / Double(n - 1)
      let uHigh = position(high) / Double(n - 1)
      guard uLow < uHigh else { return nil }
      return (uLow <= 0 ? -.infinity : StandardNormal.quantile(uLow), uHigh >= 1 ? .infinity : StandardNormal.quantile(uHigh))
    }
  }
}

@inline(__always) func density(_ z: Double) -> Double {
  z.isInfinite ? 0 : exp(-z * z / 2) / (2 * Double.pi).squareRoot()
}
