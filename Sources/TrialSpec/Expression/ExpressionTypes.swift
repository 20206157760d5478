// ExpressionTypes.swift — what names mean to the checker, what columns hold at evaluation,
// and the three truth values.

/// Kleene's three truth values. `unknown` arises from missing data.
public enum Truth: UInt8, Sendable, CustomStringConvertible {
  case no = 0
  case yes = 1
  case unknown = 2

  public var description: String {
    switch self {
    case .no: "false"
    case .yes: "true"
    case .unknown: "unknown"
    }
  }
}

/// What a name in an expression refers to, for type checking.
public enum ExpressionSymbol: Sendable, Equatable {
  /// A continuous or count variable; `unit` as declared (a time unit word converts literals).
  case numeric(unit: String?)
  /// A 0/1 variable; `labels` maps its code labels (if declared) to 0 or 1.
  case binary(labels: [String: Double])
  /// Unordered labels: only `==`, `!=` and `in`.
  case categorical(labels: [String])
  /// Ordered labels: compared by their position in `labels`.
  case ordinal(labels: [String])
  /// An undeclared CSV column, read as text (allowed in `reference.rows`).
  case text

  var typeName: String {
    switch self {
    case .numeric: "numeric"
    case .binary: "binary"
    case .categorical: "categorical"
    case .ordinal: "ordinal"
    case .text: "text"
    }
  }
}

/// The data an expression is evaluated on: one column per referenced name, all of one length.
public enum ExpressionColumn: Sendable {
  /// Numbers, NaN = missing (continuous, count and binary variables).
  case numeric([Double])
  /// Label positions into the declaration's labels, −1 = missing (categorical, ordinal).
  case labels([Int32])
  /// Text, nil = missing (undeclared columns).
  case text([String?])

  var count: Int {
    switch self {
    case .numeric(let v): v.count
    case .labels(let v): v.count
    case .text(let v): v.count
    }
  }
}

/// Columns by name, with the row count they share.
public struct ExpressionColumns: Sendable {
  public var rowCount: Int
  public var columns: [String: ExpressionColumn]

  public init(rowCount: Int, columns: [String: ExpressionColumn]) {
    precondition(columns.values.allSatisfy { $0.count == rowCount }, "every column must have \(rowCount) rows")
    self.rowCount = rowCount
    self.columns = columns
  }
}
