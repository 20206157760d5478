// MonteCarlo.swift — replicates in parallel, operating characteristics with Monte Carlo SEs.
//
// Determinism: the replicate (cell c, truth t, design d, replicate r) draws from its own stream
// SeedSequence(seed).makeRandomSource(c, t, d, r), results are stored by index and summed in
// index order, so the output is bit-identical for any number of worker threads.

import Dispatch
import Foundation
import GSL
import SurvivalAnalysis
import Synthesis
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

/// One design under one truth, simulated in every replicate. `truthIndex` and `designIndex`
/// name its random streams: a savings candidate shares them with the design it varies.
struct TrialJob: Sendable {
  var truthIndex: Int
  var hazardRatio: Double
  var drift: Double
  var designIndex: Int
  var design: Scenario.Design
}

/// Everything simulated for one sweep cell.
public struct CellSimulation: Sendable {
  public var operatingCharacteristics: [OperatingCharacteristics]
  public var savings: [SavingsSearch]
  /// Trials simulated in all (operating characteristics and savings candidates).
  public var trials: Int
}

public enum MonteCarlo {
  /// Operating characteristics of every truth × design of `scenario`, without a savings search.
  /// `model` must be the cell's (``TrialModel/init(scenario:cellIndex:refit:)``).
  ///
  /// - Parameters:
  ///   - replicates: trials per design × truth (default: the scenario's).
  ///   - threads: worker threads (default: all cores).
  ///   - progress: called now and then with (trials done, trials in all), from any thread.
  public static func run(model: TrialModel, scenario: Scenario, cellIndex: Int = 0, replicates: Int? = nil,
                         threads: Int? = nil, progress: (@Sendable (Int, Int) -> Void)? = nil) -> [OperatingCharacteristics] {
    simulateCell(model: model, scenario: scenario, cellIndex: cellIndex, replicates: replicates, threads: threads,
                 searchSavings: false, progress: progress).operatingCharacteristics
  }

  /// Operating characteristics and, when the scenario asks for it, the savings search of one cell.
  ///
  /// - Parameter estimandPatients: patients per arm of the large-sample trial that gives the
  ///   estimand (DESIGN.md §3 asks for at least 200,000; fewer only to make tests quick).
  public static func simulateCell(model: TrialModel, scenario: Scenario, cellIndex: Int, replicates: Int? = nil,
                                  threads: Int? = nil, searchSavings: Bool = true, estimandPatients: Int = 200_000,
                                  progress: (@Sendable (Int, Int) -> Void)? = nil) -> CellSimulation {
    let b = replicates ?? scenario.replicates
    let cell = scenario.sweep[cellIndex].id
    let seeds = SeedSequence(masterSeed: scenario.seed)
    let workers = max(1, threads ?? ProcessInfo.processInfo.activeProcessorCount)
    var jobs: [TrialJob] = []
    for (t, (hr, drift)) in scenario.truthPairs.enumerated() {
      for (d, design) in scenario.designs.enumerated() {
        jobs.append(TrialJob(truthIndex: t, hazardRatio: hr, drift: drift, designIndex: d, design: design))
      }
    }
    // One estimand per hazard ratio and adjustment set (not per drift: it is what the analysis of
    // concurrent patients converges to).
    var estimands: [LargeSampleKey: Double] = [:]
    for (h, hr) in scenario.truth.hazardRatios.enumerated() {
      for adjust in Set(scenario.designs.map { $0.adjust.sorted() }) where estimands[LargeSampleKey(hr, adjust)] == nil {
        estimands[LargeSampleKey(hr, adjust)] = hr == 1 ? 0
          : model.marginalLogHazardRatio(hazardRatio: hr, adjust: adjust, seeds: seeds, cellIndex: cellIndex, truthIndex: h,
                                         perArm: estimandPatients)
      }
    }
    var plans = searchSavings ? SavingsPlan.plans(scenario: scenario, estimands: estimands, replicates: b) : []
    var pending = plans.map { $0.pendingJobs() }
    var results = execute(jobs + pending.flatMap { $0 }, model: model, seeds: seeds, cellIndex: cellIndex, replicates: b,
                          workers: workers, progress: progress)
    var trials = results.count * b
    let operating = (0..<jobs.count).map { j in
      let job = jobs[j]
      return summarize(results[j], cell: cell, design: job.design.id, hazardRatio: job.hazardRatio, drift: job.drift,
                       estimand: estimands[LargeSampleKey(job.hazardRatio, job.design.adjust)] ?? 0)
    }
    results.removeFirst(jobs.count)
    // Savings candidates, extended while a power curve falls short of the target at its top.
    while !pending.allSatisfy(\.isEmpty) {
      var next = 0
      for p in plans.indices {
        plans[p].record(results[next..<(next + pending[p].count)])
        next += pending[p].count
      }
      pending = plans.indices.map { plans[$0].extendIfNeeded() ? plans[$0].pendingJobs() : [] }
      guard !pending.allSatisfy(\.isEmpty) else { break }
      results = execute(pending.flatMap { $0 }, model: model, seeds: seeds, cellIndex: cellIndex, replicates: b, workers: workers,
                        progress: progress)
      trials += results.count * b
    }
    let savings = plans.map { $0.search(cell: cell) }
    return CellSimulation(operatingCharacteristics: operating, savings: savings, trials: trials)
  }

