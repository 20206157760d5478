// RunReport.swift — the outputs of `syntharm run` and `syntharm merge` (Docs/ProtocolFormat.md,
// "Outputs of a run"), assembled from the stored cells alone:
//   operating-characteristics.csv  one tidy row per cell × design × truth
//   savings.csv                    one row per cell × compared design × drift (when asked)
//   results.json                   the manifest and every cell: attrition, generator support,
//                                  audit, operating characteristics, savings curves
// Nothing here depends on timing, threads or sharding: wall time goes to run-log.json.

import Foundation
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
    let header = ["cell", "design", "hazard_ratio", "drift", "replicates", "rejection_rate", "rejection_mcse", "mean_hr",
                  "bias_log_hr", "empirical_se_log_hr", "coverage", "mean_events", "failures", "estimand_log_hr",
                  "conditional_log_hr", "rmse_log_hr", "coverage_mcse", "eligible_reference", "generator_support",
                  "method", "source", "borrowed_events", "borrowed_events_sd", "failure_rate", "implied_drift",
                  "implied_drift_lower", "implied_drift_upper", "analysed", "cap_rate", "decision", "threshold",
                  "generator_log_cumhaz_sd", "variance_ratio"]
    var rows: [String] = []
    for cell in cells {
      let drift = cell.impliedDrift
      for o in cell.operatingCharacteristics {
        let numbers = [o.rejectionRate, o.rejectionMCSE, o.meanHR, o.biasLogHR, o.empiricalSELogHR, o.coverage, o.meanEvents]
        let more = [o.estimandLogHR, o.conditionalLogHR, o.rmseLogHR, o.coverageMCSE]
        var fields = [o.cell, o.design, String(o.hazardRatio), String(o.drift), String(o.replicates)]
        fields += numbers.map(Self.number) + [String(o.failures)] + more.map(Self.number)
        fields += [Self.field(cell.eligibleReference), Self.field(cell.generatorSupport)]
        fields += [o.method.rawValue, o.source?.rawValue ?? "NA", Self.number(o.borrowedEvents), Self.number(o.borrowedEventsSD),
                   Self.number(o.failureRate)]
        // The implied drift belongs to designs that draw synthetic controls.
        let synthetic = o.source == .synthetic
        fields += [drift?.hazardRatio, drift?.lower, drift?.upper].map { synthetic ? Self.number($0) : "NA" }
        fields += [String(o.analysed), Self.number(o.capRate), o.decision, Self.number(o.threshold),
                   synthetic ? Self.number(cell.generatorUncertainty?.logCumulativeHazardSD) : "NA", Self.number(o.varianceRatio)]
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

  /// One row per cell × compared design × drift, the contract's columns first; NA where the
  /// search found no count (the status column says why).
  public var savingsCSV: String {
    let header = ["cell", "design", "drift", "target_power", "conventional_real_controls", "real_controls", "saved",
                  "saved_percent", "hazard_ratio", "schoenfeld_real_controls", "power_at_real_controls",
                  "type_i_error_at_real_controls", "type_i_error_limit", "replicates", "status",
                  "conventional_real_controls_low", "conventional_real_controls_high", "real_controls_low", "real_controls_high"]
    var rows: [String] = []
    for search in savings {
      for d in search.byDrift {
        let status = search.conventionalRealControls == nil ? "conventional: " + search.conventionalStatus : d.status
        let fields = [search.cell, search.design, String(d.drift), String(search.targetPower),
                      Self.field(search.conventionalRealControls), Self.field(d.realControls), Self.field(d.saved),
                      Self.field(d.savedPercent), String(search.hazardRatio), Self.field(search.schoenfeldRealControls),
                      Self.field(d.powerAtRealControls), Self.field(d.typeIErrorAtRealControls),
                      String(search.typeIErrorLimit), String(search.replicates), Self.quoted(status),
                      Self.field(search.conventionalRealControlsLow), Self.field(search.conventionalRealControlsHigh),
                      Self.field(d.realControlsLow), Self.field(d.realControlsHigh)]
        rows.append(fields.joined(separator: ","))
      }
    }
    return ([header.joined(separator: ",")] + rows).joined(separator: "\n") + "\n"
  }

  public func json() throws -> String {
    try ReportJSON.text(self)
  }

  /// The file names ``write(to:)`` writes.
  public var fileNames: [String] {
    ["operating-characteristics.csv"] + (asksForSavings ? ["savings.csv"] : []) + ["results.json"]
  }

  /// Writes the outputs into `folder`, each atomically.
  public func write(to folder: String) throws {
    func path(_ name: String) -> String { (folder as NSString).appendingPathComponent(name) }
    try AtomicFile.write(csv, to: path("operating-characteristics.csv"))
    if asksForSavings { try AtomicFile.write(savingsCSV, to: path("savings.csv")) }
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

/// How long a run took and where: kept apart from the results, which must not depend on it.
public struct RunLog: Sendable, Codable {
  public var tool: String
  public var scenario: String
  public var shard: String?
  public var threads: Int
  public var cellsSimulated: [String]
  public var cellsReused: [String]
  public var wallSeconds: Double
  public var trialsSimulated: Int

  public init(tool: String, scenario: String, shard: String?, threads: Int, cellsSimulated: [String], cellsReused: [String],
              wallSeconds: Double, trialsSimulated: Int) {
    self.tool = tool
    self.scenario = scenario
    self.shard = shard
    self.threads = threads
    self.cellsSimulated = cellsSimulated
    self.cellsReused = cellsReused
    self.wallSeconds = wallSeconds
    self.trialsSimulated = trialsSimulated
  }

  public func json() throws -> String { try ReportJSON.text(self) }
}
