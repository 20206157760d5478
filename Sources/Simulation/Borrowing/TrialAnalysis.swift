// TrialAnalysis.swift — the analyses and borrowing methods of Docs/Methods.md, "Analyses / borrowing
// methods". Every analysis returns the log-HR estimate with its uncertainty, the decision
// statistic and decision, the borrowed information (ESS, in control events) and a typed failure.
//
//   none            external patients ignored: Cox estimate, the protocol's test
//   pool            external patients analysed as concurrent controls (Cox / log-rank)
//   power-prior     the external likelihood raised to a₀: on a piecewise-exponential control hazard
//                   (posterior of θ, decision by P(HR < 1 | data)), or as a Cox partial likelihood
//                   with the external rows weighted by a₀ and model-based variance
//   weighted-cox    the Cox fit weighted by a₀ with a sandwich variance (it treats external rows as
//                   independent draws, so a₀ scales their bias share, not their information)
//   test-then-pool  log-rank test of real vs external controls at level γ: pool if not rejected,
//                   else none (Viele et al. 2014)
//   commensurate, robust-mixture, eb-power-prior, sam
//                   dynamic borrowing on the piecewise-exponential model (their own files)
//
// The generator's own estimation error (variance v_g of the synthetic arm's log cumulative hazard,
// shared by every synthetic patient of a replicate) enters every borrowing analysis: a synthetic arm
// with D_e events measures its log hazard with variance 1/D_e + v_g, never less than 1/D_ref (the
// eligible reference's events: the cap). Bayesian analyses discount the external data by
// f = (1/D_e) / (1/D_e + v_g) — its effective events are D_e·f; frequentist ones add the shared
// term to the log-HR variance: s²·(1/(D_e f) − 1/D_e), with s the external share of control events.

import Foundation
import GSL
import SurvivalAnalysis
import TrialSpec

/// What every analysis of a cell shares.
struct AnalysisContext: Sendable {
  let test: TrialDesign.Test
  let intervals: HazardIntervals
  let rule: GaussLegendre
  /// Gamma(a, b) initial prior of each control hazard (nearly flat; rate in the protocol's time unit).
  let priorShape = 0.001
  let priorRate = 0.001
  /// Variance of the synthetic arm's log cumulative hazard from refitting the generator (0 when not
  /// included, and for a reference source).
  let generatorVariance: Double
  /// The most control events a synthetic arm may be worth: the eligible reference's events (nil: no cap).
  let informationCap: Double?
  /// The posterior-probability cut of Bayesian decisions, as given (nil: from α and sidedness).
  let threshold: Double?

  /// P(HR < 1 | data) above which a Bayesian analysis declares efficacy: 1 − α one-sided, 1 − α/2
  /// two-sided (and, two-sided, below 1 − cut it declares harm), unless the scenario gives one.
  var efficacyCut: Double { threshold ?? (test.sided == 1 ? 1 - test.alpha : 1 - test.alpha / 2) }
}

/// How much the external arm of one trial is worth after the generator's error.
struct ExternalInformation {
  /// Discount of the external data (1: none).
  var factor = 1.0
  /// Variance added to the external arm's log hazard by the generator (and the cap).
  var extraVariance = 0.0
  var capped = false

  init(events: Double, generatorVariance v: Double, cap: Double?) {
    guard events > 0, v > 0 || cap != nil else { return }
    let sampling = 1 / events
    var total = sampling + v
    if let cap, 1 / cap > total {
      total = 1 / cap
      capped = true
    }
    factor = sampling / total
    extraVariance = total - sampling
  }
}

struct TrialAnalysis {
  let context: AnalysisContext
  /// Whether the external arm is synthetic (the generator's error applies) or a real reference.
  let synthetic: Bool

