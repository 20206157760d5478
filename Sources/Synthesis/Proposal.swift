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

  /// Up to `count` candidate patients, not yet checked against the rules: CART draws every
  /// variable; the copula keeps each candidate's latent draw and decodes only the variables in
  /// `screen` (what the rules and constraints read) — the rest are decoded later, for the
  /// patients kept (ConditionalSampler.swift).
  mutating func draw(_ count: Int, screen: [Int], rng: GSLRandomSource) -> Candidates {
    if let cart {
      let values = restriction.map { cart.draw(count, restriction: $0, rng: rng) } ?? cart.draw(count, rng: rng)
      return Candidates(count: values.first?.count ?? 0, values: values, latents: [], dimension: 0)
    }
    // One copy of the model for the batch: `copula` is computed (`model!`), and each access
    // copied the struct and retained its arrays, per candidate and per decoded value.
    let copula = self.copula
    let m = copula.latentDimension
    var latents = [Double](repeating: 0, count: count * m)
    var z = [Double](repeating: 0, count: m)
    var e = z
    var drawn = 0
    for _ in 0..<count {
      if box == nil || lower.isEmpty {
        copula.drawLatent(&z, &e, using: rng)
      } else {
        let w = ghk(&z, &e, rng)
        if w > maxWeight { maxWeight = w }
        if rng.uniform() * maxWeight >= w { continue }  // rejected by weight: no patient
      }
      for a in 0..<m { latents[drawn * m + a] = z[a] }
      drawn += 1
    }
    latents.removeLast((count - drawn) * m)
    var values = [[Double]](repeating: [], count: copula.variables.count)
    latents.withUnsafeBufferPointer { l in
      for j in screen {
        values[j] = (0..<drawn).map { i in copula.value(j, latent: l.baseAddress! + i * m) }
      }
    }
    return Candidates(count: drawn, values: values, latents: latents, dimension: m)
  }

  /// One GHK draw into `z` (original order), `e` as scratch; returns its weight.
  private func ghk(_ z: inout [Double], _ e: inout [Double], _ rng: GSLRandomSource) -> Double {
    let m = z.count  // the latent dimension (not `copula.latentDimension`: a copy of the model per draw)
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

/// A batch of candidate patients.
struct Candidates {
  var count: Int
  /// `values[j][i]`: variable j of candidate i; empty for a copula variable not yet decoded.
  var values: [[Double]]
  /// The copula's latent draws, `dimension` per candidate (empty for CART).
  var latents: [Double]
  var dimension: Int
}
