// GSLRandomSource.swift — one taus2 stream and the samplers that draw from it.

@preconcurrency internal import CGSL

/// A GSL taus2 generator (L'Ecuyer's maximally equidistributed combined Tausworthe, period
/// 2⁸⁸), owned by exactly one task.
///
/// Why taus2 and not MT19937: GSL lists it among its fastest simulation-quality generators, and
/// its 3-word state is rewritten per trial in a few nanoseconds where MT19937's 624 words and the
/// block regeneration after it cost more than the draws of a small trial. Measured on this
/// machine: 3.7–5.0 ns per `gsl_rng_uniform` against 8.0–9.1 ns (Scripts/bench/gsl-rng-speed.c).
///
/// A `gsl_rng` holds mutable state, so each Monte Carlo worker creates its own instance from a
/// ``SeedSequence`` stream. Never share one across tasks (it is deliberately not `Sendable`).
///
/// Parametrizations follow the mathematics, not GSL's argument order; each method names the GSL
/// function it calls.
public final class GSLRandomSource {
  private let rng: UnsafeMutablePointer<gsl_rng>

  /// A generator seeded the classic GSL way: `gsl_rng_set(rng, seed)` (only the low 32 bits of
  /// `seed` are used by taus2). Prefer ``init(streamKey:)`` or ``SeedSequence``.
  ///
  /// The corresponding GSL functions are `gsl_rng_alloc(gsl_rng_taus2)` and `gsl_rng_set`.
  public init(seed: UInt) {
    _ = gslErrorHandlerDisabled
    guard let rng = gsl_rng_alloc(gsl_rng_taus2) else {
      fatalError("gsl_rng_alloc failed: out of memory")  // allocator failure is fatal (swift-crypto)
    }
    gsl_rng_set(rng, seed)  // never gsl_rng_env_setup(): results must not depend on the environment
    self.rng = rng
  }

  /// A generator whose whole state is filled from a 64-bit key.
  ///
  /// GSL's taus2 state is `struct { unsigned long s1, s2, s3; }` (`rng/taus.c`), three 32-bit
  /// Tausworthe components held in `unsigned long`s. We write the low and high halves of one
  /// SplitMix64 output and the low half of the next into them, and lift a component that is too
  /// small, exactly as `taus_set` does: L'Ecuyer (1996) needs s1 > 1, s2 > 7 and s3 > 15, or
  /// a component's recurrence is stuck at zero. A GSL whose state differs from that layout stops
  /// the program (a test checks the layout against a naive taus88 from the same state).
  public convenience init(streamKey: UInt64) {
    self.init(seed: UInt(truncatingIfNeeded: streamKey ^ (streamKey >> 32)))
    reseed(streamKey: streamKey)
  }

  /// Puts the generator in the state ``init(streamKey:)`` gives it: the whole taus2 state is
  /// rewritten, so the stream is the same as a fresh generator's. A Monte Carlo worker keeps its
  /// generators and reseeds them for every trial instead of allocating new ones.
  public func reseed(streamKey: UInt64) {
    let words = 3
    let expected = MemoryLayout<UInt>.stride * words
    let size = gsl_rng_size(rng)
    guard size == expected, let state = gsl_rng_state(rng) else {
      preconditionFailure("GSL's taus2 state is \(size) bytes, not the \(expected) this build was written for")
    }
    var expander = SplitMix64(state: streamKey)
    let first = expander.next()
    let second = expander.next()
    let s = state.bindMemory(to: UInt.self, capacity: words)
    s[0] = Self.lifted(first & 0xFFFF_FFFF, above: 1)
    s[1] = Self.lifted(first >> 32, above: 7)
    s[2] = Self.lifted(second & 0xFFFF_FFFF, above: 15)
  }

  /// `taus_set`'s repair of a component that would freeze: add the bound plus one.
  private static func lifted(_ word: UInt64, above bound: UInt64) -> UInt {
    UInt(word > bound ? word : word + bound + 1)
  }

