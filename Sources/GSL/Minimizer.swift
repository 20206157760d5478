// Minimizer.swift — multidimensional minimization (GSL multimin): BFGS2 and Nelder–Mead.
//
// Swift closures cannot be C function pointers when they capture, so the objective travels to
// GSL's callbacks through the `params` pointer as an unretained box that lives for the duration
// of the call (the closure is non-escaping; `withoutActuallyEscaping` makes that explicit).

@preconcurrency internal import CGSL

/// How a minimization ended.
public enum MinimizationStatus: Sendable, Hashable {
  /// The gradient norm (BFGS2) or simplex size (Nelder–Mead) fell below the tolerance.
  case converged
  /// The iteration limit was reached first.
  case maxIterationsReached
  /// GSL could not make progress (e.g. `GSL_ENOPROG` from the line search, or a non-finite
  /// objective); the result holds the best point found.
  case noProgress(GSLError)
}

/// The outcome of ``Minimizer``: data, not an error, so callers record non-convergence.
public struct MinimizationResult: Sendable {
  public var minimizer: [Double]
  public var value: Double
  public var iterations: Int
  public var status: MinimizationStatus
  public var converged: Bool { status == .converged }
}

/// Objective with gradient: returns f(x) and, when `gradient` is non-nil, writes ∇f(x) into it.
public typealias ObjectiveWithGradient =
  (_ x: UnsafeBufferPointer<Double>, _ gradient: UnsafeMutableBufferPointer<Double>?) -> Double

private final class ObjectiveBox {
  let dimension: Int
  let withGradient: ObjectiveWithGradient?
  let valueOnly: (([Double]) -> Double)?
  var scratchX: [Double]
  var scratchGradient: [Double]
  init(dimension: Int, withGradient: ObjectiveWithGradient?, valueOnly: (([Double]) -> Double)?) {
    self.dimension = dimension
    self.withGradient = withGradient
    self.valueOnly = valueOnly
    scratchX = [Double](repeating: 0, count: dimension)
    scratchGradient = [Double](repeating: 0, count: dimension)
  }

  func load(_ v: UnsafePointer<gsl_vector>) {
    for i in 0..<dimension { scratchX[i] = gsl_vector_get(v, i) }
  }

  func evaluate(_ v: UnsafePointer<gsl_vector>, gradient g: UnsafeMutablePointer<gsl_vector>?) -> Double {
    load(v)
    if let valueOnly { return valueOnly(scratchX) }
    guard let withGradient else { return .nan }
    let value = scratchX.withUnsafeBufferPointer { x in
      if g == nil { return withGradient(x, nil) }
      return scratchGradient.withUnsafeMutableBufferPointer { withGradient(x, $0) }
    }
    if let g { for i in 0..<dimension { gsl_vector_set(g, i, scratchGradient[i]) } }
    return value
  }
}

private func box(_ params: UnsafeMutableRawPointer?) -> ObjectiveBox {
  Unmanaged<ObjectiveBox>.fromOpaque(params!).takeUnretainedValue()
}

private let callbackF: @convention(c) (UnsafePointer<gsl_vector>?, UnsafeMutableRawPointer?) -> Double = {
  x, params in box(params).evaluate(x!, gradient: nil)
}
private let callbackDF: @convention(c) (UnsafePointer<gsl_vector>?, UnsafeMutableRawPointer?, UnsafeMutablePointer<gsl_vector>?) -> Void = {
  x, params, g in _ = box(params).evaluate(x!, gradient: g)
}
private let callbackFDF:
  @convention(c) (UnsafePointer<gsl_vector>?, UnsafeMutableRawPointer?, UnsafeMutablePointer<double_t>?, UnsafeMutablePointer<gsl_vector>?)
    -> Void = {
      x, params, f, g in f!.pointee = box(params).evaluate(x!, gradient: g)
    }

