// ExpressionConformanceTests.swift — the eligibility language, case by case: expression,
// bindings, expected truth value. The expected values come from the grammar and the Kleene
// truth tables in Docs/ProtocolFormat.md, worked out by hand for each row.

import TestSupport
import Testing
import TrialSpec

/// Variables of the table: what a protocol would declare.
let conformanceSymbols: [String: ExpressionSymbol] = [
  "age": .numeric(unit: "year"),
  "diagtime": .numeric(unit: "month"),
  "nodes": .numeric(unit: nil),
  "obstruct": .binary(labels: [:]),
  "prior": .binary(labels: ["no": 0, "yes": 1]),
  "sex": .categorical(labels: ["female", "male"]),
  "differ": .ordinal(labels: ["well", "moderate", "poor"]),
  "rx": .text,
]

/// One patient: nil = missing.
struct Patient {
  var age: Double? = 60, diagtime: Double? = 6, nodes: Double? = 3, obstruct: Double? = 0, prior: Double? = 0
  var sex: String? = "male", differ: String? = "moderate", rx: String? = "Obs"
}

func columns(_ patients: [Patient]) -> ExpressionColumns {
  func num(_ f: (Patient) -> Double?) -> ExpressionColumn { .numeric(patients.map { f($0) ?? .nan }) }
  func lab(_ f: (Patient) -> String?, _ labels: [String]) -> ExpressionColumn {
    .labels(patients.map { p in f(p).map { Int32(labels.firstIndex(of: $0)!) } ?? -1 })
  }
  return ExpressionColumns(
    rowCount: patients.count,
    columns: [
      "age": num(\.age), "diagtime": num(\.diagtime), "nodes": num(\.nodes), "obstruct": num(\.obstruct),
      "prior": num(\.prior), "sex": lab(\.sex, ["female", "male"]), "differ": lab(\.differ, ["well", "moderate", "poor"]),
      "rx": .text(patients.map(\.rx)),
    ])
}

struct ConformanceCase: CustomTestStringConvertible, Sendable {
  var expression: String
  var patient: @Sendable () -> Patient
  var expected: Truth
  var testDescription: String { "\(expression) → \(expected)" }
  init(_ expression: String, _ expected: Truth, _ patient: @escaping @Sendable () -> Patient = { Patient() }) {
    self.expression = expression
    self.expected = expected
    self.patient = patient
  }
}

