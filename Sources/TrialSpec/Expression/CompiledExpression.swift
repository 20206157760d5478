// CompiledExpression.swift — parse and check once, evaluate over whole columns many times.
//
// Evaluation is vectorised: every node computes its values for all rows into a buffer, so a
// condition over n rows costs a handful of passes over n numbers, with no parsing, no Dictionary
// look-up per row and no allocation per row (Docs/Performance.md). Three-valued (Kleene) logic:
//   false and unknown = false,  true or unknown = true,  not unknown = unknown;
// a comparison with a missing operand (NaN, or label −1, or nil text) is unknown; `is missing`
// is never unknown.
//
// Arithmetic that has no value gives a missing value (NaN), so a comparison with it is unknown:
// `log` of a value <= 0, and division by zero — any `x / 0`, whether x is positive, negative,
// zero or missing (IEEE would give ±infinity for x != 0, making `age / 0 > 1` true; a rule should
// not be decided by a division that means nothing). The checker folds constant divisions by the
// same rule (`ExpressionChecker.fold`). `x / 0 is missing` is therefore true.

import Foundation

/// An eligibility expression, parsed and type-checked against the variables it may use.
public struct CompiledExpression: Sendable {
  /// The expression as written.
  public let source: String
  /// The variables it reads.
  public let variables: [String]
  let program: ConditionProgram

  /// Parses and type-checks `source` against `symbols`.
  /// - Throws: ``ExpressionError`` pointing at the fault (syntax, unknown variable, type, unit).
  public init(_ source: String, symbols: [String: ExpressionSymbol]) throws(ExpressionError) {
    var parser = try ExpressionParser(source)
    let syntax = try parser.parseCondition()
    program = try ExpressionChecker(source: source, symbols: symbols).condition(syntax)
    self.source = source
    var names: [String] = []
    Self.collect(program, into: &names)
    variables = Array(Set(names)).sorted()
  }

  /// The truth value of the expression for every row of `columns`.
  /// Every variable in ``variables`` must be present (a programmer error otherwise).
  public func evaluate(_ columns: ExpressionColumns) -> [Truth] {
    let codes = Evaluator(columns: columns).condition(program)
    return codes.map { Truth(rawValue: $0)! }
  }

  private static func collect(_ p: ConditionProgram, into names: inout [String]) {
    func numeric(_ n: NumericProgram) {
      switch n {
      case .constant: break
      case .column(let c): names.append(c)
      case .negate(let a): numeric(a)
      case .arithmetic(_, let a, let b):
        numeric(a)
        numeric(b)
      case .function(_, let args): args.forEach(numeric)
      }
    }
    switch p {
    case .numericCompare(let a, _, let b):
      numeric(a)
      numeric(b)
    case .numericIn(let a, _, _), .numericMissing(let a, _): numeric(a)
    case .numericBetween(let a, let b, let c, _):
      numeric(a)
      numeric(b)
      numeric(c)
    case .labelCompare(let c, _, _), .labelIn(let c, _, _), .labelBetween(let c, _, _, _), .textCompare(let c, _, _),
      .textIn(let c, _, _), .columnMissing(let c, _):
      names.append(c)
    case .and(let a, let b), .or(let a, let b):
      collect(a, into: &names)
      collect(b, into: &names)
    case .not(let a): collect(a, into: &names)
    }
  }
}

/// Vectorised evaluation. Truth codes: 0 false, 1 true, 2 unknown.
private struct Evaluator {
  let columns: ExpressionColumns
  var n: Int { columns.rowCount }

  func column(_ name: String) -> ExpressionColumn {
    guard let c = columns.columns[name] else { preconditionFailure("column '\(name)' was not supplied") }
    return c
  }

  func numeric(_ p: NumericProgram) -> [Double] {
    switch p {
    case .constant(let v): return [Double](repeating: v, count: n)
    case .column(let name):
      guard case .numeric(let values) = column(name) else { preconditionFailure("'\(name)' must be numeric") }
      return values
    case .negate(let a): return numeric(a).map { -$0 }
    case .arithmetic(let op, let a, let b):
      var x = numeric(a)
      let y = numeric(b)
      switch op {
      case "+": for i in 0..<n { x[i] += y[i] }
      case "-": for i in 0..<n { x[i] -= y[i] }
      case "*": for i in 0..<n { x[i] *= y[i] }
      default: for i in 0..<n { x[i] = y[i] == 0 ? .nan : x[i] / y[i] }  // x / 0: no value (see the top)
      }
      return x
    case .function(let name, let args):
      var x = numeric(args[0])
      switch name {
      case "abs": for i in 0..<n { x[i] = abs(x[i]) }
      case "log": for i in 0..<n { x[i] = x[i] > 0 ? Foundation.log(x[i]) : .nan }  // log of ≤ 0: no value
      default:
        for arg in args.dropFirst() {
          let y = numeric(arg)
          // min/max of a missing value is missing (Swift's min would drop NaN silently).
          for i in 0..<n { x[i] = x[i].isNaN || y[i].isNaN ? .nan : (name == "min" ? Swift.min(x[i], y[i]) : Swift.max(x[i], y[i])) }
        }
      }
      return x
    }
  }

