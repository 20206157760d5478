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
//
// Limits where recursion meets input (clang and swift-syntax stop at a fixed nesting depth with
// a diagnostic too). The parser, the checker, the evaluator and the syntax tree's own
// destruction all recurse once per level of the tree, so the tree's depth is bounded here,
// before any of them runs, and every limit is an error at a caret rather than a stack overflow:
// - at most `maxLength` characters (checked before tokenizing);
// - at most `maxNesting` levels of '(', 'not', unary '-' and function calls;
// - at most `maxOperators` binary operators ('and', 'or', '+', '-', '*', '/');
// - a value's tree, with the conditions around it, at most `maxNesting` levels high: a chain
//   `a + b + c …` is a left-leaning tree as deep as it is long, so each of its operators counts
//   as a level. Chains of `and` and `or` are built balanced instead (Kleene logic is
//   associative): log₂(n) levels.
// The whole tree is then at most about maxNesting + 2 log₂(maxOperators) levels deep. In a debug
// build such a tree needs up to about 2 MB of stack (the checker's and evaluator's frames are
// large; a release build needs far less); the main thread and Dispatch's worker threads have
// 8 MB on Linux. ExpressionLimitTests compiles and evaluates the deepest shapes on a 4 MB thread.

let keywords: Set<String> = ["and", "or", "not", "in", "between", "is", "missing"]
let functionNames = ["abs", "min", "max", "log"]

/// The documented bounds on one expression (Docs/ProtocolFormat.md, "Expressions").
public enum ExpressionLimits {
  /// Characters in one expression.
  public static let maxLength = 10_000
  /// Levels of parentheses, `not`, unary `-` and function calls, nested in each other.
  public static let maxNesting = 200
  /// Binary operators (`and`, `or`, `+`, `-`, `*`, `/`) in one expression.
  public static let maxOperators = 1_000
}

struct ExpressionParser {
  let source: String
  private var tokens: [Token] = []
  private var position = 0
  /// Current nesting of '(', 'not', unary '-' and function calls.
  private var depth = 0
  /// Binary operators consumed so far (backtracking restores it).
  private var operators = 0
  /// The height of the syntax tree of the value parsed last (set by each value rule on return).
  private var valueHeight = 0
  /// The nesting (`not`, `(`) around the predicate being parsed.
  private var predicateDepth = 0

  init(_ source: String) throws(ExpressionError) {
    self.source = source
    tokens = try Self.tokenize(source)
  }

  // MARK: - Tokens

