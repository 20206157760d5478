// BorrowingSimulationTests.swift — the borrowing designs inside the Monte Carlo engine: the implied
// drift of the node-4plus cell (the independent reading: the generator predicts
// S(60) ≈ 0.40 where the subgroup's own data give ≈ 0.32, a hidden drift of about 0.8), the cap on
// a synthetic arm's information, external real controls, and failures kept out of the rates.

import Foundation
import GSL
import TestSupport
import Testing
import TrialSpec

@testable import Simulation

@Suite("Borrowing in the simulation")
struct BorrowingSimulationTests {
  @Test(
    "the node-4plus cell's generator, fitted on the whole reference, is flagged: implied drift about 0.8 with an interval below 1; the as-written cell is not flagged",
    .tags(.statistical))
  func impliedDrift() throws {
    var s = try scenario("Scenarios/colon-augmented.yaml")
    s.borrowing.refits = 60
    let seeds = SeedSequence(masterSeed: s.seed)
    var drifts: [String: ImpliedDrift] = [:]
    for cell in [0, 2] {
      let model = try TrialModel(scenario: s, cellIndex: cell)
      let u = try #require(model.generatorUncertainty(refits: 60, seeds: seeds, cellIndex: cell, included: true))
      // The independent computation: SD ≈ 0.09 of the synthetic arm's log cumulative hazard.
      #expect(u.logCumulativeHazardSD > 0.05 && u.logCumulativeHazardSD < 0.14, "SD \(u.logCumulativeHazardSD)")
      drifts[s.sweep[cell].id] = try #require(model.impliedDrift(uncertainty: u, seeds: seeds, cellIndex: cell))
    }
    let node = try #require(drifts["node-4plus"])
    let written = try #require(drifts["as-written"])
    #expect(node.flagged && node.upper < 1 && abs(node.hazardRatio - 0.8) < 0.1, "node-4plus: \(node)")
    #expect(!written.flagged && written.lower < 1 && written.upper > 1, "as-written: \(written)")
  }

  @Test("the uncertainty refits give the same figures on one thread or three (regression)", .tags(.regression))
  func uncertaintyThreads() throws {
    let s = try scenario("Scenarios/colon-augmented.yaml")
    let seeds = SeedSequence(masterSeed: s.seed)
    let model = try TrialModel(scenario: s, cellIndex: 0)
    let one = try #require(model.generatorUncertainty(refits: 12, seeds: seeds, cellIndex: 0, included: true, patients: 300))
    let three = model.generatorUncertainty(refits: 12, seeds: seeds, cellIndex: 0, included: true, patients: 300, workers: 3)
    #expect(one == three)
    #expect(one.failedRefits == 0 && one.logCumulativeHazardSD > 0)
  }

  @Test("fitting on the eligible patients removes the node-4plus cell's implied drift", .tags(.statistical))
  func fitOnEligible() throws {
    var s = try scenario("Scenarios/colon-augmented.yaml")
    s.sweep[2].fitOn = .eligible
    let model = try TrialModel(scenario: s, cellIndex: 2)
    #expect(model.fitOn == .eligible)
    let seeds = SeedSequence(masterSeed: s.seed)
    let u = try #require(model.generatorUncertainty(refits: 40, seeds: seeds, cellIndex: 2, included: true))
    let drift = try #require(model.impliedDrift(uncertainty: u, seeds: seeds, cellIndex: 2))
    #expect(!drift.flagged && abs(log(drift.hazardRatio)) < 0.1, "\(drift)")
  }

