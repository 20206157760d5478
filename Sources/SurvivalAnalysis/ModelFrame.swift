// ModelFrame.swift — from a cohort table to model-ready survival data (R's model.frame + model.matrix).

import CohortData

/// A covariate term of a model, as in an R formula.
public enum CovariateTerm: Sendable, Hashable {
  /// A numeric column entered as it is (R: `age`).
  case numeric(String)
  /// A categorical column entered as treatment-coded indicators, one per level after the first,
  /// which is the reference (R: a factor with `levels`). Indicator names follow R: column name
  /// followed by the level, e.g. `rxLev+5FU`. Codes in a numeric column are matched as labels
  /// ("1", "2"), so `sex` coded 0/1 works as `factor("sex", levels: ["0", "1"])`.
  case factor(String, levels: [String])
}

/// Survival data built from a cohort, remembering which rows were used and what each covariate is.
public struct ModelFrame: Sendable {
  /// The data: complete cases only (R's default `na.action = na.omit`).
  public var data: SurvivalData
  /// One name per covariate column, R style (`age`, `rxLev`).
  public var covariateNames: [String]
  /// Rows of the cohort that entered the model, in order.
  public var rowsUsed: [Int]
  /// Rows dropped because a used value was missing.
  public var rowsDropped: [Int]

  /// Builds model data from `cohort`.
  ///
  /// - Parameters:
  ///   - time: the follow-up time column (numeric, ≥ 0).
  ///   - event: the event indicator column; a row is an event when its value equals `eventValue`.
  ///   - terms: covariates; indicators for factors.
  /// - Throws: ``CohortError`` naming the row and column of a value that does not fit
  ///   (text in a numeric column, a level not listed, a negative time).
  public init(
    cohort: Cohort, time: String, event: String, eventValue: Double = 1,
    terms: [CovariateTerm] = []
  ) throws(CohortError) {
    let times = try cohort.numeric(time)
    let status = try cohort.numeric(event)
    var names: [String] = []
    var columns: [[Double?]] = []
    for term in terms {
      switch term {
      case .numeric(let name):
        names.append(name)
        columns.append(try cohort.numeric(name))
      case .factor(let name, let levels):
        let labels = try cohort.labels(name)
        let column = (cohort.columnNames.firstIndex(of: name) ?? 0) + 1
        for (row, label) in labels.enumerated() {
          if let label, !levels.contains(label) {
            throw CohortError(
              source: cohort.source, line: cohort.lineNumbers.isEmpty ? nil : cohort.lineNumbers[row],
              column: column,
              message: "'\(label)' in column '\(name)' is not one of the levels \(levels.joined(separator: ", "))")
          }
        }
        for level in levels.dropFirst() {
          names.append(name + level)
          columns.append(labels.map { $0.map { $0 == level ? 1.0 : 0.0 } })
        }
      }
    }
    var used: [Int] = []
    var dropped: [Int] = []
    for row in 0..<cohort.rowCount {
      let complete = times[row] != nil && status[row] != nil && columns.allSatisfy { $0[row] != nil }
      if complete { used.append(row) } else { dropped.append(row) }
    }
    if let bad = used.first(where: { times[$0]! < 0 }) {
      throw CohortError(
        source: cohort.source, line: cohort.lineNumbers.isEmpty ? nil : cohort.lineNumbers[bad],
        column: (cohort.columnNames.firstIndex(of: time) ?? 0) + 1,
        message: "follow-up time \(times[bad]!) is negative")
    }
    data = SurvivalData(
      times: used.map { times[$0]! }, events: used.map { status[$0]! == eventValue },
      covariateColumns: columns.map { c in used.map { c[$0]! } })
    covariateNames = names
    rowsUsed = used
    rowsDropped = dropped
  }
}
