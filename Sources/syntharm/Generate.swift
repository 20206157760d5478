// Generate.swift — `syntharm generate PROTOCOL`: synthetic control patients meeting the
// protocol's eligibility, as a CSV in the reference's own coding. Parses, calls Synthesis, writes.

import ArgumentParser
import Foundation
import Synthesis
import TrialSpec

extension SynthArmCommand {
  struct Generate: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Generate synthetic control patients that meet a protocol's eligibility criteria.",
      discussion: """
        The CSV has the reference's column names and coding (codes, units) and is censored like \
        the reference (a synthetic replica). Every row meets the eligibility rules and the \
        synthesis constraints.
        """)

    @Argument(help: "A protocol YAML file with a reference cohort and a synthesis section.")
    var protocolFile: String

    @Option(help: "Number of synthetic patients.")
    var n = 1_000

    @Option(help: "Seed; the same seed gives the same patients.")
    var seed: UInt64 = 1

    @Option(help: "Output CSV file.")
    var output: String

    @Option(help: "Learn from all reference patients (reference) or only the eligible ones (eligible).")
    var fitOn: String = "reference"

    @Option(help: "Attempt budget: the most candidates drawn before giving up (default max(100000, 1000 × n)).")
    var maxAttempts: Int?

    func validate() throws {
      guard n >= 1 else { throw ValidationError("--n must be at least 1.") }
      guard FitPopulation(rawValue: fitOn) != nil else { throw ValidationError("--fit-on must be reference or eligible.") }
      if let maxAttempts, maxAttempts < n { throw ValidationError("--max-attempts must be at least --n.") }
    }

    func run() throws {
      let trialProtocol = try loadProtocol(protocolFile)
      let generator = try SyntheticControlGenerator(protocol: trialProtocol, fitOn: FitPopulation(rawValue: fitOn)!)
      let (patients, report) = try generator.generate(count: n, seed: seed, maxCandidates: maxAttempts)
      let replica = generator.replica(of: patients, seed: seed)
      try writeAtomically(generator.csv(replica), to: output)
      printError("wrote \(n) synthetic patients to \(output) (acceptance \(String(format: "%.3f", report.acceptanceRate)), \(report.method); support: \(report.support) eligible reference patients)")
      if let warning = report.supportWarning { printError("warning: \(warning)") }
    }
  }
}

/// Loads a protocol, printing every error and exiting 1 when it does not load.
func loadProtocol(_ path: String) throws -> TrialProtocol {
  do {
    return try TrialProtocol.load(path: path)
  } catch {
    printError(error.description)
    throw ExitCode.failure
  }
}

/// Writes `text` to a temporary file beside `path` and renames it: no partial output.
func writeAtomically(_ text: String, to path: String) throws {
  let url = URL(fileURLWithPath: path)
  let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).tmp-\(getpid())")
  do {
    try Data(text.utf8).write(to: temporary)
    if FileManager.default.fileExists(atPath: path) { _ = try FileManager.default.replaceItemAt(url, withItemAt: temporary) } else {
      try FileManager.default.moveItem(at: temporary, to: url)
    }
  } catch {
    try? FileManager.default.removeItem(at: temporary)
    throw ValidationError("cannot write \(path): \(error.localizedDescription)")
  }
}

func printError(_ message: String) {
  FileHandle.standardError.write(Data((message + "\n").utf8))
}
