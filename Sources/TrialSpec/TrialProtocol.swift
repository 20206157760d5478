// TrialProtocol.swift — the protocol model: what a loaded, validated protocol file says.
// Durations are already converted to the file's `timeUnit`.

import CohortData

/// A trial protocol (Docs/ProtocolFormat.md, "Protocol").
public struct TrialProtocol: Sendable {
  public var file: String
  public var id: String
  public var title: String?
  public var timeUnit: TimeUnit
  /// The real control-arm cohort; nil for a parametric protocol.
  public var reference: ReferenceSpec?
  /// Declared covariates, in file order.
  public var variables: [VariableDeclaration]
  public var eligibility: Eligibility
  public var endpoint: Endpoint
  public var arms: [Arm]
  public var design: TrialDesign
  public var synthesis: SynthesisSpec?

  /// The reference data, typed by the declarations (nil for a parametric protocol).
  public var referenceData: ReferenceData?

  /// Where some keys are written in the file — `eligibility`, `synthesis.constraints[i]` — for
  /// the checks made after loading (``eligibilityFindings()``) to point at.
  public var keyPositions: [String: KeyPosition] = [:]

  /// A 1-based line and column in the protocol file.
  public struct KeyPosition: Sendable, Equatable {
    public var line: Int
    public var column: Int
  }

  /// The control arm and the experimental arms.
  public var controlArm: Arm { arms.first { $0.role == .control }! }
  public var experimentalArms: [Arm] { arms.filter { $0.role == .experimental } }

  /// The control arm's share of the protocol's patients at its allocation: the experimental arm
  /// gets ⌊N·e/(e + c)⌋ and the control arm the rest, as the savings search splits a total.
  public var controlPatients: Int {
    let e = experimentalArms.first?.allocation ?? 1
    let c = controlArm.allocation
    return design.patients - design.patients * e / (e + c)
  }
}

public struct ReferenceSpec: Sendable {
  /// The CSV path as written and resolved against the protocol's folder.
  public var dataPath: String
  public var resolvedDataPath: String
  /// Which rows are real control patients (nil = all rows).
  public var rows: CompiledExpression?
  public var timeColumn: String
  public var timeUnit: TimeUnit
  public var eventColumn: String
  /// The first value meaning "event" (`event_value`, or the first of `event_values`).
  public var eventValue: String
  /// Every value meaning "event" (`event_value` alone, or `event_values`).
  public var eventValues: [String] = []
  /// Every value meaning "censored" (`censor_value`; by default 0, or 1 when the event value is
  /// 2 as in R's `Surv` 1/2 coding). Any other value in the event column is an error.
  public var censorValues: [String] = []

  /// Whether `field` of the event column is an event (true), a censoring (false), or neither
  /// (nil). Values are compared as numbers when both parse ("1.0" is "1"), else as text.
  public func eventStatus(_ field: String) -> Bool? {
    func matches(_ value: String) -> Bool {
      if let a = Double(field), let b = Double(value) { return a == b }
      return field == value
    }
    if (eventValues.isEmpty ? [eventValue] : eventValues).contains(where: matches) { return true }
    if (censorValues.isEmpty ? ["0"] : censorValues).contains(where: matches) { return false }
    return nil
  }
}

public enum VariableType: String, Sendable, CaseIterable, Codable {
  case continuous, count, binary, categorical, ordinal
}

/// A declared covariate.
public struct VariableDeclaration: Sendable {
  public var name: String
  public var type: VariableType
  public var unit: String?
  /// CSV code → label, in declaration order (the order of an ordinal variable).
  public var codes: [(code: String, label: String)]?
  /// Labels held in the CSV itself, in order.
  public var levels: [String]?
  public var range: ClosedRange<Double>?

  /// The labels of a categorical or ordinal variable, in order.
  public var labels: [String] { codes?.map(\.label) ?? levels ?? [] }

  /// What expressions may do with this variable.
  public var symbol: ExpressionSymbol {
    switch type {
    case .continuous, .count: .numeric(unit: unit)
    case .binary:
      .binary(labels: Dictionary(uniqueKeysWithValues: (codes ?? []).compactMap { c in Double(c.code).map { (c.label, $0) } }))
    case .categorical: .categorical(labels: labels)
    case .ordinal: .ordinal(labels: labels)
    }
  }
}

/// What happens to a patient whose rule evaluates to unknown (missing data).
public enum OnUnknown: String, Sendable, Codable {
  case exclude, include
}

public struct EligibilityRule: Sendable {
  public enum Kind: String, Sendable, Codable { case inclusion, exclusion }
  public var id: String
  public var kind: Kind
  public var text: String?
  public var expression: CompiledExpression
  /// Overrides the protocol's `on_unknown` for this rule.
  public var onUnknown: OnUnknown?

  public init(id: String, kind: Kind, text: String?, expression: CompiledExpression, onUnknown: OnUnknown?) {
    self.id = id
    self.kind = kind
    self.text = text
    self.expression = expression
    self.onUnknown = onUnknown
  }
}

public struct Eligibility: Sendable {
  public var onUnknown: OnUnknown
  /// Inclusion rules then exclusion rules, in file order.
  public var rules: [EligibilityRule]

  public init(onUnknown: OnUnknown, rules: [EligibilityRule]) {
    self.onUnknown = onUnknown
    self.rules = rules
  }
}

