// SurvivalDesign.swift — analytic event counts, power and sample size for a two-arm log-rank trial.
//
// Notation: r = allocation ratio treatment : control, θ = log HR, z_q = Φ⁻¹(q), α two-sided.
//   Schoenfeld (1981):  D = (z_{1−α/2} + z_{1−β})² (1 + r)² / (r θ²)
//   Freedman (1982):    D = (z_{1−α/2} + z_{1−β})² (1 + r·HR)² / (r (1 − HR)²)
//   Power for D events (two-sided, both tails, as rpact's getPowerSurvival):
//     Φ(√(D r)/(1 + r)·|θ| − z_{1−α/2}) + Φ(−√(D r)/(1 + r)·|θ| − z_{1−α/2})
// Expected events with uniform accrual over A, analysis at A + F, exponential event hazard λ and
// exponential dropout hazard γ (competing risks; rpact, Lachin & Foulkes 1986):
//   P(event by analysis) = λ/(λ+γ) · [1 − (e^{−(λ+γ)F} − e^{−(λ+γ)(A+F)}) / ((λ+γ)A)]
// and, at calendar time t with N patients accrued at rate N/A:
//   E_arm(t) = (N/A)·λ/(λ+γ)·[min(t,A) − (e^{−(λ+γ)(t−min(t,A))} − e^{−(λ+γ)t})/(λ+γ)]
// Dropout given as "probability p by time τ" is the hazard γ = −log(1 − p)/τ.
// Checked against rpact 3.3.4 getSampleSizeSurvival / getPowerSurvival on a 64-design grid.

import Foundation
import GSL

/// Closed-form design calculations for a two-arm survival trial analysed by the log-rank test.
public enum SurvivalDesign {
  /// Events needed for `power` at two-sided level `alpha` by Schoenfeld's formula (not rounded).
  public static func schoenfeldEvents(hazardRatio: Double, alpha: Double, power: Double, allocation r: Double = 1) -> Double {
    let z = StandardNormal.quantile(1 - alpha / 2) + StandardNormal.quantile(power)
    let theta = Foundation.log(hazardRatio)
    return z * z * (1 + r) * (1 + r) / (r * theta * theta)
  }

  /// Events needed by Freedman's formula (not rounded).
  public static func freedmanEvents(hazardRatio: Double, alpha: Double, power: Double, allocation r: Double = 1) -> Double {
    let z = StandardNormal.quantile(1 - alpha / 2) + StandardNormal.quantile(power)
    return z * z * (1 + r * hazardRatio) * (1 + r * hazardRatio) / (r * (1 - hazardRatio) * (1 - hazardRatio))
  }

  /// Power of the two-sided log-rank test with `events` events (Schoenfeld's approximation).
  public static func power(events: Double, hazardRatio: Double, alpha: Double, allocation r: Double = 1) -> Double {
    let drift = (events * r).squareRoot() / (1 + r) * abs(Foundation.log(hazardRatio))
    let z = StandardNormal.quantile(1 - alpha / 2)
    return StandardNormal.cdf(drift - z) + StandardNormal.cdf(-drift - z)
  }

  /// The exponential dropout hazard for "probability `p` of dropping out by time `time`".
  public static func dropoutHazard(probability p: Double, by time: Double) -> Double {
    p > 0 ? -Foundation.log(1 - p) / time : 0
  }
}

/// A two-arm trial with exponential survival, uniform accrual and exponential dropout.
public struct ExponentialTrialDesign: Sendable {
  /// Event hazard in the control arm (per time unit).
  public var controlHazard: Double
  /// Hazard ratio treatment / control.
  public var hazardRatio: Double
  /// Allocation ratio treatment : control.
  public var allocation: Double
  /// Uniform accrual duration A and follow-up after the last patient F.
  public var accrualDuration: Double
  public var followUp: Double
  /// Dropout hazard γ, the same in both arms.
  public var dropoutHazard: Double

  public init(
    controlHazard: Double, hazardRatio: Double, allocation: Double = 1,
    accrualDuration: Double, followUp: Double, dropoutHazard: Double = 0
  ) {
    self.controlHazard = controlHazard
    self.hazardRatio = hazardRatio
    self.allocation = allocation
    self.accrualDuration = accrualDuration
    self.followUp = followUp
    self.dropoutHazard = dropoutHazard
  }

  /// A control hazard from a median: λ = log 2 / median.
  public static func hazard(median: Double) -> Double { Foundation.log(2) / median }

  var treatmentHazard: Double { controlHazard * hazardRatio }
  var treatmentShare: Double { allocation / (1 + allocation) }

  /// Probability that a patient has the event by the planned analysis (A + F), averaged over arms.
  public var eventProbability: Double {
    treatmentShare * Self.eventProbability(treatmentHazard, dropoutHazard, accrualDuration, followUp)
      + (1 - treatmentShare) * Self.eventProbability(controlHazard, dropoutHazard, accrualDuration, followUp)
  }

  static func eventProbability(_ lambda: Double, _ gamma: Double, _ a: Double, _ f: Double) -> Double {
    let k = lambda + gamma
    return lambda / k * (1 - (Foundation.exp(-k * f) - Foundation.exp(-k * (a + f))) / (k * a))
  }

  /// Patients needed so that `events` events are expected by the planned analysis (not rounded).
  public func subjectsRequired(events: Double) -> Double { events / eventProbability }

  /// Expected events at calendar time `t` when `subjects` patients are accrued uniformly over A.
  public func expectedEvents(subjects: Double, at t: Double) -> Double {
    let rate = subjects / accrualDuration
    func arm(_ lambda: Double) -> Double {
      let k = lambda + dropoutHazard
      let accrued = min(t, accrualDuration)
      return rate * lambda / k * (accrued - (Foundation.exp(-k * (t - accrued)) - Foundation.exp(-k * t)) / k)
    }
    return treatmentShare * arm(treatmentHazard) + (1 - treatmentShare) * arm(controlHazard)
  }

  /// The calendar time at which `events` events are expected among `subjects` patients, or nil
  /// if they are never expected (the expected count tends to less than `events`).
  public func analysisTime(subjects: Double, events: Double) -> Double? {
    let f = { (t: Double) in self.expectedEvents(subjects: subjects, at: t) - events }
    var upper = accrualDuration + followUp
    while f(upper) < 0 {
      upper *= 2
      if upper > 1e6 * (accrualDuration + followUp) { return nil }
    }
    return try? RootFinder.brent(lower: 1e-12, upper: upper, absoluteTolerance: 1e-12, relativeTolerance: 1e-14, f)
  }
}
