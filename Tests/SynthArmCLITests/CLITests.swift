// CLITests.swift — wiring, help and exit codes of the `syntharm` executable. The numbers behind
// the output are validated in SurvivalAnalysisTests; here we check they reach the user.

import Foundation
import TestSupport
import Testing

/// Runs the built `syntharm` (next to the test bundle) and returns (exit code, stdout, stderr).
func runSynthArm(_ arguments: [String]) throws -> (status: Int32, out: String, err: String) {
  let r = try runChecked(arguments)
  return (r.status, r.out, r.err)
}

@Suite("syntharm command line", .tags(.unit))
struct CLITests {
  @Test("--version and --help")
  func versionAndHelp() throws {
    let v = try runSynthArm(["--version"])
    #expect(v.status == 0)
    #expect(v.out.trimmingCharacters(in: .whitespacesAndNewlines) == "0.5.0")
    let h = try runSynthArm(["--help"])
    #expect(h.status == 0)
    #expect(h.out.contains("compare-arms"))
  }

  @Test("the demo prints R's headline: Lev+5FU vs Obs HR 0.690 (0.546–0.870), log-rank 11.68")
  func demo() throws {
    let r = try runSynthArm([
      "compare-arms", "Data/colon_os.csv", "--arm", "rx", "--arms", "Obs,Lev,Lev+5FU",
      "--landmarks", "365.25,1826.25",
    ])
    #expect(r.status == 0, "stderr: \(r.err)")
    #expect(r.out.contains("Lev+5FU  0.690  0.546–0.870"))
    #expect(r.out.contains("chi-square = 11.68 on 2 df"))
    #expect(r.out.contains("Obs      315     168  2083 (1656–2789)"))
  }

  @Test("two arms of three: the others are left out")
  func subsetOfArms() throws {
    let r = try runSynthArm(["compare-arms", "Data/colon_os.csv", "--arm", "rx", "--arms", "Obs,Lev+5FU"])
    #expect(r.status == 0, "stderr: \(r.err)")
    #expect(r.out.contains("619 patients"))
  }

  @Test(
    "bad input: a clear message with the file, a non-zero exit, nothing on stdout",
    arguments: [
      (["compare-arms", "Data/missing.csv", "--arm", "rx", "--arms", "A,B"], "Data/missing.csv: no such file"),
      (["compare-arms", "Data/colon_os.csv", "--arm", "arm", "--arms", "A,B"], "no column named 'arm'"),
      (["compare-arms", "Data/colon_os.csv", "--arm", "rx", "--arms", "Obs"], "--arms needs at least two labels"),
      (["compare-arms", "Data/colon_os.csv", "--arm", "rx", "--arms", "Obs,Nope"], "arm 'Nope' of column 'rx' has no patients"),
      (
        ["compare-arms", "Tests/Fixtures/Invalid/csv-short-row.csv", "--arm", "rx", "--arms", "A,B"],
        "csv-short-row.csv:3: row has 2 fields but the header has 3"
      ),
    ])
  func badInput(_ arguments: [String], _ message: String) throws {
    let r = try runSynthArm(arguments)
    #expect(r.status != 0)
    #expect(r.err.contains(message), "stderr: \(r.err)")
    #expect(r.out.isEmpty)
  }
}

@Suite("syntharm validate", .tags(.unit))
struct ValidateCommandTests {
  @Test("the contract colon protocol: a summary with 286 eligible of 315, exit 0")
  func colon() throws {
    let r = try runSynthArm(["validate", "Protocols/colon-adjuvant-os.yaml"])
    #expect(r.status == 0, "stderr: \(r.err)")
    #expect(r.out.contains("eligible: 286 of 315"))
    #expect(r.out.contains("IN2   inclusion  311   1      3        4         4"))
    #expect(r.out.contains("nodes     count                                                     3"))
  }

