// CoxModel.swift — the Cox proportional-hazards model: options and fitted result.

import Foundation
import GSL

/// How tied event times enter the partial likelihood.
public enum TieMethod: String, Sendable, CaseIterable {
  /// Efron's approximation (R `coxph`'s default).
  case efron
  /// Breslow's approximation.
  case breslow
}

/// How a Newton–Raphson fit ended. Non-convergence is data, not an error (survival's `flag`).
public enum ConvergenceStatus: Sendable, Hashable {
  /// The relative change in log-likelihood fell below the tolerance after this many iterations.
  case converged(iterations: Int)
  /// The iteration limit was reached; the result holds the best point found.
  case maxIterationsReached(iterations: Int)
  /// No events: every coefficient is unidentifiable. Coefficients are 0, variances NaN.
  case noEvents

  public var isConverged: Bool {
    if case .converged = self { return true }
    return false
  }
}

/// A chi-square test: statistic, degrees of freedom and upper-tail p-value.
public struct ChiSquareTest: Sendable, Hashable {
  public var statistic: Double
  public var degreesOfFreedom: Int
  public var pValue: Double

  init(statistic: Double, degreesOfFreedom: Int) {
    self.statistic = statistic
    self.degreesOfFreedom = degreesOfFreedom
    self.pValue =
      degreesOfFreedom > 0 && statistic.isFinite
      ? ChiSquared(degreesOfFreedom: Double(degreesOfFreedom)).survival(max(statistic, 0)) : .nan
  }
}

/// Fits Cox proportional-hazards models by maximizing the partial likelihood.
///
/// Checked against R `survival::coxph` (3.5.3) on colon_os and veteran, and against the
/// hand-derived values for Therneau & Grambsch's data set 1, in `Tests/SurvivalAnalysisTests`.
public struct CoxModel: Sendable {
  /// Tie handling; Efron by default, as in R.
  public var ties: TieMethod = .efron
  /// Newton–Raphson iteration limit (R: `iter.max = 20`).
  public var maxIterations = 20
  /// Convergence when |1 − ℓ_old/ℓ_new| ≤ this (R: `eps = 1e-9`).
  public var tolerance = 1e-9
  /// A pivot below this × the largest diagonal of the information is treated as singular and its
  /// coefficient held at 0 (R: `toler.chol = .Machine$double.eps^0.75`).
  public var singularityTolerance = 1.818989403545856e-12
  /// Compute the robust (sandwich) variance from dfbeta residuals (R: `robust = TRUE`).
  public var robustVariance = false
  /// Starting coefficients (nil = all 0). The "null" log-likelihood and score test use these.
  public var initialCoefficients: [Double]? = nil

  public init(ties: TieMethod = .efron, robustVariance: Bool = false) {
    self.ties = ties
    self.robustVariance = robustVariance
  }
}

/// A fitted Cox model.
public struct CoxFit: Sendable {
  /// Estimated log hazard ratios, one per covariate (0 for a dropped, aliased covariate).
  public var coefficients: [Double]
  /// Model-based variance (inverse information), row-major p × p.
  public var variance: [Double]
  /// Robust (sandwich) variance, row-major p × p, when requested.
  public var robustVariance: [Double]?
  /// Log partial likelihood at the initial coefficients (0 unless given) and at the estimate.
  public var logLikelihoodInitial: Double
  public var logLikelihood: Double
  /// Score (log-rank for one binary covariate), Wald and likelihood-ratio tests of all β = initial.
  public var scoreTest: ChiSquareTest
  public var waldTest: ChiSquareTest
  public var likelihoodRatioTest: ChiSquareTest
  /// How the iteration ended.
  public var convergence: ConvergenceStatus
  /// Newton–Raphson iterations used.
  public var iterations: Int
  /// Covariates whose coefficient may be infinite (monotone likelihood, e.g. separation): the
  /// log-likelihood converged while the Newton step for them was still large (R's warning
  /// "Loglik converged before variable …").
  public var monotoneLikelihood: [Int]
  /// Covariates dropped as linearly dependent on others (coefficient reported as 0, R gives NA).
  public var aliased: [Int]
  /// Subjects and events used.
  public var subjectCount: Int
  public var eventCount: Int

  /// The number of covariates.
  public var covariateCount: Int { coefficients.count }

  /// Model-based standard errors.
  public var standardErrors: [Double] {
    (0..<covariateCount).map { variance[$0 * covariateCount + $0].squareRoot() }
  }

  /// Robust standard errors, when computed.
  public var robustStandardErrors: [Double]? {
    robustVariance.map { v in (0..<covariateCount).map { v[$0 * covariateCount + $0].squareRoot() } }
  }

  /// exp(β).
  public var hazardRatios: [Double] { coefficients.map { Foundation.exp($0) } }

  /// Wald confidence bounds for the hazard ratio of covariate `index`:
  /// exp(β ± z·SE), using the robust SE when `robust` is true; NaN when the fit has no standard
  /// error (no events, an aliased covariate), as R prints NA.
  public func hazardRatioBounds(_ index: Int, level: Double = 0.95, robust: Bool = false)
    -> (lower: Double, upper: Double)
  {
    let se = robust ? (robustStandardErrors?[index] ?? .nan) : standardErrors[index]
    let z = StandardNormal.quantile(0.5 + level / 2)
    let b = coefficients[index]
    let lo = Foundation.exp(b - z * se)
    let hi = Foundation.exp(b + z * se)
    return lo.isNaN || hi.isNaN ? (.nan, .nan) : (lo, hi)
  }

  /// Wald confidence interval for the hazard ratio of covariate `index`:
  /// exp(β ± z·SE), using the robust SE when `robust` is true.
  ///
  /// When the bounds are NaN (see ``hazardRatioBounds(_:level:robust:)``) the interval is
  /// 0...∞, which excludes nothing: a `ClosedRange` cannot hold NaN (`Double.nan...Double.nan`
  /// traps, which is how `compare-arms` on data without events used to crash).
  public func hazardRatioInterval(_ index: Int, level: Double = 0.95, robust: Bool = false) -> ClosedRange<Double> {
    let (lo, hi) = hazardRatioBounds(index, level: level, robust: robust)
    return lo.isNaN || hi.isNaN ? 0...Double.infinity : lo...hi
  }

  /// Two-sided Wald p-value for covariate `index`.
  public func waldPValue(_ index: Int, robust: Bool = false) -> Double {
    let se = robust ? (robustStandardErrors?[index] ?? .nan) : standardErrors[index]
    return 2 * StandardNormal.survival(abs(coefficients[index] / se))
  }
}
