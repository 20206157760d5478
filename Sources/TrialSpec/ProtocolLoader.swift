// ProtocolLoader.swift — reads a protocol file into a validated `TrialProtocol`, collecting
// every error of the file (and of its reference CSV) before failing.

import CohortData
import Foundation
import Yams

extension TrialProtocol {
  static let topKeys = ["syntharm", "id", "title", "time_unit", "reference", "variables", "eligibility",
                        "endpoint", "arms", "design", "synthesis"]

  /// Loads and validates the protocol at `path`.
  /// - Throws: ``SpecErrors`` with every problem found, each with file, line, column and key path.
  public static func load(path: String) throws(SpecErrors) -> TrialProtocol {
    let reader = SpecReader(file: path)
    guard let text = readText(path, reader) else { throw SpecErrors(reader.errors) }
    let loaded = ProtocolLoader(reader: reader, folder: (path as NSString).deletingLastPathComponent).load(yaml: text)
    guard reader.errors.isEmpty, let loaded else {
      if reader.errors.isEmpty { reader.fail(nil, "", "the protocol could not be loaded") }  // a missing error message is a bug
      throw SpecErrors(reader.errors)
    }
    return loaded
  }

  static func readText(_ path: String, _ reader: SpecReader) -> String? {
    guard FileManager.default.fileExists(atPath: path) else {
      reader.fail(nil, "", "no such file")
      return nil
    }
    guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
      reader.fail(nil, "", "cannot read the file as UTF-8 text")
      return nil
    }
    return text
  }
}

struct ProtocolLoader {
  let reader: SpecReader
  let folder: String

  func load(yaml: String) -> TrialProtocol? {
    guard let top = reader.document(yaml: yaml, allowed: TrialProtocol.topKeys, required: ["syntharm", "id", "time_unit", "endpoint", "arms", "design"]) else { return nil }
    let id = reader.string(top["id"], "id")
    let title = top["title"].flatMap { reader.string($0, "title") }
    let unit = reader.choice(top["time_unit"], "time_unit", ["day", "week", "month", "year"]).flatMap(TimeUnit.init(word:))
    let timeUnit = unit ?? .month  // keep checking durations even when time_unit is wrong

    var reference: ReferenceSpec?
    var variables: [VariableDeclaration] = []
    var data: ReferenceData?
    var cohort: Cohort?
    if let node = top["reference"] {
      (reference, cohort) = loadReference(node)
    }
    if let node = top["variables"] {
      variables = loadVariables(node, cohort: cohort)
    } else if reference != nil {
      reader.fail(top.node, "variables", "a protocol with a reference cohort declares its covariates under 'variables'")
    }
    let symbols = Dictionary(uniqueKeysWithValues: variables.map { ($0.name, $0.symbol) })
    if let cohort, let node = top["reference"] {
      data = typeReference(cohort, variables: variables, rowsNode: node, reference: &reference)
    }
    let eligibility = top["eligibility"].map { loadEligibility($0, symbols: symbols) }
      ?? Eligibility(onUnknown: .exclude, rules: [])
    let endpoint = top["endpoint"].flatMap { loadEndpoint($0, timeUnit: timeUnit) }
    let endpointHasControl = top["endpoint"]?.mapping?.contains { $0.key.scalar?.string == "control" } ?? false
    if endpoint != nil, top["reference"] == nil, !endpointHasControl {
      reader.fail(top["endpoint"], "endpoint.control",
                  "without a reference cohort, 'endpoint.control' must give the control arm's survival, e.g. {distribution: exponential, median: 12}")
    }
    let arms = top["arms"].flatMap(loadArms) ?? []
    let design = top["design"].flatMap { loadDesign($0, timeUnit: timeUnit) }
    let synthesis = top["synthesis"].flatMap { loadSynthesis($0, variables: variables, symbols: symbols) }
    if top["synthesis"] != nil && top["reference"] == nil {
      reader.fail(top["synthesis"], "synthesis", "synthesis needs a reference cohort to learn from; add 'reference'")
    }
    guard let id, unit != nil, let endpoint, let design, !arms.isEmpty else { return nil }
    return TrialProtocol(
      file: reader.file, id: id, title: title, timeUnit: timeUnit, reference: reference, variables: variables,
      eligibility: eligibility, endpoint: endpoint, arms: arms, design: design, synthesis: synthesis, referenceData: data)
  }

