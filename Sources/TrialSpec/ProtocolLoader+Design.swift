// ProtocolLoader+Design.swift — endpoint, arms, design and synthesis sections.

import Yams

extension ProtocolLoader {
  // MARK: - Endpoint

  func loadEndpoint(_ node: Node, timeUnit: TimeUnit) -> Endpoint? {
    guard let m = reader.mapping(node, "endpoint", allowed: ["name", "kind", "horizon", "control"], required: ["name", "kind"])
    else { return nil }
    let name = reader.string(m["name"], "endpoint.name")
    let kind = reader.choice(m["kind"], "endpoint.kind", ["time-to-event"])
    let horizon = m["horizon"].flatMap { reader.duration($0, "endpoint.horizon", unit: timeUnit) }
    let control = m["control"].flatMap { loadControl($0, timeUnit: timeUnit) }
    guard let name, let kind else { return nil }
    return Endpoint(name: name, kind: kind, horizon: horizon, control: control)
  }

  private func loadControl(_ node: Node, timeUnit: TimeUnit) -> ControlSurvival? {
    let path = "endpoint.control"
    guard let m = reader.mapping(node, path, allowed: ["distribution", "median", "shape", "piecewise"]) else { return nil }
    if let pieces = m["piecewise"] {
      if m.has("distribution") || m.has("median") || m.has("shape") {
        reader.fail(node, path, "give either 'piecewise' or 'distribution' with 'median', not both")
      }
      guard let items = reader.sequence(pieces, m.path("piecewise")), !items.isEmpty else {
        reader.fail(pieces, m.path("piecewise"), "needs at least one period, e.g. [{until: 6, rate: 0.05}, {rate: 0.03}]")
        return nil
      }
      var until: [Double] = []
      var rates: [Double] = []
      for (i, (item, itemPath)) in items.enumerated() {
        let isLast = i == items.count - 1
        guard let p = reader.mapping(item, itemPath, allowed: ["until", "rate"], required: ["rate"]) else { continue }
        if let rate = reader.number(p["rate"], p.path("rate"), "a hazard rate >= 0 per \(timeUnit.rawValue)", where: { $0 >= 0 }) {
          rates.append(rate)
        }
        if isLast {
          if p.has("until") { reader.fail(p["until"], p.path("until"), "the last period runs on for ever; leave out 'until'") }
        } else if let u = reader.duration(p["until"], p.path("until"), unit: timeUnit) {
          if let previous = until.last, u <= previous {
            reader.fail(p["until"], p.path("until"), "periods must end in increasing order (\(u.formatted) after \(previous.formatted))")
          }
          until.append(u)
        } else if !p.has("until") {
          reader.fail(item, p.path("until"), "every period but the last needs 'until'")
        }
      }
      guard rates.count == items.count, until.count == items.count - 1 else { return nil }
      return .piecewise(until: until, rates: rates)
    }
    guard let distribution = reader.choice(m["distribution"], m.path("distribution"), ["exponential", "weibull"]) else {
      if !m.has("distribution") {
        reader.fail(node, m.path("distribution"), "'distribution' (exponential or weibull) or 'piecewise' is required")
      }
      return nil
    }
    guard let median = m["median"].flatMap({ reader.duration($0, m.path("median"), unit: timeUnit) }) else {
      if !m.has("median") { reader.fail(node, m.path("median"), "'median' is required") }
      return nil
    }
    if distribution == "exponential" {
      if m.has("shape") { reader.fail(m["shape"], m.path("shape"), "an exponential distribution has no shape; use distribution: weibull") }
      return .exponential(median: median)
    }
    guard let shape = m["shape"].flatMap({ reader.number($0, m.path("shape"), "a positive number", where: { $0 > 0 }) }) else {
      if !m.has("shape") { reader.fail(node, m.path("shape"), "a Weibull distribution needs 'shape'") }
      return nil
    }
    return .weibull(median: median, shape: shape)
  }

  // MARK: - Arms

