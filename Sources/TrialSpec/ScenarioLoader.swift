// ScenarioLoader.swift — reads a scenario file, loads its protocol, and resolves the sweep's
// eligibility variations (add, drop, replace) into concrete rule sets.

import Foundation
import Yams

extension Scenario {
  static let topKeys = [
    "syntharm", "id", "protocol", "seed", "replicates", "truth", "designs", "savings", "borrowing", "calibrate", "sweep",
    "output",
  ]

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
    guard
      let top = reader.document(
        yaml: yaml, allowed: Scenario.topKeys, required: ["syntharm", "id", "protocol", "seed", "replicates", "truth", "designs"])
    else { return nil }
    let id = reader.string(top["id"], "id")
    reader.checkSafeIdentifier(id, top["id"], "id", what: "scenario id")
    let seed = reader.string(top["seed"], "seed").flatMap { text -> UInt64? in
      guard let v = UInt64(text) else {
        reader.fail(top["seed"], "seed", "must be a whole number >= 0 (found '\(text)')")
        return nil
      }
      return v
    }
    let replicates = reader.integer(top["replicates"], "replicates", "a whole number >= 1", where: { $0 >= 1 })

    // The protocol: its own errors are reported with its own file name.
    var trialProtocol: TrialProtocol?
    var protocolPath: String?
    if let written = reader.string(top["protocol"], "protocol") {
      let resolved = normalizedPath(written.hasPrefix("/") ? written : (folder as NSString).appendingPathComponent(written))
      protocolPath = resolved
      var isFolder: ObjCBool = false
      if !FileManager.default.fileExists(atPath: resolved, isDirectory: &isFolder) {
        reader.fail(top["protocol"], "protocol", "no such file: \(resolved) (paths are relative to the scenario's folder)")
      } else if isFolder.boolValue {
        reader.fail(top["protocol"], "protocol", "\(resolved) is a folder; give the protocol's YAML file")
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
        reader.fail(
          t["drift"], "truth.drift", "drift applies to synthetic controls; protocol '\(p.id)' has no reference cohort to generate them from"
        )
      }
      if !hrs.isEmpty && !drifts.isEmpty { truth = .init(hazardRatios: hrs, drifts: drifts) }
    }

    let borrowing = loadBorrowing(top["borrowing"], protocol: trialProtocol)

    var designs: [Scenario.Design] = []
    var designIDs: [String] = []  // including designs with errors, so references to them are not errors again
    for (item, path) in reader.sequence(top["designs"], "designs") ?? [] {
      if let id = item.mapping?.first(where: { $0.key.scalar?.string == "id" })?.value.scalar?.string { designIDs.append(id) }
      if let d = loadDesign(
        item, path, protocolHasReference: hasReference, protocolID: trialProtocol?.id,
        variables: trialProtocol?.variables.map(\.name), protocolControls: trialProtocol?.controlPatients)
      {
        if designs.contains(where: { $0.id == d.id }) { reader.fail(item, "\(path).id", "design id '\(d.id)' is used twice") }
        designs.append(d)
      }
    }
    if top["designs"]?.sequence?.isEmpty == true { reader.fail(top["designs"], "designs", "needs at least one design") }

    var savings: Scenario.Savings?
    if let s = reader.mapping(top["savings"], "savings", allowed: ["target_power", "compare"], required: ["target_power", "compare"]) {
      // A power at or below α is reached by chance alone: the target must lie in (α, 1).
      let alpha = trialProtocol?.design.test.alpha ?? 0
      let power = reader.number(
        s["target_power"], "savings.target_power", "a power in (α, 1) = (\(alpha.formatted), 1)",
        where: { $0 > alpha && $0 < 1 })
      var compare: [String] = []
      for (item, path) in reader.sequence(s["compare"], "savings.compare") ?? [] {
        guard let name = reader.string(item, path) else { continue }
        if !designs.contains(where: { $0.id == name }) {
          if designIDs.contains(name) { continue }
          reader.fail(item, path, "unknown design '\(name)'\(didYouMean(name, among: designs.map(\.id)))")
        } else if designs.first(where: { $0.id == name })!.syntheticControls == 0 {
          reader.fail(
            item, path,
            "design '\(name)' has no synthetic controls; savings compare augmented designs (synthetic controls) with the conventional one")
        } else {
          compare.append(name)
        }
      }
      if !designs.isEmpty && !designs.contains(where: { $0.syntheticControls == 0 }) {
        reader.fail(top["savings"], "savings", "savings are searched against a conventional design (synthetic_controls: 0); add one")
      }
      if let power { savings = .init(targetPower: power, compare: compare) }
    }

