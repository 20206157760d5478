// Scale.swift — linear maps from data to pixels, and "nice" ticks at 1, 2 or 5 × 10ᵏ.
//
// The step rule is the one R's pretty() and d3's ticks() share in spirit: divide the span by
// the requested number of intervals and round the quotient *up* to 1, 2, 5 or 10 × 10ᵏ, so the
// step never makes intervals finer than asked (covering a domain that does not start or end on a
// multiple can add one interval at each end). Tick values are built as an integer times
// the step and divided by a power of ten when k < 0 (3 × 2 / 10 = 0.6 exactly, whereas
// 3 × 0.2 = 0.6000000000000001), so labels and tests can compare them with decimal literals.

import Foundation

/// A step of m × 10ᵉ with m ∈ {1, 2, 5}, kept as integers so that multiples are exact decimals.
struct NiceStep: Hashable {
  var mantissa: Int
  var exponent: Int

  /// The smallest 1-2-5 step that divides `span` into at most `count` intervals.
  init(span: Double, count: Int) {
    precondition(span > 0 && span.isFinite, "NiceStep span \(span) must be positive and finite")
    let rough = span / Double(max(count, 1))
    var exponent = Int(log10(rough).rounded(.down))
    let fraction = rough / power10(exponent)
    // fraction is in [1, 10) up to rounding; compare with a little slack so that a span of
    // exactly 1 over 5 intervals gives 0.2, not 0.5.
    let mantissa: Int
    switch fraction {
    case ...(1 + 1e-9): mantissa = 1
    case ...(2 + 1e-9): mantissa = 2
    case ...(5 + 1e-9): mantissa = 5
    default:
      mantissa = 1
      exponent += 1
    }
    self.mantissa = mantissa
    self.exponent = exponent
  }

  var value: Double { multiple(1) }

  /// `i` × step, as the nearest double to the exact decimal.
  func multiple(_ i: Int) -> Double {
    let numerator = Double(i) * Double(mantissa)
    return exponent >= 0 ? numerator * power10(exponent) : numerator / power10(-exponent)
  }

  /// Digits after the point needed to print every multiple exactly.
  var decimals: Int { max(0, -exponent) }

  /// The integer range of multiples that covers `lower...upper`. Quotients within 1e-9 of an
  /// integer are snapped to it, so 0.6 / 0.2 = 2.9999999999999996 counts as 3.
  func multiplesCovering(_ lower: Double, _ upper: Double) -> ClosedRange<Int> {
    func snapped(_ q: Double, _ rule: FloatingPointRoundingRule) -> Int {
      let nearest = q.rounded()
      return Int(abs(q - nearest) < 1e-9 ? nearest : q.rounded(rule))
    }
    let first = snapped(lower / value, .down)
    let last = snapped(upper / value, .up)
    return first...max(first, last)
  }
}

/// 10ᵏ; exact for |k| ≤ 22.
func power10(_ k: Int) -> Double {
  var result = 1.0
  for _ in 0..<abs(k) { result *= 10 }
  return k >= 0 ? result : 1 / result
}

/// A linear map from a data interval (the domain) onto a pixel interval (the range).
///
/// The range may run backwards: a y axis maps the domain's lower bound to the *bottom* of the
/// plot area, which has the larger pixel coordinate because SVG's y axis points down.
/// ```swift
/// let y = LinearScale(domain: 0...1, rangeStart: 340, rangeEnd: 40)
/// y(0.8)         // 100
/// y.invert(100)  // 0.8
/// ```
public struct LinearScale: Sendable, Hashable {
  /// The data interval; both bounds are finite.
  public var domain: ClosedRange<Double>
  /// The pixel coordinate of `domain.lowerBound`.
  public var rangeStart: Double
  /// The pixel coordinate of `domain.upperBound`.
  public var rangeEnd: Double

  /// Creates a scale mapping `domain.lowerBound` to `rangeStart` and `domain.upperBound` to
  /// `rangeEnd`.
  public init(domain: ClosedRange<Double>, rangeStart: Double, rangeEnd: Double) {
    precondition(
      domain.lowerBound.isFinite && domain.upperBound.isFinite,
      "LinearScale domain \(domain) must be finite")
    self.domain = domain
    self.rangeStart = rangeStart
    self.rangeEnd = rangeEnd
  }

