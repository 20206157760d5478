// ExpressionChecker+Conditions.swift — type checking of comparisons, `in`, `between`,
// `is missing` and bare binary flags.

extension ExpressionChecker {
  func condition(_ syntax: ConditionSyntax) throws(ExpressionError) -> ConditionProgram {
    switch syntax {
    case .and(let a, let b): return .and(try condition(a), try condition(b))
    case .or(let a, let b): return .or(try condition(a), try condition(b))
    case .not(let a): return .not(try condition(a))
    case .flag(let name, let offset):
      guard let symbol = symbols[name] else {
        throw error("unknown variable '\(name)'\(didYouMean(name, among: Array(symbols.keys).sorted()))", offset)
      }
      guard case .binary = symbol else {
        throw error(
          "'\(name)' is \(symbol.typeName); a variable on its own is a condition only when it is binary "
            + "(true when 1); compare it instead, e.g. \(name) == …", offset)
      }
      return .numericCompare(.column(name), .equal, .constant(1))
    case .compare(let a, let op, let b, let offset):
      return try compare(value(a), op, value(b), at: offset)
    case .isIn(let v, let items, let negated, let offset):
      return try membership(value(v), items, negated: negated, at: offset)
    case .between(let v, let low, let high, let negated, let offset):
      return try between(value(v), value(low), value(high), negated: negated, at: offset)
    case .isMissing(let v, let negated, _):
      switch try value(v) {
      case .numeric(let p, _, _, let o):
        if p.constantValue != nil { throw error("a number is never missing; test a variable", o) }
        return .numericMissing(p, negated: negated)
      case .labels(let name, _, _), .text(let name, _): return .columnMissing(name, negated: negated)
      case .string(_, let o): throw error("a label is never missing; test a variable", o)
      }
    }
  }

  private func compare(_ a: Typed, _ op: ComparisonOperator, _ b: Typed, at offset: Int) throws(ExpressionError)
    -> ConditionProgram
  {
    switch (a, b) {
    case (.numeric, .numeric):
      let (l, r, _, _) = try align(numeric(a, purpose: op.rawValue), numeric(b, purpose: op.rawValue), at: offset)
      if l.constantValue != nil && r.constantValue != nil {
        throw error("this compares two constants; one side should be a variable", offset)
      }
      return .numericCompare(l, op, r)
    case (.labels(let name, let symbol, _), .string(let label, let o)):
      if op.isOrdering, case .categorical = symbol {
        throw error(
          "'\(name)' is categorical: its labels have no order, so only == and != apply "
            + "(declare it ordinal to compare by order)", offset)
      }
      return .labelCompare(name, op, try labelIndex(label, of: name, symbol, at: o))
    case (.string, .labels):
      return try compare(b, op.reversed, a, at: offset)
    case (.numeric(let p, _, _, _), .string(let label, let o)):
      if case .column(let name) = p, case .binary(let labels)? = symbols[name] {
        guard let code = labels[label] else {
          throw error(
            "unknown label \"\(label)\" for '\(name)'\(didYouMean(label, among: labels.keys.sorted()))"
              + (labels.isEmpty
                ? "; '\(name)' is binary without declared labels: compare it with 0 or 1"
                : "; its labels are \(labels.keys.sorted().joined(separator: ", "))"),
            o)
        }
        return .numericCompare(p, op, .constant(code))
      }
      throw error("label vs number: \(describeNumeric(p)) is a number and cannot be compared with the label \"\(label)\"", o)
    case (.string, .numeric):
      return try compare(b, op.reversed, a, at: offset)
    case (.labels(let name, let symbol, _), .numeric(_, _, _, let o)), (.numeric(_, _, _, let o), .labels(let name, let symbol, _)):
      throw error(
        "label vs number: '\(name)' holds labels (\(labelList(symbol))); compare it with a label in quotes, "
          + "e.g. \(name) == \"\(firstLabel(symbol))\"", o)
    case (.text(let name, _), .string(let s, _)), (.string(let s, _), .text(let name, _)):
      return try textCompare(name, op, s, at: offset)
    case (.text(let name, _), .numeric(let p, _, _, let o)), (.numeric(let p, _, _, let o), .text(let name, _)):
      guard let v = p.constantValue else {
        throw error("'\(name)' is text (an undeclared column) and can only be compared with a constant", o)
      }
      return try textCompare(name, op, v.formatted, at: offset)
    case (.string(_, let o), .string):
      throw error("this compares two labels; one side should be a variable", o)
    default:
      throw error("these two values cannot be compared: \(kind(a)) and \(kind(b))", offset)
    }
  }

