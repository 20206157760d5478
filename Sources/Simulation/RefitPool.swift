// RefitPool.swift — `borrowing.refit: pool`: K bootstrap fits of the generator per cell, sampled
// by the replicates (Docs/Methods.md, "The generator's own uncertainty").
//
// Refitting the generator in every replicate costs a copula and an outcome-model fit per
// replicate (≈ 2.5 ms on colon), more than the trials it serves. The pool draws K fits once per
// cell; replicate r takes fit ⌊K·u_r⌋ with u_r from a hash of (cell, r), so the choice depends on
// the master seed, the cell and the replicate only (not on threads or shards). Each replicate's
// synthetic arm still comes from one bootstrap fit: the spread of the synthetic arm across
// replicates keeps the generator's estimation error, as long as K is large enough that the
// replicates do not lean on a few fits (a statistical test checks type-I error and coverage
// against refitting in every replicate).

import Dispatch
import Foundation
import GSL

/// K bootstrap fits of a cell's generator.
final class RefitPool: Sendable {
  /// The fits that succeeded (a fit whose every bootstrap attempt failed is left out; the
  /// redraws are counted as in the per-replicate refit).
  let generators: [SharedGenerator]
  private let seeds: SeedSequence
  private let cellIndex: Int

  /// Stream of pool fit k: (cell, poolStream, k). The replicate's choice: (cell, poolPickStream, r).
  static let poolStream: UInt64 = 0x5EF1_7001
  static let poolPickStream: UInt64 = 0x5EF1_7002

  init(model: TrialModel, size: Int, seeds: SeedSequence, cellIndex: Int, workers: Int, redraws: Counter) {
    self.seeds = seeds
    self.cellIndex = cellIndex
    let slots = PoolSlots(size)
    DispatchQueue.concurrentPerform(iterations: max(1, min(workers, size))) { w in
      var k = w
      while k < size {
        let rng = seeds.makeRandomSource(UInt64(cellIndex), Self.poolStream, UInt64(k))
        for attempt in 0..<MonteCarlo.maximumRefitAttempts {
          if let g = try? model.generatorForReplicate(rng: rng) {
            slots.store(k, g)
            break
          }
          if attempt < MonteCarlo.maximumRefitAttempts - 1 { _ = redraws.add(1) }
        }
        k += max(1, min(workers, size))
      }
    }
    generators = slots.values.compactMap { $0 }
  }

  /// The fit replicate `r` uses (nil when every fit of the pool failed).
  func generator(replicate r: Int) -> SharedGenerator? {
    guard !generators.isEmpty else { return nil }
    let key = seeds.streamKey([UInt64(cellIndex), Self.poolPickStream, UInt64(r)])
    // A uniform index from the top 53 bits: ⌊K·u⌋ with u ∈ [0, 1).
    let u = Double(key >> 11) * 0x1.0p-53
    return generators[min(Int(u * Double(generators.count)), generators.count - 1)]
  }
}

/// Fits stored by index from the pool's workers (each slot written by one worker, read after all
/// have finished).
private final class PoolSlots: @unchecked Sendable {
  var values: [SharedGenerator?]
  private let lock = NSLock()
  init(_ count: Int) { values = [SharedGenerator?](repeating: nil, count: count) }
  func store(_ k: Int, _ g: SharedGenerator) {
    lock.withLock { values[k] = g }
  }
}
