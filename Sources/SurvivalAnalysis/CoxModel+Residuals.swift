// CoxModel+Residuals.swift — score residuals and the robust (sandwich) variance.
//
// The score residual of subject i (Therneau, Grambsch & Fleming 1990; Lin & Wei 1989) is
//   rᵢ = δᵢ (xᵢ − x̄(tᵢ)) − Σ_{event times t ≤ tᵢ} rᵢ(β)·(xᵢ − x̄(t))·dΛ̂₀(t),   rᵢ(β) = exp(ηᵢ),
// with x̄ and dΛ̂₀ the Breslow or Efron versions. With Efron ties, the k-th of d tied deaths uses
// the risk set with k/d of the dying removed, so a subject dying at t carries weight (1 − k/d)
// in the k-th term and its own δ-term uses the average of the d means (survival's coxscore2.c
// does the same). Σᵢ wᵢ rᵢ equals the score vector U(β) — a check in the tests.
// The robust variance is DᵀD with D = diag(w) R V (the weighted dfbeta residuals), as R's
// `coxph(..., robust = TRUE)` without clusters.

import Foundation

extension CoxWorkspace {
  /// Score residuals at `beta` in *sorted* order, row-major n × p.
  func scoreResiduals(beta: [Double], ties: TieMethod) -> [Double] {
    let risk = (0..<n).map { k in
      var z = offset[k]
      for j in 0..<p { z += beta[j] * x[j * n + k] }
      return Foundation.exp(Self.safe(z))
    }
    // Group subjects by (stratum, time): groups[g] = lo..<hi in sorted order.
    var groups: [Range<Int>] = []
    var lo = 0
    for k in 1...n where k == n || stratumStart[k] || time[k] != time[lo] {
      groups.append(lo..<k)
      lo = k
    }
    // Backward pass: per group, increments of Λ and of ∫x̄ dΛ for survivors and for the dying.
    let g = groups.count
    var dH = [Double](repeating: 0, count: g)
    var dHdead = dH
    var dxH = [Double](repeating: 0, count: g * p)
    var dxHdead = dxH
    var deadMean = dxH
    var denom = 0.0
    var sums = [Double](repeating: 0, count: p)
    var deadSums = sums
    for gi in stride(from: g - 1, through: 0, by: -1) {
      let group = groups[gi]
      if gi == g - 1 || stratumStart[groups[gi + 1].lowerBound] {
        denom = 0
        for j in 0..<p { sums[j] = 0 }
      }
      var denom2 = 0.0
      var deadWeight = 0.0
      var deaths = 0
      for j in 0..<p { deadSums[j] = 0 }
      for k in group {
        let wr = risk[k] * weight[k]
        denom += wr
        for j in 0..<p { sums[j] += wr * x[j * n + k] }
        if status[k] {
          deaths += 1
          deadWeight += weight[k]
          denom2 += wr
          for j in 0..<p { deadSums[j] += wr * x[j * n + k] }
        }
      }
      guard deaths > 0 else { continue }
      let efron = ties == .efron && deaths > 1
      let terms = efron ? deaths : 1
      let termWeight = efron ? deadWeight / Double(deaths) : deadWeight
      for r in 0..<terms {
        let f = efron ? Double(r) / Double(deaths) : 0
        let d2 = denom - f * denom2
        let h = termWeight / d2
        dH[gi] += h
        dHdead[gi] += (1 - f) * h
        for j in 0..<p {
          let xbar = (sums[j] - f * deadSums[j]) / d2
          dxH[gi * p + j] += xbar * h
          dxHdead[gi * p + j] += (1 - f) * xbar * h
          deadMean[gi * p + j] += xbar / Double(terms)
        }
      }
    }
    // Forward pass: accumulate Λ and ∫x̄ dΛ up to each subject's own time.
    var residuals = [Double](repeating: 0, count: n * p)
    var cumH = 0.0
    var cumXH = [Double](repeating: 0, count: p)
    for gi in 0..<g {
      let group = groups[gi]
      if stratumStart[group.lowerBound] {
        cumH = 0
        for j in 0..<p { cumXH[j] = 0 }
      }
      for k in group {
        let dying = status[k]
        let h = cumH + (dying ? dHdead[gi] : dH[gi])
        for j in 0..<p {
          let xk = x[j * n + k]
          let xh = cumXH[j] + (dying ? dxHdead[gi * p + j] : dxH[gi * p + j])
          var r = -risk[k] * (xk * h - xh)
          if dying { r += xk - deadMean[gi * p + j] }
          residuals[k * p + j] = r
        }
      }
      cumH += dH[gi]
      for j in 0..<p { cumXH[j] += dxH[gi * p + j] }
    }
    return residuals
  }

  /// The robust variance DᵀD, D = diag(w) R V, row-major p × p.
  func robustVariance(beta: [Double], variance: [Double], ties: TieMethod) -> [Double] {
    let residuals = scoreResiduals(beta: beta, ties: ties)
    var out = [Double](repeating: 0, count: p * p)
    var d = [Double](repeating: 0, count: p)
    for k in 0..<n {
      for j in 0..<p {
        var s = 0.0
        for l in 0..<p { s += residuals[k * p + l] * variance[l * p + j] }
        d[j] = weight[k] * s
      }
      for i in 0..<p { for j in 0..<p { out[i * p + j] += d[i] * d[j] } }
    }
    return out
  }
}

extension CoxModel {
  /// Score residuals of `data` at `coefficients`, row-major n × p, in the order of `data`
  /// (R: `residuals(fit, type = "score")`, unweighted).
  public func scoreResiduals(_ data: SurvivalData, coefficients: [Double]) throws(SurvivalError) -> [Double] {
    try data.validate()
    let work = CoxWorkspace(data: data)
    let sorted = work.scoreResiduals(beta: coefficients, ties: ties)
    // Undo the sort: the workspace sorts stably by (stratum, time), so re-derive the order.
    let order = work.order
    var out = [Double](repeating: 0, count: sorted.count)
    let p = work.p
    for (k, original) in order.enumerated() { for j in 0..<p { out[original * p + j] = sorted[k * p + j] } }
    return out
  }
}
