// SyntheticAudit.swift — the audit of generated patients against the real ones: a seeded
// holdout of the eligible reference is kept out of fitting, the generator learns from the rest,
// and synthetic patients (generated, or read from a file) are compared with the eligible
// training patients (fidelity, privacy) and the holdout (privacy, utility).

import Audit
import Foundation
import Synthesis
import TrialSpec

/// What `syntharm audit` and `syntharm generate` report about synthetic patients.
public struct SyntheticAuditResult: Sendable {
  public var audit: AuditReport
  /// Present when the patients were generated here (not read from a file).
  public var generation: GenerationReport?
  public var trainingRows: Int
  public var holdoutRows: Int
  public var holdoutFraction: Double
  /// What a report draws: survival curves, distributions and correlations of the training and
  /// synthetic patients. Optional so that results made without them still decode; an audit
  /// always computes them.
  public var figures: AuditFigures?
}

public enum SyntheticAudit {
  /// The eligible reference patients, split into training and holdout rows (CSV row indices).
  public static func split(_ p: TrialProtocol, holdout fraction: Double, seed: UInt64) -> (training: [Int], holdout: [Int]) {
    guard let data = p.referenceData else { return ([], []) }
    let mask = p.eligibility.eligible(data.referenceColumns)
    let eligible = data.referenceRows.indices.filter { mask[$0] }.map { data.referenceRows[$0] }
    return HoldoutSplit.split(eligible, fraction: fraction, seed: seed)
  }

  /// Audits `synthetic` (typed like the reference) against the protocol's eligible reference.
  public static func audit(
    _ p: TrialProtocol, synthetic: ReferenceData, holdout fraction: Double, seed: UInt64,
    generation: GenerationReport? = nil
  ) throws -> SyntheticAuditResult {
    guard let data = p.referenceData else {
      throw SynthesisError.notConfigured("protocol '\(p.id)' has no reference cohort to audit against")
    }
    let (training, holdout) = split(p, holdout: fraction, seed: seed)
    let variables = p.synthesis.map { s in s.covariates.compactMap { n in p.variables.first { $0.name == n } } } ?? p.variables
    let train = try table(variables, data, rows: training)
    let syntheticTable = try table(variables, synthetic, rows: synthetic.referenceRows)
    let holdoutTable = holdout.isEmpty ? nil : try table(variables, data, rows: holdout)
    // The horizon in the reference's time unit (the protocol states it in its own).
    let horizon = p.endpoint.horizon.map { p.timeUnit.convert($0, to: p.reference!.timeUnit) }
    let report = try AuditReport(train: train, synthetic: syntheticTable, holdout: holdoutTable, horizon: horizon, seed: seed)
    // After the report: it has checked that the tables share one schema, as the figures need.
    let figures = p.reference.map {
      AuditFigures(real: train, synthetic: syntheticTable, timeUnit: $0.timeUnit, protocolTimeUnit: p.timeUnit)
    }
    return SyntheticAuditResult(
      audit: report, generation: generation, trainingRows: training.count,
      holdoutRows: holdout.count, holdoutFraction: fraction, figures: figures)
  }

  /// Generates `count` patients from a generator fitted without the holdout, and audits them.
  public static func generateAndAudit(
    _ p: TrialProtocol, count: Int, seed: UInt64, holdout fraction: Double,
    fitOn: FitPopulation = .reference
  ) throws -> (SyntheticAuditResult, SyntheticReplica, SyntheticControlGenerator) {
    let (_, holdout) = split(p, holdout: fraction, seed: seed)
    let generator = try SyntheticControlGenerator(protocol: p, fitOn: fitOn, excluding: Set(holdout))
    let (patients, generation) = try generator.generate(count: count, seed: seed)
    let replica = generator.replica(of: patients, seed: seed)
    let result = try audit(p, synthetic: typed(replica, p), holdout: fraction, seed: seed, generation: generation)
    return (result, replica, generator)
  }

  /// Generated patients as reference-typed data (label positions, NaN missing).
  static func typed(_ replica: SyntheticReplica, _ p: TrialProtocol) -> ReferenceData {
    replica.referenceData(like: p)!
  }

  /// An audit table of `variables` at `rows`, with the survival outcome.
  static func table(_ variables: [VariableDeclaration], _ data: ReferenceData, rows: [Int]) throws -> AuditTable {
    var columns: [AuditColumn] = []
    for v in variables {
      switch data.columns.columns[v.name] {
      case .numeric(let values)?:
        if v.type == .binary {
          let labels = v.codes?.sorted { Double($0.code) ?? 0 < Double($1.code) ?? 0 }.map(\.label) ?? ["0", "1"]
          columns.append(.categorical(v.name, codes: rows.map { values[$0].isNaN ? -1 : Int32(values[$0]) }, levels: labels))
        } else {
          columns.append(.numeric(v.name, rows.map { values[$0] }))
        }
      case .labels(let codes)?:
        columns.append(.categorical(v.name, codes: rows.map { codes[$0] }, levels: v.labels, ordered: v.type == .ordinal))
      default:
        continue
      }
    }
    let usable = rows.indices.filter { !data.times[rows[$0]].isNaN && data.events[rows[$0]] != nil }
    if usable.count == rows.count {
      return try AuditTable(columns: columns, times: rows.map { data.times[$0] }, events: rows.map { data.events[$0]! })
    }
    return try AuditTable(columns: columns)
  }
}
