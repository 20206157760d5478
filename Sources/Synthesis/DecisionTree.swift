// DecisionTree.swift — a CART tree as rpart grows one (Breiman, Friedman, Olshen & Stone 1984;
// Therneau & Atkinson, "An Introduction to Recursive Partitioning Using the RPART Routines"),
// for the leaf donors of sequential CART synthesis (SequentialCART.swift).
//
// Goals, in priority order:
// 1. The partition rpart finds with `minbucket`, `minsplit = 3·minbucket`, `cp` and
//    `maxdepth = 30` and no surrogates (synthpop's `syn.cart` call): regression trees minimise
//    the within-node sum of squares (`method = "anova"`), classification trees the Gini impurity
//    n·(1 − Σ p_k²) (`method = "class"`, observed priors, unit losses). An ordered split goes
//    between two distinct neighbouring values, at their midpoint; each child keeps at least
//    `minbucket` rows. Ties between candidate splits go to the first found (predictors in
//    order, then ascending thresholds), as rpart's `>` comparison does. Checked against rpart
//    4.1 on a fixture (Tests/SynthesisTests/DecisionTreeTests.swift).
// 2. Nominal predictors: the levels are ordered by the node's mean response (regression) or
//    by the node's share of the most frequent class (classification), then split as if ordered.
//    For regression and for two classes this ordering contains the best of all 2^(L−1) subsets
//    (Breiman et al. 1984, §9.4; rpart does the same); with three or more classes it is a
//    heuristic where rpart searches every subset.
// 3. `cp`: a split is made only if it lowers the node's impurity by at least cp × the root's.
//    rpart grows the same way and then prunes subtrees whose complexity is below cp; with
//    synthpop's cp = 1e-8 neither rule removes anything in practice.
// 4. Inputs never hold NaN: the caller codes a missing value as its own level or as a value
//    plus a presence indicator (synthpop's padMis.syn.r), so no surrogate splits are needed.

import Foundation

struct DecisionTree: Sendable {
  enum Feature: Sendable {
    /// Ordered values (numbers, ordinal positions, indicators).
    case ordered([Double])
    /// Level positions 0..<levels (at most 64: rpart's nominal splits are bit sets too).
    case nominal([Int], levels: Int)

    var count: Int {
      switch self {
      case .ordered(let v): v.count
      case .nominal(let v, _): v.count
      }
    }
  }

  enum Response: Sendable {
    case numeric([Double])
    /// Class positions 0..<classes.
    case classes([Int], classes: Int)
  }

  enum Split: Sendable, Equatable {
    /// Left when value < threshold.
    case below(feature: Int, threshold: Double)
    /// Left when the level is in the bit set.
    case levels(feature: Int, left: UInt64)
  }

  struct Node: Sendable {
    var split: Split?
    var left = -1
    var right = -1
    /// The fitting rows (positions in the response) of a leaf; empty for inner nodes.
    var rows: [Int] = []
  }

  private(set) var nodes: [Node] = []

  /// Grows a tree on `features` (all of the response's length) with rpart's stopping rules.
  init(features: [Feature], response: Response, minbucket: Int, complexity: Double, maxDepth: Int = 30) {
    let n: Int
    switch response {
    case .numeric(let y): n = y.count
    case .classes(let y, _): n = y.count
    }
    precondition(features.allSatisfy { $0.count == n }, "every feature needs one value per response")
    // Sums of squares about the overall mean: Σy² − (Σy)²/n then loses no digits to a large mean.
    var centred = response
    if case .numeric(let y) = response, !y.isEmpty {
      let mean = y.reduce(0, +) / Double(y.count)
      centred = .numeric(y.map { $0 - mean })
    }
    let grower = Grower(features: features, response: centred, minbucket: max(1, minbucket))
    let all = Array(0..<n)
    let rootImpurity = grower.impurity(all)
    var stack: [(node: Int, rows: [Int], depth: Int)] = [(0, all, 0)]
    nodes = [Node()]
    while let (index, rows, depth) = stack.popLast() {
      let impurity = grower.impurity(rows)
      guard depth < maxDepth, rows.count >= 3 * grower.minbucket, impurity > 0,
        let best = grower.bestSplit(rows, parentImpurity: impurity),
        best.gain > 0, best.gain >= complexity * rootImpurity
      else {
        nodes[index].rows = rows
        continue
      }
      let (leftRows, rightRows) = rows.partitioned { goesLeft(best.split, row: $0, features: features) }
      let left = nodes.count
      nodes.append(Node())
      nodes.append(Node())
      nodes[index].split = best.split
      nodes[index].left = left
      nodes[index].right = left + 1
      stack.append((left + 1, rightRows, depth + 1))
      stack.append((left, leftRows, depth + 1))
    }
  }

  /// The leaf (node index) of a point whose feature values `value(j)` gives.
  func leaf(_ value: (Int) -> Double) -> Int {
    var i = 0
    while let split = nodes[i].split {
      switch split {
      case .below(let f, let t): i = value(f) < t ? nodes[i].left : nodes[i].right
      case .levels(let f, let mask): i = mask & (1 << UInt64(value(f))) != 0 ? nodes[i].left : nodes[i].right
      }
    }
    return i
  }

  /// The leaf of every fitting row, as node indices (what rpart's `fit$where` numbers differently).
  var leafOfRow: [Int] {
    let n = nodes.reduce(0) { $0 + $1.rows.count }
    var out = [Int](repeating: -1, count: n)
    for (i, node) in nodes.enumerated() where node.split == nil { for r in node.rows { out[r] = i } }
    return out
  }

