// ContractFilesTests.swift — the contract files of Docs/ProtocolFormat.md and our own protocols
// load as written; attrition matches counts made independently in Python
// (Tests/Fixtures/attrition-independent.py and sweep-independent.py: hand-written predicates over
// the raw CSV, no SynthArm code, no YAML).

import Foundation
import TestSupport
import Testing
import TrialSpec

struct IndependentAttrition: Decodable {
  struct ProtocolCounts: Decodable {
    var referenceRows: Int
    var eligible: Int
    var rules: [Rule]
  }
  struct Rule: Decodable {
    var id: String
    var `true`: Int
    var `false`: Int
    var unknown: Int
    var excludedInOrder: Int
    var gainIfDropped: Int
  }
  var protocols: [String: ProtocolCounts]
}

func decodeFixture<T: Decodable>(_ name: String) throws -> T {
  let decoder = JSONDecoder()
  decoder.keyDecodingStrategy = .convertFromSnakeCase
  return try decoder.decode(T.self, from: Data(contentsOf: URL(fileURLWithPath: Fixtures.fixturePath(name))))
}

func repoPath(_ relative: String) -> String { Fixtures.repositoryRoot.appendingPathComponent(relative).path }

@Suite("Contract and shipped files", .tags(.validation))
struct ContractFilesTests {
  @Test(
    "attrition equals the independent Python count",
    arguments: [
      ("Protocols/colon-adjuvant-os.yaml", "colon-adjuvant-os"),
      ("Protocols/lung-advanced-ecog.yaml", "lung-advanced-ecog"),
      ("Protocols/veteran-lung-trial.yaml", "veteran-lung-trial"),
    ])
  func attrition(_ file: String, _ id: String) throws {
    let expected = try (decodeFixture("attrition-independent.json") as IndependentAttrition).protocols[id]!
    let p = try TrialProtocol.load(path: repoPath(file))
    let data = try #require(p.referenceData)
    let attrition = Attrition(p.eligibility, on: data.referenceColumns)
    #expect(attrition.referenceRows == expected.referenceRows)
    #expect(attrition.eligibleCount == expected.eligible)
    #expect(attrition.rules.map(\.id) == expected.rules.map(\.id))
    for (mine, theirs) in zip(attrition.rules, expected.rules) {
      #expect(mine.trueCount == theirs.true, "\(mine.id) true")
      #expect(mine.falseCount == theirs.false, "\(mine.id) false")
      #expect(mine.unknownCount == theirs.unknown, "\(mine.id) unknown")
      #expect(mine.excludedInOrder == theirs.excludedInOrder, "\(mine.id) excluded")
      #expect(mine.gainIfDropped == theirs.gainIfDropped, "\(mine.id) gain")
    }
  }

  @Test("the contract colon protocol: 286 eligible of 315, with its declarations as written")
  func colonProtocol() throws {
    let p = try TrialProtocol.load(path: repoPath("Protocols/colon-adjuvant-os.yaml"))
    #expect(p.timeUnit == .month)
    #expect(p.reference?.timeUnit == .day)
    #expect(p.referenceData?.referenceRows.count == 315)
    #expect(p.variables.map(\.name) == ["age", "sex", "obstruct", "perfor", "adhere", "nodes", "differ", "extent", "surg"])
    #expect(p.variables.first { $0.name == "differ" }?.labels == ["well", "moderate", "poor"])
    #expect(p.eligibility.onUnknown == .exclude)
    #expect(p.endpoint.horizon == 60)
    #expect(p.arms.map(\.id) == ["observation", "lev5fu"])
    #expect(p.experimentalArms.first?.hazardRatio == 0.70)
    #expect(p.design.patients == 600)
    #expect(p.design.accrual == .uniform(duration: 36))
    #expect(p.design.analysis == .calendar(followUp: 24))
    #expect(p.design.dropout?.probability == 0.05 && p.design.dropout?.by == 12)
    #expect(p.design.test == .init(method: .logrank, alpha: 0.05, sided: 2))
    #expect(p.synthesis?.constraints.map(\.source) == ["nodes <= 40"])
    // Missing values are kept as missing: nodes has 3 and differ 7 among the 315 (Python count).
    #expect(p.referenceData?.missingCount("nodes") == 3)
    #expect(p.referenceData?.missingCount("differ") == 7)
  }

