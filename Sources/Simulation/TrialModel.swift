// TrialModel.swift — the world of a simulated trial (Docs/Methods.md): who is enrolled, when, how
// long they live, when they drop out, and when the trial is analysed. Times are in the
// protocol's time unit.
//
// Truth. With `endpoint.control` (parametric protocols, or overriding the fitted model) the
// control survival S₀ is that distribution. Otherwise covariates are drawn by bootstrap from the
// eligible reference patients and S₀(t | x) is the outcome model fitted once on them. An
// experimental patient with U ~ Uniform(0,1) has T₁ = S₀⁻¹(U^{1/HR} | x): proportional hazards.
// Accrual at the protocol's rate (patients / duration, or piecewise rates) for the design's real
// patients, in random order over the arms; exponential dropout from "probability p by time τ";
// analysis at end of accrual + follow-up, or when the target number of events among the real
// patients is reached; everything after the cut is censored.

import Foundation
import GSL
import Synthesis
import TrialSpec

/// One simulated patient as the analysis sees it.
struct SimulatedPatient {
  var time: Double
  var event: Bool
  var experimental: Bool
  /// An external control (synthetic, or from the reference cohort), not a concurrent patient.
  var external: Bool
  /// Design columns of the analysis' adjustment covariates (empty when unadjusted).
  var adjustment: [Double] = []
  /// The prognostic score (a prognostic analysis only).
  var score = 0.0
}

/// Event times of trial patients under the truth (see ``TrialModel/truthDraws()``).
struct TruthDraws {
  let control: ControlSurvival?
  /// Eligible reference patients' covariates, drawn by bootstrap, and the outcome model fitted on them.
  let rows: [[Double]]
  /// The same rows coded for the outcome model, once per model (coding a row per patient drawn
  /// allocated an array per patient).
  var designs: [[Double]] = []
  /// The fitted truth's generator, whose outcome model draws the event times. Read through the
  /// shared reference: binding the outcome model itself for every patient copied the struct and
  /// retained each of its arrays (6 % of a sweep, measured).
  let generator: SharedGenerator?
  let factor: Double
  /// The prognostic model whose linear predictor scores each patient (nil: no score).
  var prognostic: OutcomeModel? = nil

  /// An event time for a control (HR = 1) or experimental patient, with its covariates drawn,
  /// and the design columns of `adjust` for an adjusted analysis. An experimental patient with
  /// U ~ Uniform(0,1) has T₁ = S₀⁻¹(U^{1/HR} | x): proportional hazards.
  /// The score is computed only when `score` is true (it draws nothing).
  func eventTime(hazardRatio: Double, adjust: Set<String>, score: Bool = true, rng: GSLRandomSource)
    -> (time: Double, adjustment: [Double], score: Double)
  {
    let u = rng.uniformPositive()
    let v = hazardRatio == 1 ? u : pow(u, 1 / hazardRatio)
    guard let generator else { return (TrialModel.quantile(control!, survival: v), [], 0) }
    let k = rng.uniformInt(below: rows.count)
    if !designs.isEmpty && adjust.isEmpty && !(score && prognostic != nil) {
      // The common case reads the coded row alone.
      return (generator.model.outcome.eventTime(survival: v, design: designs[k]) * factor, [], 0)
    }
    let x = rows[k]
    let adjustment = adjust.isEmpty ? [] : generator.model.outcome.design(x, variables: adjust)
    let s = score ? prognostic?.linearPredictor(row: x) ?? 0 : 0
    let time =
      designs.isEmpty
      ? generator.model.outcome.eventTime(survival: v, row: x) : generator.model.outcome.eventTime(survival: v, design: designs[k])
    return (time * factor, adjustment, s)
  }
}

/// A fitted generator shared by reference: the struct holds many buffers, and copying it into
/// every simulated patient's draw cost more than the draw (retain/release traffic, measured).
final class SharedGenerator: Sendable {
  let model: SyntheticControlGenerator
  init(_ model: SyntheticControlGenerator) { self.model = model }
}

