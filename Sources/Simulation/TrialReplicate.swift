// TrialReplicate.swift — one simulated trial under one design and truth: enrol, follow, cut,
// analyse. Numerical trouble (an event target not reached, a Cox fit that does not converge, a
// generator that cannot meet the criteria) is recorded in the result, never thrown.

import Foundation
import GSL
import SurvivalAnalysis
import Synthesis
import TrialSpec

/// Why a replicate produced no analysis (Docs/Methods.md, "Failures").
public enum FailureKind: String, Sendable, Codable, CaseIterable, Comparable {
  case eventTargetNotReached = "event-target-not-reached"
  case noEvents = "no-events"
  case noExperimentalEvents = "no-experimental-events"
  case coxFitFailed = "cox-fit-failed"
  case coxNotConverged = "cox-not-converged"
  case monotoneLikelihood = "monotone-likelihood"
  case noStandardError = "no-standard-error"
  case posteriorFailed = "posterior-failed"
  case similarityTestFailed = "similarity-test-failed"
  case adjustedTestFailed = "adjusted-test-failed"
  case syntheticGenerationFailed = "synthetic-generation-failed"
  case generatorRefitFailed = "generator-refit-failed"
  case noExternalSource = "no-external-source"
  case adjustmentWithoutCovariates = "adjustment-without-covariates"

  /// What happened, for people.
  public var explanation: String {
    switch self {
    case .eventTargetNotReached: "the event target was not reached"
    case .noEvents: "no events among the patients analysed"
    case .noExperimentalEvents: "no event in the experimental arm (the posterior of the HR is improper)"
    case .coxFitFailed: "the Cox fit failed"
    case .coxNotConverged: "the Cox fit did not converge"
    case .monotoneLikelihood: "monotone likelihood (an arm without events)"
    case .noStandardError: "no finite standard error"
    case .posteriorFailed: "the posterior could not be computed"
    case .similarityTestFailed: "the log-rank test of real vs external controls could not be computed"
    case .adjustedTestFailed: "the covariate-adjusted log-rank test or its estimate could not be computed"
    case .syntheticGenerationFailed: "the generator could not produce eligible synthetic patients"
    case .generatorRefitFailed: "every bootstrap refit of the generator failed"
    case .noExternalSource: "the design needs external controls and the cell has no source"
    case .adjustmentWithoutCovariates: "an adjusted analysis needs covariates (a reference cohort)"
    }
  }

  public static func < (a: FailureKind, b: FailureKind) -> Bool { a.rawValue < b.rawValue }
}

/// The analysis of one simulated trial.
public struct ReplicateResult: Sendable {
  /// Estimated log hazard ratio (experimental vs control) and its standard error (posterior mean
  /// and SD for Bayesian analyses); NaN when the replicate failed.
  public var logHazardRatio: Double
  public var standardError: Double
  /// The 95 % interval of the log hazard ratio (Wald, or posterior mean ± 1.96 SD).
  public var lower: Double
  public var upper: Double
  /// The decision statistic: z (negative favours the experimental arm) or P(HR < 1 | data).
  public var statistic: Double
  public var rejected: Bool
  /// Events among the concurrent patients analysed.
  public var events: Int
  /// Control events the analysis took from the external source (its effective sample size).
  public var borrowedEvents: Double
  /// Whether the cap on a synthetic arm's information (the eligible reference's events) acted.
  public var capped: Bool
  public var failure: FailureKind?
  /// σ²_CL/σ²_L of a covariate-adjusted log-rank analysis (nil for other analyses).
  public var varianceRatio: Double? = nil
  /// Events in the experimental arm, and the calendar time of the analysis cut (for sizing).
  public var experimentalEvents = 0
  public var analysisTime = Double.nan

  public var failed: Bool { failure != nil }

  static func failure(_ kind: FailureKind) -> ReplicateResult {
    ReplicateResult(
      logHazardRatio: .nan, standardError: .nan, lower: .nan, upper: .nan, statistic: .nan, rejected: false,
      events: 0, borrowedEvents: 0, capped: false, failure: kind)
  }
}

/// The random streams of one replicate (Docs/Methods.md, determinism). Each arm draws its patients from its own
/// stream, one patient after another in order of entry, so a trial with more real controls
/// contains the smaller trial's patients: common random numbers across the candidate counts of a
/// savings search (Docs/Methods.md), with monotone power curves as the result.
struct ReplicateStreams {
  /// Entry times and the allocation sequence.
  let accrual: GSLRandomSource
  let experimental: GSLRandomSource
  let realControl: GSLRandomSource
  /// Synthetic patients, their entry times and dropout.
  let synthetic: GSLRandomSource