  // MARK: - Reference

  private func loadReference(_ node: Node) -> (ReferenceSpec?, Cohort?) {
    guard let m = reader.mapping(node, "reference", allowed: ["data", "rows", "time", "event"],
                                 required: ["data", "time", "event"]) else { return (nil, nil) }
    let time = reader.mapping(m["time"], "reference.time", allowed: ["column", "unit"], required: ["column", "unit"])
    let event = reader.mapping(m["event"], "reference.event", allowed: ["column", "event_value"], required: ["column", "event_value"])
    let timeColumn = reader.string(time?["column"], "reference.time.column")
    let timeUnit = reader.choice(time?["unit"], "reference.time.unit", TimeUnit.words).flatMap(TimeUnit.init(word:))
    let eventColumn = reader.string(event?["column"], "reference.event.column")
    let eventValue = reader.string(event?["event_value"], "reference.event.event_value")
    guard let path = reader.string(m["data"], "reference.data") else { return (nil, nil) }
    let resolved = normalizedPath(path.hasPrefix("/") ? path : (folder as NSString).appendingPathComponent(path))
    var cohort: Cohort?
    do {
      cohort = try Cohort(contentsOf: resolved)
    } catch {
      if error.message == "no such file" {
        reader.fail(m["data"], "reference.data", "no such file: \(resolved) (paths are relative to the protocol's folder)")
      } else {
        reader.appendError(SpecError(file: error.source, line: error.line, column: error.column, keyPath: "", message: error.message))
      }
    }
    if let cohort {
      for (column, key, nodeKey) in [(timeColumn, "reference.time.column", time?["column"]), (eventColumn, "reference.event.column", event?["column"])] {
        if let column, !cohort.columnNames.contains(column) {
          reader.fail(nodeKey, key, "no column '\(column)' in \(path)\(didYouMean(column, among: cohort.columnNames))")
        }
      }
    }
    guard let timeColumn, let timeUnit, let eventColumn, let eventValue else { return (nil, cohort) }
    return (ReferenceSpec(dataPath: path, resolvedDataPath: resolved, rows: nil, timeColumn: timeColumn,
                          timeUnit: timeUnit, eventColumn: eventColumn, eventValue: eventValue), cohort)
  }

  /// Types the CSV, compiles `reference.rows` (undeclared columns are text there) and selects rows.
  private func typeReference(_ cohort: Cohort, variables: [VariableDeclaration], rowsNode: Node,
                             reference: inout ReferenceSpec?) -> ReferenceData? {
    let columns = typeColumns(cohort, variables: variables) { line, column, message in
      reader.appendError(SpecError(file: cohort.source, line: line, column: column, keyPath: "", message: message))
    }
    let all = ExpressionColumns(rowCount: cohort.rowCount, columns: columns)
    var symbols = Dictionary(uniqueKeysWithValues: variables.map { ($0.name, $0.symbol) })
    for name in cohort.columnNames where symbols[name] == nil { symbols[name] = .text }
    var selected = Array(0..<cohort.rowCount)
    let rowsEntry = rowsNode.mapping?.first { $0.key.scalar?.string == "rows" }?.value
    if let rowsEntry, let expression = compile(rowsEntry, "reference.rows", symbols: symbols) {
      reference?.rows = expression
      let truth = expression.evaluate(all)
      selected = truth.indices.filter { truth[$0] == .yes }
      if selected.isEmpty {
        reader.fail(rowsEntry, "reference.rows", "selects no rows of \(cohort.source)")
      }
    }
    guard let spec = reference else { return nil }
    var rawTimes: [Double?] = []
    if cohort.columnNames.contains(spec.timeColumn) {
      do {
        rawTimes = try cohort.numeric(spec.timeColumn)
      } catch {
        reader.appendError(SpecError(file: error.source, line: error.line, column: error.column, keyPath: "", message: error.message))
      }
      if let bad = selected.first(where: { (rawTimes.indices.contains($0) ? rawTimes[$0] : nil).map { $0 < 0 } ?? false }) {
        reader.appendError(SpecError(file: cohort.source, line: cohort.lineNumbers[bad],
                                     column: cohort.columnNames.firstIndex(of: spec.timeColumn)! + 1, keyPath: "",
                                     message: "follow-up time \(rawTimes[bad]!.formatted) in column '\(spec.timeColumn)' is negative"))
      }
    }
    let eventLabels = (try? cohort.labels(spec.eventColumn)) ?? []
    let eventValue = Double(spec.eventValue)
    return ReferenceData(
      cohort: cohort, columns: all, referenceRows: selected,
      times: rawTimes.map { $0 ?? .nan },
      events: eventLabels.map { label in
        label.map { l in eventValue.flatMap { v in Double(l).map { $0 == v } } ?? (l == spec.eventValue) }
      })
  }

