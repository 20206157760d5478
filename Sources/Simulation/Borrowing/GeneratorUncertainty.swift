// GeneratorUncertainty.swift — per sweep cell: how much the synthetic arm's hazard moves when the
// generator is refitted (its estimation error, shared by every synthetic patient of a replicate),
// and the implied drift of the conditioned generator against the cell's own eligible patients
// (Docs/Methods.md, "The generator's own uncertainty" and "Implied drift").
//
// Variance. K refits on bootstrap resamples of the rows the generator learns from; each gives the
// marginal log cumulative hazard of the eligible synthetic population at a horizon t*,
//   log Λ_k(t*) = log(−log( mean_i S_k(t* | x_i) )),
// averaged over M eligible patients drawn from refit k with one shared stream (common random
// numbers, so the spread is the fit's, not the draw's). v_g is the variance over k. t* is the
// middle of the trial's follow-up window (follow-up + half the accrual) for a calendar analysis,
// else the eligible reference's median follow-up.
//
// Implied drift. A Cox fit of M patients drawn from the full-reference generator, conditioned on
// the cell's rules (administratively censored at the reference's last follow-up), against the
// cell's eligible reference patients: exp(β̂) is the hazard ratio of what the generator produces
// against what those patients show. Its 95 % interval is β̂ ± 1.96·SD of the same fit repeated on
// the K bootstrap resamples (each refit against the eligible patients of its own resample): the
// generator and the subgroup are estimated from overlapping data, so adding their separate
// variances would overstate the spread. An interval that excludes 1 is flagged: "drift 1" in this
// cell is not exchangeable.

import Foundation
import GSL
import SurvivalAnalysis
import Synthesis
import TrialSpec

/// The spread of the synthetic arm's log cumulative hazard over bootstrap refits of the generator.
public struct GeneratorUncertainty: Sendable, Codable, Equatable {
  /// Refits asked for, and those that failed (and were left out).
  public var refits: Int
  public var failedRefits: Int
  /// The horizon t* (protocol time unit) of the log cumulative hazard.
  public var horizon: Double
  public var logCumulativeHazardSD: Double
  /// Whether the analyses include it (scenario `borrowing.generator_uncertainty`).
  public var included: Bool
  /// SD over the refits of the implied drift's log hazard ratio (its bootstrap standard error).
  public var impliedDriftSD: Double
  /// With `borrowing.refit: pool`, the bootstrap fits in the cell's pool that the replicates
  /// sample (nil: refitted in every replicate).
  public var refitPool: Int? = nil
  public var variance: Double { logCumulativeHazardSD * logCumulativeHazardSD }
}

/// The hazard ratio of the conditioned generator against the cell's eligible reference patients.
public struct ImpliedDrift: Sendable, Codable, Equatable {
  public var hazardRatio: Double
  public var lower: Double
  public var upper: Double
  /// The 95 % interval excludes 1.
  public var flagged: Bool
  public var syntheticPatients: Int
  public var referencePatients: Int
}

extension TrialModel {
  /// Stream indices of the uncertainty refits (distinct from any truth, design or refit stream).
  static let uncertaintyStream: UInt64 = 0x6E4E_0000
  static let uncertaintyDrawStream: UInt64 = 0x6E4F_0000
  static let impliedDriftStream: UInt64 = 0x6D1F_0000

  /// The horizon of the generator's log cumulative hazard, in the protocol's time unit.
  var uncertaintyHorizon: Double {
    if case .calendar(let followUp) = trialProtocol.design.analysis, case .uniform(let duration) = trialProtocol.design.accrual {
      return followUp + duration / 2
    }
    let sorted = eligibleTimes.sorted()
    return sorted.isEmpty ? 1 : sorted[sorted.count / 2]
  }

  /// K bootstrap refits of the synthetic source (nil without one), spread over `workers`
  /// threads: refit r has its own streams and its results are combined in refit order, so the
  /// figures do not depend on the thread count.
  public func generatorUncertainty(
    refits k: Int, seeds: SeedSequence, cellIndex: Int, included: Bool,
    patients m: Int = 2_000, workers: Int = 1
  ) -> GeneratorUncertainty? {
    guard source != nil else { return nil }
    let results = ParallelTasks.map(k, workers: workers) { r in
      uncertaintyRefit(r, seeds: seeds, cellIndex: cellIndex, patients: m)
    }
    return generatorUncertainty(results, included: included)
  }

  /// The uncertainty from the results of its refits, in refit order (nil = a failed refit).
  func generatorUncertainty(_ results: [UncertaintyRefit?], included: Bool) -> GeneratorUncertainty {
    var values: [Double] = []
    var drifts: [Double] = []
    var failed = 0
    for result in results {
      guard let result else {
        failed += 1
        continue
      }
      values.append(result.logCumulativeHazard)
      if let drift = result.driftLogHR { drifts.append(drift) }
    }
    func sd(_ x: [Double]) -> Double {
      guard x.count >= 2 else { return .nan }
      let mean = x.reduce(0, +) / Double(x.count)
      return (x.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(x.count - 1)).squareRoot()
    }
    return GeneratorUncertainty(
      refits: results.count, failedRefits: failed, horizon: uncertaintyHorizon, logCumulativeHazardSD: sd(values),
      included: included, impliedDriftSD: sd(drifts))
  }

