// GeneratorSelection.swift — `synthesis.generator: auto`: each family's configurations are fitted
// on one half of the eligible reference and judged against the other half; the best one that
// passes the privacy and validity gates is the protocol's generator (Docs/Methods.md, selection).
//
// The procedure (Docs/Methods.md, "Choosing the generator"), reduced where stated:
// - Splits: repeated random halves of the eligible reference, equal in size (one patient is left
//   out when the count is odd) so that DCROverfittingProtection is fair; not stratified.
// - Gates, on every split (copies, eligibility, survival sanity) or on the mean over all splits
//   (DCROverfittingProtection ≥ 0.9 over 6 splits): 100 % of generated rows eligible, no exact
//   copy of a training row, synthetic times in (0, the longest reference follow-up].
// - Score against the holdout half, the equal-weight mean of six components in [0, 1]: Column
//   Shapes, all-pairs Column Pair Trends, logistic detection, KM fidelity min(1, KM divergence of
//   the two real halves / KM divergence of synthetic vs holdout), the mean univariable Cox CI
//   overlap (clipped to [0, 1]), and the TSTR C-index ratio min(1, C(trained on synthetic) /
//   C(trained on the training half)), all as Sources/Audit computes them.
// - Search: successive halving over a fixed grid (the copula, which has no knobs here, and CART
//   minbucket {5, 10, 20, 30, 50} × smoothing {none, density}): 3 splits each, then the better
//   half and every family's best get 3 more. The winner is the passing configuration with the
//   highest mean score; it is refit by the caller on the protocol's fit population.
// Every evaluation is seeded from (seed, split, configuration): the choice is deterministic.

import Audit
import Foundation
import GSL
import Synthesis
import TrialSpec

/// One point of the search.
public struct GeneratorConfiguration: Sendable, Codable, Hashable {
  public var family: GeneratorFamily
  public var cart: CARTSettings?

  public var label: String {
    guard let cart else { return family.rawValue }
    return "cart (minbucket \(cart.minbucket), smoothing \(cart.smoothing.rawValue))"
  }

  /// The copula, then CART minbucket {5, 10, 20, 30, 50} × smoothing {none, density}.
  public static let searchSpace: [GeneratorConfiguration] =
    [GeneratorConfiguration(family: .gaussianCopula, cart: nil)]
    + [5, 10, 20, 30, 50].flatMap { k in
      CARTSmoothing.allCases.map { GeneratorConfiguration(family: .cart, cart: CARTSettings(minbucket: k, smoothing: $0)) }
    }
}

/// A configuration's score components and gate measures, averaged over the splits it saw.
public struct ConfigurationResult: Sendable, Codable {
  public var configuration: GeneratorConfiguration
  public var splits: Int
  public var columnShapes: Double
  public var columnPairTrends: Double
  public var detection: Double
  public var kaplanMeier: Double
  public var coxOverlap: Double
  public var concordanceRatio: Double
  /// The mean of the six components, and its standard error over the splits.
  public var score: Double
  public var scoreStandardError: Double
  public var allEligible: Bool
  /// Exact copies of a training row, summed over the splits.
  public var exactCopies: Int
  public var dcrOverfittingProtection: Double
  public var survivalSane: Bool
  /// Seconds spent fitting, generating and auditing this configuration.
  public var seconds: Double

  /// All gates met (DCROverfittingProtection needs at least 5 splits to count).
  public var passes: Bool {
    allEligible && exactCopies == 0 && survivalSane && splits >= 5 && dcrOverfittingProtection >= GeneratorSelection.dcrGate
  }
}

/// What the selection did: every configuration's numbers, the winner and the time.
public struct GeneratorSelectionReport: Sendable, Codable {
  public var seed: UInt64
  public var eligibleRows: Int
  public var halfSize: Int
  public var results: [ConfigurationResult]
  public var winner: GeneratorConfiguration
  public var seconds: Double

  /// The best configuration of `family`: the highest score among its configurations that pass
  /// the gates, else among those that saw the most splits.
  public func best(_ family: GeneratorFamily) -> ConfigurationResult? {
    let own = results.filter { $0.configuration.family == family }
    let most = own.map(\.splits).max() ?? 0
    let pool = own.contains(where: \.passes) ? own.filter(\.passes) : own.filter { $0.splits == most }
    return pool.max { $0.score < $1.score }
  }
}

/// No configuration passed the gates: every configuration's numbers, never a silent fallback.
public struct GeneratorSelectionError: Error, CustomStringConvertible {
  public var results: [ConfigurationResult]

