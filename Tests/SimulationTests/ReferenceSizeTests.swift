// ReferenceSizeTests.swift — `sweep.reference_size`: the cells and their shared streams, nested
// subsamples of the eligible reference, and cohorts drawn from the truth above its size, on
// which the synthetic source is refit.

import Foundation
import GSL
import TestSupport
import Testing

@testable import Simulation
@testable import TrialSpec

@Suite("Reference size", .tags(.unit))
struct ReferenceSizeTests {
  @Test("the sweep crosses eligibility with sizes; cells of one variation share the streams of the first")
  func cells() throws {
    let s = try scenario("Scenarios/colon-reference-size.yaml")
    #expect(s.sweep.map(\.id) == [75, 150, 286, 600, 1200].map { "as-written-ref\($0)" })
    #expect(s.sweep.allSatisfy { $0.streamCell == 0 })
    #expect(s.sweep.map(\.referenceSize) == [75, 150, 286, 600, 1200])
    let borrowing = try #require(s.designs.first { $0.id == "augmented-pp50" })
    #expect(borrowing.syntheticControls == 600 && !borrowing.fillsControlArm)
  }

  @Test("subsamples are nested across sizes; above the eligible reference the source learns from a cohort drawn from the truth")
  func sources() throws {
    let s = try scenario("Scenarios/colon-reference-size.yaml")
    func model(_ k: Int) throws -> TrialModel { try TrialModel(scenario: s, cellIndex: k, refit: false) }
    let small = try model(0)
    let larger = try model(1)
    let whole = try model(2)
    let simulated = try model(3)
    #expect(small.referenceSample == ReferenceSample(size: 75, kind: .subsample, eligibleAvailable: 286))
    #expect(small.sourceEligibleRows.count == 75 && larger.sourceEligibleRows.count == 150)
    #expect(Set(small.sourceEligibleRows).isSubset(of: Set(larger.sourceEligibleRows)))
    #expect(Set(larger.sourceEligibleRows).isSubset(of: Set(whole.eligibleRows)))
    #expect(whole.referenceSample?.kind == .asIs && whole.sourceEligibleRows == whole.eligibleRows)
    // The colon protocol fits on every reference patient: the others are kept in proportion.
    let others = whole.referenceRows.count - 286
    #expect(abs(small.referenceRows.count - 75 - Int((Double(others) * 75 / 286).rounded())) == 0)
    // A cohort of 600 drawn from the truth: its own rows, all eligible, with events.
    #expect(simulated.referenceSample?.kind == .simulated)
    #expect(simulated.referenceRows == Array(0..<600))
    #expect(simulated.sourceProtocol.referenceData?.times.count == 600)
    let events = simulated.eligibleReferenceEvents
    // The eligible reference has 286 patients with about half events; a cohort twice its size
    // drawn from the truth (censored like it) has about twice the events: within ±25 %.
    let realEvents = whole.eligibleReferenceEvents
    #expect(Double(events) > 1.5 * Double(realEvents) && Double(events) < 2.5 * Double(realEvents), "\(events) vs \(realEvents)")
    #expect(small.eligibleReferenceEvents < whole.eligibleReferenceEvents)
  }
}
