// SafeOutputTests.swift — every failure is typed, shown and never mistaken for a result; hostile
// input never crashes nor writes where it should not: ids that would leave the output folder,
// targets that are FIFOs, links or devices, a second run into a locked folder, cells that could
// not be simulated, progress on a pipe, one error style and clean help texts.

import Foundation
import TestSupport
import Testing

/// Runs `syntharm` reading stdout and stderr at once (a chatty stderr must not block the child).
private func syntharm(_ arguments: [String]) throws -> (status: Int32, out: String, err: String) {
  let process = try startSynthArm(arguments)
  nonisolated(unsafe) var errData = Data()
  let group = DispatchGroup()
  group.enter()
  let err = process.standardError as! Pipe
  DispatchQueue.global().async {
    errData = err.fileHandleForReading.readDataToEndOfFile()
    group.leave()
  }
  let out = (process.standardOutput as! Pipe).fileHandleForReading.readDataToEndOfFile()
  group.wait()
  process.waitUntilExit()
  #expect(process.terminationReason == .exit, "terminated by a signal: \(arguments)")
  return (process.terminationStatus, String(decoding: out, as: UTF8.self), String(decoding: errData, as: UTF8.self))
}

private func startSynthArm(_ arguments: [String], pipes: Bool = true) throws -> Process {
  let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("syntharm")
  let process = Process()
  process.executableURL = binary
  process.arguments = arguments
  process.currentDirectoryURL = Fixtures.repositoryRoot
  if pipes {
    process.standardOutput = Pipe()
    process.standardError = Pipe()
  } else {
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
  }
  try process.run()
  return process
}

/// A fresh folder under the temporary directory, removed by the caller.
private func temporaryFolder(_ name: String) throws -> String {
  let path = FileManager.default.temporaryDirectory.appendingPathComponent("syntharm-\(name)-\(UUID().uuidString)").path
  try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
  return path
}

private let colonProtocol = Fixtures.repositoryRoot.appendingPathComponent("Protocols/colon-adjuvant-os.yaml").path

/// A small scenario on the colon protocol: one conventional design, the as-written cell and a
/// second cell `second` (YAML flow mapping text, e.g. `{id: age-70, …}`).
private func scenarioText(id: String = "safe-ids", design: String = "conventional", second: String) -> String {
  """
  syntharm: 1
  id: \(id)
  protocol: \(colonProtocol)
  seed: 7
  replicates: 4
  truth: {hazard_ratio: [1.0]}
  designs:
    - {id: \(design), experimental: 40, real_controls: 40}
  sweep:
    eligibility:
      - {id: as-written}
      - \(second)

  """
}

private let quick = ["--estimand-patients", "1000", "--quiet"]

private func fileType(_ path: String) -> mode_t? {
  var info = stat()
  return lstat(path, &info) == 0 ? info.st_mode & S_IFMT : nil
}

// MARK: - Ids that become file names

@Suite("Ids that name files are safe", .tags(.regression))
struct SafeIdentifierCLITests {
  static let unsafe: [(id: String, message: String)] = [
    ("\"x/../../../escape\"", "sweep cell id 'x/../../../escape' contains '/'"),
    ("\"/etc/syntharm-escape\"", "sweep cell id '/etc/syntharm-escape' contains '/'"),
    ("\"\"", "sweep cell id '' must not be empty"),
    ("\"" + String(repeating: "a", count: 300) + "\"", "is 300 characters long; ids name files and may have at most 64"),
    ("\"..hidden\"", "must not start with '.'"),
  ]

