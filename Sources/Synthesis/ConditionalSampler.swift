// ConditionalSampler.swift — drawing patients from the generator *given* eligibility.
//
// The reference answer is plain rejection: draw from the copula, keep the patients who meet
// every rule and constraint. When the pilot acceptance is below 5 % and some rules bound single
// variables, a faster proposal is used: those rules become an interval for their variable's
// latent normal, and the latent vector is drawn by sequential truncation along the Cholesky
// factor of the correlation with the bounded dimensions first (the GHK simulator: Geweke 1991,
// Hajivassiliou & McFadden 1998, Keane 1994). A GHK draw has density p(z)·1_box(z)/w(z) with
// weight w(z) = ∏ P(interval of each bounded dimension | the ones before), so accepting it with
// probability w/w_max gives draws from p restricted to the box — the correct conditional, not
// the product of truncated marginals (Docs/Methods.md). w_max is the running maximum over the
// candidates (seeded by a pilot of 1,000), which is exact whenever the pilot saw the largest
// weight and otherwise errs by the ratio of the true to the observed maximum; a test compares
// this path with plain rejection on a correlated case. Every accepted patient is still checked
// against all rules and constraints (100 %).
//
// The CART family draws candidates from its trees; when the pilot acceptance is below 5 % and
// rules bound single variables, restricted steps are truncated to the rules leaf by leaf and each
// row accepted with probability w/W (SequentialCART+Conditioning.swift: exact, W a true bound).
//
// A constraint (synthesis.constraints) is violated only when false: a missing value is not
// implausible, so unknown passes. Eligibility rules follow their `on_unknown`.

import Foundation
import GSL
import TrialSpec

struct ConditionalSampler {
  let generator: SyntheticControlGenerator
  let eligibility: Eligibility
  let constraints: [CompiledExpression]

  /// Draws until `count` patients pass, or `budget` candidates have been drawn. Returns the
  /// patients, the candidates drawn, how many of them passed (≥ count: the last batch's surplus
  /// is discarded) and the method. With `columns: .outcome`, the copula decodes only the
  /// variables the rules, the constraints and the outcome model read (the others are left empty).
  func sample(
    count: Int, budget: Int, rng: GSLRandomSource, allowLatentBox: Bool = true, drift: Double = 1,
    columns: SyntheticColumns = .all
  ) throws(SynthesisError)
    -> (patients: SyntheticPatients, candidates: Int, passed: Int, method: String)
  {
    let variables = generator.variables
    let p = variables.count
    var kept = Candidates(count: 0, values: [[Double]](repeating: [], count: p), latents: [], dimension: 0)
    var candidates = 0
    var passed = 0
    var proposalCandidates = 0
    var proposalPassed = 0
    guard count > 0 else {
      return (SyntheticPatients(variables: variables, values: kept.values, eventTimes: []), 0, 0, "rejection")
    }
    let screen = screenedVariables
    var proposal = generator.copula.map { Proposal(copula: $0, box: nil) } ?? Proposal(cart: generator.cart!)
    var method = "rejection"
    var pilotDone = false
    while kept.count < count {
      guard candidates < budget else {
        throw .budgetExhausted(requested: count, generated: kept.count, candidates: candidates)
      }
      let remaining = count - kept.count
      // Batch size from the current proposal's own pass rate (a new proposal starts optimistic).
      let rate = proposalCandidates > 0 ? max(Double(proposalPassed) / Double(proposalCandidates), 0.001) : 1
      let batch = min(budget - candidates, max(256, Int(Double(remaining) / rate * 1.2)))
      let drawn = proposal.draw(batch, screen: screen, rng: rng)
      candidates += batch
      proposalCandidates += batch
      let passing = passingIndices(drawn, screen: screen)
      passed += passing.count
      proposalPassed += passing.count
      let taken = passing.prefix(remaining)
      if drawn.dimension > 0 {
        // The screened variables are decoded already; the rest wait for the end, from the latents.
        let m = drawn.dimension
        for i in taken { kept.latents += drawn.latents[(i * m)..<((i + 1) * m)] }
        // Each column bound once (indexing `drawn.values[j]` per patient retained it each time).
        for j in screen {
          let column = drawn.values[j]
          kept.values[j] += taken.map { column[$0] }
        }
        kept.dimension = m
      } else {
        for j in 0..<p {
          let column = drawn.values[j]
          kept.values[j] += taken.map { column[$0] }
        }
      }
      kept.count += taken.count
      // After the pilot batch: switch to the latent box when rejection is too wasteful.
      if !pilotDone {
        pilotDone = true
        let pilotRate = Double(passing.count) / Double(batch)
        // The latent box is worked out only here: most samples never need it.
        if allowLatentBox, pilotRate < 0.05, let copula = generator.copula, let box = latentBox(copula) {
          proposal = Proposal(copula: copula, box: box)
          proposal.calibrate(rng: rng)
          // Not a silent fallback: when the box's Cholesky factor fails, the report says that
          // plain rejection went on.
          method = proposal.usesLatentBox ? "latent-box" : "rejection (the latent box's Cholesky factor failed)"
          proposalCandidates = 0
          proposalPassed = 0
        } else if allowLatentBox, let cart = generator.cart, pilotRate < 0.05 {
          let restriction = CARTRestriction(model: cart, eligibility: eligibility)
          if !restriction.isEmpty {
            proposal = Proposal(cart: cart, restriction: restriction)
            method = "truncated-leaf"
            proposalCandidates = 0
            proposalPassed = 0
          }
        }
      }
    }
    if let copula = generator.copula {
      // The kept patients' remaining variables: every one, or those the outcome model reads.
      let rest = columns == .all ? Set(0..<p) : Set(outcomeVariables)
      let wanted = rest.subtracting(screen).sorted()
      let m = kept.dimension
      kept.latents.withUnsafeBufferPointer { l in
        for j in wanted {
          kept.values[j] = (0..<kept.count).map { i in copula.value(j, latent: l.baseAddress! + i * m) }
        }
      }
    }
    let outcome = generator.outcome  // bound once: the model is a large struct
    var eventTimes = [Double](repeating: 0, count: kept.count)
    var row = [Double](repeating: .nan, count: p)
    var design = [Double](repeating: 0, count: outcome.termCount)
    let decoded = (0..<p).filter { !kept.values[$0].isEmpty }
    // The decoded values patient by patient (row-major), each column read once: indexing
    // `kept.values[j][i]` in the patient loop retained and released a column per value.
    var rows = [Double](repeating: .nan, count: kept.count * p)
    for j in decoded {
      let column = kept.values[j]
      for i in 0..<kept.count { rows[i * p + j] = column[i] }
    }
    for i in 0..<kept.count {
      for j in decoded { row[j] = rows[i * p + j] }
      outcome.design(row, into: &design)
      let u = rng.uniformPositive()
      eventTimes[i] = outcome.eventTime(survival: drift == 1 ? u : pow(u, 1 / drift), design: design)
    }
    return (SyntheticPatients(variables: variables, values: kept.values, eventTimes: eventTimes), candidates, passed, method)
  }

