// DetectionTests.swift — AUC, the ridge logistic regression and the detection score
// (Docs/Methods.md, audit "Detection (SDMetrics)"), against audit_reference.py block B.

import TestSupport
import Testing

@testable import Audit

@Suite("Detection — Mann–Whitney AUC, ridge logistic fit, cross-validated score", .tags(.validation))
struct DetectionValidationTests {
  /// The 18 × 2 design of block B, labels and the fold of each row (0, 1, 2, 0, 1, 2, …).
  static let x: [Double] = [
    0.2, 1, 1.5, 0, -0.3, 1, 0.8, 0, 2.1, 1, -1.2, 0, 0.5, 1, 1.1, 1, -0.7, 0,
    0, 0, 1.8, 0, -1.5, 1, 0.9, 1, -0.1, 0, 1.3, 1, -0.9, 1, 0.4, 0, 2.4, 0,
  ]
  static let y: [Double] = [1, 1, 0, 1, 1, 0, 0, 1, 0, 1, 1, 0, 1, 0, 0, 0, 1, 1]
  static let folds = (0..<18).map { $0 % 3 }

  @Test func aucByHand() {
    // Positives 0.35, 0.8; negatives 0.1, 0.4: pairs won 0.35>0.1, 0.8>0.1, 0.8>0.4 → 3/4.
    #expect(close(Detection.areaUnderROC(scores: [0.1, 0.4, 0.35, 0.8], labels: [0, 0, 1, 1]), 0.75))
    // Positives 0.5, 0.9; negatives 0.5, 0.2: tie ½ + 1 + 1 + 1 → 3.5/4.
    #expect(close(Detection.areaUnderROC(scores: [0.5, 0.5, 0.2, 0.9], labels: [1, 0, 0, 1]), 0.875))
    #expect(Detection.areaUnderROC(scores: [0.1, 0.2], labels: [1, 1]) == nil)
  }

  @Test func ridgeLogisticMatchesBFGSOnTheSameObjective() {
    // scipy.optimize.minimize(BFGS, gtol 1e-12) of Σ log(1 + e^η) − yη + ½‖w‖².
    let fit = RidgeLogisticRegression.fit(x: Self.x, labels: Self.y, featureCount: 2)
    #expect(fit.converged)
    #expect(close(fit.intercept, -0.02930931666721827, 1e-7))
    #expect(close(fit.weights[0], 1.3025780648434466, 1e-7))
    #expect(close(fit.weights[1], -0.5037936680272573, 1e-7))
  }

  @Test func crossValidatedScoreWithGivenFolds() {
    // Per fold AUC 0.75, 1, 1 → s = 0.5, 1, 1 → score 1 − 2.5/3 = 1/6.
    let result = Detection.crossValidate(x: Self.x, featureCount: 2, labels: Self.y, folds: Self.folds)
    #expect(result.foldAUCs.count == 3)
    for (a, b) in zip(result.foldAUCs, [0.75, 1, 1]) { #expect(close(a, b)) }
    #expect(close(result.score, 1.0 / 6))
    #expect(close(result.meanAUC, 2.75 / 3))
  }
}

@Suite("Detection — encoding and folds", .tags(.unit))
struct DetectionUnitTests {
  @Test func encodingStandardisesAndAddsIndicators() throws {
    // Pooled numeric values 1, 3, NaN, 5: mean 3, SD √(8/3) → z = −1.2247, 0, 0 (missing), 1.2247,
    // plus a missing indicator. Category codes 0, 1, −1, 0 with levels a, b, c: indicators for
    // missing, a and b (c never occurs, so no column).
    let r = try AuditTable(columns: [.numeric("v", [1, 3]), .categorical("g", codes: [0, 1], levels: ["a", "b", "c"])])
    let s = try AuditTable(columns: [.numeric("v", [.nan, 5]), .categorical("g", codes: [-1, 0], levels: ["a", "b", "c"])])
    let (x, p) = Detection.encode([r, s])
    #expect(p == 5)
    let z = 2 / (8.0 / 3).squareRoot()
    let expected: [Double] = [
      -z, 0, 0, 1, 0,
      0, 0, 0, 0, 1,
      0, 1, 1, 0, 0,
      z, 0, 0, 1, 0,
    ]
    for (a, b) in zip(x, expected) { #expect(close(a, b)) }
  }

  @Test func foldsAreStratifiedAndSeeded() {
    let labels = (0..<20).map { $0 < 11 ? 1.0 : 0.0 }
    let a = Detection.stratifiedFolds(labels: labels, folds: 3, seed: 9)
    #expect(a == Detection.stratifiedFolds(labels: labels, folds: 3, seed: 9))
    #expect(a != Detection.stratifiedFolds(labels: labels, folds: 3, seed: 10))
    for f in 0..<3 {
      let ones = (0..<11).filter { a[$0] == f }.count
      let zeros = (11..<20).filter { a[$0] == f }.count
      #expect((3...4).contains(ones) && zeros == 3, "fold \(f): \(ones) real, \(zeros) synthetic")
    }
  }
}