  func analyse(_ patients: [SimulatedPatient], method: Scenario.Analysis) -> ReplicateResult {
    switch method {
    case .none:
      return cox(patients.filter { !$0.external }, externalWeight: 0, robust: false)
    case .pool:
      return pooled(patients)
    case .powerPrior(let a0, let model):
      let stats = context.intervals.statistics(patients)
      let info = information(stats.external.totalEvents)
      switch model {
      case .piecewiseExponential:
        return bayesian(stats, weight: a0 * info.factor, info: info)
      case .cox:
        var result = cox(
          a0 * info.factor > 0 ? patients : patients.filter { !$0.external }, externalWeight: a0 * info.factor,
          robust: false)
        if !result.failed { result.borrowedEvents = a0 * info.factor * stats.external.totalEvents }
        result.capped = info.capped
        return result
      }
    case .weightedCox(let a0):
      var result = cox(patients, externalWeight: a0, robust: true)
      guard !result.failed else { return result }
      let (dc, de) = controlEvents(patients)
      let info = information(de)
      let share = dc + a0 * de > 0 ? a0 * de / (dc + a0 * de) : 0
      result.inflate(by: share * share * info.extraVariance, test: context.test)
      // The sandwich's effective control information: (D_c + a₀D_e)² / (D_c + a₀²D_e) events.
      let effective = dc + a0 * a0 * de > 0 ? pow(dc + a0 * de, 2) / (dc + a0 * a0 * de) - dc : 0
      result.borrowedEvents = effective * info.factor
      result.capped = info.capped
      return result
    case .testThenPool(let level):
      let controls = patients.filter { !$0.experimental }
      let data = SurvivalData(times: controls.map(\.time), events: controls.map(\.event))
      guard let similarity = try? LogRankTest(data, group: controls.map { $0.external ? 1 : 0 }) else {
        return .failure(.similarityTestFailed)
      }
      return similarity.chiSquare.pValue >= level
        ? pooled(patients) : cox(patients.filter { !$0.external }, externalWeight: 0, robust: false)
    case .commensurate, .robustMixture, .ebPowerPrior, .sam:
      return dynamic(context.intervals.statistics(patients), method: method)
    case .prognostic(let test):
      return prognostic(patients.filter { !$0.external }, test: test)
    }
  }

  /// Prognostic adjustment: the score as a covariate of the Cox model (conditional HR, Wald
  /// test), or Ye, Shao & Yi's covariate-adjusted log-rank test with its marginal HR estimator.
  /// Nothing is borrowed; the realised variance ratio σ²_CL/σ²_L is reported.
  private func prognostic(_ concurrent: [SimulatedPatient], test: Scenario.PrognosticTest) -> ReplicateResult {
    switch test {
    case .cox:
      var scored = concurrent
      for i in scored.indices { scored[i].adjustment = [scored[i].score] }
      return cox(scored, externalWeight: 0, robust: false)
    case .adjustedLogrank:
      let adjusted: CovariateAdjustedLogRank
      do {
        adjusted = try CovariateAdjustedLogRank(
          times: concurrent.map(\.time), events: concurrent.map(\.event),
          treated: concurrent.map(\.experimental), covariates: [concurrent.map(\.score)])
      } catch {
        return .failure(.adjustedTestFailed)
      }
      guard let estimate = adjusted.estimate, estimate.standardError.isFinite, estimate.standardError > 0,
        adjusted.adjustedZ.isFinite
      else { return .failure(.adjustedTestFailed) }
      let z = adjusted.adjustedZ
      let z95 = StandardNormal.quantile(0.975)
      let beta = estimate.logHazardRatio
      let se = estimate.standardError
      var result = ReplicateResult(
        logHazardRatio: beta, standardError: se, lower: beta - z95 * se, upper: beta + z95 * se,
        statistic: z, rejected: Self.rejects(z, context.test), events: adjusted.events,
        borrowedEvents: 0, capped: false, failure: nil)
      result.varianceRatio = adjusted.varianceRatio
      return result
    }
  }

