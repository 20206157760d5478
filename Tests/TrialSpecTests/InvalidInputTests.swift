// InvalidInputTests.swift — malformed files give their exact, located messages; random and
// mutated input gives errors only, never a crash (a bounded, seeded fuzz test).

import Foundation
import Testing
import TestSupport
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
      #expect(error.description == """
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

  static let pieces = ["age", "nodes", "differ", "sex", "rx", "obstruct", "agee", "18", "80", "1.5e3", "-", "+", "*", "/",
                       "(", ")", "[", "]", ",", "<", "<=", "==", "!=", ">=", ">", "=", "!", "and", "or", "not", "in",
                       "between", "is", "missing", "\"male\"", "\"poor\"", "'x", "\"", "years", "d", "abs(", "min(",
                       "log(", "max(", "\u{00e9}", "\t", "0", ".", "..", "e5"]

  @Test("10,000 random token strings and mutations of valid expressions: an error or a value, never a crash")
  func expressions() {
    var rng = Seeded(state: 20261125)
    let valid = ["age between 18 and 80 and nodes >= 1", "differ >= \"moderate\" or not obstruct",
                 "sex in [\"male\"] and (age - 1) * 2 < 100 years", "nodes is missing or log(nodes) > 0"]
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
