// ValidationSummary.swift — what `syntharm validate` reports about a protocol or scenario:
// plain data, printed as text by the CLI or encoded as JSON for machines.

/// A protocol, summarised: arms, design, variables with missing counts, attrition.
public struct ProtocolSummary: Sendable, Encodable {
  public struct ArmRow: Sendable, Encodable {
    public var id: String, role: String, allocation: Int
    public var hazardRatio: Double?
  }
  public struct VariableRow: Sendable, Encodable {
    public var name: String, type: String
    public var unit: String?
    public var labels: [String]
    /// Missing values among the reference rows (nil for a parametric protocol).
    public var missing: Int?
  }
  public struct ReferenceRow: Sendable, Encodable {
    public var data: String
    public var rows: String?
    public var fileRows: Int
    public var referenceRows: Int
    public var time: String
    public var event: String
  }

  public var file: String
  public var id: String
  public var title: String?
  public var timeUnit: String
  public var endpoint: String
  public var arms: [ArmRow]
  public var design: [String: String]
  public var reference: ReferenceRow?
  public var variables: [VariableRow]
  public var attrition: [Attrition.RuleCounts]?
  public var eligible: Int?
  public var synthesis: [String: String]?

  public init(_ p: TrialProtocol) {
    file = p.file
    id = p.id
    title = p.title
    timeUnit = p.timeUnit.rawValue
    let unit = p.timeUnit.rawValue + "s"
    var endpointText = "\(p.endpoint.name) (\(p.endpoint.kind))"
    if let h = p.endpoint.horizon { endpointText += ", horizon \(h.formatted) \(unit)" }
    if let c = p.endpoint.control {
      switch c {
      case .exponential(let m): endpointText += "; control: exponential, median \(m.formatted) \(unit)"
      case .weibull(let m, let k): endpointText += "; control: Weibull, median \(m.formatted) \(unit), shape \(k.formatted)"
      case .piecewise(let until, let rates):
        endpointText +=
          "; control: piecewise hazard "
          + rates.enumerated().map { i, r in
            i < until.count ? "\(r.formatted) until \(until[i].formatted)" : "\(r.formatted) after"
          }.joined(separator: ", ")
      }
    }
    endpoint = endpointText
    arms = p.arms.map { ArmRow(id: $0.id, role: $0.role.rawValue, allocation: $0.allocation, hazardRatio: $0.hazardRatio) }
    var d: [String: String] = ["patients": "\(p.design.patients)"]
    switch p.design.accrual {
    case .uniform(let duration): d["accrual"] = "uniform over \(duration.formatted) \(unit)"
    case .rates(let pieces):
      d["accrual"] = pieces.map {
        ($0.duration.map { "\($0.formatted) \(unit) at " } ?? "then ") + "\($0.rate.formatted)/\(p.timeUnit.rawValue)"
      }
      .joined(separator: ", ")
    }
    switch p.design.analysis {
    case .calendar(let f): d["analysis"] = "calendar: \(f.formatted) \(unit) after the last patient"
    case .events(let e): d["analysis"] = "after \(e) events"
    }
    if let dropout = p.design.dropout { d["dropout"] = "\(dropout.probability.formatted) by \(dropout.by.formatted) \(unit)" }
    d["test"] = "\(p.design.test.method.rawValue), alpha \(p.design.test.alpha.formatted), \(p.design.test.sided)-sided"
    design = d
    if let r = p.reference, let data = p.referenceData {
      reference = ReferenceRow(
        data: r.dataPath, rows: r.rows?.source, fileRows: data.cohort.rowCount,
        referenceRows: data.referenceRows.count, time: "\(r.timeColumn) (\(r.timeUnit.rawValue)s)",
        event: "\(r.eventColumn) == \(r.eventValue)")
      let attrition = Attrition(p.eligibility, on: data.referenceColumns)
      self.attrition = attrition.rules
      eligible = attrition.eligibleCount
    }
    variables = p.variables.map {
      VariableRow(name: $0.name, type: $0.type.rawValue, unit: $0.unit, labels: $0.labels, missing: p.referenceData?.missingCount($0.name))
    }
    synthesis = p.synthesis.map { s in
      var fields = [
        "generator": s.generator.rawValue, "outcome": s.outcome.rawValue, "covariates": s.covariates.joined(separator: ", "),
        "constraints": s.constraints.map(\.source).joined(separator: "; "),
      ]
      if let cart = s.cart {
        fields["minbucket"] = String(cart.minbucket)
        fields["smoothing"] = cart.smoothing.rawValue
      }
      return fields
    }
  }
}

/// A scenario, summarised, with each sweep cell's eligible count and attrition.
public struct ScenarioSummary: Sendable, Encodable {
  public struct DesignRow: Sendable, Encodable {
    public var id: String, experimental: Int, realControls: Int, syntheticControls: Int, analysis: String
  }
  public struct CellRow: Sendable, Encodable {
    public var id: String
    public var rules: [String]
    public var eligible: Int?
    public var attrition: [Attrition.RuleCounts]?
  }

