// ExpressionParser.swift — tokenizer and recursive-descent parser for the eligibility grammar:
//
//   expr      := or
//   or        := and ("or" and)*
//   and       := unary ("and" unary)*
//   unary     := "not" unary | "(" expr ")" | predicate
//   predicate := value CMP value | value ["not"] "in" "[" literal ("," literal)* "]"
//              | value ["not"] "between" value "and" value | value "is" ["not"] "missing" | IDENT
//   value     := term (("+" | "-") term)*
//   term      := factor (("*" | "/") factor)*
//   factor    := NUMBER [UNIT] | STRING | IDENT | FUNC "(" value ("," value)* ")" | "(" value ")" | "-" factor
//
// "(" is ambiguous (a grouped condition or a grouped value); the parser tries the predicate
// reading first and backtracks, reporting the error that got further into the text.

let keywords: Set<String> = ["and", "or", "not", "in", "between", "is", "missing"]
let functionNames = ["abs", "min", "max", "log"]

struct ExpressionParser {
  let source: String
  private var tokens: [Token] = []
  private var position = 0

  init(_ source: String) throws(ExpressionError) {
    self.source = source
    tokens = try Self.tokenize(source)
  }

  // MARK: - Tokens

  static func tokenize(_ source: String) throws(ExpressionError) -> [Token] {
    let chars = Array(source)
    var tokens: [Token] = []
    var i = 0
    func isIdentifierStart(_ c: Character) -> Bool { c.isLetter || c == "_" }
    func isIdentifierPart(_ c: Character) -> Bool { c.isLetter || c.isNumber || c == "_" || c == "." }
    while i < chars.count {
      let c = chars[i]
      if c.isWhitespace { i += 1; continue }
      let start = i
      if c.isNumber || (c == "." && i + 1 < chars.count && chars[i + 1].isNumber) {
        while i < chars.count && (chars[i].isNumber || chars[i] == ".") { i += 1 }
        if i < chars.count && (chars[i] == "e" || chars[i] == "E"),
          i + 1 < chars.count, chars[i + 1].isNumber || ((chars[i + 1] == "-" || chars[i + 1] == "+") && i + 2 < chars.count && chars[i + 2].isNumber)
        {
          i += 2
          while i < chars.count && chars[i].isNumber { i += 1 }
        }
        let text = String(chars[start..<i])
        guard let value = Double(text) else {
          throw ExpressionError("'\(text)' is not a number", source: source, offset: start)
        }
        tokens.append(Token(kind: .number(value), offset: start, length: i - start))
      } else if isIdentifierStart(c) {
        while i < chars.count && isIdentifierPart(chars[i]) { i += 1 }
        tokens.append(Token(kind: .identifier(String(chars[start..<i])), offset: start, length: i - start))
      } else if c == "\"" || c == "'" {
        i += 1
        while i < chars.count && chars[i] != c { i += 1 }
        guard i < chars.count else {
          throw ExpressionError("this string is never closed; add the closing \(c)", source: source, offset: start)
        }
        tokens.append(Token(kind: .string(String(chars[(start + 1)..<i])), offset: start, length: i - start + 1))
        i += 1
      } else {
        let two = i + 1 < chars.count ? String(chars[i...i + 1]) : ""
        if ["<=", ">=", "==", "!="].contains(two) {
          tokens.append(Token(kind: .symbol(two), offset: start, length: 2))
          i += 2
        } else if "()[],+-*/<>".contains(c) {
          tokens.append(Token(kind: .symbol(String(c)), offset: start, length: 1))
          i += 1
        } else if c == "=" {
          throw ExpressionError("'=' is not a comparison; write '==' for equality", source: source, offset: start)
        } else if c == "!" {
          throw ExpressionError("'!' alone is not an operator; write 'not' or '!='", source: source, offset: start)
        } else {
          throw ExpressionError("unexpected character '\(c)'", source: source, offset: start)
        }
      }
    }
    tokens.append(Token(kind: .end, offset: chars.count, length: 0))
    return tokens
  }

  // MARK: - Conditions

  mutating func parseCondition() throws(ExpressionError) -> ConditionSyntax {
    if case .end = tokens[0].kind { throw ExpressionError("the expression is empty", source: source, offset: 0) }
    let condition = try parseOr()
    let t = tokens[position]
    guard case .end = t.kind else {
      throw ExpressionError("unexpected \(describe(t)) after a complete condition; join conditions with 'and' or 'or'",
                            source: source, offset: t.offset)
    }
    return condition
  }

  private mutating func parseOr() throws(ExpressionError) -> ConditionSyntax {
    var left = try parseAnd()
    while isKeyword("or") {
      position += 1
      left = .or(left, try parseAnd())
    }
    return left
  }

  private mutating func parseAnd() throws(ExpressionError) -> ConditionSyntax {
    var left = try parseUnary()
    while isKeyword("and") {
      position += 1
      left = .and(left, try parseUnary())
    }
    return left
  }

  private mutating func parseUnary() throws(ExpressionError) -> ConditionSyntax {
    if isKeyword("not") {
      position += 1
      return .not(try parseUnary())
    }
    if isSymbol("(") {
      let start = position
      let asPredicate: ExpressionError
      do {
        return try parsePredicate()
      } catch {
        asPredicate = error
      }
      position = start + 1
      do {
        let inner = try parseOr()
        try expectSymbol(")", "to close the '(' opened at column \(tokens[start].offset + 1)")
        return inner
      } catch {
        throw error.offset >= asPredicate.offset ? error : asPredicate
      }
    }
    return try parsePredicate()
  }

