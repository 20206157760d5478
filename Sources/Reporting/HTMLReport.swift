// HTMLReport.swift — one self-contained HTML page a trial team can read: the run's header and
// scenario, each sweep cell (eligibility, the audit of its synthetic controls, operating
// characteristics, power and type-I error curves) and the sweep across cells.
//
// Self-contained means: inline CSS, inline SVG from our Plotting module, no JavaScript, no fonts,
// images or links outside the page, so it can be mailed, archived with the run and opened
// offline years later. Cells after the first are folded in <details> (opened by a click, no
// script), so the page starts short and the first cell is read in full.
//
// The page is also well-formed XML (every element closed, no named entities beyond XML's five),
// which lets the tests parse it whole; browsers read it as ordinary HTML.
//
// This file: the page shell, stylesheet, header and scenario summary, and the small text
// helpers. HTMLReport+Cell.swift writes a cell, HTMLReport+Sweep.swift the sweep, and
// HTMLReport+Charts.swift builds every chart.

import Foundation
import Plotting
import Runs
import Simulation

/// Renders a run's results as one HTML page.
public enum HTMLReport {
  /// The whole page for `report`: deterministic, so the same run gives the same bytes.
  public static func html(_ report: RunReport) -> String {
    var page = HTMLPage()
    page.raw("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n")
    page.raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n")
    page.element("title", text: "SynthArm report: \(report.manifest.scenario)")
    page.raw("<style>\n\(stylesheet)</style>\n</head>\n<body>\n<main>\n")
    header(&page, report)
    summarySection(&page, report)
    scenarioSummary(&page, report)
    for (position, cell) in report.cells.enumerated() {
      cellSection(&page, cell, report: report, open: position == 0)
    }
    sweepSection(&page, report)
    page.raw(
      "<footer class=\"muted\">Written by \(escape(report.manifest.tool)) from the stored cells of the run; "
        + "every number is also in results.json and the CSV files beside this page.</footer>\n")
    page.raw("</main>\n</body>\n</html>\n")
    return page.text
  }

  // MARK: - Header

  static func header(_ page: inout HTMLPage, _ report: RunReport) {
    let m = report.manifest
    page.open("header", class: "report-header")
    page.element("h1", text: "SynthArm report: \(m.scenario)")
    let designs = designOrder(report.operatingCharacteristics)
    let truths = truthOrder(report.operatingCharacteristics)
    page.element(
      "p", class: "lede",
      text: "Simulated randomised trials with real and synthetic control patients: \(m.cells.count) "
        + plural(m.cells.count, "eligibility cell") + ", \(designs.count) " + plural(designs.count, "design")
        + " × \(truths.count) " + plural(truths.count, "truth") + ", \(m.settings.replicates) replicates each.")
    page.open("div", class: "header-grid")
    page.open("dl", class: "facts")
    fact(&page, "Scenario", m.scenario)
    fact(&page, "Seed", String(m.seed))
    fact(&page, "Replicates per design × truth", String(m.settings.replicates))
    fact(&page, "Generator refitted per replicate", m.settings.refit ? "yes (bootstrap resample)" : "no (fitted once)")
    fact(&page, "Estimand trial, patients per arm", String(m.settings.estimandPatients))
    fact(&page, "Synthetic patients per audit", String(m.settings.auditPatients))
    fact(&page, "Tool", m.tool)
    fact(&page, "Cells", m.cells.joined(separator: ", "))
    page.close()
    if !m.inputs.isEmpty {
      page.open("table", class: "inputs")
      page.raw("<thead><tr><th>Input</th><th>File</th><th>SHA-256</th></tr></thead>\n<tbody>\n")
      for input in m.inputs {
        // The first 12 hex digits identify a file for a reader; the full hash is in the tooltip.
        page.raw(
          "<tr><td>\(escape(input.role))</td><td><code>\(escape(input.file))</code></td>"
            + "<td><code title=\"\(escape(input.sha256))\">\(escape(String(input.sha256.prefix(12))))…</code></td></tr>\n")
      }
      page.raw("</tbody>\n")
      page.close()
    }
    page.close()
    page.open("nav", class: "contents")
    page.raw("<strong>Contents:</strong> <a href=\"#scenario\">Scenario</a>")
    for (k, cell) in report.cells.enumerated() {
      page.raw(" · <a href=\"#\(anchor(cell))\">\(k + 1). \(escape(cell.id))</a>")
    }
    page.raw(" · <a href=\"#sweep\">Across the sweep</a>\n")
    page.close()
    page.close()
  }

