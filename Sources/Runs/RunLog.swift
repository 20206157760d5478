// RunLog.swift — run-log.json: wall time, threads and which cells a run (or shard) simulated or
// kept. Kept apart from the results, which must not depend on timing, threads or sharding.

import Foundation

/// How long a run took and where: kept apart from the results, which must not depend on it.
public struct RunLog: Sendable, Codable {
  public var tool: String
  public var scenario: String
  public var shard: String?
  public var threads: Int
  public var cellsSimulated: [String]
  public var cellsReused: [String]
  public var wallSeconds: Double
  public var trialsSimulated: Int

  public init(
    tool: String, scenario: String, shard: String?, threads: Int, cellsSimulated: [String], cellsReused: [String],
    wallSeconds: Double, trialsSimulated: Int
  ) {
    self.tool = tool
    self.scenario = scenario
    self.shard = shard
    self.threads = threads
    self.cellsSimulated = cellsSimulated
    self.cellsReused = cellsReused
    self.wallSeconds = wallSeconds
    self.trialsSimulated = trialsSimulated
  }

  public func json() throws -> String { try ReportJSON.text(self) }
}
