// TwoArmSampleTests.swift — the package entry points that read one sorted two-arm sample give
// the public API's numbers bit for bit (regression tests: the code against itself).

import Foundation
import GSL
import SurvivalAnalysis
import TestSupport
import Testing

@Suite("Two-arm sample: Cox and log-rank as the public API", .tags(.regression))
struct TwoArmSampleTests {
  /// A two-arm trial: exponential times (HR `hr`), uniform censoring, times rounded to `grid`
  /// (0: continuous) so that some samples have ties.
  static func trial(n: Int, hr: Double, grid: Double, seed: UInt64) -> (times: [Double], events: [Bool], arms: [Bool]) {
    let rng = SeedSequence(masterSeed: seed).makeRandomSource(0)
    var times: [Double] = []
    var events: [Bool] = []
    var arms: [Bool] = []
    for i in 0..<n {
      let experimental = i % 3 != 0
      let t = rng.exponential(rate: experimental ? 0.1 * hr : 0.1)
      let c = rng.uniform() * 20
      let time = min(t, c)
      times.append(grid > 0 ? (time / grid).rounded(.up) * grid : time)
      events.append(t <= c)
      arms.append(experimental)
    }
    return (times, events, arms)
  }

  @Test(
    "fitTwoArm and LogRankTest.twoArm equal fit(_:) and LogRankTest(_:group:) exactly",
    arguments: [(600, 0.7, 0.0), (558, 1.0, 0.0), (300, 0.5, 1.0), (40, 0.8, 2.0), (12, 1.3, 0.0)])
  func matchesPublicAPI(n: Int, hr: Double, grid: Double) throws {
    let sample = TwoArmSample()
    for seed in UInt64(1)...20 {
      let (times, events, arms) = Self.trial(n: n, hr: hr, grid: grid, seed: seed)
      times.withUnsafeBufferPointer { t in
        events.withUnsafeBufferPointer { e in arms.withUnsafeBufferPointer { a in sample.load(times: t, events: e, experimental: a) } }
      }
      let data = SurvivalData(times: times, events: events, covariateColumns: [arms.map { $0 ? 1 : 0 }])
      let fit = try CoxModel(ties: .efron).fit(data)
      let fast = CoxModel(ties: .efron).fitTwoArm(sample)
      #expect(fast.coefficient.bitPattern == fit.coefficients[0].bitPattern, "n \(n) seed \(seed)")
      #expect(fast.standardError.bitPattern == fit.standardErrors[0].bitPattern, "n \(n) seed \(seed)")
      #expect(fast.convergence == fit.convergence, "n \(n) seed \(seed)")
      #expect(fast.monotoneLikelihood == !fit.monotoneLikelihood.isEmpty, "n \(n) seed \(seed)")
      let lr = try LogRankTest(SurvivalData(times: times, events: events), group: arms.map { $0 ? 1 : 0 })
      let twoArm = LogRankTest.twoArm(sample)
      #expect(twoArm.observed.bitPattern == lr.observed[1].bitPattern, "n \(n) seed \(seed)")
      #expect(twoArm.expected.bitPattern == lr.expected[1].bitPattern, "n \(n) seed \(seed)")
      #expect(twoArm.variance.bitPattern == lr.variance[3].bitPattern, "n \(n) seed \(seed)")
    }
  }

  @Test("separation: the same monotone-likelihood flag and estimate as fit(_:)")
  func separation() throws {
    let times: [Double] = [1, 2, 3, 4, 5, 6, 7, 8]
    let events = [true, true, true, true, true, true, false, true]
    let arms = [true, true, true, true, false, false, false, false]
    let sample = TwoArmSample()
    times.withUnsafeBufferPointer { t in
      events.withUnsafeBufferPointer { e in arms.withUnsafeBufferPointer { a in sample.load(times: t, events: e, experimental: a) } }
    }
    let fit = try CoxModel().fit(SurvivalData(times: times, events: events, covariateColumns: [arms.map { $0 ? 1 : 0 }]))
    let fast = CoxModel().fitTwoArm(sample)
    #expect(fast.monotoneLikelihood)
    #expect(fast.coefficient.bitPattern == fit.coefficients[0].bitPattern)
    #expect(fast.convergence == fit.convergence)
  }

  @Test("selection and the in-place sort agree with Array.sorted()", .tags(.unit))
  func selection() {
    let rng = SeedSequence(masterSeed: 7).makeRandomSource(0)
    for n in [1, 2, 3, 17, 100, 1_000] {
      // Rounded values: many ties.
      var values = (0..<n).map { _ in (rng.uniform() * 50).rounded() }
      let sorted = values.sorted()
      for k in Set([1, n, (n + 1) / 2, max(1, n / 3)]) {
        var copy = values
        let kth = copy.withUnsafeMutableBufferPointer { SortedOrder.smallest(k, in: $0) }
        #expect(kth == sorted[k - 1], "n \(n) k \(k)")
      }
      values.withUnsafeMutableBufferPointer { SortedOrder.sortValues($0) }
      #expect(values == sorted, "n \(n)")
    }
  }

  @Test(
    "distribution sorts and selection by counting: the comparison sorts' results on even, skewed, tied and constant values",
    .tags(.unit))
  func distributionSorts() {
    let rng = SeedSequence(masterSeed: 8).makeRandomSource(0)
    let cases: [(String, (Int) -> [Double])] = [
      ("uniform", { n in (0..<n).map { _ in rng.uniform() * 36 } }),
      ("exponential", { n in (0..<n).map { _ in rng.exponential(rate: 0.1) } }),
      ("one far outlier", { n in (0..<n).map { $0 == 0 ? 1e9 : rng.uniform() } }),
      ("ties", { n in (0..<n).map { _ in (rng.uniform() * 10).rounded() } }),
      ("constant", { n in [Double](repeating: 2, count: n) }),
    ]
    for (name, draw) in cases {
      for n in [5, 31, 32, 200, 600] {
        let values = draw(n)
        var counts = [Int](repeating: 0, count: SortedOrder.distributionCounts(n))
        var scratch = [Double](repeating: 0, count: n)
        var sorted = values
        sorted.withUnsafeMutableBufferPointer { v in
          scratch.withUnsafeMutableBufferPointer { s in
            counts.withUnsafeMutableBufferPointer { SortedOrder.distributionSortValues(v, scratch: s, counts: $0) }
          }
        }
        #expect(sorted == values.sorted(), "\(name) n \(n)")
        var fast = [Int](repeating: 0, count: n)
        var reference = fast
        values.withUnsafeBufferPointer { key in
          fast.withUnsafeMutableBufferPointer { index in
            scratch.withUnsafeMutableBufferPointer { s in
              counts.withUnsafeMutableBufferPointer {
                SortedOrder.distributionSortIndices(key, into: index, sortedKeys: s, counts: $0)
              }
            }
          }
          reference.withUnsafeMutableBufferPointer { SortedOrder.sortIndices(key, into: $0) }
        }
        #expect(fast == reference, "\(name) n \(n)")
        for k in Set([1, n, (n + 1) / 2, max(1, 2 * n / 3)]) {
          var copy = values
          let kth = copy.withUnsafeMutableBufferPointer { v in
            counts.withUnsafeMutableBufferPointer { SortedOrder.smallest(k, in: v, counts: $0) }
          }
          #expect(kth == values.sorted()[k - 1], "\(name) n \(n) k \(k)")
        }
      }
    }
  }
}
