// Scenario.swift — the scenario model: what to simulate with a protocol and what to compare.

/// A scenario (Docs/ProtocolFormat.md, "Scenario").
public struct Scenario: Sendable {
  public var file: String
  public var id: String
  public var protocolPath: String
  public var trialProtocol: TrialProtocol
  public var seed: UInt64
  public var replicates: Int
  public var truth: TruthGrid
  public var designs: [Design]
  public var savings: Savings?
  public var borrowing: Borrowing
  /// Decision thresholds set by simulation under HR = 1 (scenario key `calibrate`; nil: nominal).
  public var calibration: Calibration?
  /// Eligibility variations, resolved into concrete rule sets (always at least the protocol's own).
  public var sweep: [SweepCell]
  /// The output folder, resolved against the scenario's folder.
  public var output: String?

  /// Every combination is simulated.
  public struct TruthGrid: Sendable {
    public var hazardRatios: [Double]
    public var drifts: [Double]
  }

  /// How a design analyses its trials (Docs/Methods.md, "Analyses / borrowing methods").
  public enum Analysis: Sendable, Equatable {
    /// External patients ignored.
    case none
    /// External patients treated as concurrent controls (Cox / log-rank).
    case pool
    /// A power prior: the source's likelihood raised to a₀, on a piecewise-exponential control
    /// hazard (posterior probability of HR < 1) or in a Cox partial likelihood with model-based
    /// variance.
    case powerPrior(weight: Double, model: PowerPriorModel)
    /// Weighted Cox fit with a sandwich variance (the weight scales the source's bias share, not
    /// its information; kept for comparison).
    case weightedCox(weight: Double)
    /// Log-rank test of real vs external controls at `level`; pool if not rejected.
    case testThenPool(level: Double)
    /// Commensurate prior: each interval's control log hazard ~ N(external log hazard, 1/τ), τ
    /// integrated under its prior.
    case commensurate(tau: TauPrior)
    /// Robust mixture: the external data's informative component and a unit-information vague
    /// component of weight `vagueWeight` (RBesT's convention).
    case robustMixture(vagueWeight: Double)
    /// Power prior with a₀ chosen by the data (empirical Bayes), or integrated over its posterior
    /// (the normalized power prior).
    case ebPowerPrior(normalized: Bool)
    /// SAM prior: the informative component's weight from the likelihood ratio of the concurrent
    /// controls at the external hazard × e^{±δ} (δ on the log-hazard scale).
    case sam(delta: Double, priorOdds: Double?)
    /// Prognostic adjustment (PROCOVA for time to event): a prognostic score learnt from the
    /// reference — the outcome model's linear predictor — adjusts the concurrent comparison;
    /// nothing is borrowed.
    case prognostic(test: PrognosticTest)

    /// The method key of the scenario format.
    public var method: AnalysisMethod {
      switch self {
      case .none: .none
      case .pool: .pool
      case .powerPrior: .powerPrior
      case .weightedCox: .weightedCox
      case .testThenPool: .testThenPool
      case .commensurate: .commensurate
      case .robustMixture: .robustMixture
      case .ebPowerPrior: .ebPowerPrior
      case .sam: .sam
      case .prognostic: .prognostic
      }
    }

    /// Whether the decision is Bayesian (posterior probability against a threshold).
    public var isBayesian: Bool {
      switch self {
      case .powerPrior(_, .piecewiseExponential), .commensurate, .robustMixture, .ebPowerPrior, .sam: true
      default: false
      }
    }

