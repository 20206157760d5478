// CholeskyFactorization.swift — A = L Lᵀ for symmetric positive-definite matrices (GSL linalg).

@preconcurrency internal import CGSL

/// The Cholesky factorization of a symmetric positive-definite matrix.
///
/// Owns a `gsl_matrix` holding the factor; freed in `deinit`. Not `Sendable`: one owner.
public final class CholeskyFactorization {
  /// The matrix dimension n.
  public let dimension: Int
  private let factor: UnsafeMutablePointer<gsl_matrix>

  /// Factorizes the n × n matrix given in row-major order.
  ///
  /// - Throws: ``GSLError`` with code `GSL_EDOM` (1) when the matrix is not positive definite;
  ///   never aborts (the GSL error handler is off).
  ///
  /// The corresponding GSL function is `gsl_linalg_cholesky_decomp1`.
  public init(rowMajor matrix: [Double], dimension n: Int) throws(GSLError) {
    precondition(n >= 1 && matrix.count == n * n, "matrix.count (\(matrix.count)) != \(n)×\(n)")
    _ = gslErrorHandlerDisabled
    guard let m = gsl_matrix_alloc(n, n) else { fatalError("gsl_matrix_alloc failed: out of memory") }
    for i in 0..<n { for j in 0..<n { gsl_matrix_set(m, i, j, matrix[i * n + j]) } }
    let status = gsl_linalg_cholesky_decomp1(m)
    guard status == 0 else {
      gsl_matrix_free(m)
      throw GSLError(code: status, routine: "gsl_linalg_cholesky_decomp1")
    }
    self.dimension = n
    self.factor = m
  }

  deinit { gsl_matrix_free(factor) }

  /// The lower-triangular factor L in row-major order (zeros above the diagonal).
  public var lower: [Double] {
    var out = [Double](repeating: 0, count: dimension * dimension)
    for i in 0..<dimension { for j in 0...i { out[i * dimension + j] = gsl_matrix_get(factor, i, j) } }
    return out
  }

  /// log det A = 2 Σ log Lᵢᵢ.
  public var logDeterminant: Double {
    var s = 0.0
    for i in 0..<dimension { s += 2 * _log(gsl_matrix_get(factor, i, i)) }
    return s
  }

  /// Solves A x = b. The corresponding GSL function is `gsl_linalg_cholesky_solve`.
  public func solve(_ b: [Double]) throws(GSLError) -> [Double] {
    precondition(b.count == dimension, "b.count (\(b.count)) != dimension (\(dimension))")
    let bv = gsl_vector_alloc(dimension)!
    let xv = gsl_vector_alloc(dimension)!
    defer {
      gsl_vector_free(bv)
      gsl_vector_free(xv)
    }
    for i in 0..<dimension { gsl_vector_set(bv, i, b[i]) }
    try check(gsl_linalg_cholesky_solve(factor, bv, xv), "gsl_linalg_cholesky_solve")
    return (0..<dimension).map { gsl_vector_get(xv, $0) }
  }

  /// A⁻¹ in row-major order. The corresponding GSL function is `gsl_linalg_cholesky_invert`.
  public func inverse() throws(GSLError) -> [Double] {
    let m = gsl_matrix_alloc(dimension, dimension)!
    defer { gsl_matrix_free(m) }
    gsl_matrix_memcpy(m, factor)
    try check(gsl_linalg_cholesky_invert(m), "gsl_linalg_cholesky_invert")
    var out = [Double](repeating: 0, count: dimension * dimension)
    for i in 0..<dimension { for j in 0..<dimension { out[i * dimension + j] = gsl_matrix_get(m, i, j) } }
    return out
  }
}

@available(*, unavailable)
extension CholeskyFactorization: Sendable {}

@inline(__always) private func _log(_ x: Double) -> Double { log(x) }
