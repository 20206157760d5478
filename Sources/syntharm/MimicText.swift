// MimicText.swift — the console text of `syntharm mimic`.

import Foundation
import Simulation

enum MimicText {
  static func text(_ r: MimicResult, protocolFile: String) -> String {
    let real = r.real
    var lines: [String] = []
    lines.append("\(protocolFile): treated arm \(r.treatedExpression)")
    lines.append(
      "real arms: \(real.controlPatients) control (\(real.controlEvents) events, the eligible reference), "
        + "\(real.treatedPatients) treated (\(real.treatedEvents) events; \(r.treatedSelected) selected, \(r.treatedIneligible) not eligible"
        + (r.treatedMissingOutcome > 0 ? ", \(r.treatedMissingOutcome) without time or event" : "") + ")")
    lines.append(
      "synthetic control arms: \(r.refits.analysed) of \(r.refits.requested) refits (seed \(r.seed)), generator refitted on a bootstrap "
        + "resample of \(r.fittingRows) reference patients each time (fit_on: \(r.fitOn.rawValue))"
        + (r.refits.redrawn > 0 ? "; \(r.refits.redrawn) resamples redrawn" : ""))
    lines.append("")
    let rows = [
      ["control arm", "HR", "95% interval", "log-rank p"],
      [
        "real", fixed(real.hazardRatio, 3), "\(fixed(real.lower, 3))–\(fixed(real.upper, 3)) (Wald)", pValue(real.logRankP),
      ],
      [
        "synthetic (median)", fixed(r.syntheticHR, 3),
        "\(fixed(r.syntheticLower, 3))–\(fixed(r.syntheticUpper, 3)) (2.5–97.5% of refits)", pValue(r.syntheticLogRankP),
      ],
    ]
    let widths = (0..<4).map { j in rows.map { $0[j].count }.max() ?? 0 }
    for row in rows {
      lines.append(
        row.enumerated().map { j, cell in
          j == 0
            ? cell.padding(toLength: widths[j], withPad: " ", startingAt: 0) : String(repeating: " ", count: widths[j] - cell.count) + cell
        }.joined(separator: "  "))
    }
    lines.append("")
    lines.append(
      "refits with the HR inside the real 95% interval: \(fixed(100 * r.shareInRealInterval, 1)) %; "
        + "same log-rank decision as the real trial at α = \(number(r.alpha)) (\(r.sided)-sided): \(fixed(100 * r.decisionAgreement, 1)) %")
    lines.append(
      "median of the synthetic analyses' own Wald intervals: \(fixed(r.syntheticWaldLower, 3))–\(fixed(r.syntheticWaldUpper, 3))")
    let unit = r.timeUnit.rawValue
    var survival: [String] = []
    for fraction in [0.25, 0.5, 0.75] {
      let i = Int((Double(r.curves.time.count - 1) * fraction).rounded())
      survival.append(
        "S(\(fixed(r.curves.time[i], 0)) \(unit)s): real control \(fixed(r.curves.realControl[i], 3)), synthetic "
          + "\(fixed(r.curves.syntheticMedian[i], 3)) (\(fixed(r.curves.syntheticLower[i], 3))–\(fixed(r.curves.syntheticUpper[i], 3))), "
          + "treated \(fixed(r.curves.treated[i], 3))")
    }
    lines += survival
    return lines.joined(separator: "\n")
  }
}
