// ArmComparisonReport.swift — formats an ArmComparison as the console table users read.

import Foundation
import SurvivalAnalysis

struct ArmComparisonReport {
  let comparison: ArmComparison
  let file: String, time: String, event: String
  let eventValue: Double
  let arm: String, ties: String

  var text: String {
    let c = comparison
    let patients = c.arms.reduce(0) { $0 + $1.estimate.subjectCount }
    let events = c.arms.reduce(0) { $0 + $1.estimate.eventCount }
    var lines: [String] = []
    lines.append("\(file): \(patients) patients, \(events) events (time: \(time), event: \(event) == \(number(eventValue)))")
    lines.append("")
    lines.append("Kaplan–Meier by \(arm) (95% CI, log scale)")
    var header = ["arm", "n", "events", "median (95% CI)"]
    header += (c.arms.first?.landmarks ?? []).map { "S(\(number($0.time)))" }
    var rows: [[String]] = []
    for a in c.arms {
      var row = [a.label, "\(a.estimate.subjectCount)", "\(a.estimate.eventCount)", interval(a.median)]
      row += a.landmarks.map { l in
        "\(fixed(l.survival, 3)) (\(l.lower.map { fixed($0, 3) } ?? "NA")–\(l.upper.map { fixed($0, 3) } ?? "NA"))"
      }
      rows.append(row)
    }
    lines += table(header: header, rows: rows)
    lines.append("")
    let lr = c.logRank.chiSquare
    lines.append("Log-rank test: chi-square = \(fixed(lr.statistic, 2)) on \(lr.degreesOfFreedom) df, p = \(pValue(lr.pValue))")
    lines.append("")
    lines.append("Cox proportional hazards (\(ties) ties), reference \(c.arms[0].label)")
    var coxRows: [[String]] = []
    for (j, a) in c.arms.dropFirst().enumerated() {
      let ci = c.cox.hazardRatioBounds(j)  // NaN (printed "nan") when the fit has no standard error
      coxRows.append([
        a.label, fixed(c.cox.hazardRatios[j], 3), "\(fixed(ci.lower, 3))–\(fixed(ci.upper, 3))",
        pValue(c.cox.waldPValue(j)),
      ])
    }
    lines += table(header: ["arm", "HR", "95% CI", "p"], rows: coxRows)
    let lrt = c.cox.likelihoodRatioTest
    lines.append("Likelihood-ratio test: chi-square = \(fixed(lrt.statistic, 2)) on \(lrt.degreesOfFreedom) df, p = \(pValue(lrt.pValue))")
    if !c.cox.convergence.isConverged { lines.append("warning: the Cox fit did not converge (\(c.cox.convergence))") }
    return lines.joined(separator: "\n")
  }

  private func interval(_ q: KaplanMeierEstimate.Quantile) -> String {
    "\(q.estimate.map(number) ?? "NA") (\(q.lower.map(number) ?? "NA")–\(q.upper.map(number) ?? "NA"))"
  }

  private func table(header: [String], rows: [[String]]) -> [String] {
    let widths = header.indices.map { j in ([header[j]] + rows.map { $0[j] }).map(\.count).max()! }
    func line(_ cells: [String]) -> String {
      cells.enumerated().map { j, cell in
        j == 0
          ? cell.padding(toLength: widths[j], withPad: " ", startingAt: 0)
          : String(repeating: " ", count: widths[j] - cell.count) + cell
      }.joined(separator: "  ")
    }
    return [line(header)] + rows.map(line)
  }
}

func fixed(_ x: Double, _ digits: Int) -> String { String(format: "%.\(digits)f", x) }
func number(_ x: Double) -> String { x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : String(x) }
func pValue(_ p: Double) -> String { p < 0.0001 ? String(format: "%.1e", p) : String(format: "%.4f", p) }
