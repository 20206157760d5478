// Anchors — what the benchmarks are compared with, printed by the harness beside each figure.
//
// An anchor is another tool's time for the same operation: a figure recorded on this machine class
// (R survival, SDV, psborrow2; Docs/Performance.md) or one measured in the same run (rpact, see
// SimulationBenchmarks). A benchmark that has one times its own iterations and reports, as a custom
// metric named after the anchor, the anchor's time divided by SynthArm's time per operation: the
// harness then prints that ratio's percentiles beside the wall-clock percentiles of the same run.

import Benchmark
import Foundation

/// Another tool's time for one operation.
public struct Anchor: Sendable {
  /// The tool, the figure and where it comes from, e.g. "R coxph.fit 305 µs, recorded".
  public let label: String
  /// Seconds per operation.
  public let seconds: Double

  public init(_ label: String, seconds: Double) {
    self.label = label
    self.seconds = seconds
  }

  /// The anchor's time ÷ SynthArm's time per operation (how many times faster SynthArm is),
  /// rounded to a whole number.
  public var speedUp: BenchmarkMetric {
    .custom("× faster than \(label)", polarity: .prefersLarger, useScalingFactor: false)
  }
}

/// Seconds in a duration.
public func seconds(_ d: Duration) -> Double {
  Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
}

extension Benchmark.Configuration {
  /// The configuration with `anchor`'s ratio metric added (integers as printed, not K or M).
  public func comparing(with anchor: Anchor) -> Benchmark.Configuration {
    var c = self
    c.metrics.append(anchor.speedUp)
    c.units[anchor.speedUp] = .count
    return c
  }
}

extension Benchmark {
  /// Runs `body` once per scaled iteration (the measured operation) and records `anchor`'s time ÷
  /// the time per operation. The clock is read twice per iteration and nothing is allocated.
  @inline(__always)
  public func run(against anchor: Anchor, _ body: () throws -> Void) rethrows {
    let clock = ContinuousClock()
    let start = clock.now
    for _ in scaledIterations { try body() }
    let perOperation = seconds(start.duration(to: clock.now)) / Double(scaledIterations.count)
    measurement(anchor.speedUp, Int((anchor.seconds / perOperation).rounded()))
  }
}
