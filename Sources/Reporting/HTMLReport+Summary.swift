// HTMLReport+Summary.swift — the report opens with the one-screen summary (CellSummary): per cell
// and borrowing design, real controls saved with the interval, type-I error across the drift
// range, ESS borrowed and implied drift; and, when the sweep varies the reference's size, real
// controls saved against reference size — the question a team asks before it negotiates access
// to a registry.

import Foundation
import Plotting
import Runs
import Simulation

extension HTMLReport {
  static func summarySection(_ page: inout HTMLPage, _ report: RunReport) {
    let rows = CellSummary.rows(report)
    guard !rows.isEmpty else { return }
    page.open("section", id: "summary")
    page.element("h2", text: "Summary")
    page.element(
      "p",
      text: "Per cell and borrowing design: real controls saved at the target power (conventional − augmented, with its "
        + "paired bootstrap 95 % interval; not-distinguishable when it holds 0), the type-I error at the calibrated threshold "
        + "across the scenario's drifts (lowest–highest, and the drift of the highest), the control events borrowed (ESS) "
        + "and the implied drift of the synthetic source. Details per cell follow.")
    page.open("table", class: "summary")
    page.raw(
      "<thead><tr><th>Cell</th><th>Reference</th><th class=\"num\">Conventional N (e + c)</th><th>Design</th>"
        + "<th class=\"num\">Real + synthetic</th><th class=\"num\">Saved (95 % interval)</th><th>Status</th>"
        + "<th class=\"num\">Type-I error over drift (max at)</th><th class=\"num\">ESS</th><th class=\"num\">Implied drift</th></tr></thead>\n<tbody>\n"
    )
    for r in rows {
      if let failure = r.failure {
        page.raw(
          "<tr class=\"failed\"><td class=\"name\">\(escape(r.cell))</td><td>\(escape(r.reference))</td>"
            + "<td colspan=\"8\">not simulated, every rate NA: \(escape(failure))</td></tr>\n")
        continue
      }
      let saved = r.saved.map { s in "\(s)" + (r.savedLow.flatMap { l in r.savedHigh.map { " (\(l) to \($0))" } } ?? "") } ?? "–"
      let typeI = r.typeIRange.map { "\(number($0.low, 3))–\(number($0.high, 3)) (\(short($0.atDrift)))" } ?? "–"
      let drift =
        r.impliedDrift.map { d in
          "\(number(d.hazardRatio, 2)) (\(number(d.lower, 2))–\(number(d.upper, 2)))"
            + (d.flagged ? " <span class=\"attention\">flagged</span>" : "")
        } ?? "–"
      page.raw(
        "<tr><td class=\"name\">\(escape(r.cell))</td><td>\(escape(r.reference))</td>"
          + "<td class=\"num\">\(escape(r.conventional ?? "–"))</td><td>\(escape(r.design))</td>"
          + "<td class=\"num\">\(escape(r.controls ?? "–"))</td><td class=\"num\">\(escape(saved))</td>"
          + "<td>\(escape(r.status?.rawValue ?? "–"))</td><td class=\"num\">\(escape(typeI))</td>"
          + "<td class=\"num\">\(r.borrowedEvents.map { number($0, 1) } ?? "–")</td><td class=\"num\">\(drift)</td></tr>\n")
    }
    page.raw("</tbody>\n")
    page.close()
    if let chart = referenceSizeChart(report) {
      page.figure(
        chart.svg(),
        caption: "Real controls saved against the size of the reference the synthetic controls learn from, with the paired "
          + "bootstrap 95 % interval: sizes up to the eligible reference are subsamples of it; larger ones are cohorts drawn "
          + "from the truth model (a bootstrap of the reference would add no information).")
    }
    page.close()
  }

  /// Saved (with its interval) against reference size, one series per eligibility cell and design;
  /// nil unless the sweep varies the reference's size.
  static func referenceSizeChart(_ report: RunReport) -> LineChart? {
    let swept = report.cells.filter { $0.referenceSample != nil }
    guard !swept.isEmpty, swept.contains(where: { !$0.savings.isEmpty }) else { return nil }
    var groups: [(name: String, points: [(size: Double, saved: Double, low: Double, high: Double)])] = []
    for cell in swept {
      guard let sample = cell.referenceSample else { continue }
      let base = cell.id.hasSuffix("-ref\(sample.size)") ? String(cell.id.dropLast("-ref\(sample.size)".count)) : cell.id
      for s in cell.savings {
        guard let saved = s.saved else { continue }
        let name = "\(base): \(s.design)"
        let point = (Double(sample.size), Double(saved), Double(s.savedLow ?? saved), Double(s.savedHigh ?? saved))
        if let k = groups.firstIndex(where: { $0.name == name }) {
          groups[k].points.append(point)
        } else {
          groups.append((name, [point]))
        }
      }
    }
    guard !groups.isEmpty else { return nil }
    let colors: [Color] = [.vermillion, .blue, .bluishGreen, .reddishPurple, .orange, .skyBlue]
    let series = groups.enumerated().map { k, g in
      let p = g.points.sorted { $0.size < $1.size }
      return LineSeries(
        name: g.name, x: p.map(\.size), y: p.map(\.saved), color: colors[k % colors.count], marker: .circle,
        band: ConfidenceBand(lower: p.map(\.low), upper: p.map(\.high)))
    }
    var chart = LineChart(
      title: "Real controls saved by reference size", xTitle: "Eligible reference patients the generator learns from",
      yTitle: "Real controls saved", series: series,
      referenceLines: [ReferenceLine(.horizontal, at: 0, label: "no saving")], width: fullWidth, height: 420)
    chart.legendPosition = .bottomRight
    return chart
  }
}
