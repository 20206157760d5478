// SurvivalData.swift — right-censored times with optional covariates, weights, strata, offsets.

/// Right-censored survival data: what every estimator in this module reads.
///
/// Covariates are stored column by column (one array per covariate), the layout the fitting
/// loops want. Times must be finite and ≥ 0; weights finite and ≥ 0.
public struct SurvivalData: Sendable {
  /// Follow-up time of each subject.
  public var times: [Double]
  /// `true` when the follow-up ended with the event, `false` when censored.
  public var events: [Bool]
  /// Covariate columns: `covariates[j][i]` is covariate j of subject i.
  public var covariates: [[Double]]
  /// Case weights (nil = all 1). Fractional weights are allowed (power priors use them).
  public var weights: [Double]?
  /// Stratum of each subject (nil = one stratum). Only equality matters.
  public var strata: [Int]?
  /// Fixed offsets added to the linear predictor (nil = 0).
  public var offsets: [Double]?

  /// Data with covariates given column by column.
  public init(
    times: [Double], events: [Bool], covariateColumns: [[Double]] = [],
    weights: [Double]? = nil, strata: [Int]? = nil, offsets: [Double]? = nil
  ) {
    precondition(times.count == events.count, "times.count (\(times.count)) != events.count (\(events.count))")
    for (j, column) in covariateColumns.enumerated() {
      precondition(column.count == times.count, "covariate \(j) has \(column.count) values for \(times.count) subjects")
    }
    if let weights { precondition(weights.count == times.count, "weights.count (\(weights.count)) != times.count (\(times.count))") }
    if let strata { precondition(strata.count == times.count, "strata.count (\(strata.count)) != times.count (\(times.count))") }
    if let offsets { precondition(offsets.count == times.count, "offsets.count (\(offsets.count)) != times.count (\(times.count))") }
    self.times = times
    self.events = events
    self.covariates = covariateColumns
    self.weights = weights
    self.strata = strata
    self.offsets = offsets
  }

  /// Data with covariates given row by row (`covariates[i]` are subject i's values).
  public init(
    times: [Double], events: [Bool], covariates rows: [[Double]],
    weights: [Double]? = nil, strata: [Int]? = nil, offsets: [Double]? = nil
  ) {
    let p = rows.first?.count ?? 0
    precondition(rows.count == times.count, "covariates has \(rows.count) rows for \(times.count) subjects")
    precondition(rows.allSatisfy { $0.count == p }, "every covariate row must have \(p) values")
    let columns = (0..<p).map { j in rows.map { $0[j] } }
    self.init(
      times: times, events: events, covariateColumns: columns,
      weights: weights, strata: strata, offsets: offsets)
  }

  /// The number of subjects.
  public var count: Int { times.count }
  /// The number of covariates.
  public var covariateCount: Int { covariates.count }
  /// The number of events.
  public var eventCount: Int { events.reduce(0) { $0 + ($1 ? 1 : 0) } }

  /// The subjects at `indices`, in that order.
  public func selecting(_ indices: [Int]) -> SurvivalData {
    SurvivalData(
      times: indices.map { times[$0] }, events: indices.map { events[$0] },
      covariateColumns: covariates.map { c in indices.map { c[$0] } },
      weights: weights.map { w in indices.map { w[$0] } },
      strata: strata.map { s in indices.map { s[$0] } },
      offsets: offsets.map { o in indices.map { o[$0] } })
  }

  /// Checks what the type cannot: finite non-negative times and weights, finite covariates.
  func validate() throws(SurvivalError) {
    if count == 0 { throw .noSubjects }
    if let i = times.firstIndex(where: { !$0.isFinite || $0 < 0 }) {
      throw .invalidInput("time of subject \(i + 1) is \(times[i]); times must be finite and >= 0")
    }
    if let weights, let i = weights.firstIndex(where: { !$0.isFinite || $0 < 0 }) {
      throw .invalidInput("weight of subject \(i + 1) is \(weights[i]); weights must be finite and >= 0")
    }
    for (j, column) in covariates.enumerated() {
      if let i = column.firstIndex(where: { !$0.isFinite }) {
        throw .invalidInput("covariate \(j + 1) of subject \(i + 1) is \(column[i]); covariates must be finite")
      }
    }
    if let offsets, let i = offsets.firstIndex(where: { !$0.isFinite }) {
      throw .invalidInput("offset of subject \(i + 1) is \(offsets[i]); offsets must be finite")
    }
  }
}

/// Why an estimator could not produce anything usable. Numerical trouble that still leaves a
/// result (non-convergence, separation, no events in a Cox fit) is reported in the result instead.
public enum SurvivalError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The data set has no subjects.
  case noSubjects
  /// The data break a rule (the message names the subject and the rule).
  case invalidInput(String)
  /// A model needs at least one event to say anything (e.g. a Weibull fit).
  case noEvents

  public var description: String {
    switch self {
    case .noSubjects: "the data set has no subjects"
    case .invalidInput(let why): why
    case .noEvents: "the data set has no events; the model cannot be fitted"
    }
  }
}
