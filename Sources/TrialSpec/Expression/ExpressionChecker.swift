// ExpressionChecker.swift — from syntax to a typed, unit-resolved program, with the load-time
// errors of Docs/ProtocolFormat.md: unknown variable (with suggestion), label vs number, unknown
// label, unit mismatch, empty `in` list (in the parser), `between` with low > high.

/// A numeric program. Literals with units are already converted.
indirect enum NumericProgram: Sendable {
  case constant(Double)
  case column(String)
  case negate(NumericProgram)
  case arithmetic(Character, NumericProgram, NumericProgram)
  case function(String, [NumericProgram])

  var constantValue: Double? {
    if case .constant(let v) = self { return v }
    return nil
  }
}

/// A condition program over columns.
indirect enum ConditionProgram: Sendable {
  case numericCompare(NumericProgram, ComparisonOperator, NumericProgram)
  case numericIn(NumericProgram, [Double], negated: Bool)
  case numericBetween(NumericProgram, NumericProgram, NumericProgram, negated: Bool)
  case labelCompare(String, ComparisonOperator, Int32)
  case labelIn(String, Set<Int32>, negated: Bool)
  case labelBetween(String, Int32, Int32, negated: Bool)
  case textCompare(String, equal: Bool, String)
  case textIn(String, Set<String>, negated: Bool)
  case numericMissing(NumericProgram, negated: Bool)
  case columnMissing(String, negated: Bool)
  case and(ConditionProgram, ConditionProgram)
  case or(ConditionProgram, ConditionProgram)
  case not(ConditionProgram)
}

enum UnitTag: Equatable {
  case time(TimeUnit)
  case other(String)

  init?(declared: String?) {
    guard let declared else { return nil }
    self = TimeUnit(word: declared).map { .time($0) } ?? .other(declared)
  }

  var name: String {
    switch self {
    case .time(let u): u.rawValue + "s"
    case .other(let s): s
    }
  }
}

struct ExpressionChecker {
  let source: String
  let symbols: [String: ExpressionSymbol]

  /// A checked value.
  enum Typed {
    /// `literalUnit` marks a literal (or arithmetic of literals) written with a unit: it converts
    /// to the unit of whatever it meets.
    case numeric(NumericProgram, unit: UnitTag?, literalUnit: Bool, offset: Int)
    case labels(String, ExpressionSymbol, offset: Int)
    case text(String, offset: Int)
    case string(String, offset: Int)
  }

  func error(_ message: String, _ offset: Int) -> ExpressionError {
    ExpressionError(message, source: source, offset: offset)
  }

  // MARK: - Values

  func value(_ syntax: ValueSyntax) throws(ExpressionError) -> Typed {
    switch syntax {
    case .number(let v, let unit, let offset):
      return .numeric(.constant(v), unit: unit.map { .time($0) }, literalUnit: unit != nil, offset: offset)
    case .string(let s, let offset):
      return .string(s, offset: offset)
    case .variable(let name, let offset):
      guard let symbol = symbols[name] else {
        throw error("unknown variable '\(name)'\(didYouMean(name, among: Array(symbols.keys).sorted()))", offset)
      }
      switch symbol {
      case .numeric(let unit): return .numeric(.column(name), unit: UnitTag(declared: unit), literalUnit: false, offset: offset)
      case .binary: return .numeric(.column(name), unit: nil, literalUnit: false, offset: offset)
      case .categorical, .ordinal: return .labels(name, symbol, offset: offset)
      case .text: return .text(name, offset: offset)
      }
    case .negate(let inner, let offset):
      let (p, unit, literal) = try numeric(value(inner), purpose: "'-'")
      return .numeric(p.constantValue.map { .constant(-$0) } ?? .negate(p), unit: unit, literalUnit: literal, offset: offset)
    case .arithmetic(let op, let a, let b, let offset):
      let left = try numeric(value(a), purpose: "'\(op)'")
      let right = try numeric(value(b), purpose: "'\(op)'")
      if op == "+" || op == "-" {
        let (l, r, unit, literal) = try align(left, right, at: offset)
        return .numeric(fold(op, l, r), unit: unit, literalUnit: literal, offset: a.offset)
      }
      // × and ÷: a unitless factor keeps the other side's unit; two units leave none.
      let unit: UnitTag? = left.1 == nil ? right.1 : (right.1 == nil ? left.1 : nil)
      let literal = (left.1 == nil ? right.2 : left.2) && (left.1 == nil || right.1 == nil)
      return .numeric(fold(op, left.0, right.0), unit: unit, literalUnit: literal, offset: a.offset)
    case .function(let name, let arguments, let offset):
      var typed = try arguments.map { (a: ValueSyntax) throws(ExpressionError) in try numeric(value(a), purpose: "\(name)()") }
      switch name {
      case "abs", "log":
        guard typed.count == 1 else { throw error("\(name)() takes one argument, got \(typed.count)", offset) }
        return .numeric(
          .function(name, [typed[0].0]), unit: name == "abs" ? typed[0].1 : nil,
          literalUnit: name == "abs" && typed[0].2, offset: offset)
      default:  // min, max
        guard typed.count >= 2 else { throw error("\(name)() takes two or more arguments, got \(typed.count)", offset) }
        for i in 1..<typed.count {
          let (l, r, unit, literal) = try align(typed[0], typed[i], at: arguments[i].offset)
          typed[0] = (l, unit, literal)
          typed[i] = (r, unit, literal)
        }
        return .numeric(.function(name, typed.map(\.0)), unit: typed[0].1, literalUnit: typed[0].2, offset: offset)
      }
    }
  }