  init(_ seeds: SeedSequence, _ path: [UInt64]) {
    func stream(_ arm: UInt64) -> GSLRandomSource { GSLRandomSource(streamKey: seeds.streamKey(path + [arm])) }
    accrual = stream(0)
    experimental = stream(1)
    realControl = stream(2)
    synthetic = stream(3)
  }

  /// Generators to be reseeded (``reseed(_:cell:truth:design:replicate:)``) before use.
  init() {
    accrual = GSLRandomSource(streamKey: 0)
    experimental = GSLRandomSource(streamKey: 1)
    realControl = GSLRandomSource(streamKey: 2)
    synthetic = GSLRandomSource(streamKey: 3)
  }

  /// The streams of `ReplicateStreams(seeds, [cell, truth, design, replicate])`, in place.
  func reseed(_ seeds: SeedSequence, cell: Int, truth: Int, design: Int, replicate: Int) {
    // Written out (no array of the path): this runs for every trial.
    var key = SeedSequence.extend(seeds.rootKey, position: 0, index: UInt64(cell))
    key = SeedSequence.extend(key, position: 1, index: UInt64(truth))
    key = SeedSequence.extend(key, position: 2, index: UInt64(design))
    key = SeedSequence.extend(key, position: 3, index: UInt64(replicate))
    accrual.reseed(streamKey: SeedSequence.extend(key, position: 4, index: 0))
    experimental.reseed(streamKey: SeedSequence.extend(key, position: 4, index: 1))
    realControl.reseed(streamKey: SeedSequence.extend(key, position: 4, index: 2))
    synthetic.reseed(streamKey: SeedSequence.extend(key, position: 4, index: 3))
  }
}

/// How the enrolment of one trial ended: the analysis cut, or why there is no analysis.
enum Enrolment {
  case cut(Double)
  case failed(FailureKind)
}

extension TrialModel {
  /// Simulates and analyses one trial. `generator` is this replicate's synthetic source (nil
  /// when the design has no synthetic controls); `workspace` the calling worker's scratch (a
  /// fresh one when nil).
  func simulate(
    design: Scenario.Design, hazardRatio: Double, drift: Double, streams: ReplicateStreams,
    generator: SharedGenerator?, context: AnalysisContext, workspace: TrialWorkspace? = nil
  ) -> ReplicateResult {
    let ws = workspace ?? TrialWorkspace()
    switch enrol(design: design, hazardRatio: hazardRatio, drift: drift, streams: streams, generator: generator, into: ws) {
    case .failed(let why): return .failure(why)
    case .cut(let cut):
      var result = TrialAnalysis(context: context, synthetic: design.source == .synthetic).analyse(ws, method: design.analysis)
      if !result.failed {
        result.experimentalEvents = ws.experimentalEvents
        result.analysisTime = cut
      }
      return result
    }
  }

