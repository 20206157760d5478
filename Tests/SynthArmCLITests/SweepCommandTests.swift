// SweepCommandTests.swift — sharded sweeps, merge and resume through the command line: the
// outputs of every route are the single run's, byte for byte, and a killed run resumes.

import Foundation
import TestSupport
import Testing

@Suite("syntharm run --shard, merge and resume", .tags(.regression))
struct SweepCommandTests {
  static let scenario = "Tests/Fixtures/Scenarios/sweep-small.yaml"
  static let outputs = ["operating-characteristics.csv", "savings.csv", "results.json"]
  /// A small estimand trial keeps the debug build quick; every route uses the same settings.
  static let settings = ["--estimand-patients", "2000", "--quiet"]

  static func temporaryFolder(_ name: String) -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent("syntharm-\(name)-\(UUID().uuidString)").path
  }

  static func bytes(_ folder: String) throws -> [Data] {
    try outputs.map { try Data(contentsOf: URL(fileURLWithPath: folder + "/" + $0)) }
  }

  @Test("two shards in one folder, or in two merged folders, give the single run's outputs; a killed run resumes to them")
  func shardsMergeAndResume() throws {
    let single = Self.temporaryFolder("single")
    let shared = Self.temporaryFolder("shared")
    let first = Self.temporaryFolder("shard1")
    let second = Self.temporaryFolder("shard2")
    let killed = Self.temporaryFolder("killed")
    defer { for f in [single, shared, first, second, killed] { try? FileManager.default.removeItem(atPath: f) } }

    let run = try runSynthArm(["run", Self.scenario, "--output", single, "--threads", "2"] + Self.settings)
    #expect(run.status == 0, "stderr: \(run.err)")
    let expected = try Self.bytes(single)

    // Shards into one shared folder, with different thread counts: only merge writes outputs.
    for (shard, threads) in [("1/2", "1"), ("2/2", "2")] {
      let r = try runSynthArm(["run", Self.scenario, "--output", shared, "--shard", shard, "--threads", threads] + Self.settings)
      #expect(r.status == 0, "stderr: \(r.err)")
      #expect(r.out.contains("syntharm merge"))
    }
    #expect(!FileManager.default.fileExists(atPath: shared + "/results.json"))
    let merged = try runSynthArm(["merge", shared])
    #expect(merged.status == 0, "stderr: \(merged.err)")
    #expect(try Self.bytes(shared) == expected)

    // Shards into separate folders, merged into a third.
    for (shard, folder) in [("1/2", first), ("2/2", second)] {
      #expect(try runSynthArm(["run", Self.scenario, "--output", folder, "--shard", shard] + Self.settings).status == 0)
    }
    let incomplete = try runSynthArm(["merge", first])
    #expect(incomplete.status == 1)
    #expect(incomplete.err.contains("cells not finished yet: age-70, no-EX1"), "stderr: \(incomplete.err)")
    let target = first + "/merged"
    #expect(try runSynthArm(["merge", first, second, "--output", target]).status == 0)
    #expect(try Self.bytes(target) == expected)

    // Killed after its first cell: whole files only, and the rerun keeps that cell.
    try Self.killAfterFirstCell(["run", Self.scenario, "--output", killed, "--threads", "1"] + Self.settings, folder: killed)
    #expect(!FileManager.default.fileExists(atPath: killed + "/results.json"))
    let cells = try FileManager.default.contentsOfDirectory(atPath: killed + "/cells").filter { !$0.hasPrefix(".") }
    #expect(!cells.isEmpty && cells.count < 4, "cells stored before the kill: \(cells)")
    for name in cells {
      #expect(throws: Never.self) {
        try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: killed + "/cells/" + name)))
      }
    }
    let resumed = try runSynthArm(["run", Self.scenario, "--output", killed] + Self.settings.filter { $0 != "--quiet" })
    #expect(resumed.status == 0, "stderr: \(resumed.err)")
    #expect(resumed.err.contains("cell as-written: finished earlier, kept"))
    #expect(try Self.bytes(killed) == expected)
    let leftovers = try FileManager.default.contentsOfDirectory(atPath: killed + "/cells").filter { $0.hasPrefix(".") }
    #expect(leftovers.isEmpty, "temporary files left: \(leftovers)")
  }

  /// Starts `syntharm` and kills it (SIGKILL, no chance to clean up) once its first cell is stored.
  static func killAfterFirstCell(_ arguments: [String], folder: String) throws {
    let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("syntharm")
    let process = Process()
    process.executableURL = binary
    process.arguments = arguments
    process.currentDirectoryURL = Fixtures.repositoryRoot
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    let deadline = Date().addingTimeInterval(120)
    let firstCell = folder + "/cells/000-as-written.json"
    while !FileManager.default.fileExists(atPath: firstCell) && process.isRunning && Date() < deadline {
      usleep(20_000)
    }
    kill(process.processIdentifier, SIGKILL)
    process.waitUntilExit()
    #expect(process.terminationReason == .uncaughtSignal, "the run finished before it could be killed")
  }

  @Test("bad --shard values and merging an empty folder are clear errors")
  func badArguments() throws {
    let r = try runSynthArm(["run", Self.scenario, "--shard", "3/2", "--output", "/tmp/never-\(UUID().uuidString)"])
    #expect(r.status != 0)
    #expect(r.err.contains("--shard"))
    let empty = Self.temporaryFolder("empty")
    try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: empty) }
    let m = try runSynthArm(["merge", empty])
    #expect(m.status == 1)
    #expect(m.err.contains("no finished cells"))
  }
}