  @Test(
    "traversal, absolute, empty, 300-character and hidden sweep ids: a located error at validate and run, nothing written",
    arguments: 0..<5)
  func unsafeSweepIDs(_ k: Int) throws {
    let root = try temporaryFolder("ids")
    defer { try? FileManager.default.removeItem(atPath: root) }
    let nested = root + "/a/b/c"
    try FileManager.default.createDirectory(atPath: nested, withIntermediateDirectories: true)
    let file = nested + "/scenario.yaml"
    try scenarioText(second: "{id: \(Self.unsafe[k].id)}").write(toFile: file, atomically: true, encoding: .utf8)

    let v = try syntharm(["validate", file])
    #expect(v.status == 1)
    #expect(v.err.hasPrefix("error: \(file):12:12: sweep.eligibility[1].id: sweep cell id '"), "stderr: \(v.err)")
    #expect(v.err.contains(Self.unsafe[k].message), "stderr: \(v.err)")

    let output = nested + "/out"
    let r = try syntharm(["run", file, "--output", output] + quick)
    #expect(r.status == 1)
    #expect(r.err.hasPrefix("error: \(file):12:12: sweep.eligibility[1].id:"), "stderr: \(r.err)")
    #expect(r.out.isEmpty)
    #expect(!FileManager.default.fileExists(atPath: output))
    // Nothing anywhere under the temporary root but the scenario itself.
    let written = FileManager.default.enumerator(atPath: root)?.allObjects as? [String] ?? []
    #expect(Set(written) == ["a", "a/b", "a/b/c", "a/b/c/scenario.yaml"], "written: \(written)")
    #expect(!FileManager.default.fileExists(atPath: "/etc/syntharm-escape.json"))
  }

  @Test("scenario and design ids follow the same rule")
  func scenarioAndDesignIDs() throws {
    let root = try temporaryFolder("ids")
    defer { try? FileManager.default.removeItem(atPath: root) }
    let file = root + "/scenario.yaml"
    try scenarioText(id: "../up", design: "\"a b\"", second: "{id: fine_id.2}").write(toFile: file, atomically: true, encoding: .utf8)
    let v = try syntharm(["validate", file])
    #expect(v.status == 1)
    #expect(v.err.contains("error: \(file):2:5: id: scenario id '../up' contains '/'"), "stderr: \(v.err)")
    #expect(v.err.contains("error: \(file):8:10: designs[0].id: design id 'a b' contains a space"), "stderr: \(v.err)")
    #expect(v.err.contains("2 errors in \(file)"))
  }
}

// MARK: - Writes that never destroy

@Suite("Outputs are written only over regular files", .tags(.regression))
struct NonDestructiveWriteTests {
  @Test("generate refuses a FIFO, a symbolic link and /dev/null as its output, and its data card's FIFO; /dev/null survives")
  func generateTargets() throws {
    let folder = try temporaryFolder("targets")
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let fifo = folder + "/fifo.csv"
    #expect(mkfifo(fifo, 0o644) == 0)
    let link = folder + "/link.csv"
    let pointee = folder + "/pointee.csv"
    try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: pointee)
    let cardFIFO = folder + "/carded.card.json"
    #expect(mkfifo(cardFIFO, 0o644) == 0)