  @Test("the parametric contract protocol rpact-d1")
  func rpactProtocol() throws {
    let p = try TrialProtocol.load(path: repoPath("Protocols/rpact-d1.yaml"))
    #expect(p.reference == nil && p.referenceData == nil)
    #expect(p.endpoint.control == .exponential(median: 12))
    #expect(p.design.analysis == .events(380))
    #expect(p.design.test == .init(method: .logrank, alpha: 0.025, sided: 1))
  }

  @Test("the contract colon scenario: designs, truth grid, savings, and sweep cells counted independently")
  func colonScenario() throws {
    struct Sweep: Decodable { var cells: [String: Int] }
    let expected = (try decodeFixture("sweep-independent.json") as Sweep).cells
    let s = try Scenario.load(path: repoPath("Scenarios/colon-augmented.yaml"))
    #expect(s.seed == 20_261_123 && s.replicates == 2000)
    #expect(s.truth.hazardRatios == [1.0, 0.70] && s.truth.drifts == [1.0, 1.2])
    #expect(
      s.designs.map(\.analysis) == [.none, .pool, .powerPrior(weight: 0.5, model: .piecewiseExponential), .testThenPool(level: 0.10)])
    #expect(s.designs.map(\.syntheticControls) == [0, 150, 300, 150])
    #expect(s.savings?.targetPower == 0.80 && s.savings?.compare == ["augmented-pp50"])
    #expect(s.sweep.map(\.id) == ["as-written", "age-70", "node-4plus", "no-EX1"])
    #expect(s.sweep[1].eligibility.rules.map(\.id) == ["IN1", "IN2", "IN3", "EX1"])
    #expect(s.sweep[2].eligibility.rules[1].expression.source == "nodes >= 4")
    #expect(s.sweep[3].eligibility.rules.map(\.id) == ["IN1", "IN2"])
    let columns = try #require(s.trialProtocol.referenceData?.referenceColumns)
    for cell in s.sweep {
      #expect(Attrition(cell.eligibility, on: columns).eligibleCount == expected[cell.id], "\(cell.id)")
    }
    #expect(s.output?.hasSuffix("results/colon-augmented") == true)
  }

  @Test("the parametric contract scenario rpact-d1")
  func rpactScenario() throws {
    let s = try Scenario.load(path: repoPath("Scenarios/rpact-d1.yaml"))
    #expect(s.replicates == 10_000 && s.seed == 20_240_101)
    #expect(s.truth.hazardRatios == [1.0, 0.75] && s.truth.drifts == [1])
    #expect(s.designs.count == 1 && s.designs[0].experimental == 279 && s.designs[0].realControls == 279)
  }
}

@Suite("Durations and units in files", .tags(.unit))
struct DurationTests {
  /// Writes a variant of the rpact-d1 protocol and loads it.
  func load(_ replace: [(String, String)]) throws -> TrialProtocol {
    var text = try String(contentsOfFile: repoPath("Protocols/rpact-d1.yaml"), encoding: .utf8)
    for (a, b) in replace { text = text.replacingOccurrences(of: a, with: b) }
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("syntharm-\(UUID().uuidString).yaml")
    try text.write(to: url, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(at: url) }
    return try TrialProtocol.load(path: url.path)
  }

  @Test("'2 years', '104 weeks' and bare numbers convert to the file's time unit")
  func conversions() throws {
    let p = try load([
      ("accrual: {duration: 24}", "accrual: {duration: 2 years}"),
      ("median: 12}", "median: 365.25 days}"),
    ])
    #expect(p.design.accrual == .uniform(duration: 24))
    #expect(p.endpoint.control == .exponential(median: 12))
    let weeks = try load([("time_unit: month", "time_unit: week"), ("accrual: {duration: 24}", "accrual: {duration: 1 year}")])
    #expect(weeks.design.accrual == .uniform(duration: 365.25 / 7))
  }

  @Test("piecewise control hazards and accrual rates load")
  func piecewise() throws {
    let p = try load([
      (
        "control: {distribution: exponential, median: 12}",
        "control: {piecewise: [{until: 6, rate: 0.05}, {until: 1 year, rate: 0.04}, {rate: 0.03}]}"
      ),
      ("accrual: {duration: 24}", "accrual: {rates: [{duration: 6, rate: 10}, {rate: 20}]}"),
    ])
    #expect(p.endpoint.control == .piecewise(until: [6, 12], rates: [0.05, 0.04, 0.03]))
    #expect(p.design.accrual == .rates([(6, 10), (nil, 20)]))
  }
}
