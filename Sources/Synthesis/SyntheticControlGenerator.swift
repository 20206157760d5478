// SyntheticControlGenerator.swift — learn from the reference cohort, generate eligible patients.

import CohortData
import Foundation
import GSL
import SurvivalAnalysis
import TrialSpec

/// Generated patients: covariates (numbers; label positions for categorical variables; NaN =
/// missing) and an uncensored event time each, in the reference's time unit.
public struct SyntheticPatients: Sendable {
  public var variables: [VariableDeclaration]
  /// `values[j][i]`: variable j of patient i; empty for a variable not decoded (sampling with
  /// ``SyntheticColumns/outcome``).
  public var values: [[Double]]
  public var eventTimes: [Double]
  public var count: Int { eventTimes.count }

  /// The covariates as expression columns (to evaluate rules on them).
  public var columns: ExpressionColumns {
    Self.expressionColumns(variables, values, only: Array(variables.indices), rowCount: count)
  }

  /// Variables `only` of `values` (`values[j]`: variable j's values, in `variables`' order) as
  /// expression columns: numbers, or label positions (−1 = missing) for categorical and ordinal
  /// variables.
  static func expressionColumns(
    _ variables: [VariableDeclaration], _ values: [[Double]], only: [Int], rowCount: Int
  ) -> ExpressionColumns {
    var out: [String: ExpressionColumn] = [:]
    for j in only {
      let v = variables[j]
      switch v.type {
      case .categorical, .ordinal: out[v.name] = .labels(values[j].map { $0.isNaN ? -1 : Int32($0) })
      default: out[v.name] = .numeric(values[j])
      }
    }
    return ExpressionColumns(rowCount: rowCount, columns: out)
  }
}

/// Which generated variables a sample decodes.
public enum SyntheticColumns: Sendable, Equatable {
  /// Every variable.
  case all
  /// Only those the eligibility rules, the synthesis constraints and the outcome model read: what
  /// a simulated trial needs (the copula leaves the others undecoded; CART draws them all anyway).
  case outcome
}

/// How a generation went.
public struct GenerationReport: Sendable, Codable {
  public var requested: Int
  public var candidates: Int
  /// Accepted / candidates: the share of drawn patients that met every rule and constraint.
  public var acceptanceRate: Double
  /// `rejection`; `latent-box` when single-variable rules were imposed on the copula's latent
  /// normal; `truncated-leaf` when CART leaves were truncated to them.
  public var method: String
  /// Reference patients meeting the criteria: how many real patients back the synthetic ones.
  public var support: Int
  public var supportWarning: String?
  public var fitOn: FitPopulation
  public var rowsFitted: Int
  /// The covariate family; nil in reports written before there was a choice (the copula).
  public var generator: GeneratorFamily?
  /// The copula's correlation shrinkage λ; nil for the CART family.
  public var correlationShrinkage: Double?
  /// The CART family's settings; nil for the copula.
  public var cart: CARTSettings?
}

/// A generator of synthetic control patients learnt from a protocol's reference cohort: the
/// covariates from the family the protocol names (`synthesis.generator`: a Gaussian copula, or
/// sequential CART), event times from a Weibull (or piecewise-exponential) outcome model that
/// every family shares, as does the censoring model. Refits (bootstrap resamples in the Monte
/// Carlo engine) use the same family and settings.
public struct SyntheticControlGenerator: Sendable {
  public let trialProtocol: TrialProtocol
  public let family: GeneratorFamily
  /// The generated covariates, in order.
  public let variables: [VariableDeclaration]
  /// The fitted copula (family `gaussian-copula`), else nil.
  public let copula: GaussianCopulaModel?
  /// The fitted trees (family `cart`), else nil.
  public let cart: SequentialCARTModel?
  public let outcome: OutcomeModel
  public let fitOn: FitPopulation
  /// Reference rows (CSV row indices) used for fitting.
  public let fittedRows: [Int]

  /// Fits the generator to the protocol's reference cohort.
  ///
  /// - Parameter excluding: reference rows (CSV row indices) kept out of fitting, e.g. an audit
  ///   holdout (``HoldoutSplit``).
  public init(protocol p: TrialProtocol, fitOn: FitPopulation = .reference, excluding: Set<Int> = []) throws(SynthesisError) {
    guard let data = p.referenceData else {
      throw .notConfigured("protocol '\(p.id)' has no reference cohort to learn from (it is parametric)")
    }
    var rows = data.referenceRows.filter { !excluding.contains($0) }
    if fitOn == .eligible {
      let mask = p.eligibility.eligible(data.columns.selecting(rows))
      rows = rows.indices.filter { mask[$0] }.map { rows[$0] }
    }
    try self.init(protocol: p, fittingRows: rows, fitOn: fitOn)
  }

