// AtomicFileTests.swift — the library side of "writes that never destroy": AtomicFile writes
// whole files only over regular files or nothing, the folder lock refuses a second holder, and
// ids that would leave the output folder are refused. The CLI tests check the same through the
// binary (SafeOutputTests).

import Foundation
import Runs
import TestSupport
import Testing
import TrialSpec

@Suite("AtomicFile, RunLock and safe ids", .tags(.unit))
struct AtomicFileTests {
  static func folder() throws -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("atomic-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
  }

  @Test("a regular file is replaced whole; a FIFO, a link, a folder and /dev/null are refused and left as they were")
  func targets() throws {
    let root = try Self.folder()
    defer { try? FileManager.default.removeItem(atPath: root) }
    let file = root + "/sub/a.txt"
    try AtomicFile.write("one", to: file)
    try AtomicFile.write("two", to: file)
    #expect(try String(contentsOfFile: file, encoding: .utf8) == "two")
    #expect(mkfifo(root + "/fifo", 0o644) == 0)
    try FileManager.default.createSymbolicLink(atPath: root + "/link", withDestinationPath: file)
    try FileManager.default.createDirectory(atPath: root + "/dir", withIntermediateDirectories: true)
    for (path, kind) in [
      (root + "/fifo", "a FIFO (named pipe)"), (root + "/link", "a symbolic link"), (root + "/dir", "a folder"),
      ("/dev/null", "a character device"),
    ] {
      #expect(throws: FileWriteError.notARegularFile(path: path, kind: kind)) { try AtomicFile.write("x", to: path) }
    }
    #expect(try String(contentsOfFile: file, encoding: .utf8) == "two")
    var info = stat()
    #expect(lstat("/dev/null", &info) == 0 && info.st_mode & S_IFMT == S_IFCHR)
    let hidden =
      try FileManager.default.contentsOfDirectory(atPath: root).filter { $0.hasPrefix(".") }
      + FileManager.default.contentsOfDirectory(atPath: root + "/sub").filter { $0.hasPrefix(".") }
    #expect(hidden.isEmpty, "temporary files left: \(hidden)")
  }

  @Test("file errors in plain words with the path")
  func plainErrors() throws {
    let root = try Self.folder()
    defer { try? FileManager.default.removeItem(atPath: root) }
    try AtomicFile.write("x", to: root + "/plain")
    #expect(throws: FileWriteError.self) { try AtomicFile.write("y", to: root + "/plain/inner.txt") }
    do { try AtomicFile.write("y", to: root + "/plain/inner.txt") } catch {
      #expect(error.description.contains(root + "/plain"))
      #expect(!error.description.contains("NSCocoaErrorDomain"))
    }
    let missing = NSError(domain: NSCocoaErrorDomain, code: CocoaError.Code.fileReadNoSuchFile.rawValue)
    #expect(FileErrorText.plain(missing) == "no such file")
  }

  @Test("paths are checked to stay inside their folder")
  func inside() throws {
    #expect(throws: Never.self) { try AtomicFile.checkInside("/out/cells/000-a.json", folder: "/out/cells") }
    #expect(throws: FileWriteError.self) { try AtomicFile.checkInside("/out/cells/001-x/../../../escape.json", folder: "/out/cells") }
    #expect(throws: FileWriteError.self) { try AtomicFile.checkInside("/out/cells", folder: "/out/cells") }
    let folder = SweepFolder(path: "/out")
    #expect(throws: SweepFolderError.self) { try folder.checkedCellFile(index: 1, id: "x/../../../escape") }
  }

  @Test(
    "the rule for ids that name files",
    arguments: [
      ("as-written", true), ("age_70.v2", true), ("", false), (".hidden", false), ("a..b", false), ("x/y", false), ("a b", false),
      (String(repeating: "a", count: 64), true), (String(repeating: "a", count: 65), false), ("é", false),
    ])
  func safeIDs(_ id: String, _ safe: Bool) {
    #expect(SafeIdentifier.isSafe(id) == safe, "\(id)")
  }

  @Test("a second whole-folder lock is refused naming the holder; shards share the folder but not a shard")
  func lock() throws {
    let root = try Self.folder()
    defer { try? FileManager.default.removeItem(atPath: root) }
    let first = try RunLock(folder: root, holder: .whole(command: "syntharm run a.yaml"))
    do {
      _ = try RunLock(folder: root, holder: .whole(command: "syntharm run b.yaml"))
      Issue.record("a second lock was granted")
    } catch {
      #expect(error.description.contains("syntharm run a.yaml (pid \(getpid()) on host"), "\(error)")
    }
    first.release()
    #expect(!FileManager.default.fileExists(atPath: root + "/.syntharm.lock"))

    let one = try RunLock(folder: root, holder: .shard(index: 1, count: 2))
    let two = try RunLock(folder: root, holder: .shard(index: 2, count: 2))
    #expect(throws: RunLockError.self) { try RunLock(folder: root, holder: .shard(index: 1, count: 2)) }
    #expect(throws: RunLockError.self) { try RunLock(folder: root, holder: .whole(command: "syntharm merge")) }
    one.release()
    two.release()
    let left = try FileManager.default.contentsOfDirectory(atPath: root)
    #expect(left.isEmpty, "left: \(left)")
  }
}
