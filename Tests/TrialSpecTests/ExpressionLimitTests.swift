// ExpressionLimitTests.swift — the bounds that keep hostile expressions from overflowing the
// stack (ExpressionLimits), and division by zero as unknown. Expected values come from the
// definitions: Kleene logic with "x / 0 has no value", and the documented limits.

import Foundation
import TestSupport
import Testing

@testable import TrialSpec

@Suite("Expression limits and division by zero", .tags(.unit))
struct ExpressionLimitTests {
  let symbols: [String: ExpressionSymbol] = ["age": .numeric(unit: "year"), "nodes": .numeric(unit: nil)]

  func truth(_ source: String, age: [Double], nodes: [Double]? = nil) throws -> [Truth] {
    let compiled = try CompiledExpression(source, symbols: symbols)
    return compiled.evaluate(
      ExpressionColumns(
        rowCount: age.count, columns: ["age": .numeric(age), "nodes": .numeric(nodes ?? age)]))
  }

  @Test("x / 0 is unknown for every x, positive, negative, zero or missing; so is its negation")
  func divisionByZero() throws {
    let ages = [60, -3, 0, .nan]
    #expect(try truth("age / 0 > 1", age: ages) == [.unknown, .unknown, .unknown, .unknown])
    #expect(try truth("age / 0 <= 1", age: ages) == [.unknown, .unknown, .unknown, .unknown])
    #expect(try truth("not (age / 0 > 1)", age: ages) == [.unknown, .unknown, .unknown, .unknown])
    #expect(try truth("age / 0 is missing", age: ages) == [.yes, .yes, .yes, .yes])
    // Division by a variable that is zero on some rows only.
    #expect(try truth("age / nodes > 1", age: [10, 10, 10], nodes: [2, 0, 20]) == [.yes, .unknown, .no])
    // Kleene: false and unknown = false; true or unknown = true.
    #expect(try truth("age > 100 and age / 0 > 1", age: [60]) == [.no])
    #expect(try truth("age > 10 or age / 0 > 1", age: [60]) == [.yes])
  }

  @Test("a constant division by zero is folded to 'no value' too")
  func constantDivisionByZero() throws {
    #expect(try truth("age > 1 / 0", age: [60, 0]) == [.unknown, .unknown])
    #expect(try truth("age > -1 / 0", age: [60]) == [.unknown])
    #expect(try truth("age > 0 / 0", age: [60]) == [.unknown])
    // No interval for the conditional sampler from a rule that is unknown for everyone.
    #expect(try CompiledExpression("age > 1 / 0", symbols: symbols).numericBound == nil)
    #expect(try CompiledExpression("age > 4 / 2", symbols: symbols).numericBound?.low == 2)
  }