/// The control arm's survival when given directly (parametric truth).
public enum ControlSurvival: Sendable, Equatable {
  case exponential(median: Double)
  case weibull(median: Double, shape: Double)
  /// Hazard rates per interval; `until` is the end of each interval but the last.
  case piecewise(until: [Double], rates: [Double])
}

public struct Endpoint: Sendable {
  public var name: String
  public var kind: String
  /// Landmark for survival-at-horizon and RMST, in the file's time unit.
  public var horizon: Double?
  public var control: ControlSurvival?
}

public struct Arm: Sendable {
  public enum Role: String, Sendable, Codable { case control, experimental }
  public var id: String
  public var role: Role
  public var allocation: Int
  public var hazardRatio: Double?
}

public struct TrialDesign: Sendable {
  public enum Accrual: Sendable, Equatable {
    case uniform(duration: Double)
    /// Piecewise-constant rates (patients per time unit); the last may run until enrolment is full.
    case rates([(duration: Double?, rate: Double)])

    public static func == (a: Accrual, b: Accrual) -> Bool {
      switch (a, b) {
      case (.uniform(let x), .uniform(let y)): x == y
      case (.rates(let x), .rates(let y)): x.count == y.count && zip(x, y).allSatisfy { $0.duration == $1.duration && $0.rate == $1.rate }
      default: false
      }
    }
  }

  public enum Analysis: Sendable, Equatable {
    case calendar(followUp: Double)
    case events(Int)
  }

  /// The frequentist test of the protocol.
  public enum TestMethod: String, Sendable, Codable, CaseIterable {
    case logrank
    case cox
  }

  public struct Test: Sendable, Equatable {
    public var method: TestMethod
    public var alpha: Double
    public var sided: Int

    public init(method: TestMethod, alpha: Double, sided: Int) {
      self.method = method
      self.alpha = alpha
      self.sided = sided
    }
  }

  public var patients: Int
  public var accrual: Accrual
  public var analysis: Analysis
  /// Probability of dropping out by time `by` (exponential dropout), or nil for none.
  public var dropout: (probability: Double, by: Double)?
  public var test: Test
}

public struct SynthesisSpec: Sendable {
  /// The covariate generator family (`synthesis.generator`, default `gaussian-copula`).
  public var generator: GeneratorFamily = .gaussianCopula
  public var outcome: OutcomeFamily
  public var covariates: [String]
  public var constraints: [CompiledExpression]
  /// Which reference patients the generator learns from (`synthesis.fit_on`, default reference).
  public var fitOn: FitPopulation = .reference
  /// The CART family's settings (`synthesis.minbucket`, `synthesis.smoothing`); nil for the copula.
  public var cart: CARTSettings?
}

/// The outcome model of a generator (Docs/ProtocolFormat.md `synthesis.outcome`).
public enum OutcomeFamily: String, Sendable, Codable, CaseIterable {
  /// Weibull proportional hazards.
  case weibull
  /// Piecewise-exponential proportional hazards.
  case piecewiseExponential = "piecewise-exponential"
}

/// Which family learns the covariates (Docs/ProtocolFormat.md `synthesis.generator`).
public enum GeneratorFamily: String, Sendable, Codable, CaseIterable {
  /// Gaussian copula with empirical marginals (the default).
  case gaussianCopula = "gaussian-copula"
  /// Sequential CART synthesis in the style of synthpop (Nowok, Raab & Dibben 2016).
  case cart
  /// Chosen among the families' configurations on holdout splits of the eligible reference
  /// (`GeneratorSelection` in Runs), before anything is fitted.
  case auto
}

/// How continuous values drawn from a CART leaf are smoothed (`synthesis.smoothing`).
public enum CARTSmoothing: String, Sendable, Codable, CaseIterable {
  /// A Gaussian kernel around the donor value (synthpop's `smoothing = "density"`).
  case density
  /// The donor's value itself (synthpop's default `""`): a real patient's value is re-used.
  case none
}

/// The privacy knobs of sequential CART synthesis.
public struct CARTSettings: Sendable, Hashable, Codable {
  /// The fewest fitting patients in any leaf (rpart's `minbucket`); the split search needs
  /// 3 × minbucket patients in a node, as rpart sets `minsplit` when only `minbucket` is given.
  public var minbucket: Int
  public var smoothing: CARTSmoothing
  /// rpart's complexity parameter: a split must reduce the node impurity by at least cp times the
  /// root's (synthpop's default 1e-8: practically no limit).
  public var complexity: Double

  /// SynthArm's defaults: minbucket 20 (larger than synthpop's 5, so that a leaf's donors are
  /// never a handful of patients: a privacy default), density smoothing, cp 1e-8.
  public init(minbucket: Int = 20, smoothing: CARTSmoothing = .density, complexity: Double = 1e-8) {
    self.minbucket = minbucket
    self.smoothing = smoothing
    self.complexity = complexity
  }
}

/// Which reference patients the generator learns from.
public enum FitPopulation: String, Sendable, Codable, CaseIterable {
  /// Every reference patient; eligibility is then imposed by conditioning. More data for the
  /// marginals and correlations, and the copula's own extrapolation into the eligible region.
  case reference
  /// Only the eligible reference patients: the fit describes exactly the population the trial
  /// enrols, but from fewer patients (and conditioning then only enforces the rules).
  case eligible
}
