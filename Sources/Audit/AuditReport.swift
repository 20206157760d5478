// AuditReport.swift — every audit metric for one (train, synthetic, holdout) triple, as one
// Codable value (Docs/Methods.md, audit).

import Foundation

/// One goal the console summary checks, with its verdict.
public struct AuditGoal: Codable, Sendable, Hashable {
  /// The audited quantity; its raw value is the name shown and written (JSON `metric`).
  public enum Metric: String, Codable, Sendable, CaseIterable {
    case columnShapes = "Column Shapes"
    case columnPairTrends = "Column Pair Trends (all pairs)"
    case kaplanMeierDivergence = "KM divergence"
    case exactCopies = "Exact copies"
    case dcrOverfittingProtection = "DCROverfittingProtection"
  }

  public var metric: Metric
  public var value: Double?
  /// Human-readable target, e.g. "≥ 0.95".
  public var target: String
  /// true = pass, false = attention, nil = not computed.
  public var passed: Bool?
}

/// The audit of a synthetic table against the real training table and, optionally, a real
/// holdout that the generator never saw.
public struct AuditReport: Codable, Sendable, Hashable {
  public var trainRows: Int
  public var syntheticRows: Int
  public var holdoutRows: Int?
  public var seed: UInt64
  /// Whether time and event entered the fidelity, detection and privacy metrics as columns.
  public var outcomeColumnsIncluded: Bool
  public var fidelity: FidelityReport
  /// nil unless train and synthetic both carry times and events.
  public var survival: SurvivalFidelity?
  public var privacy: PrivacyReport
  /// nil unless a holdout with times and events is given.
  public var utility: UtilityReport?
  public var goals: [AuditGoal]

  /// Audits `synthetic` against `train` (and `holdout`).
  ///
  /// - Parameters:
  ///   - train: the real rows the generator was fitted on (R).
  ///   - synthetic: the generated rows (S); same columns, kinds and levels as `train`.
  ///   - holdout: real rows never used in fitting (H); enables DCROverfittingProtection, the
  ///     holdout DCR/NNDR baselines and the utility (TSTR) metrics.
  ///   - horizon: τ for the RMST difference; nil = min(max T_R, max T_S).
  ///   - seed: drives the detection folds, the random DCR baseline and the RMST bootstrap.
  ///   - bootstrapResamples: resamples for the RMST-difference interval.
  ///   - includeOutcomeColumns: treat time and event as two more columns in the fidelity,
  ///     detection and privacy metrics (when every table has them), so a row only counts as a
  ///     copy when its outcome is copied too.
  ///   - detection: run the (slowest) logistic detection metric.
  /// - Throws: ``AuditError`` when a table is empty or the schemas differ.
  public init(
    train: AuditTable, synthetic: AuditTable, holdout: AuditTable? = nil, horizon: Double? = nil,
    seed: UInt64, bootstrapResamples: Int = 200, includeOutcomeColumns: Bool = true, detection: Bool = true
  ) throws(AuditError) {
    trainRows = train.rowCount
    syntheticRows = synthetic.rowCount
    holdoutRows = holdout?.rowCount
    self.seed = seed

    let withOutcome = includeOutcomeColumns && train.hasSurvival && synthetic.hasSurvival && (holdout?.hasSurvival ?? true)
    outcomeColumnsIncluded = withOutcome
    let r = withOutcome ? train.withOutcomeColumns() : train
    let s = withOutcome ? synthetic.withOutcomeColumns() : synthetic
    let h = withOutcome ? holdout?.withOutcomeColumns() : holdout
    try r.checkComparable(with: s, selfName: "training", otherName: "synthetic")
    if let h { try r.checkComparable(with: h, selfName: "training", otherName: "holdout") }

    fidelity = try FidelityReport(real: r, synthetic: s, seed: seed, detection: detection)
    privacy = try PrivacyReport(train: r, synthetic: s, holdout: h, seed: seed)
    if train.hasSurvival && synthetic.hasSurvival {
      survival = try SurvivalFidelity(
        real: train, synthetic: synthetic, horizon: horizon, seed: seed, bootstrapResamples: bootstrapResamples)
    }
    if let holdout, holdout.hasSurvival, train.hasSurvival, synthetic.hasSurvival {
      utility = try UtilityReport(train: train, synthetic: synthetic, holdout: holdout)
    }
    goals = []
    goals = defaultGoals()
  }

  /// The goals of the console summary: Column Shapes ≥ 0.95, all-pairs Column Pair Trends ≥
  /// 0.93, KM divergence ≤ 0.03, exact copies = 0, DCROverfittingProtection ≥ 0.9.
  func defaultGoals() -> [AuditGoal] {
    func atLeast(_ name: AuditGoal.Metric, _ v: Double?, _ goal: Double) -> AuditGoal {
      AuditGoal(metric: name, value: v, target: "≥ \(goal)", passed: v.map { $0 >= goal })
    }
    return [
      atLeast(.columnShapes, fidelity.columnShapes, 0.95),
      atLeast(.columnPairTrends, fidelity.columnPairTrendsAllPairs, 0.93),
      AuditGoal(
        metric: .kaplanMeierDivergence, value: survival?.kaplanMeier.absoluteOptimism, target: "≤ 0.03",
        passed: survival.map { $0.kaplanMeier.absoluteOptimism <= 0.03 }),
      AuditGoal(metric: .exactCopies, value: Double(privacy.exactCopies), target: "= 0", passed: privacy.exactCopies == 0),
      atLeast(.dcrOverfittingProtection, privacy.dcrOverfittingProtection, 0.9),
    ]
  }

  /// The report as JSON. Undefined metrics are left out (Swift's `encodeIfPresent`); a
  /// non-finite number that slipped through is written as the string "NaN" / "Infinity". Keys are
  /// snake_case, as in every JSON file SynthArm writes for people (`snakeCase: false` keeps
  /// Swift's names, for a lossless round trip).
  public func jsonData(prettyPrinted: Bool = true, snakeCase: Bool = true) throws -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = prettyPrinted ? [.prettyPrinted, .sortedKeys] : [.sortedKeys]
    if snakeCase { encoder.keyEncodingStrategy = .convertToSnakeCase }
    encoder.nonConformingFloatEncodingStrategy = .convertToString(
      positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
    return try encoder.encode(self)
  }
}
