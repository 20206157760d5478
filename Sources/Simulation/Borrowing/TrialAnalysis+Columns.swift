// TrialAnalysis+Columns.swift — the analyses read from a worker's columns.
//
// The unweighted analyses (`none`, `pool`) of an unadjusted design are a Cox fit on the
// treatment indicator and the log-rank statistic on the same patients: both read one sorted
// `TwoArmSample`, with no `SurvivalData`, validation or allocation. The piecewise-exponential
// analyses read the events and exposure straight from the columns. Every other analysis (weights,
// covariates, scores, the similarity test) reads the patients as before. The numbers are the
// same as `analyse(_:method:)` on ``TrialWorkspace/patients()`` (a regression test checks it).

import Foundation
import GSL
import SurvivalAnalysis
import TrialSpec

extension TrialAnalysis {
  func analyse(_ ws: TrialWorkspace, method: Scenario.Analysis) -> ReplicateResult {
    let plain = ws.adjustments.isEmpty && ws.scores.isEmpty
    switch method {
    case .none where plain:
      if let result = twoArmCox(ws, concurrentOnly: true) { return result }
    case .pool where plain:
      if var result = twoArmCox(ws, concurrentOnly: false) {
        guard !result.failed else { return result }
        // As `pooled(_:)`: the generator's error through the external share of control events.
        let (dc, de) = ws.controlEvents
        let info = information(de)
        let share = dc + de > 0 ? de / (dc + de) : 0
        result.inflate(by: share * share * info.extraVariance, test: context.test)
        result.borrowedEvents = de * info.factor
        result.capped = info.capped
        return result
      }
    case .powerPrior(let a0, .piecewiseExponential):
      let stats = ws.statistics(context.intervals)
      let info = information(stats.external.totalEvents)
      return bayesian(stats, weight: a0 * info.factor, info: info)
    case .commensurate, .robustMixture, .ebPowerPrior, .sam:
      return dynamic(ws.statistics(context.intervals), method: method)
    default:
      break
    }
    return analyse(ws.patients(), method: method)
  }

  /// `cox(_:externalWeight:robust:)` of the unweighted, unadjusted model (external patients
  /// included with weight 1 unless `concurrentOnly`), from the workspace's sorted sample. Nil when
  /// the patients hold one arm only: the patient-by-patient path handles that degenerate fit.
  func twoArmCox(_ ws: TrialWorkspace, concurrentOnly: Bool) -> ReplicateResult? {
    let n = ws.loadSample(concurrentOnly: concurrentOnly)
    let sample = ws.sample
    guard sample.eventCount > 0 else { return .failure(.noEvents) }
    guard n > 0, sample.hasBothArms else { return nil }
    guard ws.timesAreValid(concurrentOnly: concurrentOnly) else { return .failure(.coxFitFailed) }
    let fit = CoxModel(ties: .efron).fitTwoArm(sample)
    guard fit.convergence.isConverged else { return .failure(.coxNotConverged) }
    // Separation: see `cox(_:externalWeight:robust:)`.
    guard !fit.monotoneLikelihood || abs(fit.coefficient) < 10 else { return .failure(.monotoneLikelihood) }
    let beta = fit.coefficient
    let se = fit.standardError
    guard se.isFinite, se > 0 else { return .failure(.noStandardError) }
    var z = beta / se
    if context.test.method == .logrank, let logRank = LogRankTest.twoArm(sample).z { z = logRank }
    let z95 = StandardNormal.quantile(0.975)
    return ReplicateResult(
      logHazardRatio: beta, standardError: se, lower: beta - z95 * se, upper: beta + z95 * se,
      statistic: z, rejected: Self.rejects(z, context.test), events: ws.concurrentEvents,
      borrowedEvents: 0, capped: false, failure: nil)
  }
}
