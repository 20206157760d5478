// FidelityReport.swift — Column Shapes, Column Pair Trends, Quality score, coverage, validity
// and detection for one (real, synthetic) pair of tables (Docs/Methods.md, audit).

/// The single-column scores of one column.
public struct ColumnFidelity: Codable, Sendable, Hashable {
  public var name: String
  /// "numeric" or "categorical".
  public var kind: String
  /// "KSComplement" (numeric) or "TVComplement" (categorical).
  public var shapeMetric: String
  public var shapeScore: Double?
  public var missingValueSimilarity: Double
  /// "RangeCoverage" or "CategoryCoverage".
  public var coverageMetric: String
  public var coverage: Double?
  /// "BoundaryAdherence" or "CategoryAdherence".
  public var adherenceMetric: String
  public var adherence: Double?
}

/// The two-column score of one pair.
public struct ColumnPairFidelity: Codable, Sendable, Hashable {
  public var first: String
  public var second: String
  /// "CorrelationSimilarity" (both numeric) or "ContingencySimilarity".
  public var metric: String
  public var score: Double?
  /// Pearson's ρ in R and S (CorrelationSimilarity only).
  public var realCorrelation: Double?
  public var syntheticCorrelation: Double?
  /// Cramér's V in R (ContingencySimilarity only).
  public var realAssociation: Double?
  /// Whether the pair enters SDMetrics' default thresholded average: |ρ_R| > 0.5 for two
  /// numeric columns, V_R > 0.3 otherwise.
  public var meetsThreshold: Bool
}

/// Fidelity of a synthetic table to the real one.
public struct FidelityReport: Codable, Sendable, Hashable {
  /// SDMetrics' QualityReport defaults (`reports/utils.py`).
  public static let correlationThreshold = 0.5
  public static let associationThreshold = 0.3

  public var columns: [ColumnFidelity]
  public var pairs: [ColumnPairFidelity]
  /// Mean of the columns' shape scores (SDMetrics Column Shapes).
  public var columnShapes: Double?
  /// Mean pair score over all pairs (SDMetrics with both thresholds at 0).
  public var columnPairTrendsAllPairs: Double?
  /// Mean pair score over the pairs that meet SDMetrics' default thresholds (nil if none does).
  public var columnPairTrendsThresholded: Double?
  /// nanmean(Column Shapes, Column Pair Trends), for each pair average (`base_report.py`).
  public var qualityScoreAllPairs: Double?
  public var qualityScoreThresholded: Double?
  /// The logistic detection metric; nil when a table has fewer than 3 rows.
  public var detection: DetectionResult?

