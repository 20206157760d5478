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

/// Operating characteristics of one design under one truth (Docs/Methods.md).
///
/// Denominator rule: rates, means and coverage are over the replicates that were analysed; failed
/// replicates are counted by kind and reported as `failureRate` beside them, never as
/// non-rejections. With no replicate analysed every rate is NaN (shown as NA).
public struct OperatingCharacteristics: Sendable, Codable {
  public var cell: String
  public var design: String
  public var method: Scenario.AnalysisMethod
  public var source: Scenario.ExternalSource?
  public var hazardRatio: Double
  public var drift: Double
  public var replicates: Int
  /// Replicates analysed (replicates − failures): the denominator of every rate.
  public var analysed: Int
  /// Power (or type-I error when HR = 1) and its Monte Carlo SE √(p(1 − p)/B).
  public var rejectionRate: Double
  public var rejectionMCSE: Double
  /// exp(mean log HR), and the mean log HR with its MCSE.
  public var meanHR: Double
  public var meanLogHR: Double
  public var meanLogHRMCSE: Double
  /// What the design's unadjusted (or adjusted) Cox analysis converges to (large-sample
  /// simulation with the design's own accrual and cut), and the protocol's conditional log HR.
  public var estimandLogHR: Double
  public var conditionalLogHR: Double
  public var biasLogHR: Double
  public var empiricalSELogHR: Double
  public var rmseLogHR: Double
  /// Share of 95 % intervals containing the estimand, with its MCSE.
  public var coverage: Double
  public var coverageMCSE: Double
  public var meanEvents: Double
  /// Control events taken from the external source (ESS): mean and SD over replicates.
  public var borrowedEvents: Double
  public var borrowedEventsSD: Double
  /// Share of replicates in which the cap on a synthetic arm's information acted.
  public var capRate: Double
  /// Mean realised variance ratio σ²_CL/σ²_L of a prognostic (adjusted log-rank) analysis.
  public var varianceRatio: Double?
  /// The decision: `z` (the protocol's test) or `posterior` (P(HR < 1 | data) against `threshold`).
  public var decision: DecisionRule
  public var threshold: Double?
  public var failures: Int
  public var failureRate: Double
  /// Failed replicates by kind.
  public var failureKinds: [String: Int]
  /// The design's calibrated threshold (scenario `calibrate`), and the rejection rate at it with
  /// its MCSE (nil without calibration).
  public var calibration: CalibratedThreshold? = nil
  public var calibratedRejectionRate: Double? = nil
  public var calibratedRejectionMCSE: Double? = nil
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
  /// The generator's estimation error and the implied drift of the synthetic source (nil without one).
  public var generatorUncertainty: GeneratorUncertainty?
  public var impliedDrift: ImpliedDrift?
  /// Generator refits that failed and were redrawn from a new bootstrap resample.
  public var refitRedraws: Int
}

public enum MonteCarlo {
  /// Operating characteristics of every truth × design of `scenario`, without a savings search.
  /// `model` must be the cell's (``TrialModel/init(scenario:cellIndex:refit:)``).
  ///
  /// - Parameters:
  ///   - replicates: trials per design × truth (default: the scenario's).
  ///   - threads: worker threads (default: all cores).
  ///   - progress: called now and then with (trials done, trials in all), from any thread.
  public static func run(
    model: TrialModel, scenario: Scenario, cellIndex: Int = 0, replicates: Int? = nil,
    threads: Int? = nil, progress: (@Sendable (Int, Int) -> Void)? = nil
  ) -> [OperatingCharacteristics] {
    simulateCell(
      model: model, scenario: scenario, cellIndex: cellIndex, replicates: replicates, threads: threads,
      searchSavings: false, progress: progress
    ).operatingCharacteristics
  }

