// SummaryText.swift — the readable form of `syntharm validate`.

import TrialSpec

enum SummaryText {
  static func protocolText(_ s: ProtocolSummary) -> String {
    var lines: [String] = []
    lines.append("Protocol \(s.id)\(s.title.map { ": \($0)" } ?? "")")
    lines.append("  file: \(s.file)   time unit: \(s.timeUnit)")
    lines.append("  endpoint: \(s.endpoint)")
    lines.append("")
    lines.append("Arms")
    lines += table(
      header: ["arm", "role", "allocation", "hazard ratio"],
      rows: s.arms.map { [$0.id, $0.role, "\($0.allocation)", $0.hazardRatio.map(format) ?? "—"] }
    ).map { "  " + $0 }
    lines.append("")
    lines.append("Design")
    for key in ["patients", "accrual", "analysis", "dropout", "test"] { if let v = s.design[key] { lines.append("  \(key): \(v)") } }
    if let r = s.reference {
      lines.append("")
      lines.append("Reference cohort: \(r.data) (\(r.fileRows) rows)")
      lines.append("  rows: \(r.rows ?? "all") → \(r.referenceRows) reference patients")
      lines.append("  time: \(r.time)   event: \(r.event)")
    }
    if !s.variables.isEmpty {
      lines.append("")
      lines.append("Variables")
      lines += table(
        header: ["variable", "type", "unit", "labels", "missing"],
        rows: s.variables.map {
          [
            $0.name, $0.type, $0.unit ?? "", $0.labels.joined(separator: ", "),
            $0.missing.map(String.init) ?? "",
          ]
        }
      ).map { "  " + $0 }
    }
    if let attrition = s.attrition, let eligible = s.eligible, let r = s.reference {
      lines.append("")
      lines.append("Attrition on the reference (\(r.referenceRows) patients)")
      if attrition.isEmpty { lines.append("  no eligibility rules") } else { lines += attritionTable(attrition).map { "  " + $0 } }
      lines.append("  eligible: \(eligible) of \(r.referenceRows)")
    }
    if let syn = s.synthesis {
      lines.append("")
      lines.append("Synthesis: \(syn["generator"] ?? ""), outcome \(syn["outcome"] ?? "")")
      lines.append("  covariates: \(syn["covariates"] ?? "")")
      if let c = syn["constraints"], !c.isEmpty { lines.append("  constraints: \(c)") }
    }
    lines.append("")
    lines.append("valid")
    return lines.joined(separator: "\n")
  }

  static func scenario(_ s: ScenarioSummary) -> String {
    var lines: [String] = []
    lines.append("Scenario \(s.id)   seed \(s.seed), \(s.replicates) replicates")
    lines.append("  file: \(s.file)")
    lines.append(
      "  truth: hazard ratio \(s.hazardRatios.map(format).joined(separator: ", ")); drift \(s.drifts.map(format).joined(separator: ", "))")
    if let out = s.output { lines.append("  output: \(out)") }
    lines.append("")
    lines.append("Designs")
    lines += table(
      header: ["design", "experimental", "real controls", "synthetic", "analysis"],
      rows: s.designs.map { [$0.id, "\($0.experimental)", "\($0.realControls)", "\($0.syntheticControls)", $0.analysis] }
    )
    .map { "  " + $0 }
    if let power = s.savingsTargetPower {
      lines.append("")
      lines.append(
        "Savings: target power \(format(power)), comparing \(s.savingsCompare?.joined(separator: ", ") ?? "") with the conventional design")
    }
    lines.append("")
    lines.append("Sweep cells")
    lines += table(
      header: ["cell", "rules", "eligible"],
      rows: s.sweep.map { [$0.id, $0.rules.joined(separator: " "), $0.eligible.map(String.init) ?? "—"] }
    ).map { "  " + $0 }
    lines.append("")
    lines.append(
      protocolText(s.protocolSummary).split(separator: "\n", omittingEmptySubsequences: false).map { "| " + $0 }
        .joined(separator: "\n"))
    return lines.joined(separator: "\n")
  }

  static func attritionTable(_ rules: [Attrition.RuleCounts]) -> [String] {
    table(
      header: ["rule", "kind", "true", "false", "unknown", "excluded", "gain if dropped", "condition"],
      rows: rules.map {
        [
          $0.id, $0.kind.rawValue, "\($0.trueCount)", "\($0.falseCount)", "\($0.unknownCount)",
          "\($0.excludedInOrder)", "\($0.gainIfDropped)", $0.expression,
        ]
      })
  }

  static func format(_ x: Double) -> String { x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : String(x) }

  static func table(header: [String], rows: [[String]]) -> [String] {
    let widths = header.indices.map { j in ([header[j]] + rows.map { $0[j] }).map(\.count).max()! }
    func line(_ cells: [String]) -> String {
      cells.enumerated().map { j, c in c.padding(toLength: widths[j], withPad: " ", startingAt: 0) }
        .joined(separator: "  ").replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
    }
    return [line(header)] + rows.map(line)
  }
}
