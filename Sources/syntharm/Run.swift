// Run.swift — `syntharm run SCENARIO`: Monte Carlo trials for every sweep cell, conventional vs
// augmented control arms, and the savings search. Parses, calls Reporting/Simulation, prints the
// tables; every cell is stored as it finishes, so a rerun resumes and shards can be merged.

import ArgumentParser
import Foundation
import Reporting
import Simulation
import TrialSpec

/// `--shard I/N`: shard I (1-based) of N runs cells k with k mod N = I − 1.
struct Shard: ExpressibleByArgument, CustomStringConvertible {
  let index: Int
  let count: Int

  init?(argument: String) {
    let parts = argument.split(separator: "/", omittingEmptySubsequences: false)
    guard parts.count == 2, let i = Int(parts[0]), let n = Int(parts[1]), n >= 1, (1...n).contains(i) else { return nil }
    index = i
    count = n
  }

  func contains(cell k: Int) -> Bool { k % count == index - 1 }
  var description: String { "\(index)/\(count)" }
}

extension SynthArmCommand {
  struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Simulate the scenario's trials for every sweep cell: operating characteristics and real patients saved.",
      discussion: """
        Writes operating-characteristics.csv, savings.csv (when the scenario asks) and \\
        results.json into the scenario's output folder (or --output); each finished cell is \\
        kept in its cells/ folder, so a rerun skips finished cells. Results are identical for \\
        any --threads and any sharding. Power is the rejection rate when HR < 1, type-I error \\
        when HR = 1; ± is one Monte Carlo SE.
        """)

    @Argument(help: "A scenario YAML file.")
    var scenarioFile: String

    @Option(help: "Trials per design and truth (default: the scenario's replicates).")
    var replicates: Int?

    @Option(help: "Output folder (default: the scenario's output).")
    var output: String?

    @Option(help: "Worker threads (default: all cores).")
    var threads: Int?

    @Option(help: ArgumentHelp("Run only shard I of N (1-based): cells k with k mod N = I − 1. Combine the shards with `syntharm merge`.",
                               valueName: "I/N"))
    var shard: Shard?

    @Option(help: "Patients per arm of the large-sample trial that gives the estimand.")
    var estimandPatients = 200_000

    @Flag(help: "Fit the synthetic-control generator once instead of on a bootstrap resample in every replicate.")
    var noRefit = false

    @Flag(help: "No progress on stderr.")
    var quiet = false

    @Flag(help: "Also write the HTML report (report.html) beside the outputs (not for a shard: use `merge --report`).")
    var report = false

    func validate() throws {
      if let replicates, replicates < 1 { throw ValidationError("--replicates must be at least 1.") }
      if let threads, threads < 1 { throw ValidationError("--threads must be at least 1.") }
      if estimandPatients < 1_000 { throw ValidationError("--estimand-patients must be at least 1000.") }
    }

    func run() throws {
      let scenario: Scenario
      do { scenario = try Scenario.load(path: scenarioFile) } catch {
        printError(error.description)
        throw ExitCode.failure
      }
      guard let path = output ?? scenario.output else {
        throw ValidationError("the scenario has no 'output' folder; give --output DIR")
      }
      if let shard, shard.count > scenario.sweep.count {
        printError("note: --shard \(shard) with only \(scenario.sweep.count) cells: some shards have nothing to do")
      }
      let settings = RunSettings(replicates: replicates ?? scenario.replicates, refit: !noRefit, estimandPatients: estimandPatients)
      let manifest = try RunManifest(scenario: scenario, settings: settings, toolVersion: SynthArmVersion.current)
      let folder = SweepFolder(path: path)
      let workers = threads ?? ProcessInfo.processInfo.activeProcessorCount
      let showProgress = !quiet && isatty(2) != 0
      let clock = ContinuousClock()
      let start = clock.now
      var simulated: [String] = [], reused: [String] = [], trials = 0
      let mine = scenario.sweep.indices.filter { shard?.contains(cell: $0) ?? true }
      let logName = shard.map { "run-log-shard-\($0.index)-of-\($0.count).json" } ?? "run-log.json"
      let finalFiles = shard == nil ? ["operating-characteristics.csv", "savings.csv", "results.json"] : []
      folder.removeTemporaries(of: mine.map { folder.cellFile(index: $0, id: scenario.sweep[$0].id) }
        + ([logName] + finalFiles).map { (path as NSString).appendingPathComponent($0) })
      for index in mine {
        let id = scenario.sweep[index].id
        if folder.finishedCell(index: index, id: id, manifest: manifest) != nil {
          reused.append(id)
          if !quiet { printError("cell \(id): finished earlier, kept") }
          continue
        }
        let label = "cell \(index + 1)/\(scenario.sweep.count) \(id)"
        let cell = SweepCellRunner.run(scenario, cell: index, settings: settings, threads: workers) { done, total in
          if showProgress { FileHandle.standardError.write(Data("\r\(label): \(done)/\(total) trials".utf8)) }
        }
        if showProgress { FileHandle.standardError.write(Data("\n".utf8)) }
        if let warning = cell.supportWarning, !quiet { printError("warning: \(warning)") }
        if let failure = cell.failure { printError("warning: \(failure)") }
        try folder.store(cell, manifest: manifest)
        simulated.append(id)
        trials += cell.trials
      }
      let seconds = Self.seconds(clock.now - start)
      let log = RunLog(tool: manifest.tool, scenario: scenario.id, shard: shard?.description, threads: workers,
                       cellsSimulated: simulated, cellsReused: reused, wallSeconds: seconds, trialsSimulated: trials)
      try writeAtomically(log.json(), to: (path as NSString).appendingPathComponent(logName))
      if let shard {
        print("shard \(shard): \(simulated.count) cells simulated, \(reused.count) kept (\(trials) trials in "
              + String(format: "%.1f s", seconds) + "), stored in \(folder.cellsPath)")
        print("when every shard has finished: syntharm merge \(path)")
        return
      }
      let (storedManifest, cells) = try SweepFolder.completeCells([folder])
      let results = RunReport(manifest: storedManifest, cells: cells)
      try results.write(to: path)
      print(SweepText.text(results, trials: trials, seconds: seconds))
      print("wrote " + results.fileNames.map { "\(path)/\($0)" }.joined(separator: ", "))
      if report { print("report: " + (try results.writeHTML(to: (path as NSString).appendingPathComponent("report.html")))) }
    }

    static func seconds(_ d: Duration) -> Double {
      Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }
  }

  struct Merge: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Combine the cells of a sharded run into its outputs.",
      discussion: """
        Reads the finished cells in each FOLDER's cells/ (the --output of `syntharm run \\
        --shard`) and writes operating-characteristics.csv, savings.csv and results.json, \\
        identical byte for byte to those of the same run unsharded. Fails, writing nothing, \\
        when a cell is missing or the cells come from different runs.
        """)

    @Argument(help: "Output folders of the shards (one shared folder, or one per shard).")
    var folders: [String]

    @Option(help: "Where to write the outputs (default: the first folder).")
    var output: String?

    @Flag(help: "Also write the HTML report (report.html) beside the outputs.")
    var report = false

    func validate() throws {
      if folders.isEmpty { throw ValidationError("give at least one folder") }
    }

    func run() throws {
      let results: RunReport
      do {
        let (manifest, cells) = try SweepFolder.completeCells(folders.map(SweepFolder.init(path:)))
        results = RunReport(manifest: manifest, cells: cells)
      } catch {
        printError("error: \(error)")
        throw ExitCode.failure
      }
      let path = output ?? folders[0]
      try results.write(to: path)
      print(SweepText.text(results, trials: nil, seconds: nil))
      print("wrote " + results.fileNames.map { "\(path)/\($0)" }.joined(separator: ", "))
      if report { print("report: " + (try results.writeHTML(to: (path as NSString).appendingPathComponent("report.html")))) }
    }
  }
}
