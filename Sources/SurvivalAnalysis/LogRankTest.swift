// LogRankTest.swift — the k-sample log-rank test, optionally stratified (R `survdiff`, rho = 0).

import GSL

/// The log-rank test comparing survival across groups.
///
/// At each distinct event time t in each stratum, with n at risk, d events, and n_g, d_g in
/// group g: O_g += d_g, E_g += n_g·d/n, and the hypergeometric covariance
/// V_gh += d (n − d)/(n − 1) · n_g/n · (δ_gh − n_h/n). The statistic is (O − E)ᵀ V⁻ (O − E)
/// over the first k − 1 groups (V has rank k − 1), with k − 1 degrees of freedom.
/// Stratification sums O, E and V over strata.
///
/// Checked against R `survival::survdiff` (3.5.3) in `LogRankValidationTests.swift`.
public struct LogRankTest: Sendable {
  /// Group labels in the order of the per-group arrays.
  public let groups: [Int]
  public let subjects: [Int]
  public let observed: [Double]
  public let expected: [Double]
  /// Covariance of O − E, row-major k × k.
  public let variance: [Double]
  public let chiSquare: ChiSquareTest

  /// Compares the groups in `group` (any integers, e.g. 0 = control, 1 = experimental).
  /// Subjects in different `strata` are never compared with each other.
  public init(_ data: SurvivalData, group: [Int], strata: [Int]? = nil) throws(SurvivalError) {
    try data.validate()
    if data.weights != nil || data.offsets != nil {
      throw .invalidInput("the log-rank test takes unweighted data without offsets (pass strata as `strata:`)")
    }
    precondition(group.count == data.count, "group.count (\(group.count)) != subjects (\(data.count))")
    if let strata { precondition(strata.count == data.count, "strata.count != subjects") }
    let labels = Array(Set(group)).sorted()
    let k = labels.count
    guard k >= 2 else {
      throw .invalidInput("the log-rank test needs at least two groups; found \(k)")
    }
    // Group index per subject by binary search in the sorted labels (no Dictionary per patient).
    let g = group.map { label -> Int in
      var lo = 0
      var hi = k - 1
      while lo < hi {
        let mid = (lo + hi) / 2
        if labels[mid] < label { lo = mid + 1 } else { hi = mid }
      }
      return lo
    }
    let st = strata ?? [Int](repeating: 0, count: data.count)
    let order = SortedOrder.byTime(data.times, strata: strata)

    var observed = [Double](repeating: 0, count: k)
    var expected = observed
    var variance = [Double](repeating: 0, count: k * k)
    var subjects = [Int](repeating: 0, count: k)
    for i in g { subjects[i] += 1 }
    var atRisk = [Double](repeating: 0, count: k)
    var deaths = atRisk

    // Walk each stratum from the longest time down, so the risk set only grows.
    var end = order.count
    while end > 0 {
      let stratum = st[order[end - 1]]
      var start = end
      while start > 0 && st[order[start - 1]] == stratum { start -= 1 }
      for j in 0..<k { atRisk[j] = 0 }
      var i = end - 1
      while i >= start {
        let t = data.times[order[i]]
        for j in 0..<k { deaths[j] = 0 }
        while i >= start && data.times[order[i]] == t {
          let s = order[i]
          atRisk[g[s]] += 1
          if data.events[s] { deaths[g[s]] += 1 }
          i -= 1
        }
        let d = deaths.reduce(0, +)
        guard d > 0 else { continue }
        let n = atRisk.reduce(0, +)
        for a in 0..<k {
          observed[a] += deaths[a]
          expected[a] += atRisk[a] * d / n
          guard n > 1 else { continue }
          let factor = d * (n - d) / (n - 1)
          for b in 0..<k {
            variance[a * k + b] += factor * atRisk[a] / n * ((a == b ? 1 : 0) - atRisk[b] / n)
          }
        }
      }
      end = start
    }

    // (O − E)ᵀ V⁻ (O − E) over the first k − 1 groups; a generalized inverse as survdiff.
    let m = k - 1
    let reduced = (0..<(m * m)).map { variance[($0 / m) * k + $0 % m] }
    let factorization = SymmetricFactorization(reduced, dimension: m, tolerance: 1e-9)
    var diff = (0..<m).map { observed[$0] - expected[$0] }
    let original = diff
    factorization.solve(&diff)
    let statistic = zip(original, diff).reduce(0) { $0 + $1.0 * $1.1 }
    let df = factorization.rank

    self.groups = labels
    self.subjects = subjects
    self.observed = observed
    self.expected = expected
    self.variance = variance
    self.chiSquare = ChiSquareTest(statistic: statistic, degreesOfFreedom: df)
  }
}