  func loadArms(_ node: Node) -> [Arm]? {
    guard let items = reader.sequence(node, "arms") else { return nil }
    var arms: [Arm] = []
    for (item, path) in items {
      guard let m = reader.mapping(item, path, allowed: ["id", "role", "allocation", "hazard_ratio"], required: ["id", "role"]),
        let id = reader.string(m["id"], m.path("id")),
        let role = reader.choice(m["role"], m.path("role"), ["control", "experimental"]).flatMap(Arm.Role.init(rawValue:))
      else { continue }
      let allocation = m["allocation"].flatMap { reader.integer($0, m.path("allocation"), "a whole number >= 1", where: { $0 >= 1 }) } ?? 1
      let hr = m["hazard_ratio"].flatMap { reader.number($0, m.path("hazard_ratio"), "a positive number", where: { $0 > 0 }) }
      if role == .control && m.has("hazard_ratio") {
        reader.fail(
          m["hazard_ratio"], m.path("hazard_ratio"), "the control arm is the reference; only experimental arms have a hazard ratio")
      }
      if arms.contains(where: { $0.id == id }) { reader.fail(m["id"], m.path("id"), "arm id '\(id)' is used twice") }
      arms.append(Arm(id: id, role: role, allocation: allocation, hazardRatio: hr))
    }
    let controls = arms.filter { $0.role == .control }.count
    if !arms.isEmpty && controls != 1 {
      reader.fail(node, "arms", "needs exactly one arm with role: control (found \(controls))")
    }
    if !arms.isEmpty && !arms.contains(where: { $0.role == .experimental }) {
      reader.fail(node, "arms", "needs at least one arm with role: experimental")
    }
    return controls == 1 && arms.count >= 2 ? arms : nil
  }

  // MARK: - Design

  func loadDesign(_ node: Node, timeUnit: TimeUnit) -> TrialDesign? {
    guard
      let m = reader.mapping(
        node, "design", allowed: ["patients", "accrual", "analysis", "dropout", "test"],
        required: ["patients", "accrual", "analysis", "test"])
    else { return nil }
    let patients = reader.integer(m["patients"], "design.patients", "a whole number >= 2", where: { $0 >= 2 })
    var accrual: TrialDesign.Accrual?
    if let a = reader.mapping(m["accrual"], "design.accrual", allowed: ["duration", "rates"]) {
      if a.has("duration") == a.has("rates") {
        reader.fail(m["accrual"], "design.accrual", "give either 'duration' (uniform accrual) or 'rates' (piecewise), one of them")
      } else if let d = a["duration"] {
        accrual = reader.duration(d, "design.accrual.duration", unit: timeUnit).map { .uniform(duration: $0) }
      } else if let items = reader.sequence(a["rates"], "design.accrual.rates") {
        var pieces: [(duration: Double?, rate: Double)] = []
        for (i, (item, path)) in items.enumerated() {
          guard let p = reader.mapping(item, path, allowed: ["duration", "rate"], required: ["rate"]),
            let rate = reader.number(p["rate"], p.path("rate"), "a positive number of patients per \(timeUnit.rawValue)", where: { $0 > 0 })
          else { continue }
          let duration = p["duration"].flatMap { reader.duration($0, p.path("duration"), unit: timeUnit) }
          if duration == nil && i < items.count - 1 && !p.has("duration") {
            reader.fail(item, p.path("duration"), "every period but the last needs 'duration'")
          }
          pieces.append((duration, rate))
        }
        if pieces.count == items.count && !pieces.isEmpty { accrual = .rates(pieces) }
      }
    }
    var analysis: TrialDesign.Analysis?
    if let a = reader.mapping(m["analysis"], "design.analysis", allowed: ["at", "follow_up", "events"], required: ["at"]) {
      switch reader.choice(a["at"], "design.analysis.at", ["calendar", "events"]) {
      case "calendar":
        if a.has("events") { reader.fail(a["events"], "design.analysis.events", "'events' belongs to {at: events}") }
        if a.has("follow_up") {
          analysis = reader.duration(a["follow_up"], "design.analysis.follow_up", unit: timeUnit, positive: false).map {
            .calendar(followUp: $0)
          }
        } else {
          reader.fail(
            m["analysis"], "design.analysis.follow_up", "a calendar analysis needs 'follow_up' (time after the last patient is accrued)")
        }
      case "events":
        if a.has("follow_up") { reader.fail(a["follow_up"], "design.analysis.follow_up", "'follow_up' belongs to {at: calendar}") }
        if a.has("events") {
          analysis = reader.integer(a["events"], "design.analysis.events", "a whole number >= 1", where: { $0 >= 1 }).map { .events($0) }
        } else {
          reader.fail(m["analysis"], "design.analysis.events", "an event-driven analysis needs 'events'")
        }
      default: break
      }
    }
    if let patients, case .events(let e)? = analysis, e > patients {
      reader.fail(m["analysis"], "design.analysis.events", "\(e) events cannot be reached with \(patients) patients")
    }
    var dropout: (probability: Double, by: Double)?
    if let d = reader.mapping(m["dropout"], "design.dropout", allowed: ["probability", "by"], required: ["probability", "by"]),
      let p = reader.number(d["probability"], "design.dropout.probability", "a probability in [0, 1)", where: { $0 >= 0 && $0 < 1 }),
      let by = reader.duration(d["by"], "design.dropout.by", unit: timeUnit)
    {
      dropout = (p, by)
    }
    var test: TrialDesign.Test?
    if let t = reader.mapping(m["test"], "design.test", allowed: ["method", "alpha", "sided"], required: ["method", "alpha"]) {
      let method = reader.choice(t["method"], "design.test.method", TrialDesign.TestMethod.allCases.map(\.rawValue))
        .flatMap(TrialDesign.TestMethod.init(rawValue:))
      let alpha = reader.number(t["alpha"], "design.test.alpha", "a level in (0, 0.5)", where: { $0 > 0 && $0 < 0.5 })
      let sided = t["sided"].flatMap { reader.integer($0, "design.test.sided", "1 or 2", where: { $0 == 1 || $0 == 2 }) } ?? 2
      if let method, let alpha { test = .init(method: method, alpha: alpha, sided: sided) }
    }
    guard let patients, let accrual, let analysis, let test else { return nil }
    return TrialDesign(patients: patients, accrual: accrual, analysis: analysis, dropout: dropout, test: test)
  }