  @Test("150 nested parentheses (deep but legal) parse, check and evaluate")
  func deepButLegal() throws {
    let source = String(repeating: "(", count: 150) + "age > 1" + String(repeating: ")", count: 150)
    #expect(try truth(source, age: [2, 0]) == [.yes, .no])
    let values = String(repeating: "(", count: 150) + "age" + String(repeating: ")", count: 150) + " > 1"
    #expect(try truth(values, age: [2, 0]) == [.yes, .no])
    let nots = String(repeating: "not ", count: 150) + "age > 1"  // an even number: the same truth
    #expect(try truth(nots, age: [2, 0]) == [.yes, .no])
    // 150 levels of conditions leave 50 for the values inside.
    let sum = String(repeating: "not ", count: 150) + Array(repeating: "age", count: 50).joined(separator: "+") + " > 1"
    #expect(try truth(sum, age: [2, 0]) == [.yes, .no])
    #expect(throws: ExpressionError.self) {
      try CompiledExpression(
        String(repeating: "not ", count: 150) + Array(repeating: "age", count: 52).joined(separator: "+") + " > 1",
        symbols: symbols)
    }
  }

  @Test("the nesting limit is an error at the 201st level, with a caret")
  func nestingLimit() {
    let source = String(repeating: "(", count: 1_000) + "age > 1" + String(repeating: ")", count: 1_000)
    do {
      _ = try CompiledExpression(source, symbols: symbols)
      Issue.record("1,000 parentheses were accepted")
    } catch {
      #expect(error.isLimit)
      #expect(error.offset == ExpressionLimits.maxNesting)
      #expect(
        error.message == "the expression nests deeper than 200 levels of parentheses, 'not', '-' and "
          + "function calls; simplify it")
      // The caret line is cut to the text around the fault, with the caret under it.
      let lines = error.description.split(separator: "\n")
      #expect(lines.count == 3)
      #expect(lines[1].count <= 4 + 122)
      #expect(lines[2].hasSuffix("^") && lines[1].hasPrefix("    …"))
    }
    for source in [
      String(repeating: "not ", count: 201) + "age > 1", String(repeating: "-", count: 201) + "age < 1",
      String(repeating: "abs(", count: 201) + "age" + String(repeating: ")", count: 201) + " > 1",
    ] {
      #expect(throws: ExpressionError.self) { try CompiledExpression(source, symbols: symbols) }
    }
  }

  @Test("a 200-term sum and 699 'and's are accepted; a 202-term sum and 1,001 operators are errors")
  func operatorLimits() throws {
    let sum = Array(repeating: "age", count: 200).joined(separator: "+") + " > 1"  // 199 '+': a tree 200 high
    #expect(try truth(sum, age: [1, 0]) == [.yes, .no])
    let rules = Array(repeating: "age > 1", count: 700).joined(separator: " and ")  // 699 'and', balanced
    #expect(try truth(rules, age: [2, 0]) == [.yes, .no])
    let mixed = Array(repeating: "age > 1 or nodes < 0", count: 400).joined(separator: " and ")  // 799 operators
    #expect(try truth(mixed, age: [2, 0], nodes: [5, 5]) == [.yes, .no])
    let tooHigh = Array(repeating: "age", count: 202).joined(separator: "+") + " > 1"
    do {
      _ = try CompiledExpression(tooHigh, symbols: symbols)
      Issue.record("a 202-term sum was accepted")
    } catch {
      #expect(error.isLimit)
      #expect(error.message.hasPrefix("the expression nests deeper than 200 levels (each '+'"))
      #expect(error.offset == 200 * 4 - 1)  // the 200th '+' makes the tree 201 high
    }
    let tooMany = Array(repeating: "age>1", count: 1_002).joined(separator: " or ")  // 9,014 characters
    do {
      _ = try CompiledExpression(tooMany, symbols: symbols)
      Issue.record("1,001 operators were accepted")
    } catch {
      #expect(error.isLimit)
      #expect(error.message.hasPrefix("the expression has more than 1000 operators"))
    }
  }

  @Test("the deepest legal trees compile and evaluate on a 4 MB stack (debug build)")
  func deepestTreesOnSmallStack() throws {
    let chain = Array(repeating: "age", count: 200).joined(separator: "+")  // 200 high
    let sources = [
      String(repeating: "not ", count: 100) + "(" + Array(repeating: "age", count: 100).joined(separator: "+") + ") > 1",
      String(repeating: "(", count: 199) + "age > 1" + String(repeating: ")", count: 199) + " or " + chain + " > 1",
      String(repeating: "(", count: 199) + "age > 1" + String(repeating: ")", count: 199) + " and "
        + Array(repeating: "age > 1", count: 500).joined(separator: " or "),
    ]
    let symbols = self.symbols
    nonisolated(unsafe) var results: [[Truth]] = []
    let done = DispatchSemaphore(value: 0)
    let thread = Thread {
      for source in sources {
        guard let compiled = try? CompiledExpression(source, symbols: symbols) else {
          results.append([])
          continue
        }
        results.append(compiled.evaluate(ExpressionColumns(rowCount: 2, columns: ["age": .numeric([1, 0]), "nodes": .numeric([0, 0])])))
      }
      done.signal()
    }
    thread.stackSize = 4 << 20
    thread.start()
    done.wait()
    #expect(results.count == 3)
    #expect(results.allSatisfy { !$0.isEmpty }, "a legal expression was rejected")
  }

  @Test("100,000 parentheses, 20,000 'not's and a 50,000-term sum are length errors, not crashes")
  func hostileSizes() {
    let sources = [
      String(repeating: "(", count: 100_000) + "age > 1" + String(repeating: ")", count: 100_000),
      String(repeating: "not ", count: 20_000) + "age > 1",
      Array(repeating: "age", count: 50_000).joined(separator: " + ") + " > 1",
    ]
    for source in sources {
      do {
        _ = try CompiledExpression(source, symbols: symbols)
        Issue.record("accepted: \(source.prefix(20))…")
      } catch {
        #expect(error.isLimit)
        #expect(error.offset == ExpressionLimits.maxLength)
        #expect(error.description.count < 400)
      }
    }
  }
}

@Suite("Event column coding", .tags(.unit))
struct EventCodingTests {
  func spec(_ events: [String], _ censors: [String]) -> ReferenceSpec {
    ReferenceSpec(
      dataPath: "", resolvedDataPath: "", rows: nil, timeColumn: "time", timeUnit: .day, eventColumn: "status",
      eventValue: events[0], eventValues: events, censorValues: censors)
  }

  @Test("values are events, censorings, or neither (compared as numbers when both parse)")
  func status() {
    let s = spec(["1"], ["0"])
    #expect(s.eventStatus("1") == true)
    #expect(s.eventStatus("1.0") == true)
    #expect(s.eventStatus("0") == false)
    #expect(s.eventStatus("2") == nil)
    #expect(s.eventStatus("dead") == nil)
    let words = spec(["dead", "died"], ["alive"])
    #expect(words.eventStatus("died") == true)
    #expect(words.eventStatus("alive") == false)
    #expect(words.eventStatus("0") == nil)
  }
}
