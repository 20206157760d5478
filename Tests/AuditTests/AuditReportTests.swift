// AuditReportTests.swift — the whole audit: wiring, goals, JSON, summary, input errors.

import Foundation
import GSL
import TestSupport
import Testing

@testable import Audit

/// A seeded cohort: two numeric columns (one with missing values), a 3-level categorical, and
/// exponential survival times with administrative censoring at `followUp`.
func simulatedCohort(rows n: Int, seed: UInt64, stream: UInt64, shift: Double = 0, hazardRatio: Double = 1, followUp: Double = 3)
  -> AuditTable
{
  let rng = SeedSequence(masterSeed: seed).makeRandomSource(stream)
  var a = [Double]()
  var b = [Double]()
  var g = [Int32]()
  var t = [Double]()
  var e = [Bool]()
  for _ in 0..<n {
    let z = rng.normal()
    a.append(z + shift)
    b.append(rng.uniform() < 0.05 ? .nan : 0.6 * z + 0.8 * rng.normal())
    let u = rng.uniform()
    g.append(u < 0.5 ? 0 : (u < 0.8 ? 1 : 2))
    let time = rng.exponential(rate: hazardRatio)
    t.append(min(time, followUp))
    e.append(time <= followUp)
  }
  do {
    return try AuditTable(
      columns: [.numeric("a", a), .numeric("b", b), .categorical("g", codes: g, levels: ["x", "y", "z"])],
      times: t, events: e)
  } catch {
    fatalError("simulated cohort: \(error)")
  }
}

@Suite("AuditReport — wiring, goals, JSON and errors", .tags(.unit))
struct AuditReportTests {
  let train = simulatedCohort(rows: 120, seed: 1, stream: 1)
  let synthetic = simulatedCohort(rows: 100, seed: 1, stream: 2)
  let holdout = simulatedCohort(rows: 80, seed: 1, stream: 3)

  @Test func everySectionIsFilled() throws {
    let report = try AuditReport(train: train, synthetic: synthetic, holdout: holdout, horizon: 2, seed: 5)
    #expect(report.outcomeColumnsIncluded)
    #expect(report.fidelity.columns.map(\.name) == ["a", "b", "g", "time", "event"])
    #expect(report.fidelity.pairs.count == 10)
    #expect(report.fidelity.detection != nil)
    let survival = try #require(report.survival)
    #expect(survival.horizon == 2 && survival.bootstrapResamples == 200)
    #expect(survival.coxComparisons.map(\.term) == ["a", "b", "g=y", "g=z"])
    #expect(report.privacy.dcrOverfittingProtection != nil && report.privacy.nndrHoldoutToTrain != nil)
    let utility = try #require(report.utility)
    #expect(utility.syntheticTrainedConcordance != nil && utility.realTrainedConcordance != nil)
    #expect(
      report.goals.map(\.metric.rawValue) == [
        "Column Shapes", "Column Pair Trends (all pairs)", "KM divergence", "Exact copies", "DCROverfittingProtection",
      ])
    #expect(report.goals.allSatisfy { $0.passed != nil })
  }

  @Test func sameSeedSameReport() throws {
    let a = try AuditReport(train: train, synthetic: synthetic, holdout: holdout, seed: 5)
    let b = try AuditReport(train: train, synthetic: synthetic, holdout: holdout, seed: 5)
    #expect(a == b)
  }

  @Test func jsonRoundTrips() throws {
    let report = try AuditReport(train: train, synthetic: synthetic, holdout: holdout, seed: 5)
    let data = try report.jsonData(snakeCase: false)
    let decoded = try JSONDecoder().decode(AuditReport.self, from: data)
    #expect(decoded == report)
    // What people read: snake_case keys, as every other JSON file of SynthArm.
    let text = String(decoding: try report.jsonData(), as: UTF8.self)
    #expect(text.contains("\"dcr_overfitting_protection\"") && text.contains("\"kaplan_meier\""))
    #expect(!text.contains("\"dcrOverfittingProtection\""))
  }

  @Test func copyingTheTrainingTableNeedsAttention() throws {
    // S = R: shapes, pairs and KM pass; every row is a copy, and every synthetic row is closer
    // to train (distance 0) than to the holdout → DCROverfittingProtection 0.
    let report = try AuditReport(train: train, synthetic: train, holdout: holdout, seed: 5)
    let marks = Dictionary(uniqueKeysWithValues: report.goals.map { ($0.metric.rawValue, $0.passed) })
    #expect(marks["Column Shapes"] == true && marks["Column Pair Trends (all pairs)"] == true)
    #expect(marks["KM divergence"] == true && report.survival?.kaplanMeier.absoluteOptimism == 0)
    #expect(report.survival?.logRankStatistic == 0)
    #expect(marks["Exact copies"] == false && report.privacy.exactCopies == train.rowCount)
    #expect(marks["DCROverfittingProtection"] == false && report.privacy.dcrOverfittingProtection == 0)
    let summary = report.summary()
    #expect(summary.contains("attention") && summary.contains("pass"))
    #expect(summary.contains("Exact copies") && summary.contains("KM divergence"))
  }

  @Test func withoutHoldoutOrSurvival() throws {
    let covariatesOnly = try AuditTable(columns: train.columns)
    let report = try AuditReport(train: covariatesOnly, synthetic: try AuditTable(columns: synthetic.columns), seed: 1)
    #expect(!report.outcomeColumnsIncluded && report.survival == nil && report.utility == nil)
    #expect(report.privacy.dcrOverfittingProtection == nil)
    #expect(report.goals.first { $0.metric == .kaplanMeierDivergence }?.passed == nil)
    #expect(report.summary().contains("not computed"))
  }

  @Test func badInputThrows() throws {
    let renamed = try AuditTable(columns: [.numeric("A", [1]), .numeric("b", [1]), .categorical("g", codes: [0], levels: ["x", "y", "z"])])
    #expect(throws: AuditError.self) { try AuditReport(train: try AuditTable(columns: train.columns), synthetic: renamed, seed: 1) }
    let otherLevels = try AuditTable(columns: [.numeric("a", [1]), .numeric("b", [1]), .categorical("g", codes: [0], levels: ["x", "y"])])
    #expect(throws: AuditError.self) { try AuditReport(train: try AuditTable(columns: train.columns), synthetic: otherLevels, seed: 1) }
    let empty = try AuditTable(columns: [.numeric("a", []), .numeric("b", []), .categorical("g", codes: [], levels: ["x", "y", "z"])])
    #expect(throws: AuditError.emptyTable("synthetic")) {
      try AuditReport(train: try AuditTable(columns: train.columns), synthetic: empty, seed: 1)
    }
    #expect(throws: AuditError.self) { try AuditTable(columns: [.numeric("a", [1, 2]), .numeric("b", [1])]) }
    #expect(throws: AuditError.self) { try AuditTable(columns: [.categorical("g", codes: [3], levels: ["x"])]) }
    #expect(throws: AuditError.self) { try AuditTable(columns: [.numeric("a", [1])], times: [-1], events: [true]) }
    #expect(throws: AuditError.self) { try AuditTable(columns: [.numeric("a", [.infinity])]) }
  }
}
