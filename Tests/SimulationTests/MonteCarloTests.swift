// MonteCarloTests.swift — trial simulation against rpact and closed forms, and determinism.

import Foundation
import Simulation
import TestSupport
import Testing
import TrialSpec

func scenario(_ path: String) throws -> Scenario {
  try Scenario.load(path: Fixtures.repositoryRoot.appendingPathComponent(path).path)
}

@Suite("Monte Carlo trials")
struct MonteCarloTests {
  @Test(
    "rpact D1 (HR 0.75, 380 events, one-sided 0.025): power within 3 MCSE of rpact's simulated and analytic power; type-I error within 3 MCSE of α",
    .tags(.validation, .statistical))
  func rpactParity() throws {
    // rpact 3.3.4 getSimulationSurvival (10,000 iterations): 0.8054; getPowerSurvival: 0.80067
    // (Tests/Fixtures/r-survival-rpact-reference.json, rpact_simulation D1 and D1-H0).
    let s = try scenario("Scenarios/rpact-d1.yaml")
    let model = try TrialModel(protocol: s.trialProtocol, needsSynthetic: false)
    let oc = MonteCarlo.run(model: model, scenario: s, replicates: 2_000)
    let null = oc.first { $0.hazardRatio == 1 }!
    let alternative = oc.first { $0.hazardRatio == 0.75 }!
    let mcse = (0.8 * 0.2 / 2_000).squareRoot()
    #expect(abs(alternative.rejectionRate - 0.8054) < 3 * (mcse * mcse + 0.00395892 * 0.00395892).squareRoot())
    #expect(abs(alternative.rejectionRate - 0.800670161473795) < 3 * mcse)
    #expect(abs(null.rejectionRate - 0.025) < 3 * (0.025 * 0.975 / 2_000).squareRoot())
    #expect(abs(alternative.meanEvents - 380) < 0.5)
    // Exponential survival, no covariates: the marginal HR is the conditional one.
    #expect(abs(alternative.estimandLogHR - log(0.75)) < 0.02)
    #expect(null.failures == 0 && alternative.failures == 0)
  }

  @Test("results are bit-identical for 1 and 2 worker threads", .tags(.regression))
  func determinism() throws {
    let s = try scenario("Scenarios/colon-augmented.yaml")
    let model = try TrialModel(protocol: s.trialProtocol, refit: false, needsSynthetic: true)
    let one = MonteCarlo.run(model: model, scenario: s, replicates: 30, threads: 1)
    let two = MonteCarlo.run(model: model, scenario: s, replicates: 30, threads: 2)
    #expect(one.map(\.meanLogHR.bitPattern) == two.map(\.meanLogHR.bitPattern))
    #expect(one.map(\.rejectionRate) == two.map(\.rejectionRate))
  }

  @Test(
    "pooling exchangeable synthetic controls (drift 1, no refit) keeps type-I error near α; drift 1.2 inflates it",
    .tags(.statistical))
  func poolingDrift() throws {
    let s = try scenario("Scenarios/colon-augmented.yaml")
    let model = try TrialModel(protocol: s.trialProtocol, refit: false, needsSynthetic: true)
    var pooled = s
    pooled.designs = s.designs.filter { $0.id == "augmented-pool" }
    pooled.truth.hazardRatios = [1]
    let oc = MonteCarlo.run(model: model, scenario: pooled, replicates: 600)
    let exchangeable = oc.first { $0.drift == 1 }!
    let drifted = oc.first { $0.drift == 1.2 }!
    let se = (0.05 * 0.95 / 600).squareRoot()
    #expect(abs(exchangeable.rejectionRate - 0.05) < 3.5 * se, "type I \(exchangeable.rejectionRate)")
    #expect(drifted.rejectionRate > exchangeable.rejectionRate + 2 * se, "drift 1.2: \(drifted.rejectionRate)")
  }

  @Test(
    "estimands on the colon scenario: unadjusted 0.7225 (an independent check); adjusted for every covariate, the conditional 0.70",
    .tags(.validation, .statistical))
  func estimands() throws {
    var s = try scenario("Scenarios/colon-augmented.yaml")
    let everything = s.trialProtocol.variables.map(\.name)
    s.designs = [
      Scenario.Design(id: "unadjusted", experimental: 300, realControls: 300, syntheticControls: 0, analysis: .none),
      Scenario.Design(
        id: "adjusted", experimental: 300, realControls: 300, syntheticControls: 0, analysis: .none,
        adjust: everything),
    ]
    s.truth.hazardRatios = [0.70]
    s.truth.drifts = [1]
    let model = try TrialModel(protocol: s.trialProtocol, needsSynthetic: false)
    let oc = MonteCarlo.run(model: model, scenario: s, replicates: 4)
    // 200,000 patients per arm: the estimand's own SE is about 0.006 on the log scale.
    #expect(abs(exp(oc[0].estimandLogHR) - 0.7225) < 0.012, "unadjusted \(exp(oc[0].estimandLogHR))")
    #expect(abs(exp(oc[1].estimandLogHR) - 0.70) < 0.012, "adjusted \(exp(oc[1].estimandLogHR))")
  }
}
