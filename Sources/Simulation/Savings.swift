// Savings.swift — real control patients saved by synthetic ones, at a common type-I error
// (Docs/Methods.md, "Real control patients saved").
//
// 1. The conventional design is sized for the target power with both arms scaled together at the
//    protocol's allocation, accrual rate and analysis rule: total patients N on a grid, each
//    simulated under the target HR and under HR 1 (drift 1), power read at its calibrated
//    threshold, an isotonic + monotone-cubic curve, Brent for the crossing N*.
// 2. Each compared design keeps the conventional experimental arm e* and searches the smallest
//    real-control count whose power at its own calibrated threshold reaches the target; its
//    synthetic controls stay as the design has them.
// 3. Every candidate of every design draws from the same streams (common random numbers: the same
//    experimental patients, nested real controls, the same generator refit per replicate), so
//    "saved" = conventional controls − augmented controls is a paired difference; its interval
//    is a bootstrap over replicates of both curves at once (thresholds recalibrated in each
//    resample).
// 4. At the chosen count, power and type-I error at every drift of the truth grid, at the
//    threshold calibrated at drift 1 (or the scenario's range): the price if exchangeability
//    fails. No saving is computed under drift ≠ 1.

import Foundation
import GSL
import SurvivalAnalysis
import TrialSpec

/// A simulated rejection rate (at the candidate's calibrated threshold) at one candidate size.
public struct CurvePoint: Sendable, Codable, Equatable {
  /// Total patients (conventional) or real controls (augmented).
  public var count: Int
  public var rate: Double
  public var mcse: Double
  /// The monotone (isotonic) fit at this count.
  public var fitted: Double
  public var meanEvents: Double
  /// The candidate's calibrated threshold.
  public var threshold: Double
}

/// Power and type-I error of the chosen design at one drift, at its calibrated threshold.
public struct DriftRisk: Sendable, Codable, Equatable {
  public var drift: Double
  public var power: Double
  public var powerMCSE: Double
  public var typeIError: Double
  public var typeIErrorMCSE: Double
}

/// Why a savings search has (or has not) an answer.
public enum SavingsStatus: String, Sendable, Codable {
  case found
  /// The saving's interval contains 0.
  case notDistinguishable = "not-distinguishable"
  /// The augmented design does not reach the target power with up to the grid's real controls.
  case notReached = "not-reached"
  /// The conventional design does not reach the target power on its grid.
  case conventionalNotReached = "conventional-not-reached"
}

/// The savings search of one compared design, in one cell.
public struct SavingsSearch: Sendable, Codable, Equatable {
  public var cell: String
  public var design: String
  public var hazardRatio: Double
  public var targetPower: Double
  public var alpha: Double
  public var replicates: Int
  public var bootstrapResamples: Int
  /// The conventional power curve over total patients, the size found, its arms, mean events and
  /// duration (accrual + follow-up, or the mean calendar time of the analysis).
  public var conventionalPower: [CurvePoint]
  public var conventionalPatients: Int?
  public var conventionalExperimental: Int?
  public var conventionalControls: Int?
  public var conventionalEvents: Double?
  public var conventionalMonths: Double?
  /// Schoenfeld's total patients for the target power, with the simulated split of events between
  /// the arms and the estimand's HR (events from the simulated events-per-patient curve).
  public var schoenfeldPatients: Int?
  /// The compared design's power curve over real controls (experimental arm e*).
  public var augmentedPower: [CurvePoint]
  public var realControls: Int?
  public var syntheticControls: Int
  /// Conventional controls − augmented real controls, its bootstrap 95 % interval, and in % of
  /// the conventional control arm; months of accrual saved.
  public var saved: Int?
  public var savedLow: Int?
  public var savedHigh: Int?
  public var savedPercent: Double?
  public var monthsSaved: Double?
  /// The calibrated threshold at the chosen count, its Monte Carlo interval and scale.
  public var threshold: Double?
  public var thresholdLow: Double?
  public var thresholdHigh: Double?
  public var thresholdScale: EvidenceScale
  public var byDrift: [DriftRisk]
  public var status: SavingsStatus
}

