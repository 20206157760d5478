// CopulaDecoder.swift — the copula's latent normals to values, without Φ for discrete marginals.
//
// A discrete marginal maps z to the first category k with Φ(z) ≤ c_k (Marginal.value). Φ is the
// costliest step of generating a patient, and for a discrete marginal it is not needed: with
// t_k = Φ⁻¹(c_k), Φ(z) ≤ c_k exactly when z ≤ t_k. In floating point the two tests can disagree
// only for z within rounding of t_k, so the decoder compares z with t_k and computes Φ(z) — the
// original test — only when |z − t_k| ≤ δ = 1e-6. Each threshold is checked when the decoder is
// built: Φ(t_k − δ) ≤ c_k < Φ(t_k + δ) (GSL's Φ is monotone), so outside the δ band the comparison
// gives the category the original test gives, bit for bit; a threshold that fails the check (or
// an infinite one) keeps the Φ path for its marginal. Continuous marginals interpolate between
// order statistics at Φ(z) and keep Φ.
//
// Everything lives in flat arrays read through one buffer pointer, so decoding a patient makes
// no copies and no reference-count traffic (the `Marginal` enum's arrays cost a retain and a
// release per call).

import GSL

struct CopulaDecoder: Sendable {
  /// Per latent dimension: where its data start in `table`, how many entries, and whether it is
  /// continuous (order statistics), discrete with checked thresholds, or discrete via Φ.
  private enum Kind: UInt8, Sendable {
    case continuous
    case thresholds
    case cumulative
  }
  private let kinds: [Kind]
  private let starts: [Int]
  private let counts: [Int]
  /// Continuous: the sorted values. Discrete: K values, then K cumulative frequencies, then K − 1
  /// latent thresholds (only for `.thresholds`).
  private let table: [Double]
  static let band = 1e-6

  init(marginals: [Marginal]) {
    var kinds: [Kind] = []
    var starts: [Int] = []
    var counts: [Int] = []
    var table: [Double] = []
    for marginal in marginals {
      starts.append(table.count)
      switch marginal {
      case .continuous(let sorted):
        kinds.append(.continuous)
        counts.append(sorted.count)
        table += sorted
      case .discrete(let values, let cumulative):
        counts.append(values.count)
        table += values
        table += cumulative
        let thresholds = cumulative.dropLast().map { StandardNormal.quantile($0) }
        let checked = zip(thresholds, cumulative).allSatisfy { t, c in
          t.isFinite && StandardNormal.cdf(t - Self.band) <= c && StandardNormal.cdf(t + Self.band) > c
        }
        kinds.append(checked ? .thresholds : .cumulative)
        if checked { table += thresholds }
      }
    }
    self.kinds = kinds
    self.starts = starts
    self.counts = counts
    self.table = table
  }

  /// The value of latent dimension `a` at `z`: the same double as `Marginal.value(latent:)`.
  @inline(__always)
  func value(_ a: Int, latent z: Double) -> Double {
    table.withUnsafeBufferPointer { t in
      let start = starts[a]
      let k = counts[a]
      switch kinds[a] {
      case .continuous:
        let u = StandardNormal.cdf(z)
        let h = u * Double(k - 1)
        let i = min(Int(h), k - 1)
        let f = h - Double(i)
        return i + 1 < k ? t[start + i] + f * (t[start + i + 1] - t[start + i]) : t[start + i]
      case .thresholds:
        // Away from every edge (|z − t_c| > δ for all c), the category is the number of
        // thresholds below z: a count without branches, cheaper than a bisection whose every
        // step is a coin flip for the branch predictor. Near an edge, the original test.
        let thresholds = start + 2 * k
        var below = 0
        var nearEdge = 0
        for c in 0..<(k - 1) {
          let d = z - t[thresholds + c]
          below &+= d > 0 ? 1 : 0
          nearEdge |= abs(d) <= Self.band ? 1 : 0
        }
        if nearEdge == 0 { return t[start + below] }
        return Self.category(u: StandardNormal.cdf(z), t, start: start, count: k)
      case .cumulative:
        return Self.category(u: StandardNormal.cdf(z), t, start: start, count: k)
      }
    }
  }

  /// The value of the first category c with u ≤ c_c (`Marginal.value(latent:)`'s test).
  private static func category(u: Double, _ t: UnsafeBufferPointer<Double>, start: Int, count k: Int) -> Double {
    var lo = 0
    var hi = k - 1
    while lo < hi {
      let mid = (lo + hi) / 2
      if u <= t[start + k + mid] { hi = mid } else { lo = mid + 1 }
    }
    return t[start + lo]
  }
}
