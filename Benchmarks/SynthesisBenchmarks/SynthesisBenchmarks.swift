// SynthesisBenchmarks — generator fit and conditional generation on ordo-one's harness (release
// build; `make bench`): time per operation with percentiles, heap allocations and peak resident
// memory. The protocol is loaded and the generators fitted in set-up, outside the measured
// iterations.
//
// Targets: Gaussian copula fit on colon_os (929 rows) plus 10,000 conditional rows ≤ 20 ms, anchor
// SDV GaussianCopulaSynthesizer 0.93 s recorded on this machine class (printed beside the figure as
// "× faster than …"). Sequential CART (generator: cart, the default minbucket 20 and density
// smoothing): fit ≤ 50 ms, 10,000 conditional rows ≤ 50 ms.

import Anchors
import Benchmark
import Foundation
import Synthesis
import TrialSpec

let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// The contract protocol with every colon_os row as reference (929 patients), as the benchmark asks.
func protocolOnAllRows() throws -> TrialProtocol {
  let source = root.appendingPathComponent("Protocols/colon-adjuvant-os.yaml")
  let text = try String(contentsOf: source, encoding: .utf8).replacingOccurrences(of: "  rows: rx == \"Obs\"", with: "")
  let url = root.appendingPathComponent("Protocols/.bench-colon-all.yaml")
  try text.write(to: url, atomically: true, encoding: .utf8)
  defer { try? FileManager.default.removeItem(at: url) }
  return try TrialProtocol.load(path: url.path)
}

/// The protocol with the sequential CART generator and its default settings.
func cart(_ p: TrialProtocol) -> TrialProtocol {
  var c = p
  c.synthesis!.generator = .cart
  c.synthesis!.cart = CARTSettings()
  return c
}

// Made in set-up (first use), one per benchmark process.
let copulaProtocol: TrialProtocol = {
  do {
    let p = try protocolOnAllRows()
    precondition(p.referenceData?.referenceRows.count == 929, "colon_os has 929 rows: the benchmark names say so")
    return p
  } catch {
    fatalError("benchmark set-up failed: \(error)")
  }
}()
let cartProtocol = cart(copulaProtocol)
let copulaGenerator = fitted(copulaProtocol)
let cartGenerator = fitted(cartProtocol)

func fitted(_ p: TrialProtocol) -> SyntheticControlGenerator {
  do { return try SyntheticControlGenerator(protocol: p) } catch { fatalError("benchmark set-up failed: \(error)") }
}

let sdv = Anchor("SDV GaussianCopula 930 ms, recorded", seconds: 0.93)

let benchmarks: @Sendable () -> Void = {
  func configuration(_ touch: @escaping @Sendable () -> Void) -> Benchmark.Configuration {
    Benchmark.Configuration(
      metrics: [.wallClock, .mallocCountTotal, .peakMemoryResident], warmupIterations: 2, maxDuration: .seconds(3),
      maxIterations: 200, setup: { touch() })
  }

  Benchmark("fit on colon_os (929 rows)", configuration: configuration { _ = copulaProtocol }) { benchmark in
    for _ in benchmark.scaledIterations { blackHole(try SyntheticControlGenerator(protocol: copulaProtocol)) }
  }
  Benchmark("10,000 conditional rows", configuration: configuration { _ = copulaGenerator }) { benchmark in
    for _ in benchmark.scaledIterations { blackHole(try copulaGenerator.generate(count: 10_000, seed: 1)) }
  }
  Benchmark("fit + 10,000 conditional rows", configuration: configuration { _ = copulaProtocol }.comparing(with: sdv)) { benchmark in
    try benchmark.run(against: sdv) {
      let g = try SyntheticControlGenerator(protocol: copulaProtocol)
      blackHole(try g.generate(count: 10_000, seed: 1))
    }
  }
  Benchmark("CART fit on colon_os (929 rows)", configuration: configuration { _ = cartProtocol }) { benchmark in
    for _ in benchmark.scaledIterations { blackHole(try SyntheticControlGenerator(protocol: cartProtocol)) }
  }
  Benchmark("CART 10,000 conditional rows", configuration: configuration { _ = cartGenerator }) { benchmark in
    for _ in benchmark.scaledIterations { blackHole(try cartGenerator.generate(count: 10_000, seed: 1)) }
  }
}
