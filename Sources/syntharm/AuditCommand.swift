// AuditCommand.swift — `syntharm audit PROTOCOL [--synthetic FILE]`: fidelity, privacy and
// utility of synthetic patients against the real ones. Parses, calls Reporting/Audit, prints.

import ArgumentParser
import Foundation
import Reporting
import Runs
import Synthesis
import TrialSpec

extension SynthArmCommand {
  struct Audit: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Audit synthetic control patients: fidelity, privacy and utility against the real reference.",
      discussion: """
        Without --synthetic, patients are generated first (from a generator that never saw the \
        holdout). The real comparison group is the eligible reference; a seeded holdout of it \
        (--holdout, default 20 %) is kept out of fitting for the privacy and utility metrics. \
        With --synthetic FILE, that file (the reference's columns and coding, as `syntharm \
        generate` writes) is audited against the same split: it should come from a generator \
        that did not see the holdout.
        """)

    @Argument(help: "A protocol YAML file with a reference cohort.")
    var protocolFile: String

    @Option(help: "A CSV of synthetic patients to audit (default: generate them).")
    var synthetic: String?

    @Option(help: "Number of patients to generate when --synthetic is not given.")
    var n = 1_000

    @Option(
      help:
        "Seed for the holdout split, the generation and the audit's random parts; with --synthetic, the seed given to `syntharm generate`, so that the holdout is the one its generator never saw."
    )
    var seed: UInt64 = 1

    @Option(help: "Share of the eligible reference held out (0 to 0.5).")
    var holdout = 0.2

    @Option(help: "Output format: text or json.")
    var format: Validate.OutputFormat = .text

    func validate() throws {
      guard n >= 1 else { throw ValidationError("--n must be at least 1.") }
      guard holdout >= 0 && holdout <= 0.5 else { throw ValidationError("--holdout must be between 0 and 0.5.") }
    }

    func run() throws {
      var trialProtocol = try loadProtocol(protocolFile)
      if synthetic == nil { trialProtocol = try resolveGenerator(trialProtocol, seed: seed).0 }
      let result: SyntheticAuditResult
      if let synthetic {
        let data = try trialProtocol.typedData(csvPath: synthetic)  // errors: `error: file:line:column: …`
        result = try SyntheticAudit.audit(trialProtocol, synthetic: data, holdout: holdout, seed: seed)
      } else {
        result = try SyntheticAudit.generateAndAudit(trialProtocol, count: n, seed: seed, holdout: holdout).0
      }
      if format == .json {
        print(String(decoding: try result.audit.jsonData(), as: UTF8.self))
      } else {
        let what = synthetic ?? "\(n) generated patients"
        print("Audit of \(what) against \(result.trainingRows) eligible reference patients (\(result.holdoutRows) held out)")
        print(result.audit.summary(timeUnit: trialProtocol.auditTimeUnit))
      }
    }
  }
}
