// ProtocolLoader.swift — reads a protocol file into a validated `TrialProtocol`, collecting
// every error of the file (and of its reference CSV) before failing.

import CohortData
import Foundation
import Yams

extension TrialProtocol {
  static let topKeys = [
    "syntharm", "id", "title", "time_unit", "reference", "variables", "eligibility",
    "endpoint", "arms", "design", "synthesis",
  ]

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
    guard let data = FileManager.default.contents(atPath: path) else {
      reader.fail(nil, "", "cannot read the file")
      return nil
    }
    guard data.count <= YAMLGuard.maxBytes else {
      reader.fail(
        nil, "",
        "the file is \(data.count) bytes; SynthArm reads protocol and scenario files of at most "
          + "\(YAMLGuard.maxBytes) bytes (1 MB)")
      return nil
    }
    if let bad = firstInvalidUTF8(in: data) {
      reader.appendError(
        SpecError(
          file: path, line: bad.line, column: bad.column, keyPath: "",
          message: "the file is not UTF-8 text: byte \(bad.byteOffset) is not valid UTF-8"))
      return nil
    }
    return String(decoding: data, as: UTF8.self)
  }
}

struct ProtocolLoader {
  let reader: SpecReader
  let folder: String

  func load(yaml: String) -> TrialProtocol? {
    guard
      let top = reader.document(
        yaml: yaml, allowed: TrialProtocol.topKeys, required: ["syntharm", "id", "time_unit", "endpoint", "arms", "design"])
    else { return nil }
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
    let eligibility =
      top["eligibility"].map { loadEligibility($0, symbols: symbols) }
      ?? Eligibility(onUnknown: .exclude, rules: [])
    let endpoint = top["endpoint"].flatMap { loadEndpoint($0, timeUnit: timeUnit) }
    let endpointHasControl = top["endpoint"]?.mapping?.contains { $0.key.scalar?.string == "control" } ?? false
    if endpoint != nil, top["reference"] == nil, !endpointHasControl {
      reader.fail(
        top["endpoint"], "endpoint.control",
        "without a reference cohort, 'endpoint.control' must give the control arm's survival, e.g. {distribution: exponential, median: 12}")
    }
    let arms = top["arms"].flatMap(loadArms) ?? []
    let design = top["design"].flatMap { loadDesign($0, timeUnit: timeUnit) }
    let synthesis = top["synthesis"].flatMap { loadSynthesis($0, variables: variables, symbols: symbols) }
    if top["synthesis"] != nil && top["reference"] == nil {
      reader.fail(top["synthesis"], "synthesis", "synthesis needs a reference cohort to learn from; add 'reference'")
    }
    guard let id, unit != nil, let endpoint, let design, !arms.isEmpty else { return nil }
    var loaded = TrialProtocol(
      file: reader.file, id: id, title: title, timeUnit: timeUnit, reference: reference, variables: variables,
      eligibility: eligibility, endpoint: endpoint, arms: arms, design: design, synthesis: synthesis, referenceData: data)
    func position(_ node: Node?) -> TrialProtocol.KeyPosition? {
      node?.mark.map { TrialProtocol.KeyPosition(line: $0.line, column: $0.column) }
    }
    let eligibilityKey = top.entries.first { $0.key == "eligibility" }?.keyNode
    loaded.keyPositions["eligibility"] = position(eligibilityKey) ?? position(top.node)
    let synthesisKey = top.entries.first { $0.key == "synthesis" }?.keyNode
    loaded.keyPositions["synthesis"] = position(synthesisKey)
    let constraints = top["synthesis"]?.mapping?.first { $0.key.scalar?.string == "constraints" }?.value.sequence ?? []
    for (i, item) in constraints.enumerated() { loaded.keyPositions["synthesis.constraints[\(i)]"] = position(item) }
    return loaded
  }

  // MARK: - Reference