/// Scores (evidence: rejects above the threshold) of one candidate's trials, NaN where failed.
struct CandidateScores {
  var alternative: [Double]
  var nulls: [[Double]]
  var events: Double
  var experimentalEvents: Double
  var analysisTime: Double

  init(alternative: [ReplicateResult], nulls: [[ReplicateResult]], bayesian: Bool, sided: Int) {
    func scores(_ r: [ReplicateResult]) -> [Double] {
      r.map { $0.failed ? .nan : Calibration.evidence($0, bayesian: bayesian, sided: sided) }
    }
    self.alternative = scores(alternative)
    self.nulls = nulls.map(scores)
    let ok = alternative.filter { !$0.failed }
    let m = Double(max(ok.count, 1))
    events = Double(ok.reduce(0) { $0 + $1.events }) / m
    experimentalEvents = Double(ok.reduce(0) { $0 + $1.experimentalEvents }) / m
    analysisTime = ok.reduce(0) { $0 + $1.analysisTime } / m
  }

  /// The calibrated threshold (largest over the null drifts) and power at it, on the replicates
  /// `indices` (a bootstrap resample, or all).
  func power(alpha: Double, indices: [Int]) -> (threshold: Double, low: Double, high: Double, power: Double, analysed: Int) {
    var threshold = -Double.infinity
    var low = threshold
    var high = threshold
    for null in nulls {
      let sorted = indices.map { null[$0] }.filter { !$0.isNaN }.sorted(by: >)
      guard let c = Calibration.orderStatistic(sorted, alpha: alpha) else { return (.nan, .nan, .nan, .nan, 0) }
      if c.threshold > threshold { (threshold, low, high) = c }
    }
    let scores = indices.map { alternative[$0] }.filter { !$0.isNaN }
    let power = Double(scores.filter { $0 > threshold }.count) / Double(max(scores.count, 1))
    return (threshold, low, high, scores.isEmpty ? .nan : power, scores.count)
  }
}

/// One savings search as a sequence of simulation phases (the engine runs each phase's jobs,
/// hands back the results and asks for the next).
struct SavingsPlan {
  enum Phase { case conventional, augmented, drifts, done }

  let design: Scenario.Design
  let designIndex: Int
  let hazardRatio: Double
  let targetPower: Double
  let test: TrialDesign.Test
  let replicates: Int
  let calibrationDrifts: [Double]
  let drifts: [Double]
  let allocation: (experimental: Int, control: Int)
  let protocolPatients: Int
  let accrualRate: Double
  let followUp: Double?
  let estimandLogHR: Double
  let bayesian: Bool
  let truthIndex: (Double, Double) -> Int
  private(set) var phase = Phase.conventional
  private(set) var conventionalGrid: [Int] = []
  private(set) var augmentedGrid: [Int] = []
  private var extensions = 0
  /// Whether the current phase's grid was refined around its crossing (once per phase).
  private var refined = false
  private var conventional: [Int: CandidateScores] = [:]
  private var augmented: [Int: CandidateScores] = [:]
  private var chosen: [ReplicateResult]?
  private var driftResults: [(alternative: [ReplicateResult], null: [ReplicateResult])] = []
  private(set) var experimentalArm = 0
  private var conventionalControls: Double?

  /// The stream index every savings candidate of every design shares (common random numbers).
  static let stream = 0x5A7E
  static let bootstrapStream: UInt64 = 0xB007
  static let resamples = 200

  /// Whether the scenario asks for a savings search that ``plans(scenario:model:estimands:replicates:)``
  /// will plan (a `savings` section, a hazard ratio other than 1, a compared design that exists).
  static func searches(_ scenario: Scenario) -> Bool {
    guard let savings = scenario.savings, scenario.truth.hazardRatios.contains(where: { $0 != 1 }) else { return false }
    return savings.compare.contains { id in scenario.designs.contains { $0.id == id } }
  }

