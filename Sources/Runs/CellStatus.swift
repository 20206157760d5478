// CellStatus.swift — a cell that could not be simulated is not a result. Its rates are NaN
// (written and shown as NA), never 0 %, and `syntharm run` and `merge` fail on it unless told
// to accept it (`--allow-failed-cells`).

import Foundation

extension CellResult {
  /// Why this cell has no result, or nil when it has one: the cell could not be simulated at all
  /// (``failure``), or not one trial of any design and truth could be analysed.
  public var notSimulatedReason: String? {
    if let failure { return failure }
    if !operatingCharacteristics.isEmpty && operatingCharacteristics.allSatisfy({ $0.analysed == 0 }) {
      return "cell '\(id)': no trial of any design could be analysed (every replicate failed)"
    }
    return nil
  }
}