  private func loadReference(_ node: Node) -> (ReferenceSpec?, Cohort?) {
    guard
      let m = reader.mapping(
        node, "reference", allowed: ["data", "rows", "time", "event"],
        required: ["data", "time", "event"])
    else { return (nil, nil) }
    let time = reader.mapping(m["time"], "reference.time", allowed: ["column", "unit"], required: ["column", "unit"])
    let event = reader.mapping(
      m["event"], "reference.event", allowed: ["column", "event_value", "event_values", "censor_value"],
      required: ["column"])
    let timeColumn = reader.string(time?["column"], "reference.time.column")
    let timeUnit = reader.choice(time?["unit"], "reference.time.unit", TimeUnit.words).flatMap(TimeUnit.init(word:))
    let eventColumn = reader.string(event?["column"], "reference.event.column")
    let coding = event.flatMap(loadEventCoding)
    let eventValue = coding?.events.first
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
      for (column, key, nodeKey) in [
        (timeColumn, "reference.time.column", time?["column"]), (eventColumn, "reference.event.column", event?["column"]),
      ] {
        if let column, !cohort.columnNames.contains(column) {
          reader.fail(nodeKey, key, "no column '\(column)' in \(path)\(didYouMean(column, among: cohort.columnNames))")
        }
      }
    }
    guard let timeColumn, let timeUnit, let eventColumn, let eventValue else { return (nil, cohort) }
    return (
      ReferenceSpec(
        dataPath: path, resolvedDataPath: resolved, rows: nil, timeColumn: timeColumn,
        timeUnit: timeUnit, eventColumn: eventColumn, eventValue: eventValue,
        eventValues: coding?.events ?? [eventValue], censorValues: coding?.censors ?? ["0"]), cohort
    )
  }

  /// `event_value` or `event_values`, and `censor_value` (a value or a list). Without
  /// `censor_value`, a censoring is 0 — or 1 when the only event value is 2, R's `Surv` 1/2
  /// coding (lung.csv). Every other value of the column is an error when the CSV is typed.
  private func loadEventCoding(_ event: SpecMapping) -> (events: [String], censors: [String])? {
    func values(_ node: Node, _ path: String) -> [String]? {
      if node.sequence != nil {
        guard let items = reader.sequence(node, path) else { return nil }
        let out = items.compactMap { reader.string($0.0, $0.1) }
        guard out.count == items.count else { return nil }
        if out.isEmpty {
          reader.fail(node, path, "needs at least one value")
          return nil
        }
        return out
      }
      return reader.string(node, path).map { [$0] }
    }
    var events: [String]?
    switch (event["event_value"], event["event_values"]) {
    case (let single?, nil):
      events = reader.string(single, event.path("event_value")).map { [$0] }
    case (nil, let list?):
      if list.sequence == nil {
        reader.fail(list, event.path("event_values"), "expected a list of the values meaning \"event\", e.g. [1, 2]")
      } else {
        events = values(list, event.path("event_values"))
      }
    case (_?, _?):
      reader.fail(event["event_values"], event.path("event_values"), "give 'event_value' or 'event_values', not both")
    case (nil, nil):
      reader.fail(
        event.node, event.path("event_value"),
        "'event_value' is required (the value meaning \"event\"; or 'event_values', a list of them)")
    }
    guard let events else { return nil }
    func same(_ a: String, _ b: String) -> Bool {
      if let x = Double(a), let y = Double(b) { return x == y }
      return a == b
    }
    let censors: [String]
    if let node = event["censor_value"] {
      guard let given = values(node, event.path("censor_value")) else { return nil }
      censors = given
      if let both = censors.first(where: { c in events.contains { same($0, c) } }) {
        reader.fail(node, event.path("censor_value"), "'\(both)' cannot mean both an event and a censoring")
        return nil
      }
    } else {
      censors = events.allSatisfy { same($0, "2") } ? ["1"] : ["0"]
      if let both = censors.first(where: { c in events.contains { same($0, c) } }) {
        reader.fail(
          event.node, event.path("censor_value"),
          "'censor_value' is required: the default censoring value \(both) is also an event value")
        return nil
      }
    }
    return (events, censors)
  }

  /// Types the CSV, compiles `reference.rows` (undeclared columns are text there) and selects rows.
  private func typeReference(
    _ cohort: Cohort, variables: [VariableDeclaration], rowsNode: Node,
    reference: inout ReferenceSpec?
  ) -> ReferenceData? {
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
        reader.appendError(
          SpecError(
            file: cohort.source, line: cohort.lineNumbers[bad],
            column: cohort.columnNames.firstIndex(of: spec.timeColumn)! + 1, keyPath: "",
            message: "follow-up time \(rawTimes[bad]!.formatted) in column '\(spec.timeColumn)' is negative"))
      }
    }
    let events = eventColumn(cohort, spec, checking: selected) { line, column, message in
      reader.appendError(SpecError(file: cohort.source, line: line, column: column, keyPath: "", message: message))
    }
    return ReferenceData(
      cohort: cohort, columns: all, referenceRows: selected,
      times: rawTimes.map { $0 ?? .nan }, events: events)
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
        if declaration.levels != nil {
          reader.fail(m["levels"], m.path("levels"), "a binary variable holds 0 and 1; use 'codes' to name them")
        }
      case .continuous, .count:
        if declaration.codes != nil || declaration.levels != nil {
          reader.fail(
            m["codes"] ?? m["levels"], path, "a \(type.rawValue) variable has no codes or levels; declare it categorical or ordinal")
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
    let onUnknown =
      m["on_unknown"].flatMap { reader.choice($0, "eligibility.on_unknown", ["exclude", "include"]) }
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
    let onUnknown = m["on_unknown"].flatMap { reader.choice($0, m.path("on_unknown"), ["exclude", "include"]) }.flatMap(
      OnUnknown.init(rawValue:))
    guard let id, let whenNode = m["when"], let expression = compile(whenNode, m.path("when"), symbols: symbols) else { return nil }
    return EligibilityRule(id: id, kind: kind, text: text, expression: expression, onUnknown: onUnknown)
  }

  /// Compiles an expression scalar; an error points at the faulty character in the file.
  func compile(_ node: Node, _ path: String, symbols: [String: ExpressionSymbol]) -> CompiledExpression? {
    guard let source = reader.string(node, path) else { return nil }
    if let tokens = try? ExpressionParser.tokenize(source),
      tokens.contains(where: { t in
        if case .identifier(let name) = t.kind { return reader.unresolvedNames.contains(name) }
        return false
      })
    {
      return nil  // uses a variable whose declaration already has an error
    }
    do {
      return try CompiledExpression(source, symbols: symbols)
    } catch {
      // A plain scalar starts at the mark; a quoted one a character later.
      let quoted = node.scalar.map { $0.style == .singleQuoted || $0.style == .doubleQuoted } ?? false
      let detail = caretLines(source, offset: error.offset)
      reader.fail(node, path, error.message, detail: detail, columnOffset: error.offset + (quoted ? 1 : 0))
      return nil
    }
  }
}
