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
    ExpressionColumns(
      rowCount: indices.count,
      columns: columns.mapValues { c in
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
      if problems == 6 {
        report(nil, csvColumn, "more values of '\(variable.name)' do not fit its declaration (only the first 5 are listed)")
      }
    }
    switch variable.type {
    case .continuous, .count, .binary:
      var values = [Double](repeating: .nan, count: cohort.rowCount)
      let codeValue = Dictionary(uniqueKeysWithValues: (variable.codes ?? []).map { ($0.code, $0.code) })
      for (row, field) in labels.enumerated() {
        guard let field else { continue }
        guard let x = Double(field) else {
          bad(row, "'\(clipped(field))' in column '\(variable.name)' is not a number (the variable is \(variable.type.rawValue))")
          continue
        }
        guard x.isFinite else {  // "inf", "nan", or beyond ±1.8e308
          bad(row, "'\(clipped(field))' in column '\(variable.name)' is not a finite number (the variable is \(variable.type.rawValue))")
          continue
        }
        switch variable.type {
        case .count where x < 0 || x != x.rounded():
          bad(row, "'\(field)' in column '\(variable.name)' is not a count (a whole number >= 0)")
        case .count where x > maxExactWhole:
          // Above 2^53 consecutive whole numbers are no longer distinct doubles, and generated
          // counts are converted to integers: such a count cannot be represented.
          bad(
            row,
            "'\(field)' in column '\(variable.name)' is beyond 2^53 (9007199254740992), the largest count "
              + "SynthArm represents exactly")
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
          bad(row, "undeclared \(what) '\(clipped(field))' in column '\(variable.name)'; declared: \(keys.joined(separator: ", "))")
        }
      }
      out[variable.name] = .labels(positions)
    }
  }
  return out
}

/// 2^53: the largest whole number below which every whole number is a distinct `Double`.
let maxExactWhole = 9_007_199_254_740_992.0

/// A field as quoted in a message: at most 60 characters, so a hostile 5 MB field gives a short
/// message.
func clipped(_ field: String) -> String {
  field.count <= 60 ? field : String(field.prefix(60)) + "… (\(field.count) characters)"
}

/// The event column of `cohort` by `spec`'s coding: true (event), false (censored), nil
/// (missing). A value that is neither an event nor a censoring value, in one of `rows`, is
/// reported with its line and column (the first five), and read as missing.
func eventColumn(_ cohort: Cohort, _ spec: ReferenceSpec, checking rows: [Int], report: (Int?, Int?, String) -> Void)
  -> [Bool?]
{
  guard let labels = try? cohort.labels(spec.eventColumn) else { return [] }
  let column = (cohort.columnNames.firstIndex(of: spec.eventColumn) ?? 0) + 1
  let statuses = labels.map { $0.flatMap(spec.eventStatus) }
  let events = spec.eventValues.isEmpty ? [spec.eventValue] : spec.eventValues
  let censors = spec.censorValues.isEmpty ? ["0"] : spec.censorValues
  var problems = 0
  var sixth: Int?
  for row in rows where labels[row] != nil && statuses[row] == nil {
    problems += 1
    if problems == 6 { sixth = cohort.lineNumbers.isEmpty ? nil : cohort.lineNumbers[row] }
    if problems <= 5 {
      report(
        cohort.lineNumbers.isEmpty ? nil : cohort.lineNumbers[row], column,
        "'\(clipped(labels[row]!))' in event column '\(spec.eventColumn)' is neither an event "
          + "(\(events.joined(separator: ", "))) nor a censoring (\(censors.joined(separator: ", "))); "
          + "declare its meaning with reference.event.event_values or censor_value")
    }
  }
  if problems > 5 {
    report(
      sixth, column,
      "\(problems - 5) more values of the event column '\(spec.eventColumn)' are neither an event nor a censoring (only the first 5 are listed)"
    )
  }
  return statuses
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
      throw SpecErrors([
        SpecError(
          file: file, line: nil, column: nil, keyPath: "reference",
          message: "protocol '\(id)' has no reference cohort, so it has no CSV layout to read")
      ])
    }
    let cohort: Cohort
    do { cohort = try Cohort(contentsOf: csvPath) } catch {
      throw SpecErrors([SpecError(file: error.source, line: error.line, column: error.column, keyPath: "", message: error.message)])
    }
    var errors: [SpecError] = []
    for name in variables.map(\.name) + [spec.timeColumn, spec.eventColumn] where !cohort.columnNames.contains(name) {
      errors.append(
        SpecError(
          file: csvPath, line: 1, column: nil, keyPath: "",
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
    let events = eventColumn(cohort, spec, checking: Array(0..<cohort.rowCount)) { line, column, message in
      errors.append(SpecError(file: csvPath, line: line, column: column, keyPath: "", message: message))
    }
    if let bad = times.indices.first(where: { (times[$0] ?? 0) < 0 }) {
      errors.append(
        SpecError(
          file: csvPath, line: cohort.lineNumbers.isEmpty ? nil : cohort.lineNumbers[bad],
          column: (cohort.columnNames.firstIndex(of: spec.timeColumn) ?? 0) + 1, keyPath: "",
          message: "follow-up time \(times[bad]!.formatted) in column '\(spec.timeColumn)' is negative"))
    }
    guard errors.isEmpty else { throw SpecErrors(errors) }
    return ReferenceData(
      cohort: cohort, columns: ExpressionColumns(rowCount: cohort.rowCount, columns: columns),
      referenceRows: Array(0..<cohort.rowCount), times: times.map { $0 ?? .nan }, events: events)
  }
}