  static func plans(scenario: Scenario, model: TrialModel, estimands: [LargeSampleKey: Double], replicates: Int) -> [SavingsPlan] {
    guard let savings = scenario.savings, let hr = scenario.truth.hazardRatios.first(where: { $0 != 1 }) else { return [] }
    let pairs = scenario.truthPairs
    func truthIndex(_ h: Double, _ d: Double) -> Int {
      pairs.firstIndex { $0.0 == h && $0.1 == d } ?? (pairs.count + (scenario.truth.drifts.firstIndex(of: d) ?? 0) + (h == 1 ? 100 : 0))
    }
    let p = scenario.trialProtocol
    let arms = (p.experimentalArms.first?.allocation ?? 1, p.controlArm.allocation)
    let followUp: Double? = if case .calendar(let f) = p.design.analysis { f } else { nil }
    let calibration = scenario.calibration ?? Scenario.Calibration()
    let calibrationDrifts = scenario.truth.drifts.filter { $0 >= calibration.driftLow && $0 <= calibration.driftHigh }
    return savings.compare.compactMap { id in
      guard let d = scenario.designs.firstIndex(where: { $0.id == id }) else { return nil }
      let design = scenario.designs[d]
      let conventional = Scenario.Design(
        id: "conventional", experimental: arms.0, realControls: arms.1, syntheticControls: 0,
        analysis: .none, adjust: design.adjust)
      // The estimand of the scenario's first design without external controls (its calendar is the
      // nearest to the sized one), else of the compared design; scenario order keeps it
      // deterministic.
      let reference = scenario.designs.first { !$0.hasExternalControls && $0.adjust.sorted() == design.adjust.sorted() } ?? design
      let estimand = estimands[LargeSampleKey(hr, conventional)] ?? estimands[LargeSampleKey(hr, reference)] ?? .nan
      var plan = SavingsPlan(
        design: design, designIndex: d, hazardRatio: hr, targetPower: savings.targetPower,
        test: p.design.test, replicates: replicates,
        calibrationDrifts: calibrationDrifts.isEmpty ? [1] : calibrationDrifts, drifts: scenario.truth.drifts,
        allocation: arms, protocolPatients: p.design.patients, accrualRate: model.accrualRate, followUp: followUp,
        estimandLogHR: estimand, bayesian: design.analysis.isBayesian, truthIndex: truthIndex)
      let block = arms.0 + arms.1
      let base = Double(p.design.patients)
      plan.conventionalGrid = Array(
        Set(
          [0.3, 0.5, 0.75, 1.0, 1.5, 2.5].map {
            max(block, Int((base * $0 / Double(block)).rounded()) * block)
          })
      ).sorted()
      return plan
    }
  }

  private func conventionalDesign(_ n: Int) -> Scenario.Design {
    let e = n * allocation.experimental / (allocation.experimental + allocation.control)
    return Scenario.Design(
      id: "conventional-\(n)", experimental: e, realControls: n - e, syntheticControls: 0, analysis: .none,
      adjust: design.adjust)
  }

  private func augmentedDesign(_ c: Int) -> Scenario.Design {
    var d = design
    d.id = "\(design.id)-\(c)"
    d.experimental = experimentalArm
    d.realControls = c
    if design.fillsControlArm, let conventional = conventionalControls {
      d.syntheticControls = max(0, Int(conventional.rounded()) - c)
    }
    return d
  }

  private func jobs(_ d: Scenario.Design, nullDrifts: [Double]) -> [TrialJob] {
    [TrialJob(truthIndex: truthIndex(hazardRatio, 1), hazardRatio: hazardRatio, drift: 1, designIndex: Self.stream, design: d)]
      + nullDrifts.map { TrialJob(truthIndex: truthIndex(1, $0), hazardRatio: 1, drift: $0, designIndex: Self.stream, design: d) }
  }

  /// The jobs of the current phase not simulated yet, in a fixed order (see `record`).
  func pendingJobs() -> [TrialJob] {
    switch phase {
    case .conventional:
      return conventionalGrid.filter { conventional[$0] == nil }.flatMap { jobs(conventionalDesign($0), nullDrifts: [1]) }
    case .augmented:
      return augmentedGrid.filter { augmented[$0] == nil }.flatMap { jobs(augmentedDesign($0), nullDrifts: calibrationDrifts) }
    case .drifts:
      guard let c = chosenCount else { return [] }
      let d = augmentedDesign(c)
      return drifts.flatMap { drift in
        [
          TrialJob(truthIndex: truthIndex(hazardRatio, drift), hazardRatio: hazardRatio, drift: drift, designIndex: Self.stream, design: d),
          TrialJob(truthIndex: truthIndex(1, drift), hazardRatio: 1, drift: drift, designIndex: Self.stream, design: d),
        ]
      }
    case .done:
      return []
    }
  }

