// MimicReport.swift — renders a mimic study (Simulation's `MimicResult`): the JSON people and their
// R or pandas code read (snake_case, the key names: real_hr, real_lower, real_upper,
// synthetic_hr, synthetic_lower, synthetic_upper, refits), and a self-contained HTML page with the
// same section style as the run report. Rendering only: every number comes from the result.

import Foundation
import Plotting
import Runs
import Simulation

/// The JSON and HTML of a mimic study.
public enum MimicReport {
  /// The study as JSON text (snake_case keys, sorted, a final newline).
  public static func json(_ result: MimicResult, protocolFile: String, toolVersion: String) throws -> String {
    try ReportJSON.text(MimicJSON(result, protocolFile: protocolFile, toolVersion: toolVersion))
  }

  /// The study as one self-contained HTML page.
  public static func html(_ result: MimicResult, protocolFile: String, toolVersion: String) -> String {
    var page = HTMLPage()
    page.raw("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n")
    page.raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n")
    page.element("title", text: "SynthArm mimic: \(result.protocolId)")
    page.raw("<style>\n\(HTMLReport.stylesheet)</style>\n</head>\n<body>\n<main>\n")
    page.open("header", class: "report-header")
    page.element("h1", text: "SynthArm mimic: \(result.protocolId)")
    page.element(
      "p", class: "lede",
      text: "The real trial's control arm replaced by synthetic patients, \(result.refits.requested) times: "
        + "does the treatment comparison come out the same?")
    page.close()
    section(&page, result, protocolFile: protocolFile)
    page.raw(
      "<footer class=\"muted\">Written by syntharm \(HTMLReport.escape(toolVersion)); every number is also in the JSON output.</footer>\n")
    page.raw("</main>\n</body>\n</html>\n")
    return page.text
  }

  /// The mimic section: facts, the comparison table, the survival curves and the refit HRs.
  static func section(_ page: inout HTMLPage, _ r: MimicResult, protocolFile: String) {
    typealias H = HTMLReport
    page.open("section", id: "mimic")
    page.element("h2", text: "Real trial against synthetic control arms")
    page.open("dl", class: "facts")
    H.fact(&page, "Protocol", protocolFile)
    H.fact(&page, "Treated arm", r.treatedExpression)
    H.fact(&page, "Seed", String(r.seed))
    H.fact(&page, "Refits analysed", "\(r.refits.analysed) of \(r.refits.requested)")
    H.fact(
      &page, "Generator learns from", "\(r.fittingRows) reference patients (fit_on: \(r.fitOn.rawValue)), a bootstrap resample per refit")
    H.fact(&page, "Real arms", "\(r.real.controlPatients) control, \(r.real.treatedPatients) treated")
    page.close()
    if r.refits.failed > 0 || r.refits.redrawn > 0 {
      page.element(
        "p", class: "warning",
        text: "\(r.refits.failed) refits failed and are left out; \(r.refits.redrawn) bootstrap resamples were redrawn."
          + (r.refits.firstFailure.map { " First failure: \($0)" } ?? ""))
    }
    page.open("table", class: "compact")
    page.raw(
      "<thead><tr><th>Control arm</th><th class=\"num\">HR (treated / control)</th><th class=\"num\">95% interval</th>"
        + "<th class=\"num\">log-rank p</th></tr></thead>\n<tbody>\n")
    page.raw(
      "<tr><th scope=\"row\">Real (\(r.real.controlPatients) patients, \(r.real.controlEvents) events)</th>"
        + "<td class=\"num\">\(H.number(r.real.hazardRatio, 3))</td>"
        + "<td class=\"num\">\(H.number(r.real.lower, 3))–\(H.number(r.real.upper, 3)) (Wald)</td>"
        + "<td class=\"num\">\(pValue(r.real.logRankP))</td></tr>\n")
    page.raw(
      "<tr><th scope=\"row\">Synthetic, median of \(r.refits.analysed) refits</th>"
        + "<td class=\"num\">\(H.number(r.syntheticHR, 3))</td>"
        + "<td class=\"num\">\(H.number(r.syntheticLower, 3))–\(H.number(r.syntheticUpper, 3)) (2.5–97.5% of refits)</td>"
        + "<td class=\"num\">\(pValue(r.syntheticLogRankP)) (median)</td></tr>\n")
    page.raw("</tbody>\n")
    page.close()
    page.element(
      "p",
      text: "\(H.percent(r.shareInRealInterval)) of the refits give a hazard ratio inside the real 95% interval; "
        + "\(H.percent(r.decisionAgreement)) reach the real log-rank decision at α = \(H.short(r.alpha, 3)) (\(r.sided)-sided). "
        + "A typical synthetic analysis' own Wald interval: \(H.number(r.syntheticWaldLower, 3))–\(H.number(r.syntheticWaldUpper, 3)).")
    page.open("div", class: "grid-2")
    page.figure(
      survivalChart(r).svg(),
      caption: "Kaplan–Meier curves of the real arms and, point by point over the refits, the median synthetic control "
        + "curve with the band between its 2.5% and 97.5% quantiles.")
    page.figure(
      hazardRatioChart(r).svg(),
      caption: "Cumulative share of refits by synthetic-control hazard ratio; dashed lines: the real HR and its 95% interval.")
    page.close()
    page.close()
  }

