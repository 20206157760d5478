// SpecReader.swift — typed access to a Yams node tree that keeps positions and collects errors.
//
// Yams' `compose(yaml:)` gives `Node`s whose `mark` holds the 1-based line and column. Every
// accessor here takes the key path of the node it reads, so an error names file, line, column
// and path. Accessors return nil after recording an error, so loading continues and reports
// every problem of the file together.

import Foundation
import Yams

final class SpecReader {
  let file: String
  private(set) var errors: [SpecError] = []
  /// Names whose declaration had an error already reported: expressions that use them are not
  /// checked again, so one typo gives one error rather than one per rule.
  var unresolvedNames: Set<String> = []

  init(file: String) { self.file = file }

  /// Records an error located elsewhere (e.g. in the reference CSV).
  func appendError(_ error: SpecError) { errors.append(error) }

  func fail(_ node: Node?, _ path: String, _ message: String, detail: String? = nil, columnOffset: Int = 0) {
    errors.append(
      SpecError(
        file: file, line: node?.mark?.line, column: node?.mark.map { $0.column + columnOffset },
        keyPath: path, message: message, detail: detail))
  }

  /// Parses YAML text into its root node, or records the syntax error with its position.
  func root(yaml: String) -> Node? {
    if let alias = YAMLGuard.firstAlias(in: yaml) {
      errors.append(
        SpecError(
          file: file, line: alias.line, column: alias.column, keyPath: "",
          message: "YAML aliases (*name) are not supported in SynthArm files; write the value out"))
      return nil
    }
    do {
      guard let node = try Yams.compose(yaml: yaml) else {
        fail(nil, "", "the file is empty; a SynthArm file starts with 'syntharm: 1'")
        return nil
      }
      return node
    } catch let error as YamlError {
      let (line, column, problem) = Self.locate(error)
      errors.append(SpecError(file: file, line: line, column: column, keyPath: "", message: "invalid YAML: \(problem)"))
    } catch {
      errors.append(SpecError(file: file, line: nil, column: nil, keyPath: "", message: "invalid YAML: \(error)"))
    }
    return nil
  }

  private static func locate(_ error: YamlError) -> (Int?, Int?, String) {
    switch error {
    case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
      .composer(let context, let problem, let mark, _):
      return (mark.line, mark.column, context.map { "\(problem) (\($0.text))" } ?? problem)
    case .duplicatedKeysInMapping(let duplicates, let context):
      return (context.mark.line, context.mark.column, "duplicate key \(duplicates.map { "'\($0)'" }.joined(separator: ", "))")
    case .reader(let problem, let offset, _, let yaml):
      // The reader reports a byte offset (e.g. a NUL byte): turn it into a line and column.
      guard let offset, offset >= 0 else { return (nil, nil, problem) }
      let before = yaml.utf8.prefix(offset)
      let line = before.reduce(1) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
      let lineStart = before.lastIndex(of: UInt8(ascii: "\n")).map { before.index(after: $0) } ?? before.startIndex
      let column = (String(decoding: before[lineStart...], as: UTF8.self)).count + 1
      return (line, column, problem)
    default:
      return (nil, nil, "\(error)")
    }
  }

  /// The top-level mapping of a SynthArm file, with `syntharm: 1` checked.
  func document(yaml: String, allowed: [String], required: [String]) -> SpecMapping? {
    guard let root = root(yaml: yaml), let top = mapping(root, "", allowed: allowed, required: required) else { return nil }
    if let version = string(top["syntharm"], "syntharm"), version != "1" {
      fail(top["syntharm"], "syntharm", "this is format version '\(version)'; this SynthArm reads version 1")
    }
    return top
  }

  // MARK: - Mappings

