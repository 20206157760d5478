// SweepFolder.swift — the output folder of a run (Docs/Methods.md, determinism; Docs/Architecture.md, bad input). Every finished cell is
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
    var inputs = [
      Input(role: "scenario", file: scenario.file, sha256: ""), Input(role: "protocol", file: scenario.protocolPath, sha256: ""),
    ]
    if let reference = scenario.trialProtocol.reference {
      inputs.append(Input(role: "reference data", file: reference.resolvedDataPath, sha256: ""))
    }
    for k in inputs.indices {
      inputs[k].sha256 = try FileDigest.sha256(ofFile: inputs[k].file)
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
  /// Files in cells/ that are not cells of this run: merge would refuse the folder.
  case strayCells(String, [String])
  /// A cell whose id cannot name a file (the scenario loader refuses such ids).
  case unsafeCellID(String, String)

  public var description: String {
    switch self {
    case .unreadable(let file, let why): return "\(file): not a SynthArm cell file (\(why)); remove it and rerun that cell"
    case .mixedRuns(let file, let other):
      return
        "\(file) was made by a different run than \(other) (scenario, inputs or settings differ); remove the stale files or merge each run's folder on its own"
    case .missingCells(let folder, let ids):
      return
        "\(folder): cells not finished yet: \(ids.joined(separator: ", ")); run the missing shards (or rerun `syntharm run` on the same folder) before merging"
    case .noCells(let folder): return "\(folder): no finished cells (expected files in its cells/ folder)"
    case .strayCells(let folder, let files):
      return "\(folder) holds files that are not cells of this run: \(files.joined(separator: "; ")); "
        + "merge would refuse them: remove them, or give this run another --output folder"
    case .unsafeCellID(let id, let problem): return "sweep cell id '\(id)' \(problem)"
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

  /// The file of cell `index`, checked to be one plain name inside `cells/`.
  public func checkedCellFile(index: Int, id: String) throws -> String {
    if let problem = SafeIdentifier.problem(id) { throw SweepFolderError.unsafeCellID(id, problem) }
    let file = cellFile(index: index, id: id)
    try AtomicFile.checkInside(file, folder: cellsPath)
    return file
  }

  public func store(_ cell: CellResult, manifest: RunManifest) throws {
    let file = try checkedCellFile(index: cell.index, id: cell.id)
    try AtomicFile.write(try ReportJSON.text(StoredCell(manifest: manifest, cell: cell), snakeCase: false), to: file)
  }

  /// Checks, before anything is simulated, that a run (or shard) of `manifest` computing the
  /// cells `mine` can write its results: the folder and cells/ can be created and written, every
  /// file it will write (`mine`'s cells and `files`, names in the folder) is inside the folder
  /// and absent or a regular file, and cells/ holds nothing that would make merge refuse the
  /// folder (a .json file that is not one of this run's cells).
  /// - Throws: ``FileWriteError`` or ``SweepFolderError``.
  public func prepare(manifest: RunManifest, cells mine: [Int], files: [String]) throws {
    try AtomicFile.checkWritableFolder(path)
    try AtomicFile.checkWritableFolder(cellsPath)
    for index in mine { try AtomicFile.checkTarget(try checkedCellFile(index: index, id: manifest.cells[index])) }
    for name in files {
      let file = (path as NSString).appendingPathComponent(name)
      try AtomicFile.checkInside(file, folder: path)
      try AtomicFile.checkTarget(file)
    }
    var expected = Set<String>()
    for (index, id) in manifest.cells.enumerated() {
      expected.insert((try checkedCellFile(index: index, id: id) as NSString).lastPathComponent)
    }
    var stray: [String] = []
    for name in ((try? FileManager.default.contentsOfDirectory(atPath: cellsPath)) ?? []).sorted()
    where name.hasSuffix(".json") && !name.hasPrefix(".") && !expected.contains(name) {
      let file = (cellsPath as NSString).appendingPathComponent(name)
      if let stored = try? load(file) {
        stray.append("\(file) (cell '\(stored.cell.id)' of scenario '\(stored.manifest.scenario)')")
      } else {
        stray.append("\(file) (not a SynthArm cell file)")
      }
    }
    if !stray.isEmpty { throw SweepFolderError.strayCells(path, stray) }
  }

  /// Every stored cell of `folders` (one run's shards), in cell order, checked to come from one
  /// run and to be complete. A cell stored in several folders must be the same cell.
  public static func completeCells(_ folders: [SweepFolder]) throws -> (RunManifest, [CellResult]) {
    var manifest: RunManifest?
    var first = ""
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
      let folder = (file as NSString).deletingLastPathComponent
      let name = (file as NSString).lastPathComponent
      for entry in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] where entry.hasPrefix(".\(name).tmp-") {
        try? FileManager.default.removeItem(atPath: (folder as NSString).appendingPathComponent(entry))
      }
    }
  }

  func load(_ file: String) throws -> StoredCell {
    // Never open a FIFO or a device: reading one blocks or never ends.
    var info = stat()
    guard lstat(file, &info) == 0 else { throw SweepFolderError.unreadable(file, errnoText(errno)) }
    if let kind = AtomicFile.kind(info.st_mode) { throw SweepFolderError.unreadable(file, "it is \(kind)") }
    let data: Data
    do { data = try Data(contentsOf: URL(fileURLWithPath: file)) } catch {
      throw SweepFolderError.unreadable(file, FileErrorText.plain(error))
    }
    do {
      return try ReportJSON.decode(StoredCell.self, from: data)
    } catch {
      throw SweepFolderError.unreadable(file, FileErrorText.plain(error))
    }
  }
}
