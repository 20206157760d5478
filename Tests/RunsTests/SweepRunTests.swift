// SweepRunTests.swift — a run is a library call: two shards run into one folder and merged give
// the same cells, byte for byte, as the unsharded run (regression test of determinism across
// sharding); a second run into a finished folder keeps every cell; the lock refuses a second
// whole run into a held folder. No command-line code is involved.

import Foundation
import Runs
import TestSupport
import Testing
import TrialSpec

@Suite("Runs as a library")
struct SweepRunTests {
  static func scenario() throws -> Scenario {
    var s = try Scenario.load(path: Fixtures.fixturePath("Scenarios/sweep-small.yaml"))
    s.sweep = Array(s.sweep.prefix(2))
    return s
  }

  static let settings = RunSettings(replicates: 6, estimandPatients: 2_000)

  static func folder(_ name: String) -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent("syntharm-runs-\(name)-\(UUID().uuidString)").path
  }

  static func encoded(_ cells: [CellResult]) throws -> String { try ReportJSON.text(cells, snakeCase: false) }

  @Test("two shards merged give the unsharded run's cells; a rerun keeps them; a held folder is refused")
  func shardAndMerge() throws {
    let scenario = try Self.scenario()
    let single = Self.folder("single")
    let shared = Self.folder("shared")
    defer { for f in [single, shared] { try? FileManager.default.removeItem(atPath: f) } }

    let whole = try SweepRun(scenario: scenario, settings: Self.settings, output: single, toolVersion: "test")
    let lock = try whole.lock(command: "test")
    // A second whole run into the same folder is refused while the first holds it.
    #expect(throws: RunLockError.self) { _ = try whole.lock(command: "second") }
    let first = try whole.simulate(threads: 2)
    lock.release()
    #expect(first.simulated == scenario.sweep.map(\.id))
    #expect(first.trials > 0)

    var shardCells: [CellResult] = []
    for index in 1...2 {
      let shard = try #require(Shard(index: index, count: 2))
      let run = try SweepRun(scenario: scenario, settings: Self.settings, output: shared, shard: shard, toolVersion: "test")
      let held = try run.lock(command: "test")
      defer { held.release() }
      let summary = try run.simulate(threads: 1)
      #expect(summary.cells.map(\.index) == run.cellIndices)
      shardCells += summary.cells
    }
    #expect(shardCells.count == 2)
    let (manifest, merged) = try SweepFolder.completeCells([SweepFolder(path: shared)])
    let (singleManifest, unsharded) = try SweepFolder.completeCells([SweepFolder(path: single)])
    #expect(manifest == singleManifest)
    #expect(try Self.encoded(merged) == Self.encoded(unsharded))

    // Resume: every cell was finished, so nothing is simulated again.
    let again = try SweepRun(scenario: scenario, settings: Self.settings, output: single, toolVersion: "test")
    let relock = try again.lock(command: "test")
    defer { relock.release() }
    let rerun = try again.simulate(threads: 2)
    #expect(rerun.simulated.isEmpty)
    #expect(rerun.reused == scenario.sweep.map(\.id))
    #expect(try Self.encoded(rerun.cells) == Self.encoded(unsharded))
  }
}
