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
        endpointText += "; control: piecewise hazard " + rates.enumerated().map { i, r in
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
      d["accrual"] = pieces.map { ($0.duration.map { "\($0.formatted) \(unit) at " } ?? "then ") + "\($0.rate.formatted)/\(p.timeUnit.rawValue)" }
        .joined(separator: ", ")
    }
    switch p.design.analysis {
    case .calendar(let f): d["analysis"] = "calendar: \(f.formatted) \(unit) after the last patient"
    case .events(let e): d["analysis"] = "after \(e) events"
    }
    if let dropout = p.design.dropout { d["dropout"] = "\(dropout.probability.formatted) by \(dropout.by.formatted) \(unit)" }
    d["test"] = "\(p.design.test.method), alpha \(p.design.test.alpha.formatted), \(p.design.test.sided)-sided"
    design = d
    if let r = p.reference, let data = p.referenceData {
      reference = ReferenceRow(data: r.dataPath, rows: r.rows?.source, fileRows: data.cohort.rowCount,
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
      ["generator": s.generator, "outcome": s.outcome, "covariates": s.covariates.joined(separator: ", "),
       "constraints": s.constraints.map(\.source).joined(separator: "; ")]
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
      DesignRow(id: $0.id, experimental: $0.experimental, realControls: $0.realControls,
                syntheticControls: $0.syntheticControls, analysis: $0.analysis.name)
    }
    savingsTargetPower = s.savings?.targetPower
    savingsCompare = s.savings?.compare
    let columns = s.trialProtocol.referenceData?.referenceColumns
    sweep = s.sweep.map { cell in
      let attrition = columns.map { Attrition(cell.eligibility, on: $0) }
      return CellRow(id: cell.id, rules: cell.eligibility.rules.map(\.id), eligible: attrition?.eligibleCount,
                     attrition: attrition?.rules)
    }
    output = s.output
  }
}
