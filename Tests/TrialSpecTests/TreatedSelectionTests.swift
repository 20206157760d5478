// TreatedSelectionTests.swift — the treated arm of `syntharm mimic`: counts on the colon protocol
// (283 eligible Lev+5FU rows and 286 eligible Obs controls, as R counts them in
// Tests/Fixtures/mimic-colon-r.json and the independent Python count in sweep-independent.json),
// and every refusal located at `--treated:1:column` with a caret.

import Foundation
import TestSupport
import Testing
import TrialSpec

private func colon() throws -> TrialProtocol {
  try TrialProtocol.load(path: Fixtures.repositoryRoot.appendingPathComponent("Protocols/colon-adjuvant-os.yaml").path)
}

/// The one error of selecting `source` on the colon protocol.
private func refusal(_ source: String) throws -> SpecError {
  let p = try colon()
  do {
    _ = try p.treatedSelection(source)
  } catch {
    #expect(error.errors.count == 1)
    return try #require(error.errors.first)
  }
  Issue.record("'\(source)' was accepted")
  throw CancellationError()
}

@Suite("mimic: the treated arm", .tags(.unit))
struct TreatedSelectionTests {
  @Test("colon, rx == \"Lev+5FU\": 304 selected, 283 eligible treated, 286 eligible controls")
  func colonCounts() throws {
    let s = try colon().treatedSelection("rx == \"Lev+5FU\"")
    #expect(s.selectedRows.count == 304)
    #expect(s.treatedRows.count == 283)
    #expect(s.ineligibleTreated == 21)
    #expect(s.controlRows.count == 286)
    #expect(Set(s.treatedRows).isDisjoint(with: s.controlRows))
  }

  @Test("an unknown column: located, with a suggestion and a caret")
  func unknownColumn() throws {
    let e = try refusal("rxx == \"Lev+5FU\"")
    #expect(e.description.hasPrefix("--treated:1:1: unknown variable 'rxx'"))
    #expect(e.description.contains("(did you mean 'rx'?)"))
    #expect(e.detail == "    rxx == \"Lev+5FU\"\n    ^")
  }

  @Test("a syntax error points at its character")
  func syntax() throws {
    let e = try refusal("rx == ")
    #expect(e.line == 1 && e.column == 7, "\(e)")
  }

  @Test("an expression that selects nobody names the file and the values of the text column")
  func selectsNobody() throws {
    let e = try refusal("rx == \"Lev+5-FU\"")
    #expect(e.description.contains("--treated:1:1: selects no row of "), "\(e)")
    #expect(e.description.contains("'rx' holds Lev+5FU, Obs, Lev"), "\(e)")
  }

  @Test("an expression that selects reference rows (treated patients who are also controls) is refused")
  func overlapsReference() throws {
    let e = try refusal("rx != \"Lev\"")
    #expect(e.description.contains("selects 315 of the 315 reference rows"), "\(e)")
    #expect(e.description.contains("286 of them eligible controls"), "\(e)")
  }

  @Test("selected rows none of which is eligible are refused")
  func noneEligible() throws {
    let e = try refusal("rx == \"Lev\" and age > 80")
    #expect(e.description.contains("none meets the protocol's eligibility"), "\(e)")
  }
}
