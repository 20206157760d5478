// MimicReportTests.swift — the mimic page and JSON from a hand-built result: the page parses as
// XML, escapes the expression, holds both charts and no script; the JSON carries the keys
// with the result's numbers.

import Foundation
import TestSupport
import Testing

@testable import Reporting
@testable import Simulation
@testable import TrialSpec

private func sample() -> MimicResult {
  func arm(_ hr: Double, _ lower: Double, _ upper: Double) -> TwoArmResult {
    TwoArmResult(
      hazardRatio: hr, lower: lower, upper: upper, logHazardRatio: log(hr), standardError: 0.12, waldP: 0.002,
      logRankChiSquare: 10.1, logRankP: 0.0015, controlPatients: 286, controlEvents: 150, treatedPatients: 283, treatedEvents: 110)
  }
  let time = [0.0, 30, 60, 90]
  return MimicResult(
    protocolId: "demo", treatedExpression: "rx == \"Lev+5FU\" and age < 80 & <b>", seed: 7, fitOn: .reference, fittingRows: 315,
    treatedSelected: 304, treatedIneligible: 21, treatedMissingOutcome: 0, controlMissingOutcome: 0, alpha: 0.05, sided: 2,
    timeUnit: .month, real: arm(0.672, 0.526, 0.860), syntheticHR: 0.659, syntheticLower: 0.517, syntheticUpper: 0.860,
    syntheticWaldLower: 0.515, syntheticWaldUpper: 0.843, shareInRealInterval: 0.93, syntheticLogRankP: 0.0008,
    decisionAgreement: 0.89,
    refits: MimicRefitCounts(requested: 3, analysed: 3, redrawn: 0, failed: 0, firstFailure: nil),
    refitResults: [arm(0.60, 0.47, 0.77), arm(0.66, 0.51, 0.85), arm(0.71, 0.55, 0.91)],
    curves: MimicCurves(
      time: time, realControl: [1, 0.75, 0.57, 0.47], treated: [1, 0.8, 0.68, 0.61], syntheticMedian: [1, 0.78, 0.58, 0.43],
      syntheticLower: [1, 0.72, 0.51, 0.35], syntheticUpper: [1, 0.84, 0.66, 0.53]))
}

@Suite("The mimic report", .tags(.unit))
struct MimicReportTests {
  @Test("the page is well-formed, escapes the expression, has the section, two charts and no script")
  func page() throws {
    let html = MimicReport.html(sample(), protocolFile: "Protocols/demo.yaml", toolVersion: "0.3.0")
    let page = try ParsedMarkup(html)
    #expect(page.elements.contains { $0.name == "section" && $0["id"] == "mimic" })
    #expect(page.elements.filter { $0.name == "svg" }.count >= 2)
    #expect(html.contains("rx == &quot;Lev+5FU&quot; and age &lt; 80 &amp; &lt;b&gt;"))
    #expect(!html.contains("<b>"))
    #expect(!html.contains("<script"))
    #expect(html.contains("0.659") && html.contains("0.517–0.860"))
  }

  @Test("the JSON has the issue's snake_case keys with the result's numbers")
  func json() throws {
    let text = try MimicReport.json(sample(), protocolFile: "Protocols/demo.yaml", toolVersion: "0.3.0")
    let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    let expected: [String: Double] = [
      "real_hr": 0.672, "real_lower": 0.526, "real_upper": 0.860, "synthetic_hr": 0.659, "synthetic_lower": 0.517,
      "synthetic_upper": 0.860, "share_in_real_ci": 0.93,
    ]
    for (key, value) in expected { #expect(object[key] as? Double == value, "\(key)") }
    #expect(object["refits"] as? Int == 3)
    #expect((object["refit_hazard_ratios"] as? [Double])?.count == 3)
    #expect((object["curves"] as? [String: Any])?["synthetic_median"] != nil)
  }
}
