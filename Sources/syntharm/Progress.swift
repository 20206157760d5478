// Progress.swift — what `syntharm run` says while it simulates. On a terminal: one bar, redrawn
// in place (the line cleared first, so no stale characters) at most ten times a second. When
// stderr is a file or a pipe (a Slurm log): one line about every 10 s,
//   progress: cell 2/4 age-70: 12000/64000 trials, 18 %, ETA 40 s
// `--quiet` silences both. The engine reports from its worker threads, so every call takes a lock
// and most return at once.

import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

final class ProgressReporter: @unchecked Sendable {
  enum Mode {
    case off
    case terminal
    /// One line every `interval` seconds.
    case log(interval: Double)
  }

  let mode: Mode
  private let lock = NSLock()
  private var label = ""
  private var segmentStart = Date()
  private var lastTotal = -1, lastDone = -1
  private var lastDraw = Date.distantPast
  private var lastLog: Date
  private var barShown = false

  init(quiet: Bool, logInterval: Double) {
    if quiet {
      mode = .off
    } else if isatty(2) != 0 {
      mode = .terminal
    } else {
      mode = .log(interval: logInterval)
    }
    lastLog = Date()
  }

  /// A new phase (a cell); its label leads every progress line.
  func start(_ label: String) {
    lock.lock()
    defer { lock.unlock() }
    self.label = label
    segmentStart = Date()
    lastTotal = -1
    lastDone = -1
    // Before its first trial a cell fits its generator, audits it and computes its estimands.
    if case .terminal = mode {
      Self.write("\r\u{1B}[K" + String((label + ": preparing (audit, generator, estimand)").prefix(max(1, Self.columns() - 1))))
      barShown = true
    }
  }

  /// `done` of `total` trials; called from any thread.
  func update(done: Int, total: Int) {
    let now = Date()
    lock.lock()
    defer { lock.unlock() }
    // The engine reports each batch of trials from 0 again (the savings search adds batches);
    // within a batch, reports from different threads may arrive out of order: drop the late ones.
    if total != lastTotal || (done < lastDone && lastDone >= lastTotal) {
      segmentStart = now
    } else if done < lastDone {
      return
    }
    lastTotal = total
    lastDone = done
    switch mode {
    case .off: return
    case .terminal:
      guard now.timeIntervalSince(lastDraw) >= 0.1 || done == total else { return }
      lastDraw = now
      let line = Self.bar(label: label, done: done, total: total, eta: eta(done, total, now), width: Self.columns())
      Self.write("\r\u{1B}[K" + line)
      barShown = true
    case .log(let interval):
      guard now.timeIntervalSince(lastLog) >= interval else { return }
      lastLog = now
      Self.write("progress: " + Self.record(label: label, done: done, total: total, eta: eta(done, total, now)) + "\n")
    }
  }

  /// Prints a line on stderr, below (not inside) the bar.
  func note(_ line: String) {
    lock.lock()
    defer { lock.unlock() }
    clearBar()
    Self.write(line + "\n")
  }

  /// Clears the bar at the end of a phase.
  func finish() {
    lock.lock()
    defer { lock.unlock() }
    clearBar()
  }

  private func clearBar() {
    if barShown { Self.write("\r\u{1B}[K") }
    barShown = false
  }

  private func eta(_ done: Int, _ total: Int, _ now: Date) -> Double? {
    if done >= total { return 0 }
    let elapsed = now.timeIntervalSince(segmentStart)
    guard done > 0, total >= done, elapsed > 0.5 else { return nil }
    return elapsed * Double(total - done) / Double(done)
  }

  // MARK: - Text

  /// "cell 2/4 age-70: 12000/64000 trials, 18 %, ETA 40 s".
  static func record(label: String, done: Int, total: Int, eta: Double?) -> String {
    let percent = total > 0 ? 100 * done / total : 0
    return "\(label): \(done)/\(total) trials, \(percent) %, ETA " + (eta.map(duration) ?? "…")
  }

  /// "cell 2/4 age-70 [#####.........] 12000/64000 18 % ETA 40 s", cut to the terminal's width
  /// (a line that wraps cannot be redrawn in place).
  static func bar(label: String, done: Int, total: Int, eta: Double?, width: Int) -> String {
    let percent = total > 0 ? 100 * done / total : 0
    let tail = " \(done)/\(total) \(percent) % ETA " + (eta.map(duration) ?? "…")
    let barWidth = max(0, min(30, width - 1 - label.count - tail.count - 3))
    var line = label
    if barWidth >= 5 {
      let filled = total > 0 ? barWidth * done / total : 0
      line += " [" + String(repeating: "#", count: filled) + String(repeating: ".", count: barWidth - filled) + "]"
    }
    line += tail
    return String(line.prefix(max(1, width - 1)))
  }

  static func duration(_ seconds: Double) -> String {
    let s = Int(seconds.rounded())
    if s < 60 { return "\(s) s" }
    if s < 3600 { return "\(s / 60) min \(s % 60) s" }
    return "\(s / 3600) h \(s % 3600 / 60) min"
  }

  static func columns() -> Int {
    var size = winsize()
    if ioctl(2, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
    return 80
  }

  static func write(_ text: String) {
    FileHandle.standardError.write(Data(text.utf8))
  }
}
