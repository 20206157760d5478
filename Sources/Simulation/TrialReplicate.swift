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
}

/// The patients of one simulated trial as the analysis sees them, or why there are none.
enum Enrolment {
  case patients([SimulatedPatient], cut: Double)
  case failed(FailureKind)
}

extension TrialModel {
  /// Simulates and analyses one trial. `generator` is this replicate's synthetic source (nil
  /// when the design has no synthetic controls).
  func simulate(
    design: Scenario.Design, hazardRatio: Double, drift: Double, streams: ReplicateStreams,
    generator: SharedGenerator?, context: AnalysisContext
  ) -> ReplicateResult {
    switch enrol(design: design, hazardRatio: hazardRatio, drift: drift, streams: streams, generator: generator) {
    case .failed(let why): return .failure(why)
    case .patients(let patients, let cut):
      var result = TrialAnalysis(context: context, synthetic: design.source == .synthetic).analyse(patients, method: design.analysis)
      if !result.failed {
        result.experimentalEvents = patients.reduce(0) { $0 + ($1.experimental && $1.event ? 1 : 0) }
        result.analysisTime = cut
      }
      return result
    }
  }

  /// Enrols, follows and cuts one trial.
  func enrol(
    design: Scenario.Design, hazardRatio: Double, drift: Double, streams: ReplicateStreams,
    generator: SharedGenerator?
  ) -> Enrolment {
    let n = design.experimental + design.realControls
    // Permuted-block allocation along the order of entry: blocks hold the design's ratio
    // (experimental : real control, reduced), each block in random order.
    let entries = accrualTimes(n, rng: streams.accrual).sorted()
    let arms = Self.permutedBlocks(experimental: design.experimental, control: design.realControls, rng: streams.accrual)
    let adjust = Set(design.adjust)
    if !adjust.isEmpty && !hasCovariates { return .failed(.adjustmentWithoutCovariates) }
    let draws = truthDraws()
    var eventTimes = [Double](repeating: 0, count: n)
    var dropouts = eventTimes
    var adjustments = [[Double]](repeating: [], count: adjust.isEmpty ? 0 : n)
    let scored = design.analysis.method == .prognostic
    var scores = [Double](repeating: 0, count: scored ? n : 0)
    for i in 0..<n {
      let rng = arms[i] ? streams.experimental : streams.realControl
      let draw = draws.eventTime(hazardRatio: arms[i] ? hazardRatio : 1, adjust: adjust, rng: rng)
      eventTimes[i] = draw.time
      if !adjust.isEmpty { adjustments[i] = draw.adjustment }
      if scored { scores[i] = draw.score }
      dropouts[i] = dropoutTime(rng: rng)
    }
    // The analysis cut is set by the real patients alone.
    let accrualEnd = entries.max() ?? 0
    let cut: Double
    switch trialProtocol.design.analysis {
    case .calendar(let followUp):
      cut = accrualEnd + followUp
    case .events(let target):
      var calendar = (0..<n).filter { eventTimes[$0] <= dropouts[$0] }.map { entries[$0] + eventTimes[$0] }
      guard calendar.count >= target else { return .failed(.eventTargetNotReached) }
      calendar.sort()
      cut = calendar[target - 1]
    }
    var patients: [SimulatedPatient] = []
    patients.reserveCapacity(n + design.syntheticControls)
    for i in 0..<n where entries[i] < cut {
      var patient = Self.observe(
        entry: entries[i], event: eventTimes[i], dropout: dropouts[i], cut: cut,
        experimental: arms[i], external: false)
      if !adjust.isEmpty { patient.adjustment = adjustments[i] }
      if scored { patient.score = scores[i] }
      patients.append(patient)
    }
    if design.source == .reference {
      guard let external = referenceControls(drift: drift, adjust: adjust, rng: streams.synthetic) else {
        return .failed(.noExternalSource)
      }
      patients += external
    } else if design.syntheticControls > 0 {
      guard let generator else { return .failed(.noExternalSource) }
      let rng = streams.synthetic
      do {
        let synthetic = try generator.model.sample(
          count: design.syntheticControls, using: rng,
          eligibility: trialProtocol.eligibility, drift: drift)
        for (k, t) in synthetic.eventTimes.enumerated() {
          // Followed as a concurrent patient would be: entry over the real accrual period.
          let entry = rng.uniform() * accrualEnd
          if entry >= cut { continue }
          var patient = Self.observe(
            entry: entry, event: t * timeFactor, dropout: dropoutTime(rng: rng), cut: cut,
            experimental: false, external: true)
          if !adjust.isEmpty { patient.adjustment = self.adjustment(synthetic.values.map { $0[k] }, adjust) }
          patients.append(patient)
        }
      } catch {
        return .failed(.syntheticGenerationFailed)
      }
    }
    return .patients(patients, cut: cut)
  }

  /// The arm of each patient in order of entry: blocks of e/g experimental and c/g control
  /// patients (g = gcd(e, c)), doubled while a block has fewer than 4 patients, each shuffled.
  static func permutedBlocks(experimental e: Int, control c: Int, rng: GSLRandomSource) -> [Bool] {
    func gcd(_ a: Int, _ b: Int) -> Int { b == 0 ? a : gcd(b, a % b) }
    let g = max(gcd(e, c), 1)
    var perBlock = (e / g, c / g)
    while perBlock.0 + perBlock.1 < 4, perBlock.0 == 0 || e % (2 * perBlock.0) == 0,
      perBlock.1 == 0 || c % (2 * perBlock.1) == 0
    {
      perBlock = (2 * perBlock.0, 2 * perBlock.1)
    }
    var arms: [Bool] = []
    arms.reserveCapacity(e + c)
    while arms.count < e + c {
      var block = [Bool](repeating: true, count: perBlock.0) + [Bool](repeating: false, count: perBlock.1)
      for i in stride(from: block.count - 1, to: 0, by: -1) { block.swapAt(i, rng.uniformInt(below: i + 1)) }
      arms += block
    }
    return arms
  }

  static func observe(entry: Double, event: Double, dropout: Double, cut: Double, experimental: Bool, external: Bool)
    -> SimulatedPatient
  {
    // The event counts when it precedes dropout and, on the calendar, the cut (compared as the
    // cut itself was computed, entry + event time, so the target event is not lost to rounding).
    let isEvent = event <= dropout && entry + event <= cut
    return SimulatedPatient(
      time: isEvent ? event : min(dropout, cut - entry), event: isEvent, experimental: experimental,
      external: external)
  }
}
