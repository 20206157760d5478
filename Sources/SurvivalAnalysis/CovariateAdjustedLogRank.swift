// CovariateAdjustedLogRank.swift — Ye, Shao & Yi's covariate-adjusted log-rank test and
// log-hazard-ratio estimator (Biometrika 2024, 111(2):691), as RobinCar2 implements it.
//
// Why RobinCar2's conventions rather than the paper's notation alone: they fix the choices the
// paper leaves open (the observed treated share as π, Breslow ties with the hypergeometric
// factor for the test only, n − 1 in Cov(X), the regression slopes held at the unadjusted
// estimate while solving for the adjusted one), and RobinCar2's published test snapshots are
// the independent values we check against. Sources: openpharma/RobinCar2 @ 43ba7c1 —
// R/survival_score.R (`h_lr_score_no_strata_no_cov`, `h_lr_score_cov`), R/survival_cov_adj.R
// (`h_derived_outcome_vals`, `h_get_beta_estimates`), R/survival.R (`robin_surv_comparison`);
// the formulas are in Docs/Methods.md, prognostic adjustment.
//
// The derived outcome O_i is a sum over every distinct event time up to T_i. RobinCar2 forms it
// with an n × K matrix; here the sums are prefix sums over event times, so after the one sort
// the whole analysis is O(n + K) per θ (O(n·p²) for the regressions).
//
// Not implemented: strata (RobinCar2's `h_lr_score_strat_cov`), Magirr's small-sample variance
// multiplier, factor covariates (pass indicator columns).

import Foundation
import GSL

/// Why a covariate-adjusted log-rank analysis could not be computed.
public enum CovariateAdjustedLogRankError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The data set has no subjects.
  case noSubjects
  /// The data break a rule (the message names the subject and the rule).
  case invalidInput(String)
  /// No subject had the event.
  case noEvents
  /// One arm has no subjects (`treated` tells which).
  case emptyArm(treated: Bool)
  /// Covariate `index` (0-based) takes one value in the whole sample.
  case constantCovariate(index: Int)
  /// Within one arm the covariates are constant or collinear, so the arm's least-squares slope
  /// of the derived outcome on them is not unique (R's `lm.fit(singular.ok = FALSE)` stops too).
  case singularCovariates(treated: Bool)
  /// Every event happened while one arm had nobody at risk, so the log-rank variance is 0.
  case noComparableEvents

  public var description: String {
    switch self {
    case .noSubjects: "the data set has no subjects"
    case .invalidInput(let why): why
    case .noEvents: "no subject had the event; the log-rank statistic is undefined"
    case .emptyArm(let treated): "the \(treated ? "treated" : "control") arm has no subjects"
    case .constantCovariate(let j): "covariate \(j + 1) has zero variance; it cannot adjust anything"
    case .singularCovariates(let treated):
      "in the \(treated ? "treated" : "control") arm the covariates are constant or collinear; "
        + "their regression slopes are not unique"
    case .noComparableEvents: "no event happened while both arms were at risk; the log-rank variance is 0"
    }
  }
}

