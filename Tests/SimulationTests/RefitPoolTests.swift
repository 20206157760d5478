// RefitPoolTests.swift — `borrowing.refit: pool` keeps the operating characteristics of refitting
// the generator in every replicate.

import Foundation
import Simulation
import TestSupport
import Testing
import TrialSpec

@Suite("Generator refit pool")
struct RefitPoolTests {
  @Test(
    "colon, 300 experimental against 300 pooled synthetic controls, HR 1: type-I error and coverage with a pool of 200 fits within 3 MCSE of a refit in every replicate",
    .tags(.statistical))
  func poolMatchesEveryReplicate() throws {
    var s = try scenario("Scenarios/colon-external-only.yaml")
    s.designs = s.designs.filter { $0.syntheticControls > 0 }
    s.truth.hazardRatios = [1]
    s.borrowing.refits = 20
    let replicates = 600
    let model = try TrialModel(scenario: s, cellIndex: 0)
    let every = MonteCarlo.simulateCell(model: model, scenario: s, cellIndex: 0, replicates: replicates, searchSavings: false)
    var pooled = s
    pooled.borrowing.refit = .pool(size: 200)
    let pool = MonteCarlo.simulateCell(model: model, scenario: pooled, cellIndex: 0, replicates: replicates, searchSavings: false)
    #expect(every.generatorUncertainty?.refitPool == nil)
    #expect(pool.generatorUncertainty?.refitPool == 200)
    let a = try #require(every.operatingCharacteristics.first)
    let b = try #require(pool.operatingCharacteristics.first)
    #expect(a.failures == 0 && b.failures == 0)
    let rejection = 3 * (a.rejectionMCSE * a.rejectionMCSE + b.rejectionMCSE * b.rejectionMCSE).squareRoot()
    #expect(abs(a.rejectionRate - b.rejectionRate) < rejection, "type I: every \(a.rejectionRate), pool \(b.rejectionRate)")
    let coverage = 3 * (a.coverageMCSE * a.coverageMCSE + b.coverageMCSE * b.coverageMCSE).squareRoot()
    #expect(abs(a.coverage - b.coverage) < coverage, "coverage: every \(a.coverage), pool \(b.coverage)")
  }

  @Test("the pool's results are bit-identical for 1 and 2 worker threads", .tags(.regression))
  func determinism() throws {
    var s = try scenario("Scenarios/colon-external-only.yaml")
    s.truth.hazardRatios = [1]
    s.borrowing.refits = 20
    s.borrowing.refit = .pool(size: 8)
    let model = try TrialModel(scenario: s, cellIndex: 0)
    let one = MonteCarlo.simulateCell(model: model, scenario: s, cellIndex: 0, replicates: 20, threads: 1, searchSavings: false)
    let two = MonteCarlo.simulateCell(model: model, scenario: s, cellIndex: 0, replicates: 20, threads: 2, searchSavings: false)
    #expect(one.operatingCharacteristics.map(\.meanLogHR.bitPattern) == two.operatingCharacteristics.map(\.meanLogHR.bitPattern))
    #expect(one.operatingCharacteristics.map(\.coverage) == two.operatingCharacteristics.map(\.coverage))
  }
}
