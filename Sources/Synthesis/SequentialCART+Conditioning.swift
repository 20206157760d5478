// SequentialCART+Conditioning.swift — CART rows drawn *given* eligibility rules that bound
// single variables, without drawing (and throwing away) the ineligible ones.
//
// A sequential generator factors p(x) = Π_j p(x_j | x_<j). Drawing each restricted x_j from
// p(x_j | x_<j, x_j ∈ A_j) alone is *not* p(x | A): it ignores how earlier values change the
// chance that later rules can be met (the sequential-importance argument of Geweke–Hajivassiliou–
// Keane simulators; Docs/Methods.md). With the weight
// w(x) = Π_j P(x_j ∈ A_j | x_<j), a truncated draw has density p(x)·1_A(x)/w(x); accepting it
// with probability w(x)/W for any W ≥ max w gives exactly p(x | A) — the GHK argument the copula
// uses (ConditionalSampler.swift). Here every factor is a property of the leaf alone (its donors
// and the kernel), so the weights are tabulated per leaf at construction, and W = Π_j max over
// leaves is a true upper bound: the acceptance step is exact, not an estimate from a pilot.
//
// Per restricted step and leaf: each donor d gets the mass m_d its kernel puts inside A_j — 1 or
// 0 for a donor's own value (categories, counts, unsmoothed values), and for a smoothed
// continuous value the truncated-normal mass [Φ((b − y)/h) − Φ((a − y)/h)] / [Φ((max − y)/h) −
// Φ((min − y)/h)] of the rule's interval [a, b] within the observed range. The leaf's factor is
// the mean of m_d; the donor is drawn with probability ∝ m_d and its kernel truncated to A_j.
// A smoothed variable is restricted only when every rule on it is an inclusion interval; other
// rules (and cross-variable rules, and constraints) are left to the final check of every rule,
// which keeps the result exact. A test compares this path with plain rejection.

import Foundation
import GSL
import TrialSpec

/// Single-variable eligibility rules turned into per-leaf truncated draws for CART trees.
struct CARTRestriction {
  struct LeafDraw {
    /// P(x_j ∈ A_j | the leaf): the mean donor mass.
    var weight: Double
    /// Running sums of the donor masses, in the leaf's donor order.
    var cumulative: [Double]
  }

  /// Per step: nil = unrestricted; else the leaf table (node index → draw) and the interval of
  /// a smoothed step.
  var leaves: [[Int: LeafDraw]?]
  var intervals: [(Double, Double)?]
  /// W = Π over restricted steps of the largest leaf weight.
  var maxWeight: Double
  var isEmpty: Bool { leaves.allSatisfy { $0 == nil } }

  init(model: SequentialCARTModel, eligibility: Eligibility) {
    var leaves: [[Int: LeafDraw]?] = []
    var intervals: [(Double, Double)?] = []
    var maxWeight = 1.0
    for step in model.steps {
      let variable = model.variables[step.variable]
      let rules = eligibility.rules.filter { $0.expression.variables == [variable.name] }
      guard !rules.isEmpty else {
        leaves.append(nil)
        intervals.append(nil)
        continue
      }
      let allows: (Double) -> Bool = { value in
        let column: ExpressionColumn
        switch variable.type {
        case .categorical, .ordinal: column = .labels([value.isNaN ? -1 : Int32(value)])
        default: column = .numeric([value])
        }
        let columns = ExpressionColumns(rowCount: 1, columns: [variable.name: column])
        return rules.allSatisfy { eligibility.passes($0, $0.expression.evaluate(columns))[0] }
      }
      var interval: (Double, Double)?
      if step.bandwidth != nil && !step.presence {
        let bounds = rules.map { $0.kind == .inclusion ? $0.expression.numericBound : nil }
        guard bounds.allSatisfy({ $0 != nil }) else {  // not an interval: the final check decides
          leaves.append(nil)
          intervals.append(nil)
          continue
        }
        interval = (bounds.map { $0!.low }.max()!, bounds.map { $0!.high }.min()!)
      }
      if step.presence && allows(.nan) {  // missing passes: presence is not restricted
        leaves.append(nil)
        intervals.append(nil)
        continue
      }
      var table: [Int: LeafDraw] = [:]
      var largest = 0.0
      for (index, node) in step.tree.nodes.enumerated() where node.split == nil {
        var running = 0.0
        let cumulative = node.rows.map { d -> Double in
          running += Self.mass(step.donors[d], step, interval, step.presence ? { $0 == 0 } : allows)
          return running
        }
        let weight = running / Double(max(node.rows.count, 1))
        table[index] = LeafDraw(weight: weight, cumulative: cumulative)
        largest = max(largest, weight)
      }
      leaves.append(table)
      intervals.append(interval)
      maxWeight *= largest
    }
    self.leaves = leaves
    self.intervals = intervals
    self.maxWeight = maxWeight
  }

  /// The mass donor value `y` puts inside the step's allowed set.
  static func mass(_ y: Double, _ step: SequentialCARTModel.Step, _ interval: (Double, Double)?, _ allows: (Double) -> Bool) -> Double {
    guard let (a, b) = interval, let h = step.bandwidth, !y.isNaN, y != step.spike else { return allows(y) ? 1 : 0 }
    let lo = max(a, step.low)
    let hi = min(b, step.high)
    guard lo < hi else { return 0 }
    let inside = StandardNormal.cdf((hi - y) / h) - StandardNormal.cdf((lo - y) / h)
    let range = StandardNormal.cdf((step.high - y) / h) - StandardNormal.cdf((step.low - y) / h)
    return range > 0 ? max(0, inside / range) : 0
  }
}

extension SequentialCARTModel {
  /// Up to `count` rows drawn with restricted steps truncated to the rules and accepted with
  /// probability w/W (rejected draws give no row): exact draws from the trees given the rules.
  func draw(_ count: Int, restriction r: CARTRestriction, rng: GSLRandomSource) -> [[Double]] {
    let p = variables.count
    var out = [[Double]](repeating: [], count: p)
    guard r.maxWeight > 0 else { return out }
    var row = [Double](repeating: 0, count: p)
    var features: [Double] = []
    for _ in 0..<count {
      var weight = 1.0
      var missing = -1
      for (s, step) in steps.enumerated() {
        if !step.presence && step.variable == missing { continue }
        features.removeAll(keepingCapacity: true)
        for k in step.predictors { append(row[k], encodings[k], to: &features) }
        let index = step.tree.leaf { features[$0] }
        let leaf = step.tree.nodes[index]
        var donor: Int
        if let table = r.leaves[s], let draw = table[index] {
          weight *= draw.weight
          guard weight > 0 else { break }
          let u = rng.uniform() * draw.cumulative.last!
          donor = leaf.rows[min(draw.cumulative.firstIndex { $0 > u } ?? leaf.rows.count - 1, leaf.rows.count - 1)]
        } else {
          donor = leaf.rows[rng.uniformInt(below: leaf.rows.count)]
        }
        let y = step.donors[donor]
        if step.presence {
          row[step.variable] = .nan
          if y == 1 { missing = step.variable }
          continue
        }
        if let (a, b) = r.intervals[s] {
          row[step.variable] = smoothed(y, step, rng, within: (max(a, step.low), min(b, step.high)))
        } else {
          row[step.variable] = smoothed(y, step, rng)
        }
      }
      guard weight > 0, rng.uniform() * r.maxWeight < weight else { continue }
      for j in 0..<p { out[j].append(row[j]) }
    }
    return out
  }
}