/// Ye, Shao & Yi's covariate-adjusted log-rank test and marginal log-hazard-ratio estimator.
///
/// With π the observed share of treated subjects, Ȳ₁(t), Ȳ₀(t) the numbers at risk in each arm
/// divided by n, Ȳ(t) = e^θ Ȳ₁(t) + Ȳ₀(t), and Breslow ties:
/// ```
/// U_L(θ)  = (1/n) Σ_{events i} [A_i − e^θ Ȳ₁(t_i)/Ȳ(t_i)]
/// σ_L²(θ) = (1/n) Σ_{events i} e^θ Ȳ₁ Ȳ₀ c_i / Ȳ²,
///           c_i = (nȲ − d_i)/(nȲ − 1) when d_i > 1 (the test only), else 1
/// O_i     = Σ_k w_{A_i}(t_k) [dN_i(t_k) − Y_i(t_k) (d_k/n)/Ȳ(t_k)],  w₁ = Ȳ₀/Ȳ, w₀ = e^θ Ȳ₁/Ȳ,
///           Y_i(t) = 1{T_i ≥ t}·(e^θ if treated)
/// β_a     = least-squares slope of O_i on X_i within arm a (X centred at the arm's mean)
/// U_CL(θ) = U_L(θ) − (1/n)[Σ_{A=1} (X_i − X̄)ᵀβ₁ − Σ_{A=0} (X_i − X̄)ᵀβ₀]
/// σ_CL²   = σ_L² − π(1 − π)(β₀ + β₁)ᵀ Cov(X)(β₀ + β₁),  Cov(X) with divisor n − 1
/// ```
/// The sums over events count each of d tied events once, each with the factor c of its time.
///
/// - **Test** (θ = 0, β's from O at θ = 0, tie factor on): z = √n·U_CL(0)/σ_CL(0); the
///   unadjusted z = √n·U_L(0)/σ_L(0) is the log-rank test (z² equals `survdiff`'s χ²).
/// - **Estimate**: θ̂ solves U_L(θ) = 0 (the Breslow Cox estimate); the β's are recomputed from
///   O at θ̂ and then held fixed while θ̂_CL solves U_CL(θ) = 0; the tie factor is off (RobinCar2's
///   `h_log_hr_est_via_score`). se(θ̂_CL) = √(σ_CL²/σ_L⁴/n) at θ̂_CL.
///
/// The estimand is the marginal (unconditional) hazard ratio, which differs from a Cox model's
/// conditional one when the covariates are prognostic. Adjusting never changes what is
/// estimated, only its variance; the realised ratio σ_CL²/σ_L² is `varianceRatio`.
///
/// Checked against RobinCar2's snapshot values and `survdiff` on `survival::lung` in
/// `Tests/SurvivalAnalysisTests/CovariateAdjustedLogRankTests.swift`.
public struct CovariateAdjustedLogRank: Sendable {
  /// The score statistics at one log hazard ratio θ.
  public struct Score: Sendable, Hashable {
    /// The θ at which the statistics were evaluated.
    public var logHazardRatio: Double
    /// U_L(θ), the log-rank score divided by n.
    public var unadjusted: Double
    /// σ_L²(θ).
    public var unadjustedVariance: Double
    /// U_CL(θ).
    public var adjusted: Double
    /// σ_CL²(θ) = σ_L²(θ) − π(1 − π)(β₀ + β₁)ᵀCov(X)(β₀ + β₁). It can be ≤ 0 in tiny samples
    /// with many covariates; the statistics that take its square root are then NaN.
    public var adjustedVariance: Double
    /// √(σ_CL²/σ_L⁴/n): the standard error of the adjusted log-HR estimate when θ is that
    /// estimate (RobinCar2's `se_theta_l`, "adjusted" plug-in).
    public var standardError: Double
    /// √(1/(n σ_L²)): the same for the unadjusted estimate.
    public var unadjustedStandardError: Double
  }

  /// The adjusted and unadjusted log-hazard-ratio estimates (treated versus control).
  public struct Estimate: Sendable, Hashable {
    /// θ̂_CL, the root of U_CL with the β's held at their values at `unadjustedLogHazardRatio`.
    public var logHazardRatio: Double
    /// se(θ̂_CL) = √(σ_CL²/σ_L⁴/n) at θ̂_CL, tie factor off.
    public var standardError: Double
    /// θ̂, the root of U_L: the Cox partial-likelihood estimate with Breslow ties.
    public var unadjustedLogHazardRatio: Double
    /// √(1/(n σ_L²(θ̂))): the Cox model-based standard error with Breslow ties.
    public var unadjustedStandardError: Double
    /// The statistics at θ̂_CL (tie factor off), from which `standardError` comes.
    public var score: Score
  }

  /// The number of subjects n.
  public let subjects: Int
  /// The number of events.
  public let events: Int
  /// π, the observed share of treated subjects.
  public let treatedProportion: Double
  /// β₀, the control arm's slopes of the derived outcome at θ = 0 (those the test uses), one
  /// per covariate.
  public let controlCoefficients: [Double]
  /// β₁, the treated arm's slopes at θ = 0.
  public let treatedCoefficients: [Double]
  /// The statistics at θ = 0 with the tie factor and the β's at θ = 0: the test.
  public let test: Score
  /// The estimates, or nil when U_L or U_CL has no finite root (for U_L: every event that
  /// happened while both arms were at risk was in one arm, so the Cox estimate is infinite).
  public let estimate: Estimate?

  private let frame: Frame