  // MARK: - Variables

  private func loadVariables(_ node: Node, cohort: Cohort?) -> [VariableDeclaration] {
    guard let mapping = node.mapping else {
      reader.fail(node, "variables", "expected a mapping of variable name to declaration, found \(reader.describe(node))")
      return []
    }
    var out: [VariableDeclaration] = []
    for (keyNode, value) in mapping {
      guard let name = keyNode.scalar?.string else { continue }
      let path = "variables.\(name)"
      if let cohort, !cohort.columnNames.contains(name) {
        reader.fail(keyNode, path, "no column '\(name)' in \(cohort.source)\(didYouMean(name, among: cohort.columnNames))")
      }
      guard let m = reader.mapping(value, path, allowed: ["type", "unit", "codes", "levels", "range"], required: ["type"]),
        let typeName = reader.choice(m["type"], m.path("type"), VariableType.allCases.map(\.rawValue)),
        let type = VariableType(rawValue: typeName)
      else {
        reader.unresolvedNames.insert(name)
        continue
      }
      var declaration = VariableDeclaration(name: name, type: type, unit: nil, codes: nil, levels: nil, range: nil)
      declaration.unit = m["unit"].flatMap { reader.string($0, m.path("unit")) }
      if let codesNode = m["codes"] {
        if let codes = codesNode.mapping {
          declaration.codes = codes.compactMap { k, v in
            guard let code = k.scalar?.string, let label = reader.string(v, "\(path).codes.\(k.scalar?.string ?? "?")") else { return nil }
            return (code, label)
          }
          let labels = declaration.codes!.map(\.label)
          if let dup = labels.first(where: { l in labels.filter { $0 == l }.count > 1 }) {
            reader.fail(codesNode, m.path("codes"), "label '\(dup)' is given to two codes")
          }
        } else {
          reader.fail(codesNode, m.path("codes"), "expected a mapping of CSV code to label, e.g. {0: female, 1: male}")
        }
      }
      if let levelsNode = m["levels"], let items = reader.sequence(levelsNode, m.path("levels")) {
        declaration.levels = items.compactMap { reader.string($0.0, $0.1) }
        if declaration.levels!.isEmpty { reader.fail(levelsNode, m.path("levels"), "needs at least one level") }
      }
      if let rangeNode = m["range"], let items = reader.sequence(rangeNode, m.path("range")) {
        let bounds = items.compactMap { reader.number($0.0, $0.1) }
        if items.count != 2 || bounds.count != 2 {
          reader.fail(rangeNode, m.path("range"), "must be [low, high]")
        } else if bounds[0] > bounds[1] {
          reader.fail(rangeNode, m.path("range"), "low (\(bounds[0].formatted)) is above high (\(bounds[1].formatted))")
        } else {
          declaration.range = bounds[0]...bounds[1]
        }
      }
      switch type {
      case .categorical, .ordinal:
        if declaration.codes == nil && declaration.levels == nil {
          reader.fail(value, path, "a \(type.rawValue) variable needs 'codes' (the CSV holds codes) or 'levels' (the CSV holds labels)")
        }
        if declaration.codes != nil && declaration.levels != nil {
          reader.fail(value, path, "give 'codes' or 'levels', not both")
        }
      case .binary:
        if let codes = declaration.codes, Set(codes.compactMap { Double($0.code) }) != [0, 1] {
          reader.fail(m["codes"], m.path("codes"), "a binary variable's codes must be 0 and 1")
        }
        if declaration.levels != nil { reader.fail(m["levels"], m.path("levels"), "a binary variable holds 0 and 1; use 'codes' to name them") }
      case .continuous, .count:
        if declaration.codes != nil || declaration.levels != nil {
          reader.fail(m["codes"] ?? m["levels"], path, "a \(type.rawValue) variable has no codes or levels; declare it categorical or ordinal")
        }
      }
      out.append(declaration)
    }
    return out
  }