  public var description: String {
    var lines = [
      "generator: auto found no configuration that passes the gates (100 % eligible, no exact copies, survival times in range, "
        + "DCROverfittingProtection ≥ \(GeneratorSelection.dcrGate) over ≥ 5 equal splits):"
    ]
    for r in results {
      lines.append(
        String(
          format: "  %@: %d splits, DCROverfittingProtection %.3f, exact copies %d, eligible %@, survival sane %@, score %.3f",
          r.configuration.label, r.splits, r.dcrOverfittingProtection, r.exactCopies, r.allEligible ? "yes" : "no",
          r.survivalSane ? "yes" : "no", r.score))
    }
    lines.append("choose a generator and settings in the protocol (synthesis.generator, minbucket, smoothing) and audit them")
    return lines.joined(separator: "\n")
  }
}

public enum GeneratorSelection {
  public static let dcrGate = 0.9

  /// The protocol with `generator: auto` replaced by the selected family and settings (any other
  /// protocol is returned as it is, with no report).
  public static func resolve(
    _ p: TrialProtocol, seed: UInt64, space: [GeneratorConfiguration] = GeneratorConfiguration.searchSpace
  ) throws -> (TrialProtocol, GeneratorSelectionReport?) {
    guard p.synthesis?.generator == .auto else { return (p, nil) }
    let report = try select(p, seed: seed, space: space)
    return (configured(p, report.winner), report)
  }

  static func configured(_ p: TrialProtocol, _ c: GeneratorConfiguration) -> TrialProtocol {
    var q = p
    q.synthesis!.generator = c.family
    q.synthesis!.cart = c.cart
    return q
  }

  /// Runs the search; throws ``GeneratorSelectionError`` when nothing passes.
  public static func select(
    _ p: TrialProtocol, seed: UInt64, space: [GeneratorConfiguration] = GeneratorConfiguration.searchSpace
  ) throws -> GeneratorSelectionReport {
    let start = ContinuousClock.now
    let (eligible, _) = SyntheticAudit.split(p, holdout: 0, seed: seed)
    let half = eligible.count / 2
    guard half >= 20 else {
      throw SynthesisError.notEnoughData(
        "generator: auto needs at least 40 eligible reference patients to split in halves; there are \(eligible.count)")
    }
    let splits = (0..<6).map { r -> (train: [Int], holdout: [Int]) in
      let rng = SeedSequence(masterSeed: seed).makeRandomSource(0x5345_4c00 &+ UInt64(r))  // "SEL"
      var rows = eligible
      for i in 0..<(2 * half) { rows.swapAt(i, i + rng.uniformInt(below: rows.count - i)) }
      return (Array(rows[0..<half]), Array(rows[half..<(2 * half)]))
    }
    var evaluations = [[Evaluation]](repeating: [], count: space.count)
    var seconds = [Double](repeating: 0, count: space.count)
    let evaluator = try Evaluator(p)
    func run(_ c: Int, _ r: Int) throws {
      let t0 = ContinuousClock.now
      let s = seed ^ (UInt64(r) << 40) ^ (UInt64(c) << 32)
      evaluations[c].append(try evaluator.evaluate(configured(p, space[c]), splits[r], seed: s))
      let d = ContinuousClock.now - t0
      seconds[c] += Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }
    for c in space.indices { for r in 0..<3 { try run(c, r) } }
    // Successive halving: the better half by score (configurations failing a per-split gate
    // drop out) and each family's best go on to 3 more splits.
    let screened = space.indices.map { Self.summary(space[$0], evaluations[$0], seconds[$0]) }
    let alive = space.indices.filter { screened[$0].allEligible && screened[$0].exactCopies == 0 && screened[$0].survivalSane }
    var survivors = Set(alive.sorted { screened[$0].score > screened[$1].score }.prefix((space.count + 1) / 2))
    for family in Set(space.map(\.family)) {
      if let best = alive.filter({ space[$0].family == family }).max(by: { screened[$0].score < screened[$1].score }) {
        survivors.insert(best)
      }
    }
    for c in survivors.sorted() { for r in 3..<6 { try run(c, r) } }
    let results = space.indices.map { Self.summary(space[$0], evaluations[$0], seconds[$0]) }
    guard let winner = results.filter(\.passes).max(by: { $0.score < $1.score }) else {
      throw GeneratorSelectionError(results: results)
    }
    let total = ContinuousClock.now - start
    return GeneratorSelectionReport(
      seed: seed, eligibleRows: eligible.count, halfSize: half, results: results, winner: winner.configuration,
      seconds: Double(total.components.seconds) + Double(total.components.attoseconds) / 1e18)
  }