  /// √n·U_L(0)/σ_L(0): the log-rank z (positive when the treated arm has more events than expected).
  public var unadjustedZ: Double {
    Double(subjects).squareRoot() * test.unadjusted / test.unadjustedVariance.squareRoot()
  }
  /// √n·U_CL(0)/σ_CL(0): the covariate-adjusted log-rank z.
  public var adjustedZ: Double {
    Double(subjects).squareRoot() * test.adjusted / test.adjustedVariance.squareRoot()
  }
  /// Two-sided p-value of the unadjusted test, 2 Φ(−|z|).
  public var unadjustedPValue: Double { 2 * StandardNormal.survival(abs(unadjustedZ)) }
  /// Two-sided p-value of the adjusted test.
  public var adjustedPValue: Double { 2 * StandardNormal.survival(abs(adjustedZ)) }
  /// σ_CL²(0)/σ_L²(0): the realised variance ratio, 1 − (the share of the log-rank variance
  /// that the covariates explain). Below 1 whenever β₀ + β₁ ≠ 0.
  public var varianceRatio: Double { test.adjustedVariance / test.unadjustedVariance }

  /// Analyses one two-arm trial.
  ///
  /// - Parameters:
  ///   - times: follow-up times, finite and ≥ 0.
  ///   - events: `true` for an event, `false` for censoring.
  ///   - treated: `true` for the experimental arm (A = 1; the hazard ratio is treated/control).
  ///   - covariates: covariate columns (`covariates[j][i]` is covariate j of subject i), e.g. a
  ///     single prognostic score; none gives the unadjusted analysis in both roles.
  public init(
    times: [Double], events: [Bool], treated: [Bool], covariates: [[Double]]
  ) throws(CovariateAdjustedLogRankError) {
    precondition(events.count == times.count, "events.count (\(events.count)) != times.count (\(times.count))")
    precondition(treated.count == times.count, "treated.count (\(treated.count)) != times.count (\(times.count))")
    for (j, column) in covariates.enumerated() {
      precondition(column.count == times.count, "covariate \(j) has \(column.count) values for \(times.count) subjects")
    }
    let frame = try Frame(times: times, events: events, treated: treated, covariates: covariates)
    self.frame = frame
    subjects = frame.n
    self.events = frame.eventCount
    treatedProportion = frame.pi

    // The test: θ = 0 throughout.
    let atNull = try frame.adjustment(at: 0)
    controlCoefficients = atNull.beta0
    treatedCoefficients = atNull.beta1
    test = frame.score(at: 0, adjustment: atNull, tiesFactor: true)
    if !(test.unadjustedVariance > 0) { throw .noComparableEvents }

    // The estimate: θ̂ from U_L, β's at θ̂, then θ̂_CL from U_CL with those β's held fixed.
    estimate = try frame.estimate()
  }

  /// Analyses `data` with its covariate columns as X. Weights, strata and offsets are rejected:
  /// the stratified version (RobinCar2's `h_lr_score_strat_cov`) is not implemented.
  public init(_ data: SurvivalData, treated: [Bool]) throws(CovariateAdjustedLogRankError) {
    if data.weights != nil || data.strata != nil || data.offsets != nil {
      throw .invalidInput("the covariate-adjusted log-rank test takes unweighted, unstratified data without offsets")
    }
    try self.init(times: data.times, events: data.events, treated: treated, covariates: data.covariates)
  }

  /// The statistics at θ with the β's estimated from the derived outcomes at `coefficientsAt`
  /// (θ itself when nil), the tie factor as asked. RobinCar2's `h_lr_score_cov(theta, theta_hat,
  /// use_ties_factor)`. Throws only when the β's are not unique at that θ̂.
  public func score(
    at theta: Double, coefficientsAt thetaHat: Double? = nil, tiesFactor: Bool = true
  ) throws(CovariateAdjustedLogRankError) -> Score {
    frame.score(at: theta, adjustment: try frame.adjustment(at: thetaHat ?? theta), tiesFactor: tiesFactor)
  }
}

// MARK: - The sorted data and the sums over event times

extension CovariateAdjustedLogRank {
  /// The β's at one θ̂ and the two adjustment terms they give.
  struct Adjustment: Sendable {
    var beta0: [Double], beta1: [Double]
    /// (1/n)[Σ_{A=1} (X_i − X̄)ᵀβ₁ − Σ_{A=0} (X_i − X̄)ᵀβ₀], subtracted from U_L.
    var score: Double
    /// π(1 − π)(β₀ + β₁)ᵀ Cov(X)(β₀ + β₁), subtracted from σ_L².
    var variance: Double
  }

