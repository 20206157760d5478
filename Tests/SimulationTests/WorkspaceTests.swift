// WorkspaceTests.swift — the analyses read from a worker's columns give the numbers of the
// patient-by-patient analyses, and a reused workspace gives the numbers of a fresh one
// (regression tests: the code against itself).

import Foundation
import GSL
import SurvivalAnalysis
import TestSupport
import Testing
import TrialSpec

@testable import Simulation

@Suite("Trial workspace", .tags(.regression))
struct WorkspaceTests {
  static func same(_ a: ReplicateResult, _ b: ReplicateResult) -> Bool {
    a.failure == b.failure && a.logHazardRatio.bitPattern == b.logHazardRatio.bitPattern
      && a.standardError.bitPattern == b.standardError.bitPattern && a.statistic.bitPattern == b.statistic.bitPattern
      && a.rejected == b.rejected && a.events == b.events && a.borrowedEvents.bitPattern == b.borrowedEvents.bitPattern
      && a.capped == b.capped
  }

  static func context(_ model: TrialModel, variance: Double = 0) -> AnalysisContext {
    AnalysisContext(
      test: model.trialProtocol.design.test, intervals: model.intervals, rule: GaussLegendre(points: 64),
      generatorVariance: variance, informationCap: nil, threshold: nil)
  }

  @Test("rpact D1 and the colon designs: columns and patients give the same analysis, bit for bit")
  func columnsMatchPatients() throws {
    let seeds = SeedSequence(masterSeed: 11)
    for path in ["Scenarios/rpact-d1.yaml", "Scenarios/colon-augmented.yaml"] {
      let s = try scenario(path)
      let model = try TrialModel(protocol: s.trialProtocol, refit: false, needsSynthetic: s.designs.contains { $0.syntheticControls > 0 })
      let generator = try model.generatorForReplicate(rng: seeds.makeRandomSource(99))
      let ws = TrialWorkspace()
      for (d, design) in s.designs.enumerated() {
        for (t, hr) in [1.0, 0.75].enumerated() {
          for r in 0..<15 {
            ws.streams.reseed(seeds, cell: 0, truth: t, design: d, replicate: r)
            guard case .cut = model.enrol(design: design, hazardRatio: hr, drift: 1, streams: ws.streams, generator: generator, into: ws)
            else { continue }
            for variance in [0, 0.01] {
              let analysis = TrialAnalysis(context: Self.context(model, variance: variance), synthetic: true)
              for method in [design.analysis, .none, .pool, .powerPrior(weight: 0.5, model: .piecewiseExponential)] {
                let columns = analysis.analyse(ws, method: method)
                let patients = analysis.analyse(ws.patients(), method: method)
                #expect(Self.same(columns, patients), "\(path) \(design.id) \(method) HR \(hr) replicate \(r)")
              }
            }
          }
        }
      }
    }
  }

  @Test("a reused workspace gives the result of fresh streams and a fresh workspace")
  func reuse() throws {
    let s = try scenario("Scenarios/colon-augmented.yaml")
    let model = try TrialModel(protocol: s.trialProtocol, refit: false, needsSynthetic: true)
    let generator = try model.generatorForReplicate(rng: SeedSequence(masterSeed: 3).makeRandomSource(1))
    let seeds = SeedSequence(masterSeed: 5)
    let ws = TrialWorkspace()
    let context = Self.context(model)
    // Large designs first, then small ones: the columns hold stale values beyond each trial.
    for r in 0..<6 {
      for (d, design) in s.designs.enumerated().reversed() {
        ws.streams.reseed(seeds, cell: 2, truth: 1, design: d, replicate: r)
        let reused = model.simulate(
          design: design, hazardRatio: 0.7, drift: 1, streams: ws.streams, generator: generator, context: context, workspace: ws)
        let fresh = model.simulate(
          design: design, hazardRatio: 0.7, drift: 1, streams: ReplicateStreams(seeds, [2, 1, UInt64(d), UInt64(r)]),
          generator: generator, context: context)
        #expect(Self.same(reused, fresh), "\(design.id) replicate \(r)")
      }
    }
  }

  @Test("TrialRunner's replicate r is the engine's replicate r")
  func runnerMatchesEngine() throws {
    let s = try scenario("Scenarios/colon-augmented.yaml")
    let model = try TrialModel(scenario: s, cellIndex: 0)
    let context = MonteCarlo.context(model: model, borrowing: s.borrowing, generatorVariance: 0)
    var jobs: [TrialJob] = []
    for (t, (hr, drift)) in s.truthPairs.enumerated() {
      for (d, design) in s.designs.enumerated() {
        jobs.append(TrialJob(truthIndex: t, hazardRatio: hr, drift: drift, designIndex: d, design: design))
      }
    }
    let results = MonteCarlo.execute(
      jobs, model: model, seeds: SeedSequence(masterSeed: s.seed), cellIndex: 0, replicates: 4, workers: 2,
      context: context, redraws: Counter(), progress: nil)
    for (j, job) in jobs.enumerated() where job.truthIndex == 2 {
      let runner = TrialRunner(model: model, scenario: s, designIndex: job.designIndex, truthIndex: job.truthIndex)
      for r in 0..<4 { #expect(Self.same(runner.simulate(replicate: r), results[j][r]), "\(job.design.id) replicate \(r)") }
    }
  }
}
