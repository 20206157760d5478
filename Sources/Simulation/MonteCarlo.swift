// MonteCarlo.swift — replicates in parallel, operating characteristics with Monte Carlo SEs.
//
// Determinism: the replicate (cell c, truth t, design d, replicate r) draws from its own stream
// SeedSequence(seed).makeRandomSource(c, t, d, r), results are stored by index and summed in
// index order, so the output is bit-identical for any number of worker threads.

import Dispatch
import Foundation
import GSL
import SurvivalAnalysis
import TrialSpec

/// Operating characteristics of one design under one truth (DESIGN.md §3).
public struct OperatingCharacteristics: Sendable, Codable {
  public var cell: String
  public var design: String
  public var hazardRatio: Double
  public var drift: Double
  public var replicates: Int
  /// Power (or type-I error when HR = 1) and its Monte Carlo SE √(p(1 − p)/B).
  public var rejectionRate: Double
  public var rejectionMCSE: Double
  /// exp(mean log HR), and the mean log HR with its MCSE.
  public var meanHR: Double
  public var meanLogHR: Double
  public var meanLogHRMCSE: Double
  /// What the unadjusted Cox analysis converges to (large-sample simulation), and the
  /// protocol's conditional log HR.
  public var estimandLogHR: Double
  public var conditionalLogHR: Double
  public var biasLogHR: Double
  public var empiricalSELogHR: Double
  public var rmseLogHR: Double
  /// Share of 95 % intervals containing the estimand, with its MCSE.
  public var coverage: Double
  public var coverageMCSE: Double
  public var meanEvents: Double
  public var meanBorrowedWeight: Double
  public var failures: Int
  /// Why replicates failed, with counts (e.g. "the Cox fit did not converge").
  public var failureReasons: [String: Int]
}

public enum MonteCarlo {
  /// Runs every truth × design of `scenario` for the eligibility of `cell`.
  ///
  /// - Parameters:
  ///   - replicates: trials per design × truth (default: the scenario's).
  ///   - threads: worker threads (default: all cores).
  ///   - progress: called now and then with (trials done, trials in all), from any thread.
  public static func run(model: TrialModel, scenario: Scenario, cellIndex: Int = 0, replicates: Int? = nil,
                         threads: Int? = nil, progress: (@Sendable (Int, Int) -> Void)? = nil) -> [OperatingCharacteristics] {
    let b = replicates ?? scenario.replicates
    let cell = scenario.sweep[cellIndex]
    let seeds = SeedSequence(masterSeed: scenario.seed)
    let workers = max(1, threads ?? ProcessInfo.processInfo.activeProcessorCount)
    var truths: [(Double, Double)] = []
    for hr in scenario.truth.hazardRatios { for drift in scenario.truth.drifts { truths.append((hr, drift)) } }
    let total = truths.count * scenario.designs.count * b
    let done = Counter()
    var out: [OperatingCharacteristics] = []
    // One estimand per hazard ratio and adjustment set (not per drift: it is what the analysis of
    // concurrent patients converges to).
    var estimands: [String: Double] = [:]
    func key(_ hr: Double, _ adjust: [String]) -> String { "\(hr)|" + adjust.sorted().joined(separator: ",") }
    for (h, hr) in scenario.truth.hazardRatios.enumerated() where hr != 1 {
      for adjust in Set(scenario.designs.map { $0.adjust.sorted() }) where estimands[key(hr, adjust)] == nil {
        estimands[key(hr, adjust)] = model.marginalLogHazardRatio(hazardRatio: hr, adjust: adjust, seeds: seeds, truthIndex: h)
      }
    }
    for (t, (hr, drift)) in truths.enumerated() {
      for (d, design) in scenario.designs.enumerated() {
        let estimand = estimands[key(hr, design.adjust)] ?? 0
        let results = Results(count: b)
        DispatchQueue.concurrentPerform(iterations: workers) { w in
          var r = w
          while r < b {
            let rng = seeds.makeRandomSource(UInt64(cellIndex), UInt64(t), UInt64(d), UInt64(r))
            results.store(r, model.simulate(design: design, hazardRatio: hr, drift: drift, eligibility: cell.eligibility, rng: rng))
            let finished = done.increment()
            if finished % 200 == 0 { progress?(finished, total) }
            r += workers
          }
        }
        out.append(summarize(results.values, cell: cell.id, design: design.id, hazardRatio: hr, drift: drift, estimand: estimand))
      }
    }
    progress?(total, total)
    return out
  }

