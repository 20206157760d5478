// FidelityTests.swift — single-column and column-pair fidelity (Docs/Methods.md, audit).

import TestSupport
import Testing

@testable import Audit

@Suite("Fidelity — hand-worked and scipy values (audit_reference.py block A)", .tags(.validation))
struct FidelityValidationTests {
  let report: FidelityReport

  init() throws {
    report = try FidelityReport(
      real: try AuditExamples.fidelityReal(), synthetic: try AuditExamples.fidelitySynthetic(), seed: 1, detection: false)
  }

  func column(_ name: String) throws -> ColumnFidelity { try #require(report.columns.first { $0.name == name }) }

  @Test func ksComplementOfAgeByHand() throws {
    // R age sorted (NaN dropped) 50 55 60 60 65 70 (n = 6); S 52 58 60 61 80 (m = 5).
    // F_R − F_S after each value: 50: 1/6, 52: 1/6−1/5, 55: 2/6−1/5, 58: 2/6−2/5,
    // 60: 4/6−3/5, 61: 4/6−4/5, 65: 5/6−4/5, 70: 1−4/5 = 0.2, 80: 0. D = 0.2, KSC = 0.8.
    #expect(close(try column("age").shapeScore, 0.8))
  }

  @Test func ksComplementMatchesScipy() throws {
    // scipy.stats.ks_2samp statistics: bmi 3/14, alb 4/21.
    #expect(close(try column("bmi").shapeScore, 0.7857142857142857))
    #expect(close(try column("alb").shapeScore, 0.8095238095238095))
  }

  @Test func tvComplementByHand() throws {
    // sex, missing dropped: R F 3/6, M 3/6; S F 3/5, M 2/5. TV = ½(0.1 + 0.1) = 0.1 → 0.9.
    #expect(close(try column("sex").shapeScore, 0.9))
    // stage: R I 3/7, II 3/7, III 1/7, IV 0; S I 1/6, II 2/6, III 2/6, IV 1/6.
    // ½(|1/6−3/7| + |2/6−3/7| + |2/6−1/7| + 1/6) = ½(11/42 + 4/42 + 8/42 + 7/42) = 15/42 → 27/42.
    #expect(close(try column("stage").shapeScore, 27.0 / 42))
  }

  @Test func coverageAndAdherence() throws {
    // age: R range [50, 70], S [52, 80]: RangeCoverage 1 − 2/20 = 0.9; S inside: 52 58 60 61 of
    // 52 58 60 61 80 → BoundaryAdherence 4/5.
    let age = try column("age")
    #expect(close(age.coverage, 0.9))
    #expect(close(age.adherence, 0.8))
    // bmi: R [20, 30], S [21, 35] → 1 − 1/10; 5 of 6 inside.
    #expect(close(try column("bmi").coverage, 0.9))
    #expect(close(try column("bmi").adherence, 5.0 / 6))
    #expect(close(try column("alb").coverage, 1))
    #expect(close(try column("alb").adherence, 4.0 / 6))
    // stage: R has I, II, III, all in S → coverage 1; S's IV is not in R → adherence 5/6.
    #expect(close(try column("stage").coverage, 1))
    #expect(close(try column("stage").adherence, 5.0 / 6))
    // sex: R has a missing value, so S's missing value counts as adherent → 1.
    #expect(close(try column("sex").adherence, 1))
  }

  @Test func missingValueSimilarity() throws {
    // age: 1/7 missing in R, 1/6 in S → 1 − (1/6 − 1/7) = 1 − 1/42.
    #expect(close(try column("age").missingValueSimilarity, 1 - 1.0 / 42))
    #expect(close(try column("bmi").missingValueSimilarity, 1))
  }

  @Test func columnShapesIsTheMean() {
    #expect(close(report.columnShapes, 0.7876190476190477))
  }

  @Test func correlationSimilarityMatchesScipy() throws {
    // scipy.stats.pearsonr on each table's complete pairs.
    let pair = try #require(report.pairs.first { $0.first == "age" && $0.second == "bmi" })
    #expect(pair.metric == "CorrelationSimilarity")
    #expect(close(pair.realCorrelation, 0.8907689867497084))
    #expect(close(pair.syntheticCorrelation, -0.13098332234512014))
    #expect(close(pair.score, 0.4891238454525857))
    #expect(pair.meetsThreshold)
    let weak = try #require(report.pairs.first { $0.first == "age" && $0.second == "alb" })
    #expect(close(weak.realCorrelation, 0.37329265841853165))
    #expect(close(weak.score, 0.7241093525479032))
    #expect(!weak.meetsThreshold)  // |ρ_R| ≤ 0.5
  }

  @Test func contingencySimilarityAndCramersVMatchScipy() throws {
    // np.histogram_bin_edges + np.digitize (edges from R, outer edges ±∞, NaN its own bin) and
    // scipy.stats.contingency.association(method="cramer") on R's counts.
    let expected: [(String, String, Double, Double)] = [
      ("age", "sex", 0.816496580927726, 0.1428571428571429),
      ("age", "stage", 0.9128709291752769, 0.2857142857142857),
      ("bmi", "sex", 1.0, 0),
      ("bmi", "stage", 1.0, 0.0),
      ("sex", "stage", 0.5773502691896258, 0.5952380952380953),
      ("sex", "alb", 1, 0.1428571428571428),
      ("stage", "alb", 1, 0.0),
    ]
    for (a, b, v, score) in expected {
      let pair = try #require(report.pairs.first { $0.first == a && $0.second == b })
      #expect(pair.metric == "ContingencySimilarity")
      #expect(close(pair.realAssociation, v), "\(a)×\(b) V")
      #expect(close(pair.score, score), "\(a)×\(b) score")
    }
  }

  @Test func sexByStageContingencyByHand() throws {
    // Cells (sex, stage) with missing sex as its own code "?": R (7 rows): (F,I) 2, (M,II) 2,
    // (M,III) 1, (F,II) 1, (?,I) 1. S (6 rows): (F,III) 1, (F,II) 1, (M,II) 1, (M,III) 1,
    // (?,I) 1, (F,IV) 1. Σ|P_R − P_S| = |2/7| + |2/7 − 1/6| + |1/7 − 1/6| + |1/7 − 1/6|
    // + |1/7 − 1/6| + 1/6 + 1/6 = 34/42 → score 1 − 17/42 = 25/42.
    let pair = try #require(report.pairs.first { $0.first == "sex" && $0.second == "stage" })
    #expect(close(pair.score, 25.0 / 42))
  }

  @Test func pairTrendsAndQualityScores() {
    #expect(close(report.columnPairTrendsAllPairs, 0.313922292480366))
    #expect(close(report.columnPairTrendsThresholded, 0.20697381401490655))
    #expect(close(report.qualityScoreAllPairs, 0.5507706700497068))
    #expect(close(report.qualityScoreThresholded, 0.4972964308169771))
  }
}

@Suite("Fidelity — properties and edge cases", .tags(.unit))
struct FidelityPropertyTests {
  @Test func identicalTablesScoreOne() throws {
    let r = try AuditExamples.fidelityReal()
    let report = try FidelityReport(real: r, synthetic: r, seed: 1, detection: false)
    for c in report.columns {
      #expect(c.shapeScore == 1 && c.coverage == 1 && c.adherence == 1 && c.missingValueSimilarity == 1, "\(c.name)")
    }
    for p in report.pairs { #expect(close(p.score, 1), "\(p.first)×\(p.second)") }
    #expect(report.columnShapes == 1 && close(report.qualityScoreAllPairs, 1))
  }

  @Test func binsFollowNumpyEdges() {
    // Edges of [1, 2, 4, 5]: 1.4, 1.8, …, 4.6; np.digitize is closed on the left. numpy gives
    // np.digitize([1, 1.4, 1.39, 5, 100, -100, nan], edges) − 1 = [0 1 0 9 9 0 10], and for the
    // constant column [5 0 9 0].
    let bins = EqualWidthBins(real: [1, 2, 4, .nan, 5])
    #expect(bins.codes([1, 1.4, 1.39, 5, 100, -100, .nan]) == [0, 1, 0, 9, 9, 0, 10])
    // A constant column is widened to [v − 0.5, v + 0.5] as numpy does.
    #expect(EqualWidthBins(real: [10, 10]).codes([10, 9.55, 10.45, 9.4]) == [5, 0, 9, 0])
  }

  @Test func undefinedMetricsAreNil() {
    #expect(ColumnMetrics.ksComplement(real: [.nan], synthetic: [1]) == nil)
    #expect(ColumnMetrics.tvComplement(real: [-1, -1], synthetic: [0], levelCount: 2) == nil)
    #expect(ColumnMetrics.rangeCoverage(real: [3, 3], synthetic: [1]) == nil)
    #expect(ColumnPairMetrics.pearson([1, 2, 3], [5, 5, 5]) == nil)
    #expect(ColumnPairMetrics.cramersV([0, 0, 0], [0, 1, 1], ka: 2, kb: 2) == nil)
  }

  @Test func droppedCategoryLowersCoverage() {
    // R uses levels 0, 1, 2; S only 0 and 1 → 2/3. S's missing value is not adherent because
    // R has none → CategoryAdherence 3/4.
    #expect(close(ColumnMetrics.categoryCoverage(real: [0, 1, 2], synthetic: [0, 0, 1, -1], levelCount: 3), 2.0 / 3))
    #expect(close(ColumnMetrics.categoryAdherence(real: [0, 1, 2], synthetic: [0, 0, 1, -1], levelCount: 3), 0.75))
  }

  @Test func syntheticOnlyCategoryCountsWithZeroRealShare() {
    // R all level 0; S half level 1 (unseen in R): TV = ½(0.5 + 0.5) → 0.5.
    #expect(close(ColumnMetrics.tvComplement(real: [0, 0], synthetic: [0, 1], levelCount: 2), 0.5))
  }
}
