// Generate.swift — `syntharm generate PROTOCOL`: synthetic control patients meeting the
// protocol's eligibility, as a CSV in the reference's own coding. Parses, calls Synthesis, writes.

import ArgumentParser
import Foundation
import Reporting
import Runs
import Synthesis
import TrialSpec

extension SynthArmCommand {
  struct Generate: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Generate synthetic control patients that meet a protocol's eligibility criteria.",
      discussion: """
        The CSV has the reference's column names and coding (codes, units) and is censored like \
        the reference (a synthetic replica). Every row meets the eligibility rules and the \
        synthesis constraints. Beside it, a data card (OUTPUT.card.json and OUTPUT.card.md): \
        the source file's SHA-256, rows used, eligibility, generator settings, seed, tool \
        version and the audit summary. A seeded holdout of the eligible reference (--holdout, \
        default 20 %) is kept out of fitting so that the audit's privacy and utility figures \
        are honest; --holdout 0 learns from every patient.
        """)

    @Argument(help: "A protocol YAML file with a reference cohort and a synthesis section.")
    var protocolFile: String

    @Option(help: "Number of synthetic patients.")
    var n = 1_000

    @Option(help: "Seed; the same seed gives the same patients.")
    var seed: UInt64 = 1

    @Option(help: "Output CSV file.")
    var output: String

    @Option(
      help: "Learn from all reference patients (reference) or only the eligible ones (eligible); default: the protocol's synthesis.fit_on.")
    var fitOn: String?

    @Option(help: "Attempt budget: the most candidates drawn before giving up (default max(100000, 1000 × n)).")
    var maxAttempts: Int?

    @Option(help: "Share of the eligible reference kept out of fitting for the audit (0 to 0.5).")
    var holdout = 0.2

    func validate() throws {
      guard n >= 1 else { throw ValidationError("--n must be at least 1.") }
      if let fitOn, FitPopulation(rawValue: fitOn) == nil { throw ValidationError("--fit-on must be reference or eligible.") }
      if let maxAttempts, maxAttempts < n { throw ValidationError("--max-attempts must be at least --n.") }
      guard holdout >= 0 && holdout <= 0.5 else { throw ValidationError("--holdout must be between 0 and 0.5.") }
    }

    func run() throws {
      // Every file this writes is checked before anything is generated: only a regular file or
      // nothing may sit at each path (never a FIFO, a link or a device such as /dev/null).
      let stem = output.hasSuffix(".csv") ? String(output.dropLast(4)) : output
      let files = [output, stem + ".card.json", stem + ".card.md"]
      for file in files { try checkOutputTarget(file) }
      do { try AtomicFile.checkWritableFolder(AtomicFile.folder(of: output)) } catch { throw CLIError(error.description) }
      let (trialProtocol, selection) = try resolveGenerator(try loadProtocol(protocolFile), seed: seed)
      let (result, replica, generator) = try SyntheticAudit.generateAndAudit(
        trialProtocol, count: n, seed: seed, holdout: holdout,
        fitOn: fitOn.flatMap(FitPopulation.init(rawValue:)) ?? trialProtocol.synthesis?.fitOn ?? .reference)
      let card = try SyntheticDataCard(
        protocol: trialProtocol, generator: generator, result: result, output: output,
        rows: n, seed: seed, toolVersion: SynthArmVersion.current, replica: replica, selection: selection)
      // Every file is written beside its final name and renamed: no partial output.
      try writeAtomically(generator.csv(replica), to: output)
      try writeAtomically(card.json(), to: stem + ".card.json")
      try writeAtomically(card.markdown, to: stem + ".card.md")
      let generation = result.generation!
      print("wrote \(n) synthetic patients to \(output), with \(stem).card.json and \(stem).card.md")
      print(
        String(
          format:
            "sampling: %@, acceptance %.3f; generator fitted on %d reference patients (fit_on: %@); support: %d eligible reference patients (%d in the audit's training set, %d held out)",
          generation.method, generation.acceptanceRate, generation.rowsFitted, generation.fitOn.rawValue, generation.support,
          result.trainingRows, result.holdoutRows))
      if let warning = generation.supportWarning { printError("warning: \(warning)") }
      print("")
      print(result.audit.summary(timeUnit: trialProtocol.auditTimeUnit))
    }
  }
}

/// Loads a protocol; its errors (``SpecErrors``) are printed one per line, `error: file:line:column: …`.
func loadProtocol(_ path: String) throws -> TrialProtocol {
  try TrialProtocol.load(path: path)
}

extension TrialProtocol {
  /// Survival times in the audit summary: converted from the reference's unit to the protocol's,
  /// as the report shows them.
  var auditTimeUnit: (factor: Double, name: String)? {
    guard let reference else { return nil }
    return (reference.timeUnit.convert(1, to: timeUnit), timeUnit.rawValue + "s")
  }
}

/// `synthesis.generator: auto` replaced by the selected family and settings (any other protocol
/// as it is); the choice is summarised on stderr, so JSON on stdout stays clean.
func resolveGenerator(_ p: TrialProtocol, seed: UInt64) throws -> (TrialProtocol, GeneratorSelectionReport?) {
  let resolved: (TrialProtocol, GeneratorSelectionReport?)
  do { resolved = try GeneratorSelection.resolve(p, seed: seed) } catch let e as GeneratorSelectionError { throw CLIError(e.description) }
  if let report = resolved.1 { printSelection(report) }
  return resolved
}

/// The choice of `generator: auto`, on stderr.
func printSelection(_ report: GeneratorSelectionReport) {
  printError(
    String(
      format: "generator: auto chose %@ (%d configurations on %d eligible patients, halves of %d, %.1f s)", report.winner.label,
      report.results.count, report.eligibleRows, report.halfSize, report.seconds))
  for family in [GeneratorFamily.gaussianCopula, .cart] {
    guard let b = report.best(family) else { continue }
    printError(
      String(
        format: "  best %@: score %.3f ± %.3f, DCROverfittingProtection %.3f, exact copies %d, gates %@", b.configuration.label,
        b.score, b.scoreStandardError, b.dcrOverfittingProtection, b.exactCopies, b.passes ? "passed" : "failed"))
  }
}
