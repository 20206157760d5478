// SyntheticReplica.swift — synthetic patients censored like the reference, written in the
// reference's own coding so the CSV drops into the same R or pandas code.

import CohortData
import Foundation
import GSL
import TrialSpec

/// Synthetic patients with observed (censored) follow-up, like the reference's.
public struct SyntheticReplica: Sendable {
  public var patients: SyntheticPatients
  /// min(event time, censoring time), in the reference's time unit.
  public var times: [Double]
  public var events: [Bool]
  /// Patients whose written row (covariates, time, event) equalled a reference patient's, and
  /// whose outcome was therefore drawn again.
  public var copiesRedrawn = 0
  /// Patients still equal to a reference patient after 100 fresh outcomes (0 unless the
  /// reference's times are degenerate); the audit counts them as exact copies.
  public var copiesRemaining = 0
}

extension SyntheticReplica {
  /// The replica as reference-typed data in `p`'s coding (label positions, NaN missing): a cohort
  /// to audit against, or to fit a generator on. Nil when `p` has no reference cohort.
  public func referenceData(like p: TrialProtocol) -> ReferenceData? {
    guard let cohort = p.referenceData?.cohort else { return nil }
    return ReferenceData(
      cohort: cohort, columns: patients.columns, referenceRows: Array(0..<times.count), times: times, events: events.map { $0 })
  }
}

extension SyntheticControlGenerator {
  /// Censors `patients` with censoring times drawn from the reference's censoring distribution
  /// (stream `seed`, separate from the covariate stream), and rounds numbers to the precision
  /// the reference is written with (whole days, whole years of age, …), so that what is audited
  /// is exactly what the CSV holds. A rounded time is at least one unit of that precision.
  ///
  /// Privacy by construction: censoring times come from the reverse Kaplan–Meier curve
  /// interpolated between its steps (never an observed time), and a patient whose written row
  /// equals a reference patient's on every column (after rounding) gets a fresh event time from
  /// the outcome model for the same covariates and a fresh censoring time, until it differs (at
  /// most 100 times; counted in ``SyntheticReplica/copiesRedrawn``). This is synthpop's
  /// `sdc(rm.replicated.uniques = TRUE)` idea, with a redraw instead of a removal so the
  /// requested number of patients is kept; the event distribution changes only by the removal of
  /// the (rare) copies.
  public func replica(of patients: SyntheticPatients, seed: UInt64) -> SyntheticReplica {
    let rng = SeedSequence(masterSeed: seed).makeRandomSource(0x4345_4e53)  // "CENS"
    var rounded = patients
    var times: [Double] = []
    var events: [Bool] = []
    guard let spec = trialProtocol.reference, let cohort = trialProtocol.referenceData?.cohort else {
      return SyntheticReplica(patients: patients, times: patients.eventTimes, events: patients.eventTimes.map { _ in true })
    }
    for (j, v) in patients.variables.enumerated() where v.type == .continuous || v.type == .count {
      let step = pow(10, -Double(Self.decimals(cohort, v.name)))
      rounded.values[j] = rounded.values[j].map { $0.isNaN ? $0 : ($0 / step).rounded() * step }
    }
    let step = pow(10, -Double(Self.decimals(cohort, spec.timeColumn)))
    let reference = referenceRowKeys()
    var redrawn = 0
    var remaining = 0
    for i in 0..<patients.count {
      var t = patients.eventTimes[i]
      var key = rounded.values.map { Self.keyBits($0[i]) }
      for attempt in 0...100 {
        let c = outcome.smoothedCensoringTime(rng.uniformPositive())
        let time = max((min(t, c) / step).rounded() * step, step)
        key.append(contentsOf: [Self.keyBits(time), t <= c ? 1 : 0])
        guard reference.contains(key) else {
          times.append(time)
          events.append(t <= c)
          break
        }
        key.removeLast(2)
        guard attempt < 100 else {
          remaining += 1
          times.append(time)
          events.append(t <= c)
          break
        }
        redrawn += 1
        t = outcome.eventTime(survival: rng.uniformPositive(), row: patients.values.map { $0[i] })
      }
      rounded.eventTimes[i] = t
    }
    return SyntheticReplica(
      patients: rounded, times: times, events: events, copiesRedrawn: redrawn, copiesRemaining: remaining)
  }