  /// Operating characteristics and, when the scenario asks for it, the savings search of one cell.
  ///
  /// - Parameter estimandPatients: patients per arm of the large-sample trial that gives the
  ///   estimand (Docs/Methods.md asks for at least 200,000; fewer only to make tests quick).
  public static func simulateCell(
    model: TrialModel, scenario: Scenario, cellIndex: Int, replicates: Int? = nil,
    threads: Int? = nil, searchSavings: Bool = true, estimandPatients: Int = 200_000,
    progress: (@Sendable (Int, Int) -> Void)? = nil
  ) -> CellSimulation {
    let b = replicates ?? scenario.replicates
    let cell = scenario.sweep[cellIndex].id
    // Seeds: the cell's own index, or the one whose trials it shares (reference-size cells).
    let cellIndex = scenario.sweep[cellIndex].streamCell ?? cellIndex
    let seeds = SeedSequence(masterSeed: scenario.seed)
    let workers = max(1, threads ?? ProcessInfo.processInfo.activeProcessorCount)
    var jobs: [TrialJob] = []
    for (t, (hr, drift)) in scenario.truthPairs.enumerated() {
      for (d, design) in scenario.designs.enumerated() {
        jobs.append(TrialJob(truthIndex: t, hazardRatio: hr, drift: drift, designIndex: d, design: design))
      }
    }
    // The cell's fixed work, spread over the workers with every result kept by task (so the
    // figures do not depend on the threads): the implied drift's fit and the refits that measure
    // the generator's estimation error first (the analyses need that variance), then, alongside
    // the first replicates, one large-sample trial per estimand — one per hazard ratio,
    // adjustment set and design calendar (not per drift: it is what the analysis of concurrent
    // patients converges to).
    let borrowing = scenario.borrowing
    let refitCount = model.source == nil ? 0 : borrowing.refits
    let driftTasks = model.source == nil ? 0 : 1
    let fixed = ParallelTasks.map(driftTasks + refitCount, workers: workers) { i -> FixedWork in
      if i < driftTasks { return .drift(model.impliedDriftFit(seeds: seeds, cellIndex: cellIndex)) }
      return .refit(model.uncertaintyRefit(i - driftTasks, seeds: seeds, cellIndex: cellIndex))
    }
    var refitResults: [UncertaintyRefit?] = []
    var driftFit: ImpliedDriftFit?
    for work in fixed {
      switch work {
      case .drift(let fit): driftFit = fit
      case .refit(let result): refitResults.append(result)
      }
    }
    var uncertainty =
      model.source == nil ? nil : model.generatorUncertainty(refitResults, included: borrowing.generatorUncertainty)
    let drift = uncertainty.flatMap { model.impliedDrift(driftFit, uncertainty: $0) }
    let variance = uncertainty.map { $0.included && $0.variance.isFinite ? $0.variance : 0 } ?? 0
    let context = Self.context(model: model, borrowing: borrowing, generatorVariance: variance)
    var estimandTasks: [(key: LargeSampleKey, hazardRatio: Double, design: Scenario.Design, truthIndex: Int)] = []
    var estimands: [LargeSampleKey: Double] = [:]
    for (h, hr) in scenario.truth.hazardRatios.enumerated() {
      for design in scenario.designs where estimands[LargeSampleKey(hr, design)] == nil {
        let key = LargeSampleKey(hr, design)
        estimands[key] = 0
        if hr != 1 { estimandTasks.append((key, hr, design, h)) }
      }
    }
    let estimandSlots = ResultSlots<Double>(estimandTasks.count)
    let alongside: [@Sendable () -> Void] = estimandTasks.indices.map { i in
      let task = estimandTasks[i]
      return {
        estimandSlots.store(
          i,
          model.marginalLogHazardRatio(
            hazardRatio: task.hazardRatio, design: task.design, seeds: seeds, cellIndex: cellIndex,
            truthIndex: task.truthIndex, perArm: estimandPatients))
      }
    }
    let redraws = Counter()
    // `refit: pool`: K bootstrap fits drawn once for the cell (every phase of the savings search
    // samples the same pool), instead of one per replicate.
    var pool: RefitPool? = nil
    if case .pool(let size) = borrowing.refit, model.refit, model.hasSyntheticSource,
      scenario.designs.contains(where: { $0.syntheticControls > 0 })
    {
      pool = RefitPool(model: model, size: size, seeds: seeds, cellIndex: cellIndex, workers: workers, redraws: redraws)
    }
    // `refit: every`: replicate r's refit is the same in every phase (common random numbers), so
    // it is fitted once and kept for the cell's later phases (the savings search) instead of
    // being fitted again in each.
    let refits = pool == nil && model.refit && searchSavings && SavingsPlan.searches(scenario) ? RefitCache(replicates: b) : nil
    var results = execute(
      jobs, model: model, seeds: seeds, cellIndex: cellIndex, replicates: b, workers: workers,
      context: context, redraws: redraws, pool: pool, refits: refits, alongside: alongside, progress: progress)
    for (i, task) in estimandTasks.enumerated() { estimands[task.key] = estimandSlots.values[i] ?? .nan }
    var plans = searchSavings ? SavingsPlan.plans(scenario: scenario, model: model, estimands: estimands, replicates: b) : []
    var trials = results.count * b
    var operating = (0..<jobs.count).map { j in
      let job = jobs[j]
      return summarize(
        results[j], cell: cell, design: job.design, hazardRatio: job.hazardRatio, drift: job.drift,
        estimand: estimands[LargeSampleKey(job.hazardRatio, job.design)] ?? 0, context: context)
    }
    if let calibration = scenario.calibration {
      calibrate(&operating, jobs: jobs, results: results, calibration: calibration, context: context)
    }
    // Savings: each plan runs its phases (conventional sizing, augmented search, drifts at the
    // chosen count); every phase's jobs of every plan in one parallel pass.
    var pending = plans.map { $0.pendingJobs() }
    while !pending.allSatisfy(\.isEmpty) {
      results = execute(
        pending.flatMap { $0 }, model: model, seeds: seeds, cellIndex: cellIndex, replicates: b, workers: workers,
        context: context, redraws: redraws, pool: pool, refits: refits, progress: progress)
      trials += results.count * b
      var next = 0
      for p in plans.indices {
        plans[p].record(results[next..<(next + pending[p].count)])
        next += pending[p].count
      }
      pending = plans.map { $0.pendingJobs() }
    }
    let savings = plans.map { $0.search(cell: cell, seeds: seeds, cellIndex: cellIndex) }
    if let pool { uncertainty?.refitPool = pool.generators.count }
    return CellSimulation(
      operatingCharacteristics: operating, savings: savings, trials: trials, generatorUncertainty: uncertainty,
      impliedDrift: drift, refitRedraws: redraws.add(0))
  }

