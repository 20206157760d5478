// Run.swift — `syntharm run SCENARIO`: Monte Carlo trials for every sweep cell, conventional vs
// augmented control arms, and the savings search. Parses, calls Reporting/Simulation, prints the
// tables; every cell is stored as it finishes, so a rerun resumes and shards can be merged.

import ArgumentParser
import Foundation
import Reporting
import Runs
import Simulation
import TrialSpec

extension Shard: ExpressibleByArgument {
  public init?(argument: String) { self.init(parsing: argument) }
}

extension SynthArmCommand {
  struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Simulate the scenario's trials for every sweep cell: operating characteristics and real patients saved.",
      discussion: """
        Writes operating-characteristics.csv, savings.csv (when the scenario asks) and \
        results.json into the scenario's output folder (or --output); each finished cell is \
        kept in its cells/ folder, so a rerun skips finished cells. Results are identical for \
        any --threads and any sharding. Power is the rejection rate when HR < 1, type-I error \
        when HR = 1; ± is one Monte Carlo SE.

        Before simulating, the run locks its folder (.syntharm.lock: a second run into it fails \
        at once; shards of one sweep share it) and checks that it can write every file. A cell \
        that cannot be simulated is shown as NA, never as 0 %, and makes the run exit with \
        status 1 after writing its outputs, unless --allow-failed-cells is given.
        """)

    @Argument(help: "A scenario YAML file.")
    var scenarioFile: String

    @Option(help: "Trials per design and truth (default: the scenario's replicates).")
    var replicates: Int?

    @Option(help: "Output folder (default: the scenario's output).")
    var output: String?

    @Option(help: "Worker threads (default: all cores).")
    var threads: Int?

    @Option(help: "Master seed (default: the scenario's seed); an independent re-run with another seed checks Monte Carlo results.")
    var seed: UInt64?

    @Option(
      help: ArgumentHelp(
        "Run only shard I of N (1-based): cells k with k mod N = I − 1. Combine the shards with `syntharm merge`.",
        valueName: "I/N"))
    var shard: Shard?

    @Option(help: "Patients per arm of the large-sample trial that gives the estimand.")
    var estimandPatients = 200_000

    @Flag(help: "Fit the synthetic-control generator once instead of on a bootstrap resample in every replicate.")
    var noRefit = false

    @Flag(help: "No progress on stderr (neither the bar on a terminal nor the lines every 10 s in a log).")
    var quiet = false

    @Flag(help: "Also write the HTML report (report.html) beside the outputs (not for a shard: use `merge --report`).")
    var report = false

    @Flag(help: "Exit with status 0 even when some cells could not be simulated (their rates are NA).")
    var allowFailedCells = false

    /// Seconds between progress lines when stderr is not a terminal (tests use 0).
    @Option(help: ArgumentHelp("Seconds between progress lines when stderr is not a terminal.", visibility: .hidden))
    var progressInterval: Double = 10

    func validate() throws {
      if let replicates, replicates < 1 { throw ValidationError("--replicates must be at least 1.") }
      if let threads, threads < 1 { throw ValidationError("--threads must be at least 1.") }
      if estimandPatients < 1_000 { throw ValidationError("--estimand-patients must be at least 1000.") }
      if !(progressInterval >= 0) { throw ValidationError("--progress-interval must be at least 0.") }
    }

    func run() throws {
      var scenario = try Scenario.load(path: scenarioFile)
      if let seed { scenario.seed = seed }
      guard let path = output ?? scenario.output else {
        throw CLIError("the scenario \(scenarioFile) has no 'output' folder; give --output DIR")
      }
      if let shard, shard.count > scenario.sweep.count {
        printWarning("--shard \(shard) with only \(scenario.sweep.count) cells: some shards have nothing to do")
      }
      let settings = RunSettings(replicates: replicates ?? scenario.replicates, refit: !noRefit, estimandPatients: estimandPatients)
      let sweep = try SweepRun(scenario: scenario, settings: settings, output: path, shard: shard, toolVersion: SynthArmVersion.current)
      if let selection = sweep.generatorSelection { printSelection(selection) }
      let outputs = shard == nil ? RunReport.outputNames + (report ? ["report.html"] : []) : []
      // Before anything is simulated: the folder's lock, then (in `simulate`) every file this run will write.
      let lock = try sweep.lock(command: "syntharm run \(scenarioFile)")
      defer { lock.release() }
      lock.warnings.forEach(printWarning)
      Self.warnAboutFewReplicates(settings.replicates)

      let workers = threads ?? ProcessInfo.processInfo.activeProcessorCount
      let progress = ProgressReporter(quiet: quiet, logInterval: progressInterval)
      let quiet = self.quiet
      let summary = try sweep.simulate(threads: workers, outputs: outputs) { event in
        switch event {
        case .cellKept(_, let id):
          if !quiet { printError("cell \(id): finished earlier, kept") }
        case .cellStarted(let index, let count, let id):
          progress.start("cell \(index + 1)/\(count) \(id)")
        case .progress(let done, let total):
          progress.update(done: done, total: total)
        case .cellFinished(let cell):
          progress.finish()
          if let warning = cell.supportWarning, !quiet { progress.note("warning: \(warning)") }
          if let failure = cell.failure { progress.note("warning: \(failure)") }
        }
      }
      if let shard {
        print(
          "shard \(shard): \(summary.simulated.count) cells simulated, \(summary.reused.count) kept (\(summary.trials) trials in "
            + String(format: "%.1f s", summary.wallSeconds) + "), stored in \(sweep.folder.cellsPath)")
        print("when every shard has finished: syntharm merge \(path)")
        try Self.checkFailedCells(
          RunReport(manifest: sweep.manifest, cells: summary.cells).failedCells, of: scenario.sweep.count,
          allowed: allowFailedCells)
        return
      }
      let (storedManifest, cells) = try SweepFolder.completeCells([sweep.folder])
      let results = RunReport(manifest: storedManifest, cells: cells)
      try results.write(to: path)
      print(SweepText.text(results, trials: summary.trials, seconds: summary.wallSeconds))
      print("wrote " + results.fileNames.map { "\(path)/\($0)" }.joined(separator: ", "))
      if report { print("report: " + (try results.writeHTML(to: (path as NSString).appendingPathComponent("report.html")))) }
      try Self.checkFailedCells(results.failedCells, of: cells.count, allowed: allowFailedCells)
    }

    /// `warning: with N replicates the Monte Carlo SEs are too rough to read` below 100.
    static func warnAboutFewReplicates(_ replicates: Int) {
      guard replicates < 100 else { return }
      if replicates == 1 {
        printWarning(
          "with 1 replicate the Monte Carlo SEs are too rough to read: with a single trial there is no Monte Carlo SE at all (shown as NA)")
      } else {
        printWarning("with \(replicates) replicates the Monte Carlo SEs are too rough to read")
      }
    }

    /// A cell without a result is an error (exit 1) after the outputs are written, or a warning
    /// with `--allow-failed-cells`.
    static func checkFailedCells(_ failed: [(id: String, reason: String)], of count: Int, allowed: Bool) throws {
      guard !failed.isEmpty else { return }
      let list = failed.map(\.id).joined(separator: ", ")
      let head = "\(failed.count) of \(count) cells could not be simulated, their rates are NA: \(list)"
      let reasons = failed.map { "  \($0.reason)" }.joined(separator: "\n")
      if allowed {
        printWarning(head + " (accepted: --allow-failed-cells)\n" + reasons)
        return
      }
      printError(
        "error: " + head + "\n" + reasons
          + "\n  the outputs are written so that you can look; give --allow-failed-cells to accept a run with failed cells")
      throw ExitCode.failure
    }
  }

  struct Merge: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Combine the cells of a sharded run into its outputs.",
      discussion: """
        Reads the finished cells in each FOLDER's cells/ (the --output of `syntharm run \
        --shard`) and writes operating-characteristics.csv, savings.csv and results.json, \
        identical byte for byte to those of the same run unsharded. Fails, writing nothing, \
        when a cell is missing, the cells come from different runs, another run holds the \
        output folder, or something other than a regular file sits at an output path. Exits \
        with status 1 (after writing) when a cell could not be simulated, unless \
        --allow-failed-cells is given.
        """)

    @Argument(help: "Output folders of the shards (one shared folder, or one per shard).")
    var folders: [String]

    @Option(help: "Where to write the outputs (default: the first folder).")
    var output: String?

    @Flag(help: "Also write the HTML report (report.html) beside the outputs.")
    var report = false

    @Flag(help: "Exit with status 0 even when some cells could not be simulated (their rates are NA).")
    var allowFailedCells = false

    func validate() throws {
      if folders.isEmpty { throw ValidationError("give at least one folder") }
    }

    func run() throws {
      let (manifest, cells) = try SweepFolder.completeCells(folders.map(SweepFolder.init(path:)))
      let results = RunReport(manifest: manifest, cells: cells)
      let path = output ?? folders[0]
      for name in results.fileNames + (report ? ["report.html"] : []) {
        try checkOutputTarget((path as NSString).appendingPathComponent(name))
      }
      let lock = try RunLock(folder: path, holder: .whole(command: "syntharm merge"))
      defer { lock.release() }
      lock.warnings.forEach(printWarning)
      Run.warnAboutFewReplicates(manifest.settings.replicates)
      try results.write(to: path)
      print(SweepText.text(results, trials: nil, seconds: nil))
      print("wrote " + results.fileNames.map { "\(path)/\($0)" }.joined(separator: ", "))
      if report { print("report: " + (try results.writeHTML(to: (path as NSString).appendingPathComponent("report.html")))) }
      try Run.checkFailedCells(results.failedCells, of: cells.count, allowed: allowFailedCells)
    }
  }
}