  /// Indices of the generated variables the rules and constraints read.
  var screenedVariables: [Int] {
    let names = Set(eligibility.rules.flatMap(\.expression.variables) + constraints.flatMap(\.variables))
    return generator.variables.indices.filter { names.contains(generator.variables[$0].name) }
  }

  /// Indices of the generated variables the outcome model reads.
  var outcomeVariables: [Int] {
    let names = Set(generator.outcome.termVariables)
    return generator.variables.indices.filter { names.contains(generator.variables[$0].name) }
  }

  /// The candidates who meet every rule and constraint, in order.
  private func passingIndices(_ batch: Candidates, screen: [Int]) -> [Int] {
    let columns = SyntheticPatients.expressionColumns(generator.variables, batch.values, only: screen, rowCount: batch.count)
    var keep = eligibility.eligible(columns)
    for constraint in constraints {
      let truth = constraint.evaluate(columns)
      for i in keep.indices where truth[i] == .no { keep[i] = false }
    }
    return keep.indices.filter { keep[$0] }
  }

  /// Latent intervals implied by rules that bound one generated variable, intersected per
  /// dimension; nil when no rule does.
  func latentBox(_ copula: GaussianCopulaModel) -> [(Double, Double)?]? {
    var box = [(Double, Double)?](repeating: nil, count: copula.latentDimension)
    var any = false
    func restrict(_ a: Int, _ interval: (Double, Double)) {
      let old = box[a] ?? (-.infinity, .infinity)
      box[a] = (max(old.0, interval.0), min(old.1, interval.1))
      any = true
    }
    for rule in eligibility.rules where rule.expression.variables.count == 1 {
      let name = rule.expression.variables[0]
      guard let j = copula.variables.firstIndex(where: { $0.name == name }) else { continue }
      let variable = copula.variables[j]
      let missingPasses = eligibility.passes(rule, [.unknown])[0]
      let missingDimension = copula.dimensions.firstIndex(of: .missing(j))
      if missingPasses && missingDimension != nil { continue }  // "missing or allowed" is not an interval
      let allows: (Double) -> Bool = { value in
        let column: ExpressionColumn
        switch variable.type {
        case .categorical, .ordinal: column = .labels([Int32(value)])
        default: column = .numeric([value])
        }
        let truth = rule.expression.evaluate(ExpressionColumns(rowCount: 1, columns: [name: column]))
        return self.eligibility.passes(rule, truth)[0]
      }
      let bound = rule.kind == .inclusion ? rule.expression.numericBound : nil
      if case .continuous = copula.marginals[j], bound == nil { continue }
      guard
        let interval = copula.marginals[j].latentInterval(
          allows: allows, low: bound?.low ?? -.infinity,
          high: bound?.high ?? .infinity)
      else { continue }
      restrict(j, interval)
      if let missingDimension {  // the value must be present: the indicator's "present" interval
        restrict(missingDimension, (-.infinity, StandardNormal.quantile(1 - copula.missingRates[j])))
      }
    }
    return any ? box : nil
  }
}
