// SweepCell.swift — one eligibility variation of a scenario, simulated (Docs/Methods.md, "Eligibility
// sweeps and sharded runs"): its eligible reference count and per-rule attrition, the generator's support (warned
// below 30 patients), an audit of synthetic patients drawn under the cell's rules, the operating
// characteristics of every design × truth and the savings search.

import Audit
import Foundation
import Simulation
import Synthesis
import TrialSpec

/// How a run is simulated; part of its manifest.
public struct RunSettings: Sendable, Codable, Equatable {
  public var replicates: Int
  public var refit: Bool
  /// Patients per arm of the large-sample trial behind the estimand.
  public var estimandPatients: Int
  /// Synthetic patients generated for each cell's audit.
  public var auditPatients: Int

  public init(replicates: Int, refit: Bool = true, estimandPatients: Int = 200_000, auditPatients: Int = 1_000) {
    self.replicates = replicates
    self.refit = refit
    self.estimandPatients = estimandPatients
    self.auditPatients = auditPatients
  }
}

/// What one sweep cell produced. Stored as `cells/NNN-ID.json` in the output folder, so that a
/// sweep resumes from its finished cells and shards can be merged.
public struct CellResult: Sendable, Codable {
  public var index: Int
  public var id: String
  /// Reference patients (real controls) and those meeting the cell's rules.
  public var referencePatients: Int?
  public var eligibleReference: Int?
  public var attrition: [Attrition.RuleCounts]
  /// Real patients behind the synthetic controls of this cell, and the warning below 30.
  public var generatorSupport: Int?
  public var supportWarning: String?
  public var audit: CellAudit?
  public var operatingCharacteristics: [OperatingCharacteristics]
  public var savings: [SavingsSearch]
  /// The generator's estimation error (bootstrap refits) and the implied drift of the
  /// conditioned synthetic source against the cell's own eligible patients.
  public var generatorUncertainty: GeneratorUncertainty?
  public var impliedDrift: ImpliedDrift?
  /// Which reference patients the cell's generator learns from.
  public var fitOn: FitPopulation?
  /// Under `sweep.reference_size`: how many eligible reference patients the synthetic source
  /// learns from, and whether they are the reference, a subsample of it or a cohort drawn from
  /// the truth model.
  public var referenceSample: ReferenceSample?
  /// Generator refits that failed in a replicate and were redrawn from a new bootstrap resample.
  public var refitRedraws: Int?
  /// Trials simulated for this cell (operating characteristics and savings candidates).
  public var trials: Int
  /// Why the cell could not be simulated (e.g. no eligible reference patients); nil when it was.
  public var failure: CellFailure?

  public init(
    index: Int, id: String, referencePatients: Int? = nil, eligibleReference: Int? = nil, attrition: [Attrition.RuleCounts] = [],
    generatorSupport: Int? = nil, supportWarning: String? = nil, audit: CellAudit? = nil,
    operatingCharacteristics: [OperatingCharacteristics] = [], savings: [SavingsSearch] = [],
    generatorUncertainty: GeneratorUncertainty? = nil, impliedDrift: ImpliedDrift? = nil, fitOn: FitPopulation? = nil,
    refitRedraws: Int? = nil, trials: Int = 0, failure: CellFailure? = nil
  ) {
    self.index = index
    self.id = id
    self.referencePatients = referencePatients
    self.eligibleReference = eligibleReference
    self.attrition = attrition
    self.generatorSupport = generatorSupport
    self.supportWarning = supportWarning
    self.audit = audit
    self.operatingCharacteristics = operatingCharacteristics
    self.savings = savings
    self.generatorUncertainty = generatorUncertainty
    self.impliedDrift = impliedDrift
    self.fitOn = fitOn
    self.refitRedraws = refitRedraws
    self.trials = trials
    self.failure = failure
  }
}

/// The audit of synthetic patients generated under the cell's rules, or why there is none.
public struct CellAudit: Sendable, Codable {
  public var report: AuditReport?
  public var generation: GenerationReport?
  public var holdoutFraction: Double
  public var failure: CellFailure?
  /// The data behind the report's audit figures (cells stored before it existed have none).
  public var figures: AuditFigures?

  public init(
    report: AuditReport? = nil, generation: GenerationReport? = nil, holdoutFraction: Double, failure: CellFailure? = nil,
    figures: AuditFigures? = nil
  ) {
    self.report = report
    self.generation = generation
    self.holdoutFraction = holdoutFraction
    self.failure = failure
    self.figures = figures
  }
}

