// RunReport.swift — the outputs of `syntharm run` (PROTOCOL-FORMAT.md, "Outputs of a run"):
// operating-characteristics.csv and results.json with the run manifest.

import Crypto
import Foundation
import Simulation
import TrialSpec

/// Everything a run produced, and how it was made.
public struct RunReport: Sendable, Encodable {
  public struct Manifest: Sendable, Encodable {
    public var tool: String
    public var scenario: String
    public var seed: UInt64
    public var replicates: Int
    public var threads: Int
    public var refit: Bool
    /// SHA-256 of every input file (scenario, protocol, reference data).
    public var inputs: [String: String]
    public var wallSeconds: Double
  }

  public var manifest: Manifest
  public var operatingCharacteristics: [OperatingCharacteristics]
  public var attrition: [String: [Attrition.RuleCounts]]

  public init(scenario: Scenario, results: [OperatingCharacteristics], replicates: Int, threads: Int, refit: Bool,
              wallSeconds: Double, toolVersion: String) throws {
    var inputs: [String: String] = [:]
    for path in [scenario.file, scenario.protocolPath] + (scenario.trialProtocol.reference.map { [$0.resolvedDataPath] } ?? []) {
      inputs[path] = try SyntheticDataCard.sha256(ofFile: path)
    }
    manifest = Manifest(tool: "syntharm \(toolVersion)", scenario: scenario.id, seed: scenario.seed, replicates: replicates,
                        threads: threads, refit: refit, inputs: inputs, wallSeconds: wallSeconds)
    operatingCharacteristics = results
    var attrition: [String: [Attrition.RuleCounts]] = [:]
    if let columns = scenario.trialProtocol.referenceData?.referenceColumns {
      for cell in scenario.sweep { attrition[cell.id] = Attrition(cell.eligibility, on: columns).rules }
    }
    self.attrition = attrition
  }

  /// One row per cell × design × truth, with the contract's columns first.
  public var csv: String {
    let header = ["cell", "design", "hazard_ratio", "drift", "replicates", "rejection_rate", "rejection_mcse", "mean_hr",
                  "bias_log_hr", "empirical_se_log_hr", "coverage", "mean_events", "failures", "estimand_log_hr",
                  "conditional_log_hr", "rmse_log_hr", "coverage_mcse", "mean_borrowed_weight"]
    let rows = operatingCharacteristics.map { o -> String in
      ([o.cell, o.design] + [o.hazardRatio, o.drift].map { String($0) } + [String(o.replicates)]
        + [o.rejectionRate, o.rejectionMCSE, o.meanHR, o.biasLogHR, o.empiricalSELogHR, o.coverage, o.meanEvents].map { String($0) }
        + [String(o.failures)]
        + [o.estimandLogHR, o.conditionalLogHR, o.rmseLogHR, o.coverageMCSE, o.meanBorrowedWeight].map { String($0) })
        .joined(separator: ",")
    }
    return ([header.joined(separator: ",")] + rows).joined(separator: "\n") + "\n"
  }

  public func json() throws -> String {
    try ReportJSON.text(self)
  }
}
