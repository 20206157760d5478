// ConditionalGenerationTests.swift — every generated patient meets the criteria; the fast
// latent-box path samples the same conditional as plain rejection; budgets end in errors.

import Foundation
import GSL
import Synthesis
import TestSupport
import Testing
import TrialSpec

@Suite("Conditional generation")
struct ConditionalGenerationTests {
  @Test(
    "every shipped protocol: 100 % of generated rows meet eligibility and constraints", .tags(.unit),
    arguments: ["colon-adjuvant-os", "lung-advanced-ecog", "veteran-lung-trial"])
  func allRowsEligible(_ id: String) throws {
    let p = try TrialProtocol.load(path: Fixtures.repositoryRoot.appendingPathComponent("Protocols/\(id).yaml").path)
    let generator = try SyntheticControlGenerator(protocol: p)
    let (patients, report) = try generator.generate(count: 1_000, seed: 1)
    #expect(patients.count == 1_000)
    let columns = patients.columns
    #expect(p.eligibility.eligible(columns).allSatisfy { $0 })
    for constraint in p.synthesis?.constraints ?? [] {
      #expect(!constraint.evaluate(columns).contains(.no), "\(constraint.source)")
    }
    #expect(report.support == Attrition(p.eligibility, on: p.referenceData!.referenceColumns).eligibleCount)
  }

  @Test(
    "a rare subgroup (x ≥ 2.4, ~1 %) with correlated y: the latent box matches plain rejection (KS, correlation)",
    .tags(.statistical))
  func fastPathMatchesRejection() throws {
    let reference = try KnownReference.make(
      n: 3_000, rho: 0.7, seed: 21, eligibility: "    - {id: RARE, when: x >= 2.4}\n")
    defer { reference.remove() }
    let generator = try SyntheticControlGenerator(protocol: reference.load())
    let n = 2_000
    let (fast, fastReport) = try generator.generate(count: n, seed: 1)
    let (slow, slowReport) = try generator.generate(count: n, seed: 2, allowLatentBox: false)
    #expect(fastReport.method == "latent-box")
    #expect(slowReport.method == "rejection")
    #expect(slowReport.acceptanceRate < 0.02)
    #expect(fastReport.candidates < slowReport.candidates / 5)  // the point of the fast path
    let critical = 1.95 * (2.0 / Double(n)).squareRoot()  // two-sample KS, α = 0.001
    for j in 0..<2 {
      #expect(ksStatistic(fast.values[j], slow.values[j]) < critical, "variable \(j)")
    }
    // Independent truncation of y would lose its dependence on x; the conditional keeps it.
    let rFast = pearson(fast.values[0], fast.values[1])
    let rSlow = pearson(slow.values[0], slow.values[1])
    #expect(abs(rFast - rSlow) < 4 * (2.0 / Double(n)).squareRoot(), "ρ fast \(rFast), rejection \(rSlow)")
    #expect(fast.values[0].allSatisfy { $0 >= 2.4 })
  }

  @Test("criteria nobody can meet: a clear error after the budget, never fewer rows", .tags(.unit))
  func budget() throws {
    let reference = try KnownReference.make(n: 500, rho: 0.3, seed: 3, eligibility: "    - {id: NONE, when: x > 100}\n")
    defer { reference.remove() }
    let generator = try SyntheticControlGenerator(protocol: reference.load())
    #expect(throws: SynthesisError.budgetExhausted(requested: 10, generated: 0, candidates: 5_000)) {
      _ = try generator.generate(count: 10, seed: 1, maxCandidates: 5_000)
    }
  }

  @Test("support below 30 eligible reference patients is reported with a warning", .tags(.unit))
  func supportWarning() throws {
    let reference = try KnownReference.make(n: 400, rho: 0.3, seed: 4, eligibility: "    - {id: TAIL, when: x >= 2.2}\n")
    defer { reference.remove() }
    let generator = try SyntheticControlGenerator(protocol: reference.load())
    let (_, report) = try generator.generate(count: 50, seed: 1)
    #expect(report.support < 30)
    #expect(report.supportWarning != nil)
  }

  @Test("the CSV uses the reference's columns and coding", .tags(.unit))
  func csvCoding() throws {
    let p = try TrialProtocol.load(path: Fixtures.repositoryRoot.appendingPathComponent("Protocols/veteran-lung-trial.yaml").path)
    let generator = try SyntheticControlGenerator(protocol: p)
    let (patients, _) = try generator.generate(count: 100, seed: 1)
    let csv = generator.csv(generator.replica(of: patients, seed: 1))
    let rows = csv.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
    #expect(rows[0] == ["celltype", "time", "status", "karno", "diagtime", "age", "prior"])
    #expect(rows.count == 101)
    #expect(rows.dropFirst().allSatisfy { ["squamous", "smallcell", "adeno", "large"].contains($0[0]) })
    #expect(rows.dropFirst().allSatisfy { ["0", "10"].contains($0[6]) && ["0", "1"].contains($0[2]) })
    #expect(rows.dropFirst().allSatisfy { Int($0[1]) != nil && Int($0[1])! >= 1 })  // whole days, as the reference
  }
}
