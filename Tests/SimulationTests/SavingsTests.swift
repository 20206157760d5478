// SavingsTests.swift — the monotone curve (hand-worked values), the savings search against
// Schoenfeld's closed form with exact expected events, and common random numbers.

import Foundation
import GSL
import TestSupport
import Testing

@testable import Simulation
@testable import SurvivalAnalysis
@testable import TrialSpec

@Suite("Monotone curves", .tags(.unit))
struct MonotoneCurveTests {
  @Test("pool adjacent violators: hand-worked fits")
  func isotonic() {
    #expect(MonotoneCurve.isotonic([0.1, 0.3, 0.2, 0.4]) == [0.1, 0.25, 0.25, 0.4])
    #expect(MonotoneCurve.isotonic([0.5, 0.4, 0.3]).allSatisfy { abs($0 - 0.4) < 1e-15 })
    let decreasing = MonotoneCurve(x: [1, 2, 3], y: [0.05, 0.06, 0.04], increasing: false)
    #expect(zip(decreasing.fitted, [0.055, 0.055, 0.04]).allSatisfy { abs($0 - $1) < 1e-15 })
  }

  @Test("the interpolant passes through the fitted points, is linear on linear data, and never overshoots")
  func interpolation() {
    let line = MonotoneCurve(x: [100, 200, 300], y: [0.5, 0.7, 0.9], increasing: true)
    #expect(abs(line.value(at: 150) - 0.6) < 1e-12)
    #expect(line.crossing(0.8) == .at(250) || abs(Self.root(line.crossing(0.8)) - 250) < 1e-6)
    let step = MonotoneCurve(x: [0, 1, 2, 3], y: [0, 0, 1, 1], increasing: true)
    let values = stride(from: 0.0, through: 3.0, by: 0.01).map(step.value(at:))
    #expect(zip(values, values.dropFirst()).allSatisfy { $0 <= $1 + 1e-15 })
    #expect(values.allSatisfy { (0...1).contains($0) })
    #expect(step.value(at: 1) == 0 && step.value(at: 2) == 1)
  }

  @Test("crossings: below the first point, between points (Brent), beyond the last")
  func crossings() {
    let curve = MonotoneCurve(x: [10, 20, 40], y: [0.3, 0.6, 0.9], increasing: true)
    #expect(curve.crossing(0.2) == .atOrBelowFirst)
    #expect(curve.crossing(0.95) == .beyondLast)
    let x = Self.root(curve.crossing(0.7))
    #expect(x > 20 && x < 40 && abs(curve.value(at: x) - 0.7) < 1e-9)
  }

  static func root(_ c: MonotoneCurve.Crossing) -> Double {
    if case .at(let x) = c { return x }
    return .nan
  }
}

@Suite("Savings search")
struct SavingsSearchTests {
  /// rpact D1's world (exponential control, median 12 months, HR 0.75, 558 patients accrued over
  /// 24 months, one-sided log-rank at 0.025) analysed at a calendar cut 12 months after the last
  /// patient; the design compared is the conventional one itself (it borrows nothing).
  static func calendarScenario(seed: UInt64? = nil) throws -> Scenario {
    var s = try scenario("Scenarios/rpact-d1.yaml")
    s.trialProtocol.design.analysis = .calendar(followUp: 12)
    s.savings = Scenario.Savings(targetPower: 0.8, compare: ["conventional"])
    if let seed { s.seed = seed }
    return s
  }

  /// Schoenfeld's one-sided power at 1:1 with the exact expected events of N patients: uniform
  /// accrual at 558/24 a month, no dropout, the cut at A + 12 (SurvivalDesign's event probability,
  /// checked against rpact).
  static func analyticPower(_ n: Double) -> Double {
    let accrual = n / (558.0 / 24)
    let lambda = Foundation.log(2.0) / 12
    let events =
      n / 2
      * (ExponentialTrialDesign.eventProbability(lambda * 0.75, 0, accrual, 12)
        + ExponentialTrialDesign.eventProbability(lambda, 0, accrual, 12))
    return StandardNormal.cdf((events / 4).squareRoot() * abs(Foundation.log(0.75)) - StandardNormal.quantile(0.975))
  }

