// CellSummary.swift — the one-screen summary that leads the console output and the report: per
// cell, the conventional size, and for each design that borrows external controls its real
// controls saved (with the interval), its type-I error across the drift range at the calibrated
// threshold, the control events it borrows (ESS) and the implied drift of the synthetic source.
// Read from the stored cells only; the details follow it in both places.

import Runs
import Simulation
import TrialSpec

/// One row of the summary: one design of one cell.
public struct CellSummaryRow: Sendable {
  public var cell: String
  /// Eligible reference patients (or the swept reference size, and where it comes from).
  public var reference: String
  /// The conventional design sized for the target power: "N (e + c)", or nil without a search.
  public var conventional: String?
  public var design: String
  /// Real + synthetic controls at the target power (savings), or as the scenario has them.
  public var controls: String?
  public var saved: Int?
  public var savedLow: Int?
  public var savedHigh: Int?
  public var status: SavingsStatus?
  /// Type-I error over the drift grid (at the chosen count and calibrated threshold when a
  /// savings search ran; else the design's rate at HR 1, calibrated when asked): lowest, highest
  /// and the drift of the highest.
  public var typeIRange: (low: Double, high: Double, atDrift: Double)?
  /// Control events borrowed at drift 1 under the alternative (mean).
  public var borrowedEvents: Double?
  public var impliedDrift: ImpliedDrift?
  /// Why the cell has no result (every rate NA).
  public var failure: String?
}

public enum CellSummary {
  /// The rows of `report`: each cell's designs with external controls (the compared designs of a
  /// savings search first, in scenario order).
  public static func rows(_ report: RunReport) -> [CellSummaryRow] {
    report.cells.flatMap(rows(of:))
  }

  static func rows(of cell: CellResult) -> [CellSummaryRow] {
    let reference: String =
      if let s = cell.referenceSample {
        "\(s.size) (\(s.kind == .simulated ? "drawn from the truth" : s.kind == .subsample ? "subsample of \(s.eligibleAvailable)" : "as is"))"
      } else {
        cell.eligibleReference.map { "\($0) eligible" } ?? "–"
      }
    if let reason = cell.notSimulatedReason {
      return [CellSummaryRow(cell: cell.id, reference: reference, design: "–", failure: reason)]
    }
    let external = cell.operatingCharacteristics.filter { $0.method != .none || $0.source == .reference }
    var designs: [String] = []
    for o in external where !designs.contains(o.design) { designs.append(o.design) }
    let searched = cell.savings.map(\.design)
    designs = searched + designs.filter { !searched.contains($0) }
    return designs.map { design in
      let ocs = cell.operatingCharacteristics.filter { $0.design == design }
      var row = CellSummaryRow(cell: cell.id, reference: reference, design: design, impliedDrift: cell.impliedDrift)
      row.borrowedEvents = ocs.first { $0.hazardRatio != 1 && $0.drift == 1 }?.borrowedEvents
      if let s = cell.savings.first(where: { $0.design == design }) {
        row.conventional = s.conventionalPatients.map { "\($0) (\(s.conventionalExperimental ?? 0) + \(s.conventionalControls ?? 0))" }
        row.controls = s.realControls.map { "\($0) + \(s.syntheticControls)" }
        (row.saved, row.savedLow, row.savedHigh, row.status) = (s.saved, s.savedLow, s.savedHigh, s.status)
        row.typeIRange = range(s.byDrift.map { ($0.drift, $0.typeIError) })
      } else {
        row.conventional = cell.savings.first?.conventionalPatients.map { "\($0)" }
        row.typeIRange = range(
          ocs.filter { $0.hazardRatio == 1 }.map { ($0.drift, $0.calibratedRejectionRate ?? $0.rejectionRate) })
      }
      return row
    }
  }

  static func range(_ rates: [(drift: Double, rate: Double)]) -> (low: Double, high: Double, atDrift: Double)? {
    let finite = rates.filter { $0.rate.isFinite }
    guard let high = finite.max(by: { $0.rate < $1.rate }), let low = finite.min(by: { $0.rate < $1.rate }) else { return nil }
    return (low.rate, high.rate, high.drift)
  }
}
