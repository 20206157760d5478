// GaussianCopula.swift — the covariate generator: marginals plus a latent normal correlation.
//
// Latent dimensions: one per variable, and one more per variable that has missing values (a
// binary "is missing" indicator), so that synthetic missing rates match the real ones and
// missingness can correlate with other variables. The correlation of the normal scores is
// estimated pairwise over complete pairs; if that matrix is not positive definite (possible with
// pairwise deletion), it is shrunk towards the identity, R_λ = (1 − λ)R + λI, with the smallest λ
// on a grid of 0.01 for which GSL's Cholesky succeeds; λ is reported.

import Foundation
import GSL
import TrialSpec

/// A fitted Gaussian copula over declared covariates.
public struct GaussianCopulaModel: Sendable {
  enum Dimension: Sendable, Equatable {
    case value(Int)
    case missing(Int)
  }

  /// The generated variables, in order.
  public let variables: [VariableDeclaration]
  let marginals: [Marginal]
  let dimensions: [Dimension]
  /// Missing-value rate of each variable in the fitting rows.
  public let missingRates: [Double]
  /// Latent correlation (after any shrinkage) and its lower Cholesky factor, row-major m × m.
  public let correlation: [Double]
  let lower: [Double]
  /// The shrinkage λ that made the correlation positive definite (0 when none was needed).
  public let shrinkage: Double
  /// Rows the model was fitted on.
  public let rowsFitted: Int

  /// The marginals in flat tables, decoding discrete ones without Φ (CopulaDecoder.swift).
  let decoder: CopulaDecoder
  /// Per variable, the latent dimension of its missingness indicator (nil when never missing).
  let missingDimension: [Int?]

  var latentDimension: Int { dimensions.count }

  init(
    variables: [VariableDeclaration], marginals: [Marginal], dimensions: [Dimension], missingRates: [Double],
    correlation: [Double], lower: [Double], shrinkage: Double, rowsFitted: Int
  ) {
    self.variables = variables
    self.marginals = marginals
    self.dimensions = dimensions
    self.missingRates = missingRates
    self.correlation = correlation
    self.lower = lower
    self.shrinkage = shrinkage
    self.rowsFitted = rowsFitted
    decoder = CopulaDecoder(marginals: marginals)
    missingDimension = variables.indices.map { j in dimensions.firstIndex(of: .missing(j)) }
  }

  /// Fits the copula to `rows` of `columns` (typed as TrialSpec types them: numbers with NaN
  /// missing, label positions with −1 missing).
  static func fit(columns: ExpressionColumns, rows: [Int], variables: [VariableDeclaration]) throws(SynthesisError) -> GaussianCopulaModel {
    guard rows.count >= 2 else {
      throw .notEnoughData("the generator needs at least 2 reference patients to learn from; the fitting rows hold \(rows.count)")
    }
    var marginals: [Marginal] = []
    var scores: [[Double]] = []
    var dimensions: [Dimension] = []
    var missingRates: [Double] = []
    var indicatorScores: [(Int, [Double])] = []
    for (j, variable) in variables.enumerated() {
      let values = Self.values(columns, variable.name, rows)
      let observed = values.filter { !$0.isNaN }
      guard !observed.isEmpty else {
        throw .notEnoughData("variable '\(variable.name)' has no observed value among the \(rows.count) fitting rows")
      }
      let marginal = Marginal.fit(observed, discrete: variable.type != .continuous)
      marginals.append(marginal)
      scores.append(marginal.normalScores(values))
      dimensions.append(.value(j))
      let rate = Double(values.count - observed.count) / Double(values.count)
      missingRates.append(rate)
      if rate > 0 {
        let indicator = Marginal.fit(values.map { $0.isNaN ? 1 : 0 }, discrete: true)
        indicatorScores.append((j, indicator.normalScores(values.map { $0.isNaN ? 1 : 0 })))
      }
    }
    for (j, s) in indicatorScores {
      dimensions.append(.missing(j))
      scores.append(s)
    }
    let m = dimensions.count
    var correlation = [Double](repeating: 0, count: m * m)
    for a in 0..<m {
      correlation[a * m + a] = 1
      for b in 0..<a {
        let r = pairwiseCorrelation(scores[a], scores[b])
        correlation[a * m + b] = r
        correlation[b * m + a] = r
      }
    }
    var lambda = 0.0
    var factor: CholeskyFactorization?
    while factor == nil && lambda <= 1 {
      let shrunk = correlation.indices.map { i in i / m == i % m ? 1 : (1 - lambda) * correlation[i] }
      factor = try? CholeskyFactorization(rowMajor: shrunk, dimension: m)
      if factor == nil { lambda += 0.01 } else { correlation = shrunk }
    }
    guard let factor else { throw .notEnoughData("the latent correlation could not be made positive definite") }
    // Marginals of the missingness indicators are appended after the value marginals.
    let allMarginals =
      marginals
      + indicatorScores.map { j, _ in
        Marginal.discrete(values: [0, 1], cumulative: [1 - missingRates[j], 1])
      }
    return GaussianCopulaModel(
      variables: variables, marginals: allMarginals, dimensions: dimensions,
      missingRates: missingRates, correlation: correlation, lower: factor.lower,
      shrinkage: lambda, rowsFitted: rows.count)
  }