  /// Runs every job in every replicate. Replicates are spread over the workers; within a
  /// replicate the synthetic-control generator is refitted once (stream: cell, replicate) and
  /// serves every job. Returns the results by job, then replicate.
  static func execute(_ jobs: [TrialJob], model: TrialModel, seeds: SeedSequence, cellIndex: Int, replicates b: Int,
                      workers: Int, progress: (@Sendable (Int, Int) -> Void)?) -> [[ReplicateResult]] {
    let needsGenerator = model.hasSyntheticSource && jobs.contains { $0.design.syntheticControls > 0 }
    let results = Results(jobs: jobs.count, replicates: b)
    let done = Counter()
    let total = jobs.count * b
    DispatchQueue.concurrentPerform(iterations: workers) { w in
      var r = w
      while r < b {
        var generator: SharedGenerator?
        var generatorFailure: String?
        if needsGenerator {
          do {
            generator = try model.generatorForReplicate(rng: seeds.makeRandomSource(UInt64(cellIndex), refitStream, UInt64(r)))
          } catch {
            generatorFailure = "the generator refit failed: \(error)"
          }
        }
        var row: [ReplicateResult] = []
        row.reserveCapacity(jobs.count)
        for job in jobs {
          if job.design.syntheticControls > 0, let why = generatorFailure {
            row.append(.failure(why))
            continue
          }
          let streams = ReplicateStreams(seeds, [UInt64(cellIndex), UInt64(job.truthIndex), UInt64(job.designIndex), UInt64(r)])
          row.append(model.simulate(design: job.design, hazardRatio: job.hazardRatio, drift: job.drift, streams: streams,
                                    generator: generator))
        }
        results.store(replicate: r, row)
        progress?(done.add(jobs.count), total)
        r += workers
      }
    }
    return results.byJob
  }

  /// The stream index of the per-replicate generator refit (distinct from any truth index).
  static let refitStream: UInt64 = 0x5EF1_7000

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

extension Scenario {
  /// Every (hazard ratio, drift) of the truth grid, hazard ratio first.
  var truthPairs: [(Double, Double)] {
    truth.hazardRatios.flatMap { hr in truth.drifts.map { (hr, $0) } }
  }
}

struct LargeSampleKey: Hashable {
  var hazardRatio: Double
  var adjust: [String]
  init(_ hazardRatio: Double, _ adjust: [String]) {
    self.hazardRatio = hazardRatio
    self.adjust = adjust.sorted()
  }
}

extension TrialModel {
  /// The log HR the Cox analysis (adjusted for `adjust`, or not) converges to under this trial's
  /// accrual, dropout and cut: one conventional trial with `perArm` patients per arm (the event
  /// target scaled with the size), analysed the same way (DESIGN.md §3, "Estimand").
  func marginalLogHazardRatio(hazardRatio: Double, adjust: [String] = [], seeds: SeedSequence, cellIndex: Int,
                              truthIndex: Int, perArm: Int = 200_000) -> Double {
    let design = Scenario.Design(id: "estimand", experimental: perArm, realControls: perArm, syntheticControls: 0,
                                 analysis: Scenario.Analysis.none, adjust: adjust)
    var scaled = self
    scaled.scale(by: Double(2 * perArm) / Double(trialProtocol.design.patients))
    let streams = ReplicateStreams(seeds, [0xE57, UInt64(cellIndex), UInt64(truthIndex)])
    let result = scaled.simulate(design: design, hazardRatio: hazardRatio, drift: 1, streams: streams, generator: nil)
    return result.failed ? log(hazardRatio) : result.logHazardRatio
  }
}

/// Results written by replicate from worker threads (each replicate by exactly one worker).
final class Results: @unchecked Sendable {
  private var rows: [[ReplicateResult]]
  private let lock = NSLock()
  init(jobs: Int, replicates: Int) { rows = [[ReplicateResult]](repeating: [], count: replicates) }
  func store(replicate r: Int, _ row: [ReplicateResult]) { lock.lock(); rows[r] = row; lock.unlock() }
  /// Results by job, then replicate.
  var byJob: [[ReplicateResult]] {
    lock.lock(); defer { lock.unlock() }
    let jobs = rows.first?.count ?? 0
    return (0..<jobs).map { j in rows.map { $0[j] } }
  }
}

final class Counter: @unchecked Sendable {
  private var value = 0
  private let lock = NSLock()
  func add(_ n: Int) -> Int { lock.lock(); value += n; let v = value; lock.unlock(); return v }
}