  /// What every analysis of a cell shares.
  static func context(model: TrialModel, borrowing: Scenario.Borrowing, generatorVariance: Double) -> AnalysisContext {
    AnalysisContext(
      test: model.trialProtocol.design.test, intervals: model.intervals, rule: GaussLegendre(points: 64),
      generatorVariance: generatorVariance,
      informationCap: borrowing.generatorUncertainty && model.eligibleReferenceEvents > 0 ? Double(model.eligibleReferenceEvents) : nil,
      threshold: borrowing.threshold)
  }

  /// Calibrates each design the scenario lists from its null trials (HR 1 at the calibration
  /// drifts) and reads every truth's rejection rate at the calibrated threshold.
  static func calibrate(
    _ operating: inout [OperatingCharacteristics], jobs: [TrialJob], results: [[ReplicateResult]],
    calibration: Scenario.Calibration, context: AnalysisContext
  ) {
    for (d, design) in Set(jobs.map(\.designIndex)).sorted().map({ i in (i, jobs.first { $0.designIndex == i }!.design) })
    where calibration.applies(to: design.id) {
      let bayesian = design.analysis.isBayesian
      let nulls = jobs.indices.filter {
        jobs[$0].designIndex == d && jobs[$0].hazardRatio == 1 && jobs[$0].drift >= calibration.driftLow
          && jobs[$0].drift <= calibration.driftHigh
      }.map { (drift: jobs[$0].drift, results: results[$0]) }
      guard let threshold = Calibration.threshold(nulls: nulls, bayesian: bayesian, context: context) else { continue }
      for j in jobs.indices where jobs[j].designIndex == d {
        let (rate, mcse) = Calibration.rejectionRate(
          results[j], threshold: threshold.threshold, bayesian: bayesian,
          sided: context.test.sided)
        operating[j].calibration = threshold
        operating[j].calibratedRejectionRate = rate
        operating[j].calibratedRejectionMCSE = mcse
      }
    }
  }

