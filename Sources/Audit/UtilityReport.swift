// UtilityReport.swift — train on synthetic, test on real (Docs/Methods.md, audit TSTR, with a Cox model
// and Harrell's C in place of synthcity's Uno C; §9.5 "Cox CIO" for the coefficients).

import SurvivalAnalysis

/// Does a Cox model trained on the synthetic table rank real holdout patients as well as one
/// trained on the real training table?
public struct UtilityReport: Codable, Sendable, Hashable {
  /// Harrell's C on the holdout of the model trained on S, and of the one trained on R.
  public var syntheticTrainedConcordance: Double?
  public var realTrainedConcordance: Double?
  /// C(S-trained) − C(R-trained): 0 = the synthetic data are as useful as the real data.
  public var concordanceDifference: Double?
  /// Complete rows used: training rows of S and R, holdout rows scored.
  public var syntheticRowsUsed: Int
  public var realRowsUsed: Int
  public var holdoutRowsUsed: Int
  public var syntheticModelConverged: Bool
  public var realModelConverged: Bool
  /// The multivariable coefficients of the two fits side by side, with synthpop's CI overlap.
  public var coefficients: [CoxTermComparison]

  /// Fits `time ~ all covariates` (Efron ties, categorical columns as indicators against their
  /// first level, complete cases) on `synthetic` and on `train`, and scores `holdout`.
  /// - Throws: ``AuditError`` when a table is empty, lacks times and events, or the schemas differ.
  public init(train: AuditTable, synthetic: AuditTable, holdout: AuditTable) throws(AuditError) {
    try train.checkComparable(with: synthetic, selfName: "training", otherName: "synthetic")
    try train.checkComparable(with: holdout, selfName: "training", otherName: "holdout")
    guard train.hasSurvival, synthetic.hasSurvival, holdout.hasSurvival else {
      throw .invalidTable("utility needs times and events in the training, synthetic and holdout tables")
    }
    let all = Array(train.columns.indices)
    let designR = CoxDesign(train, columns: all)
    let designS = CoxDesign(synthetic, columns: all)
    let designH = CoxDesign(holdout, columns: all)
    let fitR = designR.fit()
    let fitS = designS.fit()
    syntheticRowsUsed = designS.times.count
    realRowsUsed = designR.times.count
    holdoutRowsUsed = designH.times.count
    syntheticModelConverged = fitS?.convergence.isConverged ?? false
    realModelConverged = fitR?.convergence.isConverged ?? false
    syntheticTrainedConcordance = fitS.flatMap {
      Concordance.harrell(times: designH.times, events: designH.events, risk: designH.linearPredictor($0.coefficients))
    }
    realTrainedConcordance = fitR.flatMap {
      Concordance.harrell(times: designH.times, events: designH.events, risk: designH.linearPredictor($0.coefficients))
    }
    if let s = syntheticTrainedConcordance, let r = realTrainedConcordance { concordanceDifference = s - r }
    coefficients = CoxTermComparison.compare(designR, designS, covariate: nil)
  }
}

/// Concordance of a risk score with right-censored outcomes.
public enum Concordance {
  /// Harrell's C: among comparable pairs, the share where the patient with the shorter time has
  /// the higher risk, risk ties counting ½.
  ///
  /// A pair (i, j) is comparable when t_i < t_j and i had the event. With tied times, a pair
  /// where only i had the event is comparable too (the censored patient was still at risk at
  /// t_i, so outlived i), as in R `survival::concordance` and lifelines; tied times with two
  /// events or two censorings are not. nil when no pair is comparable.
  /// - Complexity: O(n²); n is a holdout of at most a few thousand patients.
  public static func harrell(times: [Double], events: [Bool], risk: [Double]) -> Double? {
    precondition(times.count == events.count && times.count == risk.count, "harrell: lengths differ")
    var comparable = 0.0
    var concordant = 0.0
    for i in times.indices where events[i] {
      for j in times.indices where j != i {
        guard times[i] < times[j] || (times[i] == times[j] && !events[j]) else { continue }
        comparable += 1
        if risk[i] > risk[j] { concordant += 1 } else if risk[i] == risk[j] { concordant += 0.5 }
      }
    }
    return comparable > 0 ? concordant / comparable : nil
  }
}