  // MARK: - Eligibility

  private func loadEligibility(_ node: Node, symbols: [String: ExpressionSymbol]) -> Eligibility {
    guard let m = reader.mapping(node, "eligibility", allowed: ["on_unknown", "inclusion", "exclusion"]) else {
      return Eligibility(onUnknown: .exclude, rules: [])
    }
    let onUnknown = m["on_unknown"].flatMap { reader.choice($0, "eligibility.on_unknown", ["exclude", "include"]) }
      .flatMap(OnUnknown.init(rawValue:)) ?? .exclude
    var rules: [EligibilityRule] = []
    for kind in [EligibilityRule.Kind.inclusion, .exclusion] {
      guard let list = reader.sequence(m[kind.rawValue], "eligibility.\(kind.rawValue)") else { continue }
      for (item, path) in list {
        if let rule = loadRule(item, path, kind: kind, symbols: symbols) {
          if rules.contains(where: { $0.id == rule.id }) {
            reader.fail(item, "\(path).id", "rule id '\(rule.id)' is used twice; ids must be unique")
          }
          rules.append(rule)
        }
      }
    }
    return Eligibility(onUnknown: onUnknown, rules: rules)
  }

  func loadRule(_ node: Node, _ path: String, kind: EligibilityRule.Kind, symbols: [String: ExpressionSymbol]) -> EligibilityRule? {
    guard let m = reader.mapping(node, path, allowed: ["id", "text", "when", "on_unknown"], required: ["id", "when"]) else { return nil }
    let id = reader.string(m["id"], m.path("id"))
    let text = m["text"].flatMap { reader.string($0, m.path("text")) }
    let onUnknown = m["on_unknown"].flatMap { reader.choice($0, m.path("on_unknown"), ["exclude", "include"]) }.flatMap(OnUnknown.init(rawValue:))
    guard let id, let whenNode = m["when"], let expression = compile(whenNode, m.path("when"), symbols: symbols) else { return nil }
    return EligibilityRule(id: id, kind: kind, text: text, expression: expression, onUnknown: onUnknown)
  }

  /// Compiles an expression scalar; an error points at the faulty character in the file.
  func compile(_ node: Node, _ path: String, symbols: [String: ExpressionSymbol]) -> CompiledExpression? {
    guard let source = reader.string(node, path) else { return nil }
    if let tokens = try? ExpressionParser.tokenize(source), tokens.contains(where: { t in
      if case .identifier(let name) = t.kind { return reader.unresolvedNames.contains(name) }
      return false
    }) {
      return nil  // uses a variable whose declaration already has an error
    }
    do {
      return try CompiledExpression(source, symbols: symbols)
    } catch {
      // A plain scalar starts at the mark; a quoted one a character later.
      let quoted = node.scalar.map { $0.style == .singleQuoted || $0.style == .doubleQuoted } ?? false
      let detail = "    \(source)\n    \(String(repeating: " ", count: error.offset))^"
      reader.fail(node, path, error.message, detail: detail, columnOffset: error.offset + (quoted ? 1 : 0))
      return nil
    }
  }
}