    let cases = [
      (fifo, "it is a FIFO (named pipe)"), (link, "it is a symbolic link"), ("/dev/null", "it is a character device"),
      (folder + "/carded.csv", "refusing to write \(cardFIFO): it is a FIFO"),
    ]
    for (target, message) in cases {
      let r = try syntharm(["generate", "Protocols/colon-adjuvant-os.yaml", "--n", "50", "--output", target])
      #expect(r.status == 1, "\(target): \(r.err)")
      #expect(r.err.hasPrefix("error: refusing to write "), "stderr: \(r.err)")
      #expect(r.err.contains(message), "stderr: \(r.err)")
      #expect(!r.err.contains("USAGE"))
      #expect(r.out.isEmpty)
    }
    #expect(fileType(fifo) == S_IFIFO)
    #expect(fileType(link) == S_IFLNK)
    #expect(!FileManager.default.fileExists(atPath: pointee))
    #expect(fileType("/dev/null") == S_IFCHR)
    #expect(!FileManager.default.fileExists(atPath: folder + "/carded.csv"))
    let left = try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
    #expect(left == ["carded.card.json", "fifo.csv", "link.csv"], "left: \(left)")
  }

  @Test("run, merge and report refuse a FIFO, a link or a device at an output path, before simulating and writing nothing")
  func runMergeReportTargets() throws {
    let folder = try temporaryFolder("run-targets")
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let run = ["run", "Scenarios/rpact-d1.yaml", "--replicates", "4", "--estimand-patients", "1000", "--quiet"]

    // A FIFO where results.json goes: refused before any cell is simulated.
    let blocked = folder + "/blocked"
    try FileManager.default.createDirectory(atPath: blocked, withIntermediateDirectories: true)
    #expect(mkfifo(blocked + "/results.json", 0o644) == 0)
    let r = try syntharm(run + ["--output", blocked])
    #expect(r.status == 1)
    #expect(r.err.contains("error: refusing to write \(blocked)/results.json: it is a FIFO (named pipe)"), "stderr: \(r.err)")
    #expect(!r.err.contains("USAGE"))
    #expect(try FileManager.default.contentsOfDirectory(atPath: blocked + "/cells").isEmpty)
    #expect(!FileManager.default.fileExists(atPath: blocked + "/operating-characteristics.csv"))
    #expect(fileType(blocked + "/results.json") == S_IFIFO)

    // A finished run to merge and report from.
    let done = folder + "/done"
    let ok = try syntharm(run + ["--output", done])
    #expect(ok.status == 0, "stderr: \(ok.err)")

    let report = try syntharm(["report", done, "--output", "/dev/null"])
    #expect(report.status == 1)
    #expect(report.err.contains("error: refusing to write /dev/null: it is a character device"), "stderr: \(report.err)")
    let link = folder + "/page.html"
    try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: folder + "/elsewhere.html")
    let linked = try syntharm(["report", done, "--output", link])
    #expect(linked.status == 1)
    #expect(linked.err.contains("it is a symbolic link"), "stderr: \(linked.err)")
    #expect(!FileManager.default.fileExists(atPath: folder + "/elsewhere.html"))

    // merge --output: a folder whose savings-free outputs include a FIFO: nothing written.
    let target = folder + "/merged"
    try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: true)
    #expect(mkfifo(target + "/results.json", 0o644) == 0)
    let merge = try syntharm(["merge", done, "--output", target])
    #expect(merge.status == 1)
    #expect(merge.err.contains("refusing to write \(target)/results.json: it is a FIFO"), "stderr: \(merge.err)")
    #expect(try FileManager.default.contentsOfDirectory(atPath: target) == ["results.json"])
    let device = try syntharm(["merge", done, "--output", "/dev/null"])
    #expect(device.status == 1)
    #expect(device.err.hasPrefix("error: "), "stderr: \(device.err)")
    #expect(fileType("/dev/null") == S_IFCHR)
  }
}

// MARK: - The run folder's lock

@Suite("One run per folder: the lock", .tags(.regression))
struct RunLockCLITests {
  static let scenario = "Tests/Fixtures/Scenarios/sweep-small.yaml"

  /// Waits until the lock file `path` holds its owner's record (or the process ends, or 60 s pass).
  static func waitFor(_ path: String, while process: Process) {
    let deadline = Date().addingTimeInterval(60)
    while process.isRunning && Date() < deadline {
      if let text = try? String(contentsOfFile: path, encoding: .utf8), text.contains("started=") { return }
      usleep(20_000)
    }
  }

