// Proposal.swift — candidate patients: plain copula draws, or GHK draws inside a latent box
// accepted with probability w / w_max (see ConditionalSampler.swift for why this is exact), or
// plain draws from sequential CART trees.

import Foundation
import GSL

struct Proposal {
  /// Exactly one of `copula` and `cart` is set.
  private let model: GaussianCopulaModel?
  private let cart: SequentialCARTModel?
  /// CART draws truncated to single-variable rules (nil = plain CART draws).
  private var restriction: CARTRestriction?
  private var copula: GaussianCopulaModel { model! }
  /// Per latent dimension, the allowed interval (nil = unbounded); nil box = plain sampling.
  let box: [(Double, Double)?]?
  /// Latent dimensions with bounded ones first, and the Cholesky factor in that order.
  private var order: [Int] = []
  private var lower: [Double] = []
  private var maxWeight = 0.0

  /// Draws from CART trees: plain, or truncated to `restriction` and accepted by weight.
  init(cart: SequentialCARTModel, restriction: CARTRestriction? = nil) {
    model = nil
    self.cart = cart
    self.restriction = restriction
    box = nil
  }

  /// Whether CART draws are truncated to the rules.
  var usesTruncatedLeaves: Bool { restriction != nil }

  init(copula: GaussianCopulaModel, box: [(Double, Double)?]?) {
    model = copula
    cart = nil
    self.box = box
    guard let box else { return }
    let m = copula.latentDimension
    order = (0..<m).filter { box[$0] != nil } + (0..<m).filter { box[$0] == nil }
    let permuted = (0..<(m * m)).map { copula.correlation[order[$0 / m] * m + order[$0 % m]] }
    // The correlation was positive definite in the original order, so it is in any order; if
    // its factorisation fails all the same, `usesLatentBox` is false and the sampler says so.
    lower = (try? CholeskyFactorization(rowMajor: permuted, dimension: m).lower) ?? []
  }

  /// Whether draws come from the latent box (GHK); false for plain draws, or when the box's
  /// Cholesky factor could not be formed.
  var usesLatentBox: Bool { box != nil && !lower.isEmpty }

  /// Seeds w_max with a pilot of 1,000 weights.
  mutating func calibrate(rng: GSLRandomSource) {
    var z = [Double](repeating: 0, count: copula.latentDimension)
    var e = z
    for _ in 0..<1_000 { maxWeight = max(maxWeight, ghk(&z, &e, rng)) }
  }

  /// `count` candidate patients (not yet checked against the rules), event times left at 0.
  mutating func draw(_ count: Int, rng: GSLRandomSource) -> SyntheticPatients {
    if let cart {
      let values = restriction.map { cart.draw(count, restriction: $0, rng: rng) } ?? cart.draw(count, rng: rng)
      return SyntheticPatients(
        variables: cart.variables, values: values, eventTimes: [Double](repeating: 0, count: values.first?.count ?? 0))
    }
    let p = copula.variables.count
    let m = copula.latentDimension
    var values = [[Double]](repeating: [], count: p)
    for j in 0..<p { values[j].reserveCapacity(count) }
    var z = [Double](repeating: 0, count: m)
    var e = z
    var row = [Double](repeating: 0, count: p)
    for _ in 0..<count {
      if box == nil || lower.isEmpty {
        copula.drawLatent(&z, &e, using: rng)
      } else {
        let w = ghk(&z, &e, rng)
        if w > maxWeight { maxWeight = w }
        if rng.uniform() * maxWeight >= w { continue }  // rejected by weight: no patient
      }
      copula.decode(z, into: &row)
      for j in 0..<p { values[j].append(row[j]) }
    }
    return SyntheticPatients(
      variables: copula.variables, values: values,
      eventTimes: [Double](repeating: 0, count: values.first?.count ?? 0))
  }

  /// One GHK draw into `z` (original order), `e` as scratch; returns its weight.
  private func ghk(_ z: inout [Double], _ e: inout [Double], _ rng: GSLRandomSource) -> Double {
    let m = copula.latentDimension
    var weight = 1.0
    for a in 0..<m {
      var mean = 0.0
      for b in 0..<a { mean += lower[a * m + b] * e[b] }
      let sd = lower[a * m + a]
      if let (lo, hi) = box![order[a]] {
        let pl = StandardNormal.cdf((lo - mean) / sd)
        let ph = StandardNormal.cdf((hi - mean) / sd)
        weight *= max(ph - pl, 0)
        let u = min(max(pl + (ph - pl) * rng.uniform(), 1e-300), 1 - 1e-16)
        e[a] = StandardNormal.quantile(u)
      } else {
        e[a] = rng.normal()
      }
      z[order[a]] = mean + sd * e[a]
    }
    return weight
  }
}
