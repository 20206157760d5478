// AttritionTests.swift — `on_unknown` per protocol and per rule, on hand-countable data.

import Foundation
import TestSupport
import Testing
import TrialSpec

@Suite("Attrition and on_unknown", .tags(.unit))
struct AttritionTests {
  @Test("a rule's own on_unknown overrides the protocol's: IN2 with include keeps the 3 patients whose nodes are missing")
  func perRuleOverride() throws {
    // The three Obs patients with missing nodes are aged 72, 57, 57 with extent 3 (serosa), so
    // they pass IN1 and EX1 (checked with Python's csv module): 286 + 3 = 289 eligible.
    var text = try String(contentsOfFile: repoPath("Protocols/colon-adjuvant-os.yaml"), encoding: .utf8)
    text = text.replacingOccurrences(of: "when: nodes >= 1", with: "when: nodes >= 1\n      on_unknown: include")
    let url = Fixtures.repositoryRoot.appendingPathComponent("Protocols/.test-on-unknown.yaml")
    try text.write(to: url, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(at: url) }
    let p = try TrialProtocol.load(path: url.path)
    #expect(p.eligibility.rules[1].onUnknown == .include)
    let attrition = Attrition(p.eligibility, on: try #require(p.referenceData).referenceColumns)
    #expect(attrition.eligibleCount == 289)
    #expect(attrition.rules[1].excludedInOrder == 1)  // only the patient with 0 nodes
    #expect(attrition.rules[1].unknownCount == 3)  // unknown is still reported as unknown
  }

  @Test("protocol-wide include: unknown passes inclusion rules and does not trigger exclusion rules")
  func protocolInclude() throws {
    // Four patients by hand: (nodes, extent) = (2, serosa), (missing, serosa), (0, missing), (missing, missing).
    let symbols: [String: ExpressionSymbol] = ["nodes": .numeric(unit: nil), "extent": .ordinal(labels: ["serosa", "contiguous"])]
    let columns = ExpressionColumns(
      rowCount: 4,
      columns: [
        "nodes": .numeric([2, .nan, 0, .nan]), "extent": .labels([0, 0, -1, -1]),
      ])
    let rules = [
      EligibilityRule(
        id: "IN", kind: .inclusion, text: nil, expression: try CompiledExpression("nodes >= 1", symbols: symbols), onUnknown: nil),
      EligibilityRule(
        id: "EX", kind: .exclusion, text: nil, expression: try CompiledExpression("extent == \"contiguous\"", symbols: symbols),
        onUnknown: nil),
    ]
    let include = Attrition(Eligibility(onUnknown: .include, rules: rules), on: columns)
    #expect(include.eligible == [0, 1, 3])  // patient 2 has 0 nodes: false, excluded
    let exclude = Attrition(Eligibility(onUnknown: .exclude, rules: rules), on: columns)
    #expect(exclude.eligible == [0])
    #expect(exclude.rules.map(\.excludedInOrder) == [3, 0])
    #expect(exclude.rules.map(\.gainIfDropped) == [1, 0])  // without IN, patient 1 passes (extent known, not contiguous)
  }
}
