// Mimic.swift — `syntharm mimic PROTOCOL --treated EXPR`: a real two-arm comparison whose control
// arm is the protocol's eligible reference, replayed with synthetic control arms from bootstrap
// refits of the generator. Parses, calls TrialSpec (the treated rows) and Simulation (the study),
// prints text or JSON, writes the HTML section through Reporting.

import ArgumentParser
import Foundation
import Reporting
import Runs
import Simulation
import Synthesis
import TrialSpec

extension SynthArmCommand {
  struct Mimic: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Replace a real trial's control arm by synthetic patients and compare the treatment effect with the real one.",
      discussion: """
        The real control arm is the protocol's eligible reference; the treated arm is the rows of \
        the same CSV that --treated selects and that meet the same eligibility. Both are analysed \
        (Cox hazard ratio with its 95 % Wald interval, log-rank, Kaplan–Meier). Then, --refits \
        times, the generator is refitted on a bootstrap resample of the rows it learns from and \
        generates a synthetic control arm of the same size meeting the eligibility, censored like \
        the reference, and the same analysis is run against the real treated arm. Reported: the \
        median synthetic HR with the 2.5 % and 97.5 % quantiles over refits, the share of refits \
        inside the real interval, and the curves.
        Example: syntharm mimic Protocols/colon-adjuvant-os.yaml --treated 'rx == "Lev+5FU"'
        """)

    @Argument(help: "A protocol YAML file with a reference cohort.")
    var protocolFile: String

    @Option(help: "Which rows of the reference CSV are the real treated arm, in the eligibility language (e.g. 'rx == \"Lev+5FU\"').")
    var treated: String

    @Option(help: "Synthetic control arms, each from its own bootstrap refit of the generator.")
    var refits = 100

    @Option(help: "Seed; the same seed gives the same result.")
    var seed: UInt64 = 1

    @Option(
      help: "Learn from all reference patients (reference) or only the eligible ones (eligible); default: the protocol's synthesis.fit_on.")
    var fitOn: String?

    @Option(help: "Output format: text or json.")
    var format: Validate.OutputFormat = .text

    @Option(help: "Also write the study as a self-contained HTML page to this file.")
    var report: String?

    func validate() throws {
      guard refits >= 1 && refits <= 100_000 else { throw ValidationError("--refits must be between 1 and 100000.") }
      if let fitOn, FitPopulation(rawValue: fitOn) == nil { throw ValidationError("--fit-on must be reference or eligible.") }
    }

    func run() throws {
      if let report { try checkOutputTarget(report) }
      // generator: auto is chosen before the refits (on the protocol's own eligible reference).
      let trialProtocol = try resolveGenerator(try loadProtocol(protocolFile), seed: seed).0
      let selection = try trialProtocol.treatedSelection(treated, origin: "--treated")
      let settings = MimicSettings(refits: refits, seed: seed, fitOn: fitOn.flatMap(FitPopulation.init(rawValue:)))
      let result: MimicResult
      do { result = try MimicStudy.run(trialProtocol, selection: selection, settings: settings) } catch {
        throw CLIError("\(protocolFile): \(error)")
      }
      if let report {
        try writeAtomically(MimicReport.html(result, protocolFile: protocolFile, toolVersion: SynthArmVersion.current), to: report)
      }
      if format == .json {
        print(try MimicReport.json(result, protocolFile: protocolFile, toolVersion: SynthArmVersion.current), terminator: "")
      } else {
        print(MimicText.text(result, protocolFile: protocolFile))
        if let report { print("wrote \(report)") }
      }
      if result.refits.failed > 0 {
        printWarning(
          "\(result.refits.failed) of \(result.refits.requested) refits failed and are left out; the first: \(result.refits.firstFailure ?? "")"
        )
      }
    }
  }
}