/// The scenario's fixed parts, built once and shared (read-only) by every replicate.
public struct TrialModel: Sendable {
  enum Truth: Sendable {
    case parametric(ControlSurvival)
    /// The eligible reference patients' covariates (generator variable order) and the outcome
    /// model fitted on them; times converted by `timeFactor` (reference unit → protocol unit).
    case fitted(rows: [[Double]], generator: SharedGenerator, timeFactor: Double)
  }

  public private(set) var trialProtocol: TrialProtocol
  let truth: Truth
  /// The synthetic source, fitted once on the whole reference (used when `refit` is off, and
  /// as the template of the bootstrap refits).
  let source: SharedGenerator?
  /// Refit the generator in every replicate on a bootstrap resample of the reference.
  public let refit: Bool
  /// The reference rows the generator learns from (bootstrapped by each refit): every reference
  /// patient, or only the eligible ones (`synthesis.fit_on`); under a reference size, a subsample
  /// of them or the rows of a cohort drawn from the truth (rows of ``sourceProtocol``'s data).
  let referenceRows: [Int]
  /// The protocol whose reference data the synthetic source learns from: ``trialProtocol``, or a
  /// copy holding a cohort drawn from the truth (a reference size above the eligible reference).
  let sourceProtocol: TrialProtocol
  /// The eligible rows among ``referenceRows`` (rows of ``sourceProtocol``'s data) and their events.
  let sourceEligibleRows: [Int]
  let sourceEligibleEvents: Int
  /// Where the source's reference comes from under `sweep.reference_size` (nil: as it is).
  public let referenceSample: ReferenceSample?
  public let fitOn: FitPopulation
  /// The eligible reference patients' follow-up (protocol time unit) and events: the cut points of
  /// the piecewise-exponential analyses, the cap on a synthetic arm's information, and what the
  /// implied drift compares the generator with.
  public let eligibleTimes: [Double]
  public let eligibleEvents: [Bool]
  /// The eligible reference rows (CSV row indices).
  let eligibleRows: [Int]
  /// Cut points of the piecewise-exponential control hazard of the Bayesian analyses.
  public let intervals: HazardIntervals
  /// The prognostic model of prognostic-score analyses: the outcome model fitted on every
  /// reference patient (historical data, as PROCOVA trains its score), not the truth fitted on
  /// the eligible ones.
  let prognostic: OutcomeModel?
  let timeFactor: Double
  /// The truth's rows coded for its outcome model (fitted truth only).
  let truthDesigns: [[Double]]
  private(set) var accrualRate: Double
  let dropoutHazard: Double