public enum SweepCellRunner {
  /// The audit's holdout share of the eligible reference (as `syntharm generate`'s default).
  static let auditHoldout = 0.2
  /// Below this many eligible reference patients a cell's synthetic controls rest on too little data.
  public static let minimumSupport = 30

  /// Simulates cell `index` of `scenario`. Numerical trouble inside replicates is counted in the
  /// operating characteristics; a cell that cannot be simulated at all records why.
  public static func run(
    _ scenario: Scenario, cell index: Int, settings: RunSettings, threads: Int,
    progress: (@Sendable (Int, Int) -> Void)? = nil
  ) -> CellResult {
    let cell = scenario.sweep[index]
    var p = scenario.trialProtocol
    p.eligibility = cell.eligibility
    if p.synthesis != nil { p.synthesis!.fitOn = cell.fitOn }
    var result = CellResult(index: index, id: cell.id, attrition: [], operatingCharacteristics: [], savings: [], trials: 0)
    var pendingAudit: AuditSlot?
    if let columns = p.referenceData?.referenceColumns {
      let attrition = Attrition(cell.eligibility, on: columns)
      result.referencePatients = attrition.referenceRows
      result.eligibleReference = attrition.eligibleCount
      result.attrition = attrition.rules
      let needsSynthetic = scenario.designs.contains { $0.syntheticControls > 0 }
      if needsSynthetic {
        result.generatorSupport = attrition.eligibleCount
        if attrition.eligibleCount < minimumSupport {
          result.supportWarning =
            "only \(attrition.eligibleCount) reference patients meet the rules of cell '\(cell.id)' "
            + "(fewer than \(minimumSupport)): its synthetic controls rest on very little real data"
        }
        // With more than one thread the audit runs beside the simulation (its own seed, its own
        // thread; the workers take the replicates as they free up, so the cell is not held up
        // by it); with one thread, first, so that one thread means one.
        let protocolToAudit = p
        let seed = scenario.seed &+ UInt64(index)
        if threads > 1 {
          let audited = AuditSlot()
          audited.group.enter()
          DispatchQueue.global().async {
            audited.value = audit(protocolToAudit, count: settings.auditPatients, seed: seed, fitOn: cell.fitOn)
            audited.group.leave()
          }
          pendingAudit = audited
        } else {
          result.audit = audit(protocolToAudit, count: settings.auditPatients, seed: seed, fitOn: cell.fitOn)
        }
      }
    }
    do {
      let model = try TrialModel(scenario: scenario, cellIndex: index, refit: settings.refit)
      let simulation = MonteCarlo.simulateCell(
        model: model, scenario: scenario, cellIndex: index,
        replicates: settings.replicates, threads: threads,
        estimandPatients: settings.estimandPatients, progress: progress)
      result.operatingCharacteristics = simulation.operatingCharacteristics
      result.savings = simulation.savings
      result.generatorUncertainty = simulation.generatorUncertainty
      result.impliedDrift = simulation.impliedDrift
      result.refitRedraws = simulation.refitRedraws
      if model.hasSyntheticSource { result.fitOn = model.fitOn }
      if let sample = model.referenceSample {
        result.referenceSample = sample
        result.generatorSupport = sample.size
        if sample.size < minimumSupport {
          result.supportWarning =
            "the synthetic controls of cell '\(cell.id)' learn from only \(sample.size) reference patients (fewer than \(minimumSupport))"
        }
      }
      result.trials = simulation.trials
    } catch {
      result.failure = CellFailure(error, context: "cell '\(cell.id)' cannot be simulated: ")
    }
    if let pendingAudit {
      pendingAudit.group.wait()
      result.audit = pendingAudit.value
    }
    return result
  }

  static func audit(_ p: TrialProtocol, count: Int, seed: UInt64, fitOn: FitPopulation) -> CellAudit {
    do {
      let (result, _, _) = try SyntheticAudit.generateAndAudit(p, count: count, seed: seed, holdout: auditHoldout, fitOn: fitOn)
      return CellAudit(
        report: result.audit, generation: result.generation, holdoutFraction: auditHoldout,
        figures: result.figures)
    } catch {
      return CellAudit(holdoutFraction: auditHoldout, failure: CellFailure(error))
    }
  }
}

/// The audit of a cell, computed on another thread while the cell simulates (written once, read
/// after `group.wait()`).
private final class AuditSlot: @unchecked Sendable {
  let group = DispatchGroup()
  var value: CellAudit?
}