let conformanceTable: [ConformanceCase] = [
  // Comparisons and arithmetic (age 60, nodes 3).
  .init("age >= 60", .yes), .init("age > 60", .no), .init("age == 60", .yes), .init("age != 60", .no),
  .init("age < 60.5", .yes), .init("age <= 59", .no), .init("60 <= age", .yes),
  .init("age - 10 > 49", .yes), .init("age * 2 == 120", .yes), .init("age / 4 == 15", .yes),
  .init("-age < 0", .yes), .init("nodes + 1 >= 4", .yes), .init("(nodes + 1) * 2 == 8", .yes),
  .init("abs(nodes - 5) == 2", .yes), .init("min(age, 50) == 50", .yes), .init("max(nodes, 2, 7) == 7", .yes),
  .init("log(nodes) > 1", .yes), .init("1.5e1 < nodes * 10", .yes),
  // between (inclusive), in, not.
  .init("age between 18 and 80", .yes), .init("age between 60 and 60", .yes), .init("age between 61 and 80", .no),
  .init("age not between 61 and 80", .yes), .init("nodes in [1, 2, 3]", .yes), .init("nodes not in [1, 2, 3]", .no),
  .init("not age > 70", .yes), .init("not (age > 70 or nodes > 5)", .yes),
  // Units: age is in years, diagtime in months (6).
  .init("age >= 720 months", .yes), .init("age < 21915 days", .no), .init("diagtime <= 0.5 years", .yes),
  .init("diagtime < 0.5 y", .no), .init("diagtime between 26 weeks and 1 year", .yes),
  .init("age >= 18 years and age <= 80 years", .yes),
  // Labels: categorical (==, !=, in) and ordinal (by order).
  .init("sex == \"male\"", .yes), .init("sex != 'male'", .no), .init("sex in [\"female\"]", .no),
  .init("sex not in [\"female\"]", .yes), .init("differ >= \"moderate\"", .yes), .init("differ > \"moderate\"", .no),
  .init("\"poor\" > differ", .yes), .init("differ between \"well\" and \"moderate\"", .yes),
  .init("differ in [\"well\", \"poor\"]", .no),
  // Binary: a bare variable is true when 1; declared labels map to codes.
  .init("obstruct", .no), .init("not obstruct", .yes), .init("obstruct == 0", .yes), .init("prior == \"no\"", .yes),
  .init("prior in [\"yes\"]", .no),
  .init(
    "prior", .yes,
    {
      var p = Patient()
      p.prior = 1
      return p
    }),
  // Text columns (undeclared): == and != against text; numbers compare as written.
  .init("rx == \"Obs\"", .yes), .init("rx != \"Obs\"", .no), .init("rx in [\"Lev\", \"Lev+5FU\"]", .no),
  // Missing values: comparisons are unknown; Kleene and/or/not.
  .init(
    "age > 18", .unknown,
    {
      var p = Patient()
      p.age = nil
      return p
    }),
  .init(
    "age between 18 and 80", .unknown,
    {
      var p = Patient()
      p.age = nil
      return p
    }),
  .init(
    "nodes in [1, 2]", .unknown,
    {
      var p = Patient()
      p.nodes = nil
      return p
    }),
  .init(
    "sex == \"male\"", .unknown,
    {
      var p = Patient()
      p.sex = nil
      return p
    }),
  .init(
    "differ >= \"well\"", .unknown,
    {
      var p = Patient()
      p.differ = nil
      return p
    }),
  .init(
    "rx == \"Obs\"", .unknown,
    {
      var p = Patient()
      p.rx = nil
      return p
    }),
  .init(
    "nodes + 1 > 0", .unknown,
    {
      var p = Patient()
      p.nodes = nil
      return p
    }),
  .init(
    "min(nodes, 5) > 0", .unknown,
    {
      var p = Patient()
      p.nodes = nil
      return p
    }),
  .init(
    "obstruct", .unknown,
    {
      var p = Patient()
      p.obstruct = nil
      return p
    }),
  .init(
    "age > 70 and nodes > 1", .no,
    {
      var p = Patient()
      p.nodes = nil
      return p
    }),  // false and unknown
  .init(
    "age > 18 and nodes > 1", .unknown,
    {
      var p = Patient()
      p.nodes = nil
      return p
    }),  // true and unknown
  .init(
    "age > 18 or nodes > 1", .yes,
    {
      var p = Patient()
      p.nodes = nil
      return p
    }),  // true or unknown
  .init(
    "age > 70 or nodes > 1", .unknown,
    {
      var p = Patient()
      p.nodes = nil
      return p
    }),  // false or unknown
  .init(
    "not nodes > 1", .unknown,
    {
      var p = Patient()
      p.nodes = nil
      return p
    }),  // not unknown
  .init(
    "not (age > 1 and nodes > 1)", .unknown,
    {
      var p = Patient()
      p.nodes = nil
      return p
    }),
  // `is missing` is never unknown.
  .init(
    "nodes is missing", .yes,
    {
      var p = Patient()
      p.nodes = nil
      return p
    }),
  .init("nodes is missing", .no), .init("nodes is not missing", .yes),
  .init(
    "sex is missing", .yes,
    {
      var p = Patient()
      p.sex = nil
      return p
    }),
  .init(
    "rx is not missing", .no,
    {
      var p = Patient()
      p.rx = nil
      return p
    }),
  .init(
    "nodes is missing or nodes >= 1", .yes,
    {
      var p = Patient()
      p.nodes = nil
      return p
    }),
  .init(
    "log(nodes) > 0", .unknown,
    {
      var p = Patient()
      p.nodes = 0
      return p
    }),  // log of 0 has no value
  // Precedence: and binds tighter than or.
  .init("age < 18 or age > 50 and nodes > 10", .no), .init("(age < 18 or age > 50) and nodes > 1", .yes),
]

@Suite("Eligibility language: conformance table", .tags(.validation))
struct ExpressionConformanceTests {
  @Test(arguments: conformanceTable)
  func evaluates(_ c: ConformanceCase) throws {
    let compiled = try CompiledExpression(c.expression, symbols: conformanceSymbols)
    #expect(compiled.evaluate(columns([c.patient()])) == [c.expected])
  }

  @Test("one compiled expression evaluates many rows at once, each row independently")
  func vectorised() throws {
    let compiled = try CompiledExpression("age between 18 and 80 and nodes >= 1", symbols: conformanceSymbols)
    var patients = [Patient(), Patient(), Patient(), Patient()]
    patients[1].age = 90
    patients[2].nodes = nil
    patients[3].age = nil
    patients[3].nodes = 0
    #expect(compiled.evaluate(columns(patients)) == [.yes, .no, .unknown, .no])
    #expect(compiled.variables == ["age", "nodes"])
  }
}