    public var name: String {
      switch self {
      case .none, .pool: method.rawValue
      case .powerPrior(let w, let model): "power-prior (weight \(w.formatted)\(model == .cox ? ", cox" : ""))"
      case .weightedCox(let w): "weighted-cox (weight \(w.formatted))"
      case .testThenPool(let l): "test-then-pool (level \(l.formatted))"
      case .commensurate(let tau): "commensurate (τ \(tau.name))"
      case .robustMixture(let w): "robust-mixture (vague weight \(w.formatted))"
      case .ebPowerPrior(let normalized): normalized ? "eb-power-prior (normalized)" : "eb-power-prior"
      case .sam(let delta, let odds): "sam (δ \(delta.formatted)\(odds.map { ", prior odds \($0.formatted)" } ?? ""))"
      case .prognostic(let test): "prognostic (\(test.rawValue))"
      }
    }

    /// Whether the analysis takes information from external (synthetic or reference) controls.
    public var borrows: Bool {
      switch self {
      case .none, .prognostic: false
      default: true
      }
    }
  }

  /// The analysis method keys.
  public enum AnalysisMethod: String, Sendable, Codable, CaseIterable {
    case none
    case pool
    case powerPrior = "power-prior"
    case weightedCox = "weighted-cox"
    case testThenPool = "test-then-pool"
    case commensurate
    case robustMixture = "robust-mixture"
    case ebPowerPrior = "eb-power-prior"
    case sam
    case prognostic
  }

  /// How a prognostic-score analysis tests and estimates.
  public enum PrognosticTest: String, Sendable, Codable, CaseIterable {
    /// Ye, Shao & Yi's covariate-adjusted log-rank test and marginal HR estimator.
    case adjustedLogrank = "adjusted-logrank"
    /// A Cox model with the treatment and the score (conditional HR, Wald test).
    case cox
  }

  /// The prior on the commensurate prior's precision τ.
  public enum TauPrior: Sendable, Equatable {
    /// Gamma(shape, rate); psborrow2's default is Gamma(0.001, 0.001).
    case gamma(shape: Double, rate: Double)
    /// hdbayes' spike and slab: 0.1 at τ = 200, 0.9 half-normal(0, 5).
    case spikeAndSlab

    public var name: String {
      switch self {
      case .gamma(let a, let b): "~ Gamma(\(a.formatted), \(b.formatted))"
      case .spikeAndSlab: "spike and slab"
      }
    }
  }

  /// The likelihood a power prior is put on.
  public enum PowerPriorModel: String, Sendable, Codable, CaseIterable {
    /// Piecewise-exponential control hazard, treatment HR; Bayesian decision by P(HR < 1 | data).
    case piecewiseExponential = "piecewise-exponential"
    /// Cox partial likelihood with the source's rows weighted by a₀, model-based variance.
    case cox
  }

  /// Where a design's external controls come from.
  public enum ExternalSource: String, Sendable, Codable, CaseIterable {
    /// Synthetic patients from the generator (refitted per replicate).
    case synthetic
    /// A historical real control cohort: the eligible reference patients' own size and follow-up,
    /// drawn from the truth (with drift) in the simulation.
    case reference
  }

  /// Settings every borrowing analysis shares (scenario key `borrowing`).
  public struct Borrowing: Sendable, Equatable {
    /// Intervals of the piecewise-exponential control hazard (equal numbers of reference events
    /// per interval), or the interior cut points themselves in the protocol's time unit.
    public var intervals: Int
    public var cutPoints: [Double]?
    /// Whether borrowing analyses include the generator's own estimation error.
    public var generatorUncertainty: Bool
    /// Bootstrap refits of the generator that estimate that error, per cell.
    public var refits: Int
    /// The posterior-probability cut of Bayesian decisions (nil: equivalent to the protocol's α
    /// and sidedness).
    public var threshold: Double?
    /// How a replicate's synthetic source is refitted (scenario `borrowing.refit`).
    public var refit: GeneratorRefit

    public init(
      intervals: Int = 4, cutPoints: [Double]? = nil, generatorUncertainty: Bool = true, refits: Int = 200,
      threshold: Double? = nil, refit: GeneratorRefit = .every
    ) {
      self.intervals = cutPoints.map { $0.count + 1 } ?? intervals
      self.cutPoints = cutPoints
      self.generatorUncertainty = generatorUncertainty
      self.refits = refits
      self.threshold = threshold
      self.refit = refit
    }
  }

