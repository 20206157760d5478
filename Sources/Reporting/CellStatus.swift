// CellStatus.swift — the cells of a run without a result (see Runs' CellResult.notSimulatedReason):
// `syntharm run` and `merge` fail on them unless told to accept them (`--allow-failed-cells`).

import Runs

extension RunReport {
  /// The cells without a result, with the reason.
  public var failedCells: [(id: String, reason: String)] {
    cells.compactMap { cell in cell.notSimulatedReason.map { (cell.id, $0) } }
  }
}
