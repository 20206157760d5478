// SyntheticReference.swift — reference cohorts drawn from a *known* model, written with a
// protocol into a temporary folder, so that what the generator learns can be compared with the
// truth.

import Foundation
import GSL
import TrialSpec

/// A temporary folder holding `data.csv` and `protocol.yaml`.
struct KnownReference {
  let folder: URL
  var protocolPath: String { folder.appendingPathComponent("protocol.yaml").path }

  /// n patients: x, y standard normal with correlation ρ; g = 1 when a third latent normal
  /// correlated with x (ρ) exceeds 0; Weibull PH event times (shape k, scale λ, log-HR β on x),
  /// uniform censoring on (0, censorMax); `missingY` of y missing completely at random.
  static func make(
    n: Int, rho: Double, shape: Double = 1.3, scale: Double = 20, beta: Double = 0.5,
    censorMax: Double = 60, missingY: Double = 0, seed: UInt64, eligibility: String = "",
    constraints: String = "", synthesis: String = "generator: gaussian-copula"
  ) throws -> KnownReference {
    let rng = SeedSequence(masterSeed: seed).makeRandomSource(1)
    var lines = ["x,y,g,time,status"]
    for _ in 0..<n {
      let e1 = rng.normal()
      let e2 = rng.normal()
      let e3 = rng.normal()
      let x = e1
      let y = rho * e1 + (1 - rho * rho).squareRoot() * e2
      let g = rho * e1 + (1 - rho * rho).squareRoot() * e3 > 0 ? 1 : 0
      let t = scale * pow(-log(rng.uniformPositive()) * exp(-beta * x), 1 / shape)
      let c = censorMax * rng.uniform()
      let yText = rng.uniform() < missingY ? "" : String(format: "%.6f", y)
      lines.append(String(format: "%.6f", x) + ",\(yText),\(g)," + String(format: "%.6f", min(t, c)) + ",\(t <= c ? 1 : 0)")
    }
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("syntharm-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    try (lines.joined(separator: "\n") + "\n").write(to: folder.appendingPathComponent("data.csv"), atomically: true, encoding: .utf8)
    let protocolText = """
      syntharm: 1
      id: known-model
      time_unit: month
      reference:
        data: data.csv
        time: {column: time, unit: month}
        event: {column: status, event_value: 1}
      variables:
        x: {type: continuous}
        y: {type: continuous}
        g: {type: binary}
      \(eligibility.isEmpty ? "" : "eligibility:\n  on_unknown: exclude\n  inclusion:\n" + eligibility)
      endpoint: {name: overall survival, kind: time-to-event}
      arms:
        - {id: control, role: control}
        - {id: experimental, role: experimental, hazard_ratio: 0.7}
      design:
        patients: 400
        accrual: {duration: 24}
        analysis: {at: calendar, follow_up: 12}
        test: {method: logrank, alpha: 0.05}
      synthesis:
        \(synthesis)
        outcome: weibull
      \(constraints.isEmpty ? "" : "  constraints: [\(constraints)]")
      """
    try protocolText.write(to: folder.appendingPathComponent("protocol.yaml"), atomically: true, encoding: .utf8)
    return KnownReference(folder: folder)
  }

  func load() throws -> TrialProtocol { try TrialProtocol.load(path: protocolPath) }
  func remove() { try? FileManager.default.removeItem(at: folder) }
}

/// Two-sample Kolmogorov–Smirnov statistic.
func ksStatistic(_ a: [Double], _ b: [Double]) -> Double {
  let x = a.sorted()
  let y = b.sorted()
  var i = 0
  var j = 0
  var d = 0.0
  while i < x.count && j < y.count {
    let v = min(x[i], y[j])
    while i < x.count && x[i] <= v { i += 1 }
    while j < y.count && y[j] <= v { j += 1 }
    d = max(d, abs(Double(i) / Double(x.count) - Double(j) / Double(y.count)))
  }
  return d
}

func pearson(_ a: [Double], _ b: [Double]) -> Double {
  let n = Double(a.count)
  let ma = a.reduce(0, +) / n
  let mb = b.reduce(0, +) / n
  var sab = 0.0
  var saa = 0.0
  var sbb = 0.0
  for i in a.indices {
    sab += (a[i] - ma) * (b[i] - mb)
    saa += (a[i] - ma) * (a[i] - ma)
    sbb += (b[i] - mb) * (b[i] - mb)
  }
  return sab / (saa * sbb).squareRoot()
}