  /// `borrowing.refit`: the generator is refitted on a bootstrap resample of the reference in
  /// every replicate (`every`, the default), or K bootstrap fits are drawn once per cell and each
  /// replicate takes one of them at random (`pool`, `pool_size: K`). The pool carries the same
  /// estimation error at a fraction of the cost when K is much smaller than the replicates.
  public enum GeneratorRefit: Sendable, Equatable {
    case every
    case pool(size: Int)

    /// The default pool size.
    public static let defaultPoolSize = 200
  }

  /// `calibrate: {designs: all | [ids], drift: 1 | [low, high]}`: each listed design's threshold
  /// (critical z, or posterior-probability cut) is set so that its type-I error is α at drift 1, or
  /// at most α at every drift of the truth grid in [low, high].
  public struct Calibration: Sendable, Equatable {
    /// Design ids (nil: every design).
    public var designs: [String]?
    public var driftLow: Double
    public var driftHigh: Double

    public init(designs: [String]? = nil, driftLow: Double = 1, driftHigh: Double = 1) {
      self.designs = designs
      self.driftLow = driftLow
      self.driftHigh = driftHigh
    }

    public func applies(to design: String) -> Bool { designs?.contains(design) ?? true }
  }

  public struct Design: Sendable {
    public var id: String
    public var experimental: Int
    public var realControls: Int
    /// Synthetic controls drawn per trial (0 for a reference source, whose size is the cell's
    /// eligible reference).
    public var syntheticControls: Int
    public var analysis: Analysis
    /// Covariates the Cox analysis adjusts for (empty = unadjusted), from `analysis.adjust`.
    public var adjust: [String]
    public var source: ExternalSource
    /// `synthetic_controls: fill`: synthetic controls make the control arm up to the protocol's
    /// control count (``syntheticControls`` holds that difference), and in the savings search up to
    /// the sized conventional design's control count at every candidate real-control count.
    public var fillsControlArm: Bool

    public init(
      id: String, experimental: Int, realControls: Int, syntheticControls: Int, analysis: Analysis,
      adjust: [String] = [], source: ExternalSource = .synthetic, fillsControlArm: Bool = false
    ) {
      self.fillsControlArm = fillsControlArm
      self.id = id
      self.experimental = experimental
      self.realControls = realControls
      self.syntheticControls = syntheticControls
      self.analysis = analysis
      self.adjust = adjust
      self.source = source
    }

    /// Whether the design draws external controls at all.
    public var hasExternalControls: Bool { source == .reference || syntheticControls > 0 }
  }

  public struct Savings: Sendable {
    public var targetPower: Double
    public var compare: [String]
  }

  /// One eligibility variation with its resolved rules.
  public struct SweepCell: Sendable {
    public var id: String
    public var eligibility: Eligibility
    /// Which reference patients this cell's generator learns from (the protocol's, unless the
    /// variation sets `fit_on`).
    public var fitOn: FitPopulation
    /// `sweep.reference_size`: the eligible reference patients the synthetic source learns from —
    /// a seeded subsample of the eligible reference when at most its size, otherwise a cohort of
    /// that size drawn from the truth model (nil: the reference as it is).
    public var referenceSize: Int? = nil
    /// The sweep index whose random streams this cell's trials use (nil: its own). The
    /// reference-size cells of one eligibility variation share one, so they simulate the same
    /// patients and differ only in the synthetic source (and subsamples are nested).
    public var streamCell: Int? = nil

    public init(id: String, eligibility: Eligibility, fitOn: FitPopulation, referenceSize: Int? = nil, streamCell: Int? = nil) {
      self.id = id
      self.eligibility = eligibility
      self.fitOn = fitOn
      self.referenceSize = referenceSize
      self.streamCell = streamCell
    }
  }
}
