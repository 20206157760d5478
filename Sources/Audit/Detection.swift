// Detection.swift — can a classifier tell real rows from synthetic ones? (Docs/Methods.md, audit)
//
// SDMetrics `single_table/detection/base.py` (LogisticDetection): stack R (label 1) and S
// (label 0), 3-fold stratified cross-validation, per fold s = 2·max(0.5, AUC) − 1, and
// score = 1 − mean(s). 1 = indistinguishable, 0 = perfectly separable.
//
// Differences from SDMetrics, on purpose:
// - Encoding: SDMetrics mean-imputes (HyperTransformer) and scales with RobustScaler. We
//   standardise numerics with the mean and SD of R ∪ S, put missing values at 0 and add a
//   missing indicator, and one-hot every category seen (plus a missing indicator), so that a
//   generator that gets the missingness pattern wrong is detectable.
// - Folds: our own seeded stratified assignment (each class shuffled, then dealt round-robin),
//   so the score is reproducible from `seed`; scikit-learn's StratifiedKFold(shuffle=True) is
//   unseeded in SDMetrics.

import GSL

/// The detection score with its per-fold AUCs.
public struct DetectionResult: Codable, Sendable, Hashable {
  /// 1 − mean over folds of 2·max(0.5, AUC) − 1.
  public var score: Double
  /// Mean held-out AUC of the logistic classifier (0.5 = indistinguishable).
  public var meanAUC: Double
  public var foldAUCs: [Double]
  /// Number of features after encoding (without the intercept).
  public var featureCount: Int
  /// Whether every fold's Newton iteration converged.
  public var converged: Bool
}

enum Detection {
  static let foldCount = 3

  /// Runs the detection metric; nil when either table has fewer rows than folds.
  static func evaluate(real: AuditTable, synthetic: AuditTable, seed: UInt64) -> DetectionResult? {
    guard real.rowCount >= foldCount, synthetic.rowCount >= foldCount else { return nil }
    let (x, p) = encode([real, synthetic])
    let n = real.rowCount + synthetic.rowCount
    let labels = (0..<n).map { $0 < real.rowCount ? 1.0 : 0.0 }
    let folds = stratifiedFolds(labels: labels, folds: foldCount, seed: seed)
    return crossValidate(x: x, featureCount: p, labels: labels, folds: folds)
  }

  /// Cross-validated AUCs for a given fold assignment (exposed for the tests, which replay the
  /// same folds in Python).
  static func crossValidate(x: [Double], featureCount p: Int, labels: [Double], folds: [Int]) -> DetectionResult {
    var aucs: [Double] = []
    var converged = true
    for f in 0..<foldCount {
      var trainX: [Double] = []
      var trainY: [Double] = []
      var testX: [Double] = []
      var testY: [Double] = []
      for i in labels.indices {
        let row = x[(i * p)..<((i + 1) * p)]
        if folds[i] == f {
          testX.append(contentsOf: row)
          testY.append(labels[i])
        } else {
          trainX.append(contentsOf: row)
          trainY.append(labels[i])
        }
      }
      let model = RidgeLogisticRegression.fit(x: trainX, labels: trainY, featureCount: p)
      converged = converged && model.converged
      let scores = p == 0 ? [Double](repeating: 0.5, count: testY.count) : model.probabilities(testX)
      aucs.append(areaUnderROC(scores: scores, labels: testY) ?? 0.5)
    }
    let s = aucs.map { 2 * Swift.max(0.5, $0) - 1 }
    return DetectionResult(
      score: 1 - s.reduce(0, +) / Double(s.count), meanAUC: aucs.reduce(0, +) / Double(aucs.count),
      foldAUCs: aucs, featureCount: p, converged: converged)
  }

  /// Fold of each row: the rows of each class are shuffled (Fisher–Yates on a seeded stream)
  /// and dealt to folds 0, 1, 2, 0, … so every fold gets ⌊n_c/3⌋ or ⌈n_c/3⌉ rows of class c.
  static func stratifiedFolds(labels: [Double], folds k: Int, seed: UInt64) -> [Int] {
    let rng = SeedSequence(masterSeed: seed).makeRandomSource(0xDE7EC7)
    var fold = [Int](repeating: 0, count: labels.count)
    for label in [1.0, 0.0] {
      var members = labels.indices.filter { labels[$0] == label }
      for i in stride(from: members.count - 1, to: 0, by: -1) {
        members.swapAt(i, rng.uniformInt(below: i + 1))
      }
      for (position, row) in members.enumerated() { fold[row] = position % k }
    }
    return fold
  }

  /// AUC by the Mann–Whitney formula: (R₁ − n₁(n₁ + 1)/2) / (n₁ n₀), R₁ the rank sum of the
  /// positives with tied scores given their average rank (= P(score₁ > score₀) + ½ P(tie)).
  /// nil unless both classes occur.
  static func areaUnderROC(scores: [Double], labels: [Double]) -> Double? {
    let order = scores.indices.sorted { scores[$0] < scores[$1] }
    let n1 = Double(labels.filter { $0 == 1 }.count)
    let n0 = Double(labels.count) - n1
    guard n1 > 0, n0 > 0 else { return nil }
    var rankSum = 0.0
    var k = 0
    while k < order.count {
      var end = k
      while end + 1 < order.count && scores[order[end + 1]] == scores[order[k]] { end += 1 }
      let averageRank = Double(k + end + 2) / 2  // ranks k+1 … end+1
      for m in k...end where labels[order[m]] == 1 { rankSum += averageRank }
      k = end + 1
    }
    return (rankSum - n1 * (n1 + 1) / 2) / (n1 * n0)
  }

  // MARK: - Encoding

  /// Row-major features of the stacked tables and the feature count. Numeric: z-score with the
  /// pooled mean and SD (missing → 0) plus a missing indicator when any value is missing.
  /// Categorical: one indicator per level that occurs, plus one for missing when any is.
  static func encode(_ tables: [AuditTable]) -> ([Double], Int) {
    let n = tables.reduce(0) { $0 + $1.rowCount }
    var columns: [[Double]] = []
    for j in tables[0].columns.indices {
      switch tables[0].columns[j].values {
      case .numeric:
        let v = tables.flatMap { t -> [Double] in
          if case .numeric(let x) = t.columns[j].values { return x }
          preconditionFailure("schema checked by the caller")
        }
        let present = v.filter { !$0.isNaN }
        let mean = present.isEmpty ? 0 : present.reduce(0, +) / Double(present.count)
        let sd = present.isEmpty ? 0 : (present.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(present.count)).squareRoot()
        if sd > 0 { columns.append(v.map { $0.isNaN ? 0 : ($0 - mean) / sd }) }
        if present.count < v.count { columns.append(v.map { $0.isNaN ? 1 : 0 }) }
      case .categorical(_, let levels, _):
        let codes = tables.flatMap { t -> [Int32] in
          if case .categorical(let c, _, _) = t.columns[j].values { return c }
          preconditionFailure("schema checked by the caller")
        }
        for level in -1..<Int32(levels.count) where codes.contains(level) {
          columns.append(codes.map { $0 == level ? 1 : 0 })
        }
      }
    }
    // A column constant over R ∪ S carries no information (e.g. a level that always occurs).
    columns.removeAll { c in c.allSatisfy { $0 == c.first } }
    let p = columns.count
    var x = [Double](repeating: 0, count: n * p)
    for (j, c) in columns.enumerated() { for i in 0..<n { x[i * p + j] = c[i] } }
    return (x, p)
  }
}
