// Quadrature.swift — fixed-order Gauss–Legendre rules (GSL integration, glfixed) and the special
// functions the conjugate posteriors of the borrowing analyses need (beta CDF, log-gamma,
// digamma, trigamma).

@preconcurrency internal import CGSL

/// An n-point Gauss–Legendre rule on [−1, 1], mapped to any finite interval. Built once (the
/// nodes come from `gsl_integration_glfixed_table_alloc` and `gsl_integration_glfixed_point`) and
/// then used without touching GSL, so one rule can serve every replicate of a run.
public struct GaussLegendre: Sendable {
  /// Nodes on [−1, 1] and their weights.
  public let nodes: [Double]
  public let weights: [Double]

  public init(points n: Int) {
    precondition(n >= 1, "a Gauss–Legendre rule needs at least one point")
    _ = gslErrorHandlerDisabled
    let table = gsl_integration_glfixed_table_alloc(n)!
    defer { gsl_integration_glfixed_table_free(table) }
    var x = [Double](repeating: 0, count: n)
    var w = x
    for i in 0..<n {
      var xi = 0.0
      var wi = 0.0
      gsl_integration_glfixed_point(-1, 1, i, &xi, &wi, table)
      x[i] = xi
      w[i] = wi
    }
    nodes = x
    weights = w
  }

  /// ∫ f over [a, b].
  @inlinable
  public func integrate(from a: Double, to b: Double, _ f: (Double) -> Double) -> Double {
    let half = 0.5 * (b - a)
    let mid = 0.5 * (a + b)
    var sum = 0.0
    for i in nodes.indices { sum += weights[i] * f(mid + half * nodes[i]) }
    return sum * half
  }
}

/// The beta distribution's CDF, P(X ≤ x) for X ~ Beta(a, b): the regularized incomplete beta
/// function I_x(a, b). The corresponding GSL functions are `gsl_cdf_beta_P` and `gsl_cdf_beta_Q`.
public enum BetaDistribution {
  public static func cdf(_ x: Double, _ a: Double, _ b: Double) -> Double {
    _ = gslErrorHandlerDisabled
    return gsl_cdf_beta_P(x, a, b)
  }

  /// P(X > x), accurate when the CDF is near 1.
  public static func survival(_ x: Double, _ a: Double, _ b: Double) -> Double {
    _ = gslErrorHandlerDisabled
    return gsl_cdf_beta_Q(x, a, b)
  }
}

/// Special functions: log Γ, ψ (digamma) and ψ′ (trigamma). The corresponding GSL functions are
/// `gsl_sf_lngamma`, `gsl_sf_psi` and `gsl_sf_psi_1`.
public enum SpecialFunctions {
  public static func logGamma(_ x: Double) -> Double {
    _ = gslErrorHandlerDisabled
    return gsl_sf_lngamma(x)
  }

  public static func digamma(_ x: Double) -> Double {
    _ = gslErrorHandlerDisabled
    return gsl_sf_psi(x)
  }

  public static func trigamma(_ x: Double) -> Double {
    _ = gslErrorHandlerDisabled
    return gsl_sf_psi_1(x)
  }
}