  /// Computes every fidelity metric; the detection folds are drawn from `seed`.
  /// - Throws: ``AuditError`` when a table is empty or the two do not share one schema.
  public init(real: AuditTable, synthetic: AuditTable, seed: UInt64, detection runDetection: Bool = true) throws(AuditError) {
    try real.checkComparable(with: synthetic, selfName: "real", otherName: "synthetic")
    columns = zip(real.columns, synthetic.columns).map { Self.columnScores($0, $1) }
    // Discrete codings for the contingency tables: categories with missing as one more code,
    // numerics in ten bins with edges from R (missing = bin 10).
    let codings = zip(real.columns, synthetic.columns).map { r, s -> ([Int32], [Int32], Int) in
      switch (r.values, s.values) {
      case (.numeric(let rv), .numeric(let sv)):
        let bins = EqualWidthBins(real: rv)
        return (bins.codes(rv), bins.codes(sv), EqualWidthBins.binCount + 1)
      case (.categorical(let rc, let levels, _), .categorical(let sc, _, _)):
        let k = Int32(levels.count)
        return (rc.map { $0 < 0 ? k : $0 }, sc.map { $0 < 0 ? k : $0 }, levels.count + 1)
      default: preconditionFailure("schema checked by the caller")
      }
    }
    var pairs: [ColumnPairFidelity] = []
    for a in real.columns.indices {
      for b in (a + 1)..<real.columns.count {
        if case .numeric(let rx) = real.columns[a].values, case .numeric(let ry) = real.columns[b].values,
          case .numeric(let sx) = synthetic.columns[a].values, case .numeric(let sy) = synthetic.columns[b].values
        {
          let c = ColumnPairMetrics.correlationSimilarity(realX: rx, realY: ry, syntheticX: sx, syntheticY: sy)
          pairs.append(
            ColumnPairFidelity(
              first: real.columns[a].name, second: real.columns[b].name, metric: "CorrelationSimilarity",
              score: c.score, realCorrelation: c.real, syntheticCorrelation: c.synthetic, realAssociation: nil,
              meetsThreshold: c.score != nil && abs(c.real ?? 0) > Self.correlationThreshold))
        } else {
          let (ra, sa, ka) = codings[a]
          let (rb, sb, kb) = codings[b]
          let score = ColumnPairMetrics.contingencySimilarity(
            realA: ra, realB: rb, syntheticA: sa, syntheticB: sb, ka: ka, kb: kb)
          let v = ColumnPairMetrics.cramersV(ra, rb, ka: ka, kb: kb)
          pairs.append(
            ColumnPairFidelity(
              first: real.columns[a].name, second: real.columns[b].name, metric: "ContingencySimilarity",
              score: score, realCorrelation: nil, syntheticCorrelation: nil, realAssociation: v,
              meetsThreshold: score != nil && (v ?? 0) > Self.associationThreshold))
        }
      }
    }
    self.pairs = pairs
    columnShapes = meanOfDefined(columns.map(\.shapeScore))
    columnPairTrendsAllPairs = meanOfDefined(pairs.map(\.score))
    columnPairTrendsThresholded = meanOfDefined(pairs.filter(\.meetsThreshold).map(\.score))
    qualityScoreAllPairs = meanOfDefined([columnShapes, columnPairTrendsAllPairs])
    qualityScoreThresholded = meanOfDefined([columnShapes, columnPairTrendsThresholded])
    detection = runDetection ? Detection.evaluate(real: real, synthetic: synthetic, seed: seed) : nil
  }

  static func columnScores(_ r: AuditColumn, _ s: AuditColumn) -> ColumnFidelity {
    let mvs = ColumnMetrics.missingValueSimilarity(
      realMissingFraction: ColumnMetrics.missingFraction(r.values),
      syntheticMissingFraction: ColumnMetrics.missingFraction(s.values))
    switch (r.values, s.values) {
    case (.numeric(let rv), .numeric(let sv)):
      return ColumnFidelity(
        name: r.name, kind: "numeric", shapeMetric: "KSComplement",
        shapeScore: ColumnMetrics.ksComplement(real: rv, synthetic: sv), missingValueSimilarity: mvs,
        coverageMetric: "RangeCoverage", coverage: ColumnMetrics.rangeCoverage(real: rv, synthetic: sv),
        adherenceMetric: "BoundaryAdherence", adherence: ColumnMetrics.boundaryAdherence(real: rv, synthetic: sv))
    case (.categorical(let rc, let levels, _), .categorical(let sc, _, _)):
      let k = levels.count
      return ColumnFidelity(
        name: r.name, kind: "categorical", shapeMetric: "TVComplement",
        shapeScore: ColumnMetrics.tvComplement(real: rc, synthetic: sc, levelCount: k), missingValueSimilarity: mvs,
        coverageMetric: "CategoryCoverage", coverage: ColumnMetrics.categoryCoverage(real: rc, synthetic: sc, levelCount: k),
        adherenceMetric: "CategoryAdherence", adherence: ColumnMetrics.categoryAdherence(real: rc, synthetic: sc, levelCount: k))
    default: preconditionFailure("schema checked by the caller")
    }
  }
}