  /// Everything the statistics need, computed once: per distinct event time the numbers at risk
  /// and dying in each arm, and per subject the last event time at or before its own.
  struct Frame: Sendable {
    let n: Int
    let eventCount: Int
    let pi: Double
    let treated: [Bool]
    let events: [Bool]
    /// Covariate columns centred at the overall mean X̄.
    let centred: [[Double]]
    /// Cov(X), divisor n − 1, row-major p × p.
    let covariance: [Double]
    /// Per distinct event time k (ascending): at risk and events per arm.
    let atRisk1: [Double], atRisk0: [Double], deaths: [Double], deaths1: [Double]
    /// Per subject: the index k of the last distinct event time ≤ T_i, or −1.
    let lastEvent: [Int]

    init(
      times: [Double], events: [Bool], treated: [Bool], covariates: [[Double]]
    ) throws(CovariateAdjustedLogRankError) {
      let n = times.count
      if n == 0 { throw .noSubjects }
      if let i = times.firstIndex(where: { !$0.isFinite || $0 < 0 }) {
        throw .invalidInput("time of subject \(i + 1) is \(times[i]); times must be finite and >= 0")
      }
      for (j, column) in covariates.enumerated() {
        if let i = column.firstIndex(where: { !$0.isFinite }) {
          throw .invalidInput("covariate \(j + 1) of subject \(i + 1) is \(column[i]); covariates must be finite")
        }
      }
      let n1 = treated.reduce(0) { $0 + ($1 ? 1 : 0) }
      if n1 == 0 { throw .emptyArm(treated: true) }
      if n1 == n { throw .emptyArm(treated: false) }
      let eventCount = events.reduce(0) { $0 + ($1 ? 1 : 0) }
      if eventCount == 0 { throw .noEvents }

      // Overall centring and Cov(X) (R's `stats::cov`, divisor n − 1, as RobinCar2).
      let p = covariates.count
      var centred = covariates
      for j in 0..<p {
        let mean = covariates[j].reduce(0, +) / Double(n)
        var squares = 0.0
        var raw = 0.0
        for i in 0..<n {
          centred[j][i] -= mean
          squares += centred[j][i] * centred[j][i]
          raw += covariates[j][i] * covariates[j][i]
        }
        // Relative test: a constant column centres to rounding noise, not always to exact 0.
        if !(squares > 1e-12 * raw) { throw .constantCovariate(index: j) }
      }
      var covariance = [Double](repeating: 0, count: p * p)
      for a in 0..<p {
        for b in 0...a {
          var s = 0.0
          for i in 0..<n { s += centred[a][i] * centred[b][i] }
          covariance[a * p + b] = s / Double(n - 1)
          covariance[b * p + a] = covariance[a * p + b]
        }
      }

      // One sort; then walk tied-time groups upwards. At risk at a group = subjects from its
      // first sorted position on, so a suffix count of treated subjects gives both arms.
      let order = SortedOrder.byTime(times)
      var treatedFrom = [Int](repeating: 0, count: n + 1)
      for s in stride(from: n - 1, through: 0, by: -1) {
        treatedFrom[s] = treatedFrom[s + 1] + (treated[order[s]] ? 1 : 0)
      }
      var atRisk1: [Double] = []
      var atRisk0: [Double] = []
      var deaths: [Double] = []
      var deaths1: [Double] = []
      var lastEvent = [Int](repeating: -1, count: n)
      var start = 0
      while start < n {
        let t = times[order[start]]
        var end = start
        var d = 0
        var d1 = 0
        while end < n && times[order[end]] == t {
          if events[order[end]] {
            d += 1
            if treated[order[end]] { d1 += 1 }
          }
          end += 1
        }
        if d > 0 {
          let r1 = treatedFrom[start]
          atRisk1.append(Double(r1))
          atRisk0.append(Double(n - start - r1))
          deaths.append(Double(d))
          deaths1.append(Double(d1))
        }
        for s in start..<end { lastEvent[order[s]] = deaths.count - 1 }
        start = end
      }

      self.n = n
      self.eventCount = eventCount
      self.pi = Double(n1) / Double(n)
      self.treated = treated
      self.events = events
      self.centred = centred
      self.covariance = covariance
      self.atRisk1 = atRisk1
      self.atRisk0 = atRisk0
      self.deaths = deaths
      self.deaths1 = deaths1
      self.lastEvent = lastEvent
    }