  /// A mapping whose keys are checked against `allowed` (unknown keys are errors with a
  /// suggestion) and `required`.
  func mapping(_ node: Node?, _ path: String, allowed: [String], required: [String] = []) -> SpecMapping? {
    guard let node else { return nil }
    guard let mapping = node.mapping else {
      fail(node, path, "expected a mapping of keys (\(allowed.joined(separator: ", "))), found \(describe(node))")
      return nil
    }
    var values: [(String, Node, Node)] = []
    for (key, value) in mapping {
      let name = key.scalar?.string ?? "\(key)"
      if !allowed.contains(name) {
        fail(
          key, join(path, name),
          "unknown key '\(name)'\(didYouMean(name, among: allowed)); allowed here: \(allowed.joined(separator: ", "))")
        continue
      }
      values.append((name, key, value))
    }
    for key in required where !values.contains(where: { $0.0 == key }) {
      fail(node, join(path, key), "'\(key)' is required")
    }
    return SpecMapping(node: node, path: path, entries: values)
  }

  /// A sequence's elements with their paths.
  func sequence(_ node: Node?, _ path: String) -> [(Node, String)]? {
    guard let node else { return nil }
    guard let items = node.sequence else {
      fail(node, path, "expected a list, found \(describe(node))")
      return nil
    }
    return items.enumerated().map { ($0.element, "\(path)[\($0.offset)]") }
  }

  // MARK: - Scalars

  func string(_ node: Node?, _ path: String) -> String? {
    guard let node else { return nil }
    guard let s = node.scalar?.string else {
      fail(node, path, "expected a single value, found \(describe(node))")
      return nil
    }
    return s
  }

  func number(_ node: Node?, _ path: String, _ rule: String = "a number", where valid: (Double) -> Bool = { _ in true }) -> Double? {
    guard let text = string(node, path) else { return nil }
    guard let v = Double(text.trimmingCharacters(in: .whitespaces)), v.isFinite, valid(v) else {
      fail(node, path, "must be \(rule) (found '\(text)')")
      return nil
    }
    return v
  }

  func integer(_ node: Node?, _ path: String, _ rule: String = "a whole number", where valid: (Int) -> Bool = { _ in true }) -> Int? {
    guard let text = string(node, path) else { return nil }
    guard let v = Int(text.trimmingCharacters(in: .whitespaces)), valid(v) else {
      fail(node, path, "must be \(rule) (found '\(text)')")
      return nil
    }
    return v
  }

  func choice(_ node: Node?, _ path: String, _ options: [String]) -> String? {
    guard let text = string(node, path) else { return nil }
    guard options.contains(text) else {
      fail(node, path, "'\(text)' is not one of \(options.joined(separator: ", "))\(didYouMean(text, among: options))")
      return nil
    }
    return text
  }

  /// A duration in `unit`: a bare number is already in `unit`; "24 months" or "2 years" is converted.
  func duration(_ node: Node?, _ path: String, unit: TimeUnit, positive: Bool = true) -> Double? {
    guard let text = string(node, path) else { return nil }
    let parts = text.split(separator: " ", omittingEmptySubsequences: true)
    var value: Double?
    if parts.count == 1 {
      value = Double(parts[0])
    } else if parts.count == 2, let v = Double(parts[0]), let u = TimeUnit(word: String(parts[1])) {
      value = u.convert(v, to: unit)
    }
    guard let value, value.isFinite, positive ? value > 0 : value >= 0 else {
      fail(
        node, path,
        "must be a \(positive ? "positive " : "")duration: a number in the file's time_unit (\(unit.rawValue)s) or a number with a unit, e.g. '24 months' (found '\(text)')"
      )
      return nil
    }
    return value
  }

  private func join(_ path: String, _ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

  func describe(_ node: Node) -> String {
    switch node {
    case .scalar(let s): "'\(s.string)'"
    case .mapping: "a mapping"
    case .sequence: "a list"
    case .alias: "an alias"
    }
  }
}

/// The checked entries of a mapping.
struct SpecMapping {
  let node: Node
  let path: String
  let entries: [(key: String, keyNode: Node, value: Node)]

  subscript(_ key: String) -> Node? { entries.first { $0.key == key }?.value }
  func has(_ key: String) -> Bool { self[key] != nil }
  func path(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }
}
