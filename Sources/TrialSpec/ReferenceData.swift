// ReferenceData.swift — the reference CSV checked against the declared variables and typed
// for expressions: numbers (NaN = missing), label positions (−1 = missing), or text.

import CohortData
import Foundation

/// The reference cohort, typed.
public struct ReferenceData: Sendable {
  /// The CSV as read.
  public var cohort: Cohort
  /// Every declared variable typed, plus every undeclared column as text, over all CSV rows.
  public var columns: ExpressionColumns
  /// The rows that are real control patients (`reference.rows` true), in file order.
  public var referenceRows: [Int]
  /// Follow-up time and event of every CSV row (NaN time = missing).
  public var times: [Double]
  public var events: [Bool?]

  public init(cohort: Cohort, columns: ExpressionColumns, referenceRows: [Int], times: [Double], events: [Bool?]) {
    self.cohort = cohort
    self.columns = columns
    self.referenceRows = referenceRows
    self.times = times
    self.events = events
  }

  /// Missing values of `variable` among the reference rows.
  public func missingCount(_ variable: String) -> Int {
    guard let column = columns.columns[variable] else { return 0 }
    return referenceRows.reduce(0) { n, row in
      switch column {
      case .numeric(let v): n + (v[row].isNaN ? 1 : 0)
      case .labels(let v): n + (v[row] < 0 ? 1 : 0)
      case .text(let v): n + (v[row] == nil ? 1 : 0)
      }
    }
  }

  /// The columns restricted to the reference rows.
  public var referenceColumns: ExpressionColumns { columns.selecting(referenceRows) }
}

extension ExpressionColumns {
  /// The rows at `indices`, in that order.
  public func selecting(_ indices: [Int]) -> ExpressionColumns {
    ExpressionColumns(rowCount: indices.count, columns: columns.mapValues { c in
      switch c {
      case .numeric(let v): .numeric(indices.map { v[$0] })
      case .labels(let v): .labels(indices.map { v[$0] })
      case .text(let v): .text(indices.map { v[$0] })
      }
    })
  }
}

/// Types the columns of `cohort` by `variables`, reporting every value that does not fit.
/// `locate(row, column)` turns a data row and column name into the CSV line and column number.
func typeColumns(_ cohort: Cohort, variables: [VariableDeclaration], report: (Int?, Int?, String) -> Void)
  -> [String: ExpressionColumn]
{
  var out: [String: ExpressionColumn] = [:]
  let declared = Set(variables.map(\.name))
  for name in cohort.columnNames where !declared.contains(name) {
    // Undeclared columns are text (usable in `reference.rows`); numbers as written.
    out[name] = .text((try? cohort.labels(name)) ?? [])
  }
  for variable in variables {
    guard let j = cohort.columnNames.firstIndex(of: variable.name), let labels = try? cohort.labels(variable.name) else {
      continue  // a missing column is reported by the loader, at the declaration
    }
    let csvColumn = j + 1
    func line(_ row: Int) -> Int? { cohort.lineNumbers.isEmpty ? nil : cohort.lineNumbers[row] }
    var problems = 0
    func bad(_ row: Int, _ message: String) {
      problems += 1
      if problems <= 5 { report(line(row), csvColumn, message) }
      if problems == 6 { report(nil, csvColumn, "more values of '\(variable.name)' do not fit its declaration (only the first 5 are listed)") }
    }
    switch variable.type {
    case .continuous, .count, .binary:
      var values = [Double](repeating: .nan, count: cohort.rowCount)
      let codeValue = Dictionary(uniqueKeysWithValues: (variable.codes ?? []).map { ($0.code, $0.code) })
      for (row, field) in labels.enumerated() {
        guard let field else { continue }
        guard let x = Double(field), x.isFinite else {
          bad(row, "'\(field)' in column '\(variable.name)' is not a number (the variable is \(variable.type.rawValue))")
          continue
        }
        switch variable.type {
        case .count where x < 0 || x != x.rounded():
          bad(row, "'\(field)' in column '\(variable.name)' is not a count (a whole number >= 0)")
        case .binary where !(x == 0 || x == 1) && codeValue[field] == nil:
          bad(row, "'\(field)' in column '\(variable.name)' is not 0 or 1 (the variable is binary)")
        default:
          values[row] = x
        }
      }
      out[variable.name] = .numeric(values)
    case .categorical, .ordinal:
      var positions = [Int32](repeating: -1, count: cohort.rowCount)
      let keys = variable.codes?.map(\.code) ?? variable.levels ?? []
      for (row, field) in labels.enumerated() {
        guard let field else { continue }
        if let i = keys.firstIndex(of: field) ?? numericMatch(field, keys) {
          positions[row] = Int32(i)
        } else {
          let what = variable.codes != nil ? "code" : "level"
          bad(row, "undeclared \(what) '\(field)' in column '\(variable.name)'; declared: \(keys.joined(separator: ", "))")
        }
      }
      out[variable.name] = .labels(positions)
    }
  }
  return out
}

/// Codes written as numbers may differ in form ("1" vs "1.0"): match by value.
private func numericMatch(_ field: String, _ keys: [String]) -> Int? {
  guard let x = Double(field) else { return nil }
  return keys.firstIndex { Double($0) == x }
}

extension TrialProtocol {
  /// Reads another CSV with this protocol's declarations — e.g. synthetic patients written by
  /// `syntharm generate` — typed exactly as the reference (every row counts; `reference.rows` is
  /// not applied). Values that do not fit a declaration are errors with their line and column.
  public func typedData(csvPath: String) throws(SpecErrors) -> ReferenceData {
    guard let spec = reference else {
      throw SpecErrors([SpecError(file: file, line: nil, column: nil, keyPath: "reference",
                                  message: "protocol '\(id)' has no reference cohort, so it has no CSV layout to read")])
    }
    let cohort: Cohort
    do { cohort = try Cohort(contentsOf: csvPath) } catch {
      throw SpecErrors([SpecError(file: error.source, line: error.line, column: error.column, keyPath: "", message: error.message)])
    }
    var errors: [SpecError] = []
    for name in variables.map(\.name) + [spec.timeColumn, spec.eventColumn] where !cohort.columnNames.contains(name) {
      errors.append(SpecError(file: csvPath, line: 1, column: nil, keyPath: "",
                              message: "no column '\(name)'\(didYouMean(name, among: cohort.columnNames)); the file must have the reference's columns"))
    }
    let columns = typeColumns(cohort, variables: variables) { line, column, message in
      errors.append(SpecError(file: csvPath, line: line, column: column, keyPath: "", message: message))
    }
    var times: [Double?] = []
    if cohort.columnNames.contains(spec.timeColumn) {
      do { times = try cohort.numeric(spec.timeColumn) } catch {
        errors.append(SpecError(file: csvPath, line: error.line, column: error.column, keyPath: "", message: error.message))
      }
    }
    guard errors.isEmpty else { throw SpecErrors(errors) }
    let eventValue = Double(spec.eventValue)
    let labels = (try? cohort.labels(spec.eventColumn)) ?? []
    return ReferenceData(
      cohort: cohort, columns: ExpressionColumns(rowCount: cohort.rowCount, columns: columns),
      referenceRows: Array(0..<cohort.rowCount), times: times.map { $0 ?? .nan },
      events: labels.map { l in l.map { v in eventValue.flatMap { e in Double(v).map { $0 == e } } ?? (v == spec.eventValue) } })
  }
}