    /// U_L(θ) and σ_L²(θ). With r_a the counts at risk, S = e^θ r₁ + r₀ = nȲ, so the 1/n of
    /// the Ȳ's cancels everywhere except the leading 1/n.
    func unadjusted(at theta: Double, tiesFactor: Bool) -> (score: Double, variance: Double) {
      let e = Foundation.exp(theta)
      var u = 0.0
      var v = 0.0
      for k in 0..<deaths.count {
        let r1 = atRisk1[k]
        let r0 = atRisk0[k]
        let d = deaths[k]
        let s = e * r1 + r0
        u += deaths1[k] - d * e * r1 / s
        // An arm with nobody at risk contributes no information (and would make c = 0/0).
        guard r1 > 0 && r0 > 0 else { continue }
        let c = tiesFactor && d > 1 ? (s - d) / (s - 1) : 1
        v += d * e * r1 * r0 * c / (s * s)
      }
      return (u / Double(n), v / Double(n))
    }

    /// The derived outcomes O_i at θ, in the subjects' original order.
    ///
    /// O_i = δ_i w_{A_i}(T_i) − Σ_{t_k ≤ T_i} w_{A_i}(t_k) y_{A_i} d_k/S_k with y₁ = e^θ, y₀ = 1
    /// (the dN term is non-zero only at the subject's own event time); the sum is a prefix sum.
    func derivedOutcomes(at theta: Double) -> [Double] {
      let e = Foundation.exp(theta)
      let K = deaths.count
      var w1 = [Double](repeating: 0, count: K)
      var w0 = w1
      var prefix1 = w1
      var prefix0 = w1
      var running1 = 0.0
      var running0 = 0.0
      for k in 0..<K {
        let s = e * atRisk1[k] + atRisk0[k]
        w1[k] = atRisk0[k] / s
        w0[k] = e * atRisk1[k] / s
        running1 += w1[k] * e * deaths[k] / s
        running0 += w0[k] * deaths[k] / s
        prefix1[k] = running1
        prefix0[k] = running0
      }
      var outcome = [Double](repeating: 0, count: n)
      for i in 0..<n {
        let k = lastEvent[i]
        guard k >= 0 else { continue }  // before the first event time: O_i = 0
        if treated[i] {
          outcome[i] = (events[i] ? w1[k] : 0) - prefix1[k]
        } else {
          outcome[i] = (events[i] ? w0[k] : 0) - prefix0[k]
        }
      }
      return outcome
    }

    /// The β's from the derived outcomes at θ̂, and the adjustment terms.
    func adjustment(at thetaHat: Double) throws(CovariateAdjustedLogRankError) -> Adjustment {
      let p = centred.count
      guard p > 0 else { return Adjustment(beta0: [], beta1: [], score: 0, variance: 0) }
      let outcome = derivedOutcomes(at: thetaHat)
      let beta1 = try slopes(outcome, arm: true)
      let beta0 = try slopes(outcome, arm: false)
      var score = 0.0
      for i in 0..<n {
        var fitted = 0.0
        if treated[i] {
          for j in 0..<p { fitted += centred[j][i] * beta1[j] }
          score += fitted
        } else {
          for j in 0..<p { fitted += centred[j][i] * beta0[j] }
          score -= fitted
        }
      }
      let sum = zip(beta0, beta1).map { $0 + $1 }
      var quadratic = 0.0
      for a in 0..<p {
        for b in 0..<p { quadratic += sum[a] * covariance[a * p + b] * sum[b] }
      }
      return Adjustment(beta0: beta0, beta1: beta1, score: score / Double(n), variance: pi * (1 - pi) * quadratic)
    }