  /// Refit r of the uncertainty: the log cumulative hazard of its eligible synthetic population
  /// at the horizon, and its implied drift's log HR (nil when that Cox fit fails); nil when the
  /// refit fails or its value is not finite.
  func uncertaintyRefit(_ r: Int, seeds: SeedSequence, cellIndex: Int, patients m: Int = 2_000) -> UncertaintyRefit? {
    guard let source else { return nil }
    let horizon = uncertaintyHorizon / timeFactor  // in the reference's unit, as the outcome model
    let bootstrap = seeds.makeRandomSource(UInt64(cellIndex), Self.uncertaintyStream, UInt64(r))
    let draws = seeds.makeRandomSource(UInt64(cellIndex), Self.uncertaintyDrawStream)
    let resample = (0..<referenceRows.count).map { _ in referenceRows[bootstrap.uniformInt(below: referenceRows.count)] }
    guard
      let g = try? SyntheticControlGenerator(
        protocol: sourceProtocol, fittingRows: resample, fitOn: fitOn, warmStart: source.model,
        standardErrors: false),
      let patients = try? g.sample(count: m, using: draws, eligibility: trialProtocol.eligibility, columns: .outcome)
    else { return nil }
    var survival = 0.0
    var row = [Double](repeating: .nan, count: patients.values.count)
    var design: [Double] = []
    let decoded = patients.values.indices.filter { !patients.values[$0].isEmpty }
    for i in 0..<patients.count {
      for j in decoded { row[j] = patients.values[j][i] }
      survival += g.outcome.survival(at: horizon, row: row, design: &design)
    }
    survival /= Double(patients.count)
    let value = log(-log(survival))
    guard value.isFinite else { return nil }
    guard let data = sourceProtocol.referenceData else { return UncertaintyRefit(logCumulativeHazard: value, driftLogHR: nil) }
    let eligible = Set(sourceEligibleRows)
    let real = resample.filter { eligible.contains($0) }
    let drift = Self.driftLogHR(
      synthetic: patients.eventTimes, realTimes: real.map { data.times[$0] },
      realEvents: real.map { data.events[$0] == true }, factor: timeFactor)
    return UncertaintyRefit(logCumulativeHazard: value, driftLogHR: drift)
  }

  /// log HR of synthetic event times (reference unit, uncensored) against real patients (reference
  /// unit), the synthetic ones censored at the real patients' last follow-up.
  static func driftLogHR(synthetic: [Double], realTimes: [Double], realEvents: [Bool], factor: Double) -> Double? {
    guard realEvents.contains(true), let last = realTimes.max() else { return nil }
    let times = (synthetic.map { min($0, last) } + realTimes).map { $0 * factor }
    let events = synthetic.map { $0 <= last } + realEvents
    let group = [Double](repeating: 1, count: synthetic.count) + [Double](repeating: 0, count: realTimes.count)
    guard let fit = try? CoxModel(ties: .efron).fit(SurvivalData(times: times, events: events, covariateColumns: [group])),
      fit.convergence.isConverged, fit.coefficients[0].isFinite
    else { return nil }
    return fit.coefficients[0]
  }

  /// The implied drift of the conditioned synthetic source, with the bootstrap SD of `uncertainty`
  /// (nil without a source or when the fit fails).
  public func impliedDrift(uncertainty: GeneratorUncertainty, seeds: SeedSequence, cellIndex: Int, patients m: Int = 10_000)
    -> ImpliedDrift?
  {
    impliedDrift(impliedDriftFit(seeds: seeds, cellIndex: cellIndex, patients: m), uncertainty: uncertainty)
  }

  /// The implied drift's point estimate: the log HR of `m` patients drawn from the source,
  /// conditioned on the cell's rules, against the eligible patients it learnt from (the eligible
  /// reference, or its swept subsample or drawn cohort), as the bootstrap SD is.
  func impliedDriftFit(seeds: SeedSequence, cellIndex: Int, patients m: Int = 10_000) -> ImpliedDriftFit? {
    let rows = sourceEligibleRows
    guard let source, let data = sourceProtocol.referenceData, rows.count >= 2 else { return nil }
    let rng = seeds.makeRandomSource(UInt64(cellIndex), Self.impliedDriftStream)
    guard
      let synthetic = try? source.model.sample(count: m, using: rng, eligibility: trialProtocol.eligibility, columns: .outcome),
      let beta = Self.driftLogHR(
        synthetic: synthetic.eventTimes, realTimes: rows.map { data.times[$0] },
        realEvents: rows.map { data.events[$0] == true }, factor: timeFactor)
    else { return nil }
    return ImpliedDriftFit(logHazardRatio: beta, syntheticPatients: synthetic.count, referencePatients: rows.count)
  }

  /// The implied drift from its point estimate and the uncertainty's bootstrap SD.
  func impliedDrift(_ fit: ImpliedDriftFit?, uncertainty: GeneratorUncertainty) -> ImpliedDrift? {
    guard let fit else { return nil }
    let se = uncertainty.impliedDriftSD
    guard se.isFinite else { return nil }
    let z = StandardNormal.quantile(0.975)
    let lower = exp(fit.logHazardRatio - z * se)
    let upper = exp(fit.logHazardRatio + z * se)
    return ImpliedDrift(
      hazardRatio: exp(fit.logHazardRatio), lower: lower, upper: upper, flagged: lower > 1 || upper < 1,
      syntheticPatients: fit.syntheticPatients, referencePatients: fit.referencePatients)
  }
}

/// One uncertainty refit's figures.
struct UncertaintyRefit: Sendable {
  var logCumulativeHazard: Double
  var driftLogHR: Double?
}

/// The implied drift's point estimate, before its interval.
struct ImpliedDriftFit: Sendable {
  var logHazardRatio: Double
  var syntheticPatients: Int
  var referencePatients: Int
}