  /// Builds the model of `p`. Throws when the protocol cannot support the requested designs.
  ///
  /// - Parameters:
  ///   - fitOn: which reference patients the synthetic source learns from (default: the protocol's).
  ///   - borrowing: the intervals of the piecewise-exponential analyses.
  ///   - referenceSize: the eligible reference patients the synthetic source learns from, and the
  ///     stream that draws the subsample or cohort (nil: the reference as it is).
  public init(
    protocol p: TrialProtocol, refit: Bool = true, needsSynthetic: Bool, fitOn: FitPopulation? = nil,
    borrowing: Scenario.Borrowing = Scenario.Borrowing(), needsPrognostic: Bool = false,
    referenceSize: (patients: Int, rng: GSLRandomSource)? = nil
  ) throws {
    trialProtocol = p
    self.refit = refit
    let fit = fitOn ?? p.synthesis?.fitOn ?? .reference
    self.fitOn = fit
    let unit = p.reference?.timeUnit ?? p.timeUnit
    timeFactor = unit.convert(1, to: p.timeUnit)
    if let data = p.referenceData {
      let mask = p.eligibility.eligible(data.referenceColumns)
      let eligible = data.referenceRows.indices.filter { mask[$0] }.map { data.referenceRows[$0] }
      guard eligible.count >= 2 else {
        throw SynthesisError.notEnoughData("only \(eligible.count) reference patients are eligible; the trial's truth needs them")
      }
      let fittedRows = fit == .eligible ? eligible : data.referenceRows
      eligibleRows = eligible
      let factor = timeFactor
      eligibleTimes = eligible.map { data.times[$0] * factor }
      eligibleEvents = eligible.map { data.events[$0] == true }
      if let control = p.endpoint.control {
        truth = .parametric(control)
        truthDesigns = []
      } else {
        let generator = try SyntheticControlGenerator(protocol: p, fittingRows: eligible)
        let rows = eligible.map { generator.referenceValues(row: $0) }
        truth = .fitted(rows: rows, generator: SharedGenerator(generator), timeFactor: timeFactor)
        truthDesigns = rows.map { generator.outcome.designRow($0) }
      }
      var sourceProtocol = p
      var sourceRows = fittedRows
      var sourceEligible = eligible
      var sample: ReferenceSample?
      if let (m, rng) = referenceSize {
        if m <= eligible.count {
          // A subsample of the eligible reference; with `fit_on: reference` the other reference
          // patients are subsampled in the same proportion.
          sourceEligible = Self.subsample(eligible, m, rng: rng)
          let others = Set(fittedRows).subtracting(eligible).sorted()
          let keptOthers = Self.subsample(others, Int((Double(others.count) * Double(m) / Double(eligible.count)).rounded()), rng: rng)
          sourceRows = fit == .eligible ? sourceEligible : (sourceEligible + keptOthers).sorted()
          sample = ReferenceSample(size: m, kind: m == eligible.count ? .asIs : .subsample, eligibleAvailable: eligible.count)
        } else {
          // More patients than the reference holds: a cohort drawn from the truth model (the
          // generator fitted on the eligible reference, conditioned on the eligibility), censored
          // like the reference. Bootstrapping the reference would add no information.
          guard case .fitted(_, let truthGenerator, _) = truth else {
            throw SynthesisError.notConfigured(
              "a reference size of \(m) (more than the \(eligible.count) eligible reference patients) draws a cohort from the fitted truth, and this protocol gives endpoint.control"
            )
          }
          let seed = rng.uniformInt(below: Int(Int32.max))
          let (patients, _) = try truthGenerator.model.generate(count: m, seed: UInt64(seed))
          let replica = truthGenerator.model.replica(of: patients, seed: UInt64(seed))
          sourceProtocol.referenceData = replica.referenceData(like: p)
          sourceRows = Array(0..<m)
          sourceEligible = sourceRows
          sample = ReferenceSample(size: m, kind: .simulated, eligibleAvailable: eligible.count)
        }
      }
      self.referenceRows = sourceRows
      self.sourceProtocol = sourceProtocol
      sourceEligibleRows = sourceEligible
      sourceEligibleEvents = sourceEligible.filter { sourceProtocol.referenceData!.events[$0] == true }.count
      referenceSample = sample
      source =
        needsSynthetic
        ? SharedGenerator(try SyntheticControlGenerator(protocol: sourceProtocol, fittingRows: sourceRows, fitOn: fit)) : nil
      prognostic = needsPrognostic ? try SyntheticControlGenerator(protocol: p, fittingRows: data.referenceRows).outcome : nil
    } else {
      guard let control = p.endpoint.control else {
        throw SynthesisError.notConfigured("protocol '\(p.id)' gives neither a reference cohort nor endpoint.control")
      }
      truth = .parametric(control)
      truthDesigns = []
      referenceRows = []
      sourceProtocol = p
      sourceEligibleRows = []
      sourceEligibleEvents = 0
      referenceSample = nil
      eligibleRows = []
      eligibleTimes = []
      eligibleEvents = []
      source = nil
      prognostic = nil
    }
    if let cuts = borrowing.cutPoints {
      intervals = HazardIntervals(cutPoints: cuts)
    } else {
      let (times, events) = (eligibleTimes, eligibleEvents)
      let eventTimes = times.indices.filter { events[$0] }.map { times[$0] }
      if !times.isEmpty && eventTimes.count < borrowing.intervals {
        throw SynthesisError.notEnoughData(
          "\(borrowing.intervals) hazard intervals with equal numbers of events need at least \(borrowing.intervals) events among the eligible reference patients; there are \(eventTimes.count)"
        )
      }
      intervals = HazardIntervals(equalEventsAmong: eventTimes, intervals: borrowing.intervals)
    }
    switch p.design.accrual {
    case .uniform(let duration): accrualRate = Double(p.design.patients) / duration
    case .rates(let pieces): accrualRate = pieces.last?.rate ?? 1  // piecewise: see accrualTimes
    }
    dropoutHazard = p.design.dropout.map { -log(1 - $0.probability) / $0.by } ?? 0
  }