  /// The dynamic borrowing methods (``Commensurate``, ``GammaMixture``, ``AdaptivePowerPrior``)
  /// on the events and exposure of the trial, with the external data discounted for the
  /// generator's error.
  func dynamic(_ raw: TrialStatistics, method: Scenario.Analysis) -> ReplicateResult {
    let info = information(raw.external.totalEvents)
    var stats = raw
    stats.external = raw.external.scaled(info.factor)
    let a = context.priorShape
    let b = context.priorRate
    let summary: PosteriorSummary
    let borrowed: Double
    do {
      switch method {
      case .commensurate(let tau):
        let prior: CommensuratePrior
        switch tau {
        case .gamma(let shape, let rate): prior = .gamma(shape: shape, rate: rate)
        case .spikeAndSlab: prior = .spikeAndSlab
        }
        (summary, borrowed) = try Commensurate.posterior(statistics: stats, prior: prior)
      case .robustMixture(let vague):
        let (informative, unit) = GammaMixture.informativeAndVague(stats.external, priorShape: a, priorRate: b)
        let post = try GammaMixture.posterior(
          prior: [(1 - vague, informative), (vague, unit)], control: stats.control,
          experimental: stats.experimental, baseline: flatPrior, rule: context.rule)
        (summary, borrowed) = (post.summary, post.borrowedEvents)
      case .sam(let delta, let odds):
        let (informative, unit) = GammaMixture.informativeAndVague(stats.external, priorShape: a, priorRate: b)
        let hazards = informative.shape.indices.map { informative.shape[$0] / informative.rate[$0] }
        let w = GammaMixture.samWeight(control: stats.control, externalHazards: hazards, delta: delta, priorOdds: odds)
        // SAM's weight is the prior weight; the posterior re-weights the components by their
        // marginal likelihoods (RBesT postmix), with a unit-information vague component so that
        // the re-weighting does not undo SAM's down-weighting (reference note §6).
        let post = try GammaMixture.posterior(
          prior: [(w, informative), (1 - w, unit)], control: stats.control,
          experimental: stats.experimental, baseline: flatPrior, rule: context.rule)
        (summary, borrowed) = (post.summary, post.borrowedEvents)
      case .ebPowerPrior(let normalized):
        if normalized {
          let (s, a0) = try AdaptivePowerPrior.normalized(statistics: stats, priorShape: a, priorRate: b, rule: context.rule)
          (summary, borrowed) = (s, a0 * stats.external.totalEvents)
        } else {
          let a0 = AdaptivePowerPrior.empiricalBayesWeight(
            external: stats.external, control: stats.control, priorShape: a,
            priorRate: b)
          let s = try HazardRatioPosterior(statistics: stats, externalWeight: a0, priorShape: a, priorRate: b)
            .summary(rule: context.rule)
          (summary, borrowed) = (s, a0 * stats.external.totalEvents)
        }
      default:
        return .failure(.posteriorFailed)
      }
    } catch {
      return .failure(error == .noExperimentalEvents ? .noExperimentalEvents : .posteriorFailed)
    }
    return decide(summary, stats: stats, borrowed: borrowed, capped: info.capped)
  }

  private var flatPrior: GammaComponent {
    GammaComponent(
      shape: context.intervals.cutPoints.map { _ in context.priorShape } + [context.priorShape],
      rate: context.intervals.cutPoints.map { _ in context.priorRate } + [context.priorRate])
  }

  /// The Bayesian decision: efficacy when P(HR < 1 | data) exceeds the cut (two-sided: also
  /// rejects for harm below 1 − cut); the estimate is the posterior mean, its interval ± 1.96 SD.
  private func decide(_ summary: PosteriorSummary, stats: TrialStatistics, borrowed: Double, capped: Bool) -> ReplicateResult {
    let p = summary.probabilityBelowZero
    let cut = context.efficacyCut
    let rejected = context.test.sided == 1 ? p > cut : (p > cut || p < 1 - cut)
    let z95 = StandardNormal.quantile(0.975)
    let events = stats.experimental.totalEvents + stats.control.totalEvents
    return ReplicateResult(
      logHazardRatio: summary.mean, standardError: summary.standardDeviation,
      lower: summary.mean - z95 * summary.standardDeviation,
      upper: summary.mean + z95 * summary.standardDeviation, statistic: p, rejected: rejected,
      events: Int(events), borrowedEvents: borrowed, capped: capped, failure: nil)
  }

  func information(_ externalEvents: Double) -> ExternalInformation {
    synthetic
      ? ExternalInformation(events: externalEvents, generatorVariance: context.generatorVariance, cap: context.informationCap)
      : ExternalInformation(events: externalEvents, generatorVariance: 0, cap: nil)
  }

  /// Events among real and external controls.
  private func controlEvents(_ patients: [SimulatedPatient]) -> (Double, Double) {
    var dc = 0.0
    var de = 0.0
    for p in patients where !p.experimental && p.event { if p.external { de += 1 } else { dc += 1 } }
    return (dc, de)
  }

  /// Pooling, with the generator's error added to the log-HR variance through the external share
  /// of the control events.
  private func pooled(_ patients: [SimulatedPatient]) -> ReplicateResult {
    var result = cox(patients, externalWeight: 1, robust: false)
    guard !result.failed else { return result }
    let (dc, de) = controlEvents(patients)
    let info = information(de)
    let share = dc + de > 0 ? de / (dc + de) : 0
    result.inflate(by: share * share * info.extraVariance, test: context.test)
    result.borrowedEvents = de * info.factor
    result.capped = info.capped
    return result
  }