  /// Takes the results of `pendingJobs()`, in its order, and moves to the next phase when this
  /// one is complete.
  mutating func record(_ results: ArraySlice<[ReplicateResult]>) {
    var next = results.startIndex
    func take() -> [ReplicateResult] {
      defer { next += 1 }
      return results[next]
    }
    switch phase {
    case .conventional:
      for n in conventionalGrid where conventional[n] == nil {
        let alternative = take()
        let null = take()
        conventional[n] = CandidateScores(alternative: alternative, nulls: [null], bayesian: false, sided: test.sided)
      }
      let curve = powerCurve(conventional, grid: conventionalGrid, indices: Array(0..<replicates)).curve
      if curve.fitted.last! < targetPower, extensions < 2, let top = conventionalGrid.last {
        extensions += 1
        conventionalGrid = Array(
          Set(
            conventionalGrid
              + [1.25, 1.5, 2].map {
                Int((Double(top) * $0).rounded()) / (allocation.0 + allocation.1) * (allocation.0 + allocation.1)
              })
        ).sorted()
        return
      }
      guard case .at(let n) = curve.crossing(targetPower) else {
        phase = .done
        return
      }
      // A coarse grid first, then two candidates bracketing its crossing: the curve is read
      // where it matters, with half the candidates of an even grid (Docs/Methods.md).
      if !refined {
        refined = true
        let block = allocation.0 + allocation.1
        let added = [0.92, 1.08].map { max(block, Int((n * $0 / Double(block)).rounded()) * block) }
          .filter { !conventionalGrid.contains($0) }
        if !added.isEmpty {
          conventionalGrid = Array(Set(conventionalGrid + added)).sorted()
          return
        }
      }
      let e = n * Double(allocation.experimental) / Double(allocation.experimental + allocation.control)
      experimentalArm = Int(e.rounded())
      conventionalControls = n - e
      let c = conventionalControls!
      // A design that fills its control arm has synthetic controls only below the conventional
      // control count: its grid stops there (no crossing below it = no saving).
      let top = design.fillsControlArm ? Int(c.rounded()) - 1 : Int.max
      augmentedGrid = Array(
        Set(
          ([0.1, 0.3, 0.55, 0.8, 1.0, 1.25].map { Int((c * $0).rounded()) }
            + [design.realControls]).filter { $0 > 0 && $0 <= top })
      ).sorted()
      extensions = 0
      refined = false
      phase = augmentedGrid.isEmpty ? .done : .augmented
    case .augmented:
      for c in augmentedGrid where augmented[c] == nil {
        let alternative = take()
        let nulls = calibrationDrifts.map { _ in take() }
        augmented[c] = CandidateScores(alternative: alternative, nulls: nulls, bayesian: bayesian, sided: test.sided)
      }
      let curve = powerCurve(augmented, grid: augmentedGrid, indices: Array(0..<replicates)).curve
      if curve.fitted.last! < targetPower, extensions < 2, !design.fillsControlArm, let top = augmentedGrid.last {
        extensions += 1
        augmentedGrid = Array(Set(augmentedGrid + [1.25, 1.5, 2].map { Int((Double(top) * $0).rounded()) })).sorted()
        return
      }
      if !refined, let c = conventionalControls, case .at(let x) = curve.crossing(targetPower) {
        refined = true
        let top = design.fillsControlArm ? Int(c.rounded()) - 1 : Int.max
        let added = [x - 0.06 * c, x + 0.06 * c].map { Int($0.rounded()) }
          .filter { $0 > 0 && $0 <= top && !augmentedGrid.contains($0) }
        if !added.isEmpty {
          augmentedGrid = Array(Set(augmentedGrid + added)).sorted()
          return
        }
      }
      phase = chosenCount == nil ? .done : .drifts
    case .drifts:
      driftResults = drifts.map { _ in (take(), take()) }
      phase = .done
    case .done:
      break
    }
  }