  /// Runs every job in every replicate. Replicates are spread over the workers; within a
  /// replicate the synthetic-control generator is refitted once (stream: cell, replicate) and
  /// serves every job. Returns the results by job, then replicate.
  static func execute(
    _ jobs: [TrialJob], model: TrialModel, seeds: SeedSequence, cellIndex: Int, replicates b: Int,
    workers: Int, context: AnalysisContext, redraws: Counter, pool: RefitPool? = nil, refits: RefitCache? = nil,
    alongside: [@Sendable () -> Void] = [], progress: (@Sendable (Int, Int) -> Void)?
  ) -> [[ReplicateResult]] {
    let needsGenerator = model.hasSyntheticSource && jobs.contains { $0.design.syntheticControls > 0 }
    let results = Results(jobs: jobs.count, replicates: b)
    let done = Counter()
    let total = jobs.count * b
    // Work is taken in order by whichever worker is free: first the `alongside` tasks, then the
    // replicates. Each replicate's results depend on its streams only, not on the worker.
    let next = Counter()
    DispatchQueue.concurrentPerform(iterations: workers) { _ in
      // One workspace per worker: its streams are reseeded and its columns reused by every trial.
      let workspace = TrialWorkspace()
      while true {
        let i = next.add(1) - 1
        if i < alongside.count {
          alongside[i]()
          continue
        }
        let r = i - alongside.count
        guard r < b else { return }
        var generator: SharedGenerator?
        if needsGenerator, let pool {
          generator = pool.generator(replicate: r)
        } else if needsGenerator, let kept = refits?.fit(replicate: r) {
          generator = kept.generator
        } else if needsGenerator {
          // A failed refit is redrawn from a new bootstrap resample of the same stream (counted),
          // never turned into failed trials; only when every attempt fails do the replicate's
          // synthetic designs fail, as `generatorRefitFailed`.
          let rng = seeds.makeRandomSource(UInt64(cellIndex), refitStream, UInt64(r))
          for attempt in 0..<maximumRefitAttempts {
            if let g = try? model.generatorForReplicate(rng: rng) {
              generator = g
              break
            }
            if attempt < maximumRefitAttempts - 1 { _ = redraws.add(1) }
          }
          refits?.store(generator, replicate: r)
        }
        for (j, job) in jobs.enumerated() {
          if job.design.syntheticControls > 0 && needsGenerator && generator == nil {
            results.store(job: j, replicate: r, .failure(.generatorRefitFailed))
            continue
          }
          workspace.streams.reseed(seeds, cell: cellIndex, truth: job.truthIndex, design: job.designIndex, replicate: r)
          results.store(
            job: j, replicate: r,
            model.simulate(
              design: job.design, hazardRatio: job.hazardRatio, drift: job.drift, streams: workspace.streams,
              generator: generator, context: context, workspace: workspace))
        }
        progress?(done.add(jobs.count), total)
      }
    }
    return results.byJob
  }

  /// Bootstrap resamples tried for one replicate's generator refit.
  static let maximumRefitAttempts = 20

  /// The stream index of the per-replicate generator refit (distinct from any truth index).
  static let refitStream: UInt64 = 0x5EF1_7000

