// InvalidInputTests.swift — malformed files give their exact, located messages; random and
// mutated input gives errors only, never a crash (a bounded, seeded fuzz test).

import CohortData
import Foundation
import TestSupport
import Testing
import TrialSpec

@Suite("Malformed protocols and scenarios", .tags(.unit))
struct InvalidInputTests {
  @Test("each file gives its expected first error and error count", arguments: invalidCorpus.map(\.file))
  func corpus(_ file: String) {
    let entry = invalidCorpus.first { $0.file == file }!
    let path = Fixtures.fixturePath("Invalid/" + file)
    do {
      if Scenario.isScenario(path: path) { _ = try Scenario.load(path: path) } else { _ = try TrialProtocol.load(path: path) }
      Issue.record("\(file) was accepted")
    } catch {
      // Paths inside messages are as resolved from the fixture's absolute path; compare them relative to the repository.
      let first = (error.errors.first.map { String($0.description.split(separator: "\n")[0]) } ?? "")
        .replacingOccurrences(of: Fixtures.repositoryRoot.path + "/", with: "")
      #expect(first.hasSuffix(entry.firstError), "got: \(first)")
      #expect(error.errors.count == entry.errorCount, "got:\n\(error.description)")
    }
  }

  @Test("the corpus has at least 25 malformed inputs (protocols, scenarios and CSV files)")
  func corpusSize() throws {
    let files = try FileManager.default.contentsOfDirectory(atPath: Fixtures.fixturePath("Invalid"))
    #expect(files.count >= 25)
    #expect(invalidCorpus.count == files.filter { $0.hasSuffix(".yaml") }.count)
  }

  @Test("an expression error quotes the expression with a caret under the fault")
  func caret() {
    do {
      _ = try CompiledExpression("age between 18 and agee", symbols: ["age": .numeric(unit: "year")])
    } catch {
      #expect(
        error.description == """
          unknown variable 'agee' (did you mean 'age'?)
              age between 18 and agee
                                 ^
          """)
    }
  }
}

@Suite("Fuzz: the parser and loader only ever throw", .tags(.regression))
struct FuzzTests {
  /// SplitMix64: a seeded source for the fuzz cases, so a failure names its seed.
  struct Seeded: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
      state &+= 0x9E37_79B9_7F4A_7C15
      var z = state
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return z ^ (z >> 31)
    }
  }

  static let pieces = [
    "age", "nodes", "differ", "sex", "rx", "obstruct", "agee", "18", "80", "1.5e3", "-", "+", "*", "/",
    "(", ")", "[", "]", ",", "<", "<=", "==", "!=", ">=", ">", "=", "!", "and", "or", "not", "in",
    "between", "is", "missing", "\"male\"", "\"poor\"", "'x", "\"", "years", "d", "abs(", "min(",
    "log(", "max(", "\u{00e9}", "\t", "0", ".", "..", "e5",
  ]

  @Test("10,000 random token strings and mutations of valid expressions: an error or a value, never a crash")
  func expressions() {
    var rng = Seeded(state: 20_261_125)
    let valid = [
      "age between 18 and 80 and nodes >= 1", "differ >= \"moderate\" or not obstruct",
      "sex in [\"male\"] and (age - 1) * 2 < 100 years", "nodes is missing or log(nodes) > 0",
    ]
    var accepted = 0
    for i in 0..<10_000 {
      var source: String
      if i % 2 == 0 {
        source = (0..<Int.random(in: 1...12, using: &rng)).map { _ in Self.pieces.randomElement(using: &rng)! }
          .joined(separator: Bool.random(using: &rng) ? " " : "")
      } else {
        var chars = Array(valid.randomElement(using: &rng)!)
        for _ in 0..<Int.random(in: 1...3, using: &rng) {
          let at = Int.random(in: 0..<chars.count, using: &rng)
          switch Int.random(in: 0..<3, using: &rng) {
          case 0: chars.remove(at: at)
          case 1: chars.insert(Array("()[]\"'<=>!-, 0a").randomElement(using: &rng)!, at: at)
          default: chars.swapAt(at, Int.random(in: 0..<chars.count, using: &rng))
          }
          if chars.isEmpty { chars = ["x"] }
        }
        source = String(chars)
      }
      if let compiled = try? CompiledExpression(source, symbols: conformanceSymbols) {
        accepted += 1
        _ = compiled.evaluate(columns([Patient(), Patient(age: nil, nodes: nil, sex: nil, differ: nil, rx: nil)]))
      }
    }
    #expect(accepted > 0)  // some mutations stay valid, and evaluate
  }

  @Test("300 mutated protocol files: SpecErrors or a protocol, never a crash")
  func yamlFiles() throws {
    var rng = Seeded(state: 7)
    let sources = try ["Protocols/rpact-d1.yaml", "Protocols/colon-adjuvant-os.yaml"].map {
      try String(contentsOfFile: repoPath($0), encoding: .utf8)
    }
    let folder = Fixtures.repositoryRoot.appendingPathComponent("Protocols")
    var failures = 0
    for i in 0..<300 {
      var lines = sources[i % 3 == 0 ? 1 : 0].split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
      for _ in 0..<Int.random(in: 1...4, using: &rng) {
        let at = Int.random(in: 0..<lines.count, using: &rng)
        switch Int.random(in: 0..<5, using: &rng) {
        case 0: lines.remove(at: at)
        case 1: lines[at] = "  " + lines[at]
        case 2: lines[at] = String(lines[at].shuffled(using: &rng))
        case 3: lines.insert(lines.randomElement(using: &rng)!, at: at)
        default: lines[at] = lines[at].replacingOccurrences(of: ":", with: Bool.random(using: &rng) ? "" : ": [")
        }
        if lines.isEmpty { lines = [""] }
      }
      // Written beside the real protocols so relative data paths resolve; removed at once.
      let url = folder.appendingPathComponent(".fuzz-\(i).yaml")
      try lines.joined(separator: "\n").write(to: url, atomically: true, encoding: .utf8)
      defer { try? FileManager.default.removeItem(at: url) }
      do { _ = try TrialProtocol.load(path: url.path) } catch {
        failures += 1
        #expect(!error.errors.isEmpty, "mutation \(i) failed without saying why")
      }
    }
    #expect(failures > 0)
  }
}

