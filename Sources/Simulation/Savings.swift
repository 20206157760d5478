// Savings.swift — real control patients saved by synthetic ones (Docs/Methods.md, "Sample-size savings").
//
// The experimental arm is fixed. The conventional design (real controls only) is simulated at a
// grid of real-control counts; the augmented design (the same synthetic controls and analysis)
// at the same counts, at the protocol's hazard ratio (power) and at HR = 1 (type-I error), for
// every drift. Each candidate count shares the random streams of the design it varies, and each
// arm draws its patients in order of entry, so a larger arm contains the smaller one's patients:
// common random numbers make the curves nearly monotone, and an isotonic fit makes them so
// (``MonotoneCurve``). Conventional count = where the power curve reaches the target; augmented
// count = the smallest with power ≥ target and type-I error ≤ α + 2·MCSE (MCSE at α, √(α(1−α)/B)).
// Schoenfeld's analytic count is printed beside the simulated conventional one: his formula's
// power for the simulated mean events at each count (events, not patients, are what his formula
// knows; the trial's calendar lengthens with its size at a fixed accrual rate).

import Foundation
import GSL
import SurvivalAnalysis
import TrialSpec

/// A simulated rejection rate at one real-control count.
public struct CurvePoint: Sendable, Codable, Equatable {
  public var realControls: Int
  public var rate: Double
  public var mcse: Double
  /// The monotone (isotonic) fit at this count.
  public var fitted: Double
  public var meanEvents: Double
  /// Schoenfeld's analytic power with the simulated mean events (conventional design only).
  public var schoenfeldPower: Double?
}

/// The augmented design's smallest real-control count at one drift, and what it saves.
public struct DriftSavings: Sendable, Codable, Equatable {
  public var drift: Double
  public var power: [CurvePoint]
  public var typeIError: [CurvePoint]
  public var realControls: Int?
  /// Where the count would be if the power curve were 2 MCSE higher or lower (nil: beyond the
  /// grid): the Monte Carlo uncertainty of the count, wide where the power curve is flat.
  public var realControlsLow: Int?
  public var realControlsHigh: Int?
  public var powerAtRealControls: Double?
  public var typeIErrorAtRealControls: Double?
  public var saved: Int?
  public var savedPercent: Double?
  /// "found", or why there is no count.
  public var status: String
}

/// The savings search of one augmented design against the conventional design, in one cell.
public struct SavingsSearch: Sendable, Codable, Equatable {
  public var cell: String
  public var design: String
  public var hazardRatio: Double
  public var targetPower: Double
  /// The nominal type-I error and the limit α + 2·MCSE an augmented design must keep.
  public var alpha: Double
  public var typeIErrorLimit: Double
  public var replicates: Int
  public var conventionalPower: [CurvePoint]
  public var conventionalRealControls: Int?
  /// The conventional count's Monte Carlo range, as ``DriftSavings/realControlsLow``.
  public var conventionalRealControlsLow: Int?
  public var conventionalRealControlsHigh: Int?
  public var conventionalStatus: String
  /// Schoenfeld's count for the same experimental arm: where his analytic power, with the
  /// simulated mean events at each count and the estimand's HR, reaches the target.
  public var schoenfeldRealControls: Int?
  public var byDrift: [DriftSavings]
}

/// Rejections and events of one candidate design over the replicates.
struct CandidateSummary {
  var rejections = 0
  var replicates = 0
  var events = 0

  init(_ results: [ReplicateResult]) {
    // Over the analysed replicates (failures are not non-rejections).
    replicates = results.filter { !$0.failed }.count
    for r in results where !r.failed {
      if r.rejected { rejections += 1 }
      events += r.events
    }
  }

  var rate: Double { Double(rejections) / Double(max(replicates, 1)) }
  var meanEvents: Double { Double(events) / Double(max(replicates, 1)) }
}

/// One savings search: its candidate counts, the trials each needs, and what they gave. The grid
/// starts at ten counts up to twice the conventional design's real controls (plus the designs'
/// own counts) and is extended, up to twice, when the target power is not reached at its top.
struct SavingsPlan {
  let design: Scenario.Design
  let conventional: Scenario.Design
  let hazardRatio: Double
  let targetPower: Double
  let test: TrialDesign.Test
  let typeIErrorLimit: Double
  let replicates: Int
  let drifts: [Double]
  let estimandLogHR: Double
  private let augmentedStream: Int
  private let conventionalStream: Int
  private let powerTruths: [Int]
  private let nullTruths: [Int]
  private(set) var grid: [Int]
  private(set) var extensions = 0
  static let maximumExtensions = 2
  private var conventionalResults: [Int: CandidateSummary] = [:]
  private var powerResults: [[Int: CandidateSummary]]
  private var nullResults: [[Int: CandidateSummary]]

