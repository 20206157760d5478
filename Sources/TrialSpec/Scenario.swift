// Scenario.swift — the scenario model: what to simulate with a protocol and what to compare.

/// A scenario (PROTOCOL-FORMAT.md, "Scenario").
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
  /// Eligibility variations, resolved into concrete rule sets (always at least the protocol's own).
  public var sweep: [SweepCell]
  /// The output folder, resolved against the scenario's folder.
  public var output: String?

  /// Every combination is simulated.
  public struct TruthGrid: Sendable {
    public var hazardRatios: [Double]
    public var drifts: [Double]
  }

  public enum Analysis: Sendable, Equatable {
    /// Synthetic patients ignored.
    case none
    /// Synthetic patients treated as concurrent controls.
    case pool
    /// Synthetic patients enter a weighted Cox partial likelihood with weight a₀.
    case powerPrior(weight: Double)
    /// Log-rank test of real vs synthetic controls at `level`; pool if not rejected.
    case testThenPool(level: Double)

    public var name: String {
      switch self {
      case .none: "none"
      case .pool: "pool"
      case .powerPrior(let w): "power-prior (weight \(w.formatted))"
      case .testThenPool(let l): "test-then-pool (level \(l.formatted))"
      }
    }
  }

  public struct Design: Sendable {
    public var id: String
    public var experimental: Int
    public var realControls: Int
    public var syntheticControls: Int
    public var analysis: Analysis
    /// Covariates the Cox analysis adjusts for (empty = unadjusted), from `analysis.adjust`.
    public var adjust: [String]

    public init(id: String, experimental: Int, realControls: Int, syntheticControls: Int, analysis: Analysis,
                adjust: [String] = []) {
      self.id = id
      self.experimental = experimental
      self.realControls = realControls
      self.syntheticControls = syntheticControls
      self.analysis = analysis
      self.adjust = adjust
    }
  }

  public struct Savings: Sendable {
    public var targetPower: Double
    public var compare: [String]
  }

  /// One eligibility variation with its resolved rules.
  public struct SweepCell: Sendable {
    public var id: String
    public var eligibility: Eligibility
  }
}
