// OutcomeModel.swift — event times given covariates, and the censoring of the reference.
//
// Event times: Weibull PH regression on the covariates (default) or piecewise-exponential PH
// with cut points at the tertiles of the event times (option), fitted by SurvivalAnalysis.
// Covariates enter as R would code them: numeric variables as they are, categorical and ordinal
// variables as treatment-coded indicators against their first label. A missing covariate is
// replaced by its median (numeric) or most frequent label, for the linear predictor only.
// Censoring: the reverse Kaplan–Meier estimate of the censoring distribution (censorings as
// events), sampled by inversion; past its last step a patient is censored at the last follow-up
// time, which reproduces administrative censoring at the end of a study.

import Foundation
import GSL
import SurvivalAnalysis
import TrialSpec

/// The outcome family of a generator (Docs/ProtocolFormat.md `synthesis.outcome`): the
/// protocol's own enum.
public typealias OutcomeKind = OutcomeFamily

/// Event and censoring times for generated patients.
public struct OutcomeModel: Sendable {
  /// One design column: variable `index`; `level` for an indicator of that label position.
  struct Term: Sendable {
    var index: Int
    var level: Double?
  }

  public let kind: OutcomeKind
  let terms: [Term]
  /// Names of the design columns, R style (`age`, `extentserosa`).
  public let termNames: [String]
  /// The variable of each design column.
  public let termVariables: [String]
  let imputation: [Double]
  public let weibull: WeibullFit?
  public let piecewise: PiecewiseExponentialFit?
  let censoring: KaplanMeierEstimate
  let lastFollowUp: Double

  /// Fits the outcome and censoring models on `rows`.
  static func fit(
    kind: OutcomeKind, variables: [VariableDeclaration], columns: ExpressionColumns,
    times: [Double], events: [Bool?], rows: [Int], warmStart: OutcomeModel? = nil, standardErrors: Bool = true
  ) throws(SynthesisError) -> OutcomeModel {
    let usable = rows.filter { !times[$0].isNaN && events[$0] != nil }
    var terms: [Term] = []
    var names: [String] = []
    var imputation: [Double] = []
    var valueColumns: [[Double]] = []
    for (j, v) in variables.enumerated() {
      let values = GaussianCopulaModel.values(columns, v.name, usable)
      let observed = values.filter { !$0.isNaN }.sorted()
      switch v.type {
      case .categorical, .ordinal:
        var counts = [Double](repeating: 0, count: v.labels.count)
        for x in observed { counts[Int(x)] += 1 }
        imputation.append(Double(counts.indices.max { counts[$0] < counts[$1] } ?? 0))
        for level in 1..<max(1, v.labels.count) where counts[level] > 0 {
          terms.append(Term(index: j, level: Double(level)))
          names.append(v.name + v.labels[level])
        }
      default:
        imputation.append(observed.isEmpty ? 0 : observed[observed.count / 2])
        if Set(observed).count > 1 {
          terms.append(Term(index: j, level: nil))
          names.append(v.name)
        }
      }
      valueColumns.append(values)
    }
    // Times of 0 break log t: they become half the smallest positive time (documented).
    let positive = usable.map { times[$0] }.filter { $0 > 0 }
    guard let smallest = positive.min() else { throw .notEnoughData("no positive follow-up time among the fitting rows") }
    let t = usable.map { max(times[$0], smallest / 2) }
    let e = usable.map { events[$0]! }
    guard e.contains(true) else {
      throw .notEnoughData("no events among the \(usable.count) fitting rows; the outcome model cannot be fitted")
    }
    let design = terms.map { term in
      (0..<usable.count).map { i in Self.encode(valueColumns[term.index][i], term, imputation[term.index]) }
    }
    let data = SurvivalData(times: t, events: e, covariateColumns: design)
    var weibull: WeibullFit?
    var piecewise: PiecewiseExponentialFit?
    do {
      switch kind {
      case .weibull:
        // A refit on a bootstrap resample starts from the template's estimate when the terms match.
        let start = warmStart.flatMap { $0.termNames == names ? $0.weibull?.survregParameters : nil }
        weibull = try WeibullRegression.fit(data, start: start, variance: standardErrors)
      case .piecewiseExponential:
        let eventTimes = zip(t, e).filter { $0.1 }.map(\.0).sorted()
        let cuts = Array(Set([eventTimes[eventTimes.count / 3], eventTimes[2 * eventTimes.count / 3]])).sorted().filter { $0 > 0 }
        piecewise = try PiecewiseExponentialRegression.fit(data, cutPoints: cuts)
      }
    } catch {
      throw .numerical("the \(kind.rawValue) outcome model could not be fitted: \(error)")
    }
    let censoring: KaplanMeierEstimate
    do {
      censoring = try KaplanMeierEstimate(SurvivalData(times: t, events: e.map { !$0 }))
    } catch {
      throw .numerical("the censoring distribution could not be estimated: \(error)")
    }
    return OutcomeModel(
      kind: kind, terms: terms, termNames: names, termVariables: terms.map { variables[$0.index].name },
      imputation: imputation, weibull: weibull,
      piecewise: piecewise, censoring: censoring, lastFollowUp: t.max() ?? 0)
  }