  static func summary(_ c: GeneratorConfiguration, _ e: [Evaluation], _ seconds: Double) -> ConfigurationResult {
    func mean(_ f: (Evaluation) -> Double) -> Double { e.map(f).reduce(0, +) / Double(max(e.count, 1)) }
    let scores = e.map(\.score)
    let m = mean(\.score)
    let sd = e.count > 1 ? (scores.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(e.count - 1)).squareRoot() : 0
    return ConfigurationResult(
      configuration: c, splits: e.count, columnShapes: mean(\.shapes), columnPairTrends: mean(\.pairs),
      detection: mean(\.detection), kaplanMeier: mean(\.kaplanMeier), coxOverlap: mean(\.cox),
      concordanceRatio: mean(\.concordance), score: m, scoreStandardError: sd / Double(max(e.count, 1)).squareRoot(),
      allEligible: e.allSatisfy(\.eligible), exactCopies: e.reduce(0) { $0 + $1.copies }, dcrOverfittingProtection: mean(\.dcr),
      survivalSane: e.allSatisfy(\.sane), seconds: seconds)
  }
}

/// One configuration on one split.
struct Evaluation {
  var shapes, pairs, detection, kaplanMeier, cox, concordance: Double
  var eligible: Bool
  var copies: Int
  var dcr: Double
  var sane: Bool
  var score: Double { (shapes + pairs + detection + kaplanMeier + cox + concordance) / 6 }
}

/// Fits a configuration on a training half, generates as many patients as the holdout half, and
/// audits them (privacy and TSTR against the training half; fidelity against the holdout).
struct Evaluator {
  let p: TrialProtocol
  let data: ReferenceData
  let variables: [VariableDeclaration]
  let longestFollowUp: Double

  init(_ p: TrialProtocol) throws {
    guard let data = p.referenceData else {
      throw SynthesisError.notConfigured("protocol '\(p.id)' has no reference cohort to select a generator on")
    }
    self.p = p
    self.data = data
    variables = p.synthesis.map { s in s.covariates.compactMap { n in p.variables.first { $0.name == n } } } ?? p.variables
    longestFollowUp = data.referenceRows.map { data.times[$0] }.filter { !$0.isNaN }.max() ?? 0
  }

  func evaluate(_ q: TrialProtocol, _ split: (train: [Int], holdout: [Int]), seed: UInt64) throws -> Evaluation {
    let g = try SyntheticControlGenerator(protocol: q, fittingRows: split.train, fitOn: .eligible)
    let (patients, _) = try g.generate(count: split.holdout.count, seed: seed)
    let replica = g.replica(of: patients, seed: seed)
    let columns = patients.columns
    var eligible = q.eligibility.eligible(columns).allSatisfy { $0 }
    for c in q.synthesis?.constraints ?? [] where c.evaluate(columns).contains(.no) { eligible = false }
    let train = try SyntheticAudit.table(variables, data, rows: split.train)
    let holdout = try SyntheticAudit.table(variables, data, rows: split.holdout)
    let synthetic = try SyntheticAudit.table(variables, SyntheticAudit.typed(replica, q), rows: Array(0..<replica.times.count))
    let privacy = try AuditReport(train: train, synthetic: synthetic, holdout: holdout, seed: seed, bootstrapResamples: 0, detection: false)
    let fidelity = try AuditReport(train: holdout, synthetic: synthetic, seed: seed, bootstrapResamples: 0)
    let floor = try SurvivalFidelity(real: holdout, synthetic: train, seed: seed, bootstrapResamples: 0).kaplanMeier.absoluteOptimism
    let km = fidelity.survival.map { min(1, floor / max($0.kaplanMeier.absoluteOptimism, 1e-12)) } ?? 0
    let overlaps = (fidelity.survival?.coxComparisons ?? []).compactMap(\.confidenceIntervalOverlap).map { min(max($0, 0), 1) }
    var concordance = 0.0
    if let u = privacy.utility, let cs = u.syntheticTrainedConcordance, let cr = u.realTrainedConcordance, cr > 0 {
      concordance = min(1, cs / cr)
    }
    return Evaluation(
      shapes: fidelity.fidelity.columnShapes ?? 0, pairs: fidelity.fidelity.columnPairTrendsAllPairs ?? 0,
      detection: fidelity.fidelity.detection?.score ?? 0, kaplanMeier: km,
      cox: overlaps.isEmpty ? 1 : overlaps.reduce(0, +) / Double(overlaps.count), concordance: concordance,
      eligible: eligible, copies: privacy.privacy.exactCopies, dcr: privacy.privacy.dcrOverfittingProtection ?? 0,
      sane: replica.times.allSatisfy { $0 > 0 && $0 <= longestFollowUp })
  }
}
