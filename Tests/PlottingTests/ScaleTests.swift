// ScaleTests.swift — LinearScale maps and 1-2-5 ticks, against values worked out by hand.

import Foundation  // log10, pow
import TestSupport
import Testing

@testable import Plotting

@Suite("LinearScale", .tags(.unit))
struct ScaleTests {
  @Test("domain ends map to range ends; the middle to the middle; invert undoes the map")
  func mapping() {
    let x = LinearScale(domain: 0...600, rangeStart: 80, rangeEnd: 620)
    #expect(x(0) == 80)
    #expect(x(600) == 620)
    #expect(x(300) == 350)
    #expect(abs(x.invert(350) - 300) < 1e-12)
    #expect(abs(x.invert(x(123.4)) - 123.4) < 1e-12)
  }

  @Test("a y scale runs top-down: larger values get smaller pixel coordinates")
  func inverted() {
    // Plot area from y = 40 (top) to y = 340 (bottom): y(v) = 340 − 300 v.
    let y = LinearScale(domain: 0...1, rangeStart: 340, rangeEnd: 40)
    #expect(y(0) == 340)
    #expect(y(1) == 40)
    #expect(abs(y(0.8) - 100) < 1e-9)
    #expect(abs(y(0.025) - 332.5) < 1e-9)
    #expect(abs(y.invert(100) - 0.8) < 1e-12)
    #expect(y(0.9) < y(0.1))
  }

  @Test("a zero-width domain maps to the middle of the range")
  func degenerate() {
    let s = LinearScale(domain: 5...5, rangeStart: 0, rangeEnd: 100)
    #expect(s(5) == 50)
    #expect(s.invert(30) == 5)
    #expect(!s.niceTicks().isEmpty)
  }

  // Each expected list is worked out by hand: span / count, rounded up to 1, 2, 5 or 10 × 10ᵏ,
  // then the multiples from ⌊lower/step⌋ to ⌈upper/step⌉.
  @Test(
    "niceTicks covers the domain with 1-2-5 multiples (hand-derived)",
    arguments: [
      // 0.83 / 5 = 0.166 → 0.2; 0…⌈4.15⌉ × 0.2
      (0.0, 0.83, 5, [0, 0.2, 0.4, 0.6, 0.8, 1.0]),
      // 0.83 / 10 = 0.083 → 0.1; 0…⌈8.3⌉ × 0.1
      (0.0, 0.83, 10, [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]),
      // 929 / 5 = 185.8 → 200
      (0.0, 929, 5, [0, 200, 400, 600, 800, 1000]),
      // 1 / 4 = 0.25 → 0.5
      (-0.5, 0.5, 4, [-0.5, 0, 0.5]),
      // 0.045 / 5 = 0.009 → 0.01; 0.025/0.01 = 2.5 → 2, 0.07/0.01 = 7.000000000000001 → 7
      (0.025, 0.07, 5, [0.02, 0.03, 0.04, 0.05, 0.06, 0.07]),
      // 75 / 5 = 15 → 20
      (12, 87, 5, [0, 20, 40, 60, 80, 100]),
      // 600 / 6 = 100 exactly → 100
      (0, 600, 6, [0, 100, 200, 300, 400, 500, 600]),
      // 2 / 5 = 0.4 → 0.5
      (-1, 1, 5, [-1, -0.5, 0, 0.5, 1]),
    ])
  func niceTicks(lower: Double, upper: Double, count: Int, expected: [Double]) {
    let scale = LinearScale(domain: lower...upper, rangeStart: 0, rangeEnd: 1)
    #expect(scale.niceTicks(count: count) == expected)
  }

  @Test(
    "every nice step is 1, 2 or 5 × 10ᵏ, and ticks are its exact multiples",
    arguments: [
      (0.0, 1.0), (0.0, 0.83), (0.013, 0.047), (-3.7, 12.2), (1000, 1001), (0, 36.5), (0.6, 0.9), (1e-4, 9e-4),
    ])
  func stepShape(lower: Double, upper: Double) throws {
    let scale = LinearScale(domain: lower...upper, rangeStart: 0, rangeEnd: 1)
    for count in 2...10 {
      let step = scale.tickStep(count: count)
      let exponent = log10(step).rounded(.down)
      let mantissa = (step / pow(10, exponent) * 1e6).rounded() / 1e6
      #expect([1, 2, 5, 10].contains(mantissa), "step \(step) for count \(count)")
      #expect((upper - lower) / step <= Double(count) + 1e-9, "more intervals than asked for")
      let ticks = scale.niceTicks(count: count)
      #expect(try #require(ticks.first) <= lower && (try #require(ticks.last)) >= upper)
      for tick in ticks {
        #expect(abs(tick / step - (tick / step).rounded()) < 1e-9)
      }
    }
  }

  @Test("ticks(count:) keeps only the ticks inside the domain")
  func ticksInside() {
    let scale = LinearScale(domain: 0.05...0.95, rangeStart: 0, rangeEnd: 1)
    #expect(scale.ticks(count: 5) == [0.2, 0.4, 0.6, 0.8])
    #expect(scale.tickDecimals(count: 5) == 1)
  }

  @Test("niced() widens the domain to the covering ticks: 0…0.83 → 0…1, 3…97 → 0…100")
  func niced() {
    #expect(LinearScale(domain: 0...0.83, rangeStart: 0, rangeEnd: 1).niced().domain == 0...1)
    #expect(LinearScale(domain: 3...97, rangeStart: 0, rangeEnd: 1).niced().domain == 0...100)
    // Already nice: unchanged.
    #expect(LinearScale(domain: -0.5...0.5, rangeStart: 0, rangeEnd: 1).niced(count: 4).domain == -0.5...0.5)
  }
}
