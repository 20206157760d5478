// TreatedSelection.swift — the real treated arm of a two-arm data set whose control arm is the
// protocol's reference (`syntharm mimic --treated EXPR`): rows of the reference CSV chosen by an
// expression given outside the protocol file, parsed and type-checked with the same symbols as
// `reference.rows` (declared variables typed, other columns as text), errors located with a caret.
//
// Both arms are the protocol's population: the control arm is the eligible reference (what a
// generator learns from and what synthetic patients replace), and the treated arm is the selected
// rows that meet the same eligibility, so that the comparison is the one a trial with these rules
// would make. Rows without a follow-up time or an event status are left out of both arms (as R's
// na.omit does) and counted.

/// The two real arms of a mimic comparison, as CSV row indices of the reference file.
public struct TreatedSelection: Sendable {
  /// The treated-arm expression, compiled.
  public var expression: CompiledExpression
  /// Where the expression came from, for messages (`--treated`).
  public var origin: String
  /// Rows the expression is true for, in file order.
  public var selectedRows: [Int]
  /// The treated arm: selected rows meeting the protocol's eligibility with a known time and event.
  public var treatedRows: [Int]
  /// Selected rows that do not meet the eligibility.
  public var ineligibleTreated: Int
  /// Eligible rows left out for a missing time or event: treated, control.
  public var missingOutcomeTreated: Int
  public var missingOutcomeControl: Int
  /// The real control arm: eligible reference rows with a known time and event.
  public var controlRows: [Int]
}

extension TrialProtocol {
  /// Selects the treated arm by `source` and the real control arm (the eligible reference).
  ///
  /// - Parameter origin: the name errors are located under (a command-line option such as
  ///   `--treated`): `origin:1:column: message` and the expression with a caret.
  /// - Throws: ``SpecErrors`` when the protocol has no reference cohort, when the expression does
  ///   not parse or type-check (unknown column with a suggestion, label, unit), when it selects no
  ///   row, when it selects rows of the reference (a patient cannot be both treated and control),
  ///   or when no selected row is eligible with a known outcome.
  public func treatedSelection(_ source: String, origin: String = "--treated") throws(SpecErrors) -> TreatedSelection {
    guard let spec = reference, let data = referenceData else {
      throw SpecErrors([
        SpecError(
          file: file, line: nil, column: nil, keyPath: "reference",
          message: "protocol '\(id)' has no reference cohort: there is no real control arm to compare with")
      ])
    }
    func located(_ message: String, offset: Int = 0) -> SpecErrors {
      SpecErrors([
        SpecError(file: origin, line: 1, column: offset + 1, keyPath: "", message: message, detail: caretLines(source, offset: offset))
      ])
    }
    var symbols = Dictionary(uniqueKeysWithValues: variables.map { ($0.name, $0.symbol) })
    for name in data.cohort.columnNames where symbols[name] == nil { symbols[name] = .text }
    let expression: CompiledExpression
    do { expression = try CompiledExpression(source, symbols: symbols) } catch { throw located(error.message, offset: error.offset) }

    let truth = expression.evaluate(data.columns)
    let selected = truth.indices.filter { truth[$0] == .yes }
    let file = normalizedPath(data.cohort.source)
    guard !selected.isEmpty else {
      throw located("selects no row of \(file)\(textValuesHint(expression, data))")
    }
    let reference = Set(data.referenceRows)
    let eligible = eligibility.eligible(data.columns)
    let shared = selected.filter { reference.contains($0) }
    if !shared.isEmpty {
      let controls = shared.filter { eligible[$0] }.count
      let rowsRule = spec.rows.map { "'\($0.source)'" } ?? "every row (no reference.rows)"
      throw located(
        "selects \(shared.count) of the \(data.referenceRows.count) reference rows (reference.rows: \(rowsRule)), "
          + "\(controls) of them eligible controls; the treated arm must not share patients with the control arm")
    }
    func known(_ row: Int) -> Bool { !data.times[row].isNaN && data.events[row] != nil }
    let eligibleSelected = selected.filter { eligible[$0] }
    let treated = eligibleSelected.filter(known)
    guard !treated.isEmpty else {
      throw located(
        "selects \(selected.count) rows of \(file), but none meets the protocol's eligibility with a known follow-up time and event"
      )
    }
    let eligibleControls = data.referenceRows.filter { eligible[$0] }
    return TreatedSelection(
      expression: expression, origin: origin, selectedRows: selected, treatedRows: treated,
      ineligibleTreated: selected.count - eligibleSelected.count,
      missingOutcomeTreated: eligibleSelected.count - treated.count,
      missingOutcomeControl: eligibleControls.filter { !known($0) }.count,
      controlRows: eligibleControls.filter(known))
  }

  /// "; 'rx' holds Obs, Lev, Lev+5FU" for the text columns an expression reads (at most 8 values
  /// each, in file order), so a misspelt arm label is found without opening the CSV.
  private func textValuesHint(_ expression: CompiledExpression, _ data: ReferenceData) -> String {
    var parts: [String] = []
    for name in expression.variables {
      guard case .text(let values) = data.columns.columns[name] else { continue }
      var seen: [String] = []
      for case let value? in values where !seen.contains(value) {
        seen.append(value)
        if seen.count > 8 { break }
      }
      let shown = seen.prefix(8).map { clipped($0) }.joined(separator: ", ") + (seen.count > 8 ? ", …" : "")
      parts.append("'\(name)' holds \(shown)")
    }
    return parts.isEmpty ? "" : "; " + parts.joined(separator: "; ")
  }
}