  static func tokenize(_ source: String) throws(ExpressionError) -> [Token] {
    // Counting stops early: a 5 MB line costs no more than a long expression.
    if source.utf8.count > ExpressionLimits.maxLength,
      source.index(source.startIndex, offsetBy: ExpressionLimits.maxLength, limitedBy: source.endIndex)
        .map({ $0 < source.endIndex }) ?? false
    {
      throw ExpressionError(
        "the expression is longer than \(ExpressionLimits.maxLength) characters; split it into several rules",
        source: source, offset: ExpressionLimits.maxLength, isLimit: true)
    }
    let chars = Array(source)
    var tokens: [Token] = []
    var i = 0
    func isIdentifierStart(_ c: Character) -> Bool { c.isLetter || c == "_" }
    func isIdentifierPart(_ c: Character) -> Bool { c.isLetter || c.isNumber || c == "_" || c == "." }
    while i < chars.count {
      let c = chars[i]
      if c.isWhitespace {
        i += 1
        continue
      }
      let start = i
      if c.isNumber || (c == "." && i + 1 < chars.count && chars[i + 1].isNumber) {
        while i < chars.count && (chars[i].isNumber || chars[i] == ".") { i += 1 }
        if i < chars.count && (chars[i] == "e" || chars[i] == "E"),
          i + 1 < chars.count,
          chars[i + 1].isNumber || ((chars[i + 1] == "-" || chars[i + 1] == "+") && i + 2 < chars.count && chars[i + 2].isNumber)
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
          // Invisible characters (NUL, zero-width space, controls) are named by their code point.
          let shown =
            c.unicodeScalars.allSatisfy({ $0.properties.isWhitespace || $0.value < 0x20 || $0.properties.generalCategory == .format })
            ? c.unicodeScalars.map { "U+" + String($0.value, radix: 16, uppercase: true).leftPadded(to: 4) }.joined(separator: " ")
            : "'\(c)'"
          throw ExpressionError("unexpected character \(shown)", source: source, offset: start)
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
      throw ExpressionError(
        "unexpected \(describe(t)) after a complete condition; join conditions with 'and' or 'or'",
        source: source, offset: t.offset)
    }
    return condition
  }

  private mutating func parseOr() throws(ExpressionError) -> ConditionSyntax {
    var operands = [try parseAnd()]
    while isKeyword("or") {
      try countOperator(tokens[position])
      position += 1
      operands.append(try parseAnd())
    }
    return Self.balanced(operands[...], ConditionSyntax.or)
  }

  /// `a op b op c …` as a balanced tree, log₂(n) deep rather than n: Kleene `and` and `or` are
  /// associative, so the truth values are those of the left-to-right reading.
  private static func balanced(
    _ operands: ArraySlice<ConditionSyntax>,
    _ join: (ConditionSyntax, ConditionSyntax) -> ConditionSyntax
  ) -> ConditionSyntax {
    if operands.count == 1 { return operands[operands.startIndex] }
    let middle = operands.startIndex + operands.count / 2
    return join(balanced(operands[..<middle], join), balanced(operands[middle...], join))
  }

  private mutating func parseAnd() throws(ExpressionError) -> ConditionSyntax {
    var operands = [try parseUnary()]
    while isKeyword("and") {
      try countOperator(tokens[position])
      position += 1
      operands.append(try parseUnary())
    }
    return Self.balanced(operands[...], ConditionSyntax.and)
  }

  private mutating func parseUnary() throws(ExpressionError) -> ConditionSyntax {
    if isKeyword("not") {
      try enter(tokens[position])
      defer { depth -= 1 }
      position += 1
      return .not(try parseUnary())
    }
    if isSymbol("(") {
      let start = position
      let savedOperators = operators
      let asPredicate: ExpressionError
      do {
        return try parsePredicate()
      } catch {
        asPredicate = error
      }
      // A limit is final: retrying the other reading would only hit it again (and cost time).
      if asPredicate.isLimit { throw asPredicate }
      position = start + 1
      operators = savedOperators
      try enter(tokens[start])
      defer { depth -= 1 }
      do {
        let inner = try parseOr()
        try expectSymbol(")", "to close the '(' opened at column \(tokens[start].offset + 1)")
        return inner
      } catch {
        throw error.isLimit || error.offset >= asPredicate.offset ? error : asPredicate
      }
    }
    return try parsePredicate()
  }

  private mutating func parsePredicate() throws(ExpressionError) -> ConditionSyntax {
    let startOffset = tokens[position].offset
    predicateDepth = depth
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
      if isKeyword("not") {
        not = true
        position += 1
      }
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
    var height = valueHeight
    while case .symbol(let s) = tokens[position].kind, s == "+" || s == "-" {
      let op = tokens[position]
      try countOperator(op)
      position += 1
      let right = try parseTerm()
      height = max(height, valueHeight) + 1
      try checkHeight(height, op)
      left = .arithmetic(Character(s), left, right, offset: op.offset)
    }
    valueHeight = height
    return left
  }

  private mutating func parseTerm() throws(ExpressionError) -> ValueSyntax {
    var left = try parseFactor()
    var height = valueHeight
    while case .symbol(let s) = tokens[position].kind, s == "*" || s == "/" {
      let op = tokens[position]
      try countOperator(op)
      position += 1
      let right = try parseFactor()
      height = max(height, valueHeight) + 1
      try checkHeight(height, op)
      left = .arithmetic(Character(s), left, right, offset: op.offset)
    }
    valueHeight = height
    return left
  }

  private mutating func parseFactor() throws(ExpressionError) -> ValueSyntax {
    let t = tokens[position]
    valueHeight = 1
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
          throw ExpressionError(
            "unknown function '\(name)'; the functions are \(functionNames.joined(separator: ", "))",
            source: source, offset: t.offset)
        }
        try enter(t)
        defer { depth -= 1 }
        position += 1
        var arguments = [try parseValue()]
        var height = valueHeight
        while isSymbol(",") {
          position += 1
          arguments.append(try parseValue())
          height = max(height, valueHeight)
        }
        try expectSymbol(")", "to close the arguments of \(name)(")
        valueHeight = height + 1
        try checkHeight(valueHeight, t)
        return .function(name, arguments, offset: t.offset)
      }
      return .variable(name, offset: t.offset)
    case .symbol("("):
      try enter(t)
      defer { depth -= 1 }
      position += 1
      let inner = try parseValue()
      try expectSymbol(")", "to close the '(' opened at column \(t.offset + 1)")
      return inner
    case .symbol("-"):
      try enter(t)
      defer { depth -= 1 }
      position += 1
      let inner = try parseFactor()
      valueHeight += 1
      try checkHeight(valueHeight, t)
      return .negate(inner, offset: t.offset)
    case .end:
      throw ExpressionError("the expression ends too early: expected a value", source: source, offset: t.offset)
    default:
      throw ExpressionError(
        "expected a value (a number, a \"label\" or a variable), found \(describe(t))",
        source: source, offset: t.offset)
    }
  }

  // MARK: - Limits

  /// Enters one level of nesting at `token`, or throws when that would exceed the limit.
  /// The caller leaves the level with `defer { depth -= 1 }` after this returns.
  private mutating func enter(_ token: Token) throws(ExpressionError) {
    guard depth < ExpressionLimits.maxNesting else {
      throw ExpressionError(
        "the expression nests deeper than \(ExpressionLimits.maxNesting) levels of parentheses, 'not', '-' and "
          + "function calls; simplify it", source: source, offset: token.offset, isLimit: true)
    }
    depth += 1
  }

  /// Throws when a value's syntax tree, `height` levels at `token`, under the conditions that
  /// enclose it, is deeper than the nesting limit: a chain `a + b + c …` is a left-leaning
  /// tree, one level per operator.
  private func checkHeight(_ height: Int, _ token: Token) throws(ExpressionError) {
    guard predicateDepth + height <= ExpressionLimits.maxNesting else {
      throw ExpressionError(
        "the expression nests deeper than \(ExpressionLimits.maxNesting) levels (each '+', '-', '*', '/' of a chain "
          + "counts as one, as does each '-' and function call); split it", source: source, offset: token.offset,
        isLimit: true)
    }
  }

  /// Counts one binary operator at `token`, or throws when there are too many.
  private mutating func countOperator(_ token: Token) throws(ExpressionError) {
    operators += 1
    guard operators <= ExpressionLimits.maxOperators else {
      throw ExpressionError(
        "the expression has more than \(ExpressionLimits.maxOperators) operators ('and', 'or', '+', '-', '*', '/'); "
          + "split it into several rules", source: source, offset: token.offset, isLimit: true)
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
      throw ExpressionError(
        "expected '\(s)' \(purpose), found \(describe(tokens[position]))", source: source,
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

extension String {
  fileprivate func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}

extension Double {
  /// Integers without ".0", as users write them.
  var formatted: String { self == rounded() && abs(self) < 1e15 ? String(Int(self)) : String(self) }
}
