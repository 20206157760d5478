// Run.swift — `syntharm run SCENARIO`: Monte Carlo trials, conventional vs augmented control arms.
// Parses, calls Simulation, prints the table, writes the outputs atomically.

import ArgumentParser
import Foundation
import Reporting
import Simulation
import TrialSpec

extension SynthArmCommand {
  struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Simulate the scenario's trials and report operating characteristics for each design and truth.",
      discussion: """
        Writes operating-characteristics.csv and results.json into the scenario's output folder \\
        (or --output). Results are identical for any --threads. Power is the rejection rate \\
        when HR < 1, type-I error when HR = 1; ± is one Monte Carlo SE.
        """)

    @Argument(help: "A scenario YAML file.")
    var scenarioFile: String

    @Option(help: "Trials per design and truth (default: the scenario's replicates).")
    var replicates: Int?

    @Option(help: "Output folder (default: the scenario's output).")
    var output: String?

    @Option(help: "Worker threads (default: all cores).")
    var threads: Int?

    @Flag(help: "Fit the synthetic-control generator once instead of on a bootstrap resample in every replicate.")
    var noRefit = false

    @Flag(help: "No progress on stderr.")
    var quiet = false

    func validate() throws {
      if let replicates, replicates < 1 { throw ValidationError("--replicates must be at least 1.") }
      if let threads, threads < 1 { throw ValidationError("--threads must be at least 1.") }
    }

    func run() throws {
      let scenario: Scenario
      do { scenario = try Scenario.load(path: scenarioFile) } catch {
        printError(error.description)
        throw ExitCode.failure
      }
      guard let folder = output ?? scenario.output else {
        throw ValidationError("the scenario has no 'output' folder; give --output DIR")
      }
      let needsSynthetic = scenario.designs.contains { $0.syntheticControls > 0 }
      let model = try TrialModel(protocol: scenario.trialProtocol, refit: !noRefit, needsSynthetic: needsSynthetic)
      let workers = threads ?? ProcessInfo.processInfo.activeProcessorCount
      let showProgress = !quiet && isatty(2) != 0
      let clock = ContinuousClock()
      let start = clock.now
      var results: [OperatingCharacteristics] = []
      for cellIndex in scenario.sweep.indices.prefix(1) {  // sweep cells: the sweep issue
        results += MonteCarlo.run(model: model, scenario: scenario, cellIndex: cellIndex, replicates: replicates,
                                  threads: workers) { done, total in
          if showProgress { FileHandle.standardError.write(Data("\r\(done)/\(total) trials".utf8)) }
        }
      }
      if showProgress { FileHandle.standardError.write(Data("\n".utf8)) }
      let elapsed = clock.now - start
      let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
      let report = try RunReport(scenario: scenario, results: results, replicates: replicates ?? scenario.replicates,
                                 threads: workers, refit: !noRefit, wallSeconds: seconds, toolVersion: SynthArmVersion.current)
      try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
      try writeAtomically(report.csv, to: (folder as NSString).appendingPathComponent("operating-characteristics.csv"))
      try writeAtomically(report.json(), to: (folder as NSString).appendingPathComponent("results.json"))
      print(RunTable.text(scenario: scenario, results: results, seconds: seconds))
      print("wrote \(folder)/operating-characteristics.csv and results.json")
    }
  }
}

enum RunTable {
  static func text(scenario: Scenario, results: [OperatingCharacteristics], seconds: Double) -> String {
    let trials = results.reduce(0) { $0 + $1.replicates }
    var lines = ["Scenario \(scenario.id): \(trials) simulated trials in \(String(format: "%.1f", seconds)) s "
                 + "(\(Int(Double(trials) / max(seconds, 1e-9))) trials/s)", ""]
    let header = ["design", "HR", "drift", "reject ± MCSE", "mean HR", "estimand HR", "bias log HR", "coverage", "events", "borrowed", "failures"]
    let rows = results.map { o in
      [o.design, SummaryText.format(o.hazardRatio), SummaryText.format(o.drift),
       String(format: "%.3f ± %.3f", o.rejectionRate, o.rejectionMCSE) + (o.hazardRatio == 1 ? " (type I)" : ""),
       String(format: "%.3f", o.meanHR), String(format: "%.3f", exp(o.estimandLogHR)),
       String(format: "%+.3f", o.biasLogHR), String(format: "%.3f", o.coverage), String(format: "%.1f", o.meanEvents),
       String(format: "%.2f", o.meanBorrowedWeight), String(o.failures)]
    }
    lines += SummaryText.table(header: header, rows: rows)
    return lines.joined(separator: "\n")
  }
}
