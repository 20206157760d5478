// AuditReport+Summary.swift — the console summary: the headline numbers, each goal marked
// "pass" or "attention". The JSON (`jsonData`) carries everything; this is for people.

import Foundation

extension AuditReport {
  /// A readable multi-line summary with pass/attention marks for the default goals.
  ///
  /// - Parameter timeUnit: how to show survival times, which the audit holds in the reference's
  ///   unit: the factor to the shown unit and its name (e.g. days → months, as the report shows
  ///   them); nil shows the reference's unit, unnamed.
  public func summary(timeUnit: (factor: Double, name: String)? = nil) -> String {
    let factor = timeUnit?.factor ?? 1
    let unitText = timeUnit.map { " (\($0.name))" } ?? ""
    var lines: [String] = []
    let holdoutText = holdoutRows.map { ", holdout \($0)" } ?? ", no holdout"
    lines.append("Audit: train \(trainRows) rows, synthetic \(syntheticRows)\(holdoutText); seed \(seed)")
    lines.append("")
    lines.append("Goals")
    for goal in goals {
      let mark = goal.passed.map { $0 ? "pass" : "attention" } ?? "not computed"
      let value = goal.metric == .exactCopies ? goal.value.map { String(Int($0)) } ?? "–" : fmt(goal.value)
      lines.append(row(goal.metric.rawValue, value, "goal \(goal.target)", mark))
    }

    lines.append("")
    lines.append("Fidelity")
    lines.append(row("Quality score (all pairs)", fmt(fidelity.qualityScoreAllPairs)))
    let thresholdedCount = fidelity.pairs.filter(\.meetsThreshold).count
    lines.append(
      row(
        "Column Pair Trends (|ρ|>0.5, V>0.3)", fmt(fidelity.columnPairTrendsThresholded),
        "\(thresholdedCount) of \(fidelity.pairs.count) pairs"))
    lines.append(row("Quality score (thresholded)", fmt(fidelity.qualityScoreThresholded)))
    if let d = fidelity.detection {
      lines.append(row("Detection (logistic, 3-fold)", fmt(d.score), "mean AUC \(fmt(d.meanAUC))"))
    }
    let scoredColumns = fidelity.columns.compactMap { c in c.shapeScore.map { (c, $0) } }
    if let (worst, score) = scoredColumns.min(by: { $0.1 < $1.1 }) {
      lines.append(row("Lowest column shape", fmt(score), "\(worst.name) (\(worst.shapeMetric))"))
    }
    let scoredPairs = fidelity.pairs.compactMap { p in p.score.map { (p, $0) } }
    if let (worst, score) = scoredPairs.min(by: { $0.1 < $1.1 }) {
      lines.append(row("Lowest pair", fmt(score), "\(worst.first) × \(worst.second)"))
    }
    let coverage = fidelity.columns.compactMap(\.coverage)
    let adherence = fidelity.columns.compactMap(\.adherence)
    lines.append(row("Coverage (min over columns)", fmt(coverage.min())))
    lines.append(row("Adherence (min over columns)", fmt(adherence.min())))

    if let sv = survival {
      lines.append("")
      lines.append("Survival")
      lines.append(row("KM optimism", fmt(sv.kaplanMeier.optimism, signed: true), "> 0: synthetic patients live longer"))
      lines.append(row("Short-sightedness", fmt(sv.kaplanMeier.shortSightedness, signed: true)))
      lines.append(row("Log-rank R vs S", "χ² \(fmt(sv.logRankStatistic, digits: 2))", "p = \(fmt(sv.logRankPValue))"))
      lines.append(row("Median survival, real" + unitText, medianText(sv.realMedian, factor)))
      lines.append(row("Median survival, synthetic" + unitText, medianText(sv.syntheticMedian, factor)))
      lines.append(
        row(
          "RMST(τ = \(fmt(sv.horizon * factor, digits: 1))) S − R" + unitText, fmt(sv.rmstDifference * factor, signed: true, digits: 2),
          "bootstrap 95% CI \(fmt(sv.rmstDifferenceBootstrapLower.map { $0 * factor }, digits: 2)) to \(fmt(sv.rmstDifferenceBootstrapUpper.map { $0 * factor }, digits: 2))"
        ))
      let overlaps = sv.coxComparisons.compactMap { c in c.confidenceIntervalOverlap.map { (c.term, $0) } }
      if let (term, lowest) = overlaps.min(by: { $0.1 < $1.1 }) {
        let mean = overlaps.reduce(0) { $0 + $1.1 } / Double(overlaps.count)
        lines.append(row("Univariable Cox CI overlap", "mean \(fmt(mean))", "lowest \(fmt(lowest)) (\(term))"))
      }
    }

    lines.append("")
    lines.append("Privacy")
    lines.append(row("DCRBaselineProtection", fmt(privacy.dcrBaselineProtection)))
    lines.append(row("NewRowSynthesis", fmt(privacy.newRowSynthesis)))
    lines.append(
      row(
        "DCR S→train median", fmt(privacy.dcrSyntheticToTrain?.median, digits: 4),
        privacy.dcrHoldoutToTrain.map { "holdout→train median \(fmt($0.median, digits: 4))" } ?? ""))
    if let auc = privacy.membershipInferenceAUC {
      lines.append(row("Membership inference AUC (DCR)", fmt(auc), "0.5 = members not told from held-out patients"))
    }
    if let h = privacy.hamming {
      lines.append(
        row(
          "Hamming to nearest real row", "median \(fmt(h.median, digits: 1))",
          "min \(h.minimum), share 0: \(percent(h.shareZero)), share ≤ 1: \(percent(h.shareAtMostOne))"))
    }
    if let n = privacy.nndrSyntheticToTrain {
      lines.append(
        row(
          "NNDR S→train", "p5 \(fmt(n.percentile5))",
          "median \(fmt(n.median))"
            + (privacy.nndrHoldoutToTrain.map { "; holdout p5 \(fmt($0.percentile5))" } ?? "")))
    }
    if privacy.holdoutTooSmall == true {
      lines.append("  note: the holdout has fewer than half as many rows as the training table")
    }

    if let u = utility {
      lines.append("")
      lines.append("Utility (Cox, Harrell's C on the holdout)")
      lines.append(row("Trained on synthetic", fmt(u.syntheticTrainedConcordance)))
      lines.append(
        row(
          "Trained on real", fmt(u.realTrainedConcordance),
          "difference \(fmt(u.concordanceDifference, signed: true))"))
    }
    return lines.joined(separator: "\n")
  }

  private func row(_ label: String, _ value: String, _ detail: String = "", _ mark: String = "") -> String {
    let tail = mark.isEmpty ? detail : pad(detail, 14) + mark
    return "  " + pad(label, 38) + pad(value, 10) + tail
  }

  /// Pads with spaces to `width`, never truncating (one space after a value that is longer).
  private func pad(_ s: String, _ width: Int) -> String {
    s.count < width ? s + String(repeating: " ", count: width - s.count) : s + " "
  }

  private func fmt(_ v: Double?, signed: Bool = false, digits: Int = 3) -> String {
    guard let v, v.isFinite else { return "–" }
    let s = String(format: "%.\(digits)f", v)
    return signed && v >= 0 ? "+" + s : s
  }

  private func percent(_ v: Double) -> String { String(format: "%.1f%%", 100 * v) }

  private func medianText(_ m: MedianSurvival, _ factor: Double) -> String {
    guard let e = m.estimate else { return "not reached" }
    return
      "\(fmt(e * factor, digits: 1)) (95% CI \(fmt(m.lower.map { $0 * factor }, digits: 1)) to \(m.upper.map { fmt($0 * factor, digits: 1) } ?? "NA"))"
  }
}
