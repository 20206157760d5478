// TwoArmAnalysis.swift — the analysis `mimic` runs on the real trial and on every synthetic
// replacement of its control arm: a Cox model with the treatment indicator alone (Efron ties,
// R's default), its Wald 95 % interval, and the log-rank test; Kaplan–Meier curves read on a
// common time grid so that curves of many refits can be summarised point by point.
//
// Checked against R survival 3.5.3 (coxph, survdiff, survfit) on the colon rows of the mimic
// acceptance case: Tests/Fixtures/mimic-colon-r.json, written by mimic-colon-r.R beside it.

import Foundation
import SurvivalAnalysis

/// One arm's follow-up: times (any one unit) and event indicators.
public struct ArmOutcomes: Sendable, Equatable {
  public var times: [Double]
  public var events: [Bool]

  public init(times: [Double], events: [Bool]) {
    precondition(times.count == events.count, "times.count (\(times.count)) != events.count (\(events.count))")
    self.times = times
    self.events = events
  }

  public var count: Int { times.count }
  public var eventCount: Int { events.reduce(0) { $0 + ($1 ? 1 : 0) } }
}

/// Treated against control: the hazard ratio (treated / control) with its Wald interval, and the
/// log-rank test.
public struct TwoArmResult: Sendable, Codable, Equatable {
  public var hazardRatio: Double
  public var lower: Double
  public var upper: Double
  /// log HR and its model-based standard error.
  public var logHazardRatio: Double
  public var standardError: Double
  public var waldP: Double
  public var logRankChiSquare: Double
  public var logRankP: Double
  public var controlPatients: Int
  public var controlEvents: Int
  public var treatedPatients: Int
  public var treatedEvents: Int
}

/// Why an analysis gave no usable hazard ratio.
public enum TwoArmAnalysisError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The survival routines refused the data (no subjects, a bad time).
  case data(SurvivalError)
  /// An arm has no events, or the Cox fit did not converge to a finite hazard ratio.
  case noEstimate(String)

  public var description: String {
    switch self {
    case .data(let e): e.description
    case .noEstimate(let why): why
    }
  }
}

enum TwoArmAnalysis {
  /// Cox (Efron) with a 0/1 treatment indicator, and the log-rank test, of `treated` against `control`.
  static func compare(control: ArmOutcomes, treated: ArmOutcomes) throws(TwoArmAnalysisError) -> TwoArmResult {
    guard control.eventCount > 0, treated.eventCount > 0 else {
      throw .noEstimate(
        "an arm has no events (control \(control.eventCount), treated \(treated.eventCount)): the hazard ratio is not estimable")
    }
    let group = [Double](repeating: 0, count: control.count) + [Double](repeating: 1, count: treated.count)
    let data = SurvivalData(
      times: control.times + treated.times, events: control.events + treated.events, covariateColumns: [group])
    let fit: CoxFit
    let logRank: LogRankTest
    do {
      fit = try CoxModel(ties: .efron).fit(data)
      logRank = try LogRankTest(data, group: group.map { Int($0) })
    } catch { throw .data(error) }
    let (lower, upper) = fit.hazardRatioBounds(0)
    guard fit.convergence.isConverged, fit.coefficients[0].isFinite, lower.isFinite, upper.isFinite else {
      throw .noEstimate("the Cox fit did not converge to a finite hazard ratio (\(fit.convergence))")
    }
    return TwoArmResult(
      hazardRatio: fit.hazardRatios[0], lower: lower, upper: upper, logHazardRatio: fit.coefficients[0],
      standardError: fit.standardErrors[0], waldP: fit.waldPValue(0),
      logRankChiSquare: logRank.chiSquare.statistic, logRankP: logRank.chiSquare.pValue,
      controlPatients: control.count, controlEvents: control.eventCount,
      treatedPatients: treated.count, treatedEvents: treated.eventCount)
  }

  /// The Kaplan–Meier estimate of `arm` read at each of `grid` (same unit as the arm's times):
  /// 1 before the first time, carried forward after the last.
  static func survival(_ arm: ArmOutcomes, at grid: [Double]) throws(TwoArmAnalysisError) -> [Double] {
    let estimate: KaplanMeierEstimate
    do { estimate = try KaplanMeierEstimate(SurvivalData(times: arm.times, events: arm.events)) } catch { throw .data(error) }
    return grid.map { estimate.survival(at: $0) }
  }

  /// The q-quantile of `values` (R's default, type 7: linear between order statistics).
  static func quantile7(_ values: [Double], _ q: Double) -> Double {
    let sorted = values.sorted()
    guard !sorted.isEmpty else { return .nan }
    return quantile(sorted, q)
  }
}