  /// One plan per design in `savings.compare`; none when the scenario asks for no savings or its
  /// truth grid has no hazard ratio other than 1.
  static func plans(scenario: Scenario, estimands: [LargeSampleKey: Double], replicates: Int) -> [SavingsPlan] {
    guard let savings = scenario.savings, let hr = scenario.truth.hazardRatios.first(where: { $0 != 1 }) else { return [] }
    return savings.compare.enumerated().compactMap { k, id in
      guard let d = scenario.designs.firstIndex(where: { $0.id == id }) else { return nil }
      return SavingsPlan(scenario: scenario, designIndex: d, extraIndex: scenario.designs.count + k, hazardRatio: hr,
                         estimands: estimands, replicates: replicates)
    }
  }

  private init(scenario: Scenario, designIndex d: Int, extraIndex: Int, hazardRatio hr: Double,
               estimands: [LargeSampleKey: Double], replicates: Int) {
    let augmented = scenario.designs[d]
    design = augmented
    hazardRatio = hr
    targetPower = scenario.savings?.targetPower ?? 0.8
    test = scenario.trialProtocol.design.test
    self.replicates = replicates
    typeIErrorLimit = test.alpha + 2 * (test.alpha * (1 - test.alpha) / Double(replicates)).squareRoot()
    drifts = scenario.truth.drifts
    // The conventional design: the scenario's own when it has one with this experimental arm.
    let conventionalIndex = scenario.designs.firstIndex {
      $0.syntheticControls == 0 && $0.analysis == .none && $0.experimental == augmented.experimental
        && $0.adjust.sorted() == augmented.adjust.sorted()
    }
    conventional = Scenario.Design(id: "conventional", experimental: augmented.experimental,
                                   realControls: conventionalIndex.map { scenario.designs[$0].realControls } ?? augmented.experimental,
                                   syntheticControls: 0, analysis: .none, adjust: augmented.adjust)
    // Schoenfeld's cross-check uses the conventional design's estimand (a scenario without one
    // has the augmented design's calendar as the nearest).
    estimandLogHR = estimands[LargeSampleKey(hr, conventional)] ?? estimands[LargeSampleKey(hr, augmented)] ?? .nan
    augmentedStream = d
    conventionalStream = conventionalIndex ?? extraIndex
    // Truth stream indices: those of the scenario's grid, and beyond it for HR = 1 when absent.
    let pairs = scenario.truthPairs
    let drifts = drifts
    func truthIndex(_ hr: Double, _ k: Int) -> Int { pairs.firstIndex { $0.0 == hr && $0.1 == drifts[k] } ?? (pairs.count + k) }
    powerTruths = drifts.indices.map { truthIndex(hr, $0) }
    nullTruths = drifts.indices.map { truthIndex(1, $0) }
    let upper = 2 * conventional.realControls
    grid = Array(Set((1...10).map { (upper * $0 + 5) / 10 } + [conventional.realControls, augmented.realControls]).filter { $0 > 0 }).sorted()
    powerResults = drifts.map { _ in [:] }
    nullResults = drifts.map { _ in [:] }
  }

  /// The trials of the counts in the grid not simulated yet, in a fixed order (see `record`).
  func pendingJobs() -> [TrialJob] {
    pendingCounts().flatMap { n -> [TrialJob] in
      var jobs = [TrialJob(truthIndex: powerTruths[0], hazardRatio: hazardRatio, drift: drifts[0],
                           designIndex: conventionalStream, design: Self.candidate(conventional, n))]
      for k in drifts.indices {
        jobs.append(TrialJob(truthIndex: powerTruths[k], hazardRatio: hazardRatio, drift: drifts[k], designIndex: augmentedStream,
                             design: Self.candidate(design, n)))
        jobs.append(TrialJob(truthIndex: nullTruths[k], hazardRatio: 1, drift: drifts[k], designIndex: augmentedStream,
                             design: Self.candidate(design, n)))
      }
      return jobs
    }
  }

  private func pendingCounts() -> [Int] { grid.filter { conventionalResults[$0] == nil } }

  /// Takes the results of `pendingJobs()`, in its order.
  mutating func record(_ results: ArraySlice<[ReplicateResult]>) {
    var next = results.startIndex
    func take() -> CandidateSummary {
      defer { next += 1 }
      return CandidateSummary(results[next])
    }
    for n in pendingCounts() {
      conventionalResults[n] = take()
      for k in drifts.indices {
        powerResults[k][n] = take()
        nullResults[k][n] = take()
      }
    }
  }

  /// Extends the grid beyond its top when a power curve has not reached the target there.
  /// Returns whether it did.
  mutating func extendIfNeeded() -> Bool {
    guard extensions < Self.maximumExtensions, let top = grid.last else { return false }
    let curves = [conventionalResults] + powerResults
    let short = curves.contains { results in
      MonotoneCurve(x: grid.map(Double.init), y: grid.map { results[$0]?.rate ?? 0 }, increasing: true).fitted.last! < targetPower
    }
    guard short else { return false }
    extensions += 1
    grid += [5, 6, 7, 8].map { (top * $0 + 2) / 4 }
    return true
  }

  static func candidate(_ template: Scenario.Design, _ n: Int) -> Scenario.Design {
    var candidate = template
    candidate.realControls = n
    return candidate
  }

