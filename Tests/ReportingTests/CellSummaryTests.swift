// CellSummaryTests.swift — regression test of the summary that leads the console and the report:
// the searched design first with its saving and interval, its type-I error range read from the
// per-drift risks, the borrowed events at drift 1, and a failed cell as one NA row with its reason.

import Runs
import Testing

@testable import Reporting

@Suite("The one-screen summary")
struct CellSummaryTests {
  @Test("a searched design's row carries its saving, interval and type-I range; a failed cell says why")
  func rows() throws {
    var report = try SampleRun.report()
    let first = CellSummary.rows(report).filter { $0.cell == "as-written" }
    let row = try #require(first.first)
    #expect(row.design == "augmented-pp50" && first.count == 1)
    #expect(row.saved == 100 && row.status == .found && row.controls == "200 + 300")
    #expect(row.conventional == "600 (300 + 300)")
    let typeI = try #require(row.typeIRange)
    #expect(typeI.low == 0.025 && typeI.high == 0.06 && typeI.atDrift == 1.2)
    #expect(row.borrowedEvents != nil && row.failure == nil)

    report.cells[1].failure = CellFailure(kind: .notEnoughData, message: "cell 'age-70' cannot be simulated")
    let failed = CellSummary.rows(report).filter { $0.cell == "age-70" }
    #expect(failed.count == 1 && failed[0].failure == "cell 'age-70' cannot be simulated")
  }
}
