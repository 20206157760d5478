// KernelBandwidth.swift — the Gaussian-kernel bandwidth of CART smoothing.
//
// synthpop's `syn.smooth(smoothing = "density")` adds N(0, bw²) noise to each synthetic value,
// with bw = `density(ysyn, width = "SJ")$bw`: R's `bw.SJ(method = "ste")`, the Sheather & Jones
// (1991) solve-the-equation plug-in bandwidth. This file follows R's stats::bw.SJ and its C
// helpers bw_den, bw_phi4, bw_phi6 (src/library/stats/src/bandwidths.c): pairwise distances are
// counted in nb = 1,000 bins of width 1.01·range/nb (a pair's bin is the difference of the two
// values' bin numbers floor(x/d)), so each evaluation of the functionals costs O(nb) rather than
// O(n²). R solves the equation with uniroot(tol = 0.1·lower); SynthArm solves it to 1e-10, so R
// called with `tol = 1e-10` is the reference (Tests/SynthesisTests/KernelBandwidthTests.swift).
//
// When the equation has no solution (too few distinct values: R stops with "sample is too
// sparse"), Silverman's rule bw.nrd0 = 0.9·min(sd, IQR/1.34)·n^(−1/5) is used and the rule is
// recorded, so the generation report names it.

import Foundation
import GSL

enum KernelBandwidth {
  enum Rule: String, Sendable, Codable {
    case sheatherJones = "Sheather–Jones"
    case silverman = "Silverman (Sheather–Jones had no solution)"
  }

  /// The bandwidth for `values` (finite, at least 2), and the rule that gave it; nil when the
  /// values have no spread at all.
  static func select(_ values: [Double]) -> (bandwidth: Double, rule: Rule)? {
    guard values.count >= 2 else { return nil }
    if let h = sheatherJones(values), h.isFinite, h > 0 { return (h, .sheatherJones) }
    if let h = silverman(values), h > 0 { return (h, .silverman) }
    return nil
  }

  /// R's `bw.nrd0`: 0.9 · min(sd, IQR/1.34) · n^(−1/5), with R's fallbacks for a zero spread.
  static func silverman(_ x: [Double]) -> Double? {
    let n = Double(x.count)
    let sorted = x.sorted()
    let sd = standardDeviation(x)
    var lo = min(sd, iqr(sorted) / 1.34)
    if lo <= 0 { lo = sd > 0 ? sd : abs(sorted[0]) > 0 ? abs(sorted[0]) : 1 }
    return 0.9 * lo * pow(n, -0.2)
  }

  /// R's `bw.SJ(x, method = "ste")` solved to 1e-10; nil where R stops with an error.
  static func sheatherJones(_ x: [Double], bins nb: Int = 1_000) -> Double? {
    let n = x.count
    guard let lo = x.min(), let hi = x.max(), hi > lo else { return nil }
    let d = (hi - lo) * 1.01 / Double(nb)
    var counts = [Double](repeating: 0, count: nb)
    let bin = x.map { Int(($0 / d).rounded(.towardZero)) }
    for i in 1..<n {
      for j in 0..<i { counts[min(abs(bin[i] - bin[j]), nb - 1)] += 1 }
    }
    let nn = Double(n)
    let root2pi = (2 * Double.pi).squareRoot()
    func phi4(_ h: Double) -> Double {
      var sum = 0.0
      for (i, c) in counts.enumerated() {
        var delta = Double(i) * d / h
        delta *= delta
        if delta >= 1_000 { break }
        sum += exp(-delta / 2) * (delta * delta - 6 * delta + 3) * c
      }
      sum = 2 * sum + nn * 3
      return sum / (nn * (nn - 1) * pow(h, 5) * root2pi)
    }
    func phi6(_ h: Double) -> Double {
      var sum = 0.0
      for (i, c) in counts.enumerated() {
        var delta = Double(i) * d / h
        delta *= delta
        if delta >= 1_000 { break }
        sum += exp(-delta / 2) * (delta * delta * delta - 15 * delta * delta + 45 * delta - 15) * c
      }
      sum = 2 * sum - 15 * nn
      return sum / (nn * (nn - 1) * pow(h, 7) * root2pi)
    }
    let scale = min(standardDeviation(x), iqr(x.sorted()) / 1.349)
    guard scale > 0 else { return nil }
    let a = 1.24 * scale * pow(nn, -1.0 / 7)
    let b = 1.23 * scale * pow(nn, -1.0 / 9)
    let c1 = 1 / (2 * Double.pi.squareRoot() * nn)
    let td = -phi6(b)
    guard td.isFinite, td > 0 else { return nil }
    let alpha2 = 1.357 * pow(phi4(a) / td, 1.0 / 7)
    guard alpha2.isFinite else { return nil }
    func f(_ h: Double) -> Double { pow(c1 / phi4(alpha2 * pow(h, 5.0 / 7)), 0.2) - h }
    let hmax = 1.144 * scale * pow(nn, -0.2)
    var lower = 0.1 * hmax
    var upper = hmax
    var attempt = 1
    while f(lower) * f(upper) > 0 {  // R widens the bracket the same way, at most 99 times
      guard attempt <= 99 else { return nil }
      if attempt % 2 == 1 { upper *= 1.2 } else { lower /= 1.2 }
      attempt += 1
    }
    return try? RootFinder.brent(lower: lower, upper: upper, absoluteTolerance: 1e-10, relativeTolerance: 0, f)
  }

  /// R's `sd`: the n − 1 denominator.
  static func standardDeviation(_ x: [Double]) -> Double {
    let n = Double(x.count)
    let mean = x.reduce(0, +) / n
    return (x.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1)).squareRoot()
  }

  /// R's `IQR` (type-7 quantiles) of sorted values.
  static func iqr(_ sorted: [Double]) -> Double {
    func q(_ p: Double) -> Double {
      let h = p * Double(sorted.count - 1)
      let i = Int(h)
      return i + 1 < sorted.count ? sorted[i] + (h - Double(i)) * (sorted[i + 1] - sorted[i]) : sorted[i]
    }
    return q(0.75) - q(0.25)
  }
}