  /// The search's answer from the recorded results.
  func search(cell: String) -> SavingsSearch {
    let x = grid.map(Double.init)
    func curve(_ results: [Int: CandidateSummary], increasing: Bool, schoenfeld: Bool = false) -> (MonotoneCurve, [CurvePoint]) {
      let rates = grid.map { results[$0]!.rate }
      let fit = MonotoneCurve(x: x, y: rates, increasing: increasing)
      let points = grid.indices.map { k in
        CurvePoint(realControls: grid[k], rate: rates[k], mcse: (rates[k] * (1 - rates[k]) / Double(replicates)).squareRoot(),
                   fitted: fit.fitted[k], meanEvents: results[grid[k]]!.meanEvents,
                   schoenfeldPower: schoenfeld ? schoenfeldPower(events: results[grid[k]]!.meanEvents, realControls: grid[k]) : nil)
      }
      return (fit, points)
    }
    let (conventionalCurve, conventionalPoints) = curve(conventionalResults, increasing: true, schoenfeld: true)
    let (conventional, conventionalStatus) = Self.count(conventionalCurve.crossing(targetPower), grid: grid)
    // Power 2 MCSE (at the target) above or below: where the count would be within MC error.
    let margin = 2 * (targetPower * (1 - targetPower) / Double(replicates)).squareRoot()
    func range(_ curve: MonotoneCurve) -> (Int?, Int?) {
      (Self.count(curve.crossing(targetPower - margin), grid: grid).0, Self.count(curve.crossing(targetPower + margin), grid: grid).0)
    }
    let conventionalRange = range(conventionalCurve)
    let schoenfeldCurve = MonotoneCurve(x: x, y: conventionalPoints.map { $0.schoenfeldPower ?? 0 }, increasing: true)
    let schoenfeld = Self.count(schoenfeldCurve.crossing(targetPower), grid: grid).0
    let byDrift = drifts.indices.map { k -> DriftSavings in
      let (power, powerPoints) = curve(powerResults[k], increasing: true)
      let (typeI, typeIPoints) = curve(nullResults[k], increasing: false)
      var result = DriftSavings(drift: drifts[k], power: powerPoints, typeIError: typeIPoints, status: "found")
      let (byPower, powerStatus) = Self.count(power.crossing(targetPower), grid: grid)
      guard let byPower else { result.status = powerStatus; return result }
      guard let byTypeI = Self.count(typeI.crossing(typeIErrorLimit), grid: grid).0 else {
        result.status = "type-I error above \(String(format: "%.4f", typeIErrorLimit)) at every count up to \(grid.last!)"
        return result
      }
      let count = max(byPower, byTypeI)
      let (low, high) = range(power)
      result.realControlsLow = low.map { max($0, byTypeI) }
      result.realControlsHigh = high.map { max($0, byTypeI) }
      result.status = count == grid[0] ? "at most \(grid[0]): both criteria met at the smallest candidate" : "found"
      result.realControls = count
      result.powerAtRealControls = power.value(at: Double(count))
      result.typeIErrorAtRealControls = typeI.value(at: Double(count))
      if let conventional {
        result.saved = conventional - count
        result.savedPercent = 100 * Double(conventional - count) / Double(conventional)
      }
      return result
    }
    return SavingsSearch(cell: cell, design: design.id, hazardRatio: hazardRatio, targetPower: targetPower, alpha: test.alpha,
                         typeIErrorLimit: typeIErrorLimit, replicates: replicates, conventionalPower: conventionalPoints,
                         conventionalRealControls: conventional, conventionalRealControlsLow: conventionalRange.0,
                         conventionalRealControlsHigh: conventionalRange.1, conventionalStatus: conventionalStatus,
                         schoenfeldRealControls: schoenfeld, byDrift: byDrift)
  }

  /// A count from a crossing: rounded up to whole patients; the smallest candidate when the
  /// curve starts above the level; none (and why) when it never gets there.
  static func count(_ crossing: MonotoneCurve.Crossing, grid: [Int]) -> (Int?, String) {
    switch crossing {
    case .at(let n): return (Int(n.rounded(.up)), "found")
    case .atOrBelowFirst: return (grid[0], "at most \(grid[0]): reached at the smallest candidate")
    case .beyondLast: return (nil, "target power not reached with \(grid.last!) real controls")
    }
  }

  /// Schoenfeld's (1981) power of the log-rank test with the simulated mean number of events
  /// at allocation n_e : n_c, for the estimand (the marginal HR under the trial's censoring).
  func schoenfeldPower(events: Double, realControls n: Int) -> Double {
    let allocation = Double(design.experimental) / Double(n)
    if test.sided == 1 {
      // One-sided: only the favourable tail counts.
      let drift = (events * allocation).squareRoot() / (1 + allocation) * abs(estimandLogHR)
      return StandardNormal.cdf(drift - StandardNormal.quantile(1 - test.alpha))
    }
    return SurvivalDesign.power(events: events, hazardRatio: exp(estimandLogHR), alpha: test.alpha, allocation: allocation)
  }
}