  /// The augmented crossing rounded up to whole patients (nil when not reached).
  private var chosenCount: Int? {
    guard !augmented.isEmpty else { return nil }
    return crossing(augmented, grid: augmentedGrid, indices: Array(0..<replicates)).map { Int($0.rounded(.up)) }
  }

  /// Power at the calibrated threshold of each candidate, on `indices`, and its monotone fit.
  private func powerCurve(_ scores: [Int: CandidateScores], grid: [Int], indices: [Int]) -> (curve: MonotoneCurve, points: [CurvePoint]) {
    let powers = grid.map { scores[$0]!.power(alpha: test.alpha, indices: indices) }
    let rates = powers.map { $0.power.isNaN ? 0 : $0.power }
    let curve = MonotoneCurve(x: grid.map(Double.init), y: rates, increasing: true)
    let points = grid.indices.map { k in
      CurvePoint(
        count: grid[k], rate: powers[k].power,
        mcse: (rates[k] * (1 - rates[k]) / Double(max(powers[k].analysed, 1))).squareRoot(), fitted: curve.fitted[k],
        meanEvents: scores[grid[k]]!.events, threshold: powers[k].threshold)
    }
    return (curve, points)
  }

  /// The crossing of a power curve on `indices` (nil when not reached; the first count when the
  /// curve starts above the target).
  private func crossing(_ scores: [Int: CandidateScores], grid: [Int], indices: [Int]) -> Double? {
    switch powerCurve(scores, grid: grid, indices: indices).curve.crossing(targetPower) {
    case .at(let x): return x
    case .atOrBelowFirst: return Double(grid[0])
    case .beyondLast: return nil
    }
  }

  /// The search's answer from the recorded results.
  func search(cell: String, seeds: SeedSequence, cellIndex: Int) -> SavingsSearch {
    let all = Array(0..<replicates)
    let scale = Calibration.scale(bayesian: bayesian, sided: test.sided)
    var result = SavingsSearch(
      cell: cell, design: design.id, hazardRatio: hazardRatio, targetPower: targetPower, alpha: test.alpha, replicates: replicates,
      bootstrapResamples: Self.resamples, conventionalPower: [], augmentedPower: [], syntheticControls: design.syntheticControls,
      thresholdScale: scale, byDrift: [], status: .conventionalNotReached)
    guard !conventional.isEmpty else { return result }
    result.conventionalPower = powerCurve(conventional, grid: conventionalGrid, indices: all).points
    result.schoenfeldPatients = schoenfeldPatients()
    guard let n = crossing(conventional, grid: conventionalGrid, indices: all), let controls = conventionalControls else { return result }
    result.conventionalPatients = Int(n.rounded(.up))
    result.conventionalExperimental = experimentalArm
    result.conventionalControls = Int(controls.rounded(.up))
    let points = result.conventionalPower
    result.conventionalEvents = interpolate(points.map { (Double($0.count), $0.meanEvents) }, at: n)
    result.conventionalMonths = months(patients: n, scores: conventional, grid: conventionalGrid)
    result.status = .notReached
    guard !augmented.isEmpty else { return result }
    result.augmentedPower = powerCurve(augmented, grid: augmentedGrid, indices: all).points
    guard let c = crossing(augmented, grid: augmentedGrid, indices: all), let count = chosenCount else { return result }
    result.realControls = count
    if design.fillsControlArm { result.syntheticControls = max(0, Int(controls.rounded()) - count) }
    result.saved = Int((controls - c).rounded())
    result.savedPercent = 100 * (controls - c) / controls
    // The accrual of the saved real patients, at the protocol's rate.
    result.monthsSaved = (controls - c) / accrualRate
    if let nearest = augmentedGrid.min(by: { abs($0 - count) < abs($1 - count) }) {
      let t = augmented[nearest]!.power(alpha: test.alpha, indices: all)
      (result.threshold, result.thresholdLow, result.thresholdHigh) = (t.threshold, t.low, t.high)
    }
    // Paired bootstrap over replicates: both curves (and every threshold) from one resample.
    let rng = seeds.makeRandomSource(UInt64(cellIndex), Self.bootstrapStream, UInt64(designIndex))
    var differences: [Double] = []
    for _ in 0..<Self.resamples {
      let indices = all.map { _ in rng.uniformInt(below: replicates) }
      guard let nb = crossing(conventional, grid: conventionalGrid, indices: indices),
        let cb = crossing(augmented, grid: augmentedGrid, indices: indices)
      else { continue }
      let conventionalControlsB = nb * Double(allocation.control) / Double(allocation.experimental + allocation.control)
      differences.append(conventionalControlsB - cb)
    }
    differences.sort()
    if differences.count >= Self.resamples / 2 {
      result.savedLow = Int(quantile(differences, 0.025).rounded(.down))
      result.savedHigh = Int(quantile(differences, 0.975).rounded(.up))
    }
    // Not distinguishable from 0 when the interval holds 0 (or most resamples found no crossing).
    if let low = result.savedLow, let high = result.savedHigh, low > 0 || high < 0 {
      result.status = .found
    } else {
      result.status = .notDistinguishable
    }
    if let c = chosenCount, let nearest = augmentedGrid.min(by: { abs($0 - c) < abs($1 - c) }) {
      let threshold = augmented[nearest]!.power(alpha: test.alpha, indices: all).threshold
      result.byDrift = zip(drifts, driftResults).map { drift, r in
        let (p, pm) = Calibration.rejectionRate(r.alternative, threshold: threshold, bayesian: bayesian, sided: test.sided)
        let (t, tm) = Calibration.rejectionRate(r.null, threshold: threshold, bayesian: bayesian, sided: test.sided)
        return DriftRisk(drift: drift, power: p, powerMCSE: pm, typeIError: t, typeIErrorMCSE: tm)
      }
    }
    return result
  }

