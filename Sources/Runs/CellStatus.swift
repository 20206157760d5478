// CellStatus.swift — a cell that could not be simulated is not a result. Its rates are NaN
// (written and shown as NA), never 0 %, and `syntharm run` and `merge` fail on it unless told
// to accept it (`--allow-failed-cells`).

import Foundation
import Synthesis

/// Why a sweep cell (or its audit) could not be computed: a kind a program can branch on, and the
/// message a person reads.
public struct CellFailure: Sendable, Codable, Equatable, CustomStringConvertible {
  public enum Kind: String, Sendable, Codable, CaseIterable {
    /// Too few (eligible) reference patients for the truth, the generator or the intervals.
    case notEnoughData = "not-enough-data"
    /// The protocol or scenario asks for something it does not give (e.g. no reference cohort).
    case notConfigured = "not-configured"
    /// Synthetic patients meeting the rules could not be generated within the attempt budget.
    case generationFailed = "generation-failed"
    /// A fit failed numerically.
    case numerical
    /// Anything else (the message says what).
    case other
  }

  public var kind: Kind
  public var message: String
  public var description: String { message }

  public init(kind: Kind, message: String) {
    self.kind = kind
    self.message = message
  }

  /// The failure behind `error`, with `context` leading its message.
  public init(_ error: any Error, context: String = "") {
    let kind: Kind =
      switch error as? SynthesisError {
      case .notEnoughData?: .notEnoughData
      case .notConfigured?: .notConfigured
      case .budgetExhausted?: .generationFailed
      case .numerical?: .numerical
      case nil: .other
      }
    self.init(kind: kind, message: context + "\(error)")
  }
}

extension CellResult {
  /// Why this cell has no result, or nil when it has one: the cell could not be simulated at all
  /// (``failure``), or not one trial of any design and truth could be analysed.
  public var notSimulatedReason: String? {
    if let failure { return failure.message }
    if !operatingCharacteristics.isEmpty && operatingCharacteristics.allSatisfy({ $0.analysed == 0 }) {
      return "cell '\(id)': no trial of any design could be analysed (every replicate failed)"
    }
    return nil
  }
}
