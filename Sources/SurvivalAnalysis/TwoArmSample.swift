// TwoArmSample.swift — one simulated two-arm trial, sorted once, read by Cox and log-rank.
//
// A Monte Carlo replicate fits an unweighted Cox model on the treatment indicator and computes
// the log-rank statistic on the same patients. The public entry points validate their input and
// sort it, each on its own, into freshly allocated buffers; for data the simulator itself made,
// that work is repeated for nothing in every replicate. This type sorts once, groups the
// patients by tied time once (alive and dying at each arm), and both package entry points below
// read those counts. Its buffers are kept across loads, so a worker that owns one allocates
// nothing once they have grown to its largest trial.
//
// Same numbers as the public API: the order is the public API's (a distribution sort, which
// hands tied times to the same comparison sort, see `SortedOrder`), the
// treatment indicator is centred exactly as `CoxWorkspace` centres it (mean = n₁/n, an exact
// sum of ones), the Newton loop is `CoxModel.fit`'s at p = 1, and the log-rank sums are
// survdiff's, accumulated over the same groups in the same order. A regression test compares
// both with the public API bit for bit on simulated trials.

import Foundation

/// A two-arm sample sorted by follow-up time, with its tied-time group counts.
package final class TwoArmSample {
  /// Subjects, events and experimental subjects of the last ``load(times:events:experimental:)``.
  package private(set) var count = 0
  package private(set) var eventCount = 0
  package private(set) var experimentalCount = 0
  private var capacity = 0
  private var order = UnsafeMutableBufferPointer<Int>.allocate(capacity: 1)
  private var sortedTimes = UnsafeMutableBufferPointer<Double>.allocate(capacity: 1)
  private var counts = UnsafeMutableBufferPointer<Int>.allocate(capacity: SortedOrder.distributionCounts(1))
  var groups = TwoLevelGroups()

  package init() {}

  deinit {
    order.deallocate()
    sortedTimes.deallocate()
    counts.deallocate()
  }

  /// Both arms present: the treatment indicator takes two values, which the two-arm entry points need.
  package var hasBothArms: Bool { experimentalCount > 0 && experimentalCount < count }

  /// Sorts and groups the subjects. Times must be finite and ≥ 0 (the caller made them; the
  /// public ``CoxModel/fit(_:)`` and ``LogRankTest`` check this, these entry points do not).
  package func load(
    times: UnsafeBufferPointer<Double>, events: UnsafeBufferPointer<Bool>, experimental: UnsafeBufferPointer<Bool>
  ) {
    let n = times.count
    precondition(events.count == n && experimental.count == n, "times, events and arms differ in length")
    if n > capacity {
      order.deallocate()
      sortedTimes.deallocate()
      counts.deallocate()
      capacity = max(n, 2 * capacity)
      counts = .allocate(capacity: SortedOrder.distributionCounts(capacity))
      order = .allocate(capacity: capacity)
      sortedTimes = .allocate(capacity: capacity)
    }
    count = n
    let index = UnsafeMutableBufferPointer(rebasing: order[0..<n])
    SortedOrder.distributionSortIndices(times, into: index, sortedKeys: sortedTimes, counts: counts)
    // Counted without branches: arms and events are random.
    var treated = 0
    var dead = 0
    for i in 0..<n {
      treated &+= Branchless.bit(experimental[i])
      dead &+= Branchless.bit(events[i])
    }
    experimentalCount = treated
    eventCount = dead
    // Centred as CoxWorkspace centres a covariate with unit weights: the mean is an exact sum
    // of ones over n, and x − mean gives the same two levels.
    let mean = n > 0 ? Double(treated) / Double(n) : 0
    groups.fillTwoArm(
      order: UnsafeBufferPointer(index), times: times, events: events, experimental: experimental, low: 0 - mean,
      high: 1 - mean)
  }
}

/// The part of a Cox fit a simulated two-arm trial reads.
package struct TwoArmCoxFit: Sendable {
  /// log HR of the experimental arm and its model-based standard error (0 when the
  /// information is singular, as ``CoxFit/standardErrors`` gives it).
  package var coefficient: Double
  package var standardError: Double
  package var convergence: ConvergenceStatus
  /// R's monotone-likelihood flag for the coefficient (``CoxFit/monotoneLikelihood`` not empty).
  package var monotoneLikelihood: Bool
}

