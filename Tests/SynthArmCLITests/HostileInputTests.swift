// HostileInputTests.swift — every file of Tests/Fixtures/Hostile (and a few megabyte-sized
// inputs written here) through the debug `syntharm`: an exit status of 0, 1 or 64 as listed in
// Tests/Fixtures/Hostile/README.md, never a signal; for an error, a message naming the file
// (with line and column, or CSV row and column, where the fault has one) and nothing on stdout.

import Foundation
import TestSupport
import Testing

/// Runs the built `syntharm` (next to the test bundle) and reports how it ended: a signal (a trap,
/// a stack overflow) is not an exit.
func runChecked(_ arguments: [String]) throws -> (exited: Bool, status: Int32, out: String, err: String) {
  let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("syntharm")
  let process = Process()
  process.executableURL = binary
  process.arguments = arguments
  process.currentDirectoryURL = Fixtures.repositoryRoot
  let out = Pipe()
  let err = Pipe()
  process.standardOutput = out
  process.standardError = err
  try process.run()
  // Read both pipes concurrently: a chatty error on stderr must not block the child.
  nonisolated(unsafe) var errData = Data()
  let group = DispatchGroup()
  group.enter()
  DispatchQueue.global().async {
    errData = err.fileHandleForReading.readDataToEndOfFile()
    group.leave()
  }
  let o = out.fileHandleForReading.readDataToEndOfFile()
  group.wait()
  process.waitUntilExit()
  return (
    process.terminationReason == .exit, process.terminationStatus,
    String(decoding: o, as: UTF8.self), String(decoding: errData, as: UTF8.self)
  )
}

/// One hostile input: the command, the documented exit status, and fragments stderr must hold.
struct HostileCase: CustomTestStringConvertible, Sendable {
  var arguments: [String]
  var status: Int32
  var fragments: [String]
  var testDescription: String { arguments.joined(separator: " ") }
}

private let h = "Tests/Fixtures/Hostile/"

private func validate(_ file: String, _ status: Int32, _ fragments: String...) -> HostileCase {
  HostileCase(arguments: ["validate", h + file], status: status, fragments: fragments)
}

private func compareArms(_ file: String, _ status: Int32, _ fragments: String...) -> HostileCase {
  HostileCase(arguments: ["compare-arms", h + file, "--arm", "arm", "--arms", "A,B"], status: status, fragments: fragments)
}

private func mimic(_ treated: String, _ status: Int32, _ fragments: String...) -> HostileCase {
  HostileCase(arguments: ["mimic", h + "mimic-arms.yaml", "--treated", treated, "--refits", "3"], status: status, fragments: fragments)
}