  deinit { gsl_rng_free(rng) }

  // MARK: - Uniform

  /// A uniform draw on [0, 1). The corresponding GSL function is `gsl_rng_uniform`.
  public func uniform() -> Double { gsl_rng_uniform(rng) }

  /// A uniform draw on the open interval (0, 1), safe for `log`.
  /// The corresponding GSL function is `gsl_rng_uniform_pos`.
  public func uniformPositive() -> Double { gsl_rng_uniform_pos(rng) }

  /// A uniform integer in `0..<upperBound` (`upperBound` ≥ 1), e.g. a bootstrap index.
  /// The corresponding GSL function is `gsl_rng_uniform_int`.
  public func uniformInt(below upperBound: Int) -> Int {
    precondition(upperBound >= 1, "uniformInt(below:) needs upperBound >= 1, got \(upperBound)")
    return Int(gsl_rng_uniform_int(rng, UInt(upperBound)))
  }

  // MARK: - Continuous samplers

  /// A normal draw with the given mean and standard deviation.
  /// The corresponding GSL function is `gsl_ran_gaussian_ziggurat` (σ as its second argument).
  public func normal(mean: Double = 0, standardDeviation: Double = 1) -> Double {
    mean + gsl_ran_gaussian_ziggurat(rng, standardDeviation)
  }

  /// An exponential draw with the given *rate* λ (mean 1/λ).
  /// The corresponding GSL function is `gsl_ran_exponential`, which takes the mean.
  public func exponential(rate: Double) -> Double {
    gsl_ran_exponential(rng, 1 / rate)
  }

  /// A Weibull draw with survival S(t) = exp(−(t/scale)^shape).
  /// The corresponding GSL function is `gsl_ran_weibull(r, a, b)` with a = scale, b = shape.
  public func weibull(shape: Double, scale: Double) -> Double {
    gsl_ran_weibull(rng, scale, shape)
  }

  /// A gamma draw with density ∝ x^(shape−1) e^(−x/scale) (mean shape·scale).
  /// The corresponding GSL function is `gsl_ran_gamma(r, a, b)` with a = shape, b = scale.
  public func gamma(shape: Double, scale: Double) -> Double {
    gsl_ran_gamma(rng, shape, scale)
  }

  /// A beta draw with density ∝ x^(a−1)(1−x)^(b−1).
  /// The corresponding GSL function is `gsl_ran_beta`.
  public func beta(_ a: Double, _ b: Double) -> Double {
    gsl_ran_beta(rng, a, b)
  }

  // MARK: - Discrete samplers

  /// The number of successes in `trials` Bernoulli(`probability`) trials.
  /// The corresponding GSL function is `gsl_ran_binomial(r, p, n)`.
  public func binomial(trials: Int, probability: Double) -> Int {
    precondition(trials >= 0 && trials <= Int(UInt32.max), "binomial trials out of range: \(trials)")
    return Int(gsl_ran_binomial(rng, probability, UInt32(trials)))
  }

  /// Counts of `trials` draws over categories with the given (not necessarily normalised)
  /// non-negative weights. The corresponding GSL function is `gsl_ran_multinomial`.
  public func multinomial(trials: Int, weights: [Double]) -> [Int] {
    precondition(!weights.isEmpty, "multinomial needs at least one category")
    precondition(trials >= 0 && trials <= Int(UInt32.max), "multinomial trials out of range: \(trials)")
    var counts = [UInt32](repeating: 0, count: weights.count)
    weights.withUnsafeBufferPointer { p in
      counts.withUnsafeMutableBufferPointer { n in
        gsl_ran_multinomial(rng, p.count, UInt32(trials), p.baseAddress, n.baseAddress)
      }
    }
    return counts.map { Int($0) }
  }
}

@available(*, unavailable)
extension GSLRandomSource: Sendable {}
