// StoredFiguresTests.swift — regression test: the audit figures a cell stores decode to the
// same values, so a report written later from stored cells draws what the run computed.

import Foundation
import Runs
import Testing

@Suite("Stored audit figures")
struct StoredFiguresTests {
  @Test("the figures survive a JSON round trip, as in a stored cell")
  func codable() throws {
    let audit = try SampleRun.audit()
    let figures = try #require(audit.figures)
    let text = try ReportJSON.text(figures, snakeCase: false)
    let decoded = try ReportJSON.decode(AuditFigures.self, from: Data(text.utf8))
    #expect(decoded == figures)
    #expect(figures.distributions.map(\.name) == ["age", "nodes", "sex", "extent"])
  }
}