  @Test(
    "2,000 pooled synthetic controls borrow no more than the eligible reference's events; a reference source borrows its own events without the generator term",
    .tags(.unit))
  func cappedInformation() throws {
    var s = try scenario("Scenarios/colon-borrowing.yaml")
    s.borrowing.refits = 20
    s.truth.hazardRatios = [1]
    s.truth.drifts = [1]
    s.designs = [
      .init(id: "pool-2000", experimental: 300, realControls: 150, syntheticControls: 2_000, analysis: .pool),
      .init(
        id: "pp-2000", experimental: 300, realControls: 150, syntheticControls: 2_000,
        analysis: .powerPrior(weight: 1, model: .piecewiseExponential)),
      .init(
        id: "reference", experimental: 300, realControls: 150, syntheticControls: 0,
        analysis: .powerPrior(weight: 1, model: .piecewiseExponential), source: .reference),
    ]
    let model = try TrialModel(scenario: s, cellIndex: 0)
    let cap = Double(model.eligibleReferenceEvents)
    let oc = MonteCarlo.run(model: model, scenario: s, replicates: 12, threads: 2)
    for o in oc where o.source == .synthetic {
      #expect(o.borrowedEvents <= cap + 1e-9 && o.borrowedEvents > 0.5 * cap, "\(o.design): \(o.borrowedEvents) of \(cap)")
      #expect(o.failures == 0)
    }
    let reference = try #require(oc.first { $0.design == "reference" })
    // The reference's own events (about 150 of 286 eligible, followed with their own censoring).
    #expect(reference.source == .reference && reference.capRate == 0)
    #expect(reference.borrowedEvents > 0.7 * cap && reference.borrowedEvents < 1.3 * cap, "\(reference.borrowedEvents)")
    #expect(reference.decision == .posterior && reference.threshold == 0.975)
  }

  @Test(
    "failed replicates are counted by kind and kept out of every rate; with none analysed every rate is NaN",
    .tags(.unit))
  func failuresAsData() throws {
    let context = AnalysisContext(
      test: .init(method: .logrank, alpha: 0.05, sided: 2), intervals: HazardIntervals(cutPoints: []),
      rule: .init(points: 8), generatorVariance: 0, informationCap: nil, threshold: nil)
    let design = Scenario.Design(id: "d", experimental: 10, realControls: 10, syntheticControls: 0, analysis: .none)
    let ok = ReplicateResult(
      logHazardRatio: -0.2, standardError: 0.1, lower: -0.4, upper: 0, statistic: -2.5, rejected: true,
      events: 20, borrowedEvents: 0, capped: false, failure: nil)
    let some = MonteCarlo.summarize(
      [ok, ok, .failure(.coxNotConverged), .failure(.eventTargetNotReached)], cell: "c",
      design: design, hazardRatio: 0.8, drift: 1, estimand: -0.2, context: context)
    #expect(some.rejectionRate == 1 && some.analysed == 2 && some.failures == 2 && some.failureRate == 0.5)
    #expect(some.failureKinds == ["cox-not-converged": 1, "event-target-not-reached": 1])
    let none = MonteCarlo.summarize(
      [.failure(.noEvents)], cell: "c", design: design, hazardRatio: 1, drift: 1, estimand: 0,
      context: context)
    #expect(none.rejectionRate.isNaN && none.coverage.isNaN && none.failureRate == 1)
  }
}

@Suite("Dynamic borrowing and prognostic designs in the simulation")
struct DynamicDesignTests {
  @Test(
    "every method of the contract borrowing scenario runs without failures; the prognostic score reduces the log-rank variance and borrows nothing",
    .tags(.unit))
  func contractMethodsRun() throws {
    var s = try scenario("Scenarios/colon-borrowing.yaml")
    s.borrowing.refits = 20
    s.truth.hazardRatios = [0.7]
    s.truth.drifts = [1]
    let model = try TrialModel(scenario: s, cellIndex: 0)
    let oc = MonteCarlo.run(model: model, scenario: s, replicates: 6, threads: 2)
    #expect(Set(oc.map(\.method)) == Set(Scenario.AnalysisMethod.allCases))
    for o in oc {
      #expect(o.failures == 0, "\(o.design): \(o.failureKinds)")
      #expect(o.meanLogHR.isFinite && o.rejectionRate.isFinite)
      if o.method == .prognostic || o.method == .none { #expect(o.borrowedEvents == 0) }
    }
    let prognostic = try #require(oc.first { $0.design == "prognostic" })
    #expect(prognostic.decision == .z && prognostic.varianceRatio! < 0.97 && prognostic.varianceRatio! > 0.6)
    let bayesian = oc.filter { $0.decision == .posterior }.map(\.method)
    #expect(Set(bayesian) == [.powerPrior, .commensurate, .robustMixture, .ebPowerPrior, .sam])
  }
}