  /// Every reference patient's row as the replica writes one: generated covariates (generator
  /// order), time, event.
  func referenceRowKeys() -> Set<[UInt64]> {
    guard let data = trialProtocol.referenceData else { return [] }
    let rows = data.referenceRows.filter { !data.times[$0].isNaN && data.events[$0] != nil }
    let columns = variables.map { GaussianCopulaModel.values(data.columns, $0.name, rows) }
    return Set(
      rows.indices.map { i in
        columns.map { Self.keyBits($0[i]) } + [Self.keyBits(data.times[rows[i]]), data.events[rows[i]]! ? 1 : 0]
      })
  }

  /// A number's identity for row equality: NaN equals NaN, −0 equals 0.
  static func keyBits(_ x: Double) -> UInt64 { x.isNaN ? UInt64.max : (x + 0).bitPattern }

  /// The replica as CSV text: the reference's column names and order (generated covariates,
  /// time, event), codes or labels as the reference holds them, numbers at the reference's
  /// precision, missing values as empty fields.
  public func csv(_ replica: SyntheticReplica) -> String {
    guard let spec = trialProtocol.reference, let data = trialProtocol.referenceData else { return "" }
    let cohort = data.cohort
    let generated = Dictionary(uniqueKeysWithValues: replica.patients.variables.enumerated().map { ($1.name, $0) })
    let columns = cohort.columnNames.filter { generated[$0] != nil || $0 == spec.timeColumn || $0 == spec.eventColumn }
    let censoredValue = Self.censoredValue(cohort, spec)
    let timeDigits = Self.decimals(cohort, spec.timeColumn)
    var lines = [columns.joined(separator: ",")]
    for i in 0..<replica.times.count {
      let fields = columns.map { name -> String in
        if name == spec.timeColumn { return Self.format(replica.times[i], timeDigits) }
        if name == spec.eventColumn { return replica.events[i] ? spec.eventValue : censoredValue }
        let j = generated[name]!
        let variable = replica.patients.variables[j]
        let x = replica.patients.values[j][i]
        if x.isNaN { return "" }
        switch variable.type {
        case .categorical, .ordinal:
          return variable.codes.map { $0[Int(x)].code } ?? variable.levels![Int(x)]
        default:
          return Self.format(x, Self.decimals(cohort, name))
        }
      }
      lines.append(fields.map(Self.quoted).joined(separator: ","))
    }
    return lines.joined(separator: "\n") + "\n"
  }

  /// The event column's value for a censored patient: the reference's most frequent censoring
  /// value as written (ties: the first in file order), else the first declared censoring value.
  static func censoredValue(_ cohort: Cohort, _ spec: ReferenceSpec) -> String {
    let labels = ((try? cohort.labels(spec.eventColumn)) ?? []).compactMap { $0 }.filter { spec.eventStatus($0) == false }
    var counts: [String: Int] = [:]
    for l in labels { counts[l, default: 0] += 1 }
    return labels.max { counts[$0]! < counts[$1]! } ?? spec.censorValues.first ?? "0"
  }

  /// The most decimals any value of `column` is written with in the reference (at most 6).
  static func decimals(_ cohort: Cohort, _ column: String) -> Int {
    let labels = ((try? cohort.labels(column)) ?? []).compactMap { $0 }
    return min(6, labels.map { l in l.firstIndex(of: ".").map { l.distance(from: $0, to: l.endIndex) - 1 } ?? 0 }.max() ?? 0)
  }

  /// `x` with `digits` decimals. Any double is safe: a whole number beyond Int's range (a
  /// covariate of 1e308 in the reference) is printed by `%.0f` rather than converted to Int,
  /// which would trap.
  static func format(_ x: Double, _ digits: Int) -> String {
    guard digits == 0 else { return String(format: "%.\(digits)f", x) }
    if let whole = Int(exactly: x.rounded()) { return String(whole) }
    return String(format: "%.0f", x)
  }

  static func quoted(_ field: String) -> String {
    field.contains(",") || field.contains("\"") || field.contains("\n")
      ? "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : field
  }
}
