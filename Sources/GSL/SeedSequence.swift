// SeedSequence.swift — independent random streams derived from (master seed, indices).
//
// Why not `gsl_rng_set(seed)`: GSL's seeding uses only the low 32 bits of the seed, so among
// 100,000 replicate streams two would share a seed with probability ≈ 0.69 (birthday bound
// n²/2³³). We instead derive a 64-bit stream key by hashing, then fill the generator's whole
// state from a SplitMix64 generator started at that key (see GSLRandomSource).

/// Derives reproducible, statistically independent stream keys from a master seed and a path of
/// indices such as (cell, truth, design, replicate).
///
/// The key of a path `i₁, …, iₖ` is computed as
/// ```
/// z₀ = mix(master ⊕ 0x5851F42D4C957F2D)
/// zₖ = mix(zₖ₋₁ ⊕ mix(iₖ + k·γ)),   γ = 0x9E3779B97F4A7C15 (the golden-ratio increment)
/// ```
/// where `mix` is SplitMix64's finalizer (Steele, Lea & Flood 2014, "Fast splittable
/// pseudorandom number generators", OOPSLA; constants from Stafford's "Mix13"). Including the
/// position `k` makes `(1, 2)` and `(2, 1)` different streams. The key depends only on the
/// master seed and the path, never on thread count, scheduling or shard, which is what makes
/// results bit-identical for any number of workers.
public struct SeedSequence: Sendable, Hashable {
  /// The master seed, usually from a scenario file or `--seed`.
  public let masterSeed: UInt64

  public init(masterSeed: UInt64) {
    self.masterSeed = masterSeed
  }

  /// The 64-bit key of the stream at `path`.
  public func streamKey(_ path: [UInt64]) -> UInt64 {
    var z = rootKey
    for (position, index) in path.enumerated() { z = Self.extend(z, position: position, index: index) }
    return z
  }

  /// The key of the stream at the path `prefix` (a key from ``streamKey(_:)``, or the master
  /// seed's start ``rootKey``) extended by `index` at 0-based `position`: the same as the key of
  /// the longer path, without building an array (the replicate loop derives four keys per trial).
  @inlinable
  public static func extend(_ prefix: UInt64, position: Int, index: UInt64) -> UInt64 {
    let salted = index &+ UInt64(position + 1) &* SplitMix64.golden
    return SplitMix64.mix(prefix ^ SplitMix64.mix(salted))
  }

  /// The key of the empty path.
  public var rootKey: UInt64 { SplitMix64.mix(masterSeed ^ 0x5851_F42D_4C95_7F2D) }

  /// A fresh generator for the stream at `path`.
  public func makeRandomSource(_ path: UInt64...) -> GSLRandomSource {
    GSLRandomSource(streamKey: streamKey(path))
  }
}

/// SplitMix64 (Steele, Lea & Flood 2014): used only to hash and to expand seeds.
public struct SplitMix64: Sendable {
  @usableFromInline static let golden: UInt64 = 0x9E37_79B9_7F4A_7C15
  private var state: UInt64

  public init(state: UInt64) { self.state = state }

  /// SplitMix64's output function (Stafford's Mix13 variant).
  @inlinable
  public static func mix(_ value: UInt64) -> UInt64 {
    var z = value
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// The next 64-bit output.
  public mutating func next() -> UInt64 {
    state &+= Self.golden
    return Self.mix(state)
  }
}