  func condition(_ p: ConditionProgram) -> [UInt8] {
    var out = [UInt8](repeating: 2, count: n)
    switch p {
    case .numericCompare(let a, let op, let b):
      let x = numeric(a)
      let y = numeric(b)
      for i in 0..<n where !x[i].isNaN && !y[i].isNaN { out[i] = op.holds(x[i], y[i]) ? 1 : 0 }
    case .numericIn(let a, let values, let negated):
      let x = numeric(a)
      for i in 0..<n where !x[i].isNaN { out[i] = values.contains(x[i]) != negated ? 1 : 0 }
    case .numericBetween(let a, let lo, let hi, let negated):
      let x = numeric(a)
      let l = numeric(lo)
      let h = numeric(hi)
      for i in 0..<n where !x[i].isNaN && !l[i].isNaN && !h[i].isNaN {
        out[i] = (x[i] >= l[i] && x[i] <= h[i]) != negated ? 1 : 0
      }
    case .labelCompare(let name, let op, let index):
      guard case .labels(let v) = column(name) else { preconditionFailure("'\(name)' must hold labels") }
      for i in 0..<n where v[i] >= 0 { out[i] = op.holds(Double(v[i]), Double(index)) ? 1 : 0 }
    case .labelIn(let name, let set, let negated):
      guard case .labels(let v) = column(name) else { preconditionFailure("'\(name)' must hold labels") }
      for i in 0..<n where v[i] >= 0 { out[i] = set.contains(v[i]) != negated ? 1 : 0 }
    case .labelBetween(let name, let lo, let hi, let negated):
      guard case .labels(let v) = column(name) else { preconditionFailure("'\(name)' must hold labels") }
      for i in 0..<n where v[i] >= 0 { out[i] = (v[i] >= lo && v[i] <= hi) != negated ? 1 : 0 }
    case .textCompare(let name, let equal, let s):
      guard case .text(let v) = column(name) else { preconditionFailure("'\(name)' must be text") }
      for i in 0..<n { if let t = v[i] { out[i] = (t == s) == equal ? 1 : 0 } }
    case .textIn(let name, let set, let negated):
      guard case .text(let v) = column(name) else { preconditionFailure("'\(name)' must be text") }
      for i in 0..<n { if let t = v[i] { out[i] = set.contains(t) != negated ? 1 : 0 } }
    case .numericMissing(let a, let negated):
      let x = numeric(a)
      for i in 0..<n { out[i] = x[i].isNaN != negated ? 1 : 0 }
    case .columnMissing(let name, let negated):
      let missing: (Int) -> Bool
      switch column(name) {
      case .numeric(let v): missing = { v[$0].isNaN }
      case .labels(let v): missing = { v[$0] < 0 }
      case .text(let v): missing = { v[$0] == nil }
      }
      for i in 0..<n { out[i] = missing(i) != negated ? 1 : 0 }
    case .and(let a, let b):
      let x = condition(a)
      let y = condition(b)
      for i in 0..<n { out[i] = x[i] == 0 || y[i] == 0 ? 0 : (x[i] == 1 && y[i] == 1 ? 1 : 2) }
    case .or(let a, let b):
      let x = condition(a)
      let y = condition(b)
      for i in 0..<n { out[i] = x[i] == 1 || y[i] == 1 ? 1 : (x[i] == 0 && y[i] == 0 ? 0 : 2) }
    case .not(let a):
      let x = condition(a)
      for i in 0..<n { out[i] = x[i] == 2 ? 2 : 1 - x[i] }
    }
    return out
  }
}

extension CompiledExpression {
  /// When the expression is one comparison of a single numeric variable with constants
  /// (`age >= 18`, `age between 18 and 80`, `18 <= age`), that variable and the closed interval
  /// it allows (strictness is dropped: it matters only on a set of measure zero for continuous
  /// values; discrete values are checked by evaluating the expression itself). Used to sample
  /// generated patients inside the rule's latent interval.
  public var numericBound: (variable: String, low: Double, high: Double)? {
    switch program {
    // A NaN constant (a folded division by zero) makes the rule unknown for everyone: no interval.
    case .numericCompare(.column(let name), let op, .constant(let c)) where !c.isNaN:
      return Self.interval(name, op, c)
    case .numericCompare(.constant(let c), let op, .column(let name)) where !c.isNaN:
      return Self.interval(name, op.reversed, c)
    case .numericBetween(.column(let name), .constant(let lo), .constant(let hi), negated: false) where !lo.isNaN && !hi.isNaN:
      return (name, lo, hi)
    default:
      return nil
    }
  }

  private static func interval(_ name: String, _ op: ComparisonOperator, _ c: Double) -> (String, Double, Double)? {
    switch op {
    case .less, .lessOrEqual: (name, -.infinity, c)
    case .greater, .greaterOrEqual: (name, c, .infinity)
    case .equal: (name, c, c)
    case .notEqual: nil
    }
  }
}
