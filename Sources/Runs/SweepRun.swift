// SweepRun.swift — a run of a scenario's sweep as a library call (Docs/Architecture.md, "Runs"):
// which cells a shard owns, the lock and the checks made before anything is simulated, resume
// from finished cells, one cell file per simulated cell, the run log, and the complete cells that
// `merge` and the outputs are made from. The command line only parses, calls this and prints;
// a program (or a test) can run a shard and merge shards the same way.

import Foundation
import Simulation
import TrialSpec

/// `--shard I/N`: shard I (1-based) of N runs the cells k with k mod N = I − 1.
public struct Shard: Sendable, Equatable, CustomStringConvertible {
  public let index: Int
  public let count: Int

  public init?(index: Int, count: Int) {
    guard count >= 1, (1...count).contains(index) else { return nil }
    self.index = index
    self.count = count
  }

  /// `I/N`, as written on the command line.
  public init?(parsing text: String) {
    let parts = text.split(separator: "/", omittingEmptySubsequences: false)
    guard parts.count == 2, let i = Int(parts[0]), let n = Int(parts[1]) else { return nil }
    self.init(index: i, count: n)
  }

  public func contains(cell k: Int) -> Bool { k % count == index - 1 }
  public var description: String { "\(index)/\(count)" }
}

/// What a run tells its caller while it works. Cell-level events come from the calling thread;
/// `progress` comes from the engine's worker threads.
public enum RunEvent: Sendable {
  /// A cell stored by an earlier run with the same manifest, reused.
  case cellKept(index: Int, id: String)
  /// A cell about to be simulated (`of` = cells in the whole sweep).
  case cellStarted(index: Int, of: Int, id: String)
  /// `done` of `total` trials of the current cell.
  case progress(done: Int, total: Int)
  /// A cell simulated and stored; its warnings (support, failure) are in the result.
  case cellFinished(CellResult)
}

/// Why a run could not start.
public enum RunSetupError: Error, CustomStringConvertible, Sendable {
  case unreadableInputs(String)
  public var description: String {
    switch self {
    case .unreadableInputs(let why): return "cannot read the scenario's inputs: \(why)"
    }
  }
}

/// What a run (or shard) did.
public struct RunSummary: Sendable {
  /// The cells this run owns, in order: simulated now or kept from an earlier run.
  public var cells: [CellResult]
  public var simulated: [String]
  public var reused: [String]
  /// Trials simulated now (kept cells not counted).
  public var trials: Int
  public var wallSeconds: Double
}

/// One run of a scenario's sweep, or one shard of it, into an output folder.
public struct SweepRun: Sendable {
  public let scenario: Scenario
  public let settings: RunSettings
  public let folder: SweepFolder
  public let shard: Shard?
  public let manifest: RunManifest
  /// How `synthesis.generator: auto` was resolved (nil for a named family).
  public let generatorSelection: GeneratorSelectionReport?

  /// Resolves `generator: auto` once, before any cell (every replicate's refit uses the choice;
  /// the choice depends on the master seed only, so shards agree).
  /// - Throws: ``RunSetupError`` when an input file cannot be read for the manifest,
  ///   ``GeneratorSelectionError`` when no generator configuration passes the gates.
  public init(scenario: Scenario, settings: RunSettings, output: String, shard: Shard? = nil, toolVersion: String) throws {
    var scenario = scenario
    let (resolved, selection) = try GeneratorSelection.resolve(scenario.trialProtocol, seed: scenario.seed)
    scenario.trialProtocol = resolved
    generatorSelection = selection
    self.scenario = scenario
    self.settings = settings
    self.folder = SweepFolder(path: output)
    self.shard = shard
    do {
      manifest = try RunManifest(scenario: scenario, settings: settings, toolVersion: toolVersion)
    } catch {
      throw RunSetupError.unreadableInputs(FileErrorText.plain(error))
    }
  }

  /// The cells this run owns (all of them without a shard).
  public var cellIndices: [Int] { scenario.sweep.indices.filter { shard?.contains(cell: $0) ?? true } }

  /// The run log's file name in the output folder (one per shard, so shards sharing a folder
  /// never write the same file).
  public var logName: String { shard.map { "run-log-shard-\($0.index)-of-\($0.count).json" } ?? "run-log.json" }

  /// Locks the output folder for this run: a second run into it fails at once; the shards of
  /// one sweep share it. Hold the lock until the run's last output is written.
  public func lock(command: String) throws -> RunLock {
    try RunLock(
      folder: folder.path, holder: shard.map { .shard(index: $0.index, count: $0.count) } ?? .whole(command: command))
  }

  /// Simulates the cells this run owns that no earlier run finished, storing each as it
  /// finishes, then writes the run log. Before the first trial it checks that every file it will
  /// write — its cells, the log and `outputs` (names in the folder, written later by the caller)
  /// — can be written, and removes what a killed run left half written.
  /// - Throws: ``FileWriteError`` or ``SweepFolderError`` (nothing simulated).
  public func simulate(
    threads: Int, outputs: [String] = [], events: @escaping @Sendable (RunEvent) -> Void = { _ in }
  ) throws -> RunSummary {
    let mine = cellIndices
    try folder.prepare(manifest: manifest, cells: mine, files: [logName] + outputs)
    folder.removeTemporaries(
      of: mine.map { folder.cellFile(index: $0, id: scenario.sweep[$0].id) }
        + ([logName] + outputs).map { (folder.path as NSString).appendingPathComponent($0) })
    let clock = ContinuousClock()
    let start = clock.now
    var summary = RunSummary(cells: [], simulated: [], reused: [], trials: 0, wallSeconds: 0)
    for index in mine {
      let id = scenario.sweep[index].id
      if let stored = folder.finishedCell(index: index, id: id, manifest: manifest) {
        summary.reused.append(id)
        summary.cells.append(stored)
        events(.cellKept(index: index, id: id))
        continue
      }
      events(.cellStarted(index: index, of: scenario.sweep.count, id: id))
      let cell = SweepCellRunner.run(scenario, cell: index, settings: settings, threads: threads) { done, total in
        events(.progress(done: done, total: total))
      }
      try folder.store(cell, manifest: manifest)
      events(.cellFinished(cell))
      summary.simulated.append(id)
      summary.cells.append(cell)
      summary.trials += cell.trials
    }
    let elapsed = (clock.now - start).components
    summary.wallSeconds = Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18
    let log = RunLog(
      tool: manifest.tool, scenario: scenario.id, shard: shard?.description, threads: threads,
      cellsSimulated: summary.simulated, cellsReused: summary.reused, wallSeconds: summary.wallSeconds,
      trialsSimulated: summary.trials)
    try AtomicFile.write(try log.json(), to: (folder.path as NSString).appendingPathComponent(logName))
    return summary
  }
}
