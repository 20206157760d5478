// TrialAnalysis.swift — the analyses and borrowing methods of DESIGN.md §3:
//   none           synthetic patients ignored
//   pool           synthetic patients analysed as concurrent controls
//   power-prior a₀ synthetic patients enter the Cox partial likelihood with weight a₀; the
//                  Wald test uses the robust (sandwich) variance, as weights are not frequencies
//   test-then-pool log-rank test of real vs synthetic controls at level γ: pool if not
//                  rejected, else none (Viele et al. 2014)
// The treatment effect is the unadjusted Cox log hazard ratio (Efron ties) with a 95 % Wald
// interval; the decision uses the protocol's test: the log-rank z (none, pool, test-then-pool,
// with method logrank) or the Cox Wald z, one- or two-sided at the protocol's α.

import Foundation
import GSL
import SurvivalAnalysis
import TrialSpec

struct TrialAnalysis {
  let test: TrialDesign.Test

  func analyse(_ patients: [SimulatedPatient], method: Scenario.Analysis) -> ReplicateResult {
    switch method {
    case .none: return estimate(patients.filter { !$0.synthetic }, syntheticWeight: 0)
    case .pool: return estimate(patients, syntheticWeight: 1)
    case .powerPrior(let a0): return estimate(patients, syntheticWeight: a0)
    case .testThenPool(let level):
      let controls = patients.filter { !$0.experimental }
      let data = SurvivalData(times: controls.map(\.time), events: controls.map(\.event))
      guard let similarity = try? LogRankTest(data, group: controls.map { $0.synthetic ? 1 : 0 }) else {
        return estimate(patients.filter { !$0.synthetic }, syntheticWeight: 0)
      }
      let pool = similarity.chiSquare.pValue >= level
      return estimate(pool ? patients : patients.filter { !$0.synthetic }, syntheticWeight: pool ? 1 : 0)
    }
  }

  /// Cox estimate and the protocol's test; synthetic patients carry `syntheticWeight`.
  func estimate(_ patients: [SimulatedPatient], syntheticWeight: Double) -> ReplicateResult {
    let hasSynthetic = syntheticWeight > 0 && patients.contains { $0.synthetic }
    let weighted = hasSynthetic && syntheticWeight < 1
    // Column 0 is the treatment indicator; adjustment covariates (if any) follow.
    let adjustmentCount = patients.first?.adjustment.count ?? 0
    let data = SurvivalData(
      times: patients.map(\.time), events: patients.map(\.event),
      covariateColumns: [patients.map { $0.experimental ? 1 : 0 }] + (0..<adjustmentCount).map { j in patients.map { $0.adjustment[j] } },
      weights: weighted ? patients.map { $0.synthetic ? syntheticWeight : 1 } : nil)
    let events = patients.reduce(0) { $0 + ($1.event ? 1 : 0) }
    guard events > 0 else { return .failure("no events") }
    guard let fit = try? CoxModel(ties: .efron, robustVariance: weighted).fit(data) else { return .failure("the Cox fit failed") }
    guard fit.convergence.isConverged else { return .failure("the Cox fit did not converge") }
    // Separation (an arm without events): the estimate runs off to ±∞. R's monotone-likelihood
    // flag alone also fires for a converged β̂ ≈ 0 whose last step is tiny but not below √ε·|β̂|.
    guard fit.monotoneLikelihood.isEmpty || abs(fit.coefficients[0]) < 10 else {
      return .failure("monotone likelihood (an arm without events)")
    }
    let beta = fit.coefficients[0]
    let se = weighted ? (fit.robustStandardErrors?[0] ?? .nan) : fit.standardErrors[0]
    guard se.isFinite, se > 0 else { return .failure("no finite standard error") }
    let z95 = StandardNormal.quantile(0.975)
    // The decision statistic, signed so that negative favours the experimental arm.
    var z = beta / se
    if test.method == "logrank" && !weighted && adjustmentCount == 0 {
      if let lr = try? LogRankTest(SurvivalData(times: data.times, events: data.events),  // unstratified log-rank
                                   group: patients.map { $0.experimental ? 1 : 0 }),
        lr.variance.count == 4, lr.variance[3] > 0
      {
        z = (lr.observed[1] - lr.expected[1]) / lr.variance[3].squareRoot()
      }
    }
    let rejected = test.sided == 1
      ? z < -StandardNormal.quantile(1 - test.alpha)
      : abs(z) > StandardNormal.quantile(1 - test.alpha / 2)
    return ReplicateResult(logHazardRatio: beta, standardError: se, lower: beta - z95 * se, upper: beta + z95 * se,
                           rejected: rejected, events: events, borrowedWeight: hasSynthetic ? syntheticWeight : 0,
                           failed: false, failure: nil)
  }
}