  @Test(
    "the conventional size (both arms scaled at 1:1) has the analytic power 0.80 within 3 MCSE; Schoenfeld with the simulated split of events lands on the closed form",
    .tags(.validation, .statistical))
  func conventionalAgainstSchoenfeld() throws {
    let s = try Self.calendarScenario()
    let b = 1_000
    let model = try TrialModel(protocol: s.trialProtocol, needsSynthetic: false)
    let cell = MonteCarlo.simulateCell(model: model, scenario: s, cellIndex: 0, replicates: b, estimandPatients: 50_000)
    let search = try #require(cell.savings.first)
    let simulated = try #require(search.conventionalPatients)
    let analytic = try RootFinder.brent(lower: 100, upper: 3_000) { Self.analyticPower($0) - 0.8 }
    let mcse = (0.8 * 0.2 / Double(b)).squareRoot()
    #expect(
      abs(Self.analyticPower(Double(simulated)) - 0.8) < 3 * mcse,
      "simulated \(simulated), analytic \(analytic), power there \(Self.analyticPower(Double(simulated)))")
    #expect(search.conventionalExperimental! + search.conventionalControls! - simulated <= 1)
    let schoenfeld = try #require(search.schoenfeldPatients)
    #expect(abs(Double(schoenfeld) - analytic) / analytic < 0.05, "Schoenfeld from simulated events \(schoenfeld) vs \(analytic)")
    // Duration: accrual at 558/24 a month plus the 12-month follow-up.
    #expect(abs(search.conventionalMonths! - (Double(simulated) / (558.0 / 24) + 12)) < 0.1)
    // Common random numbers: the raw simulated power never falls by more than 2 MCSE along the grid.
    let rates = search.conventionalPower.map(\.rate)
    #expect(zip(rates, rates.dropFirst()).allSatisfy { $1 >= $0 - 2 * mcse })
  }

  @Test(
    "a design that borrows nothing saves nothing: saved ≈ 0 with an interval containing 0; a second seed gives an overlapping interval of similar width",
    .tags(.statistical))
  func nothingBorrowedNothingSaved() throws {
    var intervals: [(Int, Int)] = []
    for seed: UInt64 in [11, 12] {
      let s = try Self.calendarScenario(seed: seed)
      let model = try TrialModel(protocol: s.trialProtocol, needsSynthetic: false)
      let cell = MonteCarlo.simulateCell(model: model, scenario: s, cellIndex: 0, replicates: 400, estimandPatients: 5_000)
      let search = try #require(cell.savings.first)
      let low = try #require(search.savedLow)
      let high = try #require(search.savedHigh)
      #expect(low <= 0 && 0 <= high, "seed \(seed): \(low) to \(high)")
      #expect(search.status == .notDistinguishable)
      #expect(search.byDrift.count == 1 && search.threshold != nil)
      intervals.append((low, high))
    }
    let (a, b) = (intervals[0], intervals[1])
    #expect(a.0 <= b.1 && b.0 <= a.1)
    let widths = [Double(a.1 - a.0), Double(b.1 - b.0)]
    #expect(widths.max()! <= 2.5 * widths.min()!, "widths \(widths)")
  }
}

@Suite("Savings search: synthetic controls that fill the control arm")
struct FillSavingsTests {
  @Test(
    "`fill` resolves to the protocol's control count; in the search every candidate's synthetic controls make the arm up to the sized conventional control count",
    .tags(.unit))
  func fillsTheControlArm() throws {
    var s = try scenario("Scenarios/colon-augmented.yaml")
    let controls = s.trialProtocol.controlPatients
    #expect(controls == 300)
    let filled = Scenario.Design(
      id: "filled", experimental: 300, realControls: 100, syntheticControls: controls - 100, analysis: .pool,
      fillsControlArm: true)
    s.designs = [s.designs[0], filled]
    s.truth = Scenario.TruthGrid(hazardRatios: [1.0, 0.7], drifts: [1.0])
    s.savings = Scenario.Savings(targetPower: 0.8, compare: ["filled"])
    s.sweep = [s.sweep[0]]
    let model = try TrialModel(scenario: s, cellIndex: 0, refit: false)
    let cell = MonteCarlo.simulateCell(model: model, scenario: s, cellIndex: 0, replicates: 100, estimandPatients: 5_000)
    let search = try #require(cell.savings.first)
    let conventional = try #require(search.conventionalControls)
    #expect(!search.augmentedPower.isEmpty)
    #expect(search.augmentedPower.allSatisfy { $0.count < conventional })
    if let real = search.realControls {
      #expect(abs(real + search.syntheticControls - conventional) <= 1, "\(real) + \(search.syntheticControls) vs \(conventional)")
    }
  }
}
