// WeibullRegression.swift — Weibull proportional-hazards regression by maximum likelihood.
//
// Parametrization (documented because Weibull code fails silently when it is mixed up):
//
//   fitted on the log-time scale, as R `survreg(dist = "weibull")`:
//     log T = μ + xᵀα + σ W,   W ~ standard minimum extreme value,   σ = exp(log σ)
//   equivalently, in proportional-hazards form (what SynthArm uses to simulate):
//     S(t | x) = exp(−(t/λ)^k · exp(xᵀβ)),   h(t | x) = (k/λ)(t/λ)^(k−1) exp(xᵀβ)
//     shape k = 1/σ,   scale λ = exp(μ),   β = −α/σ   (log hazard ratios)
//   R: survreg's `coef` = (μ, α), `scale` = σ; rweibull(shape = k, scale = λ·exp(−xᵀβ/k));
//   GSL: gsl_ran_weibull(r, a = scale, b = shape).
//
// Log-likelihood on the time scale (survreg's, including the −log t Jacobian), z = (log t − η)/σ:
//   event:    −log σ + z − eᶻ − log t        censored:  −eᶻ
// Gradient with respect to η = μ + xᵀα and s = log σ:
//   ∂ℓ/∂η = (eᶻ − δ)/σ,   ∂ℓ/∂s = −δ + z(eᶻ − δ)
// Observed information from the analytic second derivatives:
//   ∂²ℓ/∂η² = −eᶻ/σ²,   ∂²ℓ/∂η∂s = (δ − eᶻ − z eᶻ)/σ,   ∂²ℓ/∂s² = −z(eᶻ − δ) − z² eᶻ
// Standard errors of (μ, α, log σ) come from its inverse; those of (log λ, β, k) by the delta method.

import Foundation
import GSL

/// A fitted Weibull proportional-hazards model.
public struct WeibullFit: Sendable {
  /// survreg's parameters: intercept μ, log-time coefficients α, and log σ (in that order).
  public let survregParameters: [Double]
  /// Covariance of `survregParameters` (row-major), the inverse observed information.
  public var survregVariance: [Double]
  public var logLikelihood: Double
  /// Whether the shape was held fixed (shape 1 = exponential regression).
  public var fixedShape: Double?
  /// BFGS2 iterations (0 when Newton alone converged).
  public var iterations: Int
  public var converged: Bool
  public var subjectCount: Int
  public var eventCount: Int

  var p: Int { survregParameters.count - 2 }

  /// Shape k = 1/σ (stored: every simulated event time reads it).
  public let shape: Double
  /// Baseline scale λ = exp(μ) (the scale at x = 0).
  public let scale: Double

  init(
    survregParameters: [Double], survregVariance: [Double], logLikelihood: Double, fixedShape: Double?, iterations: Int,
    converged: Bool, subjectCount: Int, eventCount: Int
  ) {
    self.survregParameters = survregParameters
    self.survregVariance = survregVariance
    self.logLikelihood = logLikelihood
    self.fixedShape = fixedShape
    self.iterations = iterations
    self.converged = converged
    self.subjectCount = subjectCount
    self.eventCount = eventCount
    shape = Foundation.exp(-survregParameters[survregParameters.count - 1])
    scale = Foundation.exp(survregParameters[0])
  }
  /// Log hazard ratios β = −α/σ.
  public var coefficients: [Double] { (0..<p).map { -survregParameters[1 + $0] * shape } }

  /// Standard error of the shape (delta method: SE(k) = k · SE(log σ)); 0 when fixed.
  public var shapeStandardError: Double {
    fixedShape != nil ? 0 : shape * survregVariance[(p + 1) * (p + 2) + p + 1].squareRoot()
  }
  /// Standard error of the scale (delta method: SE(λ) = λ · SE(μ)).
  public var scaleStandardError: Double { scale * survregVariance[0].squareRoot() }
  /// Standard errors of the log hazard ratios (delta method on β = −α·exp(−s)).
  public var coefficientStandardErrors: [Double] {
    let m = p + 2
    let k = shape
    return (0..<p).map { j in
      let a = survregParameters[1 + j]
      // ∇β_j = (−k on α_j, +a·k on log σ).
      let gA = -k
      let gS = fixedShape != nil ? 0 : a * k
      let vAA = survregVariance[(1 + j) * m + 1 + j]
      let vAS = survregVariance[(1 + j) * m + p + 1]
      let vSS = survregVariance[(p + 1) * m + p + 1]
      return (gA * gA * vAA + 2 * gA * gS * vAS + gS * gS * vSS).squareRoot()
    }
  }

