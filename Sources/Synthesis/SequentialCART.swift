// SequentialCART.swift — the covariate generator of `synthesis.generator: cart`: sequential CART
// synthesis as synthpop does it (Nowok, Raab & Dibben 2016, J Stat Softw 74(11); R/syn.r and
// syn.cart in R/functions.syn.r).
//
// Variables are synthesised one after another in the protocol's order (the visit sequence). The
// first is a bootstrap of its observed values (synthpop's "sample"); each later one is drawn from
// a CART tree fitted on the variables before it: the synthetic row's leaf is found, a fitting
// patient in that leaf (a donor) is chosen at random, and the donor's value is taken. Regression
// trees for numbers, classification trees for categories (DecisionTree.swift).
//
// Missing values (synthpop's padMis.syn.r): a categorical, ordinal or binary variable's missing
// value is one more class; a numeric variable with missing values is synthesised in two steps, a
// classification tree for "missing or not" and then a regression tree fitted on the patients with
// a value. As a predictor, a numeric variable with missing values enters as its presence
// indicator plus its value with missing set to 0; an ordinal one with missing as −1 (below every
// level), a categorical one with missing as its own level.
//
// Smoothing (synthpop's syn.smooth, smoothing = "density"; `synthesis.smoothing`): a continuous
// donor value y becomes y + bw·Z, Z standard normal, so values fall between the observed ones
// rather than repeating them. Differences from synthpop, each for a stated reason:
// - bw is R's bw.SJ of the fitting patients' observed values, computed once at fit time (synthpop
//   computes it on each synthetic column, which has the same distribution): the fit alone then
//   determines it and generation stays cheap.
// - the noise is truncated to [min, max] of the observed values (synthpop clamps to that range,
//   which piles synthetic patients onto the two extreme real values — exact copies of them).
// - as in synthpop, values equal to the mode are not smoothed when the mode holds more than 70 %
//   of the observed values (a spike stays a spike); synthpop's top-coding check is not done.
// Count variables are not smoothed (whole numbers; synthpop rounds smoothed values anyway).

import Foundation
import GSL
import TrialSpec

/// A fitted sequential CART synthesizer over declared covariates.
public struct SequentialCARTModel: Sendable {
  /// How a synthesised variable enters the trees of later variables.
  enum Encoding: Sendable {
    /// The value itself (numbers, binary); `indicator` adds a presence feature (missing → 0).
    case number(indicator: Bool)
    /// Ordinal position, missing = −1.
    case ordinal
    /// Label position; missing = `levels` − 1 when the variable has missing values.
    case nominal(levels: Int, missingLevel: Int?)
  }

  struct Step: Sendable {
    /// The variable this step draws; `presence` steps draw only whether it is missing.
    var variable: Int
    var presence: Bool
    /// The variables (positions) the tree splits on, in order.
    var predictors: [Int]
    var tree: DecisionTree
    /// The response of every fitting row the tree saw: a value, NaN = missing, or for a presence
    /// step 1 = missing and 0 = present.
    var donors: [Double]
    /// Gaussian smoothing of continuous values: bandwidth, observed range, unsmoothed mode.
    var bandwidth: Double?
    var low = -Double.infinity
    var high = Double.infinity
    var spike: Double?
  }

  /// The generated variables, in visit order (the protocol's).
  public let variables: [VariableDeclaration]
  public let settings: CARTSettings
  let encodings: [Encoding]
  let steps: [Step]
  /// Per smoothed variable, the bandwidth rule that gave its kernel width (for the report).
  public let bandwidthRules: [String: String]
  public let rowsFitted: Int

  /// Fits the trees on `rows` of `columns` (typed as TrialSpec types them).
  static func fit(
    columns: ExpressionColumns, rows: [Int], variables: [VariableDeclaration], settings: CARTSettings
  ) throws(SynthesisError) -> SequentialCARTModel {
    guard rows.count >= 2 else {
      throw .notEnoughData("the generator needs at least 2 reference patients to learn from; the fitting rows hold \(rows.count)")
    }
    let values = variables.map { GaussianCopulaModel.values(columns, $0.name, rows) }
    var encodings: [Encoding] = []
    for (j, v) in variables.enumerated() {
      let hasMissing = values[j].contains { $0.isNaN }
      guard values[j].contains(where: { !$0.isNaN }) else {
        throw .notEnoughData("variable '\(v.name)' has no observed value among the \(rows.count) fitting rows")
      }
      switch v.type {
      case .categorical:
        let levels = v.labels.count + (hasMissing ? 1 : 0)
        guard levels <= 64 else {
          throw .notConfigured(
            "variable '\(v.name)' has \(v.labels.count) levels; CART synthesis handles at most 63 (synthpop stops at 60)")
        }
        encodings.append(.nominal(levels: levels, missingLevel: hasMissing ? v.labels.count : nil))
      case .ordinal: encodings.append(.ordinal)
      default: encodings.append(.number(indicator: hasMissing))
      }
    }
    var steps: [Step] = []
    var rules: [String: String] = [:]
    for (j, v) in variables.enumerated() {
      let predictors = Array(0..<j)
      let features = predictors.flatMap { k in Self.features(values[k], encodings[k]) }
      let isNumber = v.type == .continuous || v.type == .count
      let hasMissing = values[j].contains { $0.isNaN }
      if isNumber && hasMissing {
        let presence = values[j].map { $0.isNaN ? 1.0 : 0.0 }
        let tree = DecisionTree(
          features: features, response: .classes(presence.map { Int($0) }, classes: 2),
          minbucket: settings.minbucket, complexity: settings.complexity)
        steps.append(Step(variable: j, presence: true, predictors: predictors, tree: tree, donors: presence))
      }
      if isNumber {
        let present = values[j].indices.filter { !values[j][$0].isNaN }
        let y = present.map { values[j][$0] }
        let tree = DecisionTree(
          features: features.map { Self.subset($0, present) }, response: .numeric(y),
          minbucket: settings.minbucket, complexity: settings.complexity)
        var step = Step(variable: j, presence: false, predictors: predictors, tree: tree, donors: y)
        if v.type == .continuous && settings.smoothing == .density {
          rules[v.name] = Self.smoothing(&step, y)?.rawValue ?? "none (no spread outside the mode)"
        }
        steps.append(step)
      } else {
        // Classes: the distinct values (binary 0/1, label positions), plus NaN as one more class.
        let classes = Array(Set(values[j].filter { !$0.isNaN })).sorted() + (hasMissing ? [Double.nan] : [])
        let codes = values[j].map { x in x.isNaN ? classes.count - 1 : classes.firstIndex(of: x)! }
        let tree = DecisionTree(
          features: features, response: .classes(codes, classes: classes.count),
          minbucket: settings.minbucket, complexity: settings.complexity)
        steps.append(Step(variable: j, presence: false, predictors: predictors, tree: tree, donors: values[j]))
      }
    }
    return SequentialCARTModel(
      variables: variables, settings: settings, encodings: encodings, steps: steps, bandwidthRules: rules,
      rowsFitted: rows.count)
  }