  private func textCompare(_ name: String, _ op: ComparisonOperator, _ s: String, at offset: Int) throws(ExpressionError)
    -> ConditionProgram
  {
    guard !op.isOrdering else {
      throw error("'\(name)' is text (an undeclared column): only == and != apply; declare it to compare by order", offset)
    }
    return .textCompare(name, equal: op == .equal, s)
  }

  private func membership(_ v: Typed, _ items: [ValueSyntax], negated: Bool, at offset: Int) throws(ExpressionError)
    -> ConditionProgram
  {
    switch v {
    case .labels(let name, let symbol, _):
      var set = Set<Int32>()
      for item in items {
        guard case .string(let label, let o) = item else {
          throw error("label vs number: '\(name)' holds labels (\(labelList(symbol))); list labels in quotes", item.offset)
        }
        set.insert(try labelIndex(label, of: name, symbol, at: o))
      }
      return .labelIn(name, set, negated: negated)
    case .text(let name, _):
      var set = Set<String>()
      for item in items {
        switch item {
        case .string(let s, _): set.insert(s)
        case .number(let x, nil, _): set.insert(x.formatted)
        default: throw error("list constants for the text column '\(name)'", item.offset)
        }
      }
      return .textIn(name, set, negated: negated)
    case .numeric(let p, let unit, let literal, _):
      var values: [Double] = []
      for item in items {
        let typed = try value(item)
        if case .string(let label, let o) = typed, case .column(let name) = p, case .binary(let labels)? = symbols[name] {
          guard let code = labels[label] else { throw error("unknown label \"\(label)\" for '\(name)'", o) }
          values.append(code)
          continue
        }
        let (_, r, _, _) = try align((p, unit, literal), numeric(typed, purpose: "an 'in' list"), at: item.offset)
        guard let c = r.constantValue else { throw error("an 'in' list holds constants only", item.offset) }
        values.append(c)
      }
      return .numericIn(p, values, negated: negated)
    case .string(_, let o):
      throw error("'in' needs a variable on its left", o)
    }
  }

  private func between(_ v: Typed, _ low: Typed, _ high: Typed, negated: Bool, at offset: Int) throws(ExpressionError)
    -> ConditionProgram
  {
    if case .labels(let name, let symbol, _) = v {
      guard case .ordinal = symbol else {
        throw error("'\(name)' is categorical: its labels have no order, so 'between' does not apply", offset)
      }
      guard case .string(let lo, let lo0) = low, case .string(let hi, let hi0) = high else {
        throw error("label vs number: '\(name)' is ordinal; give its bounds as labels in quotes", offset)
      }
      let a = try labelIndex(lo, of: name, symbol, at: lo0)
      let b = try labelIndex(hi, of: name, symbol, at: hi0)
      if a > b { throw error("'between' needs LOW <= HIGH: \"\(lo)\" comes after \"\(hi)\" in the order of '\(name)'", lo0) }
      return .labelBetween(name, a, b, negated: negated)
    }
    let x = try numeric(v, purpose: "'between'")
    let (x1, lo, _, _) = try align(x, numeric(low, purpose: "'between'"), at: offset)
    let (_, hi, _, _) = try align(x, numeric(high, purpose: "'between'"), at: offset)
    if let a = lo.constantValue, let b = hi.constantValue, a > b {
      throw error("'between' needs LOW <= HIGH, got \(a.formatted) and \(b.formatted)", offset)
    }
    return .numericBetween(x1, lo, hi, negated: negated)
  }

  private func describeNumeric(_ p: NumericProgram) -> String {
    if case .column(let name) = p { return "'\(name)'" }
    return "this value"
  }

  private func firstLabel(_ symbol: ExpressionSymbol) -> String {
    switch symbol {
    case .categorical(let l), .ordinal(let l): l.first ?? ""
    default: ""
    }
  }

  private func kind(_ t: Typed) -> String {
    switch t {
    case .numeric: "a number"
    case .labels(let n, _, _): "the labels of '\(n)'"
    case .text(let n, _): "the text column '\(n)'"
    case .string(let s, _): "the label \"\(s)\""
    }
  }
}

extension ComparisonOperator {
  /// The operator with its operands swapped: a < b ⇔ b > a.
  var reversed: ComparisonOperator {
    switch self {
    case .less: .greater
    case .lessOrEqual: .greaterOrEqual
    case .greater: .less
    case .greaterOrEqual: .lessOrEqual
    case .equal, .notEqual: self
    }
  }
}