  /// S(t | x).
  public func survival(at t: Double, covariates x: [Double] = []) -> Double {
    Foundation.exp(-cumulativeHazard(at: t, covariates: x))
  }

  /// H(t | x) = (t/λ)^k exp(xᵀβ).
  public func cumulativeHazard(at t: Double, covariates x: [Double] = []) -> Double {
    Foundation.pow(t / scale, shape) * Foundation.exp(linearPredictor(x))
  }

  /// The time t with S(t | x) = s: λ (−log s · exp(−xᵀβ))^(1/k). With s ~ U(0,1) this draws T.
  public func quantile(survival s: Double, covariates x: [Double] = []) -> Double {
    scale * Foundation.pow(-Foundation.log(s) * Foundation.exp(-linearPredictor(x)), 1 / shape)
  }

  func linearPredictor(_ x: [Double]) -> Double {
    precondition(x.count == p || (x.isEmpty && p == 0), "expected \(p) covariates, got \(x.count)")
    let k = shape  // β_j = −α_j·k, summed without building the coefficient array
    var eta = 0.0
    for j in 0..<p { eta -= survregParameters[1 + j] * x[j] }
    return eta * k
  }
}

/// Weibull PH regression with right censoring, by maximum likelihood (GSL BFGS2, analytic gradient).
///
/// Checked in `WeibullRegressionTests.swift`: the exponential special case against the closed
/// form (rate = events / total time), and a seeded simulation that recovers shape, scale and β.
public enum WeibullRegression {
  /// Fits the model. With `fixedShape`, the shape is held there (1 = exponential regression).
  ///
  /// - Throws: ``SurvivalError/noEvents`` when nothing happened (the scale is not estimable),
  ///   `.invalidInput` for times ≤ 0 (log t is needed) or weights/strata/offsets, which are
  ///   not supported here.
  /// - Parameters:
  ///   - useBFGS: start with GSL's BFGS2 instead of Newton (normally only the fallback).
  ///   - start: survreg parameters (μ, α₁…α_p, log σ) to start Newton from, e.g. the fit to the
  ///     full data when fitting a bootstrap resample; the MLE is the same, it is found in a few
  ///     steps instead of through the BFGS fallback. Ignored when its length does not match.
  ///   - variance: false skips the covariance (`survregVariance` is then all NaN): a bootstrap
  ///     refit that only draws event times needs the estimates alone, and the final observed
  ///     information is a quarter of its cost.
  public static func fit(
    _ data: SurvivalData, fixedShape: Double? = nil, useBFGS: Bool = false,
    start warmStart: [Double]? = nil, variance computeVariance: Bool = true
  ) throws(SurvivalError) -> WeibullFit {
    try data.validate()
    if data.weights != nil || data.strata != nil || data.offsets != nil {
      throw .invalidInput("Weibull regression does not support weights, strata or offsets")
    }
    if let i = data.times.firstIndex(where: { $0 <= 0 }) {
      throw .invalidInput("time of subject \(i + 1) is \(data.times[i]); a Weibull model needs times > 0")
    }
    if let fixedShape, !(fixedShape > 0 && fixedShape.isFinite) {
      throw .invalidInput("fixed shape must be a positive number, got \(fixedShape)")
    }
    let n = data.count
    let p = data.covariateCount
    let events = data.eventCount
    guard events > 0 else { throw .noEvents }
    let y = data.times.map { Foundation.log($0) }
    let delta = data.events.map { $0 ? 1.0 : 0.0 }
    let sumLogT = zip(y, delta).reduce(0) { $0 + $1.0 * $1.1 }
    let fixedLogSigma = fixedShape.map { -Foundation.log($0) }

    // Centre covariates for the optimizer (μ is then the log-scale at the mean); undone below.
    let means = data.covariates.map { $0.reduce(0, +) / Double(n) }
    // Row-major and flat (x[i * p + j]): the likelihood loops read it n·p times per evaluation,
    // and nested arrays cost a retain/release per access inside the closures.
    var x = [Double](repeating: 0, count: n * p)
    for j in 0..<p { for i in 0..<n { x[i * p + j] = data.covariates[j][i] - means[j] } }
    // The same centred covariates column-major (columns[j * n + i]) for the information, which
    // is a sum of weighted cross-products of columns: contiguous dot products.
    var columns = [Double](repeating: 0, count: n * p)
    for j in 0..<p { for i in 0..<n { columns[j * n + i] = x[i * p + j] } }

    // Negative log-likelihood and gradient in θ = (μ, α₁…α_p, log σ).
    let m = p + 2
    func negLogLik(_ theta: UnsafeBufferPointer<Double>, _ gradient: UnsafeMutableBufferPointer<Double>?) -> Double {
      let s = fixedLogSigma ?? theta[m - 1]
      let sigma = Foundation.exp(s)
      var ll = -Double(events) * s - sumLogT
      if let gradient { for j in 0..<m { gradient[j] = 0 } }
      for i in 0..<n {
        var eta = theta[0]
        for j in 0..<p { eta += theta[1 + j] * x[i * p + j] }
        let z = (y[i] - eta) / sigma
        let ez = Foundation.exp(z)
        ll += delta[i] * z - ez
        if let gradient {
          let dEta = (ez - delta[i]) / sigma  // ∂ℓ/∂η
          gradient[0] -= dEta
          for j in 0..<p { gradient[1 + j] -= dEta * x[i * p + j] }
          if fixedLogSigma == nil { gradient[m - 1] -= z * (ez - delta[i]) }
        }
      }
      if let gradient, fixedLogSigma == nil { gradient[m - 1] += Double(events) }
      return ll.isFinite ? -ll : .greatestFiniteMagnitude
    }

    // Start from the exponential fit without covariates: μ = log(Σt / D).
    var start = [Double](repeating: 0, count: m)
    start[0] = Foundation.log(data.times.reduce(0, +) / Double(events))
    start[m - 1] = fixedLogSigma ?? 0
    var theta = start
    if let warmStart, warmStart.count == m, warmStart.allSatisfy(\.isFinite) {
      // survreg parameters are for raw covariates; θ is for centred ones: μ_c = μ + Σ α_j x̄_j.
      theta = warmStart
      for j in 0..<p { theta[0] += warmStart[1 + j] * means[j] }
      if let fixedLogSigma { theta[m - 1] = fixedLogSigma }
    }

    // Observed information (analytic second derivatives) at θ. With per-patient weights
    // w = −∂²ℓ/∂η², u = −∂²ℓ/∂η∂log σ and the design d = (1, x), the η block is Σ w d dᵀ, the
    // mixed column Σ u d and the corner −Σ ∂²ℓ/∂(log σ)²: one pass for the weights, then each
    // entry as a dot product of contiguous columns (`WeightedCrossProducts`, four SIMD partial
    // sums), instead of a rank-one update per patient (it was a quarter of a bootstrap refit).
    var weights = [Double](repeating: 0, count: 2 * n)
    var scratch = [Double](repeating: 0, count: n)
    func information(_ theta: [Double]) -> [Double] {
      var info = [Double](repeating: 0, count: m * m)
      let sigma = Foundation.exp(theta[m - 1])
      var corner = 0.0
      weights.withUnsafeMutableBufferPointer { w in
        x.withUnsafeBufferPointer { x in
          for i in 0..<n {
            var eta = theta[0]
            for j in 0..<p { eta += theta[1 + j] * x[i * p + j] }
            let z = (y[i] - eta) / sigma
            let ez = Foundation.exp(z)
            w[i] = ez / (sigma * sigma)
            w[n + i] = -(delta[i] - ez - z * ez) / sigma
            corner += z * (ez - delta[i]) + z * z * ez
          }
        }
      }
      info.withUnsafeMutableBufferPointer { info in
        weights.withUnsafeBufferPointer { w in
          columns.withUnsafeBufferPointer { columns in
            scratch.withUnsafeMutableBufferPointer { scratch in
              let products = WeightedCrossProducts(
                count: n, columns: columns.baseAddress!, weights: w.baseAddress!, mixed: w.baseAddress! + n)
              products.fill(info.baseAddress!, covariates: p, scratch: scratch.baseAddress!)
            }
          }
        }
      }
      info[(m - 1) * m + m - 1] = corner
      for a in 0..<m { for b in 0..<a { info[a * m + b] = info[b * m + a] } }
      return info
    }

    // Newton–Raphson with the analytic information and step halving, from the exponential start.
    // GSL's BFGS2 (analytic gradient) is the fallback when Newton cannot make progress (an
    // information matrix that is not positive definite far from the optimum), or when forced:
    // it brings θ into Newton's basin, and Newton then settles the MLE to full precision.
    let k = fixedLogSigma == nil ? m : m - 1
    func newton(_ theta: inout [Double], maxSteps: Int) -> Bool {
      var gradient = [Double](repeating: 0, count: m)
      var value = theta.withUnsafeBufferPointer { t in gradient.withUnsafeMutableBufferPointer { negLogLik(t, $0) } }
      for _ in 0..<maxSteps {
        let info = information(theta)
        let sub = (0..<(k * k)).map { info[($0 / k) * m + $0 % k] }
        guard let step = try? CholeskyFactorization(rowMajor: sub, dimension: k).solve(Array(gradient.prefix(k)).map { -$0 })
        else { return false }
        var scale = 1.0
        var moved = false
        var change = Double.infinity
        for _ in 0..<30 {
          var trial = theta
          for a in 0..<k { trial[a] += scale * step[a] }
          var trialGradient = gradient
          let trialValue = trial.withUnsafeBufferPointer { t in trialGradient.withUnsafeMutableBufferPointer { negLogLik(t, $0) } }
          if trialValue <= value + 1e-12 * abs(value) {
            change = scale == 1 ? abs(value - trialValue) : .infinity
            theta = trial
            value = trialValue
            gradient = trialGradient
            moved = true
            break
          }
          scale /= 2
        }
        if step.allSatisfy({ abs($0) < 1e-10 }) { return true }
        // A full Newton step that changed the log-likelihood by less than 1e-13 relative: at the
        // optimum to working precision (survreg stops at 1e-9), though a parameter's step may
        // still exceed 1e-10 on a flat ridge.
        if change <= 1e-13 * max(abs(value), 1) { return true }
        if !moved { return false }
      }
      return false
    }
    var iterations = 0
    var converged = !useBFGS && newton(&theta, maxSteps: 50)
    if !converged {
      let result: MinimizationResult
      do {
        result = try Minimizer.minimizeBFGS(
          start: start, initialStep: 0.1, gradientTolerance: 1e-3 * Double(n),
          maxIterations: 200, objective: negLogLik)
      } catch {
        throw .invalidInput("the optimizer could not start: \(error)")
      }
      iterations = result.iterations
      theta = result.minimizer
      if let fixedLogSigma { theta[m - 1] = fixedLogSigma }
      converged = newton(&theta, maxSteps: 20)
    }
    // Undo the centring: μ_raw = μ_c − Σ α_j x̄_j; Var via the linear map J.
    var raw = theta
    for j in 0..<p { raw[0] -= theta[1 + j] * means[j] }
    var rawVariance = [Double](repeating: .nan, count: m * m)
    if computeVariance {
      let variance = invert(information(theta), dimension: m, fixedLast: fixedLogSigma != nil)
      var jacobian = [Double](repeating: 0, count: m * m)
      for a in 0..<m { jacobian[a * m + a] = 1 }
      for j in 0..<p { jacobian[0 * m + 1 + j] = -means[j] }
      rawVariance = sandwich(jacobian, variance, m)
    }

    var logLik = 0.0
    theta.withUnsafeBufferPointer { logLik = -negLogLik($0, nil) }
    return WeibullFit(
      survregParameters: raw, survregVariance: rawVariance, logLikelihood: logLik, fixedShape: fixedShape,
      iterations: iterations, converged: converged, subjectCount: n, eventCount: events)
  }

