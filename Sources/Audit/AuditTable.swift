// AuditTable.swift — the common input of every audit metric: typed columns plus survival outcome.
//
// Why a table of our own rather than CohortData's `Cohort`: the audit compares three tables
// (train, synthetic, holdout) that must share one schema with categorical codes that mean the
// same level in each, and the hot loops want `[Double]` / `[Int32]` columns, not optionals.
// The CLI converts a cohort once (NaN and −1 stand for missing).

/// The values of one column.
public enum AuditColumnValues: Sendable {
  /// Continuous or count values; `NaN` marks a missing value. Other values must be finite.
  case numeric([Double])
  /// Category codes indexing `levels` (0-based); −1 marks a missing value. Binary variables
  /// come as two levels; ordinal ones set `ordered` (the metrics here treat both alike, as
  /// SDMetrics treats every discrete column).
  case categorical(codes: [Int32], levels: [String], ordered: Bool)

  /// The number of rows.
  public var count: Int {
    switch self {
    case .numeric(let v): v.count
    case .categorical(let c, _, _): c.count
    }
  }

  /// True for numeric columns.
  public var isNumeric: Bool {
    if case .numeric = self { return true }
    return false
  }
}

/// One named column.
public struct AuditColumn: Sendable {
  public var name: String
  public var values: AuditColumnValues

  public init(name: String, values: AuditColumnValues) {
    self.name = name
    self.values = values
  }

  /// A numeric column (`NaN` = missing).
  public static func numeric(_ name: String, _ values: [Double]) -> AuditColumn {
    AuditColumn(name: name, values: .numeric(values))
  }

  /// A categorical column (code −1 = missing).
  public static func categorical(
    _ name: String, codes: [Int32], levels: [String], ordered: Bool = false
  ) -> AuditColumn {
    AuditColumn(name: name, values: .categorical(codes: codes, levels: levels, ordered: ordered))
  }
}

/// A table of patients: covariate columns and, optionally, a right-censored survival outcome.
/// Not `Equatable`: numeric columns hold NaN for missing values, and NaN ≠ NaN would make a table
/// unequal to itself.
public struct AuditTable: Sendable {
  public var columns: [AuditColumn]
  /// Follow-up times (finite, ≥ 0), when the table has a survival outcome.
  public var times: [Double]?
  /// `true` = event, `false` = censored; present exactly when `times` is.
  public var events: [Bool]?
  /// The number of patients.
  public let rowCount: Int

  /// Builds a table; every column, `times` and `events` must have the same length.
  /// - Throws: ``AuditError/invalidTable(_:)`` when lengths differ, a numeric value is infinite,
  ///   a code is out of range, or only one of `times` / `events` is given.
  public init(columns: [AuditColumn], times: [Double]? = nil, events: [Bool]? = nil) throws(AuditError) {
    let n = columns.first?.values.count ?? times?.count ?? events?.count ?? 0
    for column in columns where column.values.count != n {
      throw .invalidTable("column '\(column.name)' has \(column.values.count) rows, expected \(n)")
    }
    if (times == nil) != (events == nil) {
      throw .invalidTable("times and events must be given together")
    }
    if let times {
      guard times.count == n, let events, events.count == n else {
        throw .invalidTable("times/events have \(times.count)/\(events?.count ?? 0) rows, expected \(n)")
      }
      if let i = times.firstIndex(where: { !$0.isFinite || $0 < 0 }) {
        throw .invalidTable("time of row \(i + 1) is \(times[i]); times must be finite and >= 0")
      }
    }
    for column in columns {
      switch column.values {
      case .numeric(let v):
        if let i = v.firstIndex(where: { $0.isInfinite }) {
          throw .invalidTable("column '\(column.name)' row \(i + 1) is \(v[i]); use NaN for missing")
        }
      case .categorical(let codes, let levels, _):
        if let i = codes.firstIndex(where: { $0 < -1 || Int($0) >= levels.count }) {
          throw .invalidTable("column '\(column.name)' row \(i + 1) has code \(codes[i]) for \(levels.count) levels")
        }
      }
    }
    self.columns = columns
    self.times = times
    self.events = events
    self.rowCount = n
  }