    /// Least squares of O on X within one arm, X centred at the arm's own mean, no intercept
    /// (RobinCar2's `h_get_beta_estimates`: the slopes of a fit with an intercept).
    private func slopes(_ outcome: [Double], arm: Bool) throws(CovariateAdjustedLogRankError) -> [Double] {
      let p = centred.count
      var members: [Int] = []
      for i in 0..<n where treated[i] == arm { members.append(i) }
      let m = Double(members.count)
      // Centring at the arm mean: X̄ shifts cancel, so the overall-centred columns serve.
      var x = [[Double]](repeating: [], count: p)
      for j in 0..<p {
        let mean = members.reduce(0) { $0 + centred[j][$1] } / m
        x[j] = members.map { centred[j][$0] - mean }
      }
      var xtx = [Double](repeating: 0, count: p * p)
      var xty = [Double](repeating: 0, count: p)
      for a in 0..<p {
        for (r, i) in members.enumerated() { xty[a] += x[a][r] * outcome[i] }
        for b in 0...a {
          var s = 0.0
          for r in 0..<members.count { s += x[a][r] * x[b][r] }
          xtx[a * p + b] = s
          xtx[b * p + a] = s
        }
      }
      // Singularity is judged on the correlation scale, so that covariates measured on very
      // different scales (age in years beside a score near 0) are not mistaken for collinear.
      let scale = (0..<p).map { xtx[$0 * p + $0].squareRoot() }
      if scale.contains(where: { !($0 > 0) }) { throw .singularCovariates(treated: arm) }
      var correlation = xtx
      for a in 0..<p {
        for b in 0..<p { correlation[a * p + b] /= scale[a] * scale[b] }
      }
      let factorization = SymmetricFactorization(correlation, dimension: p, tolerance: 1e-10)
      if factorization.rank < p { throw .singularCovariates(treated: arm) }
      var beta = (0..<p).map { xty[$0] / scale[$0] }
      factorization.solve(&beta)
      return (0..<p).map { beta[$0] / scale[$0] }
    }

    func score(at theta: Double, adjustment: Adjustment, tiesFactor: Bool) -> Score {
      let (u, v) = unadjusted(at: theta, tiesFactor: tiesFactor)
      let adjustedVariance = v - adjustment.variance
      let nn = Double(n)
      return Score(
        logHazardRatio: theta, unadjusted: u, unadjustedVariance: v,
        adjusted: u - adjustment.score, adjustedVariance: adjustedVariance,
        standardError: (adjustedVariance / (v * v) / nn).squareRoot(),
        unadjustedStandardError: (1 / (nn * v)).squareRoot())
    }

    /// θ̂ and θ̂_CL, or nil when either score has no finite root.
    func estimate() throws(CovariateAdjustedLogRankError) -> Estimate? {
      guard let thetaHat = root(offset: 0) else { return nil }
      let adjustment = try adjustment(at: thetaHat)
      guard let thetaCL = root(offset: adjustment.score) else { return nil }
      let atEstimate = score(at: thetaCL, adjustment: adjustment, tiesFactor: false)
      let atUnadjusted = unadjusted(at: thetaHat, tiesFactor: false)
      return Estimate(
        logHazardRatio: thetaCL, standardError: atEstimate.standardError,
        unadjustedLogHazardRatio: thetaHat,
        unadjustedStandardError: (1 / (Double(n) * atUnadjusted.variance)).squareRoot(),
        score: atEstimate)
    }

    /// The θ where U_L(θ) = `offset`, by Brent's method, or nil when there is none.
    ///
    /// U_L decreases from (treated events while a control is at risk)/n as θ → −∞ to
    /// −(control events while a treated subject is at risk)/n as θ → +∞ (each limit from the
    /// summand's: e^θr₁/S → 1{r₀ = 0} or 1{r₁ > 0}). A finite root exists exactly when `offset`
    /// lies strictly between the limits, which is decided from the counts rather than from
    /// U_L at a large |θ|, where e^θr₁/S rounds to 0 or 1 and fakes a root.
    ///
    /// RobinCar2 brackets [−10, 10] and lets `uniroot` extend it, stopping at tol ≈ 1.2e-4 in θ;
    /// Brent here runs to 1e-12, so estimates agree with RobinCar2's as shipped to about 1e-4.
    func root(offset: Double) -> Double? {
      var below = 0.0
      var above = 0.0
      for k in 0..<deaths.count {
        if atRisk0[k] > 0 { below += deaths1[k] }
        if atRisk1[k] > 0 { above -= deaths[k] - deaths1[k] }
      }
      below /= Double(n)
      above /= Double(n)
      guard below > offset && offset > above else { return nil }
      let f = { (theta: Double) in unadjusted(at: theta, tiesFactor: false).score - offset }
      var half = 10.0
      while half <= 640 {
        let low = f(-half)
        let high = f(half)
        if low == 0 { return -half }
        if high == 0 { return half }
        if low > 0 && high < 0 {
          return try? RootFinder.brent(
            lower: -half, upper: half, absoluteTolerance: 1e-12, relativeTolerance: 1e-12, f)
        }
        half *= 2
      }
      return nil
    }
  }
}