  static func survivalChart(_ r: MimicResult) -> LineChart {
    let c = r.curves
    let synthetic = LineSeries(
      name: "Synthetic control, median of \(r.refits.analysed)", x: c.time, y: c.syntheticMedian, interpolation: .step,
      color: .vermillion, dash: .dashed,
      band: ConfidenceBand(lower: c.syntheticLower, upper: c.syntheticUpper))
    var chart = LineChart(
      title: "Survival: treated, real control and synthetic control", xTitle: "Time (\(r.timeUnit.rawValue)s)",
      yTitle: "Survival probability",
      series: [
        LineSeries(name: "Real control (n = \(r.real.controlPatients))", x: c.time, y: c.realControl, interpolation: .step, color: .blue),
        synthetic,
        LineSeries(name: "Treated (n = \(r.real.treatedPatients))", x: c.time, y: c.treated, interpolation: .step, color: .bluishGreen),
      ],
      yDomain: 0...1, width: HTMLReport.halfWidth, height: 380)
    chart.yTickFormat = .percent(decimals: 0)
    return chart
  }

  static func hazardRatioChart(_ r: MimicResult) -> LineChart {
    let sorted = r.refitResults.map(\.hazardRatio).sorted()
    let share = sorted.indices.map { Double($0 + 1) / Double(sorted.count) }
    let low = min(sorted.first ?? r.real.lower, r.real.lower)
    let high = max(sorted.last ?? r.real.upper, r.real.upper)
    let pad = (high - low) * 0.05
    var chart = LineChart(
      title: "Synthetic-control hazard ratios over refits", xTitle: "Hazard ratio (treated / synthetic control)",
      yTitle: "Share of refits",
      series: [LineSeries(name: "Refits", x: sorted, y: share, interpolation: .step, color: .vermillion)],
      referenceLines: [
        ReferenceLine(.vertical, at: r.real.lower, label: "real lower"),
        ReferenceLine(.vertical, at: r.real.hazardRatio, label: "real HR \(HTMLReport.number(r.real.hazardRatio, 3))", color: .blue),
        ReferenceLine(.vertical, at: r.real.upper, label: "real upper"),
      ],
      xDomain: (low - pad)...(high + pad), yDomain: 0...1, width: HTMLReport.halfWidth, height: 380)
    chart.yTickFormat = .percent(decimals: 0)
    chart.legendPosition = .hidden
    return chart
  }

  static func pValue(_ p: Double) -> String { p < 0.0001 ? String(format: "%.1e", p) : String(format: "%.4f", p) }
}

/// The JSON layout: the headline numbers flat at the top, then the details.
private struct MimicJSON: Encodable {
  var tool: String
  var protocolFile: String
  var protocolId: String
  var treated: String
  var seed: UInt64
  var refits: Int
  var refitsAnalysed: Int
  var refitsRedrawn: Int
  var refitsFailed: Int
  var firstFailure: String?
  var fitOn: String
  var fittingRows: Int
  var realHR: Double
  var realLower: Double
  var realUpper: Double
  var realLogrankChisq: Double
  var realLogrankP: Double
  var syntheticHR: Double
  var syntheticLower: Double
  var syntheticUpper: Double
  var syntheticWaldLower: Double
  var syntheticWaldUpper: Double
  var syntheticLogrankP: Double
  var shareInRealCI: Double
  var decisionAgreement: Double
  var alpha: Double
  var sided: Int
  var real: TwoArmResult
  var treatedSelected: Int
  var treatedIneligible: Int
  var treatedMissingOutcome: Int
  var controlMissingOutcome: Int
  var refitHazardRatios: [Double]
  var timeUnit: String
  var curves: MimicCurves

  init(_ r: MimicResult, protocolFile: String, toolVersion: String) {
    tool = "syntharm \(toolVersion)"
    self.protocolFile = protocolFile
    protocolId = r.protocolId
    treated = r.treatedExpression
    seed = r.seed
    refits = r.refits.requested
    refitsAnalysed = r.refits.analysed
    refitsRedrawn = r.refits.redrawn
    refitsFailed = r.refits.failed
    firstFailure = r.refits.firstFailure
    fitOn = r.fitOn.rawValue
    fittingRows = r.fittingRows
    realHR = r.real.hazardRatio
    realLower = r.real.lower
    realUpper = r.real.upper
    realLogrankChisq = r.real.logRankChiSquare
    realLogrankP = r.real.logRankP
    syntheticHR = r.syntheticHR
    syntheticLower = r.syntheticLower
    syntheticUpper = r.syntheticUpper
    syntheticWaldLower = r.syntheticWaldLower
    syntheticWaldUpper = r.syntheticWaldUpper
    syntheticLogrankP = r.syntheticLogRankP
    shareInRealCI = r.shareInRealInterval
    decisionAgreement = r.decisionAgreement
    alpha = r.alpha
    sided = r.sided
    real = r.real
    treatedSelected = r.treatedSelected
    treatedIneligible = r.treatedIneligible
    treatedMissingOutcome = r.treatedMissingOutcome
    controlMissingOutcome = r.controlMissingOutcome
    refitHazardRatios = r.refitResults.map(\.hazardRatio)
    timeUnit = r.timeUnit.rawValue
    curves = r.curves
  }
}