  /// Enrols, follows and cuts one trial into the workspace's columns: the real patients in order
  /// of entry, then the analysed patients (concurrent ones entered before the cut, then external ones).
  func enrol(
    design: Scenario.Design, hazardRatio: Double, drift: Double, streams: ReplicateStreams,
    generator: SharedGenerator?, into ws: TrialWorkspace
  ) -> Enrolment {
    let n = design.experimental + design.realControls
    let block = Self.blockSize(experimental: design.experimental, control: design.realControls)
    let external = design.source == .reference ? eligibleRows.count : design.syntheticControls
    ws.start(real: n, blockSize: block.0 + block.1, extra: external)
    // Permuted-block allocation along the order of entry: blocks hold the design's ratio
    // (experimental : real control, reduced), each block in random order.
    let entries = ws.entry.buffer(n)
    accrualTimes(into: entries, rng: streams.accrual)
    SortedOrder.distributionSortValues(
      entries, scratch: ws.sortScratch.buffer(n), counts: ws.sortCounts.buffer(SortedOrder.distributionCounts(n)))
    Self.permutedBlocks(experimental: design.experimental, control: design.realControls, block: block, rng: streams.accrual, into: ws.arm)
    let adjust = Set(design.adjust)
    if !adjust.isEmpty && !hasCovariates { return .failed(.adjustmentWithoutCovariates) }
    let scored = design.analysis.method == .prognostic
    let arms = ws.arm.buffer(n)
    let eventTimes = ws.eventTime.buffer(n)
    let dropouts = ws.dropout.buffer(n)
    var adjustments = [[Double]](repeating: [], count: adjust.isEmpty ? 0 : n)
    var scores = [Double](repeating: 0, count: scored ? n : 0)
    if case .parametric(let control) = truth, adjust.isEmpty, !scored {
      parametricEventTimes(
        control, hazardRatio: hazardRatio, arms: arms, streams: streams, eventTimes: eventTimes, dropouts: dropouts,
        scratch: ws.sortCounts.buffer(2 * n))
    } else {
      let draws = truthDraws()
      for i in 0..<n {
        let experimental = arms[i]
        let rng = experimental ? streams.experimental : streams.realControl
        let draw = draws.eventTime(hazardRatio: experimental ? hazardRatio : 1, adjust: adjust, score: scored, rng: rng)
        eventTimes[i] = draw.time
        if !adjust.isEmpty { adjustments[i] = draw.adjustment }
        if scored { scores[i] = draw.score }
        dropouts[i] = dropoutTime(rng: rng)
      }
    }
    // The analysis cut is set by the real patients alone.
    let accrualEnd = n > 0 ? entries[n - 1] : 0
    let cut: Double
    switch trialProtocol.design.analysis {
    case .calendar(let followUp):
      cut = accrualEnd + followUp
    case .events(let target):
      // The target-th calendar event time, by selection (no full sort). The event times are
      // kept without a branch on whether there is one (it is random).
      let calendar = ws.calendar.buffer(n)
      var m = 0
      for i in 0..<n {
        let t = eventTimes[i]
        calendar[m] = entries[i] + t
        m &+= Branchless.bit(t <= dropouts[i])
      }
      guard m >= target else { return .failed(.eventTargetNotReached) }
      cut = SortedOrder.smallest(
        target, in: UnsafeMutableBufferPointer(rebasing: calendar[0..<m]),
        counts: ws.sortCounts.buffer(SortedOrder.distributionCounts(m)))
    }
    if adjust.isEmpty && !scored {
      ws.appendConcurrent(
        entries: UnsafeBufferPointer(entries), eventTimes: UnsafeBufferPointer(eventTimes),
        dropouts: UnsafeBufferPointer(dropouts), arms: UnsafeBufferPointer(arms), cut: cut)
    } else {
      for i in 0..<n where entries[i] < cut {
        let patient = Self.observe(
          entry: entries[i], event: eventTimes[i], dropout: dropouts[i], cut: cut, experimental: arms[i],
          external: false)
        ws.append(time: patient.time, event: patient.event, experimental: patient.experimental, external: false)
        if !adjust.isEmpty { ws.adjustments.append(adjustments[i]) }
        if scored { ws.scores.append(scores[i]) }
      }
    }
    if design.source == .reference {
      guard let external = referenceControls(drift: drift, adjust: adjust, rng: streams.synthetic) else {
        return .failed(.noExternalSource)
      }
      for patient in external {
        ws.append(time: patient.time, event: patient.event, experimental: false, external: true)
        if !adjust.isEmpty { ws.adjustments.append(patient.adjustment) }
        if scored { ws.scores.append(patient.score) }
      }
    } else if design.syntheticControls > 0 {
      guard let generator else { return .failed(.noExternalSource) }
      let rng = streams.synthetic
      do {
        // The trial reads the event times, and the covariates only to adjust for them.
        let synthetic = try generator.model.sample(
          count: design.syntheticControls, using: rng,
          eligibility: trialProtocol.eligibility, drift: drift, columns: adjust.isEmpty ? .outcome : .all)
        for (k, t) in synthetic.eventTimes.enumerated() {
          // Followed as a concurrent patient would be: entry over the real accrual period.
          let entry = rng.uniform() * accrualEnd
          if entry >= cut { continue }
          let patient = Self.observe(
            entry: entry, event: t * timeFactor, dropout: dropoutTime(rng: rng), cut: cut,
            experimental: false, external: true)
          ws.append(time: patient.time, event: patient.event, experimental: false, external: true)
          if !adjust.isEmpty { ws.adjustments.append(self.adjustment(synthetic.values.map { $0[k] }, adjust)) }
          if scored { ws.scores.append(0) }
        }
      } catch {
        return .failed(.syntheticGenerationFailed)
      }
    }
    return .cut(cut)
  }

  /// Experimental and control patients per allocation block: e/g and c/g (g = gcd(e, c)),
  /// doubled while a block has fewer than 4 patients.
  static func blockSize(experimental e: Int, control c: Int) -> (Int, Int) {
    func gcd(_ a: Int, _ b: Int) -> Int { b == 0 ? a : gcd(b, a % b) }
    let g = max(gcd(e, c), 1)
    var perBlock = (e / g, c / g)
    while perBlock.0 + perBlock.1 < 4, perBlock.0 == 0 || e % (2 * perBlock.0) == 0,
      perBlock.1 == 0 || c % (2 * perBlock.1) == 0
    {
      perBlock = (2 * perBlock.0, 2 * perBlock.1)
    }
    return perBlock
  }