  var leafCount: Int { nodes.filter { $0.split == nil }.count }
}

private func goesLeft(_ split: DecisionTree.Split, row: Int, features: [DecisionTree.Feature]) -> Bool {
  switch (split, features[split.feature]) {
  case (.below(_, let t), .ordered(let v)): v[row] < t
  case (.levels(_, let mask), .nominal(let v, _)): mask & (1 << UInt64(v[row])) != 0
  default: preconditionFailure("a split's kind matches its feature's")
  }
}

extension DecisionTree.Split {
  var feature: Int {
    switch self {
    case .below(let f, _), .levels(let f, _): f
    }
  }
}

extension Array {
  /// The elements for which `isLeft` holds, and the rest, each in their original order.
  fileprivate func partitioned(_ isLeft: (Element) -> Bool) -> ([Element], [Element]) {
    var left: [Element] = []
    var right: [Element] = []
    for x in self { if isLeft(x) { left.append(x) } else { right.append(x) } }
    return (left, right)
  }
}

/// The split search: impurity sums accumulated along each predictor's sorted order.
private struct Grower {
  let features: [DecisionTree.Feature]
  let response: DecisionTree.Response
  let minbucket: Int

  /// Sufficient statistics of a set of rows: count, Σy, Σy² (regression) or class counts.
  struct Stats {
    var n = 0.0
    var sum = 0.0
    var squares = 0.0
    var counts: [Double]

    var impurity: Double {
      guard n > 0 else { return 0 }
      if counts.isEmpty { return max(0, squares - sum * sum / n) }
      return n - counts.reduce(0) { $0 + $1 * $1 } / n  // n·(1 − Σ p²)
    }
  }

  func empty() -> Stats {
    if case .classes(_, let k) = response { return Stats(counts: [Double](repeating: 0, count: k)) }
    return Stats(counts: [])
  }

  func add(_ row: Int, to s: inout Stats, sign: Double = 1) {
    s.n += sign
    switch response {
    case .numeric(let y):
      s.sum += sign * y[row]
      s.squares += sign * y[row] * y[row]
    case .classes(let y, _): s.counts[y[row]] += sign
    }
  }

  func stats(_ rows: [Int]) -> Stats {
    var s = empty()
    for r in rows { add(r, to: &s) }
    return s
  }

  func impurity(_ rows: [Int]) -> Double { stats(rows).impurity }

  func bestSplit(_ rows: [Int], parentImpurity: Double) -> (split: DecisionTree.Split, gain: Double)? {
    var best: (split: DecisionTree.Split, gain: Double)?
    let total = stats(rows)
    for (f, feature) in features.enumerated() {
      let candidate: (DecisionTree.Split, Double)?
      switch feature {
      case .ordered(let v): candidate = orderedSplit(f, v, rows, total, parentImpurity)
      case .nominal(let v, let levels): candidate = nominalSplit(f, v, levels, rows, total, parentImpurity)
      }
      if let (split, gain) = candidate, gain > (best?.gain ?? 0) { best = (split, gain) }
    }
    return best
  }

  private func orderedSplit(_ f: Int, _ v: [Double], _ rows: [Int], _ total: Stats, _ parent: Double) -> (DecisionTree.Split, Double)? {
    let sorted = rows.sorted { v[$0] < v[$1] }
    var left = empty()
    var right = total
    var best: (DecisionTree.Split, Double)?
    for k in 0..<(sorted.count - 1) {
      add(sorted[k], to: &left)
      add(sorted[k], to: &right, sign: -1)
      let a = v[sorted[k]]
      let b = v[sorted[k + 1]]
      guard a < b, k + 1 >= minbucket, sorted.count - k - 1 >= minbucket else { continue }
      let gain = parent - left.impurity - right.impurity
      if gain > (best?.1 ?? 0) { best = (.below(feature: f, threshold: (a + b) / 2), gain) }
    }
    return best
  }

  private func nominalSplit(
    _ f: Int, _ v: [Int], _ levels: Int, _ rows: [Int], _ total: Stats, _ parent: Double
  ) -> (DecisionTree.Split, Double)? {
    var perLevel = [Stats](repeating: empty(), count: levels)
    for r in rows { add(r, to: &perLevel[v[r]]) }
    let present = (0..<levels).filter { perLevel[$0].n > 0 }
    guard present.count > 1 else { return nil }
    let majority: Int? = total.counts.isEmpty ? nil : total.counts.indices.max { total.counts[$0] < total.counts[$1] }
    func score(_ s: Stats) -> Double { majority.map { s.counts[$0] / s.n } ?? s.sum / s.n }
    let order = present.sorted { score(perLevel[$0]) < score(perLevel[$1]) }
    var left = empty()
    var right = total
    var mask: UInt64 = 0
    var best: (DecisionTree.Split, Double)?
    for k in 0..<(order.count - 1) {
      let s = perLevel[order[k]]
      left.n += s.n
      left.sum += s.sum
      left.squares += s.squares
      right.n -= s.n
      right.sum -= s.sum
      right.squares -= s.squares
      for c in s.counts.indices {
        left.counts[c] += s.counts[c]
        right.counts[c] -= s.counts[c]
      }
      mask |= 1 << UInt64(order[k])
      guard left.n >= Double(minbucket), right.n >= Double(minbucket) else { continue }
      let gain = parent - left.impurity - right.impurity
      if gain > (best?.1 ?? 0) { best = (.levels(feature: f, left: mask), gain) }
    }
    return best
  }
}
