// CARTGeneratorTests.swift — sequential CART synthesis (`synthesis.generator: cart`) against a
// known model, its privacy knobs, and the replica's privacy by construction for both families.

import Foundation
import GSL
import TestSupport
import Testing
import TrialSpec

@testable import Synthesis

@Suite("Sequential CART generator")
struct CARTGeneratorTests {
  static let colonPath = Fixtures.repositoryRoot.appendingPathComponent("Protocols/colon-adjuvant-os.yaml").path

  /// The colon protocol with the covariate family (and CART settings) replaced.
  static func colon(_ family: GeneratorFamily, _ settings: CARTSettings = CARTSettings()) throws -> TrialProtocol {
    var p = try TrialProtocol.load(path: colonPath)
    p.synthesis!.generator = family
    p.synthesis!.cart = family == .cart ? settings : nil
    return p
  }

  @Test("the protocol selects the family; refits on bootstrap rows keep it", .tags(.unit))
  func dispatch() throws {
    let reference = try KnownReference.make(
      n: 300, rho: 0.5, seed: 5, synthesis: "generator: cart\n  minbucket: 15\n  smoothing: none")
    defer { reference.remove() }
    let p = try reference.load()
    #expect(p.synthesis?.generator == .cart && p.synthesis?.cart == CARTSettings(minbucket: 15, smoothing: .none))
    let g = try SyntheticControlGenerator(protocol: p)
    #expect(g.family == .cart && g.cart != nil && g.copula == nil)
    let refit = try SyntheticControlGenerator(protocol: p, fittingRows: (0..<300).map { ($0 * 7) % 300 }, warmStart: g)
    #expect(refit.family == .cart && refit.cart?.settings.minbucket == 15)
    // Without the key, existing protocols keep the copula.
    let plain = try KnownReference.make(n: 50, rho: 0, seed: 6, synthesis: "")
    defer { plain.remove() }
    #expect(try plain.load().synthesis?.generator == .gaussianCopula)
  }

  @Test(
    "a known model (2,000 rows, ρ = 0.6, 20 % of y missing): marginals, missing rate and dependence recovered",
    .tags(.statistical))
  func recovery() throws {
    let reference = try KnownReference.make(n: 2_000, rho: 0.6, missingY: 0.2, seed: 11, synthesis: "generator: cart")
    defer { reference.remove() }
    let p = try reference.load()
    let g = try SyntheticControlGenerator(protocol: p)
    let n = 5_000
    let (s, report) = try g.generate(count: n, seed: 3)
    #expect(report.generator == .cart && report.correlationShrinkage == nil)
    let data = p.referenceData!
    let real = ["x", "y", "g"].map { GaussianCopulaModel.values(data.columns, $0, data.referenceRows) }
    // Two-sample KS at α = 0.001 for the observed values (synthetic rows resample the real ones,
    // so they are if anything closer than an independent sample).
    let critical = 1.95 * (1.0 / Double(n) + 1.0 / 2_000).squareRoot()
    for j in 0..<3 {
      let d = ksStatistic(s.values[j].filter { !$0.isNaN }, real[j].filter { !$0.isNaN })
      #expect(d < critical, "variable \(j): KS \(d)")
    }
    let missing = Double(s.values[1].filter(\.isNaN).count) / Double(n)
    let realMissing = Double(real[1].filter(\.isNaN).count) / 2_000
    #expect(abs(missing - realMissing) < 4 * (realMissing * (1 - realMissing) * (1.0 / Double(n) + 1.0 / 2_000)).squareRoot())
    // Trees approximate the linear dependence by steps: the correlation within 0.1 of the sample's.
    func complete(_ v: [[Double]]) -> (x: [Double], y: [Double]) {
      let rows = v[1].indices.filter { !v[1][$0].isNaN }
      return (rows.map { v[0][$0] }, rows.map { v[1][$0] })
    }
    let (sx, sy) = complete(s.values)
    let (rx, ry) = complete(real)
    #expect(abs(pearson(sx, sy) - pearson(rx, ry)) < 0.1, "ρ synthetic \(pearson(sx, sy)), real \(pearson(rx, ry))")
  }

  @Test("deterministic for a seed; smoothing none re-uses real values, density never does", .tags(.unit))
  func smoothingKnob() throws {
    for smoothing in CARTSmoothing.allCases {
      let reference = try KnownReference.make(
        n: 400, rho: 0.5, seed: 12, synthesis: "generator: cart\n  smoothing: \(smoothing.rawValue)")
      defer { reference.remove() }
      let p = try reference.load()
      let g = try SyntheticControlGenerator(protocol: p)
      let (a, _) = try g.generate(count: 500, seed: 9)
      let (b, _) = try g.generate(count: 500, seed: 9)
      #expect(a.values == b.values && a.eventTimes == b.eventTimes)
      let real = Set(GaussianCopulaModel.values(p.referenceData!.columns, "x", p.referenceData!.referenceRows))
      let reused = a.values[0].filter { real.contains($0) }.count
      #expect(smoothing == .none ? reused == 500 : reused == 0, "\(smoothing): \(reused) of 500 real x values")
      let (lo, hi) = (real.min()!, real.max()!)
      #expect(a.values[0].allSatisfy { $0 >= lo && $0 <= hi })
    }
  }