  static func summarize(_ results: [ReplicateResult], cell: String, design: String, hazardRatio: Double, drift: Double,
                        estimand: Double) -> OperatingCharacteristics {
    let ok = results.filter { !$0.failed }
    let b = Double(results.count), m = Double(max(ok.count, 1))
    let rejection = Double(results.filter(\.rejected).count) / b
    let mean = ok.reduce(0) { $0 + $1.logHazardRatio } / m
    let variance = ok.reduce(0) { $0 + pow($1.logHazardRatio - mean, 2) } / max(m - 1, 1)
    let covered = Double(ok.filter { $0.lower <= estimand && estimand <= $0.upper }.count) / m
    return OperatingCharacteristics(
      cell: cell, design: design, hazardRatio: hazardRatio, drift: drift, replicates: results.count,
      rejectionRate: rejection, rejectionMCSE: (rejection * (1 - rejection) / b).squareRoot(),
      meanHR: exp(mean), meanLogHR: mean, meanLogHRMCSE: (variance / m).squareRoot(),
      estimandLogHR: estimand, conditionalLogHR: log(hazardRatio), biasLogHR: mean - estimand,
      empiricalSELogHR: variance.squareRoot(), rmseLogHR: (ok.reduce(0) { $0 + pow($1.logHazardRatio - estimand, 2) } / m).squareRoot(),
      coverage: covered, coverageMCSE: (covered * (1 - covered) / m).squareRoot(),
      meanEvents: Double(ok.reduce(0) { $0 + $1.events }) / m,
      meanBorrowedWeight: ok.reduce(0) { $0 + $1.borrowedWeight } / m, failures: results.count - ok.count,
      failureReasons: results.reduce(into: [:]) { counts, r in if let why = r.failure { counts[why, default: 0] += 1 } })
  }
}

extension TrialModel {
  /// The log HR the Cox analysis (adjusted for `adjust`, or not) converges to under this trial's
  /// accrual, dropout and cut: one conventional trial with 200,000 patients per arm (the event
  /// target scaled with the size), analysed the same way (DESIGN.md §3, "Estimand").
  func marginalLogHazardRatio(hazardRatio: Double, adjust: [String] = [], seeds: SeedSequence, truthIndex: Int) -> Double {
    let perArm = 200_000
    let design = Scenario.Design(id: "estimand", experimental: perArm, realControls: perArm, syntheticControls: 0,
                                 analysis: Scenario.Analysis.none, adjust: adjust)
    var scaled = self
    scaled.scale(by: Double(2 * perArm) / Double(trialProtocol.design.patients))
    let rng = seeds.makeRandomSource(0xE57, UInt64(truthIndex))
    let result = scaled.simulate(design: design, hazardRatio: hazardRatio, drift: 1,
                                 eligibility: trialProtocol.eligibility, rng: rng)
    return result.failed ? log(hazardRatio) : result.logHazardRatio
  }
}

/// Results written by index from worker threads (each index by exactly one worker).
final class Results: @unchecked Sendable {
  private var storage: [ReplicateResult]
  private let lock = NSLock()
  init(count: Int) { storage = [ReplicateResult](repeating: .failure("not run"), count: count) }
  func store(_ i: Int, _ r: ReplicateResult) { lock.lock(); storage[i] = r; lock.unlock() }
  var values: [ReplicateResult] { lock.lock(); defer { lock.unlock() }; return storage }
}

final class Counter: @unchecked Sendable {
  private var value = 0
  private let lock = NSLock()
  func increment() -> Int { lock.lock(); value += 1; let v = value; lock.unlock(); return v }
}