  // MARK: - Synthesis

  func loadSynthesis(_ node: Node, variables: [VariableDeclaration], symbols: [String: ExpressionSymbol]) -> SynthesisSpec? {
    guard
      let m = reader.mapping(
        node, "synthesis", allowed: ["generator", "outcome", "covariates", "constraints", "fit_on", "minbucket", "smoothing"],
        required: ["outcome"])
    else { return nil }
    var generator: GeneratorFamily? = .gaussianCopula
    if m.has("generator") {
      generator = reader.choice(m["generator"], "synthesis.generator", GeneratorFamily.allCases.map(\.rawValue))
        .flatMap(GeneratorFamily.init(rawValue:))
    }
    let cart = loadCARTSettings(m, generator: generator)
    let outcome = reader.choice(m["outcome"], "synthesis.outcome", OutcomeFamily.allCases.map(\.rawValue))
      .flatMap(OutcomeFamily.init(rawValue:))
    let names = variables.map(\.name)
    var covariates = names
    if let list = m["covariates"].flatMap({ reader.sequence($0, "synthesis.covariates") }) {
      covariates = []
      for (item, path) in list {
        guard let name = reader.string(item, path) else { continue }
        if reader.unresolvedNames.contains(name) {
          continue
        } else if !names.contains(name) {
          reader.fail(item, path, "'\(name)' is not a declared variable\(didYouMean(name, among: names))")
        } else if covariates.contains(name) {
          reader.fail(item, path, "'\(name)' is listed twice")
        } else {
          covariates.append(name)
        }
      }
    }
    var constraints: [CompiledExpression] = []
    for (item, path) in m["constraints"].flatMap({ reader.sequence($0, "synthesis.constraints") }) ?? [] {
      if let e = compile(item, path, symbols: symbols) { constraints.append(e) }
    }
    var fitOn = FitPopulation.reference
    if m.has("fit_on") {
      guard let choice = reader.choice(m["fit_on"], "synthesis.fit_on", FitPopulation.allCases.map(\.rawValue)) else { return nil }
      fitOn = FitPopulation(rawValue: choice)!
    }
    guard let generator, let outcome else { return nil }
    return SynthesisSpec(
      generator: generator, outcome: outcome, covariates: covariates, constraints: constraints, fitOn: fitOn,
      cart: generator == .cart ? cart : nil)
  }

  /// `minbucket` and `smoothing`: settings of the CART family only, so an error for any other
  /// generator (a knob that would be silently ignored).
  private func loadCARTSettings(_ m: SpecMapping, generator: GeneratorFamily?) -> CARTSettings {
    var settings = CARTSettings()
    for key in ["minbucket", "smoothing"] where m.has(key) && generator != nil && generator != .cart {
      reader.fail(m[key], "synthesis.\(key)", "applies to 'generator: cart' only (the generator is \(generator!.rawValue))")
    }
    if m.has("minbucket"),
      let k = reader.integer(m["minbucket"], "synthesis.minbucket", "a whole number ≥ 1", where: { $0 >= 1 })
    {
      settings.minbucket = k
    }
    if m.has("smoothing"),
      let choice = reader.choice(m["smoothing"], "synthesis.smoothing", CARTSmoothing.allCases.map(\.rawValue))
    {
      settings.smoothing = CARTSmoothing(rawValue: choice)!
    }
    return settings
  }
}
