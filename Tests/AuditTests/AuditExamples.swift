// AuditExamples.swift — the small tables whose metrics were computed independently by
// Tests/Fixtures/Audit/audit_reference.py (numpy 2.4.6, scipy 1.17.1; output saved beside it in
// audit_reference.txt). Keep the two in step: the Python lists the same values.

import Audit
import TestSupport
import Testing

enum AuditExamples {
  static let nan = Double.nan

  /// Block A of audit_reference.py: 7 real and 6 synthetic rows, three numeric and two
  /// categorical columns with missing values; stage level IV occurs only in S.
  static func fidelityReal() throws -> AuditTable {
    try AuditTable(columns: [
      .numeric("age", [50, 60, 55, nan, 70, 65, 60]),
      .numeric("bmi", [20, 25, 22, 30, 28, 24, 26]),
      .categorical("sex", codes: [0, 1, 1, 0, 1, 0, -1], levels: ["F", "M"]),
      .categorical("stage", codes: [0, 1, 2, 1, 1, 0, 0], levels: ["I", "II", "III", "IV"], ordered: true),
      .numeric("alb", [3.1, 4.0, 3.5, 3.8, 3.3, 4.2, 3.6]),
    ])
  }

  static func fidelitySynthetic() throws -> AuditTable {
    try AuditTable(columns: [
      .numeric("age", [52, 61, 80, 58, nan, 60]),
      .numeric("bmi", [21, 26, 23, 35, 27, 22]),
      .categorical("sex", codes: [0, 0, 1, 1, -1, 0], levels: ["F", "M"]),
      .categorical("stage", codes: [2, 1, 1, 2, 0, 3], levels: ["I", "II", "III", "IV"], ordered: true),
      .numeric("alb", [3.0, 3.9, 4.4, 3.2, 3.7, 3.5]),
    ])
  }

  /// Block D: x numeric, y numeric and constant in the training table (range 0), g categorical.
  static func privacyTable(_ rows: [(Double, Double, Int32)]) throws -> AuditTable {
    try AuditTable(columns: [
      .numeric("x", rows.map(\.0)), .numeric("y", rows.map(\.1)),
      .categorical("g", codes: rows.map(\.2), levels: ["a", "b", "c"]),
    ])
  }

  static func privacyTrain() throws -> AuditTable {
    try privacyTable([(1, 10, 0), (2, 10, 1), (4, 10, 1), (nan, 10, 2), (5, 10, -1)])
  }

  static func privacySynthetic() throws -> AuditTable {
    try privacyTable([(1, 10, 0), (3, 12, 1), (nan, 10, 2), (9, 10, -1), (2.01, 10, 1)])
  }

  static func privacyHoldout() throws -> AuditTable {
    try privacyTable([(2, 10, 1), (4.5, 11, 1), (0, 9, 0)])
  }

  /// Block C: real and synthetic survival samples.
  static let realTimes: [Double] = [2, 4, 4, 6, 9]
  static let realEvents = [true, true, false, true, false]
  static let syntheticTimes: [Double] = [1, 3, 5, 5, 8, 10]
  static let syntheticEvents = [true, false, true, true, true, false]
}

/// |a − b| ≤ tolerance · max(|b|, 1): relative for large values, absolute near 0.
func close(_ a: Double?, _ b: Double, _ tolerance: Double = 1e-12) -> Bool {
  guard let a else { return false }
  return abs(a - b) <= tolerance * max(abs(b), 1)
}
