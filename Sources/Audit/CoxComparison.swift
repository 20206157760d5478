// CoxComparison.swift — Cox hazard ratios of R against S and synthpop's CI overlap (Docs/Methods.md, audit;
// §9.3 "CI overlap", extended to Cox models as proposed in §9.5).

import Foundation
import GSL
import SurvivalAnalysis

/// One Cox coefficient (log hazard ratio) fitted on R and on S.
public struct CoxTermComparison: Codable, Sendable, Hashable {
  /// The column, and the term: the column name for a numeric one, `column=level` for the
  /// indicator of a level against the first level.
  public var covariate: String
  public var term: String
  public var realLogHazardRatio: Double?
  public var realStandardError: Double?
  public var syntheticLogHazardRatio: Double?
  public var syntheticStandardError: Double?
  /// exp(β) with its 95 % Wald interval exp(β ± 1.96 SE), for reading.
  public var realHazardRatio: Double?
  public var realHazardRatioLower: Double?
  public var realHazardRatioUpper: Double?
  public var syntheticHazardRatio: Double?
  public var syntheticHazardRatioLower: Double?
  public var syntheticHazardRatioUpper: Double?
  /// synthpop's interval overlap of the two 95 % Wald intervals of the log hazard ratio
  /// (1 = identical, ≤ 0 = disjoint); nil unless both fits give the term.
  public var confidenceIntervalOverlap: Double?
  /// (β_S − β_R) / SE_R (synthpop's standardised coefficient difference).
  public var standardizedDifference: Double?

  /// synthpop `compare.syn.r::overlap.CI`, for intervals (L_o, U_o) of the original data and
  /// (L_s, U_s) of the synthetic data:
  /// IO = ½[(min(U_o,U_s) − max(L_o,L_s))/(U_o − L_o) + (min(U_o,U_s) − max(L_o,L_s))/(U_s − L_s)].
  public static func intervalOverlap(real: ClosedRange<Double>, synthetic: ClosedRange<Double>) -> Double {
    let shared = Swift.min(real.upperBound, synthetic.upperBound) - Swift.max(real.lowerBound, synthetic.lowerBound)
    return (shared / (real.upperBound - real.lowerBound) + shared / (synthetic.upperBound - synthetic.lowerBound)) / 2
  }

  /// A univariable Cox model (Efron ties, complete cases of that column) for every covariate;
  /// a categorical column with k levels gives one model with k − 1 indicators.
  static func univariable(real: AuditTable, synthetic: AuditTable) -> [CoxTermComparison] {
    var out: [CoxTermComparison] = []
    for j in real.columns.indices {
      let r = CoxDesign(real, columns: [j])
      let s = CoxDesign(synthetic, columns: [j])
      out += compare(r, s, covariate: real.columns[j].name)
    }
    return out
  }

  /// Fits the same design on both tables and pairs the terms.
  static func compare(_ r: CoxDesign, _ s: CoxDesign, covariate: String?) -> [CoxTermComparison] {
    let fr = r.fit()
    let fs = s.fit()
    let z = StandardNormal.quantile(0.975)
    return r.termNames.indices.map { k in
      let br = fr?.usable(k)
      let bs = fs?.usable(k)
      var c = CoxTermComparison(
        covariate: covariate ?? r.termColumns[k], term: r.termNames[k],
        realLogHazardRatio: br?.0, realStandardError: br?.1,
        syntheticLogHazardRatio: bs?.0, syntheticStandardError: bs?.1)
      if let (b, se) = br {
        (c.realHazardRatio, c.realHazardRatioLower, c.realHazardRatioUpper) = (exp(b), exp(b - z * se), exp(b + z * se))
      }
      if let (b, se) = bs {
        (c.syntheticHazardRatio, c.syntheticHazardRatioLower, c.syntheticHazardRatioUpper) = (exp(b), exp(b - z * se), exp(b + z * se))
      }
      if let (b1, s1) = br, let (b2, s2) = bs {
        c.confidenceIntervalOverlap = intervalOverlap(real: (b1 - z * s1)...(b1 + z * s1), synthetic: (b2 - z * s2)...(b2 + z * s2))
        c.standardizedDifference = (b2 - b1) / s1
      }
      return c
    }
  }
}

/// A Cox design matrix from some columns of a table: numeric columns as they are, categorical
/// ones as treatment-coded indicators against their first level; rows with any of these
/// columns missing are dropped (complete cases), as R's `coxph` does by default.
struct CoxDesign {
  var termNames: [String] = []
  var termColumns: [String] = []
  /// Covariates column by column, over the complete rows only.
  var covariates: [[Double]] = []
  var times: [Double] = []
  var events: [Bool] = []

  init(_ table: AuditTable, columns: [Int]) {
    guard let t = table.times, let e = table.events else { return }
    let complete = (0..<table.rowCount).filter { i in
      columns.allSatisfy { j in
        switch table.columns[j].values {
        case .numeric(let v): !v[i].isNaN
        case .categorical(let c, _, _): c[i] >= 0
        }
      }
    }
    times = complete.map { t[$0] }
    events = complete.map { e[$0] }
    for j in columns {
      let name = table.columns[j].name
      switch table.columns[j].values {
      case .numeric(let v):
        termNames.append(name)
        termColumns.append(name)
        covariates.append(complete.map { v[$0] })
      case .categorical(let c, let levels, _):
        for level in 1..<Swift.max(levels.count, 1) {
          termNames.append("\(name)=\(levels[level])")
          termColumns.append(name)
          covariates.append(complete.map { c[$0] == Int32(level) ? 1 : 0 })
        }
      }
    }
  }

  /// The rows' linear predictor under coefficients `beta`.
  func linearPredictor(_ beta: [Double]) -> [Double] {
    (0..<times.count).map { i in
      var eta = 0.0
      for k in covariates.indices { eta += beta[k] * covariates[k][i] }
      return eta
    }
  }

  /// The Efron fit, or nil when there are no rows, no events or no terms.
  func fit() -> CoxFit? {
    guard !times.isEmpty, !covariates.isEmpty, events.contains(true) else { return nil }
    return try? CoxModel(ties: .efron).fit(SurvivalData(times: times, events: events, covariateColumns: covariates))
  }
}

extension CoxFit {
  /// (β_k, SE_k) when term k is estimable: converged, not aliased, no monotone likelihood
  /// (an infinite β), finite standard error.
  func usable(_ k: Int) -> (Double, Double)? {
    guard convergence.isConverged, !aliased.contains(k), !monotoneLikelihood.contains(k) else { return nil }
    let se = standardErrors[k]
    guard se.isFinite, se > 0, coefficients[k].isFinite else { return nil }
    return (coefficients[k], se)
  }
}