  @inline(__always) static func encode(_ x: Double, _ term: Term, _ fill: Double) -> Double {
    let v = x.isNaN ? fill : x
    return term.level.map { v == $0 ? 1 : 0 } ?? v
  }

  /// The design row of a patient (variable values in model order, NaN = missing).
  func design(_ row: [Double]) -> [Double] {
    terms.map { Self.encode(row[$0.index], $0, imputation[$0.index]) }
  }

  /// ``design(_:)`` into `x` (terms.count long): no allocation, for generating many patients.
  func design(_ row: [Double], into x: inout [Double]) {
    for (k, term) in terms.enumerated() { x[k] = Self.encode(row[term.index], term, imputation[term.index]) }
  }

  /// Number of design columns.
  var termCount: Int { terms.count }

  /// The design columns of `variables` only (R's treatment coding, missing values imputed as in
  /// the fit): what an analysis adjusted for those covariates enters.
  public func design(_ row: [Double], variables: Set<String>) -> [Double] {
    terms.indices.filter { variables.contains(termVariables[$0]) }.map {
      Self.encode(row[terms[$0].index], terms[$0], imputation[terms[$0].index])
    }
  }

  /// The event time with survival probability `u` for covariates `row` (variable values in the
  /// generator's order, NaN = missing): S⁻¹(u | x), in the reference's time unit.
  public func eventTime(survival u: Double, row: [Double]) -> Double {
    eventTime(survival: u, design: design(row))
  }

  /// The design row of covariates `row` (generator order): what ``eventTime(survival:design:)``
  /// takes. A simulation that draws many patients from the same rows codes each row once.
  public func designRow(_ row: [Double]) -> [Double] { design(row) }

  /// ``eventTime(survival:row:)`` for a row already coded by ``designRow(_:)``.
  public func eventTime(survival u: Double, design x: [Double]) -> Double {
    if let weibull { return weibull.quantile(survival: u, covariates: x) }
    return piecewise!.quantile(survival: u, covariates: x)
  }

  /// The linear predictor xᵀβ of the proportional-hazards model for covariates `row` (generator
  /// order): a prognostic score (higher = higher hazard).
  public func linearPredictor(row: [Double]) -> Double {
    let x = design(row)
    let beta = weibull?.coefficients ?? piecewise!.coefficients
    var sum = 0.0
    for k in beta.indices { sum += beta[k] * x[k] }
    return sum
  }

  /// S(t | x) for covariates `row` (generator order), t in the reference's time unit.
  public func survival(at t: Double, row: [Double]) -> Double {
    var x = [Double](repeating: 0, count: terms.count)
    return survival(at: t, row: row, design: &x)
  }

  /// ``survival(at:row:)`` coding the row into `x` (any length; resized once): no allocation
  /// per patient when one buffer serves many.
  public func survival(at t: Double, row: [Double], design x: inout [Double]) -> Double {
    if x.count != terms.count { x = [Double](repeating: 0, count: terms.count) }
    design(row, into: &x)
    if let weibull { return weibull.survival(at: t, covariates: x) }
    return piecewise!.survival(at: t, covariates: x)
  }

  /// A censoring time drawn by inverting the reverse Kaplan–Meier curve at `u`.
  public func censoringTime(_ u: Double) -> Double {
    for (i, s) in censoring.survival.enumerated() where s <= u { return censoring.times[i] }
    return lastFollowUp
  }

  /// A censoring time drawn by inverting the reverse Kaplan–Meier curve at `u` with the curve
  /// interpolated linearly between its steps (from S(0) = 1): each step's mass is spread
  /// uniformly over the interval since the step before, so the curve is the same at every
  /// observed censoring time but no observed time is drawn again (a released replica must not
  /// re-use real patients' times, Docs/Methods.md). Past the last step: the last follow-up time.
  public func smoothedCensoringTime(_ u: Double) -> Double {
    var previousTime = 0.0
    var previousSurvival = 1.0
    for (i, s) in censoring.survival.enumerated() where s < previousSurvival {  // the curve's steps only
      if s <= u {
        let f = (previousSurvival - u) / (previousSurvival - s)
        return previousTime + f * (censoring.times[i] - previousTime)
      }
      previousTime = censoring.times[i]
      previousSurvival = s
    }
    return lastFollowUp
  }
}