  static func fact(_ page: inout HTMLPage, _ term: String, _ value: String) {
    page.raw("<div><dt>\(escape(term))</dt><dd>\(escape(value))</dd></div>\n")
  }

  // MARK: - Scenario

  static func scenarioSummary(_ page: inout HTMLPage, _ report: RunReport) {
    let ocs = report.operatingCharacteristics
    page.open("section", id: "scenario")
    page.element("h2", text: "Scenario and how to read this report")
    page.open("div", class: "grid-2")
    page.open("div")
    page.open("table", class: "compact")
    page.raw("<tbody>\n")
    func row(_ label: String, _ value: String) {
      page.raw("<tr><th scope=\"row\">\(escape(label))</th><td>\(escape(value))</td></tr>\n")
    }
    row("Designs", designOrder(ocs).joined(separator: ", "))
    let hazardRatios = unique(ocs.map(\.hazardRatio))
    row(
      "True hazard ratios",
      hazardRatios.map { short($0) }.joined(separator: ", ")
        + (hazardRatios.contains(1) ? " (1 measures type-I error)" : ""))
    row(
      "Drift of the synthetic source",
      unique(ocs.map(\.drift)).map { short($0) }.joined(separator: ", ")
        + " (hazard relative to concurrent controls; 1 = none)")
    if let search = report.savings.first {
      row(
        "Savings search",
        unique(report.savings.map(\.design)).joined(separator: ", ")
          + " against conventional, target power \(percent(search.targetPower, 0)), type-I error α = \(number(search.alpha, 3)) "
          + "at drift 1 (calibrated thresholds)")
    } else {
      row("Savings search", "not asked for in this scenario")
    }
    let failures = ocs.reduce(0) { $0 + $1.failures }
    row("Failed replicates", failures == 0 ? "none" : "\(failures) (see each cell's table)")
    page.raw("</tbody>\n")
    page.close()
    page.close()
    page.open("div", class: "how-to-read")
    page.element("h3", text: "How to read this")
    page.element(
      "p",
      text: "Each cell is one version of the eligibility rules. For each, the report shows who is "
        + "eligible, how closely the synthetic control patients resemble the real ones (the audit), "
        + "and how the trial designs perform in simulated trials.")
    page.element(
      "p",
      text: "Power is the share of simulated trials that reject the null hypothesis when the true "
        + "hazard ratio is below 1; type-I error is the same share when it equals 1. Every simulated "
        + "number carries Monte Carlo error: ± is one Monte Carlo standard error (MCSE), and error "
        + "bars in the charts span ± 1 MCSE.")
    page.element(
      "p",
      text: "Savings are real control patients an augmented design needs fewer than the conventional "
        + "design for the same power, while its type-I error stays within α + 2·MCSE. Negative savings "
        + "mean the augmented design needs more real controls.")
    page.close()
    page.close()
    page.close()
  }

  // MARK: - Stylesheet