  @Test("a second run into a held folder fails at once naming the holder's pid; Ctrl-C releases the lock; a stale lock is taken over")
  func secondRunFails() throws {
    let folder = try temporaryFolder("lock")
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let lockFile = folder + "/.syntharm.lock"
    let first = try startSynthArm(
      ["run", Self.scenario, "--output", folder, "--threads", "1", "--estimand-patients", "2000", "--quiet"],
      pipes: false)
    Self.waitFor(lockFile, while: first)
    #expect(first.isRunning, "the first run ended before the test could race it")

    let second = try syntharm(["run", Self.scenario, "--output", folder, "--estimand-patients", "2000", "--quiet"])
    #expect(second.status == 1)
    #expect(second.err.hasPrefix("error: \(folder) is in use by syntharm run"), "stderr: \(second.err)")
    #expect(second.err.contains("pid \(first.processIdentifier) on host"), "stderr: \(second.err)")
    // A shard cannot join an unsharded run either, and merge cannot write there.
    let shard = try syntharm(["run", Self.scenario, "--output", folder, "--shard", "1/2", "--estimand-patients", "2000", "--quiet"])
    #expect(shard.status == 1)
    #expect(shard.err.contains("pid \(first.processIdentifier)"), "stderr: \(shard.err)")

    kill(first.processIdentifier, SIGINT)
    first.waitUntilExit()
    #expect(first.terminationReason == .uncaughtSignal)
    #expect(!FileManager.default.fileExists(atPath: lockFile), "Ctrl-C left the lock file")

    // A lock file left by a run that was killed outright (its flock is gone with it).
    try "pid=999999\nhost=elsewhere\ncommand=syntharm run old.yaml\nstarted=2020-01-01T00:00:00Z\n"
      .write(toFile: lockFile, atomically: true, encoding: .utf8)
    let taken = try syntharm(["run", Self.scenario, "--output", folder, "--shard", "2/2", "--estimand-patients", "2000", "--quiet"])
    #expect(taken.status == 0, "stderr: \(taken.err)")
    #expect(
      taken.err.contains(
        "warning: \(folder): taking over the stale lock .syntharm.lock of syntharm run old.yaml (pid 999999 on host elsewhere"),
      "stderr: \(taken.err)")
    let hidden = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasPrefix(".") }
    #expect(hidden.isEmpty, "lock files left: \(hidden)")
  }

  @Test("shards of one sweep share the folder; an unsharded run beside them is refused and names them")
  func shardsShare() throws {
    let folder = try temporaryFolder("lock-shards")
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let shard = try startSynthArm(
      [
        "run", Self.scenario, "--output", folder, "--shard", "1/2", "--threads", "1",
        "--estimand-patients", "2000", "--quiet",
      ], pipes: false)
    Self.waitFor(folder + "/.syntharm-shard-1-of-2.lock", while: shard)
    #expect(shard.isRunning)
    let whole = try syntharm(["run", Self.scenario, "--output", folder, "--estimand-patients", "2000", "--quiet"])
    #expect(whole.status == 1)
    #expect(whole.err.contains("syntharm run --shard 1/2 (pid \(shard.processIdentifier)"), "stderr: \(whole.err)")
    let again = try syntharm(["run", Self.scenario, "--output", folder, "--shard", "1/2", "--estimand-patients", "2000", "--quiet"])
    #expect(again.status == 1)
    let other = try syntharm(["run", Self.scenario, "--output", folder, "--shard", "2/2", "--estimand-patients", "2000", "--quiet"])
    #expect(other.status == 0, "stderr: \(other.err)")
    shard.waitUntilExit()
    #expect(shard.terminationStatus == 0)
    let merged = try syntharm(["merge", folder])
    #expect(merged.status == 0, "stderr: \(merged.err)")
    let hidden = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasPrefix(".") }
    #expect(hidden.isEmpty, "lock files left: \(hidden)")
  }
}

// MARK: - Checks before simulating