  /// Events among the eligible reference patients the synthetic source learns from: the most
  /// control events a synthetic arm learnt from them can be worth.
  public var eligibleReferenceEvents: Int { sourceEligibleEvents }

  /// `k` of `rows` without replacement (partial Fisher–Yates), in row order.
  static func subsample(_ rows: [Int], _ k: Int, rng: GSLRandomSource) -> [Int] {
    var pool = rows
    let k = min(max(k, 0), pool.count)
    for i in 0..<k { pool.swapAt(i, i + rng.uniformInt(below: pool.count - i)) }
    return pool.prefix(k).sorted()
  }

  // MARK: - Draws

  /// The truth's draws, bound once per trial: binding the fitted outcome model for every
  /// patient copied it (retain/release traffic that cost more than the draw, measured).
  func truthDraws() -> TruthDraws {
    switch truth {
    case .parametric(let control): return TruthDraws(control: control, rows: [], generator: nil, factor: 1)
    case .fitted(let rows, let generator, let factor):
      var draws = TruthDraws(control: nil, rows: rows, generator: generator, factor: factor, prognostic: prognostic)
      draws.designs = truthDesigns
      return draws
    }
  }

  /// Design columns of `adjust` for generated covariates `row` (the truth model's coding).
  func adjustment(_ row: [Double], _ adjust: Set<String>) -> [Double] {
    guard !adjust.isEmpty, case .fitted(_, let generator, _) = truth else { return [] }
    return generator.model.outcome.design(row, variables: adjust)
  }

  /// Whether an analysis can adjust for covariates (a reference cohort gives them).
  var hasCovariates: Bool {
    if case .fitted = truth { return true }
    return false
  }

  /// S₀⁻¹(v) of a parametric control distribution.
  static func quantile(_ c: ControlSurvival, survival v: Double) -> Double {
    switch c {
    case .exponential(let median):
      return exponentialQuantile(median: median, survival: v)
    case .weibull(let median, let shape):
      return weibullQuantile(median: median, shape: shape, survival: v)
    case .piecewise(let until, let rates):
      var target = -log(v)
      var start = 0.0
      for (k, rate) in rates.enumerated() {
        let end = k < until.count ? until[k] : .infinity
        if rate > 0 && target <= rate * (end - start) { return start + target / rate }
        target -= rate * (end - start)
        start = end
      }
      return .infinity
    }
  }

  @inline(__always)
  static func exponentialQuantile(median: Double, survival v: Double) -> Double {
    -log(v) * median / log(2)
  }

  @inline(__always)
  static func weibullQuantile(median: Double, shape: Double, survival v: Double) -> Double {
    median * pow(-log(v) / log(2), 1 / shape)
  }

  /// Calendar entry times of `times.count` patients, in order of drawing (not sorted): uniform
  /// at the protocol's accrual rate, or piecewise-constant rates.
  func accrualTimes(into times: UnsafeMutableBufferPointer<Double>, rng: GSLRandomSource) {
    let n = times.count
    switch trialProtocol.design.accrual {
    case .uniform:
      let duration = Double(n) / accrualRate
      for i in 0..<n { times[i] = rng.uniform() * duration }
    case .rates(let pieces):
      // Fill the periods in order; each period holds rate × duration patients, the last the rest.
      var filled = 0
      var start = 0.0
      for (k, piece) in pieces.enumerated() where filled < n {
        let capacity = piece.duration.map { Int(($0 * piece.rate).rounded(.down)) } ?? n
        let count = k == pieces.count - 1 ? n - filled : min(capacity, n - filled)
        let length = piece.duration ?? Double(count) / piece.rate
        let used = Double(count) / piece.rate
        for _ in 0..<count {
          times[filled] = start + rng.uniform() * min(used, length)
          filled += 1
        }
        start += length
      }
    }
  }

  /// A dropout time (∞ without dropout).
  func dropoutTime(rng: GSLRandomSource) -> Double {
    dropoutHazard > 0 ? rng.exponential(rate: dropoutHazard) : .infinity
  }

