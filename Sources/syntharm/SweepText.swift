// SweepText.swift — the console tables of `syntharm run` and `syntharm merge`: per cell, the
// operating characteristics; then the savings of each compared design at each drift.

import Foundation
import Reporting
import Runs
import Simulation

enum SweepText {
  static func text(_ report: RunReport, trials: Int?, seconds: Double?) -> String {
    var lines: [String] = []
    var headline =
      "Scenario \(report.manifest.scenario): \(report.cells.count) cell(s), "
      + "\(report.manifest.settings.replicates) trials per design and truth"
    if let trials, let seconds, trials > 0 {
      headline +=
        "; \(trials) trials simulated in \(String(format: "%.1f", seconds)) s "
        + "(\(Int(Double(trials) / max(seconds, 1e-9))) trials/s)"
    }
    lines.append(headline)
    lines += [""] + summaryTable(CellSummary.rows(report))
    lines += ["", "Details per cell"]
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
      // A cell without a result is never shown as 0 %: its rates are NA and it says why.
      if let failure = cell.failure {
        lines.append("  NOT SIMULATED, every rate NA: \(failure)")
        continue
      }
      if let reason = cell.notSimulatedReason { lines.append("  NOT SIMULATED, every rate NA: \(reason)") }
      if let d = cell.impliedDrift {
        lines.append(
          "  implied drift of the synthetic source: \(fixed("%.2f", d.hazardRatio)) (95% interval \(fixed("%.2f", d.lower))–\(fixed("%.2f", d.upper)))"
            + (d.flagged ? "  FLAGGED: excludes 1, drift 1 is not exchangeable in this cell" : ""))
      }
      if let u = cell.generatorUncertainty {
        lines.append(
          "  generator's estimation error: SD \(fixed("%.3f", u.logCumulativeHazardSD)) of the synthetic log cumulative hazard over \(u.refits) refits"
            + (u.included ? " (included in the analyses)" : " (not included)")
            + (u.refitPool.map { "; replicates sample a pool of \($0) bootstrap fits" } ?? ""))
      }
      lines += operatingTable(cell.operatingCharacteristics).map { "  " + $0 }
    }
    if report.asksForSavings { lines += [""] + savingsTable(report.savings) }
    return lines.joined(separator: "\n")
  }

  static func operatingTable(_ results: [OperatingCharacteristics]) -> [String] {
    let header = [
      "design", "method", "HR", "drift", "reject ± MCSE", "mean HR", "estimand HR", "bias log HR", "coverage",
      "events", "ESS ± SD", "failures",
    ]
    func value(_ format: String, _ x: Double) -> String { x.isFinite ? String(format: format, x) : "NA" }
    let rows = results.map { o in
      [
        o.design, o.method.rawValue + (o.source == .reference ? " (reference)" : ""), SummaryText.format(o.hazardRatio),
        SummaryText.format(o.drift),
        (o.rejectionRate.isFinite
          ? String(format: "%.3f ± ", o.rejectionRate) + (o.analysed > 1 ? value("%.3f", o.rejectionMCSE) : "NA") : "NA")
          + (o.hazardRatio == 1 ? " (type I)" : ""),
        value("%.3f", o.meanHR), value("%.3f", exp(o.estimandLogHR)), value("%+.3f", o.biasLogHR), value("%.3f", o.coverage),
        value("%.1f", o.meanEvents), value("%.1f", o.borrowedEvents) + " ± " + value("%.1f", o.borrowedEventsSD),
        o.failures == 0 ? "0" : "\(o.failures) (" + value("%.1f", 100 * o.failureRate) + " %)",
      ]
    }
    let ratios = results.compactMap { o in
      o.varianceRatio.map {
        "\(o.design) (HR \(SummaryText.format(o.hazardRatio)), drift \(SummaryText.format(o.drift))) " + value("%.3f", $0)
      }
    }
    // Calibrated designs: the threshold (with its Monte Carlo interval) and the rejection rate at it.
    let calibrated = results.contains { $0.calibration != nil }
    let table =
      calibrated
      ? SummaryText.table(
        header: header + ["calibrated: threshold (interval)", "reject ± MCSE"],
        rows: zip(rows, results).map { row, o in
          guard let c = o.calibration, let rate = o.calibratedRejectionRate, let mcse = o.calibratedRejectionMCSE else {
            return row + ["–", "–"]
          }
          return row + [
            String(format: "%@ > %.4f (%.4f–%.4f)", c.scale.rawValue, c.threshold, c.low, c.high),
            rate.isFinite ? String(format: "%.3f ± %.3f", rate, mcse) : "NA",
          ]
        })
      : SummaryText.table(header: header, rows: rows)
    return table
      + ["rates are over the analysed trials (failed trials counted apart); ESS: control events borrowed from the external source"]
      + (ratios.isEmpty ? [] : ["prognostic score, variance ratio σ²(adjusted)/σ²(log-rank): " + ratios.joined(separator: "; ")])
  }

  /// The one-screen summary: per cell and borrowing design, what a trial team decides on.
  static func summaryTable(_ rows: [CellSummaryRow]) -> [String] {
    guard !rows.isEmpty else { return [] }
    let header = [
      "cell", "reference", "conventional N (e + c)", "design", "real + synthetic", "saved (95% interval)", "status",
      "type-I error over drift (max at)", "ESS", "implied drift",
    ]
    let table = rows.map { r -> [String] in
      if let failure = r.failure { return [r.cell, r.reference, "NOT SIMULATED: every rate NA (\(failure))", "", "", "", "", "", "", ""] }
      let saved =
        r.saved.map { saved in
          "\(saved)" + (r.savedLow.flatMap { low in r.savedHigh.map { " (\(low) to \($0))" } } ?? "")
        } ?? "–"
      let typeI =
        r.typeIRange.map { fixed("%.3f", $0.low) + "–" + fixed("%.3f", $0.high) + " (" + SummaryText.format($0.atDrift) + ")" } ?? "–"
      let drift =
        r.impliedDrift.map {
          fixed("%.2f", $0.hazardRatio) + " (" + fixed("%.2f", $0.lower) + "–" + fixed("%.2f", $0.upper) + ")"
            + ($0.flagged ? " FLAGGED" : "")
        } ?? "–"
      return [
        r.cell, r.reference, r.conventional ?? "–", r.design, r.controls ?? "–", saved, r.status?.rawValue ?? "–", typeI,
        r.borrowedEvents.map { fixed("%.1f", $0) } ?? "–", drift,
      ]
    }
    return ["Summary: real controls saved at the target power, and the price if the external source drifts"]
      + SummaryText.table(header: header, rows: table)
      + [
        "saved: conventional − augmented real controls (paired bootstrap interval); not-distinguishable: the interval holds 0;",
        "type-I error at the calibrated threshold across the scenario's drifts; ESS: control events borrowed; implied drift: synthetic vs real eligible controls.",
      ]
  }

  static func savingsTable(_ searches: [SavingsSearch]) -> [String] {
    guard let first = searches.first else { return [] }
    var lines = [
      "Real controls saved for power \(SummaryText.format(first.targetPower)) at HR \(SummaryText.format(first.hazardRatio)), "
        + "type-I error α = \(SummaryText.format(first.alpha)) at drift 1 (calibrated thresholds)"
    ]
    func num(_ x: Double?, _ format: String) -> String { x.map { $0.isFinite ? fixed(format, $0) : "NA" } ?? "NA" }
    let header = [
      "cell", "design", "conventional (e + c)", "events", "months", "Schoenfeld", "real + synthetic", "saved (95% interval)",
      "% of controls", "months saved", "threshold", "status",
    ]
    let rows = searches.map { s -> [String] in
      let conventional = s.conventionalPatients.map { "\($0) (\(s.conventionalExperimental ?? 0) + \(s.conventionalControls ?? 0))" } ?? "–"
      let saved =
        s.saved.map { saved in
          "\(saved)" + (s.savedLow.flatMap { low in s.savedHigh.map { " (\(low) to \($0))" } } ?? "")
        } ?? "–"
      return [
        s.cell, s.design, conventional, num(s.conventionalEvents, "%.0f"), num(s.conventionalMonths, "%.1f"),
        s.schoenfeldPatients.map(String.init) ?? "–", s.realControls.map { "\($0) + \(s.syntheticControls)" } ?? "–",
        saved, num(s.savedPercent, "%.0f"), num(s.monthsSaved, "%.1f"),
        s.threshold.map { "\(s.thresholdScale) > " + fixed("%.4f", $0) } ?? "–", s.status.rawValue,
      ]
    }
    lines += SummaryText.table(header: header, rows: rows)
    lines.append("not-distinguishable: the saving's bootstrap interval holds 0. At other drifts (the chosen count, the same threshold):")
    let riskRows = searches.flatMap { s in
      s.byDrift.map { d in
        [
          s.cell, s.design, SummaryText.format(d.drift), num(d.power, "%.3f") + " ± " + num(d.powerMCSE, "%.3f"),
          num(d.typeIError, "%.4f") + " ± " + num(d.typeIErrorMCSE, "%.4f"),
        ]
      }
    }
    lines += SummaryText.table(header: ["cell", "design", "drift", "power", "type-I error"], rows: riskRows)
    return lines
  }

  /// `x` in `format`, or NA when it is not finite (never "nan").
  static func fixed(_ format: String, _ x: Double) -> String { x.isFinite ? String(format: format, x) : "NA" }
}