@Suite("Problems with the output folder are found before simulating", .tags(.regression))
struct EarlyCheckTests {
  @Test("a foreign cell file in cells/ and an output path under a file: exit 1 at once, nothing simulated")
  func strayAndUnwritable() throws {
    let folder = try temporaryFolder("early")
    defer { try? FileManager.default.removeItem(atPath: folder) }
    try FileManager.default.createDirectory(atPath: folder + "/cells", withIntermediateDirectories: true)
    try "{\"not\": \"a cell\"}".write(toFile: folder + "/cells/099-old.json", atomically: true, encoding: .utf8)
    let started = Date()
    let r = try syntharm([
      "run", "Tests/Fixtures/Scenarios/sweep-small.yaml", "--output", folder, "--estimand-patients", "2000",
      "--progress-interval", "0",
    ])
    #expect(r.status == 1)
    #expect(
      r.err.contains(
        "error: \(folder) holds files that are not cells of this run: \(folder)/cells/099-old.json (not a SynthArm cell file)"),
      "stderr: \(r.err)")
    #expect(!r.err.contains("progress:"))
    #expect(Date().timeIntervalSince(started) < 20)
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder + "/cells") == ["099-old.json"])
    #expect(!FileManager.default.fileExists(atPath: folder + "/run-log.json"))

    try "x".write(toFile: folder + "/plain", atomically: true, encoding: .utf8)
    let u = try syntharm(["run", "Scenarios/rpact-d1.yaml", "--output", folder + "/plain/sub"] + quick)
    #expect(u.status == 1)
    #expect(u.err.hasPrefix("error: "), "stderr: \(u.err)")
    #expect(u.err.contains(folder + "/plain"), "stderr: \(u.err)")
    #expect(!u.err.contains("NSCocoaErrorDomain") && !u.err.contains("USAGE"))
  }
}

// MARK: - Failed cells

@Suite("A cell that could not be simulated is not a result", .tags(.regression))
struct FailedCellTests {
  @Test("no eligible patient: NA, exit 1 naming the cell, outputs still written; exit 0 with --allow-failed-cells; merge too")
  func noEligiblePatients() throws {
    let folder = try temporaryFolder("failed")
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let file = folder + "/scenario.yaml"
    try scenarioText(second: "{id: nobody, add: {inclusion: [{id: IN9, text: Nobody, when: age > 500}]}}")
      .write(toFile: file, atomically: true, encoding: .utf8)
    let output = folder + "/out"
    let r = try syntharm(["run", file, "--output", output] + quick)
    #expect(r.status == 1)
    #expect(r.out.contains("Cell nobody: 0 of 315 reference patients eligible"))
    #expect(r.out.contains("NOT SIMULATED, every rate NA: cell 'nobody' cannot be simulated"), "stdout: \(r.out)")
    #expect(!r.out.lowercased().contains("nan"))
    #expect(r.err.contains("error: 1 of 2 cells could not be simulated, their rates are NA: nobody"), "stderr: \(r.err)")
    #expect(r.err.contains("--allow-failed-cells"))
    #expect(FileManager.default.fileExists(atPath: output + "/results.json"))
    let csv = try String(contentsOfFile: output + "/operating-characteristics.csv", encoding: .utf8)
    #expect(!csv.contains("nobody,") || csv.contains("nobody,conventional,1.0,1.0,4,NA"), "csv: \(csv)")

    let allowed = try syntharm(["run", file, "--output", output, "--allow-failed-cells"] + quick)
    #expect(allowed.status == 0, "stderr: \(allowed.err)")
    #expect(
      allowed.err.contains("warning: 1 of 2 cells could not be simulated, their rates are NA: nobody (accepted: --allow-failed-cells)"))

    let merge = try syntharm(["merge", output])
    #expect(merge.status == 1)
    #expect(merge.err.contains("error: 1 of 2 cells could not be simulated"), "stderr: \(merge.err)")
    #expect(try syntharm(["merge", output, "--allow-failed-cells"]).status == 0)
  }

  @Test("fewer than 100 replicates: a warning; with 1 the Monte Carlo SE is NA")
  func fewReplicates() throws {
    let folder = try temporaryFolder("few")
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let five = try syntharm(["run", "Scenarios/rpact-d1.yaml", "--replicates", "5", "--output", folder + "/5"] + quick)
    #expect(five.status == 0, "stderr: \(five.err)")
    #expect(five.err.contains("warning: with 5 replicates the Monte Carlo SEs are too rough to read"))
    let one = try syntharm(["run", "Scenarios/rpact-d1.yaml", "--replicates", "1", "--output", folder + "/1"] + quick)
    #expect(one.status == 0, "stderr: \(one.err)")
    #expect(one.err.contains("warning: with 1 replicate the Monte Carlo SEs are too rough to read"))
    #expect(one.out.contains(" ± NA"), "stdout: \(one.out)")
  }
}

