// ReportCommandTests.swift — `syntharm report DIR`: wiring, the default and explicit output
// paths, and the exit code when the folder holds no finished run. What the page contains is
// tested in ReportingTests.

import Foundation
import TestSupport
import Testing

@Suite("syntharm report", .tags(.unit))
struct ReportCommandTests {
  static func temporaryFolder(_ name: String) -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent("syntharm-\(name)-\(UUID().uuidString)").path
  }

  @Test("writes DIR/report.html (or --output) from a finished run and says where")
  func writesReport() throws {
    let folder = Self.temporaryFolder("report")
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let run = try runSynthArm([
      "run", "Tests/Fixtures/Scenarios/sweep-small.yaml", "--output", folder,
      "--estimand-patients", "2000", "--quiet",
    ])
    #expect(run.status == 0, "stderr: \(run.err)")

    let report = try runSynthArm(["report", folder])
    #expect(report.status == 0, "stderr: \(report.err)")
    #expect(report.out == "wrote \(folder)/report.html\n")
    let html = try String(contentsOfFile: folder + "/report.html", encoding: .utf8)
    #expect(html.hasPrefix("<!DOCTYPE html>"))
    for cell in ["as-written", "age-70", "node-4plus", "no-EX1"] { #expect(html.contains("<h2>Cell ") && html.contains(cell)) }
    #expect(html.contains("Across the sweep"))
    #expect(!html.contains("<script"))

    let other = folder + "/elsewhere/page.html"
    let explicit = try runSynthArm(["report", folder, "--output", other])
    #expect(explicit.status == 0, "stderr: \(explicit.err)")
    #expect(try String(contentsOfFile: other, encoding: .utf8) == html)
  }

  @Test("a folder without finished cells is an error on stderr with exit code 1, and nothing is written")
  func emptyFolder() throws {
    let folder = Self.temporaryFolder("empty")
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let r = try runSynthArm(["report", folder])
    #expect(r.status == 1)
    #expect(r.out.isEmpty)
    #expect(r.err.contains("no finished cells"), "stderr: \(r.err)")
    #expect(!FileManager.default.fileExists(atPath: folder + "/report.html"))
  }
}
