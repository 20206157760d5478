// LogisticRegression.swift — ridge-penalised logistic regression by Newton's method (IRLS).
//
// Why our own: the detection metric (Docs/Methods.md, audit, SDMetrics `single_table/detection/`)
// needs a real-vs-synthetic classifier, and SDMetrics' default is scikit-learn's
// `LogisticRegression(solver="lbfgs")`, whose default penalty is ½‖w‖² + C·Σ loss with C = 1 and
// an unpenalised intercept. We minimise the same objective (divided by C):
//
//   L(b, w) = −Σᵢ [yᵢ log pᵢ + (1 − yᵢ) log(1 − pᵢ)] + (λ/2)‖w‖²,  pᵢ = σ(b + xᵢ·w),  λ = 1/C
//
// with Newton steps (gradient g = Xᵀ(p − y) + λw, Hessian XᵀWX + λI, W = diag p(1 − p)), solved
// by GSL's Cholesky. The penalty makes the Hessian positive definite even for one-hot columns
// that sum to the intercept, and keeps w finite when the classes separate. Steps are halved
// while the objective does not decrease, so each iterate improves.

import Foundation
import GSL

struct RidgeLogisticRegression: Sendable {
  /// Intercept b and weights w.
  var intercept: Double
  var weights: [Double]
  var iterations: Int
  var converged: Bool

  /// Fits to `n` rows of `p` features in row-major `x` (no intercept column) and 0/1 labels.
  static func fit(
    x: [Double], labels y: [Double], featureCount p: Int, penalty lambda: Double = 1,
    maxIterations: Int = 50, tolerance: Double = 1e-10
  ) -> RidgeLogisticRegression {
    let n = y.count
    precondition(x.count == n * p, "x has \(x.count) values for \(n) rows × \(p) features")
    let d = p + 1  // parameter 0 is the intercept
    var beta = [Double](repeating: 0, count: d)
    var loss = objective(x, y, p, beta, lambda)
    var gradient = [Double](repeating: 0, count: d)
    var hessian = [Double](repeating: 0, count: d * d)
    var iterations = 0
    var converged = false
    while iterations < maxIterations {
      iterations += 1
      // Gradient and Hessian at beta (upper triangle accumulated, then mirrored).
      for k in 0..<d { gradient[k] = k == 0 ? 0 : lambda * beta[k] }
      for k in 0..<(d * d) { hessian[k] = 0 }
      for k in 1..<d { hessian[k * d + k] = lambda }
      x.withUnsafeBufferPointer { xb in
        hessian.withUnsafeMutableBufferPointer { h in
          for i in 0..<n {
            let row = i * p
            var eta = beta[0]
            for j in 0..<p { eta += xb[row + j] * beta[j + 1] }
            let prob = sigmoid(eta)
            let r = prob - y[i]
            let w = prob * (1 - prob)
            gradient[0] += r
            h[0] += w
            for j in 0..<p {
              let xj = xb[row + j]
              if xj == 0 { continue }  // one-hot and indicator columns are mostly 0
              gradient[j + 1] += r * xj
              let wx = w * xj
              h[j + 1] += wx  // row 0 (intercept), column j + 1
              for k in j..<p { h[(j + 1) * d + k + 1] += wx * xb[row + k] }
            }
          }
        }
      }
      for a in 0..<d { for b in 0..<a { hessian[a * d + b] = hessian[b * d + a] } }
      guard let factor = try? CholeskyFactorization(rowMajor: hessian, dimension: d),
        let step = try? factor.solve(gradient)
      else { break }  // cannot happen with λ > 0; keep the last iterate if it does
      // Halve the step until the objective does not increase.
      var scale = 1.0
      var candidate = beta
      var candidateLoss = loss
      for _ in 0..<30 {
        for k in 0..<d { candidate[k] = beta[k] - scale * step[k] }
        candidateLoss = objective(x, y, p, candidate, lambda)
        if candidateLoss <= loss { break }
        scale /= 2
      }
      let largest = step.reduce(0) { Swift.max($0, abs($1)) } * scale
      if candidateLoss <= loss {
        beta = candidate
        loss = candidateLoss
      }
      if largest <= tolerance * (1 + beta.reduce(0) { Swift.max($0, abs($1)) }) {
        converged = true
        break
      }
    }
    return RidgeLogisticRegression(
      intercept: beta[0], weights: Array(beta[1...]), iterations: iterations, converged: converged)
  }

  /// P(y = 1 | x) for each row of `x` (row-major, `weights.count` features).
  func probabilities(_ x: [Double]) -> [Double] {
    let p = weights.count
    let n = p == 0 ? 0 : x.count / p
    return (0..<n).map { i in
      var eta = intercept
      for j in 0..<p { eta += x[i * p + j] * weights[j] }
      return Self.sigmoid(eta)
    }
  }

  static func sigmoid(_ eta: Double) -> Double {
    eta >= 0 ? 1 / (1 + exp(-eta)) : exp(eta) / (1 + exp(eta))
  }

  /// The penalised negative log-likelihood; log(1 + e^η) − yη computed without overflow.
  static func objective(_ x: [Double], _ y: [Double], _ p: Int, _ beta: [Double], _ lambda: Double) -> Double {
    var total = 0.0
    for i in y.indices {
      var eta = beta[0]
      for j in 0..<p { eta += x[i * p + j] * beta[j + 1] }
      total += Swift.max(eta, 0) + log1p(exp(-abs(eta))) - y[i] * eta
    }
    var penalty = 0.0
    for k in 1..<beta.count { penalty += beta[k] * beta[k] }
    return total + lambda / 2 * penalty
  }
}