  /// The tree features of one variable's values.
  static func features(_ x: [Double], _ encoding: Encoding) -> [DecisionTree.Feature] {
    switch encoding {
    case .number(let indicator):
      let value = DecisionTree.Feature.ordered(x.map { $0.isNaN ? 0 : $0 })
      return indicator ? [.ordered(x.map { $0.isNaN ? 1 : 0 }), value] : [value]
    case .ordinal: return [.ordered(x.map { $0.isNaN ? -1 : $0 })]
    case .nominal(let levels, let missing): return [.nominal(x.map { $0.isNaN ? missing! : Int($0) }, levels: levels)]
    }
  }

  static func subset(_ f: DecisionTree.Feature, _ rows: [Int]) -> DecisionTree.Feature {
    switch f {
    case .ordered(let v): .ordered(rows.map { v[$0] })
    case .nominal(let v, let levels): .nominal(rows.map { v[$0] }, levels: levels)
    }
  }

  static func unspiked(_ y: [Double], _ spike: Double?) -> [Double] {
    spike.map { s in y.filter { $0 != s } } ?? y
  }

  /// Sets the step's kernel: no smoothing of a mode holding > 70 % (synthpop's rule), the
  /// bandwidth from the other values, truncation to the observed range.
  static func smoothing(_ step: inout Step, _ y: [Double]) -> KernelBandwidth.Rule? {
    var counts: [Double: Int] = [:]
    for v in y { counts[v, default: 0] += 1 }
    if let (mode, c) = counts.max(by: { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) }),
      Double(c) > 0.7 * Double(y.count)
    {
      step.spike = mode
    }
    guard let (h, rule) = KernelBandwidth.select(unspiked(y, step.spike)) else { return nil }
    step.bandwidth = h
    step.low = y.min()!
    step.high = y.max()!
    return rule
  }

  // MARK: - Sampling

  /// `count` rows of covariates, `values[j][i]` (NaN = missing), drawn sequentially.
  func draw(_ count: Int, rng: GSLRandomSource) -> [[Double]] {
    let p = variables.count
    var rowMajor = [Double](repeating: 0, count: count * p)
    var features: [Double] = []
    for i in 0..<count {
      let base = i * p
      var presentSkip = -1  // the variable whose presence step said "missing"
      for step in steps {
        if !step.presence && step.variable == presentSkip { continue }
        features.removeAll(keepingCapacity: true)
        for k in step.predictors { append(rowMajor[base + k], encodings[k], to: &features) }
        let leaf = step.tree.nodes[step.tree.leaf { features[$0] }]
        let donor = leaf.rows[rng.uniformInt(below: leaf.rows.count)]
        let y = step.donors[donor]
        if step.presence {
          if y == 1 {
            rowMajor[base + step.variable] = .nan
            presentSkip = step.variable
          }
          continue
        }
        rowMajor[base + step.variable] = smoothed(y, step, rng)
      }
    }
    return (0..<p).map { j in (0..<count).map { rowMajor[$0 * p + j] } }
  }

  /// The donor value with the step's kernel noise, truncated to `bounds` (default: the observed
  /// range), by inversion of the normal CDF between the bounds.
  func smoothed(_ y: Double, _ step: Step, _ rng: GSLRandomSource, within bounds: (Double, Double)? = nil) -> Double {
    guard let h = step.bandwidth, !y.isNaN, y != step.spike else { return y }
    let (lo, hi) = bounds ?? (step.low, step.high)
    let a = StandardNormal.cdf((lo - y) / h)
    let b = StandardNormal.cdf((hi - y) / h)
    let u = min(max(a + (b - a) * rng.uniformPositive(), 1e-300), 1 - 1e-16)
    return min(max(y + h * StandardNormal.quantile(u), lo), hi)
  }

  func append(_ x: Double, _ encoding: Encoding, to features: inout [Double]) {
    switch encoding {
    case .number(let indicator):
      if indicator { features.append(x.isNaN ? 1 : 0) }
      features.append(x.isNaN ? 0 : x)
    case .ordinal: features.append(x.isNaN ? -1 : x)
    case .nominal(_, let missing): features.append(x.isNaN ? Double(missing!) : x)
    }
  }
}
