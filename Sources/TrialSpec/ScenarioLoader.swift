// ScenarioLoader.swift — reads a scenario file, loads its protocol, and resolves the sweep's
// eligibility variations (add, drop, replace) into concrete rule sets.

import Foundation
import Yams

extension Scenario {
  static let topKeys = ["syntharm", "id", "protocol", "seed", "replicates", "truth", "designs", "savings", "sweep", "output"]

  /// Loads and validates the scenario at `path` and the protocol it names.
  /// - Throws: ``SpecErrors`` with every problem found, in either file.
  public static func load(path: String) throws(SpecErrors) -> Scenario {
    let reader = SpecReader(file: path)
    guard let text = TrialProtocol.readText(path, reader) else { throw SpecErrors(reader.errors) }
    let scenario = ScenarioLoader(reader: reader, folder: (path as NSString).deletingLastPathComponent).load(yaml: text)
    guard reader.errors.isEmpty, let scenario else {
      if reader.errors.isEmpty { reader.fail(nil, "", "the scenario could not be loaded") }  // a missing error message is a bug
      throw SpecErrors(reader.errors)
    }
    return scenario
  }

  /// Whether the YAML at `path` looks like a scenario (it names a protocol) rather than a protocol.
  public static func isScenario(path: String) -> Bool {
    guard let text = try? String(contentsOfFile: path, encoding: .utf8),
      let root = try? Yams.compose(yaml: text), let mapping = root.mapping
    else { return false }
    return mapping.contains { $0.key.scalar?.string == "protocol" }
  }
}

struct ScenarioLoader {
  let reader: SpecReader
  let folder: String

  func load(yaml: String) -> Scenario? {
    guard let top = reader.document(yaml: yaml, allowed: Scenario.topKeys, required: ["syntharm", "id", "protocol", "seed", "replicates", "truth", "designs"]) else { return nil }
    let id = reader.string(top["id"], "id")
    let seed = reader.string(top["seed"], "seed").flatMap { text -> UInt64? in
      guard let v = UInt64(text) else { reader.fail(top["seed"], "seed", "must be a whole number >= 0 (found '\(text)')"); return nil }
      return v
    }
    let replicates = reader.integer(top["replicates"], "replicates", "a whole number >= 1", where: { $0 >= 1 })

    // The protocol: its own errors are reported with its own file name.
    var trialProtocol: TrialProtocol?
    var protocolPath: String?
    if let written = reader.string(top["protocol"], "protocol") {
      let resolved = normalizedPath(written.hasPrefix("/") ? written : (folder as NSString).appendingPathComponent(written))
      protocolPath = resolved
      if !FileManager.default.fileExists(atPath: resolved) {
        reader.fail(top["protocol"], "protocol", "no such file: \(resolved) (paths are relative to the scenario's folder)")
      } else {
        do { trialProtocol = try TrialProtocol.load(path: resolved) } catch { error.errors.forEach(reader.appendError) }
      }
    }
    let hasReference = trialProtocol?.reference != nil

    var truth: Scenario.TruthGrid?
    if let t = reader.mapping(top["truth"], "truth", allowed: ["hazard_ratio", "drift"], required: ["hazard_ratio"]) {
      let hrs = positiveList(t["hazard_ratio"], "truth.hazard_ratio")
      let drifts = t["drift"].map { positiveList($0, "truth.drift") } ?? [1]
      if let p = trialProtocol, !hasReference, drifts != [1] {
        reader.fail(t["drift"], "truth.drift", "drift applies to synthetic controls; protocol '\(p.id)' has no reference cohort to generate them from")
      }
      if !hrs.isEmpty && !drifts.isEmpty { truth = .init(hazardRatios: hrs, drifts: drifts) }
    }

    var designs: [Scenario.Design] = []
    var designIDs: [String] = []  // including designs with errors, so references to them are not errors again
    for (item, path) in reader.sequence(top["designs"], "designs") ?? [] {
      if let id = item.mapping?.first(where: { $0.key.scalar?.string == "id" })?.value.scalar?.string { designIDs.append(id) }
      if let d = loadDesign(item, path, protocolHasReference: hasReference, protocolID: trialProtocol?.id,
                            variables: trialProtocol?.variables.map(\.name)) {
        if designs.contains(where: { $0.id == d.id }) { reader.fail(item, "\(path).id", "design id '\(d.id)' is used twice") }
        designs.append(d)
      }
    }
    if top["designs"]?.sequence?.isEmpty == true { reader.fail(top["designs"], "designs", "needs at least one design") }

    var savings: Scenario.Savings?
    if let s = reader.mapping(top["savings"], "savings", allowed: ["target_power", "compare"], required: ["target_power", "compare"]) {
      let power = reader.number(s["target_power"], "savings.target_power", "a power in (0, 1)", where: { $0 > 0 && $0 < 1 })
      var compare: [String] = []
      for (item, path) in reader.sequence(s["compare"], "savings.compare") ?? [] {
        guard let name = reader.string(item, path) else { continue }
        if !designs.contains(where: { $0.id == name }) {
          if designIDs.contains(name) { continue }
          reader.fail(item, path, "unknown design '\(name)'\(didYouMean(name, among: designs.map(\.id)))")
        } else if designs.first(where: { $0.id == name })!.syntheticControls == 0 {
          reader.fail(item, path, "design '\(name)' has no synthetic controls; savings compare augmented designs with the conventional one")
        } else {
          compare.append(name)
        }
      }
      if !designs.isEmpty && !designs.contains(where: { $0.syntheticControls == 0 }) {
        reader.fail(top["savings"], "savings", "savings are searched against a conventional design (synthetic_controls: 0); add one")
      }
      if let power { savings = .init(targetPower: power, compare: compare) }
    }

    var sweep: [Scenario.SweepCell] = []
    if let p = trialProtocol {
      sweep = [.init(id: "as-written", eligibility: p.eligibility)]
      if let s = reader.mapping(top["sweep"], "sweep", allowed: ["eligibility"], required: ["eligibility"]) {
        sweep = loadSweep(s["eligibility"], protocol: p)
      }
    }
    let output = top["output"].flatMap { reader.string($0, "output") }.map { o in
      normalizedPath(o.hasPrefix("/") ? o : (folder as NSString).appendingPathComponent(o))
    }
    guard let id, let seed, let replicates, let truth, let trialProtocol, let protocolPath, !designs.isEmpty else { return nil }
    return Scenario(file: reader.file, id: id, protocolPath: protocolPath, trialProtocol: trialProtocol, seed: seed,
                    replicates: replicates, truth: truth, designs: designs, savings: savings, sweep: sweep, output: output)
  }