  /// Inverse of the information; with a fixed shape the last row/column is excluded (variance 0).
  private static func invert(_ info: [Double], dimension m: Int, fixedLast: Bool) -> [Double] {
    let k = fixedLast ? m - 1 : m
    let sub = (0..<(k * k)).map { info[($0 / k) * m + $0 % k] }
    var out = [Double](repeating: 0, count: m * m)
    guard let inverse = try? CholeskyFactorization(rowMajor: sub, dimension: k).inverse() else {
      for i in 0..<(m * m) { out[i] = .nan }
      return out
    }
    for a in 0..<k { for b in 0..<k { out[a * m + b] = inverse[a * k + b] } }
    return out
  }

  /// J V Jᵀ for row-major m × m matrices.
  private static func sandwich(_ j: [Double], _ v: [Double], _ m: Int) -> [Double] {
    var jv = [Double](repeating: 0, count: m * m)
    for a in 0..<m { for b in 0..<m { for c in 0..<m { jv[a * m + b] += j[a * m + c] * v[c * m + b] } } }
    var out = [Double](repeating: 0, count: m * m)
    for a in 0..<m { for b in 0..<m { for c in 0..<m { out[a * m + b] += jv[a * m + c] * j[b * m + c] } } }
    return out
  }
}

/// The upper triangle of a Weibull information matrix from its per-patient weights, entry by
/// entry as dot products over contiguous columns (row-major, dimension covariates + 2; the last
/// diagonal entry is left to the caller).
struct WeightedCrossProducts {
  let count: Int
  /// Centred covariates, column-major: covariate j of patient i at `columns[j * count + i]`.
  let columns: UnsafePointer<Double>
  /// w_i, the weight of the η block.
  let weights: UnsafePointer<Double>
  /// u_i, the weight of the mixed η–log σ column.
  let mixed: UnsafePointer<Double>