  static func summarize(
    _ results: [ReplicateResult], cell: String, design: Scenario.Design, hazardRatio: Double, drift: Double,
    estimand: Double, context: AnalysisContext
  ) -> OperatingCharacteristics {
    let ok = results.filter { !$0.failed }
    let b = Double(results.count)
    let m = Double(ok.count)
    // Every rate over the analysed replicates (NaN when none was analysed).
    let rejection = Double(ok.filter(\.rejected).count) / m
    let mean = ok.reduce(0) { $0 + $1.logHazardRatio } / m
    let variance = ok.reduce(0) { $0 + pow($1.logHazardRatio - mean, 2) } / max(m - 1, 1)
    let covered = Double(ok.filter { $0.lower <= estimand && estimand <= $0.upper }.count) / m
    let borrowed = ok.reduce(0) { $0 + $1.borrowedEvents } / m
    let borrowedVariance = ok.reduce(0) { $0 + pow($1.borrowedEvents - borrowed, 2) } / max(m - 1, 1)
    var kinds: [String: Int] = [:]
    for r in results { if let kind = r.failure { kinds[kind.rawValue, default: 0] += 1 } }
    let bayesian = design.analysis.isBayesian
    return OperatingCharacteristics(
      cell: cell, design: design.id, method: design.analysis.method, source: design.hasExternalControls ? design.source : nil,
      hazardRatio: hazardRatio, drift: drift, replicates: results.count, analysed: ok.count,
      rejectionRate: rejection, rejectionMCSE: (rejection * (1 - rejection) / m).squareRoot(),
      meanHR: exp(mean), meanLogHR: mean, meanLogHRMCSE: (variance / m).squareRoot(),
      estimandLogHR: estimand, conditionalLogHR: log(hazardRatio), biasLogHR: mean - estimand,
      empiricalSELogHR: variance.squareRoot(), rmseLogHR: (ok.reduce(0) { $0 + pow($1.logHazardRatio - estimand, 2) } / m).squareRoot(),
      coverage: covered, coverageMCSE: (covered * (1 - covered) / m).squareRoot(),
      meanEvents: Double(ok.reduce(0) { $0 + $1.events }) / m,
      borrowedEvents: borrowed, borrowedEventsSD: borrowedVariance.squareRoot(),
      capRate: Double(ok.filter(\.capped).count) / m,
      varianceRatio: design.analysis == .prognostic(test: .adjustedLogrank) ? ok.reduce(0) { $0 + ($1.varianceRatio ?? .nan) } / m : nil,
      decision: bayesian ? .posterior : .z, threshold: bayesian ? context.efficacyCut : nil,
      failures: results.count - ok.count, failureRate: (b - m) / b, failureKinds: kinds)
  }
}

extension Scenario {
  /// Every (hazard ratio, drift) of the truth grid, hazard ratio first.
  var truthPairs: [(Double, Double)] {
    truth.hazardRatios.flatMap { hr in truth.drifts.map { (hr, $0) } }
  }
}

/// What a design's estimand depends on: the hazard ratio, the adjustment set and the design's
/// real patients (their number sets the calendar at the protocol's accrual rate; their split the
/// allocation).
struct LargeSampleKey: Hashable {
  var hazardRatio: Double
  var adjust: [String]
  var experimental: Int
  var realControls: Int
  var prognostic: Scenario.PrognosticTest?
  init(_ hazardRatio: Double, _ design: Scenario.Design) {
    self.hazardRatio = hazardRatio
    if case .prognostic(let test) = design.analysis { prognostic = test }
    adjust = design.adjust.sorted()
    experimental = design.experimental
    realControls = design.realControls
  }
}