  /// True when the table carries a survival outcome.
  public var hasSurvival: Bool { times != nil }

  /// The rows at `indices`, in that order (used by the statistical tests and the bootstrap).
  public func selecting(_ indices: [Int]) -> AuditTable {
    let cols = columns.map { column -> AuditColumn in
      switch column.values {
      case .numeric(let v): AuditColumn(name: column.name, values: .numeric(indices.map { v[$0] }))
      case .categorical(let c, let l, let o):
        AuditColumn(name: column.name, values: .categorical(codes: indices.map { c[$0] }, levels: l, ordered: o))
      }
    }
    // Rows of a valid table stay valid: no need to check again.
    return AuditTable(
      validated: cols, times: times.map { t in indices.map { t[$0] } },
      events: events.map { e in indices.map { e[$0] } }, rowCount: indices.count)
  }

  /// The covariate columns followed by the outcome as two more columns: `time` (numeric) and
  /// `event` (categorical: censored, event). SDMetrics would see the outcome this way when it is
  /// part of the data frame, so the fidelity, detection and privacy metrics use this form:
  /// a synthetic row is only a copy if its outcome is copied too.
  public func withOutcomeColumns(timeName: String = "time", eventName: String = "event") -> AuditTable {
    guard let times, let events else { return self }
    var cols = columns
    cols.append(.numeric(timeName, times))
    cols.append(.categorical(eventName, codes: events.map { $0 ? 1 : 0 }, levels: ["censored", "event"]))
    return AuditTable(validated: cols, times: times, events: events, rowCount: rowCount)
  }

  /// A table whose invariants the caller has already established.
  init(validated columns: [AuditColumn], times: [Double]?, events: [Bool]?, rowCount: Int) {
    self.columns = columns
    self.times = times
    self.events = events
    self.rowCount = rowCount
  }

  /// Throws unless both tables have rows and `other` shares this table's schema: what every
  /// public metric entry point checks before its loops (which assume both).
  func checkComparable(with other: AuditTable, selfName: String, otherName: String) throws(AuditError) {
    guard rowCount > 0 else { throw .emptyTable(selfName) }
    guard other.rowCount > 0 else { throw .emptyTable(otherName) }
    guard !columns.isEmpty else { throw .invalidTable("the \(selfName) table has no columns to compare") }
    try checkSameSchema(as: other, name: "the \(otherName) table")
  }

  /// Throws unless `other` has the same column names, kinds and category levels, in order.
  func checkSameSchema(as other: AuditTable, name: String) throws(AuditError) {
    guard other.columns.count == columns.count else {
      throw .schemaMismatch("\(name) has \(other.columns.count) columns, the training table \(columns.count)")
    }
    for (a, b) in zip(columns, other.columns) {
      guard a.name == b.name else {
        throw .schemaMismatch("\(name) column '\(b.name)' where the training table has '\(a.name)'")
      }
      switch (a.values, b.values) {
      case (.numeric, .numeric): break
      case (.categorical(_, let la, _), .categorical(_, let lb, _)):
        guard la == lb else {
          throw .schemaMismatch("\(name) column '\(a.name)' has levels \(lb), the training table \(la)")
        }
      default:
        throw .schemaMismatch(
          "\(name) column '\(a.name)' is \(b.values.isNumeric ? "numeric" : "categorical"), not as in the training table")
      }
    }
  }
}

/// Why an audit cannot be computed. Metrics that are merely undefined on the data (a constant
/// column, no events) are reported as `nil` in the result instead.
public enum AuditError: Error, Equatable, Sendable, CustomStringConvertible {
  /// A table breaks a rule (lengths, codes, times); the message names the column and row.
  case invalidTable(String)
  /// Two tables do not share one schema.
  case schemaMismatch(String)
  /// A table has no rows.
  case emptyTable(String)
  /// An option is out of range (e.g. a negative RMST horizon).
  case invalidOption(String)

  public var description: String {
    switch self {
    case .invalidTable(let why): why
    case .schemaMismatch(let why): "schema mismatch: \(why)"
    case .emptyTable(let which): "the \(which) table has no rows"
    case .invalidOption(let why): why
    }
  }
}