  /// The arm of each patient in order of entry: blocks of ``blockSize(experimental:control:)``,
  /// each shuffled.
  static func permutedBlocks(experimental e: Int, control c: Int, rng: GSLRandomSource) -> [Bool] {
    let block = blockSize(experimental: e, control: c)
    var arms = Column(false)
    arms.reserve(e + c + block.0 + block.1)
    defer { arms.free() }
    permutedBlocks(experimental: e, control: c, block: block, rng: rng, into: arms)
    return Array(arms.buffer(e + c))
  }

  /// ``permutedBlocks(experimental:control:rng:)`` into `arms` (room for e + c plus one block):
  /// whole blocks are drawn, the last one possibly beyond e + c, as the draws demand.
  static func permutedBlocks(experimental e: Int, control c: Int, block: (Int, Int), rng: GSLRandomSource, into arms: Column<Bool>) {
    let size = block.0 + block.1
    guard size > 0 else { return }
    var filled = 0
    while filled < e + c {
      for i in 0..<size { arms[filled + i] = i < block.0 }
      for i in stride(from: size - 1, to: 0, by: -1) {
        let j = rng.uniformInt(below: i + 1)
        let t = arms[filled + i]
        arms[filled + i] = arms[filled + j]
        arms[filled + j] = t
      }
      filled += size
    }
  }

  static func observe(entry: Double, event: Double, dropout: Double, cut: Double, experimental: Bool, external: Bool)
    -> SimulatedPatient
  {
    let (time, isEvent) = observed(entry: entry, event: event, dropout: dropout, cut: cut)
    return SimulatedPatient(time: time, event: isEvent, experimental: experimental, external: external)
  }

  /// The follow-up time and event status of a patient analysed at calendar time `cut`.
  @inline(__always)
  static func observed(entry: Double, event: Double, dropout: Double, cut: Double) -> (time: Double, event: Bool) {
    // The event counts when it precedes dropout and, on the calendar, the cut (compared as the
    // cut itself was computed, entry + event time, so the target event is not lost to rounding).
    let isEvent = event <= dropout && entry + event <= cut
    // Both times computed and one kept without a branch: whether there is an event is random.
    return (Branchless.select(isEvent, event, min(dropout, cut - entry)), isEvent)
  }

  /// Event and dropout times of the real patients under a parametric truth, without covariates,
  /// adjustment or scores: what ``TruthDraws/eventTime(hazardRatio:adjust:score:rng:)`` and
  /// ``dropoutTime(rng:)`` give patient by patient, from the same draws. Each arm's patients draw
  /// from their arm's own stream in order of entry, so drawing one arm after the other draws the
  /// same numbers; it spares a branch per patient on its (random) arm. `scratch` holds 2n values.
  func parametricEventTimes(
    _ control: ControlSurvival, hazardRatio: Double, arms: UnsafeMutableBufferPointer<Bool>, streams: ReplicateStreams,
    eventTimes: UnsafeMutableBufferPointer<Double>, dropouts: UnsafeMutableBufferPointer<Double>,
    scratch: UnsafeMutableBufferPointer<Int>
  ) {
    let n = arms.count
    // The experimental patients' positions from the front of the scratch, the controls' from n.
    var experimentalCount = 0
    var controlCount = 0
    for i in 0..<n {
      let x = Branchless.bit(arms[i])
      scratch[experimentalCount] = i
      scratch[n &+ controlCount] = i
      experimentalCount &+= x
      controlCount &+= 1 &- x
    }
    func draw(_ positions: Range<Int>, hazardRatio: Double, rng: GSLRandomSource, _ time: (Double) -> Double) {
      for k in positions {
        let i = scratch[k]
        let u = rng.uniformPositive()
        eventTimes[i] = time(hazardRatio == 1 ? u : pow(u, 1 / hazardRatio))
        dropouts[i] = dropoutTime(rng: rng)
      }
    }
    // One loop per distribution, so that its quantile is inlined.
    func both(_ time: (Double) -> Double) {
      draw(0..<experimentalCount, hazardRatio: hazardRatio, rng: streams.experimental, time)
      draw(n..<(n + controlCount), hazardRatio: 1, rng: streams.realControl, time)
    }
    switch control {
    case .exponential(let median): both { Self.exponentialQuantile(median: median, survival: $0) }
    case .weibull(let median, let shape): both { Self.weibullQuantile(median: median, shape: shape, survival: $0) }
    case .piecewise: both { Self.quantile(control, survival: $0) }
    }
  }
}