  private mutating func parsePredicate() throws(ExpressionError) -> ConditionSyntax {
    let startOffset = tokens[position].offset
    let value = try parseValue()
    let t = tokens[position]
    if case .symbol(let s) = t.kind, let op = ComparisonOperator(rawValue: s) {
      position += 1
      return .compare(value, op, try parseValue(), offset: t.offset)
    }
    var negated = false
    if isKeyword("not"), case .identifier(let next) = tokens[position + 1].kind, next == "in" || next == "between" {
      negated = true
      position += 1
    }
    if isKeyword("in") {
      let at = tokens[position].offset
      position += 1
      try expectSymbol("[", "after 'in' (a list such as [1, 2])")
      if isSymbol("]") {
        throw ExpressionError("empty 'in' list: give at least one value", source: source, offset: tokens[position - 1].offset)
      }
      var items = [try parseFactor()]
      while isSymbol(",") {
        position += 1
        items.append(try parseFactor())
      }
      try expectSymbol("]", "to close the 'in' list")
      return .isIn(value, items, negated: negated, offset: at)
    }
    if isKeyword("between") {
      let at = tokens[position].offset
      position += 1
      let low = try parseValue()
      guard isKeyword("and") else {
        throw ExpressionError("expected 'and' in 'between LOW and HIGH'", source: source, offset: tokens[position].offset)
      }
      position += 1
      return .between(value, low, try parseValue(), negated: negated, offset: at)
    }
    if isKeyword("is") {
      let at = tokens[position].offset
      position += 1
      var not = false
      if isKeyword("not") { not = true; position += 1 }
      guard isKeyword("missing") else {
        throw ExpressionError("expected 'missing' after 'is'", source: source, offset: tokens[position].offset)
      }
      position += 1
      return .isMissing(value, negated: not, offset: at)
    }
    if negated { throw ExpressionError("expected 'in' or 'between' after 'not'", source: source, offset: tokens[position].offset) }
    if case .variable(let name, let offset) = value { return .flag(name, offset: offset) }
    throw ExpressionError(
      "expected a comparison (<, <=, ==, !=, >=, >), 'in', 'between' or 'is missing' here, found \(describe(t))",
      source: source, offset: max(t.offset, startOffset))
  }

  // MARK: - Values

  private mutating func parseValue() throws(ExpressionError) -> ValueSyntax {
    var left = try parseTerm()
    while case .symbol(let s) = tokens[position].kind, s == "+" || s == "-" {
      let at = tokens[position].offset
      position += 1
      left = .arithmetic(Character(s), left, try parseTerm(), offset: at)
    }
    return left
  }

  private mutating func parseTerm() throws(ExpressionError) -> ValueSyntax {
    var left = try parseFactor()
    while case .symbol(let s) = tokens[position].kind, s == "*" || s == "/" {
      let at = tokens[position].offset
      position += 1
      left = .arithmetic(Character(s), left, try parseFactor(), offset: at)
    }
    return left
  }

  private mutating func parseFactor() throws(ExpressionError) -> ValueSyntax {
    let t = tokens[position]
    switch t.kind {
    case .number(let value):
      position += 1
      if case .identifier(let word) = tokens[position].kind, let unit = TimeUnit(word: word) {
        position += 1
        return .number(value, unit: unit, offset: t.offset)
      }
      return .number(value, unit: nil, offset: t.offset)
    case .string(let text):
      position += 1
      return .string(text, offset: t.offset)
    case .identifier(let name) where !keywords.contains(name):
      position += 1
      if isSymbol("(") {
        guard functionNames.contains(name) else {
          throw ExpressionError("unknown function '\(name)'; the functions are \(functionNames.joined(separator: ", "))",
                                source: source, offset: t.offset)
        }
        position += 1
        var arguments = [try parseValue()]
        while isSymbol(",") {
          position += 1
          arguments.append(try parseValue())
        }
        try expectSymbol(")", "to close the arguments of \(name)(")
        return .function(name, arguments, offset: t.offset)
      }
      return .variable(name, offset: t.offset)
    case .symbol("("):
      position += 1
      let inner = try parseValue()
      try expectSymbol(")", "to close the '(' opened at column \(t.offset + 1)")
      return inner
    case .symbol("-"):
      position += 1
      return .negate(try parseFactor(), offset: t.offset)
    case .end:
      throw ExpressionError("the expression ends too early: expected a value", source: source, offset: t.offset)
    default:
      throw ExpressionError("expected a value (a number, a \"label\" or a variable), found \(describe(t))",
                            source: source, offset: t.offset)
    }
  }

  // MARK: - Helpers

  private func isKeyword(_ word: String) -> Bool {
    if case .identifier(word) = tokens[position].kind { return true }
    return false
  }

  private func isSymbol(_ s: String) -> Bool {
    if case .symbol(s) = tokens[position].kind { return true }
    return false
  }

  private mutating func expectSymbol(_ s: String, _ purpose: String) throws(ExpressionError) {
    guard isSymbol(s) else {
      throw ExpressionError("expected '\(s)' \(purpose), found \(describe(tokens[position]))", source: source,
                            offset: tokens[position].offset)
    }
    position += 1
  }

  private func describe(_ t: Token) -> String {
    switch t.kind {
    case .end: "the end of the expression"
    case .number(let v): "the number \(v.formatted)"
    case .string(let s): "the label \"\(s)\""
    case .identifier(let w): keywords.contains(w) ? "'\(w)'" : "'\(w)'"
    case .symbol(let s): "'\(s)'"
    }
  }
}

extension Double {
  /// Integers without ".0", as users write them.
  var formatted: String { self == rounded() && abs(self) < 1e15 ? String(Int(self)) : String(self) }
}