  private func positiveList(_ node: Node?, _ path: String) -> [Double] {
    guard let items = reader.sequence(node, path) else { return [] }
    if items.isEmpty { reader.fail(node, path, "needs at least one value") }
    return items.compactMap { reader.number($0.0, $0.1, "a positive number", where: { $0 > 0 }) }
  }

  private func loadDesign(_ node: Node, _ path: String, protocolHasReference: Bool, protocolID: String?,
                          variables: [String]?) -> Scenario.Design? {
    guard let m = reader.mapping(node, path, allowed: ["id", "experimental", "real_controls", "synthetic_controls", "analysis"],
                                 required: ["id", "experimental", "real_controls"]),
      let id = reader.string(m["id"], m.path("id"))
    else { return nil }
    let experimental = reader.integer(m["experimental"], m.path("experimental"), "a whole number >= 1", where: { $0 >= 1 })
    let real = reader.integer(m["real_controls"], m.path("real_controls"), "a whole number >= 0", where: { $0 >= 0 })
    let synthetic = m["synthetic_controls"].flatMap {
      reader.integer($0, m.path("synthetic_controls"), "a whole number >= 0", where: { $0 >= 0 })
    } ?? 0
    var analysis: Scenario.Analysis? = Scenario.Analysis.none  // not `.none`: that would be Optional.none
    if let a = m["analysis"] {
      analysis = loadAnalysis(a, m.path("analysis"))
    } else if synthetic > 0 {
      reader.fail(node, m.path("analysis"), "a design with synthetic controls must say how they are analysed: none, pool, {method: power-prior, weight: …} or {method: test-then-pool, level: …}")
      analysis = nil
    }
    if synthetic > 0 && !protocolHasReference, let protocolID {
      reader.fail(m["synthetic_controls"], m.path("synthetic_controls"), "protocol '\(protocolID)' has no reference cohort, so there is nothing to generate synthetic controls from")
    }
    if let real, real + synthetic == 0 {
      reader.fail(node, path, "a design needs control patients: real_controls, synthetic_controls or both")
    }
    // `analysis: {method: …, adjust: [age, nodes]}`: covariates of an adjusted Cox analysis.
    var adjust: [String] = []
    if let adjustNode = m["analysis"]?.mapping?.first(where: { $0.key.scalar?.string == "adjust" })?.value {
      let adjustPath = m.path("analysis") + ".adjust"
      for (item, itemPath) in reader.sequence(adjustNode, adjustPath) ?? [] {
        guard let name = reader.string(item, itemPath) else { continue }
        if let variables, !variables.contains(name) {
          reader.fail(item, itemPath, variables.isEmpty
            ? "protocol '\(protocolID ?? "")' declares no covariates to adjust for"
            : "'\(name)' is not a declared variable\(didYouMean(name, among: variables))")
        } else {
          adjust.append(name)
        }
      }
    }
    guard let experimental, let real, let analysis else { return nil }
    return .init(id: id, experimental: experimental, realControls: real, syntheticControls: synthetic, analysis: analysis,
                 adjust: adjust)
  }