  @Test(
    "rare rules on every variable (x ≥ 0.8, y ≥ 1.6 with 10 % of y missing, g = 1; ~3 %): truncated leaves match plain rejection",
    .tags(.statistical))
  func truncatedLeavesMatchRejection() throws {
    let reference = try KnownReference.make(
      n: 3_000, rho: 0.7, missingY: 0.1, seed: 21,
      eligibility: "    - {id: X, when: x >= 0.8}\n    - {id: Y, when: y >= 1.6}\n    - {id: G, when: g == 1}\n",
      synthesis: "generator: cart")
    defer { reference.remove() }
    let generator = try SyntheticControlGenerator(protocol: reference.load())
    let n = 2_000
    let (fast, fastReport) = try generator.generate(count: n, seed: 1)
    let (slow, slowReport) = try generator.generate(count: n, seed: 2, allowLatentBox: false)
    #expect(fastReport.method == "truncated-leaf")
    #expect(slowReport.method == "rejection" && slowReport.acceptanceRate < 0.05)
    #expect(fastReport.candidates < slowReport.candidates, "\(fastReport.candidates) vs \(slowReport.candidates)")
    let critical = 1.95 * (2.0 / Double(n)).squareRoot()  // two-sample KS, α = 0.001
    for j in 0..<3 {
      #expect(ksStatistic(fast.values[j], slow.values[j]) < critical, "variable \(j)")
    }
    // Truncating y leaf by leaf without the weights would leave x at its unconditional
    // distribution; the weights move it up with y. Correlations within 4 SE of rejection's.
    #expect(fast.values[0].allSatisfy { $0 >= 0.8 } && fast.values[1].allSatisfy { $0 >= 1.6 } && fast.values[2].allSatisfy { $0 == 1 })
    let rFast = pearson(fast.values[0], fast.values[1])
    let rSlow = pearson(slow.values[0], slow.values[1])
    #expect(abs(rFast - rSlow) < 4 * (2.0 / Double(n)).squareRoot(), "ρ fast \(rFast), rejection \(rSlow)")
  }

  @Test("colon_os: 100 % of CART rows meet eligibility and constraints", .tags(.unit))
  func eligible() throws {
    let p = try Self.colon(.cart)
    let (patients, report) = try SyntheticControlGenerator(protocol: p).generate(count: 2_000, seed: 4)
    #expect(patients.count == 2_000 && report.method == "rejection")
    let columns = patients.columns
    #expect(p.eligibility.eligible(columns).allSatisfy { $0 })
    for c in p.synthesis!.constraints { #expect(!c.evaluate(columns).contains(.no), "\(c.source)") }
  }

  @Test(
    "colon_os: no replica row equals a reference row (covariates, time, event), both families, five seeds",
    .tags(.unit), arguments: [GeneratorFamily.gaussianCopula, .cart])
  func noExactCopies(_ family: GeneratorFamily) throws {
    // CART with smoothing off and synthpop's minbucket 5 copies the most: the hardest case.
    let p = try Self.colon(family, CARTSettings(minbucket: 5, smoothing: .none))
    let g = try SyntheticControlGenerator(protocol: p)
    let data = p.referenceData!
    let rows = data.referenceRows
    let real = g.variables.map { GaussianCopulaModel.values(data.columns, $0.name, rows) }
    var redrawn = 0
    for seed: UInt64 in 1...5 {
      let (patients, _) = try g.generate(count: 2_000, seed: seed)
      let replica = g.replica(of: patients, seed: seed)
      redrawn += replica.copiesRedrawn
      #expect(replica.copiesRemaining == 0)
      // A naive comparison, field by field, independent of the replica's own hashing.
      var copies = 0
      for i in 0..<replica.times.count {
        for (k, row) in rows.enumerated() where data.times[row] == replica.times[i] && data.events[row] == replica.events[i] {
          if real.indices.allSatisfy({ j in
            let a = replica.patients.values[j][i]
            let b = real[j][k]
            return a == b || (a.isNaN && b.isNaN)
          }) {
            copies += 1
          }
        }
      }
      #expect(copies == 0, "\(family.rawValue), seed \(seed): \(copies) exact copies")
    }
    print("\(family.rawValue): \(redrawn) outcomes redrawn over 10,000 rows")
  }

  @Test("smoothed censoring: the reverse-KM curve at its steps, and no observed censoring time drawn", .tags(.unit))
  func smoothedCensoring() throws {
    let g = try SyntheticControlGenerator(protocol: try Self.colon(.gaussianCopula))
    let km = g.outcome.censoring
    var steps = 0
    for (i, s) in km.survival.enumerated() where s > 0 && s < (i == 0 ? 1 : km.survival[i - 1]) {
      #expect(abs(g.outcome.smoothedCensoringTime(s) - km.times[i]) < 1e-9 * km.times[i])
      steps += 1
    }
    #expect(steps > 10)
    let observed = Set(km.times)
    let rng = SeedSequence(masterSeed: 1).makeRandomSource(0)
    let draws = (0..<5_000).map { _ in g.outcome.smoothedCensoringTime(rng.uniformPositive()) }
    #expect(draws.filter { observed.contains($0) && $0 != g.outcome.lastFollowUp }.isEmpty)
  }
}
