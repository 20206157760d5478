// ReportRenderingTests.swift — the report as a person sees it: rendered by headless Chromium
// (Scripts/render-report) into a PNG. Runs only where `chromium` is installed (Debian's
// package); elsewhere the test is skipped and says why. Look at the PNG by setting
// SYNTHARM_REPORT_PNG=/path/out.png.

import Foundation
import Runs
import TestSupport
import Testing

@testable import Reporting

enum Chromium {
  /// Whether an executable `chromium` is on PATH.
  static var isInstalled: Bool {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
    return path.split(separator: ":").contains { directory in
      FileManager.default.isExecutableFile(atPath: "\(directory)/chromium")
    }
  }
}

@Suite("Report rendering")
struct ReportRenderingTests {
  @Test(
    "headless Chromium renders the report to a non-trivial PNG",
    .enabled(if: Chromium.isInstalled, "chromium is not on PATH: install Debian's chromium package to render the report"),
    .timeLimit(.minutes(3)))
  func rendersToPNG() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("syntharm-report-\(getpid())")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let page = directory.appendingPathComponent("report.html")
    try HTMLReport.html(SampleRun.report()).write(to: page, atomically: true, encoding: .utf8)
    let png =
      ProcessInfo.processInfo.environment["SYNTHARM_REPORT_PNG"].map { URL(fileURLWithPath: $0) }
      ?? directory.appendingPathComponent("report.png")

    let script = Fixtures.repositoryRoot.appendingPathComponent("Scripts/render-report")
    let process = Process()
    process.executableURL = script
    process.arguments = [page.path, png.path, "1280", "3000"]
    let errors = Pipe()
    process.standardError = errors
    process.standardOutput = Pipe()
    try process.run()
    let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    #expect(process.terminationStatus == 0, "render-report failed: \(message)")

    let data = try Data(contentsOf: png)
    #expect(Array(data.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], "not a PNG")
    #expect(data.count > 50_000, "a \(data.count)-byte PNG is too small to hold the rendered charts")
  }
}
