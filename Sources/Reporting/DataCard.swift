// DataCard.swift — the synthetic data card written beside generated patients: where they came
// from (source file and its SHA-256), how (generator settings, seed, tool version), under which
// eligibility, and what the audit found.

import Audit
import Foundation
import Runs
import Synthesis
import TrialSpec

/// A description of a synthetic data set, for people (Markdown) and machines (JSON).
public struct SyntheticDataCard: Sendable, Encodable {
  public struct Source: Sendable, Encodable {
    public var file: String
    public var sha256: String
    public var fileRows: Int
    public var referenceRows: Int
    public var eligibleReferenceRows: Int
    public var trainingRows: Int
    public var holdoutRows: Int
  }
  public struct Rule: Sendable, Encodable {
    public var id: String, kind: String, condition: String
  }
  public struct Generator: Sendable, Encodable {
    public var method: String, outcome: String, fitOn: String
    public var covariates: [String]
    public var constraints: [String]
    /// The copula's correlation shrinkage; nil for the CART family.
    public var correlationShrinkage: Double?
    /// The CART family's settings and the kernel bandwidth rule of each smoothed variable.
    public var cart: CARTSettings?
    public var smoothingBandwidth: [String: String]?
    public var sampling: String
    public var acceptanceRate: Double
    public var candidates: Int
  }

  public var tool: String
  public var protocolID: String
  public var protocolFile: String
  public var protocolSHA256: String
  public var output: String
  public var rows: Int
  public var seed: UInt64
  public var source: Source
  public var eligibility: [Rule]
  public var generator: Generator
  public var supportWarning: String?
  /// Written rows that equalled a reference patient and got a fresh outcome (nil when unknown).
  public var copiesRedrawn: Int?
  /// How `generator: auto` chose (nil when the protocol names the family).
  public var selection: GeneratorSelectionReport?
  public var audit: [AuditGoal]

  public init(
    protocol p: TrialProtocol, generator g: SyntheticControlGenerator, result: SyntheticAuditResult,
    output: String, rows: Int, seed: UInt64, toolVersion: String, replica: SyntheticReplica? = nil,
    selection: GeneratorSelectionReport? = nil
  ) throws {
    guard let spec = p.reference, let data = p.referenceData, let generation = result.generation else {
      throw SynthesisError.notConfigured("a data card needs a reference cohort and a generation report")
    }
    tool = "syntharm \(toolVersion)"
    protocolID = p.id
    protocolFile = p.file
    protocolSHA256 = try FileDigest.sha256(ofFile: p.file)
    self.output = output
    self.rows = rows
    self.seed = seed
    source = Source(
      file: spec.resolvedDataPath, sha256: try FileDigest.sha256(ofFile: spec.resolvedDataPath),
      fileRows: data.cohort.rowCount, referenceRows: data.referenceRows.count,
      eligibleReferenceRows: generation.support, trainingRows: result.trainingRows, holdoutRows: result.holdoutRows)
    eligibility = p.eligibility.rules.map { Rule(id: $0.id, kind: $0.kind.rawValue, condition: $0.expression.source) }
    generator = Generator(
      method: g.family.rawValue, outcome: g.outcome.kind.rawValue, fitOn: g.fitOn.rawValue,
      covariates: g.variables.map(\.name), constraints: p.synthesis?.constraints.map(\.source) ?? [],
      correlationShrinkage: g.copula?.shrinkage, cart: g.cart?.settings, smoothingBandwidth: g.cart?.bandwidthRules,
      sampling: generation.method, acceptanceRate: generation.acceptanceRate,
      candidates: generation.candidates)
    supportWarning = generation.supportWarning
    copiesRedrawn = replica?.copiesRedrawn
    self.selection = selection
    audit = result.audit.goals
  }

  public func json() throws -> String {
    try ReportJSON.text(self)
  }

