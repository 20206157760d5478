// AuditFiguresTests.swift — the data behind the audit figures against values worked by hand.

import Audit
import Foundation
import SurvivalAnalysis
import TestSupport
import Testing

@testable import Runs

@Suite("AuditFigures", .tags(.validation))
struct AuditFiguresTests {
  /// Five patients: events at 1, 3 and 4, censored at 2 and 5.
  /// n = 5, 4, 3, 2, 1 at risk: Ŝ(1) = 4/5, Ŝ(3) = 4/5 · 2/3 = 8/15, Ŝ(4) = 8/15 · 1/2 = 4/15,
  /// and the curve stays at 4/15 to the last follow-up time 5.
  @Test("a five-patient Kaplan–Meier curve, worked by hand")
  func fivePatientKaplanMeier() throws {
    let table = try AuditTable(
      columns: [.numeric("x", [1, 2, 3, 4, 5])],
      times: [1, 2, 3, 4, 5], events: [true, false, true, true, false])
    let curve = try #require(AuditFigures.curve(table))
    #expect(curve.patients == 5)
    #expect(curve.events == 3)
    #expect(curve.time == [0, 1, 3, 4, 5])
    let expected = [1, 4.0 / 5, 8.0 / 15, 4.0 / 15, 4.0 / 15]
    for (s, e) in zip(curve.survival, expected) { #expect(abs(s - e) < 1e-12) }
    // Greenwood at t = 1: 1/(5·4) = 0.05; log-scale limits 0.8·exp(∓1.959964·√0.05).
    let sigma = 0.05.squareRoot()
    let z = 1.959963984540054
    #expect(abs(try #require(curve.lower[1]) - 0.8 * exp(-z * sigma)) < 1e-9)
    #expect(abs(try #require(curve.upper[1]) - min(1, 0.8 * exp(z * sigma))) < 1e-9)
    // At t = 3: Greenwood 0.05 + 1/(3·2) = 0.2166…
    let sigma3 = (0.05 + 1.0 / 6).squareRoot()
    #expect(abs(try #require(curve.lower[2]) - 8.0 / 15 * exp(-z * sigma3)) < 1e-9)
    #expect(curve.lower[0] == 1 && curve.upper[0] == 1)
  }

  @Test("thinning keeps at most about 200 steps and the curve's values at the kept times")
  func thinning() throws {
    let n = 2_000
    let times = (1...n).map(Double.init)
    let events = (1...n).map { $0 % 7 != 0 }
    let table = try AuditTable(columns: [], times: times, events: events)
    let full = try #require(AuditFigures.curve(table))
    let thin = full.thinned(maxSteps: 200)
    #expect(thin.time.count <= 202)
    #expect(thin.time.first == 0)
    #expect(thin.time.last == full.time.last)
    #expect(thin.survival.last == full.survival.last)
    for (t, s) in zip(thin.time, thin.survival) {
      let i = try #require(full.time.firstIndex(of: t))
      #expect(full.survival[i] == s)
    }
    // No gap between kept points wider than two intervals (0.5 % of follow-up each).
    let width = try #require(full.time.last) / 200
    for k in 1..<thin.time.count { #expect(thin.time[k] - thin.time[k - 1] <= 2 * width + 1) }
  }

  @Test("histogram: shared 0.05-wide bins over the pooled range, proportions of known values")
  func decimalHistogram() throws {
    // Pooled range 0.05…0.95: 0.9 / 20 = 0.045 rounds up to a 0.05 width; edges 0.05, 0.10, …, 1.00.
    let real = [0.05, 0.15, 0.15, 0.95]
    let synthetic = [0.5, 0.5, .nan]
    let edges = AuditFigures.histogramEdges(real + synthetic)
    #expect(edges.count == 20)
    #expect(edges.first == 0.05)
    #expect(edges.last == 1.0)
    #expect(edges[2] == 0.15)
    let p = AuditFigures.proportions(real, edges: edges)
    #expect(p[0] == 0.25 && p[2] == 0.5 && p[18] == 0.25)
    #expect(abs(p.reduce(0, +) - 1) < 1e-12)
    // The missing value is left out of the shares and counted apart.
    let d = AuditFigures.distribution(.numeric("x", real), .numeric("x", synthetic))
    #expect(d.synthetic[9] == 1)
    #expect(abs(d.syntheticMissing - 1.0 / 3) < 1e-12)
    #expect(d.realMissing == 0)
  }

  @Test("histogram of whole numbers: unit-wide bins, one per value")
  func integerHistogram() {
    let values: [Double] = [0, 1, 1, 2, 3, 3, 3, 9]
    let edges = AuditFigures.histogramEdges(values)
    #expect(edges == (0...10).map(Double.init))
    let p = AuditFigures.proportions(values, edges: edges)
    #expect(p == [1, 2, 1, 3, 0, 0, 0, 0, 0, 1].map { $0 / 8 })
    // Ages 18…85: 67 / 20 = 3.35 rounds up to a width of 5, from 15 to 90.
    let ages = AuditFigures.histogramEdges([18, 85])
    #expect(ages == stride(from: 15.0, through: 90, by: 5).map { $0 })
  }

  @Test("categorical levels: shares of the known codes, missing apart")
  func categorical() {
    let d = AuditFigures.distribution(
      .categorical("sex", codes: [0, 1, 1, -1], levels: ["female", "male"]),
      .categorical("sex", codes: [1, 1], levels: ["female", "male"]))
    #expect(d.kind == .categorical)
    #expect(d.levels == ["female", "male"])
    #expect(d.real == [1.0 / 3, 2.0 / 3])
    #expect(d.synthetic == [0, 1])
    #expect(d.realMissing == 0.25)
  }

  @Test("correlations: pairwise-complete Pearson on codes; nominal columns with > 2 levels left out")
  func correlations() throws {
    let nan = Double.nan
    let real = try AuditTable(columns: [
      .numeric("x", [1, 2, 3, 4, nan]),
      .numeric("y", [2, 4, 6, 8, 100]),  // y = 2x where both are known: r = 1
      .categorical("b", codes: [1, 1, 0, 0, 0], levels: ["no", "yes"]),
      .categorical("colour", codes: [0, 1, 2, 0, 1], levels: ["red", "green", "blue"]),
    ])
    let synthetic = try AuditTable(columns: [
      .numeric("x", [1, 2, 3, 4, 5]),
      .numeric("y", [5, 5, 5, 5, 5]),  // constant: r undefined
      .categorical("b", codes: [0, 0, 1, 1, 1], levels: ["no", "yes"]),
      .categorical("colour", codes: [0, 1, 2, 0, 1], levels: ["red", "green", "blue"]),
    ])
    let c = AuditFigures.correlations(real: real, synthetic: synthetic)
    #expect(c.names == ["x", "y", "b"])
    #expect(abs(try #require(c.real[0][1]) - 1) < 1e-12)
    #expect(c.synthetic[0][1] == nil)
    // x = 1…4 against b = 1, 1, 0, 0: r = −4 / √(5 · 1) = −0.894…
    #expect(abs(try #require(c.real[0][2]) + 4 / 20.0.squareRoot()) < 1e-12)
    #expect(c.real[2][2] == 1)
  }
}