/// Unconstrained minimization with GSL's multimin.
public enum Minimizer {
  /// Minimizes a smooth function with its analytic gradient by BFGS (Fletcher's `bfgs2`).
  ///
  /// - Parameters:
  ///   - start: the starting point.
  ///   - initialStep: size of the first trial step (GSL's `step_size`).
  ///   - lineSearchTolerance: GSL's `tol` for the line minimizations (0.1 is GSL's advice).
  ///   - gradientTolerance: stop when ‖∇f‖ < this (`gsl_multimin_test_gradient`).
  ///   - maxIterations: iteration limit.
  /// - Returns: the best point, with a status; throws only if GSL cannot even start.
  ///
  /// The corresponding GSL functions are `gsl_multimin_fdfminimizer_alloc(gsl_multimin_fdfminimizer_vector_bfgs2)`,
  /// `_set`, `_iterate` and `gsl_multimin_test_gradient`.
  public static func minimizeBFGS(
    start: [Double], initialStep: Double = 0.01, lineSearchTolerance: Double = 0.1,
    gradientTolerance: Double = 1e-8, maxIterations: Int = 500,
    objective: ObjectiveWithGradient
  ) throws(GSLError) -> MinimizationResult {
    _ = gslErrorHandlerDisabled
    let n = start.count
    precondition(n >= 1, "minimizeBFGS needs at least one parameter")
    let result: Result<MinimizationResult, GSLError> = withoutActuallyEscaping(objective) { escapable in
      let context = ObjectiveBox(dimension: n, withGradient: escapable, valueOnly: nil)
      let params = Unmanaged.passUnretained(context).toOpaque()
      let s = gsl_multimin_fdfminimizer_alloc(gsl_multimin_fdfminimizer_vector_bfgs2, n)!
      let x0 = gsl_vector_alloc(n)!
      defer {
        gsl_multimin_fdfminimizer_free(s)
        gsl_vector_free(x0)
      }
      for i in 0..<n { gsl_vector_set(x0, i, start[i]) }
      var function = gsl_multimin_function_fdf(f: callbackF, df: callbackDF, fdf: callbackFDF, n: n, params: params)
      let setStatus = gsl_multimin_fdfminimizer_set(s, &function, x0, initialStep, lineSearchTolerance)
      guard setStatus == 0 else {
        return .failure(GSLError(code: setStatus, routine: "gsl_multimin_fdfminimizer_set"))
      }
      var status = MinimizationStatus.maxIterationsReached
      var iterations = 0
      while iterations < maxIterations {
        iterations += 1
        let step = gsl_multimin_fdfminimizer_iterate(s)
        if gsl_multimin_test_gradient(s.pointee.gradient, gradientTolerance) == 0 {
          status = .converged
          break
        }
        if step != 0 {
          status = .noProgress(GSLError(code: step, routine: "gsl_multimin_fdfminimizer_iterate"))
          break
        }
      }
      let x = (0..<n).map { gsl_vector_get(s.pointee.x, $0) }
      return .success(MinimizationResult(minimizer: x, value: s.pointee.f, iterations: iterations, status: status))
    }
    return try result.get()
  }

  /// Minimizes a function without derivatives by the Nelder–Mead simplex (`nmsimplex2`).
  ///
  /// Stops when the simplex's characteristic size falls below `sizeTolerance`.
  /// The corresponding GSL functions are `gsl_multimin_fminimizer_alloc(gsl_multimin_fminimizer_nmsimplex2)`,
  /// `_set`, `_iterate`, `_size` and `gsl_multimin_test_size`.
  public static func minimizeNelderMead(
    start: [Double], stepSizes: [Double]? = nil, sizeTolerance: Double = 1e-8,
    maxIterations: Int = 5_000, objective: ([Double]) -> Double
  ) throws(GSLError) -> MinimizationResult {
    _ = gslErrorHandlerDisabled
    let n = start.count
    precondition(n >= 1, "minimizeNelderMead needs at least one parameter")
    let steps = stepSizes ?? [Double](repeating: 0.1, count: n)
    precondition(steps.count == n, "stepSizes.count (\(steps.count)) != start.count (\(n))")
    let result: Result<MinimizationResult, GSLError> = withoutActuallyEscaping(objective) { escapable in
      let context = ObjectiveBox(dimension: n, withGradient: nil, valueOnly: escapable)
      let params = Unmanaged.passUnretained(context).toOpaque()
      let s = gsl_multimin_fminimizer_alloc(gsl_multimin_fminimizer_nmsimplex2, n)!
      let x0 = gsl_vector_alloc(n)!
      let step = gsl_vector_alloc(n)!
      defer {
        gsl_multimin_fminimizer_free(s)
        gsl_vector_free(x0)
        gsl_vector_free(step)
      }
      for i in 0..<n {
        gsl_vector_set(x0, i, start[i])
        gsl_vector_set(step, i, steps[i])
      }
      var function = gsl_multimin_function(f: callbackF, n: n, params: params)
      let setStatus = gsl_multimin_fminimizer_set(s, &function, x0, step)
      guard setStatus == 0 else {
        return .failure(GSLError(code: setStatus, routine: "gsl_multimin_fminimizer_set"))
      }
      var status = MinimizationStatus.maxIterationsReached
      var iterations = 0
      while iterations < maxIterations {
        iterations += 1
        let code = gsl_multimin_fminimizer_iterate(s)
        if code != 0 {
          status = .noProgress(GSLError(code: code, routine: "gsl_multimin_fminimizer_iterate"))
          break
        }
        if gsl_multimin_test_size(gsl_multimin_fminimizer_size(s), sizeTolerance) == 0 {
          status = .converged
          break
        }
      }
      let x = (0..<n).map { gsl_vector_get(s.pointee.x, $0) }
      return .success(MinimizationResult(minimizer: x, value: s.pointee.fval, iterations: iterations, status: status))
    }
    return try result.get()
  }
}
