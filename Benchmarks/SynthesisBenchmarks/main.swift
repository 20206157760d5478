// SynthesisBenchmarks — generator fit + conditional generation (release build: `make bench`).
// Target (issue 4): fit on colon_os (929 rows) plus 10,000 conditional rows ≤ 20 ms; anchor SDV
// GaussianCopulaSynthesizer 0.93 s on this machine class. Sequential CART (generator: cart, the
// default minbucket 20 and density smoothing): fit on 1,000 rows ≤ 50 ms, 10,000 conditional rows
// ≤ 50 ms.

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

func median(_ body: () throws -> Void, runs: Int = 15) rethrows -> Double {
  let clock = ContinuousClock()
  var times: [Double] = []
  for _ in 0..<runs {
    let d = try clock.measure(body)
    times.append(Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18)
  }
  return times.sorted()[runs / 2]
}

do {
  let p = try protocolOnAllRows()
  print("SynthArm synthesis benchmarks (release build, median of 15 runs)")
  print("case | time | anchor | target")
  let fit = try median { _ = try SyntheticControlGenerator(protocol: p) }
  print(String(format: "fit on colon_os (%d rows) | %.2f ms | — | —", p.referenceData!.referenceRows.count, fit * 1e3))
  let generator = try SyntheticControlGenerator(protocol: p)
  let generate = try median { _ = try generator.generate(count: 10_000, seed: 1) }
  print(String(format: "10,000 conditional rows | %.2f ms | — | —", generate * 1e3))
  let both = try median {
    let g = try SyntheticControlGenerator(protocol: p)
    _ = try g.generate(count: 10_000, seed: 1)
  }
  print(String(format: "fit + 10,000 conditional rows | %.2f ms | SDV GaussianCopula 930 ms | ≤ 20 ms", both * 1e3))
  var cart = p
  cart.synthesis!.generator = .cart
  cart.synthesis!.cart = CARTSettings()
  let cartFit = try median { _ = try SyntheticControlGenerator(protocol: cart) }
  print(String(format: "CART fit on colon_os (%d rows) | %.2f ms | — | ≤ 50 ms", p.referenceData!.referenceRows.count, cartFit * 1e3))
  let cartGenerator = try SyntheticControlGenerator(protocol: cart)
  let cartGenerate = try median { _ = try cartGenerator.generate(count: 10_000, seed: 1) }
  print(String(format: "CART 10,000 conditional rows | %.2f ms | — | ≤ 50 ms", cartGenerate * 1e3))
} catch {
  print("benchmark failed: \(error)")
}