  @Test(
    "every shipped protocol and scenario validates",
    arguments: [
      "Protocols/colon-adjuvant-os.yaml", "Protocols/rpact-d1.yaml", "Protocols/lung-advanced-ecog.yaml",
      "Protocols/veteran-lung-trial.yaml", "Protocols/colon-os-whole-cohort.yaml", "Scenarios/colon-augmented.yaml",
      "Scenarios/rpact-d1.yaml",
    ])
  func shipped(_ file: String) throws {
    let r = try runSynthArm(["validate", file])
    #expect(r.status == 0, "stderr: \(r.err)")
    #expect(r.err.isEmpty)
  }

  @Test("--format json is JSON with the attrition")
  func json() throws {
    let r = try runSynthArm(["validate", "Protocols/colon-adjuvant-os.yaml", "--format", "json"])
    #expect(r.status == 0)
    let object = try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any]
    #expect(object?["eligible"] as? Int == 286)
  }

  @Test("errors: every one printed with its location, exit 1, JSON errors on stdout with --format json")
  func errors() throws {
    let r = try runSynthArm(["validate", "Tests/Fixtures/Invalid/protocol-several-errors.yaml"])
    #expect(r.status == 1)
    #expect(r.out.isEmpty)
    #expect(
      r.err.contains("protocol-several-errors.yaml:4:12: time_unit: 'months' is not one of day, week, month, year (did you mean 'month'?)"))
    #expect(r.err.contains("protocol-several-errors.yaml:47:13: design.patients: must be a whole number >= 2 (found 'many')"))
    #expect(r.err.contains("3 errors in Tests/Fixtures/Invalid/protocol-several-errors.yaml"))
    let j = try runSynthArm(["validate", "Tests/Fixtures/Invalid/protocol-several-errors.yaml", "--format", "json"])
    #expect(j.status == 1)
    let object = try JSONSerialization.jsonObject(with: Data(j.out.utf8)) as? [String: Any]
    #expect(object?["valid"] as? Bool == false)
    #expect((object?["errors"] as? [Any])?.count == 3)
  }
}

@Suite("syntharm generate and audit", .tags(.unit))
struct GenerateAuditCommandTests {
  @Test("generate writes the CSV and its data card; the audit summary has pass/attention marks")
  func generate() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("syntharm-cli-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let output = folder.appendingPathComponent("synthetic.csv").path
    let r = try runSynthArm(["generate", "Protocols/colon-adjuvant-os.yaml", "--n", "300", "--seed", "1", "--output", output])
    #expect(r.status == 0, "stderr: \(r.err)")
    let csv = try String(contentsOfFile: output, encoding: .utf8)
    #expect(csv.split(separator: "\n").count == 301)
    #expect(csv.hasPrefix("sex,age,obstruct,perfor,adhere,nodes,status,differ,extent,surg,time\n"))
    let card =
      try JSONSerialization.jsonObject(
        with: Data(contentsOf: URL(fileURLWithPath: folder.appendingPathComponent("synthetic.card.json").path))) as? [String: Any]
    let source = card?["source"] as? [String: Any]
    // SHA-256 of Data/colon_os.csv, computed with sha256sum.
    #expect(source?["sha256"] as? String == "f80826066ed59e5c6017730db14060d1ae59d2c825122e7acabd8199d7c9bd95")
    #expect(card?["seed"] as? Int == 1)
    #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("synthetic.card.md").path))
    #expect(r.out.contains("Column Shapes") && (r.out.contains("pass") || r.out.contains("attention")))
  }

  @Test("audit of a file written by generate, as JSON; a malformed synthetic file is a located error")
  func auditFile() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("syntharm-cli-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let output = folder.appendingPathComponent("s.csv").path
    _ = try runSynthArm(["generate", "Protocols/veteran-lung-trial.yaml", "--n", "200", "--output", output])
    let r = try runSynthArm(["audit", "Protocols/veteran-lung-trial.yaml", "--synthetic", output, "--format", "json"])
    #expect(r.status == 0, "stderr: \(r.err)")
    let json = try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any]
    #expect(json?["synthetic_rows"] as? Int == 200)
    var text = try String(contentsOfFile: output, encoding: .utf8)
    text = text.replacingOccurrences(of: "squamous", with: "squamos")
    try text.write(toFile: output, atomically: true, encoding: .utf8)
    let bad = try runSynthArm(["audit", "Protocols/veteran-lung-trial.yaml", "--synthetic", output])
    #expect(bad.status != 0)
    #expect(bad.err.contains("undeclared level 'squamos' in column 'celltype'"))
    #expect(bad.out.isEmpty)
  }
}

