// Cohort.swift — a typed, columnar table of patients with explicit missing values.

/// One column of a cohort. Missing values are `nil`; in the CSV they are empty fields.
public enum Column: Sendable, Equatable {
  /// Every non-empty field parsed as a number.
  case numeric([Double?])
  /// At least one non-empty field is not a number; kept as text (e.g. R factor labels).
  case text([String?])

  /// The number of rows.
  public var count: Int {
    switch self {
    case .numeric(let v): v.count
    case .text(let v): v.count
    }
  }

  /// How many values are missing.
  public var missingCount: Int {
    switch self {
    case .numeric(let v): v.reduce(0) { $0 + ($1 == nil ? 1 : 0) }
    case .text(let v): v.reduce(0) { $0 + ($1 == nil ? 1 : 0) }
    }
  }

  /// The column restricted to `rows`, in that order.
  func selecting(_ rows: [Int]) -> Column {
    switch self {
    case .numeric(let v): .numeric(rows.map { v[$0] })
    case .text(let v): .text(rows.map { v[$0] })
    }
  }
}

/// A cohort: named, typed columns of equal length, read from a CSV with a header row.
///
/// Types are inferred per column: numeric when every non-empty field parses as a finite
/// decimal number, text otherwise. The protocol layer (TrialSpec) later checks the columns
/// against declared variable types; this layer only reads.
public struct Cohort: Sendable {
  /// Where the data came from, for error messages.
  public let source: String
  /// Column names in file order.
  public let columnNames: [String]
  /// Columns in file order.
  public let columns: [Column]
  /// The CSV line of each row, for error messages (empty for cohorts built in memory).
  public let lineNumbers: [Int]
  /// The number of patients (rows).
  public var rowCount: Int { columns.first?.count ?? 0 }

  /// Builds a cohort from columns of equal length.
  public init(source: String = "(memory)", columns named: [(String, Column)], lineNumbers: [Int] = []) {
    let n = named.first?.1.count ?? 0
    precondition(named.allSatisfy { $0.1.count == n }, "all columns must have the same length")
    self.source = source
    self.columnNames = named.map(\.0)
    self.columns = named.map(\.1)
    self.lineNumbers = lineNumbers
  }

  /// Reads a CSV file (header row, empty field = missing).
  public init(contentsOf path: String) throws(CohortError) {
    try self.init(table: CSVTable(contentsOf: path), source: path)
  }

  /// Types the columns of a parsed CSV table.
  public init(table: CSVTable, source: String) {
    var named: [(String, Column)] = []
    for (j, name) in table.header.enumerated() {
      let raw = table.rows.map { $0[j].trimmingCharacters(in: .whitespaces) }
      let numbers = raw.map { $0.isEmpty ? Optional<Double>.none : Double($0) }
      let isNumeric = zip(raw, numbers).allSatisfy { field, number in
        field.isEmpty || (number.map { $0.isFinite } ?? false)
      }
      named.append((name, isNumeric ? .numeric(numbers) : .text(raw.map { $0.isEmpty ? nil : $0 })))
    }
    self.init(source: source, columns: named, lineNumbers: table.lineNumbers)
  }

  /// The column called `name`.
  public func column(_ name: String) throws(CohortError) -> Column {
    guard let j = columnNames.firstIndex(of: name) else {
      throw CohortError(
        source: source, line: nil, column: nil,
        message: "no column named '\(name)'; the columns are \(Self.listed(columnNames))")
    }
    return columns[j]
  }

  /// The numeric column called `name`; an error if it holds text.
  public func numeric(_ name: String) throws(CohortError) -> [Double?] {
    switch try column(name) {
    case .numeric(let v): return v
    case .text(let v):
      let row = v.firstIndex { $0 != nil && Double($0!) == nil } ?? 0
      throw CohortError(
        source: source, line: lineNumbers.isEmpty ? nil : lineNumbers[row],
        column: (columnNames.firstIndex(of: name) ?? 0) + 1,
        message: "column '\(name)' must be numeric but holds '\(v[row] ?? "")'")
    }
  }

  /// The column called `name` as text labels (numbers are written as they were read).
  public func labels(_ name: String) throws(CohortError) -> [String?] {
    switch try column(name) {
    case .text(let v): return v
    case .numeric(let v): return v.map { $0.map(Self.label(for:)) }
    }
  }

  /// The rows at `indices`, in that order.
  public func selecting(rows indices: [Int]) -> Cohort {
    Cohort(
      source: source, columns: zip(columnNames, columns.map { $0.selecting(indices) }).map { ($0, $1) },
      lineNumbers: lineNumbers.isEmpty ? [] : indices.map { lineNumbers[$0] })
  }

  /// Names for a message, cut at 500 characters (a hostile header can be megabytes long).
  static func listed(_ names: [String]) -> String {
    let all = names.joined(separator: ", ")
    return all.count <= 500 ? all : String(all.prefix(500)) + "… (\(names.count) columns)"
  }

  /// A number as a label: integers without a decimal point ("1", not "1.0").
  static func label(for x: Double) -> String {
    x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : String(x)
  }
}
