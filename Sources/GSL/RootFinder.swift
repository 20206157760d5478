// RootFinder.swift — bracketed one-dimensional root finding and minimization (GSL roots and min,
// Brent's method).

@preconcurrency internal import CGSL

private final class FunctionBox {
  let f: (Double) -> Double
  init(_ f: @escaping (Double) -> Double) { self.f = f }
}

private let rootCallback: @convention(c) (Double, UnsafeMutableRawPointer?) -> Double = { x, params in
  Unmanaged<FunctionBox>.fromOpaque(params!).takeUnretainedValue().f(x)
}

/// One-dimensional root finding.
public enum RootFinder {
  /// Finds x in `[lower, upper]` with f(x) = 0 by Brent's method. f(lower) and f(upper) must have
  /// opposite signs (otherwise GSL reports `GSL_EINVAL`, thrown as ``GSLError``).
  ///
  /// Stops when the bracket satisfies |a − b| < `absoluteTolerance` + `relativeTolerance`·min(|a|,|b|)
  /// (`gsl_root_test_interval`); throws `GSL_EMAXITER` (11) if `maxIterations` pass first.
  ///
  /// The corresponding GSL functions are `gsl_root_fsolver_alloc(gsl_root_fsolver_brent)`,
  /// `_set`, `_iterate`, `_root` and `gsl_root_test_interval`.
  public static func brent(
    lower: Double, upper: Double, absoluteTolerance: Double = 1e-12,
    relativeTolerance: Double = 1e-12, maxIterations: Int = 200,
    _ f: (Double) -> Double
  ) throws(GSLError) -> Double {
    _ = gslErrorHandlerDisabled
    let result: Result<Double, GSLError> = withoutActuallyEscaping(f) { escapable in
      let context = FunctionBox(escapable)
      let solver = gsl_root_fsolver_alloc(gsl_root_fsolver_brent)!
      defer { gsl_root_fsolver_free(solver) }
      var function = gsl_function(function: rootCallback, params: Unmanaged.passUnretained(context).toOpaque())
      do throws(GSLError) {
        try check(gsl_root_fsolver_set(solver, &function, lower, upper), "gsl_root_fsolver_set")
        for _ in 0..<maxIterations {
          try check(gsl_root_fsolver_iterate(solver), "gsl_root_fsolver_iterate")
          let a = gsl_root_fsolver_x_lower(solver)
          let b = gsl_root_fsolver_x_upper(solver)
          if gsl_root_test_interval(a, b, absoluteTolerance, relativeTolerance) == 0 {
            return .success(gsl_root_fsolver_root(solver))
          }
        }
        return .failure(GSLError(code: 11, routine: "gsl_root_fsolver_iterate"))  // GSL_EMAXITER
      } catch {
        return .failure(error)
      }
    }
    return try result.get()
  }
}

/// One-dimensional minimization on a bracket (GSL min, Brent's method).
public enum LineMinimizer {
  /// The x in `[lower, upper]` minimizing f, by Brent's method from the bracket
  /// (lower, guess, upper), which needs f(guess) < f(lower) and f(guess) < f(upper) (otherwise
  /// GSL reports `GSL_EINVAL`, thrown). Stops when the bracket is narrower than
  /// `absoluteTolerance` + `relativeTolerance`·|x| (`gsl_min_test_interval`).
  ///
  /// The corresponding GSL functions are `gsl_min_fminimizer_alloc(gsl_min_fminimizer_brent)`,
  /// `_set`, `_iterate`, `_x_minimum` and `gsl_min_test_interval`.
  public static func brent(
    lower: Double, guess: Double, upper: Double, absoluteTolerance: Double = 1e-10,
    relativeTolerance: Double = 1e-10, maxIterations: Int = 200, _ f: (Double) -> Double
  ) throws(GSLError) -> Double {
    _ = gslErrorHandlerDisabled
    let result: Result<Double, GSLError> = withoutActuallyEscaping(f) { escapable in
      let context = FunctionBox(escapable)
      let solver = gsl_min_fminimizer_alloc(gsl_min_fminimizer_brent)!
      defer { gsl_min_fminimizer_free(solver) }
      var function = gsl_function(function: rootCallback, params: Unmanaged.passUnretained(context).toOpaque())
      do throws(GSLError) {
        try check(gsl_min_fminimizer_set(solver, &function, guess, lower, upper), "gsl_min_fminimizer_set")
        for _ in 0..<maxIterations {
          try check(gsl_min_fminimizer_iterate(solver), "gsl_min_fminimizer_iterate")
          let a = gsl_min_fminimizer_x_lower(solver)
          let b = gsl_min_fminimizer_x_upper(solver)
          if gsl_min_test_interval(a, b, absoluteTolerance, relativeTolerance) == 0 {
            return .success(gsl_min_fminimizer_x_minimum(solver))
          }
        }
        return .failure(GSLError(code: 11, routine: "gsl_min_fminimizer_iterate"))  // GSL_EMAXITER
      } catch {
        return .failure(error)
      }
    }
    return try result.get()
  }
}