@Suite("syntharm with generator: auto", .tags(.unit))
struct AutoGeneratorCommandTests {
  @Test("generate chooses (stderr, data card); a seed where no configuration passes the gates is an error with the numbers")
  func auto() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("syntharm-cli-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let text = try String(
      contentsOf: Fixtures.repositoryRoot.appendingPathComponent("Protocols/colon-adjuvant-os.yaml"), encoding: .utf8
    )
    .replacingOccurrences(of: "../Data/colon_os.csv", with: Fixtures.dataPath("colon_os.csv"))
    .replacingOccurrences(of: "generator: gaussian-copula", with: "generator: auto")
    let protocolPath = folder.appendingPathComponent("auto.yaml").path
    try text.write(toFile: protocolPath, atomically: true, encoding: .utf8)
    let output = folder.appendingPathComponent("s.csv").path
    // Seed 3: both families pass (Docs/Validation.md).
    let r = try runSynthArm(["generate", protocolPath, "--n", "200", "--seed", "3", "--output", output])
    #expect(r.status == 0, "stderr: \(r.err)")
    #expect(r.err.contains("generator: auto chose cart (minbucket 50, smoothing none)"))
    let card = try String(contentsOfFile: folder.appendingPathComponent("s.card.md").path, encoding: .utf8)
    #expect(card.contains("## Generator selection (generator: auto)") && card.contains("| gaussian-copula | gaussian-copula | 6 |"))
    // Seed 1: no configuration reaches DCROverfittingProtection 0.9.
    let failed = try runSynthArm(["audit", protocolPath, "--seed", "1", "--n", "100"])
    #expect(failed.status == 1 && failed.out.isEmpty)
    #expect(failed.err.contains("found no configuration that passes the gates"))
    #expect(failed.err.contains("gaussian-copula: 6 splits, DCROverfittingProtection 0.824"))
  }
}

@Suite("syntharm run", .tags(.unit))
struct RunCommandTests {
  @Test("a short run writes both outputs atomically and prints the table; a second run replaces them")
  func run() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("syntharm-run-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: folder) }
    for _ in 0..<2 {
      let r = try runSynthArm(["run", "Scenarios/rpact-d1.yaml", "--replicates", "50", "--output", folder, "--quiet"])
      #expect(r.status == 0, "stderr: \(r.err)")
      #expect(r.out.contains("conventional  none    0.75"))
    }
    let csv = try String(contentsOfFile: folder + "/operating-characteristics.csv", encoding: .utf8)
    #expect(
      csv.hasPrefix(
        "cell,design,hazard_ratio,drift,replicates,rejection_rate,rejection_mcse,mean_hr,bias_log_hr,empirical_se_log_hr,coverage,mean_events,failures"
      ))
    #expect(csv.split(separator: "\n").count == 3)
    let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder + "/results.json"))) as? [String: Any]
    let manifest = json?["manifest"] as? [String: Any]
    #expect(manifest?["seed"] as? Int == 20_240_101)
    #expect((manifest?["inputs"] as? [[String: Any]])?.count == 2)  // scenario and protocol (no data file)
    let leftovers = try
      (FileManager.default.contentsOfDirectory(atPath: folder)
      + FileManager.default.contentsOfDirectory(atPath: folder + "/cells")).filter { $0.hasPrefix(".") }
    #expect(leftovers.isEmpty)
  }

  @Test("a scenario with errors: every error, exit 1, no output folder")
  func badScenario() throws {
    let r = try runSynthArm([
      "run", "Tests/Fixtures/Invalid/scenario-unknown-design.yaml", "--replicates", "5", "--output",
      "/tmp/never-written-\(UUID().uuidString)",
    ])
    #expect(r.status == 1)
    #expect(r.err.contains("unknown design 'augmented-pp5'"))
  }
}