@Suite("Fuzz: hostile shapes give located errors, never a crash", .tags(.regression))
struct HostileFuzzTests {
  typealias Seeded = FuzzTests.Seeded

  /// A random expression built to reach the limits: deep nesting of '(', 'not', '-' and
  /// functions, long chains of operators, stray tokens, NUL and non-ASCII characters.
  static func expression(_ rng: inout Seeded, depth: Int, budget: inout Int) -> String {
    budget -= 1
    if budget <= 0 || depth <= 0 { return ["age", "nodes", "1", "\"male\"", "\u{0}", "é", "(", ")"].randomElement(using: &rng)! }
    switch Int.random(in: 0..<9, using: &rng) {
    case 0: return "(" + expression(&rng, depth: depth - 1, budget: &budget) + ")"
    case 1: return "not " + expression(&rng, depth: depth - 1, budget: &budget)
    case 2: return "-" + expression(&rng, depth: depth - 1, budget: &budget)
    case 3:
      return ["abs(", "log(", "min(age, ", "max(1, "].randomElement(using: &rng)! + expression(&rng, depth: depth - 1, budget: &budget)
        + ")"
    case 4:
      let n = Int.random(in: 2...400, using: &rng)
      let op = [" + ", "*", " and ", " or ", "/", "-"].randomElement(using: &rng)!
      return (0..<n).map { _ in expression(&rng, depth: 0, budget: &budget) }.joined(separator: op)
    case 5:
      return expression(&rng, depth: depth - 1, budget: &budget) + [" > ", " <= ", " == ", " / 0 > "].randomElement(using: &rng)!
        + expression(&rng, depth: depth - 1, budget: &budget)
    case 6:
      return expression(&rng, depth: depth - 1, budget: &budget) + " between 1 and " + expression(&rng, depth: depth - 1, budget: &budget)
    case 7:
      return String(repeating: "(", count: Int.random(in: 0...300, using: &rng)) + "age > 1"
        + String(repeating: ")", count: Int.random(in: 0...300, using: &rng))
    default: return expression(&rng, depth: depth - 1, budget: &budget) + " is missing"
    }
  }

