// SpecError.swift — a problem in a protocol or scenario file, located by file, line, column
// and key path. Loading collects them all before failing (every error of a file at once).

import CohortData

/// One problem in a SynthArm file.
public struct SpecError: Error, Equatable, Sendable, CustomStringConvertible {
  public var file: String
  /// 1-based line and column, when known.
  public var line: Int?
  public var column: Int?
  /// Where in the document, e.g. `eligibility.inclusion[1].when`.
  public var keyPath: String
  public var message: String
  /// Extra lines shown under the message (an expression with a caret).
  public var detail: String?

  public init(file: String, line: Int?, column: Int?, keyPath: String, message: String, detail: String? = nil) {
    self.file = file
    self.line = line
    self.column = column
    self.keyPath = keyPath
    self.message = message
    self.detail = detail
  }

  /// `file:line:column: key.path: message` (the form editors jump to), then any detail.
  public var description: String {
    let location = sourceLocation(file, line: line, column: column)
    let head = keyPath.isEmpty ? "\(location): \(message)" : "\(location): \(keyPath): \(message)"
    return detail.map { head + "\n" + $0 } ?? head
  }
}

/// Every problem found in a file (and the files it refers to), in document order.
public struct SpecErrors: Error, Sendable, CustomStringConvertible {
  public var errors: [SpecError]
  public init(_ errors: [SpecError]) { self.errors = errors }
  public var description: String { errors.map(\.description).joined(separator: "\n") }
}
