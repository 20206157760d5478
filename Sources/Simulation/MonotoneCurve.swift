// MonotoneCurve.swift — a monotone curve through Monte Carlo rates, and where it crosses a level.
//
// Simulated power at candidate real-control counts is noisy; common random numbers make it
// nearly monotone, and the isotonic (pool-adjacent-violators) fit makes it exactly so (Barlow et
// al. 1972; equal weights, as every point has the same number of replicates). Between candidate
// counts the curve is the monotone piecewise-cubic Hermite interpolant of Fritsch & Carlson
// (1980), which never overshoots its data, so a level crossed between two points is crossed
// once, and GSL's Brent solver finds it.

import GSL

/// A non-decreasing or non-increasing curve through (x, y) points with increasing x.
public struct MonotoneCurve: Sendable {
  public let x: [Double]
  /// The isotonic fit of the rates: the curve passes through (x[k], fitted[k]).
  public let fitted: [Double]
  public let increasing: Bool
  private let slopes: [Double]

  public init(x: [Double], y: [Double], increasing: Bool) {
    precondition(x.count == y.count && !x.isEmpty, "a curve needs as many rates as counts, and at least one")
    self.x = x
    self.increasing = increasing
    let fitted = increasing ? Self.isotonic(y) : Self.isotonic(y.map { -$0 }).map { -$0 }
    self.fitted = fitted
    slopes = Self.fritschCarlsonSlopes(x: x, y: fitted)
  }

  /// Pool adjacent violators: the non-decreasing sequence closest to `y` in least squares.
  static func isotonic(_ y: [Double]) -> [Double] {
    var blocks: [(sum: Double, count: Int)] = []
    for value in y {
      blocks.append((value, 1))
      while blocks.count > 1 {
        let last = blocks[blocks.count - 1]
        let previous = blocks[blocks.count - 2]
        guard previous.sum / Double(previous.count) > last.sum / Double(last.count) else { break }
        blocks.removeLast(2)
        blocks.append((previous.sum + last.sum, previous.count + last.count))
      }
    }
    return blocks.flatMap { [Double](repeating: $0.sum / Double($0.count), count: $0.count) }
  }

  /// Tangents of the monotone cubic Hermite interpolant (Fritsch & Carlson 1980, with the
  /// harmonic-mean slopes of Fritsch & Butland 1984 at interior points).
  static func fritschCarlsonSlopes(x: [Double], y: [Double]) -> [Double] {
    let n = x.count
    guard n > 1 else { return [0] }
    var secants = [Double](repeating: 0, count: n - 1)
    for k in 0..<(n - 1) { secants[k] = (y[k + 1] - y[k]) / (x[k + 1] - x[k]) }
    var m = [Double](repeating: 0, count: n)
    m[0] = secants[0]
    m[n - 1] = secants[n - 2]
    for k in 1..<(n - 1) where secants[k - 1] * secants[k] > 0 {
      m[k] = 2 / (1 / secants[k - 1] + 1 / secants[k])
    }
    // Fritsch–Carlson: flat on a flat segment; tangents scaled into the monotone region α² + β² ≤ 9.
    for k in 0..<(n - 1) {
      let secant: Double = secants[k]
      if secant == 0 {
        m[k] = 0
        m[k + 1] = 0
        continue
      }
      let a: Double = m[k] / secant
      let b: Double = m[k + 1] / secant
      let radius: Double = (a * a + b * b).squareRoot()
      if radius > 3 {
        m[k] = 3 / radius * a * secant
        m[k + 1] = 3 / radius * b * secant
      }
    }
    return m
  }

  /// The curve at `t` (constant beyond the ends).
  public func value(at t: Double) -> Double {
    if t <= x[0] { return fitted[0] }
    if t >= x[x.count - 1] { return fitted[fitted.count - 1] }
    var k = 0
    while x[k + 1] < t { k += 1 }
    let h = x[k + 1] - x[k]
    let s = (t - x[k]) / h
    let h00 = (1 + 2 * s) * (1 - s) * (1 - s)
    let h10 = s * (1 - s) * (1 - s)
    let h01 = s * s * (3 - 2 * s)
    let h11 = s * s * (s - 1)
    return h00 * fitted[k] + h10 * h * slopes[k] + h01 * fitted[k + 1] + h11 * h * slopes[k + 1]
  }

  /// Where the curve first reaches `level` — for an increasing curve the smallest x with
  /// value ≥ level, for a decreasing one the smallest x with value ≤ level.
  public enum Crossing: Equatable, Sendable {
    /// Already there at the first point.
    case atOrBelowFirst
    case at(Double)
    /// Not reached within the points.
    case beyondLast
  }

  public func crossing(_ level: Double) -> Crossing {
    func reached(_ v: Double) -> Bool { increasing ? v >= level : v <= level }
    if reached(fitted[0]) { return .atOrBelowFirst }
    guard let k = fitted.firstIndex(where: reached) else { return .beyondLast }
    if fitted[k] == level { return .at(x[k]) }
    // f changes sign on [x[k−1], x[k]]: the interpolant is monotone there and passes through both ends.
    let f = { (t: Double) in value(at: t) - level }
    if let root = try? RootFinder.brent(lower: x[k - 1], upper: x[k], absoluteTolerance: 1e-9, relativeTolerance: 1e-12, f) {
      return .at(root)
    }
    // Brent cannot fail on a bracketed sign change except by its iteration limit: bisection then
    // finishes the job (never a grid point in place of the crossing).
    var (a, b) = (x[k - 1], x[k])
    while b - a > 1e-9 * max(1, abs(b)) {
      let mid = 0.5 * (a + b)
      if (f(mid) < 0) == (f(a) < 0) { a = mid } else { b = mid }
    }
    return .at(0.5 * (a + b))
  }
}