  /// System fonts only (nothing to download), 15 px body text, numbers in tabular figures and
  /// right-aligned so columns of numbers line up. Colours: Okabe–Ito blue for structure;
  /// pass/attention marks carry a symbol as well as a colour, for colour-blind readers.
  static let stylesheet = """
    :root { color-scheme: light; }
    body { margin: 0; background: #EEF0F3; color: #1A1A1A;
      font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
    main { max-width: 1200px; margin: 0 auto; padding: 20px 28px 48px; background: #FFFFFF; box-sizing: border-box; }
    h1 { font-size: 26px; line-height: 1.25; margin: 4px 0 2px; }
    h2 { font-size: 20px; margin: 28px 0 10px; padding-bottom: 4px; border-bottom: 2px solid #0072B2; }
    h3 { font-size: 17px; margin: 22px 0 8px; }
    h4 { font-size: 15px; margin: 14px 0 6px; }
    p { margin: 6px 0; max-width: 75ch; }
    a { color: #0060A0; }
    code { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "Liberation Mono", monospace; font-size: 13px; }
    .lede { font-size: 16px; color: #333333; margin-bottom: 10px; }
    .muted { color: #555555; font-size: 13px; }
    .header-grid { display: grid; grid-template-columns: minmax(0, 3fr) minmax(0, 2fr); gap: 0 28px; align-items: start; }
    .facts { display: grid; grid-template-columns: repeat(3, minmax(0, 1fr)); gap: 2px 20px; margin: 8px 0; }
    .facts div { min-width: 0; }
    .facts dt { font-size: 12px; color: #555555; }
    .facts dd { margin: 0; font-weight: 600; overflow-wrap: anywhere; }
    nav.contents { margin: 10px 0 0; font-size: 14px; }
    table { border-collapse: collapse; font-size: 14px; font-variant-numeric: tabular-nums; margin: 6px 0 10px; }
    th, td { padding: 3px 8px; border-bottom: 1px solid #E3E5E8; text-align: left; vertical-align: top; }
    thead th { background: #F3F5F8; border-bottom: 2px solid #C8CDD4; font-weight: 600; vertical-align: bottom; }
    thead th.num { white-space: normal; }
    td.name { white-space: nowrap; }
    th[scope=row] { font-weight: 600; white-space: nowrap; }
    .num { text-align: right; white-space: nowrap; }
    table.inputs { font-size: 13px; margin-top: 8px; width: 100%; }
    .how-to-read p { font-size: 14px; }
    tr.group-start td { border-top: 2px solid #C8CDD4; }
    .grid-2 { display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 12px 28px; align-items: start; }
    .multiples { display: grid; grid-template-columns: repeat(auto-fill, minmax(262px, 1fr)); gap: 6px 10px; }
    figure { margin: 0; }
    figure svg { display: block; }
    figcaption { font-size: 13px; color: #444444; margin: 2px 0 8px; max-width: 75ch; }
    .warning { background: #FFF3D1; border-left: 5px solid #E69F00; padding: 6px 12px; margin: 8px 0; }
    .failure { background: #FBE3D6; border-left: 5px solid #D55E00; padding: 6px 12px; margin: 8px 0; }
    .pass { color: #00704F; font-weight: 600; white-space: nowrap; }
    .attention { color: #A84300; font-weight: 600; white-space: nowrap; }
    .not-computed { color: #666666; white-space: nowrap; }
    .key { display: inline-block; width: 14px; height: 10px; margin: 0 4px 0 12px; border: 1px solid; }
    section.cell > details > summary { cursor: pointer; padding: 4px 0; }
    section.cell > details > summary h2 { display: inline; border: none; margin: 0; padding: 0; }
    section.cell { border-top: 2px solid #0072B2; margin-top: 28px; }
    .summary-facts { color: #444444; font-size: 14px; margin-left: 10px; }
    footer { margin-top: 32px; }
    @media (max-width: 900px) { .grid-2 { grid-template-columns: minmax(0, 1fr); } .facts { grid-template-columns: repeat(2, minmax(0, 1fr)); } .header-grid { grid-template-columns: minmax(0, 1fr); } }

    """
}

// MARK: - Page builder

/// The page under construction: raw markup plus helpers that escape text and keep elements
/// balanced (checked in ``text``, because an unclosed element is a bug in the report, not
/// something a reader can fix).
struct HTMLPage {
  private(set) var markup = ""
  private var open: [String] = []

  mutating func raw(_ text: String) { markup += text }