    let calibration = loadCalibration(top["calibrate"], designs: designs, designIDs: designIDs, truth: truth)

    var sweep: [Scenario.SweepCell] = []
    if let p = trialProtocol {
      sweep = [.init(id: "as-written", eligibility: p.eligibility, fitOn: p.synthesis?.fitOn ?? .reference)]
      if let s = reader.mapping(top["sweep"], "sweep", allowed: ["eligibility", "reference_size"]) {
        if s.has("eligibility") { sweep = loadSweep(s["eligibility"], protocol: p) }
        if s.has("reference_size") {
          sweep = referenceSizeCells(sweep, s["reference_size"], protocol: p, designs: designs)
        } else if !s.has("eligibility") {
          reader.fail(top["sweep"], "sweep", "a sweep varies 'eligibility', 'reference_size' or both")
        }
      }
    }
    let output = top["output"].flatMap { reader.string($0, "output") }.map { o in
      normalizedPath(o.hasPrefix("/") ? o : (folder as NSString).appendingPathComponent(o))
    }
    guard let id, let seed, let replicates, let truth, let trialProtocol, let protocolPath, !designs.isEmpty, let borrowing
    else { return nil }
    return Scenario(
      file: reader.file, id: id, protocolPath: protocolPath, trialProtocol: trialProtocol, seed: seed,
      replicates: replicates, truth: truth, designs: designs, savings: savings, borrowing: borrowing,
      calibration: calibration ?? nil, sweep: sweep, output: output)
  }

  private func positiveList(_ node: Node?, _ path: String) -> [Double] {
    guard let items = reader.sequence(node, path) else { return [] }
    if items.isEmpty { reader.fail(node, path, "needs at least one value") }
    return items.compactMap { reader.number($0.0, $0.1, "a positive number", where: { $0 > 0 }) }
  }

  private func loadDesign(
    _ node: Node, _ path: String, protocolHasReference: Bool, protocolID: String?,
    variables: [String]?, protocolControls: Int?
  ) -> Scenario.Design? {
    guard
      let m = reader.mapping(
        node, path, allowed: ["id", "experimental", "real_controls", "synthetic_controls", "source", "analysis"],
        required: ["id", "experimental", "real_controls"]),
      let id = reader.string(m["id"], m.path("id"))
    else { return nil }
    reader.checkSafeIdentifier(id, m["id"], m.path("id"), what: "design id")
    let experimental = reader.integer(m["experimental"], m.path("experimental"), "a whole number >= 1", where: { $0 >= 1 })
    let real = reader.integer(m["real_controls"], m.path("real_controls"), "a whole number >= 0", where: { $0 >= 0 })
    // `synthetic_controls: fill`: synthetic patients make up the control arm to the protocol's
    // size (and, in the savings search, to the sized conventional design's).
    let fill = m["synthetic_controls"]?.scalar?.string == "fill"
    var synthetic =
      fill
      ? 0
      : m["synthetic_controls"].flatMap {
        reader.integer($0, m.path("synthetic_controls"), "a whole number >= 0 or 'fill'", where: { $0 >= 0 })
      } ?? 0
    if fill, let real, let protocolControls {
      synthetic = protocolControls - real
      if synthetic <= 0 {
        reader.fail(
          m["synthetic_controls"], m.path("synthetic_controls"),
          "'fill' makes the control arm up to the protocol's \(protocolControls) controls with synthetic ones, and real_controls (\(real)) leave nothing to fill; give fewer real controls or a number of synthetic controls"
        )
      }
    }
    var source = Scenario.ExternalSource.synthetic
    if m.has("source") {
      guard let s = reader.choice(m["source"], m.path("source"), Scenario.ExternalSource.allCases.map(\.rawValue)) else { return nil }
      source = Scenario.ExternalSource(rawValue: s)!
    }
    let external = source == .reference || synthetic > 0 || fill
    if source == .reference {
      if m.has("synthetic_controls") {
        reader.fail(
          m["synthetic_controls"], m.path("synthetic_controls"),
          "a design with 'source: reference' borrows the eligible reference patients themselves (their own number and follow-up); remove 'synthetic_controls'"
        )
      }
      if !protocolHasReference, let protocolID {
        reader.fail(
          m["source"], m.path("source"),
          "'source: reference' borrows the protocol's reference cohort, and protocol '\(protocolID)' has none")
      }
    }
    var analysis: Scenario.Analysis? = Scenario.Analysis.none  // not `.none`: that would be Optional.none
    if let a = m["analysis"] {
      analysis = loadAnalysis(a, m.path("analysis"))
    } else if external {
      reader.fail(
        node, m.path("analysis"),
        "a design with external controls must say how they are analysed: none, pool, {method: power-prior, weight: …}, {method: weighted-cox, weight: …} or {method: test-then-pool, level: …}"
      )
      analysis = nil
    }
    if fill, case .none? = analysis?.method {
      reader.fail(
        m["synthetic_controls"], m.path("synthetic_controls"),
        "'fill' gives this design synthetic controls, and 'analysis: none' leaves them out of the analysis; choose an analysis that uses external controls (pool, power-prior, …)"
      )
    }
    if analysis?.method == .prognostic && !protocolHasReference, let protocolID {
      reader.fail(
        m["analysis"], m.path("analysis"), "a prognostic score is learnt from a reference cohort, and protocol '\(protocolID)' has none")
    }
    if synthetic > 0 && !protocolHasReference, let protocolID {
      reader.fail(
        m["synthetic_controls"], m.path("synthetic_controls"),
        "protocol '\(protocolID)' has no reference cohort, so there is nothing to generate synthetic controls from")
    }
    if let real, real == 0 && !external {
      reader.fail(node, path, "a design needs control patients: real_controls, synthetic_controls (or source: reference), or both")
    }
    // `analysis: {method: …, adjust: [age, nodes]}`: covariates of an adjusted Cox analysis.
    var adjust: [String] = []
    if let adjustNode = m["analysis"]?.mapping?.first(where: { $0.key.scalar?.string == "adjust" })?.value {
      let adjustPath = m.path("analysis") + ".adjust"
      for (item, itemPath) in reader.sequence(adjustNode, adjustPath) ?? [] {
        guard let name = reader.string(item, itemPath) else { continue }
        if let variables, !variables.contains(name) {
          reader.fail(
            item, itemPath,
            variables.isEmpty
              ? "protocol '\(protocolID ?? "")' declares no covariates to adjust for"
              : "'\(name)' is not a declared variable\(didYouMean(name, among: variables))")
        } else {
          adjust.append(name)
        }
      }
      if !adjust.isEmpty, let a = analysis, a.isBayesian {
        reader.fail(
          adjustNode, adjustPath,
          "the Bayesian analyses (\(a.method.rawValue)) are unadjusted; adjust with none, pool, weighted-cox, test-then-pool or {method: power-prior, model: cox}"
        )
      }
    }
    guard let experimental, let real, let analysis else { return nil }
    return .init(
      id: id, experimental: experimental, realControls: real, syntheticControls: synthetic, analysis: analysis,
      adjust: adjust, source: source, fillsControlArm: fill)
  }

  private func loadAnalysis(_ node: Node, _ path: String) -> Scenario.Analysis? {
    let methods = Scenario.AnalysisMethod.allCases.map(\.rawValue)
    func parameterHint(_ m: Scenario.AnalysisMethod) -> String {
      switch m {
      case .powerPrior, .weightedCox: "weight: 0.5"
      case .testThenPool: "level: 0.10"
      case .sam: "delta: 0.2"
      case .none, .pool, .commensurate, .robustMixture, .ebPowerPrior, .prognostic: ""
      }
    }
    if node.scalar != nil {
      guard let key = reader.choice(node, path, methods) else { return nil }
      let method = Scenario.AnalysisMethod(rawValue: key)!
      switch method {
      case .none: return Scenario.Analysis.none
      case .pool: return .pool
      case .commensurate: return .commensurate(tau: .gamma(shape: 0.001, rate: 0.001))
      case .robustMixture: return .robustMixture(vagueWeight: 0.5)
      case .ebPowerPrior: return .ebPowerPrior(normalized: false)
      case .prognostic: return .prognostic(test: .adjustedLogrank)
      default:
        reader.fail(node, path, "'\(key)' needs a parameter: {method: \(key), \(parameterHint(method))}")
        return nil
      }
    }
    let parameters: [Scenario.AnalysisMethod: [String]] = [
      .powerPrior: ["weight", "model"], .weightedCox: ["weight"], .testThenPool: ["level"],
      .commensurate: ["tau_prior", "tau_shape", "tau_rate"], .robustMixture: ["vague_weight"], .ebPowerPrior: ["normalized"],
      .sam: ["delta", "prior_odds"], .prognostic: ["test"],
    ]
    let allParameters = Array(Set(parameters.values.flatMap { $0 })).sorted()
    guard let m = reader.mapping(node, path, allowed: ["method"] + allParameters + ["adjust"], required: ["method"]),
      let key = reader.choice(m["method"], m.path("method"), methods)
    else { return nil }
    let method = Scenario.AnalysisMethod(rawValue: key)!
    // Parameters that belong to another method are errors, not ignored.
    for name in allParameters where m.has(name) && !(parameters[method] ?? []).contains(name) {
      let owners = parameters.filter { $0.value.contains(name) }.map(\.key.rawValue).sorted().joined(separator: ", ")
      reader.fail(m[name], m.path(name), "'\(name)' is not a parameter of \(key) (it belongs to \(owners))")
    }
    func weight() -> Double? {
      guard let w = reader.number(m["weight"], m.path("weight"), "a weight a₀ in [0, 1]", where: { $0 >= 0 && $0 <= 1 }) else {
        if !m.has("weight") { reader.fail(node, m.path("weight"), "\(key) needs 'weight' (a₀ in [0, 1])") }
        return nil
      }
      return w
    }
    switch method {
    case .powerPrior:
      var model = Scenario.PowerPriorModel.piecewiseExponential
      if m.has("model") {
        guard let text = reader.choice(m["model"], m.path("model"), Scenario.PowerPriorModel.allCases.map(\.rawValue)) else { return nil }
        model = Scenario.PowerPriorModel(rawValue: text)!
      }
      return weight().map { .powerPrior(weight: $0, model: model) }
    case .weightedCox:
      return weight().map { .weightedCox(weight: $0) }
    case .testThenPool:
      guard let l = reader.number(m["level"], m.path("level"), "a level in (0, 1)", where: { $0 > 0 && $0 < 1 }) else {
        if !m.has("level") {
          reader.fail(node, m.path("level"), "test-then-pool needs 'level' (of the log-rank test of real vs external controls)")
        }
        return nil
      }
      return .testThenPool(level: l)
    case .pool: return .pool
    case .none: return Scenario.Analysis.none
    case .commensurate:
      var kind = "gamma"
      if m.has("tau_prior") {
        guard let k = reader.choice(m["tau_prior"], m.path("tau_prior"), ["gamma", "spike-and-slab"]) else { return nil }
        kind = k
      }
      if kind == "spike-and-slab" {
        for name in ["tau_shape", "tau_rate"] where m.has(name) {
          reader.fail(m[name], m.path(name), "'\(name)' belongs to tau_prior: gamma")
        }
        return .commensurate(tau: .spikeAndSlab)
      }
      func positive(_ name: String) -> Double?? {
        guard m.has(name) else { return .some(nil) }
        return reader.number(m[name], m.path(name), "a positive number", where: { $0 > 0 }).map { .some($0) }
      }
      guard let shape = positive("tau_shape"), let rate = positive("tau_rate") else { return nil }
      return .commensurate(tau: .gamma(shape: shape ?? 0.001, rate: rate ?? 0.001))
    case .robustMixture:
      guard m.has("vague_weight") else { return .robustMixture(vagueWeight: 0.5) }
      return reader.number(
        m["vague_weight"], m.path("vague_weight"), "a weight in [0, 1] (of the vague component)",
        where: { $0 >= 0 && $0 <= 1 }
      ).map { .robustMixture(vagueWeight: $0) }
    case .ebPowerPrior:
      guard m.has("normalized") else { return .ebPowerPrior(normalized: false) }
      return reader.choice(m["normalized"], m.path("normalized"), ["true", "false"]).map { .ebPowerPrior(normalized: $0 == "true") }
    case .sam:
      guard m.has("delta") else {
        reader.fail(node, m.path("delta"), "sam needs 'delta': the clinically relevant difference on the log-hazard scale, e.g. 0.2")
        return nil
      }
      guard let delta = reader.number(m["delta"], m.path("delta"), "a positive log hazard ratio", where: { $0 > 0 }) else { return nil }
      var odds: Double?
      if m.has("prior_odds") {
        guard let o = reader.number(m["prior_odds"], m.path("prior_odds"), "a positive number", where: { $0 > 0 }) else { return nil }
        odds = o
      }
      return .sam(delta: delta, priorOdds: odds)
    case .prognostic:
      guard m.has("test") else { return .prognostic(test: .adjustedLogrank) }
      return reader.choice(m["test"], m.path("test"), Scenario.PrognosticTest.allCases.map(\.rawValue))
        .map { .prognostic(test: Scenario.PrognosticTest(rawValue: $0)!) }
    }
  }

  /// `calibrate: {designs: all | [ids], drift: 1 | [low, high]}`; nil when absent. The truth grid
  /// must hold HR 1 and drift 1, and the range must contain 1 (calibration is at exchangeability
  /// at least).
  private func loadCalibration(_ node: Node?, designs: [Scenario.Design], designIDs: [String], truth: Scenario.TruthGrid?)
    -> Scenario.Calibration??
  {
    guard let node else { return .some(nil) }
    guard let m = reader.mapping(node, "calibrate", allowed: ["designs", "drift"]) else { return nil }
    var calibration = Scenario.Calibration()
    if let d = m["designs"] {
      if d.scalar?.string == "all" {
        calibration.designs = nil
      } else if let items = reader.sequence(d, "calibrate.designs") {
        var ids: [String] = []
        for (item, path) in items {
          guard let name = reader.string(item, path) else { continue }
          if !designIDs.contains(name) {
            reader.fail(item, path, "unknown design '\(name)'\(didYouMean(name, among: designIDs))")
          } else {
            ids.append(name)
          }
        }
        calibration.designs = ids
      }
    }
    if let d = m["drift"] {
      if let items = d.sequence {
        let values = items.enumerated().compactMap {
          reader.number($0.element, "calibrate.drift[\($0.offset)]", "a positive drift", where: { $0 > 0 })
        }
        guard values.count == 2 else {
          reader.fail(d, "calibrate.drift", "expected 1 or a range [low, high] of drifts")
          return nil
        }
        guard values[0] <= 1 && 1 <= values[1] else {
          reader.fail(
            d, "calibrate.drift",
            "the range [\(values[0].formatted), \(values[1].formatted)] must contain 1: type-I error is calibrated at exchangeability and, with a range, at every drift in it"
          )
          return nil
        }
        calibration.driftLow = values[0]
        calibration.driftHigh = values[1]
      } else if let v = reader.number(d, "calibrate.drift", "1 or a range [low, high]", where: { $0 == 1 }) {
        calibration.driftLow = v
        calibration.driftHigh = v
      } else {
        return nil
      }
    }
    if let truth, !truth.hazardRatios.contains(1) || !truth.drifts.contains(1) {
      reader.fail(node, "calibrate", "calibration needs trials under HR 1 at drift 1: add 1.0 to truth.hazard_ratio and truth.drift")
      return nil
    }
    return .some(calibration)
  }

  /// `borrowing: {intervals: 4 | cut_points: […], generator_uncertainty: true, refits: 200,
  /// threshold: 0.975, refit: every | pool, pool_size: 200}`; defaults when absent.
  private func loadBorrowing(_ node: Node?, protocol p: TrialProtocol?) -> Scenario.Borrowing? {
    guard let node else { return Scenario.Borrowing() }
    guard
      let m = reader.mapping(
        node, "borrowing",
        allowed: [
          "intervals", "cut_points", "generator_uncertainty", "refits", "threshold", "refit", "pool_size",
        ])
    else { return nil }
    var ok = true
    let intervals = m["intervals"].map { reader.integer($0, "borrowing.intervals", "a whole number >= 1", where: { $0 >= 1 }) } ?? 4
    if m["intervals"] != nil && intervals == nil { ok = false }
    var cutPoints: [Double]?
    if let cuts = m["cut_points"] {
      if m.has("intervals") { reader.fail(cuts, "borrowing.cut_points", "give 'intervals' or 'cut_points', not both") }
      var values: [Double] = []
      for (item, itemPath) in reader.sequence(cuts, "borrowing.cut_points") ?? [] {
        guard let v = p.flatMap({ reader.duration(item, itemPath, unit: $0.timeUnit) }) else {
          ok = false
          continue
        }
        if let last = values.last, v <= last {
          reader.fail(item, itemPath, "cut points must increase (\(v.formatted) after \(last.formatted))")
          ok = false
        }
        values.append(v)
      }
      cutPoints = values
    }
    let uncertainty =
      m["generator_uncertainty"].map { n -> Bool? in
        guard let v = reader.choice(n, "borrowing.generator_uncertainty", ["true", "false"]) else { return nil }
        return v == "true"
      } ?? true
    let refits = m["refits"].map { reader.integer($0, "borrowing.refits", "a whole number >= 20", where: { $0 >= 20 }) } ?? 200
    let threshold = m["threshold"].map {
      reader.number($0, "borrowing.threshold", "a posterior probability in (0.5, 1)", where: { $0 > 0.5 && $0 < 1 })
    }
    let refit = loadRefit(m)
    if refit == nil { ok = false }
    // J intervals with equal numbers of reference events need at least J reference events.
    if let intervals, let data = p?.referenceData, cutPoints == nil {
      let events = data.referenceRows.filter { data.events[$0] == true }.count
      if intervals > events {
        reader.fail(
          m["intervals"], "borrowing.intervals",
          "\(intervals) intervals with equal numbers of reference events need at least \(intervals) events; the reference has \(events)")
        ok = false
      }
    }
    guard ok, let intervals, let uncertainty, let refits, threshold != .some(nil) else { return nil }
    return Scenario.Borrowing(
      intervals: intervals, cutPoints: cutPoints, generatorUncertainty: uncertainty, refits: refits,
      threshold: threshold ?? nil, refit: refit ?? .every)
  }

  /// `refit: every | pool` and `pool_size: K` (pool only; default 200, at least 2).
  private func loadRefit(_ m: SpecMapping) -> Scenario.GeneratorRefit? {
    let mode = m["refit"].map { reader.choice($0, "borrowing.refit", ["every", "pool"]) } ?? "every"
    guard let mode else { return nil }
    if mode == "every" {
      if let size = m["pool_size"] {
        reader.fail(size, "borrowing.pool_size", "pool_size applies to 'refit: pool' only")
        return nil
      }
      return .every
    }
    let size =
      m["pool_size"].map { reader.integer($0, "borrowing.pool_size", "a whole number >= 2", where: { $0 >= 2 }) }
      ?? Scenario.GeneratorRefit.defaultPoolSize
    return size.map { .pool(size: $0) }
  }

  private func loadSweep(_ node: Node?, protocol p: TrialProtocol) -> [Scenario.SweepCell] {
    let symbols = Dictionary(uniqueKeysWithValues: p.variables.map { ($0.name, $0.symbol) })
    let rules = ProtocolLoader(reader: reader, folder: folder)
    var cells: [Scenario.SweepCell] = []
    for (item, path) in reader.sequence(node, "sweep.eligibility") ?? [] {
      guard let m = reader.mapping(item, path, allowed: ["id", "add", "drop", "replace", "fit_on"], required: ["id"]),
        let id = reader.string(m["id"], m.path("id"))
      else { continue }
      reader.checkSafeIdentifier(id, m["id"], m.path("id"), what: "sweep cell id")
      if cells.contains(where: { $0.id == id }) { reader.fail(m["id"], m.path("id"), "sweep cell id '\(id)' is used twice") }
      var eligibility = p.eligibility
      let known = eligibility.rules.map(\.id)
      for (dropNode, dropPath) in m["drop"].flatMap({ reader.sequence($0, m.path("drop")) }) ?? [] {
        guard let rule = reader.string(dropNode, dropPath) else { continue }
        guard eligibility.rules.contains(where: { $0.id == rule }) else {
          reader.fail(
            dropNode, dropPath,
            "unknown rule '\(rule)'\(didYouMean(rule, among: known)); the protocol's rules are \(known.joined(separator: ", "))")
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
              reader.fail(
                keyNode, rulePath,
                "unknown rule '\(rule)'\(didYouMean(rule, among: known)); the protocol's rules are \(known.joined(separator: ", "))")
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
            let at =
              kind == .inclusion ? (eligibility.rules.lastIndex { $0.kind == .inclusion }.map { $0 + 1 } ?? 0) : eligibility.rules.count
            eligibility.rules.insert(rule, at: at)
          }
        }
      }
      var fitOn = p.synthesis?.fitOn ?? .reference
      if m.has("fit_on"), let choice = reader.choice(m["fit_on"], m.path("fit_on"), FitPopulation.allCases.map(\.rawValue)) {
        fitOn = FitPopulation(rawValue: choice)!
      }
      cells.append(.init(id: id, eligibility: eligibility, fitOn: fitOn))
    }
    return cells
  }

  /// Crosses the eligibility cells with `sweep.reference_size`: cell `ID-refM` learns its
  /// synthetic source from M eligible reference patients.
  private func referenceSizeCells(
    _ cells: [Scenario.SweepCell], _ node: Node?, protocol p: TrialProtocol, designs: [Scenario.Design]
  ) -> [Scenario.SweepCell] {
    let path = "sweep.reference_size"
    var sizes: [Int] = []
    for (item, itemPath) in reader.sequence(node, path) ?? [] {
      guard let m = reader.integer(item, itemPath, "a whole number of patients in 10…100000", where: { (10...100_000).contains($0) })
      else { continue }
      if sizes.contains(m) { reader.fail(item, itemPath, "reference size \(m) is listed twice") }
      sizes.append(m)
    }
    if node?.sequence?.isEmpty == true { reader.fail(node, path, "needs at least one reference size") }
    if p.referenceData == nil {
      reader.fail(node, path, "reference sizes resample the protocol's reference cohort, and protocol '\(p.id)' has none")
      return cells
    }
    if !designs.contains(where: { $0.hasExternalControls }) {
      reader.fail(
        node, path, "no design borrows external controls, so the reference's size changes nothing; add a design with synthetic controls")
    }
    return cells.enumerated().flatMap { i, cell in
      sizes.map { m in
        Scenario.SweepCell(
          id: "\(cell.id)-ref\(m)", eligibility: cell.eligibility, fitOn: cell.fitOn, referenceSize: m,
          streamCell: i * sizes.count)
      }
    }
  }
}