  /// The generator of this replicate's synthetic controls: refitted on a bootstrap resample of
  /// the reference when `refit` is on. One refit serves every design, truth and candidate count
  /// of the replicate (the engine draws it from a stream keyed by cell and replicate only).
  func generatorForReplicate(rng: GSLRandomSource) throws -> SharedGenerator? {
    guard let source else { return nil }
    guard refit else { return source }
    let resample = (0..<referenceRows.count).map { _ in referenceRows[rng.uniformInt(below: referenceRows.count)] }
    return SharedGenerator(
      try SyntheticControlGenerator(
        protocol: sourceProtocol, fittingRows: resample, fitOn: fitOn,
        warmStart: source.model, standardErrors: false))
  }

  /// A historical real control cohort as the design's external arm: as many patients as the
  /// eligible reference holds, their covariates drawn from it, their outcomes from the truth with
  /// the drift on the hazard (S(t | x)^drift), and their own follow-up from the reference's
  /// censoring distribution (reverse Kaplan–Meier). Nil without a fitted truth.
  func referenceControls(drift: Double, adjust: Set<String>, rng: GSLRandomSource) -> [SimulatedPatient]? {
    guard case .fitted(let rows, let generator, let factor) = truth else { return nil }
    let outcome = generator.model.outcome
    // As many historical controls as the reference holds (or the swept reference size).
    return (0..<(referenceSample?.size ?? rows.count)).map { _ in
      let x = rows[rng.uniformInt(below: rows.count)]
      let u = rng.uniformPositive()
      let event = outcome.eventTime(survival: drift == 1 ? u : pow(u, 1 / drift), row: x) * factor
      let censoring = outcome.censoringTime(rng.uniform()) * factor
      var patient = SimulatedPatient(time: min(event, censoring), event: event <= censoring, experimental: false, external: true)
      if !adjust.isEmpty { patient.adjustment = outcome.design(x, variables: adjust) }
      return patient
    }
  }

  /// Whether replicates draw synthetic controls.
  public var hasSyntheticSource: Bool { source != nil }
}

extension TrialModel {
  /// The model of sweep cell `cellIndex`: the scenario's protocol with that cell's eligibility,
  /// so the truth is fitted on the cell's eligible reference patients and synthetic controls
  /// meet the cell's rules.
  public init(scenario: Scenario, cellIndex: Int, refit: Bool = true) throws {
    var p = scenario.trialProtocol
    let cell = scenario.sweep[cellIndex]
    p.eligibility = cell.eligibility
    try self.init(
      protocol: p, refit: refit, needsSynthetic: scenario.designs.contains { $0.syntheticControls > 0 },
      fitOn: cell.fitOn, borrowing: scenario.borrowing,
      needsPrognostic: scenario.designs.contains { $0.analysis.method == .prognostic },
      referenceSize: cell.referenceSize.map {
        ($0, SeedSequence(masterSeed: scenario.seed).makeRandomSource(UInt64(cell.streamCell ?? cellIndex), Self.referenceSampleStream))
      })
  }

  /// The stream of a cell's reference subsample or simulated reference cohort.
  static let referenceSampleStream: UInt64 = 0x5EF5
}

/// Where a swept reference of a given size comes from.
public struct ReferenceSample: Sendable, Codable, Equatable {
  public enum Kind: String, Sendable, Codable {
    /// The eligible reference itself (the size equals it).
    case asIs = "reference"
    /// A seeded subsample of the eligible reference.
    case subsample
    /// A cohort of that size drawn from the truth model.
    case simulated
  }
  /// Eligible reference patients the synthetic source learns from.
  public var size: Int
  public var kind: Kind
  /// Eligible patients in the real reference.
  public var eligibleAvailable: Int
}

extension TrialModel {
  /// The same trial `factor` times larger, for the large-sample estimand: accrual rates and an
  /// event target scale with the size, so the calendar (accrual period, follow-up) is unchanged.
  mutating func scale(by factor: Double) {
    var p = trialProtocol
    p.design.patients = Int((Double(p.design.patients) * factor).rounded())
    if case .events(let target) = p.design.analysis { p.design.analysis = .events(Int((Double(target) * factor).rounded())) }
    if case .rates(let pieces) = p.design.accrual { p.design.accrual = .rates(pieces.map { ($0.duration, $0.rate * factor) }) }
    trialProtocol = p
    accrualRate *= factor
  }
}