/// The corpus, as listed in Tests/Fixtures/Hostile/README.md.
let hostileCases: [HostileCase] = [
  // 1. Expressions that overflowed the stack, and their legal neighbours.
  validate(
    "expr-100000-parens.yaml", 1,
    h + "expr-100000-parens.yaml:14:10013: eligibility.inclusion[0].when: the expression is longer than 10000 characters"),
  validate(
    "expr-1000-parens.yaml", 1,
    h + "expr-1000-parens.yaml:14:213: eligibility.inclusion[0].when: the expression nests deeper than 200 levels"),
  validate("expr-150-parens.yaml", 0),
  validate("expr-20000-nots.yaml", 1, h + "expr-20000-nots.yaml:14:10013:", "longer than 10000 characters"),
  validate("expr-300-nots.yaml", 1, h + "expr-300-nots.yaml:14:813:", "nests deeper than 200 levels"),
  validate("expr-50000-term-sum.yaml", 1, h + "expr-50000-term-sum.yaml:14:10013:", "longer than 10000 characters"),
  validate("expr-1500-term-sum.yaml", 1, h + "expr-1500-term-sum.yaml:14:812:", "nests deeper than 200 levels (each '+'"),
  validate("expr-250-term-sum.yaml", 1, h + "expr-250-term-sum.yaml:14:812:", "nests deeper than 200 levels (each '+'"),
  validate("expr-1050-rules.yaml", 1, h + "expr-1050-rules.yaml:14:9019:", "more than 1000 operators"),
  validate("expr-300-negations.yaml", 1, h + "expr-300-negations.yaml:14:213:", "nests deeper than 200 levels"),
  validate("expr-nested-functions.yaml", 1, h + "expr-nested-functions.yaml:14:813:", "nests deeper than 200 levels"),
  validate("expr-nul-and-unicode.yaml", 1, h + "expr-nul-and-unicode.yaml:14:18:", "unexpected character U+0000"),
  // 2. Division by zero is unknown: nobody is eligible.
  validate("expr-divide-by-zero.yaml", 1, h + "expr-divide-by-zero.yaml:11:1: eligibility: no reference patient is eligible (0 of 60)"),
  // 3. Numbers that cannot be represented.
  validate("huge-covariate.yaml", 0),
  validate("count-beyond-2-53.yaml", 1, h + "count-beyond-2-53.csv:3:4: '1e+20' in column 'nodes' is beyond 2^53"),
  validate("infinite-covariate.yaml", 1, h + "infinite-covariate.csv:5:3: '1e400' in column 'age' is not a finite number"),
  validate(
    "huge-numbers.yaml", 1, h + "huge-numbers.yaml:20:13: design.patients: must be a whole number >= 2",
    h + "huge-numbers.yaml:21:23: design.accrual.duration:", h + "huge-numbers.yaml:23:34: design.test.alpha:"),
  // 4. compare-arms without events.
  compareArms("no-events.csv", 1, h + "no-events.csv: no patient has an event (column 'status' == 1) among the 60 analysed"),
  // 5. Event values other than the declared ones.
  validate(
    "event-bad-value.yaml", 1, h + "event-bad-value.csv:6:2: '3' in event column 'status' is neither an event (1) nor a censoring (0)",
    h + "event-bad-value.csv:10:2: 'dead' in event column"),
  validate("event-one-two.yaml", 0),
  validate("event-values-list.yaml", 0),
  validate(
    "event-both-keys.yaml", 1, h + "event-both-keys.yaml:7:57: reference.event.event_values: give 'event_value' or 'event_values', not both"
  ),
  validate("event-censor-is-event.yaml", 1, h + "event-censor-is-event.yaml:7:57: reference.event.censor_value: '1' cannot mean both"),
  validate(
    "event-zero-needs-censor.yaml", 1, h + "event-zero-needs-censor.yaml:7:10: reference.event.censor_value: 'censor_value' is required"),
  // 6. validate: eligibility and constraints against the reference (warnings keep exit 0).
  validate("eligible-few.yaml", 0, "warning: " + h + "eligible-few.yaml:11:1: eligibility: only 5 of 60 reference patients are eligible"),
  validate("eligible-none.yaml", 1, h + "eligible-none.yaml:11:1: eligibility: no reference patient is eligible (0 of 60)"),
  validate(
    "constraints-unsatisfiable.yaml", 1,
    h + "constraints-unsatisfiable.yaml:28:7: synthesis.constraints[0]: no eligible reference patient satisfies"),
  validate(
    "constraints-some-violate.yaml", 0,
    "warning: " + h + "constraints-some-violate.yaml:28:7: synthesis.constraints[0]: the constraint 'nodes <= 5' is false for 24 of the 60"),
  // Files that are not protocols, or not text.
  validate("empty.yaml", 1, h + "empty.yaml: the file is empty"),
  validate("binary-garbage.yaml", 1, h + "binary-garbage.yaml:1:2: the file is not UTF-8 text"),
  validate("nul-bytes.yaml", 1, h + "nul-bytes.yaml:2:9: invalid YAML: control characters are not allowed"),
  validate("invalid-utf8.yaml", 1, h + "invalid-utf8.yaml:2:9: the file is not UTF-8 text: byte 20"),
  validate("deep-yaml-flow.yaml", 1, h + "deep-yaml-flow.yaml:2:", "invalid YAML: Maximum nesting level reached"),
  validate("deep-yaml-block.yaml", 1, h + "deep-yaml-block.yaml:3:", "invalid YAML: Maximum nesting level reached"),
  validate("billion-laughs.yaml", 1, h + "billion-laughs.yaml:3:10: YAML aliases (*name) are not supported"),
  validate("alias-as-key.yaml", 1, h + "alias-as-key.yaml:3:3: YAML aliases (*name) are not supported"),
  validate("duplicate-keys.yaml", 1, h + "duplicate-keys.yaml:2:1: invalid YAML: duplicate key 'id'"),
  validate("negative-time.yaml", 1, h + "negative-time.csv:7:1: follow-up time -5 in column 'time' is negative"),
  validate("not-a-mapping.yaml", 1, h + "not-a-mapping.yaml:1:1: expected a mapping of keys"),
  // Scenarios: ids that would name files outside the output folder, numbers out of range.
  validate("scenario-traversal-id.yaml", 1, h + "scenario-traversal-id.yaml:11:12: sweep.eligibility[0].id:", "contains '/'"),
  validate("scenario-absolute-id.yaml", 1, h + "scenario-absolute-id.yaml:8:10: designs[0].id: design id '/etc/passwd' contains '/'"),
  validate("scenario-empty-id.yaml", 1, h + "scenario-empty-id.yaml:11:12: sweep.eligibility[0].id: sweep cell id '' must not be empty"),
  validate("scenario-long-id.yaml", 1, h + "scenario-long-id.yaml:8:10: designs[0].id:", "is 300 characters long"),
  validate("scenario-hr-zero.yaml", 1, h + "scenario-hr-zero.yaml:6:24: truth.hazard_ratio[0]: must be a positive number (found '0')"),
  validate("scenario-drift-nan.yaml", 1, h + "scenario-drift-nan.yaml:6:44: truth.drift[0]: must be a positive number (found '.nan')"),
  validate(
    "scenario-target-power-one.yaml", 1, h + "scenario-target-power-one.yaml:10:25: savings.target_power: must be a power in (α, 1)"),
  validate(
    "scenario-reference-size-huge.yaml", 1,
    h + "scenario-reference-size-huge.yaml:10:20: sweep.reference_size[0]: must be a whole number of patients in 10…100000 (found '1e9')"),
  validate(
    "scenario-fill-typo.yaml", 1, h + "scenario-fill-typo.yaml:8:77: designs[0].synthetic_controls: must be a whole number >= 0 or 'fill'"),
  validate(
    "scenario-cut-points-infinite.yaml", 1, h + "scenario-cut-points-infinite.yaml:7:29: borrowing.cut_points[1]:", "(found '.inf')"),
  validate("scenario-protocol-is-folder.yaml", 1, h + "scenario-protocol-is-folder.yaml:3:11: protocol:", "is a folder"),
  validate(
    "scenario-bad-seed-replicates.yaml", 1, h + "scenario-bad-seed-replicates.yaml:4:7: seed: must be a whole number >= 0 (found '-1')",
    h + "scenario-bad-seed-replicates.yaml:5:13: replicates: must be a whole number >= 1 (found '1e12')"),
  // CSV files through compare-arms.
  compareArms("empty.csv", 1, h + "empty.csv:1: the file is empty"),
  compareArms("binary-garbage.csv", 1, h + "binary-garbage.csv:1:1: the file is not UTF-8 text"),
  compareArms("invalid-utf8.csv", 1, h + "invalid-utf8.csv:1:8: the file is not UTF-8 text"),
  compareArms("negative-time.csv", 1, h + "negative-time.csv:7:1: follow-up time -5.0 is negative"),
  compareArms("nul-bytes.csv", 0),
  compareArms("huge-covariate.csv", 0),
  compareArms("cohort.csv", 0),
  HostileCase(
    arguments: ["compare-arms", h + "cohort.csv", "--arm", "arm", "--arms", "A"], status: 64,
    fragments: ["--arms needs at least two labels"]),
  // mimic: the treated arm is an expression on the command line, located as `--treated:1:column`.
  mimic("arm == \"B\"", 0),
  mimic("arm == \"C\"", 1, "--treated:1:1: selects no row of " + h + "cohort.csv; 'arm' holds B, A"),
  mimic("arm == \"A\"", 1, "--treated:1:1: selects 30 of the 30 reference rows", "30 of them eligible controls"),
  mimic("arms == \"B\"", 1, "--treated:1:1: unknown variable 'arms' (did you mean 'arm'?)"),
  mimic("age / 0 > 1", 1, "--treated:1:1: selects no row of"),
  mimic("arm == \"B\" and age > 95", 1, "--treated:1:1: selects no row of"),
  mimic(
    String(repeating: "(", count: 30_000) + "age > 1" + String(repeating: ")", count: 30_000), 1, "--treated:1:10001:",
    "longer than 10000 characters"),
]

