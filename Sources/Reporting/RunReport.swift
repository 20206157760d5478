// RunReport.swift — the outputs of `syntharm run` and `syntharm merge` (Docs/ProtocolFormat.md,
// "Outputs of a run"), assembled from the stored cells alone:
//   operating-characteristics.csv  one tidy row per cell × design × truth
//   savings.csv                    one row per cell × compared design × drift (when asked)
//   results.json                   the manifest and every cell: attrition, generator support,
//                                  audit, operating characteristics, savings curves
// Nothing here depends on timing, threads or sharding: wall time goes to run-log.json.

import Foundation
import Runs
import Simulation
import TrialSpec

/// Everything a run produced, and what made it.
public struct RunReport: Sendable, Codable {
  public var manifest: RunManifest
  public var cells: [CellResult]

  public init(manifest: RunManifest, cells: [CellResult]) {
    self.manifest = manifest
    self.cells = cells
  }

  public var operatingCharacteristics: [OperatingCharacteristics] { cells.flatMap(\.operatingCharacteristics) }
  public var savings: [SavingsSearch] { cells.flatMap(\.savings) }
  public var asksForSavings: Bool { cells.contains { !$0.savings.isEmpty } }

  /// One row per cell × design × truth, with the contract's columns first; NA for a value that
  /// does not exist (a rate with no analysed replicate, an implied drift without a synthetic source).
  public var csv: String {
    let header = [
      "cell", "design", "hazard_ratio", "drift", "replicates", "rejection_rate", "rejection_mcse", "mean_hr",
      "bias_log_hr", "empirical_se_log_hr", "coverage", "mean_events", "failures", "estimand_log_hr",
      "conditional_log_hr", "rmse_log_hr", "coverage_mcse", "eligible_reference", "generator_support",
      "method", "source", "borrowed_events", "borrowed_events_sd", "failure_rate", "implied_drift",
      "implied_drift_lower", "implied_drift_upper", "analysed", "cap_rate", "decision", "threshold",
      "generator_log_cumhaz_sd", "variance_ratio", "calibrated_threshold", "calibrated_threshold_low",
      "calibrated_threshold_high", "threshold_scale", "calibrated_rejection_rate", "calibrated_rejection_mcse",
      "generator_refit_pool",
    ]
    var rows: [String] = []
    for cell in cells {
      let drift = cell.impliedDrift
      for o in cell.operatingCharacteristics {
        let numbers = [o.rejectionRate, o.rejectionMCSE, o.meanHR, o.biasLogHR, o.empiricalSELogHR, o.coverage, o.meanEvents]
        let more = [o.estimandLogHR, o.conditionalLogHR, o.rmseLogHR, o.coverageMCSE]
        var fields = [o.cell, o.design, String(o.hazardRatio), String(o.drift), String(o.replicates)]
        fields += numbers.map(Self.number) + [String(o.failures)] + more.map(Self.number)
        fields += [Self.field(cell.eligibleReference), Self.field(cell.generatorSupport)]
        fields += [
          o.method.rawValue, o.source?.rawValue ?? "NA", Self.number(o.borrowedEvents), Self.number(o.borrowedEventsSD),
          Self.number(o.failureRate),
        ]
        // The implied drift belongs to designs that draw synthetic controls.
        let synthetic = o.source == .synthetic
        fields += [drift?.hazardRatio, drift?.lower, drift?.upper].map { synthetic ? Self.number($0) : "NA" }
        fields += [
          String(o.analysed), Self.number(o.capRate), o.decision.rawValue, Self.number(o.threshold),
          synthetic ? Self.number(cell.generatorUncertainty?.logCumulativeHazardSD) : "NA", Self.number(o.varianceRatio),
        ]
        let c = o.calibration
        fields += [
          Self.number(c?.threshold), Self.number(c?.low), Self.number(c?.high), Self.quoted(c?.scale.rawValue ?? "NA"),
          Self.number(o.calibratedRejectionRate), Self.number(o.calibratedRejectionMCSE),
        ]
        // K of `borrowing.refit: pool` (NA: refitted in every replicate, or no synthetic source).
        fields.append(synthetic ? Self.field(cell.generatorUncertainty?.refitPool) : "NA")
        rows.append(fields.joined(separator: ","))
      }
    }
    return ([header.joined(separator: ",")] + rows).joined(separator: "\n") + "\n"
  }