  /// Fits the generator to the given reference rows (CSV row indices; repeats allowed, as in a
  /// bootstrap resample — the Monte Carlo engine refits on one in every replicate, with
  /// `warmStart` the generator fitted on the whole reference: its outcome estimate starts the
  /// refit's optimizer, which then needs a few Newton steps; `standardErrors: false` skips the
  /// outcome model's covariance, which a refit that only draws patients never reads).
  public init(
    protocol p: TrialProtocol, fittingRows rows: [Int], fitOn: FitPopulation = .reference,
    warmStart: SyntheticControlGenerator? = nil, standardErrors: Bool = true
  ) throws(SynthesisError) {
    guard let data = p.referenceData else {
      throw .notConfigured("protocol '\(p.id)' has no reference cohort to learn from (it is parametric)")
    }
    let synthesis = p.synthesis
    let names = synthesis?.covariates ?? p.variables.map(\.name)
    let variables = names.compactMap { n in p.variables.first { $0.name == n } }
    trialProtocol = p
    self.fitOn = fitOn
    fittedRows = rows
    self.variables = variables
    family = synthesis?.generator ?? .gaussianCopula
    switch family {
    case .gaussianCopula:
      copula = try GaussianCopulaModel.fit(columns: data.columns, rows: rows, variables: variables)
      cart = nil
    case .cart:
      copula = nil
      cart = try SequentialCARTModel.fit(
        columns: data.columns, rows: rows, variables: variables, settings: synthesis?.cart ?? CARTSettings())
    case .auto:
      throw .notConfigured(
        "'synthesis.generator: auto' is resolved by the generator selection before fitting (syntharm generate, audit and run do it); "
          + "fit a protocol whose generator is a family")
    }
    // The loader admits only known outcome families (an enum); a protocol without a synthesis section is Weibull.
    let kind = synthesis?.outcome ?? .weibull
    outcome = try OutcomeModel.fit(
      kind: kind, variables: variables, columns: data.columns, times: data.times,
      events: data.events, rows: rows, warmStart: warmStart?.outcome, standardErrors: standardErrors)
  }

  /// `count` patients meeting `eligibility` and the constraints, drawn from `rng` (a replicate's
  /// stream), with event hazards multiplied by `drift` (S(t | x)^drift: the synthetic source's
  /// hazard relative to concurrent controls). For the Monte Carlo engine: no report, no support
  /// count; `columns: .outcome` skips decoding the variables nothing downstream reads.
  public func sample(
    count: Int, using rng: GSLRandomSource, eligibility: Eligibility, drift: Double = 1,
    maxCandidates: Int? = nil, columns: SyntheticColumns = .all
  ) throws(SynthesisError) -> SyntheticPatients {
    let sampler = ConditionalSampler(
      generator: self, eligibility: eligibility,
      constraints: trialProtocol.synthesis?.constraints ?? [])
    return try sampler.sample(
      count: count, budget: maxCandidates ?? max(100_000, 1_000 * count), rng: rng, drift: drift, columns: columns
    ).patients
  }

  /// The generated variables' values of reference CSV row `row` (label positions for
  /// categorical variables, NaN = missing), in the generator's variable order.
  public func referenceValues(row: Int) -> [Double] {
    guard let data = trialProtocol.referenceData else { return [] }
    return variables.map { GaussianCopulaModel.values(data.columns, $0.name, [row])[0] }
  }

  /// Reference patients meeting `eligibility`.
  public func support(_ eligibility: Eligibility) -> Int {
    guard let data = trialProtocol.referenceData else { return 0 }
    return eligibility.eligible(data.referenceColumns).filter { $0 }.count
  }

  /// Generates `count` patients meeting `eligibility` (default: the protocol's) and the
  /// protocol's synthesis constraints, deterministically for `seed`.
  ///
  /// - Parameter maxCandidates: the attempt budget (default max(100,000, 1,000 × count)); when it
  ///   runs out first, ``SynthesisError/budgetExhausted(requested:generated:candidates:)``. Never
  ///   returns fewer rows than asked.
  ///   - allowLatentBox: false forces plain rejection (the reference answer) even for rare
  ///     subgroups, for every family (the copula's latent box, CART's truncated leaves).
  public func generate(
    count: Int, seed: UInt64, eligibility: Eligibility? = nil, maxCandidates: Int? = nil,
    allowLatentBox: Bool = true
  )
    throws(SynthesisError) -> (SyntheticPatients, GenerationReport)
  {
    precondition(count >= 0, "count must be >= 0")
    let rules = eligibility ?? trialProtocol.eligibility
    let sampler = ConditionalSampler(
      generator: self, eligibility: rules,
      constraints: trialProtocol.synthesis?.constraints ?? [])
    let rng = SeedSequence(masterSeed: seed).makeRandomSource(0x5359_4e54)  // "SYNT"
    let budget = maxCandidates ?? max(100_000, 1_000 * count)
    let (patients, candidates, passed, method) = try sampler.sample(
      count: count, budget: budget, rng: rng,
      allowLatentBox: allowLatentBox)
    let support = self.support(rules)
    let report = GenerationReport(
      requested: count, candidates: candidates, acceptanceRate: candidates > 0 ? Double(passed) / Double(candidates) : 1,
      method: method, support: support,
      supportWarning: support < 30
        ? "only \(support) reference patients meet the criteria (fewer than 30): the synthetic patients rest on very little real data"
        : nil,
      fitOn: fitOn, rowsFitted: fittedRows.count, generator: family, correlationShrinkage: copula?.shrinkage,
      cart: cart?.settings)
    return (patients, report)
  }
}

/// A seeded split of reference rows into training rows and a holdout kept out of fitting.
public enum HoldoutSplit {
  /// `fraction` of `rows` (rounded) chosen uniformly at random for the holdout, deterministically
  /// for `seed` (a partial Fisher–Yates shuffle on the seed's own stream).
  public static func split(_ rows: [Int], fraction: Double, seed: UInt64) -> (training: [Int], holdout: [Int]) {
    precondition(fraction >= 0 && fraction < 1, "the holdout fraction must be in [0, 1)")
    var shuffled = rows
    let k = Int((Double(rows.count) * fraction).rounded())
    let rng = SeedSequence(masterSeed: seed).makeRandomSource(0x484f_4c44)  // "HOLD"
    for i in 0..<k {
      let j = i + rng.uniformInt(below: shuffled.count - i)
      shuffled.swapAt(i, j)
    }
    let holdout = Set(shuffled.prefix(k))
    return (rows.filter { !holdout.contains($0) }, rows.filter { holdout.contains($0) })
  }
}
