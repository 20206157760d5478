// ExpressionSyntax.swift — tokens and the syntax tree of the eligibility language
// (Docs/ProtocolFormat.md, "Eligibility expressions").

/// A problem in an expression, pointing at a character of it.
public struct ExpressionError: Error, Equatable, Sendable, CustomStringConvertible {
  /// What is wrong (and, where possible, what was meant).
  public var message: String
  /// The expression as written.
  public var source: String
  /// 0-based character offset of the fault in `source`.
  public var offset: Int
  /// True when the expression breaks one of ``ExpressionLimits`` (length, nesting, operators).
  public var isLimit: Bool

  public init(_ message: String, source: String, offset: Int, isLimit: Bool = false) {
    self.message = message
    self.source = source
    self.offset = offset
    self.isLimit = isLimit
  }

  /// The message, then the expression with a caret under the fault.
  public var description: String { "\(message)\n" + caretLines(source, offset: offset) }
}

/// Two lines, indented four spaces: the expression and a caret under the character at `offset`.
/// An expression longer than 120 characters is cut to the 120 around the fault, with "…" where
/// text was left out, so that a hostile 5 MB expression gives a short message.
func caretLines(_ source: String, offset: Int) -> String {
  let width = 120
  guard source.count > width else {
    return "    \(source)\n    \(String(repeating: " ", count: max(0, offset)))^"
  }
  let chars = Array(source.prefix(offset + width))
  let start = max(0, min(offset - width / 2, chars.count - width))
  let end = min(chars.count, start + width)
  let head = start > 0 ? "…" : ""
  let tail = end < source.count ? "…" : ""
  let excerpt = head + String(chars[start..<end]) + tail
  return "    \(excerpt)\n    \(String(repeating: " ", count: max(0, offset - start + head.count)))^"
}

enum TokenKind: Equatable {
  case number(Double)
  case string(String)
  case identifier(String)
  case symbol(String)  // ( ) [ ] , + - * / < <= == != >= >
  case end
}

struct Token: Equatable {
  var kind: TokenKind
  var offset: Int
  var length: Int
}

enum ComparisonOperator: String, Sendable {
  case less = "<"
  case lessOrEqual = "<="
  case equal = "=="
  case notEqual = "!="
  case greaterOrEqual = ">="
  case greater = ">"

  var isOrdering: Bool { self != .equal && self != .notEqual }

  @inline(__always) func holds(_ a: Double, _ b: Double) -> Bool {
    switch self {
    case .less: a < b
    case .lessOrEqual: a <= b
    case .equal: a == b
    case .notEqual: a != b
    case .greaterOrEqual: a >= b
    case .greater: a > b
    }
  }
}

/// A value (number, label, variable, arithmetic) with the offset where it starts.
indirect enum ValueSyntax {
  case number(Double, unit: TimeUnit?, offset: Int)
  case string(String, offset: Int)
  case variable(String, offset: Int)
  case negate(ValueSyntax, offset: Int)
  case arithmetic(Character, ValueSyntax, ValueSyntax, offset: Int)
  case function(String, [ValueSyntax], offset: Int)

  var offset: Int {
    switch self {
    case .number(_, _, let o), .string(_, let o), .variable(_, let o), .negate(_, let o),
      .arithmetic(_, _, _, let o), .function(_, _, let o):
      o
    }
  }
}

/// A condition.
indirect enum ConditionSyntax {
  case compare(ValueSyntax, ComparisonOperator, ValueSyntax, offset: Int)
  case isIn(ValueSyntax, [ValueSyntax], negated: Bool, offset: Int)
  case between(ValueSyntax, ValueSyntax, ValueSyntax, negated: Bool, offset: Int)
  case isMissing(ValueSyntax, negated: Bool, offset: Int)
  case flag(String, offset: Int)
  case and(ConditionSyntax, ConditionSyntax)
  case or(ConditionSyntax, ConditionSyntax)
  case not(ConditionSyntax)
}