extension TrialModel {
  /// The log HR the Cox analysis (adjusted for the design's `adjust`, or not) converges to under
  /// this design's accrual, dropout and cut: one conventional trial about `perArm` patients per arm
  /// with the design's allocation (1:1 for a design without real controls), accrued at the
  /// protocol's rate scaled so that the accrual period is the design's own, the event target
  /// scaled with it, analysed the same way (Docs/Methods.md, "Estimand"). Nil when that trial fails.
  func marginalLogHazardRatio(
    hazardRatio: Double, design: Scenario.Design, seeds: SeedSequence, cellIndex: Int,
    truthIndex: Int, perArm: Int = 200_000
  ) -> Double {
    let e = design.experimental
    let c = design.realControls > 0 ? design.realControls : design.experimental
    let k = max(1, Int((Double(2 * perArm) / Double(e + c)).rounded(.up)))
    // A prognostic analysis converges to its own estimand (conditional on the score for Cox,
    // the marginal HR for the adjusted log-rank): analysed the same way.
    let analysis = design.analysis.method == .prognostic ? design.analysis : Scenario.Analysis.none
    let large = Scenario.Design(
      id: "estimand", experimental: e * k, realControls: c * k, syntheticControls: 0,
      analysis: analysis, adjust: design.adjust)
    var scaled = self
    // The design's real patients accrue over (e + c)/rate at the protocol's rate; the large trial
    // keeps that period.
    scaled.scale(by: Double((e + c) * k) / Double(design.experimental + design.realControls))
    let streams = ReplicateStreams(seeds, [0xE57, UInt64(cellIndex), UInt64(truthIndex)])
    let context = AnalysisContext(
      test: trialProtocol.design.test, intervals: intervals, rule: GaussLegendre(points: 8),
      generatorVariance: 0, informationCap: nil, threshold: nil)
    let result = scaled.simulate(
      design: large, hazardRatio: hazardRatio, drift: 1, streams: streams, generator: nil,
      context: context)
    return result.failed ? .nan : result.logHazardRatio
  }
}

/// One task of a cell's fixed work.
private enum FixedWork: Sendable {
  case drift(ImpliedDriftFit?)
  case refit(UncertaintyRefit?)
}

/// Results written from worker threads into one buffer allocated up front: each (job,
/// replicate) slot is written by exactly one worker and read only after every worker has
/// finished (`concurrentPerform` returns then), so the slots need no lock and the replicate loop
/// allocates nothing to store a result.
final class Results: @unchecked Sendable {
  private let slots: UnsafeMutableBufferPointer<ReplicateResult>
  private let jobs: Int
  private let replicates: Int
  init(jobs: Int, replicates: Int) {
    self.jobs = jobs
    self.replicates = replicates
    slots = .allocate(capacity: max(jobs * replicates, 1))
    slots.initialize(repeating: .failure(.noEvents))
  }
  deinit {
    slots.deinitialize()
    slots.deallocate()
  }
  func store(job: Int, replicate r: Int, _ result: ReplicateResult) { slots[job * replicates + r] = result }
  /// Results by job, then replicate.
  var byJob: [[ReplicateResult]] {
    (0..<jobs).map { j in Array(slots[(j * replicates)..<((j + 1) * replicates)]) }
  }
}

final class Counter: @unchecked Sendable {
  private var value = 0
  private let lock = NSLock()
  func add(_ n: Int) -> Int {
    lock.lock()
    value += n
    let v = value
    lock.unlock()
    return v
  }
}

/// The per-replicate generator refits of one cell, kept across the phases of its savings search:
/// replicate r's refit depends only on (cell, r), so every phase would fit the same generator
/// again. A failed refit (every attempt failed; its redraws counted once) is kept as failed.
final class RefitCache: @unchecked Sendable {
  /// One replicate's refit: the generator, or nil when every attempt failed.
  struct Kept { var generator: SharedGenerator? }

  private let lock = NSLock()
  private var slots: [Kept?]

  init(replicates: Int) { slots = Array(repeating: nil, count: replicates) }

  /// The refit of replicate `r`, when an earlier phase made it.
  func fit(replicate r: Int) -> Kept? {
    lock.lock()
    defer { lock.unlock() }
    return slots[r]
  }

  func store(_ generator: SharedGenerator?, replicate r: Int) {
    lock.lock()
    defer { lock.unlock() }
    slots[r] = Kept(generator: generator)
  }
}
