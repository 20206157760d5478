// CohortError.swift — what went wrong reading a cohort, and where.

/// A problem in a cohort file, located by file, line and column where known.
public struct CohortError: Error, Equatable, CustomStringConvertible, Sendable {
  /// The file (or other source) the problem is in.
  public var source: String
  /// 1-based line, when the problem has one.
  public var line: Int?
  /// 1-based column: a character position for syntax errors, a field position for value errors.
  public var column: Int?
  /// What is wrong and, where possible, what to do.
  public var message: String

  public init(source: String, line: Int?, column: Int?, message: String) {
    self.source = source
    self.line = line
    self.column = column
    self.message = message
  }

  /// `file:line:column: message`, the form compilers use and editors can jump to.
  public var description: String { "\(sourceLocation(source, line: line, column: column)): \(message)" }
}

/// `file`, `file:line` or `file:line:column`: how every SynthArm error names its place.
public func sourceLocation(_ file: String, line: Int?, column: Int?) -> String {
  guard let line else { return file }
  return column.map { "\(file):\(line):\($0)" } ?? "\(file):\(line)"
}