extension CoxModel {
  /// The Cox fit of `sample`'s treatment indicator: ``fit(_:)`` of the same data without
  /// validation, copies or allocation (Newton–Raphson as coxfit6, p = 1). The sample must
  /// hold both arms and at least one event; no robust variance, no initial coefficients.
  package func fitTwoArm(_ sample: TwoArmSample) -> TwoArmCoxFit {
    precondition(sample.hasBothArms && sample.eventCount > 0, "fitTwoArm needs both arms and an event")
    precondition(!robustVariance && initialCoefficients == nil, "fitTwoArm fits the plain model from β = 0")
    let groups = sample.groups
    let efron = ties == .efron
    var (loglik, u, imat) = groups.evaluate(beta: 0, efron: efron)
    var beta = 0.0
    var newBeta = beta + solve(u, imat)
    var halving = false
    var status = ConvergenceStatus.maxIterationsReached(iterations: maxIterations)
    var iterations = 0
    while iterations < maxIterations {
      iterations += 1
      let (newLoglik, newU, newImat) = groups.evaluate(beta: newBeta, efron: efron)
      (u, imat) = (newU, newImat)
      if abs(1 - loglik / newLoglik) <= tolerance && !halving {
        beta = newBeta
        loglik = newLoglik
        status = .converged(iterations: iterations)
        break
      }
      if !(newLoglik >= loglik) {
        halving = true
        newBeta = (newBeta + beta) / 2
        continue
      }
      halving = false
      loglik = newLoglik
      beta = newBeta
      if iterations == maxIterations { break }
      newBeta = beta + solve(u, imat)
    }
    if !status.isConverged { (loglik, u, imat) = groups.evaluate(beta: beta, efron: efron) }
    let dropped = isDropped(imat)
    let variance = dropped ? 0 : 1 / imat
    let newton = 0 + u * variance
    let monotone = !dropped && abs(newton) > tolerance && abs(newton) > tolerance.squareRoot() * abs(beta)
    return TwoArmCoxFit(
      coefficient: beta, standardError: variance.squareRoot(), convergence: status, monotoneLikelihood: monotone)
  }

  /// `SymmetricFactorization` of a 1 × 1 information: a pivot that is not finite, is zero, or is
  /// below its tolerance (only a negative one can be) is dropped.
  private func isDropped(_ information: Double) -> Bool {
    let largest = information > 0 ? information : 0
    return !information.isFinite || information < largest * singularityTolerance || information == 0
  }

  /// The Newton step u / I of `SymmetricFactorization.solve` at p = 1 (0 in a dropped direction).
  private func solve(_ u: Double, _ information: Double) -> Double {
    isDropped(information) ? 0 : u / information
  }
}

/// The two-arm log-rank sums of a sample (R `survdiff`, rho = 0): observed and expected events of
/// the experimental arm, and the variance of O − E.
package struct TwoArmLogRank: Sendable {
  package var observed: Double
  package var expected: Double
  package var variance: Double

  /// The log-rank z, negative when the experimental arm has fewer events than expected; nil
  /// without variance (``LogRankTest`` leaves the decision to the Wald z then).
  package var z: Double? { variance > 0 ? (observed - expected) / variance.squareRoot() : nil }
}

extension LogRankTest {
  /// ``init(_:group:strata:)``'s sums for group 1 = experimental of `sample`, read from its
  /// tied-time counts: no validation, sort or allocation.
  package static func twoArm(_ sample: TwoArmSample) -> TwoArmLogRank {
    let g = sample.groups
    var observed = 0.0
    var expected = 0.0
    var variance = 0.0
    var atRiskControl = 0.0
    var atRiskExperimental = 0.0
    var k = g.count
    while k > 0 {
      k &-= 1
      let group = g.group(k)
      atRiskControl += group.atRiskLow
      atRiskExperimental += group.atRiskHigh
      let d = 0 + group.deadLow + group.deadHigh
      let n = 0 + atRiskControl + atRiskExperimental
      if d <= 1 {
        // survdiff's terms at d = 1 are E/n, and (E/n)(1 − E/n) times d(n − d)/(n − 1) = 1; at
        // d = 0 they are 0 (n ≥ 1), and adding 0 leaves the sums as they were (never −0). No
        // branch on d: it is random.
        let share = atRiskExperimental / n
        observed += group.deadHigh
        expected += d * share
        variance += d * (share * (1 - share))
        continue
      }
      observed += group.deadHigh
      expected += atRiskExperimental * d / n
      guard n > 1 else { continue }
      let factor = d * (n - d) / (n - 1)
      variance += factor * atRiskExperimental / n * (1 - atRiskExperimental / n)
    }
    return TwoArmLogRank(observed: observed, expected: expected, variance: variance)
  }
}
