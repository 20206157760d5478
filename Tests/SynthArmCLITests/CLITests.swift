// CLITests.swift — wiring, help and exit codes of the `syntharm` executable. The numbers behind
// the output are validated in SurvivalAnalysisTests; here we check they reach the user.

import Foundation
import Testing
import TestSupport

/// Runs the built `syntharm` (next to the test bundle) and returns (exit code, stdout, stderr).
func runSynthArm(_ arguments: [String]) throws -> (status: Int32, out: String, err: String) {
  let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("syntharm")
  let process = Process()
  process.executableURL = binary
  process.arguments = arguments
  process.currentDirectoryURL = Fixtures.repositoryRoot
  let out = Pipe(), err = Pipe()
  process.standardOutput = out
  process.standardError = err
  try process.run()
  let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
  process.waitUntilExit()
  return (process.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
}

@Suite("syntharm command line", .tags(.unit))
struct CLITests {
  @Test("--version and --help")
  func versionAndHelp() throws {
    let v = try runSynthArm(["--version"])
    #expect(v.status == 0)
    #expect(v.out.trimmingCharacters(in: .whitespacesAndNewlines) == "0.1.0")
    let h = try runSynthArm(["--help"])
    #expect(h.status == 0)
    #expect(h.out.contains("compare-arms"))
  }

  @Test("the demo prints R's headline: Lev+5FU vs Obs HR 0.690 (0.546–0.870), log-rank 11.68")
  func demo() throws {
    let r = try runSynthArm(["compare-arms", "Data/colon_os.csv", "--arm", "rx", "--arms", "Obs,Lev,Lev+5FU",
                             "--landmarks", "365.25,1826.25"])
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

  @Test("bad input: a clear message with the file, a non-zero exit, nothing on stdout",
        arguments: [
          (["compare-arms", "Data/missing.csv", "--arm", "rx", "--arms", "A,B"], "Data/missing.csv: no such file"),
          (["compare-arms", "Data/colon_os.csv", "--arm", "arm", "--arms", "A,B"], "no column named 'arm'"),
          (["compare-arms", "Data/colon_os.csv", "--arm", "rx", "--arms", "Obs"], "--arms needs at least two labels"),
          (["compare-arms", "Data/colon_os.csv", "--arm", "rx", "--arms", "Obs,Nope"], "arm 'Nope' of column 'rx' has no patients"),
          (["compare-arms", "Tests/Fixtures/Invalid/csv-short-row.csv", "--arm", "rx", "--arms", "A,B"],
           "csv-short-row.csv:3: row has 2 fields but the header has 3"),
        ])
  func badInput(_ arguments: [String], _ message: String) throws {
    let r = try runSynthArm(arguments)
    #expect(r.status != 0)
    #expect(r.err.contains(message), "stderr: \(r.err)")
    #expect(r.out.isEmpty)
  }
}
