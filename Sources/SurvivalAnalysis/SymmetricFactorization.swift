// SymmetricFactorization.swift — LDLᵀ for small symmetric (semi)definite matrices.
//
// Replaces nothing; written in Swift rather than calling GSL because the Cox fitter solves a
// p × p system in every Newton step of every simulated trial, where allocating gsl_matrix
// objects would dominate for small p, and because it must tolerate singular information
// matrices (a covariate that is constant or collinear) by *dropping* the aliased direction
// rather than failing. This follows survival's cholesky2.c / chsolve2.c / chinv2.c
// (Therneau): a pivot below `tolerance × max diagonal` is set to zero and the matching
// solution component is 0. Checked against GSL's Cholesky in the tests (double programming).

/// An LDLᵀ factorization that zeroes near-singular pivots, as survival's `cholesky2`.
struct SymmetricFactorization {
  let n: Int
  /// Row-major; below the diagonal holds L, the diagonal holds D.
  private(set) var storage: [Double]
  /// The numerical rank (pivots kept).
  private(set) var rank: Int
  /// false when a pivot was clearly negative (the matrix is not semi-definite).
  private(set) var isNonNegative: Bool

  /// Factorizes the n × n symmetric matrix (row-major; only the lower triangle is read).
  init(_ matrix: [Double], dimension n: Int, tolerance: Double) {
    self.n = n
    storage = matrix
    rank = 0
    isNonNegative = true
    factorize(tolerance: tolerance)
  }

  private mutating func factorize(tolerance: Double) {
    var largest = 0.0
    for i in 0..<n where storage[i * n + i] > largest { largest = storage[i * n + i] }
    let eps = largest * tolerance
    for i in 0..<n {
      let pivot = storage[i * n + i]
      if !pivot.isFinite || pivot < eps {
        storage[i * n + i] = 0
        if pivot < -8 * eps { isNonNegative = false }
        continue
      }
      rank += 1
      for j in (i + 1)..<max(i + 1, n) {
        let t = storage[j * n + i] / pivot
        storage[j * n + i] = t
        storage[j * n + j] -= t * t * pivot
        for k in (j + 1)..<max(j + 1, n) { storage[k * n + j] -= t * storage[k * n + i] }
      }
    }
  }

  /// Whether pivot i was dropped as singular.
  func isDropped(_ i: Int) -> Bool { storage[i * n + i] == 0 }

  /// Solves A x = b in place; components in dropped directions are 0.
  func solve(_ b: inout [Double]) {
    // Forward: L y = b.
    for i in 0..<n {
      var t = b[i]
      for j in 0..<i { t -= storage[i * n + j] * b[j] }
      b[i] = t
    }
    // D z = y, then Lᵀ x = z.
    for i in stride(from: n - 1, through: 0, by: -1) {
      let d = storage[i * n + i]
      if d == 0 {
        b[i] = 0
        continue
      }
      var t = b[i] / d
      for j in (i + 1)..<max(i + 1, n) { t -= storage[j * n + i] * b[j] }
      b[i] = t
    }
  }

  /// The (generalized) inverse, row-major: rows and columns of dropped directions are 0.
  func inverse() -> [Double] {
    var out = [Double](repeating: 0, count: n * n)
    var e = [Double](repeating: 0, count: n)
    for c in 0..<n {
      for i in 0..<n { e[i] = i == c ? 1 : 0 }
      solve(&e)
      for r in 0..<n { out[r * n + c] = isDropped(c) || isDropped(r) ? 0 : e[r] }
    }
    return out
  }
}