  /// A variable's values at `rows` as numbers (label positions for categorical variables).
  static func values(_ columns: ExpressionColumns, _ name: String, _ rows: [Int]) -> [Double] {
    switch columns.columns[name] {
    case .numeric(let v)?: rows.map { v[$0] }
    case .labels(let v)?: rows.map { v[$0] < 0 ? .nan : Double(v[$0]) }
    default: rows.map { _ in .nan }
    }
  }

  /// Pearson correlation over the pairs where both are present (0 with fewer than 3 pairs or no spread).
  static func pairwiseCorrelation(_ x: [Double], _ y: [Double]) -> Double {
    var n = 0.0
    var sx = 0.0
    var sy = 0.0
    var sxx = 0.0
    var syy = 0.0
    var sxy = 0.0
    for i in x.indices where !x[i].isNaN && !y[i].isNaN {
      n += 1
      sx += x[i]
      sy += y[i]
      sxx += x[i] * x[i]
      syy += y[i] * y[i]
      sxy += x[i] * y[i]
    }
    guard n >= 3 else { return 0 }
    let vx = sxx - sx * sx / n
    let vy = syy - sy * sy / n
    guard vx > 0, vy > 0 else { return 0 }
    return max(-1, min(1, (sxy - sx * sy / n) / (vx * vy).squareRoot()))
  }

  // MARK: - Sampling

  /// Fills `z` (length m) with a latent draw L·e, e ~ N(0, I).
  func drawLatent(_ z: inout [Double], _ e: inout [Double], using rng: GSLRandomSource) {
    let m = latentDimension
    // Through buffer pointers (once per candidate patient): the same sums in the same order,
    // without a bounds check, uniqueness check or retain per term.
    lower.withUnsafeBufferPointer { lower in
      e.withUnsafeMutableBufferPointer { e in
        z.withUnsafeMutableBufferPointer { z in
          for a in 0..<m { e[a] = rng.normal() }
          for a in 0..<m {
            var s = 0.0
            for b in 0...a { s += lower[a * m + b] * e[b] }
            z[a] = s
          }
        }
      }
    }
  }

  /// Variable `j` of the latent draw starting at `z` (NaN = missing): its marginal's value, unless
  /// its missingness indicator decodes to 1.
  @inline(__always)
  func value(_ j: Int, latent z: UnsafePointer<Double>) -> Double {
    if let a = missingDimension[j], decoder.value(a, latent: z[a]) == 1 { return .nan }
    return decoder.value(j, latent: z[j])
  }
}