  /// The power prior on the piecewise-exponential model: the posterior of θ and the decision by
  /// P(HR < 1 | data).
  func bayesian(_ stats: TrialStatistics, weight: Double, info: ExternalInformation) -> ReplicateResult {
    let posterior = HazardRatioPosterior(
      statistics: stats, externalWeight: weight, priorShape: context.priorShape,
      priorRate: context.priorRate)
    let summary: PosteriorSummary
    do { summary = try posterior.summary(rule: context.rule) } catch {
      return .failure(error == .noExperimentalEvents ? .noExperimentalEvents : .posteriorFailed)
    }
    return decide(summary, stats: stats, borrowed: weight * stats.external.totalEvents, capped: info.capped)
  }

  /// Cox estimate and the protocol's test; external patients carry `externalWeight`.
  func cox(_ patients: [SimulatedPatient], externalWeight: Double, robust: Bool) -> ReplicateResult {
    let hasExternal = externalWeight > 0 && patients.contains { $0.external }
    let weighted = hasExternal && externalWeight != 1
    let useRobust = robust && weighted
    // Column 0 is the treatment indicator; adjustment covariates (if any) follow.
    let adjustmentCount = patients.first?.adjustment.count ?? 0
    let data = SurvivalData(
      times: patients.map(\.time), events: patients.map(\.event),
      covariateColumns: [patients.map { $0.experimental ? 1 : 0 }] + (0..<adjustmentCount).map { j in patients.map { $0.adjustment[j] } },
      weights: weighted ? patients.map { $0.external ? externalWeight : 1 } : nil)
    guard patients.contains(where: \.event) else { return .failure(.noEvents) }
    // Events among the concurrent patients (external events are reported as borrowed events).
    let events = patients.reduce(0) { $0 + ($1.event && !$1.external ? 1 : 0) }
    guard let fit = try? CoxModel(ties: .efron, robustVariance: useRobust).fit(data) else { return .failure(.coxFitFailed) }
    guard fit.convergence.isConverged else { return .failure(.coxNotConverged) }
    // Separation (an arm without events): the estimate runs off to ±∞. R's monotone-likelihood
    // flag alone also fires for a converged β̂ ≈ 0 whose last step is tiny but not below √ε·|β̂|.
    guard fit.monotoneLikelihood.isEmpty || abs(fit.coefficients[0]) < 10 else { return .failure(.monotoneLikelihood) }
    let beta = fit.coefficients[0]
    let se = useRobust ? (fit.robustStandardErrors?[0] ?? .nan) : fit.standardErrors[0]
    guard se.isFinite, se > 0 else { return .failure(.noStandardError) }
    let z95 = StandardNormal.quantile(0.975)
    // The decision statistic, signed so that negative favours the experimental arm.
    var z = beta / se
    if context.test.method == .logrank && !weighted && adjustmentCount == 0 {
      if let lr = try? LogRankTest(
        SurvivalData(times: data.times, events: data.events),  // unstratified log-rank
        group: patients.map { $0.experimental ? 1 : 0 }),
        lr.variance.count == 4, lr.variance[3] > 0
      {
        z = (lr.observed[1] - lr.expected[1]) / lr.variance[3].squareRoot()
      }
    }
    return ReplicateResult(
      logHazardRatio: beta, standardError: se, lower: beta - z95 * se, upper: beta + z95 * se,
      statistic: z, rejected: Self.rejects(z, context.test), events: events,
      borrowedEvents: 0, capped: false, failure: nil)
  }

  static func rejects(_ z: Double, _ test: TrialDesign.Test) -> Bool {
    test.sided == 1 ? z < -StandardNormal.quantile(1 - test.alpha) : abs(z) > StandardNormal.quantile(1 - test.alpha / 2)
  }
}

extension ReplicateResult {
  /// Adds `variance` to the log HR's variance: the interval widens and the z statistic shrinks by
  /// the same factor (the log-rank z as the Wald z), and the decision is taken again.
  mutating func inflate(by variance: Double, test: TrialDesign.Test) {
    guard variance > 0 else { return }
    let wider = (standardError * standardError + variance).squareRoot()
    statistic *= standardError / wider
    let z95 = StandardNormal.quantile(0.975)
    standardError = wider
    lower = logHazardRatio - z95 * wider
    upper = logHazardRatio + z95 * wider
    rejected = TrialAnalysis.rejects(statistic, test)
  }
}
