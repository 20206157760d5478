// HTMLReport+Sweep.swift — the sweep across cells: one table row per cell (eligible patients,
// generator support, each design's power and type-I error, savings) and heatmaps of power and
// savings, so the effect of each eligibility variation can be read at a glance.

import Foundation
import Plotting
import Runs
import Simulation

extension HTMLReport {
  static func sweepSection(_ page: inout HTMLPage, _ report: RunReport) {
    page.open("section", id: "sweep")
    page.element("h2", text: "Across the sweep")
    let ocs = report.operatingCharacteristics
    let designs = designOrder(ocs)
    let powerHR = unique(ocs.map(\.hazardRatio)).first { $0 != 1 }
    let hasNull = ocs.contains { $0.hazardRatio == 1 }
    // Drift 1 (no drift) when simulated, else the first drift: the headline column.
    let drift = ocs.contains { $0.drift == 1 } ? 1 : ocs.first?.drift
    let searched = unique(report.savings.map(\.design))
    let driftText = drift.map { "drift \(short($0))" } ?? ""
    // The table keeps to one number per design and truth so it fits the page; the MCSEs are in
    // each cell's own table, and the largest is quoted here.
    let shown = ocs.filter { $0.drift == drift && ($0.hazardRatio == 1 || $0.hazardRatio == powerHR) }
    let largestMCSE = shown.map(\.rejectionMCSE).filter(\.isFinite).max()
    var intro =
      "One row per eligibility cell. Power at HR \(short(powerHR)) and type-I error at HR 1, both with "
      + "\(driftText); the largest Monte Carlo SE among them is \(percent(largestMCSE, 1)) (each cell's table gives every MCSE)."
    if let target = report.savings.first?.targetPower {
      intro += " Saved: real controls the augmented design needs fewer than the conventional one for \(percent(target, 0)) power."
    }
    page.element("p", text: intro)
    page.open("table", class: "sweep")
    page.raw(
      "<thead><tr><th rowspan=\"2\">Cell</th><th rowspan=\"2\" class=\"num\">Eligible</th>"
        + "<th rowspan=\"2\" class=\"num\">Support</th>")
    for design in designs {
      page.raw("<th colspan=\"\((powerHR != nil ? 1 : 0) + (hasNull ? 1 : 0))\">\(escape(design))</th>")
    }
    for design in searched { page.raw("<th rowspan=\"2\">Saved by \(escape(design))</th>") }
    page.raw("</tr>\n<tr>")
    for _ in designs {
      if powerHR != nil { page.raw("<th class=\"num\">Power</th>") }
      if hasNull { page.raw("<th class=\"num\">Type&#160;I</th>") }
    }
    page.raw("</tr></thead>\n<tbody>\n")
    var notes: [String] = []
    for cell in report.cells {
      let warning =
        cell.supportWarning != nil
        ? " <span class=\"attention\" title=\"\(escape(cell.supportWarning ?? ""))\">⚠ &lt; \(SweepCellRunner.minimumSupport)</span>" : ""
      var row =
        "<tr><td class=\"name\"><a href=\"#\(anchor(cell))\">\(escape(cell.id))</a></td>"
        + "<td class=\"num\">\(cell.eligibleReference.map(String.init) ?? "–")</td>"
        + "<td class=\"num\">\(cell.generatorSupport.map(String.init) ?? "–")\(warning)</td>"
      for design in designs {
        func rate(_ hr: Double) -> String {
          let o = cell.operatingCharacteristics.first { $0.design == design && $0.hazardRatio == hr && $0.drift == drift }
          return percent(o?.rejectionRate, 1)
        }
        if let powerHR { row += "<td class=\"num\">\(rate(powerHR))</td>" }
        if hasNull { row += "<td class=\"num\">\(rate(1))</td>" }
      }
      for design in searched {
        if let s = cell.savings.first(where: { $0.design == design }), s.saved != nil {
          row += "<td class=\"num\">\(escape(savedText(s)))</td>"
        } else {
          let status = cell.savings.first { $0.design == design }?.status.rawValue ?? "not searched"
          notes.append("\(cell.id), \(design): \(status)")
          row += "<td class=\"num\">none<sup>\(notes.count)</sup></td>"
        }
      }
      page.raw(row + "</tr>\n")
    }
    page.raw("</tbody>\n")
    page.close()
    for (k, note) in notes.enumerated() {
      page.element("p", class: "muted", text: "\(k + 1). No savings count for \(note).")
    }
    if let heatmap = sweepPowerHeatmap(report) {
      page.figure(heatmap.svg(), caption: "Power of each design (and drift) in each cell; darker is more powerful.")
    }
    if let heatmap = sweepSavingsHeatmap(report) {
      page.figure(
        heatmap.svg(),
        caption: "Real controls saved at drift 1 and a common type-I error α, as a share of the "
          + "conventional control arm: blue saves, red costs (the compared design needs more); grey where no "
          + "count reached the target power.")
    }
    page.close()
  }
}
