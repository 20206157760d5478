// ArmComparison.swift — the standard first look at a randomised survival trial.

import CohortData

/// Kaplan–Meier per arm, the log-rank test across arms, and the Cox hazard ratio of each arm
/// against a reference arm: the summary a trial statistician prints first.
public struct ArmComparison: Sendable {
  /// One arm's Kaplan–Meier summary.
  public struct Arm: Sendable {
    public var label: String
    public var estimate: KaplanMeierEstimate
    public var landmarks: [KaplanMeierEstimate.Landmark]
    public var median: KaplanMeierEstimate.Quantile
  }

  /// Arms in the order given (reference first).
  public var arms: [Arm]
  public var logRank: LogRankTest
  /// The Cox model `time ~ arm` (treatment coding, reference arm first).
  public var cox: CoxFit
  /// The Cox coefficient names, e.g. `rxLev+5FU`.
  public var coefficientNames: [String]

  /// Compares the arms in column `arm` of `cohort`.
  ///
  /// - Parameters:
  ///   - levels: the arm labels to compare, reference first (R's factor levels).
  ///   - landmarks: times (in the cohort's time unit) at which to report Ŝ(t).
  ///   - ties: Cox tie handling (Efron, as R, by default).
  /// Patients whose arm is not in `levels` are left out, so two arms of a three-arm trial can be
  /// compared; patients with a missing time, event or arm are dropped (R's `na.omit`).
  ///
  /// - Throws: ``CohortError`` for a missing or mistyped column;
  ///   ``SurvivalError`` when an arm has no patients.
  public init(
    cohort: Cohort, time: String, event: String, eventValue: Double = 1,
    arm: String, levels: [String], landmarks: [Double] = [],
    ties: TieMethod = .efron
  ) throws {
    // Patients in arms not listed are left out (comparing two arms of a three-arm trial).
    let allLabels = try cohort.labels(arm)
    let cohort = cohort.selecting(rows: allLabels.indices.filter { allLabels[$0].map(levels.contains) ?? true })
    let frame = try ModelFrame(
      cohort: cohort, time: time, event: event, eventValue: eventValue,
      terms: [.factor(arm, levels: levels)])
    // Without an event there is no hazard to compare: the Cox fit would have no variance (every
    // interval NaN) and the log-rank test no statistic. An error, rather than a table of NA.
    guard frame.data.eventCount > 0 else {
      throw SurvivalError.invalidInput(
        "no patient has an event (column '\(event)' == \(eventValue == eventValue.rounded() && abs(eventValue) < 1e15 ? String(Int(eventValue)) : String(eventValue))) among the "
          + "\(frame.data.count) analysed; the arms cannot be compared")
    }
    let labels = try cohort.labels(arm)
    let group = frame.rowsUsed.map { levels.firstIndex(of: labels[$0]!)! }
    var arms: [Arm] = []
    for (g, label) in levels.enumerated() {
      let members = group.indices.filter { group[$0] == g }
      guard !members.isEmpty else {
        throw SurvivalError.invalidInput("arm '\(label)' of column '\(arm)' has no patients")
      }
      let km = try KaplanMeierEstimate(frame.data.selecting(members))
      arms.append(
        Arm(
          label: label, estimate: km, landmarks: landmarks.map { km.landmark(at: $0) },
          median: km.median))
    }
    self.arms = arms
    self.logRank = try LogRankTest(frame.data, group: group)
    self.cox = try CoxModel(ties: ties).fit(frame.data)
    self.coefficientNames = frame.covariateNames
  }
}