  private func fold(_ op: Character, _ l: NumericProgram, _ r: NumericProgram) -> NumericProgram {
    if let a = l.constantValue, let b = r.constantValue {
      switch op {
      case "+": return .constant(a + b)
      case "-": return .constant(a - b)
      case "*": return .constant(a * b)
      default: return .constant(b == 0 ? .nan : a / b)  // x / 0 has no value, as in the evaluator
      }
    }
    return .arithmetic(op, l, r)
  }

  /// The numeric reading of a value, or an error saying why it has none.
  func numeric(_ t: Typed, purpose: String) throws(ExpressionError) -> (NumericProgram, UnitTag?, Bool) {
    switch t {
    case .numeric(let p, let unit, let literal, _): return (p, unit, literal)
    case .labels(let name, let symbol, let offset):
      throw error("'\(name)' is \(symbol.typeName) (labels \(labelList(symbol))); it cannot be used in \(purpose) as a number", offset)
    case .text(let name, let offset): throw error("'\(name)' is text; it cannot be used in \(purpose) as a number", offset)
    case .string(let s, let offset): throw error("the label \"\(s)\" cannot be used in \(purpose) as a number", offset)
    }
  }

  /// Brings two numeric values to one unit: a literal with a unit converts to the other side's
  /// time unit; anything else must already agree.
  func align(_ a: (NumericProgram, UnitTag?, Bool), _ b: (NumericProgram, UnitTag?, Bool), at offset: Int)
    throws(ExpressionError) -> (NumericProgram, NumericProgram, UnitTag?, Bool)
  {
    switch (a.1, b.1) {
    case (nil, nil): return (a.0, b.0, nil, false)
    case (let u?, nil):
      if a.2 && !isLiteral(b.0) { throw unitMismatch(literal: u, other: nil, offset) }
      return (a.0, b.0, u, a.2)
    case (nil, let u?):
      if b.2 && !isLiteral(a.0) { throw unitMismatch(literal: u, other: nil, offset) }
      return (a.0, b.0, u, b.2)
    case (let ua?, let ub?):
      if ua == ub { return (a.0, b.0, ua, a.2 && b.2) }
      if case .time(let ta) = ua, case .time(let tb) = ub {
        if b.2 { return (a.0, convert(b.0, from: tb, to: ta), ua, a.2) }
        if a.2 { return (convert(a.0, from: ta, to: tb), b.0, ub, false) }
      }
      if a.2 { throw unitMismatch(literal: ua, other: ub, offset) }
      if b.2 { throw unitMismatch(literal: ub, other: ua, offset) }
      throw error("unit mismatch: one side is in \(ua.name), the other in \(ub.name)", offset)
    }
  }

  private func isLiteral(_ p: NumericProgram) -> Bool { p.constantValue != nil }

  private func unitMismatch(literal: UnitTag, other: UnitTag?, _ offset: Int) -> ExpressionError {
    error(
      "unit mismatch: a time in \(literal.name) is compared with a value "
        + (other.map { "in \($0.name)" } ?? "that has no time unit (declare the variable's unit, e.g. unit: year)"), offset)
  }

  private func convert(_ p: NumericProgram, from: TimeUnit, to: TimeUnit) -> NumericProgram {
    let factor = from.convert(1, to: to)
    return p.constantValue.map { .constant($0 * factor) } ?? .arithmetic("*", p, .constant(factor))
  }

  func labelList(_ symbol: ExpressionSymbol) -> String {
    switch symbol {
    case .categorical(let l), .ordinal(let l): l.joined(separator: ", ")
    case .binary(let m): m.keys.sorted().joined(separator: ", ")
    default: ""
    }
  }

  /// The position of `label` in a label variable, or an error with a suggestion.
  func labelIndex(_ label: String, of name: String, _ symbol: ExpressionSymbol, at offset: Int) throws(ExpressionError) -> Int32 {
    guard case .categorical(let labels) = symbol, let i = labels.firstIndex(of: label) else {
      if case .ordinal(let labels) = symbol, let i = labels.firstIndex(of: label) { return Int32(i) }
      let labels: [String]
      switch symbol {
      case .categorical(let l), .ordinal(let l): labels = l
      default: labels = []
      }
      throw error(
        "unknown label \"\(label)\" for '\(name)'\(didYouMean(label, among: labels)); its labels are \(labels.joined(separator: ", "))",
        offset)
    }
    return Int32(i)
  }
}