  /// A number, or NA when it is missing or not finite.
  static func number(_ value: Double?) -> String {
    guard let value, value.isFinite else { return "NA" }
    return String(value)
  }

  /// One row per cell × compared design, the contract's columns first; NA where a value does
  /// not exist (the status says why).
  public var savingsCSV: String {
    let header = [
      "cell", "design", "conventional_experimental", "conventional_controls", "conventional_events",
      "conventional_months", "real_controls", "synthetic_controls", "saved", "saved_low", "saved_high", "saved_percent",
      "months_saved", "threshold", "threshold_low", "threshold_high", "status", "threshold_scale", "target_power",
      "hazard_ratio", "conventional_patients", "schoenfeld_patients", "replicates", "bootstrap_resamples",
      "reference_size", "reference_source",
    ]
    var rows: [String] = []
    for cell in cells {
      for s in cell.savings {
        let fields = [
          s.cell, s.design, Self.field(s.conventionalExperimental), Self.field(s.conventionalControls),
          Self.number(s.conventionalEvents), Self.number(s.conventionalMonths), Self.field(s.realControls),
          String(s.syntheticControls), Self.field(s.saved), Self.field(s.savedLow), Self.field(s.savedHigh),
          Self.number(s.savedPercent), Self.number(s.monthsSaved), Self.number(s.threshold), Self.number(s.thresholdLow),
          Self.number(s.thresholdHigh), s.status.rawValue, Self.quoted(s.thresholdScale.rawValue), String(s.targetPower),
          String(s.hazardRatio), Self.field(s.conventionalPatients), Self.field(s.schoenfeldPatients),
          String(s.replicates), String(s.bootstrapResamples),
          Self.field(cell.referenceSample?.size ?? cell.eligibleReference), cell.referenceSample?.kind.rawValue ?? "reference",
        ]
        rows.append(fields.joined(separator: ","))
      }
    }
    return ([header.joined(separator: ",")] + rows).joined(separator: "\n") + "\n"
  }

  /// One row per cell × compared design × drift: power and type-I error of the chosen design at
  /// its calibrated threshold.
  public var savingsByDriftCSV: String {
    let header = ["cell", "design", "drift", "power", "power_mcse", "type1", "type1_mcse"]
    var rows: [String] = []
    for s in savings {
      for d in s.byDrift {
        rows.append(
          [
            s.cell, s.design, String(d.drift), Self.number(d.power), Self.number(d.powerMCSE), Self.number(d.typeIError),
            Self.number(d.typeIErrorMCSE),
          ].joined(separator: ","))
      }
    }
    return ([header.joined(separator: ",")] + rows).joined(separator: "\n") + "\n"
  }

  public func json() throws -> String {
    try ReportJSON.text(self)
  }

  /// The file names ``write(to:)`` writes.
  /// Every file a complete run may write (checked before it simulates).
  public static let outputNames = ["operating-characteristics.csv", "savings.csv", "savings-by-drift.csv", "results.json"]

  public var fileNames: [String] {
    ["operating-characteristics.csv"] + (asksForSavings ? ["savings.csv", "savings-by-drift.csv"] : []) + ["results.json"]
  }

  /// Writes the outputs into `folder`, each atomically.
  public func write(to folder: String) throws {
    func path(_ name: String) -> String { (folder as NSString).appendingPathComponent(name) }
    try AtomicFile.write(csv, to: path("operating-characteristics.csv"))
    if asksForSavings {
      try AtomicFile.write(savingsCSV, to: path("savings.csv"))
      try AtomicFile.write(savingsByDriftCSV, to: path("savings-by-drift.csv"))
    }
    try AtomicFile.write(json(), to: path("results.json"))
  }

  /// Writes the HTML report (``HTMLReport``), atomically, to `file`; returns its path.
  @discardableResult
  public func writeHTML(to file: String) throws -> String {
    try AtomicFile.write(HTMLReport.html(self), to: file)
    return file
  }

  static func field<T: LosslessStringConvertible>(_ value: T?) -> String { value.map { String($0) } ?? "NA" }

  /// RFC 4180 quoting when the text holds a comma or a quote.
  static func quoted(_ text: String) -> String {
    text.contains(",") || text.contains("\"") ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
  }
}
