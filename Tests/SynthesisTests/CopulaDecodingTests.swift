// CopulaDecodingTests.swift — the fast decoding of synthetic patients gives the same patients.
//
// Regression tests (the code against its own earlier path): the threshold decoder against the
// marginal's Φ-based decoding, including latent values at and next to every category edge; a
// trial's sample (only the variables the rules and outcome read) against a full sample.

import Foundation
import GSL
import TestSupport
import Testing
import TrialSpec

@testable import Synthesis

@Suite("Copula decoding")
struct CopulaDecodingTests {
  @Test("threshold decoding equals the Φ-based decoding, at and around every category edge", .tags(.regression))
  func thresholdsMatchMarginals() throws {
    let marginals: [Marginal] = [
      .discrete(values: [0, 1], cumulative: [0.93, 1]),
      .discrete(values: [1, 2, 3], cumulative: [0.1, 0.85, 1]),
      .discrete(values: Array(0..<33).map(Double.init), cumulative: (1...33).map { min(Double($0) / 33, 1) }),
      .discrete(values: [5], cumulative: [1]),
      .discrete(values: [0, 1], cumulative: [1e-9, 1]),
      .continuous(sorted: [18, 40, 55, 61, 70, 80]),
    ]
    let decoder = CopulaDecoder(marginals: marginals)
    var probes: [Double] = [-.infinity, -40, -8, -1, 0, 0.5, 1, 8, 40, .infinity]
    for case .discrete(_, let cumulative) in marginals {
      for c in cumulative.dropLast() {
        let t = StandardNormal.quantile(c)
        var z = t
        for _ in 0..<8 {  // the ulps next to the edge, then a few band widths away
          probes += [z, -z]
          z = z.nextUp
        }
        z = t
        for _ in 0..<8 {
          probes.append(z)
          z = z.nextDown
        }
        probes += [-1, -0.5, 0.5, 1, 2].map { t + $0 * CopulaDecoder.band }
      }
    }
    let rng = SeedSequence(masterSeed: 7).makeRandomSource(1)
    for _ in 0..<20_000 { probes.append(rng.normal() * 2) }
    for (a, marginal) in marginals.enumerated() {
      for z in probes {
        let expected = marginal.value(latent: z)
        let got = decoder.value(a, latent: z)
        #expect(got == expected || (got.isNaN && expected.isNaN), "marginal \(a), z = \(z): \(got) vs \(expected)")
      }
    }
  }

  @Test("a trial's sample decodes fewer variables but gives the same patients and event times", .tags(.regression))
  func outcomeColumnsMatchFullSample() throws {
    let p = try TrialProtocol.load(path: Fixtures.repositoryRoot.appendingPathComponent("Protocols/colon-adjuvant-os.yaml").path)
    let generator = try SyntheticControlGenerator(protocol: p)
    // Rules that read one variable, an outcome model that reads every variable: nothing skipped.
    let seeds = SeedSequence(masterSeed: 11)
    let full = try generator.sample(count: 500, using: seeds.makeRandomSource(1), eligibility: p.eligibility, drift: 1.3)
    let trial = try generator.sample(
      count: 500, using: seeds.makeRandomSource(1), eligibility: p.eligibility, drift: 1.3, columns: .outcome)
    #expect(full.eventTimes == trial.eventTimes)
    for j in full.values.indices where !trial.values[j].isEmpty {
      #expect(zip(full.values[j], trial.values[j]).allSatisfy { $0 == $1 || ($0.isNaN && $1.isNaN) })
    }
    #expect(trial.values.allSatisfy { !$0.isEmpty })
  }

  @Test("candidates are screened on the variables the rules and constraints read", .tags(.unit))
  func screenedVariables() throws {
    let p = try TrialProtocol.load(path: Fixtures.repositoryRoot.appendingPathComponent("Protocols/colon-adjuvant-os.yaml").path)
    let generator = try SyntheticControlGenerator(protocol: p)
    let sampler = ConditionalSampler(generator: generator, eligibility: p.eligibility, constraints: p.synthesis?.constraints ?? [])
    // IN1 age, IN2 nodes, EX1 extent, the constraint nodes ≤ 40; the outcome model reads all nine.
    #expect(Set(sampler.screenedVariables.map { generator.variables[$0].name }) == ["age", "nodes", "extent"])
    #expect(sampler.outcomeVariables.count == generator.variables.count)
  }
}