  /// Schoenfeld's total patients: the events needed with the simulated split φ of events between
  /// the arms, D = (z₁₋α/s + z₁₋β)² / (φ(1 − φ)·log² HR), converted to patients by the simulated
  /// events-per-patient curve.
  func schoenfeldPatients() -> Int? {
    let grid = conventionalGrid.filter { conventional[$0] != nil }
    guard !grid.isEmpty, estimandLogHR.isFinite, estimandLogHR != 0 else { return nil }
    let total = grid.reduce(0.0) { $0 + conventional[$1]!.events }
    let experimental = grid.reduce(0.0) { $0 + conventional[$1]!.experimentalEvents }
    let phi = experimental / total
    let za = StandardNormal.quantile(1 - test.alpha / Double(test.sided))
    let zb = StandardNormal.quantile(targetPower)
    let events = (za + zb) * (za + zb) / (phi * (1 - phi) * estimandLogHR * estimandLogHR)
    let curve = grid.map { (conventional[$0]!.events, Double($0)) }
    guard let n = interpolate(curve, at: events) else { return nil }
    return Int(n.rounded(.up))
  }

  /// Accrual + follow-up for a calendar analysis; otherwise the mean calendar time of the cut.
  private func months(patients n: Double, scores: [Int: CandidateScores], grid: [Int]) -> Double? {
    if let followUp { return n / accrualRate + followUp }
    return interpolate(grid.map { (Double($0), scores[$0]!.analysisTime) }, at: n)
  }
}

/// Linear interpolation of y at x on points sorted by x (nil outside them).
func interpolate(_ points: [(Double, Double)], at x: Double) -> Double? {
  let sorted = points.sorted { $0.0 < $1.0 }
  guard let first = sorted.first, let last = sorted.last, x >= first.0, x <= last.0 else { return nil }
  for k in 1..<max(sorted.count, 2) where k < sorted.count && x <= sorted[k].0 {
    let (x0, y0) = sorted[k - 1]
    let (x1, y1) = sorted[k]
    return x1 == x0 ? y1 : y0 + (y1 - y0) * (x - x0) / (x1 - x0)
  }
  return last.1
}

/// The q-quantile of sorted values (linear between order statistics).
func quantile(_ sorted: [Double], _ q: Double) -> Double {
  let h = q * Double(sorted.count - 1)
  let lo = Int(h.rounded(.down))
  let hi = min(lo + 1, sorted.count - 1)
  return sorted[lo] + (h - Double(lo)) * (sorted[hi] - sorted[lo])
}
