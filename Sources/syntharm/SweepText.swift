// SweepText.swift — the console tables of `syntharm run` and `syntharm merge`: per cell, the
// operating characteristics; then the savings of each compared design at each drift.

import Foundation
import Reporting
import Simulation

enum SweepText {
  static func text(_ report: RunReport, trials: Int?, seconds: Double?) -> String {
    var lines: [String] = []
    var headline = "Scenario \(report.manifest.scenario): \(report.cells.count) cell(s), "
      + "\(report.manifest.settings.replicates) trials per design and truth"
    if let trials, let seconds, trials > 0 {
      headline += "; \(trials) trials simulated in \(String(format: "%.1f", seconds)) s "
        + "(\(Int(Double(trials) / max(seconds, 1e-9))) trials/s)"
    }
    lines.append(headline)
    for cell in report.cells {
      lines.append("")
      var title = "Cell \(cell.id)"
      if let eligible = cell.eligibleReference, let all = cell.referencePatients {
        title += ": \(eligible) of \(all) reference patients eligible"
      }
      if let audit = cell.audit?.report {
        let met = audit.goals.filter { $0.passed == true }.count
        title += "; audit of synthetic patients: \(met) of \(audit.goals.count) goals met"
      }
      lines.append(title)
      if let warning = cell.supportWarning { lines.append("  warning: \(warning)") }
      if let failure = cell.failure { lines.append("  \(failure)"); continue }
      lines += operatingTable(cell.operatingCharacteristics).map { "  " + $0 }
    }
    if report.asksForSavings { lines += [""] + savingsTable(report.savings) }
    return lines.joined(separator: "\n")
  }

  static func operatingTable(_ results: [OperatingCharacteristics]) -> [String] {
    let header = ["design", "HR", "drift", "reject ± MCSE", "mean HR", "estimand HR", "bias log HR", "coverage", "events", "borrowed", "failures"]
    let rows = results.map { o in
      [o.design, SummaryText.format(o.hazardRatio), SummaryText.format(o.drift),
       String(format: "%.3f ± %.3f", o.rejectionRate, o.rejectionMCSE) + (o.hazardRatio == 1 ? " (type I)" : ""),
       String(format: "%.3f", o.meanHR), String(format: "%.3f", exp(o.estimandLogHR)),
       String(format: "%+.3f", o.biasLogHR), String(format: "%.3f", o.coverage), String(format: "%.1f", o.meanEvents),
       String(format: "%.2f", o.meanBorrowedWeight), String(o.failures)]
    }
    return SummaryText.table(header: header, rows: rows)
  }

  static func savingsTable(_ searches: [SavingsSearch]) -> [String] {
    guard let first = searches.first else { return [] }
    let lines = ["Real controls for power \(SummaryText.format(first.targetPower)) at HR \(SummaryText.format(first.hazardRatio)) "
                 + "(augmented: also type-I error ≤ \(String(format: "%.4f", first.typeIErrorLimit)) = α + 2·MCSE)"]
    let header = ["cell", "design", "drift", "conventional", "Schoenfeld", "augmented", "saved", "power", "type I", "status"]
    var rows: [[String]] = []
    for s in searches {
      for d in s.byDrift {
        rows.append([s.cell, s.design, SummaryText.format(d.drift),
                     count(s.conventionalRealControls, s.conventionalRealControlsLow, s.conventionalRealControlsHigh),
                     s.schoenfeldRealControls.map(String.init) ?? "–", count(d.realControls, d.realControlsLow, d.realControlsHigh),
                     d.saved.map { "\($0) (" + String(format: "%.0f %%", d.savedPercent ?? 0) + ")" } ?? "–",
                     d.powerAtRealControls.map { String(format: "%.3f", $0) } ?? "–",
                     d.typeIErrorAtRealControls.map { String(format: "%.4f", $0) } ?? "–",
                     s.conventionalRealControls == nil ? "conventional: \(s.conventionalStatus)" : d.status])
      }
    }
    return lines + SummaryText.table(header: header, rows: rows)
      + ["(in brackets: the counts where the power curve is 2 MCSE below and above the target)"]
  }

  /// "900 (760–1050)"; "…" for a range end beyond the simulated counts.
  static func count(_ n: Int?, _ low: Int?, _ high: Int?) -> String {
    guard let n else { return "–" }
    return "\(n) (\(low.map(String.init) ?? "…")–\(high.map(String.init) ?? "…"))"
  }
}