  public var file: String
  public var id: String
  public var protocolSummary: ProtocolSummary
  public var seed: UInt64
  public var replicates: Int
  public var hazardRatios: [Double]
  public var drifts: [Double]
  public var designs: [DesignRow]
  public var savingsTargetPower: Double?
  public var savingsCompare: [String]?
  public var sweep: [CellRow]
  public var output: String?

  public init(_ s: Scenario) {
    file = s.file
    id = s.id
    protocolSummary = ProtocolSummary(s.trialProtocol)
    seed = s.seed
    replicates = s.replicates
    hazardRatios = s.truth.hazardRatios
    drifts = s.truth.drifts
    designs = s.designs.map {
      DesignRow(
        id: $0.id, experimental: $0.experimental, realControls: $0.realControls,
        syntheticControls: $0.syntheticControls, analysis: $0.analysis.name)
    }
    savingsTargetPower = s.savings?.targetPower
    savingsCompare = s.savings?.compare
    let columns = s.trialProtocol.referenceData?.referenceColumns
    sweep = s.sweep.map { cell in
      let attrition = columns.map { Attrition(cell.eligibility, on: $0) }
      return CellRow(
        id: cell.id, rules: cell.eligibility.rules.map(\.id), eligible: attrition?.eligibleCount,
        attrition: attrition?.rules)
    }
    output = s.output
  }
}

// MARK: - Checks of the eligibility against the reference

/// Below this many eligible reference patients, `validate` warns: the generator and every
/// borrowing analysis learn from the eligible reference, and 30 is the usual floor for a
/// covariance matrix and a survival curve to mean something.
public let eligibleReferenceWarningThreshold = 30

/// Problems `syntharm validate` finds by evaluating a loaded protocol on its reference cohort:
/// errors (the exit status is 1) and warnings (printed, exit status 0).
public struct ProtocolFindings: Sendable {
  public var errors: [SpecError] = []
  public var warnings: [SpecError] = []
}

extension TrialProtocol {
  /// Checks the eligibility and the synthesis constraints against the reference patients:
  /// an error when no reference patient is eligible, or when no eligible patient satisfies the
  /// constraints; a warning when fewer than ``eligibleReferenceWarningThreshold`` are
  /// eligible, or when some eligible patients violate a constraint. Nothing for a parametric
  /// protocol.
  public func eligibilityFindings() -> ProtocolFindings {
    var findings = ProtocolFindings()
    guard let data = referenceData else { return findings }
    func at(_ key: String, _ message: String) -> SpecError {
      let p = keyPositions[key]
      return SpecError(file: file, line: p?.line, column: p?.column, keyPath: key, message: message)
    }
    let columns = data.referenceColumns
    let attrition = Attrition(eligibility, on: columns)
    let n = attrition.eligibleCount
    let total = attrition.referenceRows
    if n == 0 {
      let worst = attrition.rules.max { $0.excludedInOrder < $1.excludedInOrder }
      let hint = worst.map { "; rule '\($0.id)' alone removes \($0.excludedInOrder) of the patients left before it" } ?? ""
      findings.errors.append(at("eligibility", "no reference patient is eligible (0 of \(total))\(hint)"))
      return findings
    }
    if n < eligibleReferenceWarningThreshold {
      findings.warnings.append(
        at(
          "eligibility",
          "only \(n) of \(total) reference patients are eligible (fewer than "
            + "\(eligibleReferenceWarningThreshold)): whatever learns from them will be imprecise"))
    }
    guard let constraints = synthesis?.constraints, !constraints.isEmpty else { return findings }
    let eligible = columns.selecting(attrition.eligible)
    // A constraint is violated when it is false; unknown (a missing value) is not a violation,
    // as a generated patient may leave the value missing too.
    var satisfiesAll = [Bool](repeating: true, count: n)
    for (i, constraint) in constraints.enumerated() {
      let truth = constraint.evaluate(eligible)
      let violated = truth.filter { $0 == .no }.count
      for r in 0..<n where truth[r] == .no { satisfiesAll[r] = false }
      if violated > 0 {
        let key = keyPositions["synthesis.constraints[\(i)]"] != nil ? "synthesis.constraints[\(i)]" : "synthesis"
        findings.warnings.append(
          at(
            key,
            "the constraint '\(constraint.source)' is false for \(violated) of the "
              + "\(n) eligible reference patients: the generator will produce none like them"))
      }
    }
    if !satisfiesAll.contains(true) {
      let key = keyPositions["synthesis.constraints[0]"] != nil ? "synthesis.constraints[0]" : "synthesis"
      findings.errors.append(
        at(
          key,
          "no eligible reference patient satisfies every synthesis constraint "
            + "(0 of \(n)); the generator would have to produce patients unlike any it learns from"))
    }
    return findings
  }
}