  func fill(_ info: UnsafeMutablePointer<Double>, covariates p: Int, scratch: UnsafeMutablePointer<Double>) {
    let m = p + 2
    let n = count
    info[0] = Self.sum(weights, n)
    info[m - 1] = Self.sum(mixed, n)
    for j in 0..<p {
      let column = columns + j * n
      info[1 + j] = Self.dot(weights, column, n)
      info[(1 + j) * m + m - 1] = Self.dot(mixed, column, n)
      for i in 0..<n { scratch[i] = weights[i] * column[i] }
      for k in j..<p { info[(1 + j) * m + 1 + k] = Self.dot(scratch, columns + k * n, n) }
    }
  }

  /// Σ a_i, in four interleaved partial sums (a fixed order: the result depends only on the data).
  static func sum(_ a: UnsafePointer<Double>, _ n: Int) -> Double {
    var s = SIMD4<Double>()
    var i = 0
    while i + 4 <= n {
      s += SIMD4(a[i], a[i + 1], a[i + 2], a[i + 3])
      i += 4
    }
    var total = (s[0] + s[1]) + (s[2] + s[3])
    while i < n {
      total += a[i]
      i += 1
    }
    return total
  }

  /// Σ a_i b_i, in four interleaved partial sums.
  static func dot(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, _ n: Int) -> Double {
    var s = SIMD4<Double>()
    var i = 0
    while i + 4 <= n {
      s += SIMD4(a[i], a[i + 1], a[i + 2], a[i + 3]) * SIMD4(b[i], b[i + 1], b[i + 2], b[i + 3])
      i += 4
    }
    var total = (s[0] + s[1]) + (s[2] + s[3])
    while i < n {
      total += a[i] * b[i]
      i += 1
    }
    return total
  }
}
