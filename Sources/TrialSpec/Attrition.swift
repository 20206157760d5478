// Attrition.swift — what each eligibility rule does to the reference cohort.

/// Per-rule counts on the reference rows, and the eligible subset (Docs/ProtocolFormat.md, "Attrition").
public struct Attrition: Sendable {
  public struct RuleCounts: Sendable, Codable {
    public var id: String
    public var kind: EligibilityRule.Kind
    public var text: String?
    public var expression: String
    /// The rule's value over all reference rows.
    public var trueCount: Int
    public var falseCount: Int
    public var unknownCount: Int
    /// Patients this rule removes among those who passed the rules before it.
    public var excludedInOrder: Int
    /// How many more patients would be eligible if this rule alone were dropped.
    public var gainIfDropped: Int
  }

  public var referenceRows: Int
  public var rules: [RuleCounts]
  /// Positions (into the reference rows) of the eligible patients.
  public var eligible: [Int]
  public var eligibleCount: Int { eligible.count }

  /// Evaluates `eligibility` on `columns` (the reference rows).
  public init(_ eligibility: Eligibility, on columns: ExpressionColumns) {
    let n = columns.rowCount
    var passes: [[Bool]] = []
    var counts: [RuleCounts] = []
    for rule in eligibility.rules {
      let truth = rule.expression.evaluate(columns)
      passes.append(eligibility.passes(rule, truth))
      counts.append(
        RuleCounts(
          id: rule.id, kind: rule.kind, text: rule.text, expression: rule.expression.source,
          trueCount: truth.filter { $0 == .yes }.count, falseCount: truth.filter { $0 == .no }.count,
          unknownCount: truth.filter { $0 == .unknown }.count, excludedInOrder: 0, gainIfDropped: 0))
    }
    var stillIn = [Bool](repeating: true, count: n)
    for r in passes.indices {
      for i in 0..<n where stillIn[i] && !passes[r][i] {
        counts[r].excludedInOrder += 1
        stillIn[i] = false
      }
    }
    let eligible = (0..<n).filter { stillIn[$0] }
    for r in passes.indices {
      let withoutRule = (0..<n).filter { i in passes.indices.allSatisfy { $0 == r || passes[$0][i] } }.count
      counts[r].gainIfDropped = withoutRule - eligible.count
    }
    referenceRows = n
    rules = counts
    self.eligible = eligible
  }
}

extension Eligibility {
  /// Whether each row passes `rule`, given the rule's truth values: inclusion rules pass when
  /// true, exclusion rules when false; unknown follows the rule's (or the protocol's) `on_unknown`.
  public func passes(_ rule: EligibilityRule, _ truth: [Truth]) -> [Bool] {
    let unknownPasses = (rule.onUnknown ?? onUnknown) == .include
    return truth.map { t in
      switch (rule.kind, t) {
      case (.inclusion, .yes), (.exclusion, .no): true
      case (.inclusion, .no), (.exclusion, .yes): false
      case (_, .unknown): unknownPasses
      }
    }
  }

  /// Whether each row of `columns` meets every rule.
  public func eligible(_ columns: ExpressionColumns) -> [Bool] {
    var mask = [Bool](repeating: true, count: columns.rowCount)
    for rule in rules {
      let pass = passes(rule, rule.expression.evaluate(columns))
      for i in mask.indices where !pass[i] { mask[i] = false }
    }
    return mask
  }
}