  private func loadAnalysis(_ node: Node, _ path: String) -> Scenario.Analysis? {
    let methods = ["none", "pool", "power-prior", "test-then-pool"]
    if node.scalar != nil {
      switch reader.choice(node, path, methods) {
      case "none": return Scenario.Analysis.none
      case "pool": return .pool
      case let m?:
        reader.fail(node, path, "'\(m)' needs a parameter: {method: \(m), \(m == "power-prior" ? "weight: 0.5" : "level: 0.10")}")
        return nil
      case nil: return nil
      }
    }
    guard let m = reader.mapping(node, path, allowed: ["method", "weight", "level", "adjust"], required: ["method"]),
      let method = reader.choice(m["method"], m.path("method"), methods)
    else { return nil }
    switch method {
    case "power-prior":
      guard let w = reader.number(m["weight"], m.path("weight"), "a weight in [0, 1]", where: { $0 >= 0 && $0 <= 1 }) else {
        if !m.has("weight") { reader.fail(node, m.path("weight"), "power-prior needs 'weight' (a₀ in [0, 1])") }
        return nil
      }
      return .powerPrior(weight: w)
    case "test-then-pool":
      guard let l = reader.number(m["level"], m.path("level"), "a level in (0, 1)", where: { $0 > 0 && $0 < 1 }) else {
        if !m.has("level") { reader.fail(node, m.path("level"), "test-then-pool needs 'level' (of the log-rank test of real vs synthetic controls)") }
        return nil
      }
      return .testThenPool(level: l)
    case "pool": return .pool
    default: return Scenario.Analysis.none
    }
  }

  private func loadSweep(_ node: Node?, protocol p: TrialProtocol) -> [Scenario.SweepCell] {
    let symbols = Dictionary(uniqueKeysWithValues: p.variables.map { ($0.name, $0.symbol) })
    let rules = ProtocolLoader(reader: reader, folder: folder)
    var cells: [Scenario.SweepCell] = []
    for (item, path) in reader.sequence(node, "sweep.eligibility") ?? [] {
      guard let m = reader.mapping(item, path, allowed: ["id", "add", "drop", "replace"], required: ["id"]),
        let id = reader.string(m["id"], m.path("id"))
      else { continue }
      if cells.contains(where: { $0.id == id }) { reader.fail(m["id"], m.path("id"), "sweep cell id '\(id)' is used twice") }
      var eligibility = p.eligibility
      let known = eligibility.rules.map(\.id)
      for (dropNode, dropPath) in m["drop"].flatMap({ reader.sequence($0, m.path("drop")) }) ?? [] {
        guard let rule = reader.string(dropNode, dropPath) else { continue }
        guard eligibility.rules.contains(where: { $0.id == rule }) else {
          reader.fail(dropNode, dropPath, "unknown rule '\(rule)'\(didYouMean(rule, among: known)); the protocol's rules are \(known.joined(separator: ", "))")
          continue
        }
        eligibility.rules.removeAll { $0.id == rule }
      }
      if let replace = m["replace"] {
        if let pairs = replace.mapping {
          for (keyNode, valueNode) in pairs {
            let rule = keyNode.scalar?.string ?? ""
            let rulePath = m.path("replace") + "." + rule
            guard let index = eligibility.rules.firstIndex(where: { $0.id == rule }) else {
              reader.fail(keyNode, rulePath, "unknown rule '\(rule)'\(didYouMean(rule, among: known)); the protocol's rules are \(known.joined(separator: ", "))")
              continue
            }
            if let e = rules.compile(valueNode, rulePath, symbols: symbols) { eligibility.rules[index].expression = e }
          }
        } else {
          reader.fail(replace, m.path("replace"), "expected a mapping of rule id to new condition, e.g. {IN2: nodes >= 4}")
        }
      }
      if let add = reader.mapping(m["add"], m.path("add"), allowed: ["inclusion", "exclusion"]) {
        for kind in [EligibilityRule.Kind.inclusion, .exclusion] {
          for (ruleNode, rulePath) in add[kind.rawValue].flatMap({ reader.sequence($0, add.path(kind.rawValue)) }) ?? [] {
            guard let rule = rules.loadRule(ruleNode, rulePath, kind: kind, symbols: symbols) else { continue }
            if eligibility.rules.contains(where: { $0.id == rule.id }) {
              reader.fail(ruleNode, rulePath + ".id", "rule id '\(rule.id)' already exists; added rules need new ids")
              continue
            }
            // Keep inclusion rules before exclusion rules, in file order.
            let at = kind == .inclusion ? (eligibility.rules.lastIndex { $0.kind == .inclusion }.map { $0 + 1 } ?? 0) : eligibility.rules.count
            eligibility.rules.insert(rule, at: at)
          }
        }
      }
      cells.append(.init(id: id, eligibility: eligibility))
    }
    return cells
  }
}