  mutating func open(_ name: String, class className: String? = nil, id: String? = nil) {
    markup +=
      "<\(name)" + (id.map { " id=\"\(HTMLReport.escape($0))\"" } ?? "")
      + (className.map { " class=\"\(HTMLReport.escape($0))\"" } ?? "") + ">\n"
    open.append(name)
  }

  mutating func close() {
    guard let name = open.popLast() else { preconditionFailure("HTMLPage.close() without an open element") }
    markup += "</\(name)>\n"
  }

  /// An element with escaped text content.
  mutating func element(_ name: String, class className: String? = nil, text: String) {
    markup +=
      "<\(name)" + (className.map { " class=\"\(HTMLReport.escape($0))\"" } ?? "") + ">"
      + HTMLReport.escape(text) + "</\(name)>\n"
  }

  /// A chart with its caption.
  mutating func figure(_ svg: String, caption: String? = nil, class className: String? = nil) {
    open("figure", class: className)
    markup += svg
    if let caption { element("figcaption", text: caption) }
    close()
  }

  var text: String {
    precondition(open.isEmpty, "HTMLPage has unclosed elements \(open)")
    return markup
  }
}

// MARK: - Text helpers

extension HTMLReport {
  /// `text` escaped for HTML content and quoted attributes (the same rules as the SVG charts').
  static func escape(_ text: String) -> String { SVGWriter.escape(text) }

  /// `value` with `decimals` decimals, "–" when missing or not finite; never "-0.00".
  static func number(_ value: Double?, _ decimals: Int) -> String {
    guard let value, value.isFinite else { return "–" }
    let text = String(format: "%.\(decimals)f", value)
    return Double(text) == 0 && text.hasPrefix("-") ? String(text.dropFirst()) : text
  }

  /// `value` with at most `decimals` decimals and no trailing zeros ("1", "1.2", "0.05"), for
  /// values that label things, such as drifts and hazard ratios.
  static func short(_ value: Double?, _ decimals: Int = 2) -> String {
    var text = number(value, decimals)
    guard text.contains(".") else { return text }
    while text.hasSuffix("0") { text.removeLast() }
    if text.hasSuffix(".") { text.removeLast() }
    return text
  }

  /// `value` × 100 with a "%" sign.
  static func percent(_ value: Double?, _ decimals: Int = 1) -> String {
    guard let value, value.isFinite else { return "–" }
    return number(value * 100, decimals) + "%"
  }

  /// "estimate ± error".
  static func plusMinus(_ value: Double?, _ error: Double?, _ decimals: Int) -> String {
    guard let value, value.isFinite else { return "–" }
    return number(value, decimals) + " ± " + number(error, decimals)
  }

  /// A signed number ("+12", "−3"), with a true minus sign.
  static func signed(_ value: Double?, _ decimals: Int) -> String {
    guard let value, value.isFinite else { return "–" }
    let text = number(abs(value), decimals)
    return text == number(0, decimals) ? text : (value < 0 ? "−" : "+") + text
  }

  static func plural(_ count: Int, _ word: String) -> String { count == 1 ? word : word + "s" }

  /// An id for links to a cell: letters, digits and hyphens only.
  static func anchor(_ cell: CellResult) -> String {
    "cell-\(cell.index + 1)-" + String(cell.id.map { $0.isLetter || $0.isNumber ? $0 : "-" })
  }

  /// Distinct values in order of first appearance.
  static func unique<T: Hashable>(_ values: [T]) -> [T] {
    var seen = Set<T>()
    return values.filter { seen.insert($0).inserted }
  }

  /// Designs in the order the run lists them.
  static func designOrder(_ ocs: [OperatingCharacteristics]) -> [String] { unique(ocs.map(\.design)) }

  /// (hazard ratio, drift) pairs in the order the run lists them.
  static func truthOrder(_ ocs: [OperatingCharacteristics]) -> [[Double]] { unique(ocs.map { [$0.hazardRatio, $0.drift] }) }
}
