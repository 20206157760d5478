// RefitKeysTests.swift — `borrowing.refit` and `borrowing.pool_size` as written in a scenario.

import Foundation
import TestSupport
import Testing
import TrialSpec

@Suite("borrowing.refit and pool_size", .tags(.unit))
struct RefitKeysTests {
  /// Loads colon-external-only with `borrowing` replaced by `line` (written beside the original).
  func load(borrowing line: String?) throws -> Scenario {
    var text = try String(contentsOfFile: repoPath("Scenarios/colon-external-only.yaml"), encoding: .utf8)
    if let line { text = text.replacingOccurrences(of: "designs:\n", with: "borrowing: \(line)\ndesigns:\n") }
    let path = repoPath("Scenarios/.refit-keys-\(UUID().uuidString).yaml")
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(atPath: path) }
    return try Scenario.load(path: path)
  }

  @Test("default every; pool with the default size; pool with a given size")
  func values() throws {
    #expect(try load(borrowing: nil).borrowing.refit == .every)
    #expect(try load(borrowing: "{refit: every}").borrowing.refit == .every)
    #expect(try load(borrowing: "{refit: pool}").borrowing.refit == .pool(size: 200))
    #expect(try load(borrowing: "{refit: pool, pool_size: 50}").borrowing.refit == .pool(size: 50))
  }
}