  @Test("2,000 deep and long random expressions: a value, or an error whose caret is inside the text")
  func deepExpressions() {
    var rng = Seeded(state: 20_261_206)
    var limits = 0
    var accepted = 0
    for i in 0..<2_000 {
      var budget = 3_000
      let source = Self.expression(&rng, depth: Int.random(in: 1...400, using: &rng), budget: &budget)
      do {
        let compiled = try CompiledExpression(source, symbols: conformanceSymbols)
        accepted += 1
        _ = compiled.evaluate(columns([Patient(), Patient(age: nil, nodes: nil, sex: nil, differ: nil, rx: nil)]))
      } catch {
        if error.isLimit { limits += 1 }
        #expect(error.offset >= 0 && error.offset <= source.count, "case \(i) (seed 20261206): offset \(error.offset)")
        #expect(error.description.count < 1_000, "case \(i): the message is \(error.description.count) characters")
      }
    }
    #expect(limits > 0 && accepted > 0)
  }

  @Test("2,000 mutated and random CSV texts: a table, or an error with a line")
  func csvTexts() {
    var rng = Seeded(state: 99)
    let valid = "time,status,age\n1,1,50\n2,0,\"6,1\"\n3,1,70\r\n"
    let pieces = ["\"", ",", "\n", "\r", "\u{0}", "\u{FEFF}", "\"\"", "1e308", "-0", "\u{FFFD}", "é", "x"]
    for i in 0..<2_000 {
      var text: String
      if i % 2 == 0 {
        text = (0..<Int.random(in: 0...40, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }.joined()
      } else {
        var chars = Array(valid)
        for _ in 0..<Int.random(in: 1...4, using: &rng) where !chars.isEmpty {
          let at = Int.random(in: 0..<chars.count, using: &rng)
          if Bool.random(using: &rng) {
            chars.remove(at: at)
          } else {
            chars.insert(Array("\",\n\r\u{0}x").randomElement(using: &rng)!, at: at)
          }
        }
        text = String(chars)
      }
      do { _ = try CSVTable(text: text, source: "fuzz.csv") } catch {
        #expect(error.line != nil, "case \(i) (seed 99) has no line: \(error)")
        #expect(error.source == "fuzz.csv")
      }
    }
  }

  @Test("150 protocol files with hostile YAML spliced in: every error names the file and, but for whole-file faults, a line")
  func hostileYAML() throws {
    var rng = Seeded(state: 4242)
    let source = try String(contentsOfFile: repoPath("Protocols/veteran-lung-trial.yaml"), encoding: .utf8)
    let folder = Fixtures.repositoryRoot.appendingPathComponent("Protocols")
    let splices = [
      "*alias", "&a [1, 2]", String(repeating: "[", count: 1_500), String(repeating: "- ", count: 1_200) + "x",
      "\u{0}", "? *a\n: b", "id: again", "{", "'unclosed", "\u{FEFF}", "1e400", "karno / 0 > 1",
      String(repeating: "(", count: 300) + "karno > 1" + String(repeating: ")", count: 300),
      String(repeating: "not ", count: 3_000) + "karno > 1",
    ]
    for i in 0..<150 {
      var lines = source.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
      let at = Int.random(in: 0..<lines.count, using: &rng)
      let splice = splices.randomElement(using: &rng)!
      if lines[at].contains(": ") && Bool.random(using: &rng) {
        lines[at] = String(lines[at].prefix { $0 != ":" }) + ": " + splice
      } else {
        lines.insert(splice, at: at)
      }
      let url = folder.appendingPathComponent(".hostile-fuzz-\(i).yaml")
      try lines.joined(separator: "\n").write(to: url, atomically: true, encoding: .utf8)
      defer { try? FileManager.default.removeItem(at: url) }
      do { _ = try TrialProtocol.load(path: url.path) } catch {
        #expect(!error.errors.isEmpty, "mutation \(i) failed without saying why")
        for e in error.errors {
          #expect(e.file.hasSuffix(".yaml") || e.file.hasSuffix(".csv"))
          #expect(
            e.line != nil || e.message.hasPrefix("the file is empty") || e.message.hasPrefix("the protocol could not be loaded"),
            "mutation \(i) (seed 4242): no line in \(e)")
        }
      }
    }
  }
}
