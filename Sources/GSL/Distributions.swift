// Distributions.swift — CDFs and quantiles used for tests, confidence intervals and design.

@preconcurrency internal import CGSL

/// The standard normal distribution N(0, 1).
public enum StandardNormal {
  /// P(Z ≤ x). The corresponding GSL function is `gsl_cdf_ugaussian_P`.
  public static func cdf(_ x: Double) -> Double { gsl_cdf_ugaussian_P(x) }
  /// P(Z > x), accurate in the upper tail. The corresponding GSL function is `gsl_cdf_ugaussian_Q`.
  public static func survival(_ x: Double) -> Double { gsl_cdf_ugaussian_Q(x) }
  /// The x with P(Z ≤ x) = p. The corresponding GSL function is `gsl_cdf_ugaussian_Pinv`.
  public static func quantile(_ p: Double) -> Double { gsl_cdf_ugaussian_Pinv(p) }
}

/// The chi-square distribution with `degreesOfFreedom` (> 0) degrees of freedom.
public struct ChiSquared: Sendable {
  public let degreesOfFreedom: Double
  public init(degreesOfFreedom: Double) {
    precondition(degreesOfFreedom > 0, "chi-square degrees of freedom must be > 0")
    self.degreesOfFreedom = degreesOfFreedom
  }
  /// P(X ≤ x). The corresponding GSL function is `gsl_cdf_chisq_P`.
  public func cdf(_ x: Double) -> Double { gsl_cdf_chisq_P(x, degreesOfFreedom) }
  /// P(X > x), the p-value of a chi-square statistic. The corresponding GSL function is
  /// `gsl_cdf_chisq_Q`.
  public func survival(_ x: Double) -> Double { gsl_cdf_chisq_Q(x, degreesOfFreedom) }
  /// The x with P(X ≤ x) = p. The corresponding GSL function is `gsl_cdf_chisq_Pinv`.
  public func quantile(_ p: Double) -> Double { gsl_cdf_chisq_Pinv(p, degreesOfFreedom) }
}

/// Student's t distribution with `degreesOfFreedom` (> 0) degrees of freedom.
public struct StudentT: Sendable {
  public let degreesOfFreedom: Double
  public init(degreesOfFreedom: Double) {
    precondition(degreesOfFreedom > 0, "t degrees of freedom must be > 0")
    self.degreesOfFreedom = degreesOfFreedom
  }
  /// P(T ≤ x). The corresponding GSL function is `gsl_cdf_tdist_P`.
  public func cdf(_ x: Double) -> Double { gsl_cdf_tdist_P(x, degreesOfFreedom) }
  /// P(T > x). The corresponding GSL function is `gsl_cdf_tdist_Q`.
  public func survival(_ x: Double) -> Double { gsl_cdf_tdist_Q(x, degreesOfFreedom) }
  /// The x with P(T ≤ x) = p. The corresponding GSL function is `gsl_cdf_tdist_Pinv`.
  public func quantile(_ p: Double) -> Double { gsl_cdf_tdist_Pinv(p, degreesOfFreedom) }
}
