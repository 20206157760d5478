// SweepFolder.swift — the output folder of a run (DESIGN.md §4, §6). Every finished cell is
// stored as cells/NNN-ID.json, written to a temporary file and renamed, so a run killed at any
// moment leaves only whole files; a rerun skips the cells already there, and shards writing into
// one folder (or several, merged) give the same cells as a single run. The outputs are assembled
// from the stored cells alone, by the same code for a run and for `merge`, so they are identical
// byte for byte.

import Foundation
import TrialSpec

/// What made a run's results, stored with every cell: a stored cell is reused only by a run
/// with an equal manifest (same inputs byte for byte, seed and settings).
public struct RunManifest: Sendable, Codable, Equatable {
  public struct Input: Sendable, Codable, Equatable {
    public var role: String
    /// The file's name (not its path: shards may run from different folders).
    public var file: String
    public var sha256: String
  }

  public var tool: String
  public var scenario: String
  public var seed: UInt64
  public var settings: RunSettings
  public var inputs: [Input]
  /// The sweep's cells in order.
  public var cells: [String]

  public init(scenario: Scenario, settings: RunSettings, toolVersion: String) throws {
    var inputs = [Input(role: "scenario", file: scenario.file, sha256: ""), Input(role: "protocol", file: scenario.protocolPath, sha256: "")]
    if let reference = scenario.trialProtocol.reference { inputs.append(Input(role: "reference data", file: reference.resolvedDataPath, sha256: "")) }
    for k in inputs.indices {
      inputs[k].sha256 = try SyntheticDataCard.sha256(ofFile: inputs[k].file)
      inputs[k].file = (inputs[k].file as NSString).lastPathComponent
    }
    tool = "syntharm \(toolVersion)"
    self.scenario = scenario.id
    seed = scenario.seed
    self.settings = settings
    self.inputs = inputs
    cells = scenario.sweep.map(\.id)
  }
}

/// One stored cell with the manifest of the run that made it.
public struct StoredCell: Sendable, Codable {
  public var manifest: RunManifest
  public var cell: CellResult
}

public enum SweepFolderError: Error, CustomStringConvertible {
  case unreadable(String, String)
  case mixedRuns(String, String)
  case missingCells(String, [String])
  case noCells(String)
  case cannotWrite(String, String)

  public var description: String {
    switch self {
    case .unreadable(let file, let why): return "\(file): not a SynthArm cell file (\(why)); remove it and rerun that cell"
    case .mixedRuns(let file, let other):
      return "\(file) was made by a different run than \(other) (scenario, inputs or settings differ); remove the stale files or merge each run's folder on its own"
    case .missingCells(let folder, let ids):
      return "\(folder): cells not finished yet: \(ids.joined(separator: ", ")); run the missing shards (or rerun `syntharm run` on the same folder) before merging"
    case .noCells(let folder): return "\(folder): no finished cells (expected files in its cells/ folder)"
    case .cannotWrite(let path, let why): return "cannot write \(path): \(why)"
    }
  }
}

public struct SweepFolder: Sendable {
  public let path: String
  public var cellsPath: String { (path as NSString).appendingPathComponent("cells") }

  public init(path: String) { self.path = path }

  public func cellFile(index: Int, id: String) -> String {
    (cellsPath as NSString).appendingPathComponent(String(format: "%03d-", index) + id + ".json")
  }

  /// The stored cell `index`, when it was made by the run with this manifest.
  public func finishedCell(index: Int, id: String, manifest: RunManifest) -> CellResult? {
    guard let stored = try? load(cellFile(index: index, id: id)), stored.manifest == manifest, stored.cell.index == index else {
      return nil
    }
    return stored.cell
  }

  public func store(_ cell: CellResult, manifest: RunManifest) throws {
    try AtomicFile.write(try ReportJSON.text(StoredCell(manifest: manifest, cell: cell), snakeCase: false), to: cellFile(index: cell.index, id: cell.id))
  }

  /// Every stored cell of `folders` (one run's shards), in cell order, checked to come from one
  /// run and to be complete. A cell stored in several folders must be the same cell.
  public static func completeCells(_ folders: [SweepFolder]) throws -> (RunManifest, [CellResult]) {
    var manifest: RunManifest?, first = ""
    var cells: [Int: CellResult] = [:]
    for folder in folders {
      let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder.cellsPath)) ?? [])
        .filter { $0.hasSuffix(".json") && !$0.hasPrefix(".") }.sorted()
      for name in names {
        let file = (folder.cellsPath as NSString).appendingPathComponent(name)
        let stored = try folder.load(file)
        if let manifest, stored.manifest != manifest { throw SweepFolderError.mixedRuns(file, first) }
        if manifest == nil { (manifest, first) = (stored.manifest, file) }
        cells[stored.cell.index] = stored.cell
      }
    }
    guard let manifest else { throw SweepFolderError.noCells(folders.map(\.path).joined(separator: ", ")) }
    let missing = manifest.cells.indices.filter { cells[$0] == nil }.map { manifest.cells[$0] }
    guard missing.isEmpty else { throw SweepFolderError.missingCells(folders.map(\.path).joined(separator: ", "), missing) }
    return (manifest, manifest.cells.indices.map { cells[$0]! })
  }

  /// Removes the temporary files a killed run left behind for `files` (paths in this folder).
  /// Only those: shards sharing the folder may be writing their own at this moment.
  public func removeTemporaries(of files: [String]) {
    for file in files {
      let folder = (file as NSString).deletingLastPathComponent, name = (file as NSString).lastPathComponent
      for entry in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] where entry.hasPrefix(".\(name).tmp-") {
        try? FileManager.default.removeItem(atPath: (folder as NSString).appendingPathComponent(entry))
      }
    }
  }

  func load(_ file: String) throws -> StoredCell {
    do {
      return try ReportJSON.decode(StoredCell.self, from: Data(contentsOf: URL(fileURLWithPath: file)))
    } catch {
      throw SweepFolderError.unreadable(file, "\(error)")
    }
  }
}

/// Files written whole or not at all.
public enum AtomicFile {
  /// Writes `text` to a temporary file beside `path` and renames it over `path` (atomic on POSIX
  /// file systems): readers see the old file or the new one, never part of one.
  public static func write(_ text: String, to path: String) throws {
    let url = URL(fileURLWithPath: path)
    do {
      try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    } catch {
      throw SweepFolderError.cannotWrite(path, error.localizedDescription)
    }
    let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).tmp-\(getpid())")
    do {
      try Data(text.utf8).write(to: temporary)
    } catch {
      throw SweepFolderError.cannotWrite(path, error.localizedDescription)
    }
    guard rename(temporary.path, path) == 0 else {
      let reason = String(cString: strerror(errno))
      try? FileManager.default.removeItem(at: temporary)
      throw SweepFolderError.cannotWrite(path, reason)
    }
  }
}