@Suite("Hostile input: located errors, never a crash", .tags(.regression))
struct HostileInputTests {
  @Test("each file of the corpus", arguments: hostileCases)
  func corpus(_ c: HostileCase) throws {
    let r = try runChecked(c.arguments)
    #expect(r.exited, "terminated by signal \(r.status): \(r.err.prefix(500))")
    #expect(r.status == c.status, "stderr: \(r.err.prefix(2_000))")
    for fragment in c.fragments {
      #expect(r.err.contains(fragment), "stderr: \(r.err.prefix(2_000))")
    }
    if c.status != 0 {
      #expect(r.out.isEmpty, "stdout: \(r.out.prefix(500))")
      // A located error names its file; a --treated expression is located in the option itself.
      #expect(r.err.contains(c.arguments[1]) || c.status == 64 || r.err.contains("error: --treated:1:"))
      #expect(r.err.count < 10_000)  // a hostile input gives a short message
    }
  }

  @Test("the corpus has at least 60 hostile files, each listed in the README and used by a case")
  func corpusSize() throws {
    let folder = Fixtures.repositoryRoot.appendingPathComponent(h).path
    let files = try FileManager.default.contentsOfDirectory(atPath: folder)
      .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".csv") }
    #expect(files.count >= 60)
    let readme = try String(contentsOfFile: folder + "/README.md", encoding: .utf8)
    let used = Set(hostileCases.map { $0.arguments[1] })
    for file in files {
      #expect(readme.contains("`\(file)`"), "\(file) is not in the README")
      let referenced = used.contains(h + file) || used.contains(h + file.replacingOccurrences(of: ".csv", with: ".yaml"))
      #expect(referenced, "\(file) is not run by any case")
    }
  }

  @Test("`generate` and `audit` on a reference with a covariate of 1e308: no trap")
  func hugeCovariate() throws {
    let output = FileManager.default.temporaryDirectory.appendingPathComponent("hostile-\(UUID().uuidString).csv").path
    defer {
      for suffix in ["", ".card.json", ".card.md"] {
        try? FileManager.default.removeItem(atPath: output.replacingOccurrences(of: ".csv", with: suffix.isEmpty ? ".csv" : suffix))
      }
    }
    let g = try runChecked(["generate", h + "huge-covariate.yaml", "--n", "600", "--seed", "3", "--output", output])
    #expect(g.exited && g.status == 0, "stderr: \(g.err.prefix(2_000))")
    let a = try runChecked(["audit", h + "huge-covariate.yaml", "--synthetic", output])
    #expect(a.exited && a.status == 0, "stderr: \(a.err.prefix(2_000))")
  }

  @Test("megabyte inputs written here: a 5 MB single-line protocol, CSV header and CSV field")
  func megabyteInputs() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("syntharm-hostile-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let line = String(repeating: "x", count: 5_000_000)

    let yaml = folder.appendingPathComponent("long-line.yaml").path
    try ("syntharm: 1\nid: " + line + "\n").write(toFile: yaml, atomically: true, encoding: .utf8)
    let y = try runChecked(["validate", yaml])
    #expect(y.exited && y.status == 1)
    #expect(y.err.contains(yaml + ": the file is 5000017 bytes"), "stderr: \(y.err.prefix(500))")
    #expect(y.out.isEmpty && y.err.count < 1_000)

    let header = folder.appendingPathComponent("long-header.csv").path
    try (line + "\n1\n").write(toFile: header, atomically: true, encoding: .utf8)
    let c = try runChecked(["compare-arms", header, "--arm", "arm", "--arms", "A,B"])
    #expect(c.exited && c.status == 1)
    #expect(c.err.contains("no column named"), "stderr: \(c.err.prefix(500))")
    #expect(c.out.isEmpty && c.err.count < 2_000)

    // A protocol whose reference CSV holds a 5 MB field in a declared numeric column.
    let csv = folder.appendingPathComponent("long-field.csv").path
    let cohort = try String(contentsOfFile: Fixtures.repositoryRoot.appendingPathComponent(h + "cohort.csv").path, encoding: .utf8)
    var rows = cohort.split(separator: "\n").map(String.init)
    rows[2] = "100,1,\(line),2,A"
    try (rows.joined(separator: "\n") + "\n").write(toFile: csv, atomically: true, encoding: .utf8)
    var protocolText = try String(
      contentsOfFile: Fixtures.repositoryRoot.appendingPathComponent(h + "eligible-few.yaml").path, encoding: .utf8)
    protocolText = protocolText.replacingOccurrences(of: "data: cohort.csv", with: "data: long-field.csv")
    let p = folder.appendingPathComponent("long-field.yaml").path
    try protocolText.write(toFile: p, atomically: true, encoding: .utf8)
    let v = try runChecked(["validate", p])
    #expect(v.exited && v.status == 1)
    #expect(v.err.contains(csv + ":3:3: 'xxxx"), "stderr: \(v.err.prefix(500))")
    #expect(v.err.contains("(5000000 characters)"))
    #expect(v.out.isEmpty && v.err.count < 2_000)
  }
}