  /// The pixel position of `value`. Values outside the domain extrapolate linearly. A
  /// zero-width domain maps everything to the middle of the range.
  public func callAsFunction(_ value: Double) -> Double {
    let span = domain.upperBound - domain.lowerBound
    guard span > 0 else { return (rangeStart + rangeEnd) / 2 }
    return rangeStart + (value - domain.lowerBound) / span * (rangeEnd - rangeStart)
  }

  /// The data value at pixel `position`; the inverse of ``callAsFunction(_:)``.
  public func invert(_ position: Double) -> Double {
    let extent = rangeEnd - rangeStart
    guard extent != 0 else { return (domain.lowerBound + domain.upperBound) / 2 }
    return domain.lowerBound + (position - rangeStart) / extent * (domain.upperBound - domain.lowerBound)
  }

  /// Whether `value` lies in the domain, allowing for rounding in the last bits.
  public func contains(_ value: Double) -> Bool {
    let slack = 1e-9 * Swift.max(domain.upperBound - domain.lowerBound, 1e-300)
    return value >= domain.lowerBound - slack && value <= domain.upperBound + slack
  }

  // MARK: - Ticks

  /// The 1-2-5 tick step for about `count` intervals (at most `count`) over the domain.
  public func tickStep(count: Int = 5) -> Double { niceStep(count: count).value }

  /// Multiples of the 1-2-5 step that **cover** the domain: the first is ≤ the lower bound and
  /// the last ≥ the upper bound. For a domain of 0…0.83 and `count` 5 these are
  /// 0, 0.2, 0.4, 0.6, 0.8, 1.
  public func niceTicks(count: Int = 5) -> [Double] {
    let step = niceStep(count: count)
    return step.multiplesCovering(domain.lowerBound, domain.upperBound).map(step.multiple)
  }

  /// Multiples of the 1-2-5 step that lie **inside** the domain; what an axis draws.
  public func ticks(count: Int = 5) -> [Double] {
    niceTicks(count: count).filter(contains)
  }

  /// The same scale with its domain widened to the nearest multiples of its tick step, so the
  /// axis starts and ends on a labelled tick (0…0.83 becomes 0…1).
  ///
  /// Widening can change the step (a wider span may need a coarser one), so this repeats until
  /// the bounds stop moving, as d3's `nice()` does; two rounds suffice in practice.
  public func niced(count: Int = 5) -> LinearScale {
    var result = self
    for _ in 0..<4 {
      let ticks = result.niceTicks(count: count)
      guard let first = ticks.first, let last = ticks.last, first < last else { break }
      let widened = Swift.min(first, result.domain.lowerBound)...Swift.max(last, result.domain.upperBound)
      if widened == result.domain { break }
      result.domain = widened
    }
    return result
  }

  /// Digits after the decimal point that print every tick of ``ticks(count:)`` exactly.
  public func tickDecimals(count: Int = 5) -> Int { niceStep(count: count).decimals }

  func niceStep(count: Int) -> NiceStep {
    let span = domain.upperBound - domain.lowerBound
    // A zero-width domain still gets a sensible step: that of the value's own magnitude.
    let effective = span > 0 ? span : Swift.max(domain.lowerBound.magnitude, 1)
    return NiceStep(span: effective, count: count)
  }
}

/// The interval covering `values`, padded when it has zero width, or `fallback` when there are
/// no finite values.
func dataExtent<S: Sequence<Double>>(_ values: S, fallback: ClosedRange<Double> = 0...1) -> ClosedRange<Double> {
  var lower = Double.infinity
  var upper = -Double.infinity
  for value in values where value.isFinite {
    lower = min(lower, value)
    upper = max(upper, value)
  }
  guard lower <= upper else { return fallback }
  if lower == upper {
    // A single value: centre it in a unit-sized window (±10 % of itself when large).
    let pad = max(lower.magnitude * 0.1, 0.5)
    return (lower - pad)...(upper + pad)
  }
  return lower...upper
}
