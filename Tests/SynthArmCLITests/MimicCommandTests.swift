// MimicCommandTests.swift — `syntharm mimic`: wiring of the text, JSON and HTML outputs and the
// located errors of a bad --treated. The numbers are validated in SimulationTests/MimicTests.

import Foundation
import TestSupport
import Testing

@Suite("syntharm mimic", .tags(.unit))
struct MimicCommandTests {
  static let colon = ["mimic", "Protocols/colon-adjuvant-os.yaml", "--treated", "rx == \"Lev+5FU\""]

  @Test("text: the real HR as R gives it on these rows (0.672, 0.526–0.860) and the synthetic line")
  func text() throws {
    let r = try runSynthArm(Self.colon + ["--refits", "4", "--seed", "3"])
    #expect(r.status == 0, "stderr: \(r.err)")
    #expect(
      r.out.contains("real arms: 286 control (150 events, the eligible reference), 283 treated (110 events; 304 selected, 21 not eligible)")
    )
    let realLine = try #require(r.out.split(separator: "\n").first { $0.hasPrefix("real  ") })
    #expect(realLine.contains(" 0.672 ") && realLine.contains(" 0.526–0.860 (Wald) ") && realLine.hasSuffix(" 0.0015"), "\(r.out)")
    #expect(r.out.contains("synthetic (median)"))
    #expect(r.out.contains("4 of 4 refits (seed 3)"))
  }

  @Test("JSON: the issue's keys, snake_case, and the same numbers for the same seed")
  func json() throws {
    let a = try runSynthArm(Self.colon + ["--refits", "3", "--format", "json"])
    #expect(a.status == 0, "stderr: \(a.err)")
    let object = try #require(try JSONSerialization.jsonObject(with: Data(a.out.utf8)) as? [String: Any])
    for key in ["real_hr", "real_lower", "real_upper", "synthetic_hr", "synthetic_lower", "synthetic_upper", "refits", "share_in_real_ci"] {
      #expect(object[key] != nil, "missing \(key)")
    }
    #expect(object["refits"] as? Int == 3)
    #expect(abs((object["real_hr"] as? Double ?? 0) - 0.672414344149558) < 1e-9)
    let b = try runSynthArm(Self.colon + ["--refits", "3", "--format", "json"])
    #expect(a.out == b.out)
  }

  @Test("--report writes a self-contained HTML page with the mimic section")
  func report() throws {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("mimic-\(UUID().uuidString).html").path
    defer { try? FileManager.default.removeItem(atPath: path) }
    let r = try runSynthArm(Self.colon + ["--refits", "2", "--report", path])
    #expect(r.status == 0, "stderr: \(r.err)")
    #expect(r.out.hasSuffix("wrote \(path)\n"))
    let html = try String(contentsOfFile: path, encoding: .utf8)
    #expect(html.hasPrefix("<!DOCTYPE html>"))
    #expect(html.contains("<section id=\"mimic\">"))
    #expect(html.contains("<svg"))
    #expect(!html.contains("<script"))
  }

  @Test(
    "a bad --treated: exit 1, a located message on stderr, nothing on stdout",
    arguments: [
      ("rxx == \"Lev+5FU\"", "error: --treated:1:1: unknown variable 'rxx' (did you mean 'rx'?)"),
      ("rx == \"Lev+5-FU\"", "error: --treated:1:1: selects no row of Data/colon_os.csv; 'rx' holds Lev+5FU, Obs, Lev"),
      ("rx == \"Obs\"", "error: --treated:1:1: selects 315 of the 315 reference rows"),
      ("rx == \"Lev\" and", "error: --treated:1:"),
    ])
  func badTreated(_ expression: String, _ message: String) throws {
    let r = try runSynthArm(["mimic", "Protocols/colon-adjuvant-os.yaml", "--treated", expression, "--refits", "1"])
    #expect(r.status == 1)
    #expect(r.err.contains(message), "stderr: \(r.err)")
    #expect(r.err.contains("    ^"), "stderr: \(r.err)")
    #expect(r.out.isEmpty)
  }

  @Test("--fit-on eligible: the generator learns from the 286 eligible controls only")
  func fitOnEligible() throws {
    let r = try runSynthArm(Self.colon + ["--refits", "2", "--fit-on", "eligible"])
    #expect(r.status == 0, "stderr: \(r.err)")
    #expect(r.out.contains("bootstrap resample of 286 reference patients each time (fit_on: eligible)"))
  }

  @Test("--refits 0 is a usage error (exit 64)")
  func refitsZero() throws {
    let r = try runSynthArm(Self.colon + ["--refits", "0"])
    #expect(r.status == 64)
    #expect(r.err.contains("--refits must be between 1 and 100000"))
  }
}
