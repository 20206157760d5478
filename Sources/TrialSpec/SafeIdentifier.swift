// SafeIdentifier.swift — ids that become file names. A sweep cell is stored as
// cells/NNN-ID.json and design and scenario ids name outputs, so an id must be one plain file
// name: a sweep id `x/../../../escape` once made `syntharm run` write outside its output folder.
// The rule is checked when the scenario loads, so `syntharm validate` reports it at the id's
// line and column like every other loader error.

import Yams

/// The rule for ids that become file names: letters, digits, `.`, `_` and `-`; not empty, at
/// most 64 characters, not starting with `.` and without `..`.
public enum SafeIdentifier {
  public static let maximumLength = 64

  /// Why `id` cannot name a file, or nil when it can.
  public static func problem(_ id: String) -> String? {
    if id.isEmpty { return "must not be empty" }
    if id.unicodeScalars.count > maximumLength {
      return "is \(id.unicodeScalars.count) characters long; ids name files and may have at most \(maximumLength)"
    }
    if let bad = id.unicodeScalars.first(where: { !isAllowed($0) }) {
      let hex = String(bad.value, radix: 16, uppercase: true)
      let code = "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
      let shown =
        bad == " "
        ? "a space"
        : bad.properties.isWhitespace || bad.value < 0x20 || bad.value == 0x7F ? "the character \(code)" : "'\(Character(bad))'"
      return "contains \(shown); ids name files, so use only letters, digits, '.', '_' and '-'"
    }
    if id.hasPrefix(".") { return "must not start with '.' (ids name files, and such files are hidden)" }
    if id.contains("..") { return "must not contain '..' (ids name files)" }
    return nil
  }

  public static func isSafe(_ id: String) -> Bool { problem(id) == nil }

  static func isAllowed(_ s: Unicode.Scalar) -> Bool {
    switch s {
    case "A"..."Z", "a"..."z", "0"..."9", ".", "_", "-": true
    default: false
    }
  }
}

extension SpecReader {
  /// Records a located error when `id` (read from `node` at `path`) cannot name a file.
  /// `what` names the id in the message, e.g. "sweep cell id".
  func checkSafeIdentifier(_ id: String?, _ node: Node?, _ path: String, what: String) {
    guard let id, let problem = SafeIdentifier.problem(id) else { return }
    let shown = id.unicodeScalars.count > 40 ? String(id.prefix(40)) + "…" : id
    fail(node, path, "\(what) '\(shown)' \(problem)")
  }
}
