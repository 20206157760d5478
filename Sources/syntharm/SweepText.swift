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
      if let d = cell.impliedDrift {
        lines.append(String(format: "  implied drift of the synthetic source: %.2f (95%% interval %.2f–%.2f)", d.hazardRatio, d.lower, d.upper)
                     + (d.flagged ? "  FLAGGED: excludes 1, drift 1 is not exchangeable in this cell" : ""))
      }
      if let u = cell.generatorUncertainty {
        lines.append(String(format: "  generator's estimation error: SD %.3f of the synthetic log cumulative hazard over %d refits",
                            u.logCumulativeHazardSD, u.refits) + (u.included ? " (included in the analyses)" : " (not included)"))
      }
      lines += operatingTable(cell.operatingCharacteristics).map { "  " + $0 }
    }
    if report.asksForSavings { lines += [""] + savingsTable(report.savings) }
    return lines.joined(separator: "\n")
  }

  static func operatingTable(_ results: [OperatingCharacteristics]) -> [String] {
    let header = ["design", "method", "HR", "drift", "reject ± MCSE", "mean HR", "estimand HR", "bias log HR", "coverage",
                  "events", "ESS ± SD", "failures"]
    func value(_ format: String, _ x: Double) -> String { x.isFinite ? String(format: format, x) : "NA" }
    let rows = results.map { o in
      [o.design, o.method.rawValue + (o.source == .reference ? " (reference)" : ""), SummaryText.format(o.hazardRatio),
       SummaryText.format(o.drift),
       (o.rejectionRate.isFinite ? String(format: "%.3f ± %.3f", o.rejectionRate, o.rejectionMCSE) : "NA")
         + (o.hazardRatio == 1 ? " (type I)" : ""),
       value("%.3f", o.meanHR), value("%.3f", exp(o.estimandLogHR)), value("%+.3f", o.biasLogHR), value("%.3f", o.coverage),
       value("%.1f", o.meanEvents), value("%.1f", o.borrowedEvents) + " ± " + value("%.1f", o.borrowedEventsSD),
       o.failures == 0 ? "0" : "\(o.failures) (" + value("%.1f", 100 * o.failureRate) + " %)"]
    }
    let ratios = results.compactMap { o in
      o.varianceRatio.map { "\(o.design) (HR \(SummaryText.format(o.hazardRatio)), drift \(SummaryText.format(o.drift))) " + value("%.3f", $0) }
    }
    return SummaryText.table(header: header, rows: rows)
      + ["rates are over the analysed trials (failed trials counted apart); ESS: control events borrowed from the external source"]
      + (ratios.isEmpty ? [] : ["prognostic score, variance ratio σ²(adjusted)/σ²(log-rank): " + ratios.joined(separator: "; ")])
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