// MARK: - Progress, error style, help

@Suite("Progress, one error style and clean help", .tags(.unit))
struct ProgressAndStyleTests {
  @Test("stderr not a terminal: `progress:` records; --quiet: none")
  func progressLines() throws {
    let folder = try temporaryFolder("progress")
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let base = ["run", "Scenarios/rpact-d1.yaml", "--replicates", "20", "--estimand-patients", "1000", "--progress-interval", "0"]
    let r = try syntharm(base + ["--output", folder + "/a"])
    #expect(r.status == 0, "stderr: \(r.err)")
    let lines = r.err.split(separator: "\n").filter { $0.hasPrefix("progress: ") }
    #expect(!lines.isEmpty, "stderr: \(r.err)")
    #expect(lines.allSatisfy { $0.hasPrefix("progress: cell 1/1 as-written: ") && $0.contains(" trials, ") && $0.contains(" %, ETA ") })
    #expect(lines.contains { $0.hasSuffix("40/40 trials, 100 %, ETA 0 s") }, "stderr: \(r.err)")
    #expect(!r.err.contains("\u{1B}"))  // no terminal codes in a log
    let q = try syntharm(base + ["--output", folder + "/b", "--quiet"])
    #expect(q.status == 0)
    #expect(!q.err.contains("progress:"))
  }

  @Test("file errors exit 1 with `error:`, in plain words, without the usage text")
  func errorStyle() throws {
    let folder = try temporaryFolder("style")
    defer { try? FileManager.default.removeItem(atPath: folder) }
    try "x".write(toFile: folder + "/plain", atomically: true, encoding: .utf8)
    let g = try syntharm(["generate", "Protocols/colon-adjuvant-os.yaml", "--n", "20", "--output", folder + "/plain/s.csv"])
    #expect(g.status == 1)
    #expect(g.err.hasPrefix("error: "), "stderr: \(g.err)")
    #expect(g.err.contains(folder + "/plain"))
    #expect(!g.err.contains("USAGE") && !g.err.contains("NSCocoaErrorDomain") && !g.err.contains("Error: "))
    let missing = try syntharm(["run", folder + "/missing.yaml", "--output", folder + "/out"])
    #expect(missing.status == 1)
    #expect(missing.err.hasPrefix("error: \(folder)/missing.yaml"), "stderr: \(missing.err)")
    let report = try syntharm(["report", folder + "/nothing"])
    #expect(report.status == 1)
    #expect(report.err.hasPrefix("error: "), "stderr: \(report.err)")
    // A mistake on the command line keeps argument-parser's usage text and status 64, in our style.
    let usage = try syntharm(["run"])
    #expect(usage.status == 64)
    #expect(usage.err.hasPrefix("error: "), "stderr: \(usage.err)")
  }

  @Test(
    "every subcommand's --help has no backslash",
    arguments: [
      [], ["compare-arms"], ["validate"], ["generate"], ["audit"], ["run"], ["merge"], ["report"],
    ])
  func helpIsClean(_ command: [String]) throws {
    let r = try syntharm(command + ["--help"])
    #expect(r.status == 0)
    #expect(!r.out.isEmpty)
    #expect(!r.out.contains("\\"), "\(command) --help: \(r.out)")
    for line in r.out.split(separator: "\n") { #expect(!line.hasSuffix("\\")) }
  }
}