  public var markdown: String {
    var lines = ["# Synthetic data card: \(output)", ""]
    lines.append("\(rows) synthetic control patients for protocol `\(protocolID)` (\(protocolFile)), seed \(seed), made by \(tool).")
    lines.append("")
    lines.append("## Source")
    lines.append(
      "- reference: `\(source.file)` (SHA-256 `\(source.sha256)`), \(source.fileRows) rows, \(source.referenceRows) reference patients, \(source.eligibleReferenceRows) eligible"
    )
    lines.append("- fitted on \(source.trainingRows) patients; \(source.holdoutRows) eligible patients held out for the audit")
    lines.append("- protocol SHA-256 `\(protocolSHA256)`")
    if let warning = supportWarning { lines.append("- **warning**: \(warning)") }
    lines.append("")
    lines.append("## Eligibility (every synthetic patient meets every rule)")
    for r in eligibility { lines.append("- \(r.id) (\(r.kind)): `\(r.condition)`") }
    if !generator.constraints.isEmpty { lines.append("- constraints: " + generator.constraints.map { "`\($0)`" }.joined(separator: ", ")) }
    lines.append("")
    lines.append("## Generator")
    lines.append("- \(generator.method), outcome \(generator.outcome), fitted on the \(generator.fitOn) population")
    lines.append("- covariates: \(generator.covariates.joined(separator: ", "))")
    if let c = generator.cart {
      let kernels = (generator.smoothingBandwidth ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }
      lines.append(
        "- CART: minbucket \(c.minbucket), cp \(c.complexity), smoothing \(c.smoothing.rawValue)"
          + (kernels.isEmpty ? "" : " (bandwidth " + kernels.joined(separator: ", ") + ")"))
    }
    lines.append(
      String(
        format: "- sampling: %@, acceptance %.3f over %d candidates", generator.sampling, generator.acceptanceRate,
        generator.candidates)
        + (generator.correlationShrinkage.map { String(format: "; correlation shrinkage %.2f", $0) } ?? ""))
    if let copiesRedrawn {
      lines.append("- rows equal to a reference patient after rounding, given a fresh outcome: \(copiesRedrawn)")
    }
    if let selection { lines += Self.selectionLines(selection) }
    lines.append("")
    lines.append("## Audit")
    lines.append("| metric | value | goal | |")
    lines.append("|---|---|---|---|")
    for g in audit {
      let value = g.value.map { String(format: "%.4f", $0) } ?? "—"
      lines.append("| \(g.metric.rawValue) | \(value) | \(g.target) | \(g.passed.map { $0 ? "pass" : "attention" } ?? "—") |")
    }
    return lines.joined(separator: "\n") + "\n"
  }

  /// Each family's best configuration with its score components, gates and time.
  static func selectionLines(_ r: GeneratorSelectionReport) -> [String] {
    var lines = ["", "## Generator selection (generator: auto)"]
    lines.append(
      String(
        format:
          "Chosen: %@, among %d configurations fitted on halves (%d patients) of the %d eligible reference patients, seed %llu, %.1f s.",
        r.winner.label, r.results.count, r.halfSize, r.eligibleRows, r.seed, r.seconds))
    lines.append("")
    lines.append(
      "| family | best configuration | splits | score (± SE) | shapes | pairs | detection | KM | Cox CI overlap | C-index ratio | DCR protection | exact copies | gates | time |"
    )
    lines.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for family in [GeneratorFamily.gaussianCopula, .cart] {
      guard let b = r.best(family) else { continue }
      lines.append(
        String(
          format: "| %@ | %@ | %d | %.3f (± %.3f) | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f | %d | %@ | %.1f s |", family.rawValue,
          b.configuration.label, b.splits, b.score, b.scoreStandardError, b.columnShapes, b.columnPairTrends, b.detection,
          b.kaplanMeier, b.coxOverlap, b.concordanceRatio, b.dcrOverfittingProtection, b.exactCopies, b.passes ? "passed" : "failed",
          b.seconds))
    }
    return lines
  }
}
