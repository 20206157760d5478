// DecisionTreeTests.swift — the CART tree against rpart, the kernel bandwidth against R's bw.SJ
// (Tests/Fixtures/cart-rpart-reference.R), and the tree's stopping rules by hand.

import Foundation
import TestSupport
import Testing

@testable import Synthesis

private struct CARTReference: Decodable {
  struct Tree: Decodable {
    var x1: [Double]
    var x2: [Double]
    var g: [Int]
    var y: [Double]
    var minbucket: Int
    var `where`: [Int]
  }
  struct Bandwidth: Decodable {
    var name: String
    var x: [Double]
    var sj: Double
    var nrd0: Double?
  }
  var tree: Tree
  var bandwidth: [Bandwidth]

  static let frozen: CARTReference = {
    let url = URL(fileURLWithPath: Fixtures.fixturePath("cart-rpart-reference.json"))
    do { return try JSONDecoder().decode(CARTReference.self, from: Data(contentsOf: url)) } catch {
      fatalError("cannot read \(url.path): \(error)")
    }
  }()
}

/// The partition of row indices into groups with equal labels, as a set of sets.
private func partition(_ labels: [Int]) -> Set<Set<Int>> {
  var groups: [Int: Set<Int>] = [:]
  for (i, l) in labels.enumerated() { groups[l, default: []].insert(i) }
  return Set(groups.values)
}

@Suite("CART tree and kernel bandwidth: R reference values", .tags(.validation))
struct DecisionTreeValidationTests {
  @Test("regression tree: the same leaves as rpart (anova, minbucket 10, cp 1e-8) on 240 rows")
  func rpartPartition() {
    let r = CARTReference.frozen.tree
    let tree = DecisionTree(
      features: [.ordered(r.x1), .ordered(r.x2), .nominal(r.g, levels: 4)], response: .numeric(r.y),
      minbucket: r.minbucket, complexity: 1e-8)
    #expect(tree.leafCount == Set(r.where).count)
    #expect(partition(tree.leafOfRow) == partition(r.where))
  }

  @Test("Sheather–Jones bandwidth: R's bw.SJ(tol = 1e-10) to 1e-6 relative; Silverman: bw.nrd0")
  func bandwidth() throws {
    for b in CARTReference.frozen.bandwidth {
      let h = try #require(KernelBandwidth.sheatherJones(b.x), "\(b.name)")
      #expect(relativeDifference(h, b.sj) < 1e-6, "\(b.name): \(h) vs R \(b.sj)")
      if let nrd0 = b.nrd0 { #expect(relativeDifference(KernelBandwidth.silverman(b.x)!, nrd0) < 1e-12) }
    }
  }
}

@Suite("CART tree: stopping rules", .tags(.unit))
struct DecisionTreeUnitTests {
  @Test("two separable classes: one split at the midpoint, two pure leaves")
  func separable() {
    let x = (0..<40).map(Double.init)
    let y = x.map { $0 < 20 ? 0 : 1 }
    let tree = DecisionTree(features: [.ordered(x)], response: .classes(y, classes: 2), minbucket: 5, complexity: 1e-8)
    #expect(tree.leafCount == 2)
    #expect(tree.nodes[0].split == .below(feature: 0, threshold: 19.5))
  }

  @Test("every leaf holds at least minbucket rows; fewer than 3·minbucket rows are never split")
  func minbucket() {
    let x = (0..<200).map { Double(($0 * 37) % 200) }
    let y = x.map { sin($0 / 7) }
    for k in [1, 5, 20, 50] {
      let tree = DecisionTree(features: [.ordered(x)], response: .numeric(y), minbucket: k, complexity: 1e-8)
      #expect(tree.nodes.filter { $0.split == nil }.allSatisfy { $0.rows.count >= k }, "minbucket \(k)")
      #expect(tree.leafCount > 1)
    }
    let small = DecisionTree(
      features: [.ordered(Array(x.prefix(59)))], response: .numeric(Array(y.prefix(59))), minbucket: 20, complexity: 1e-8)
    #expect(small.leafCount == 1)
  }

  @Test("a nominal predictor: levels grouped by mean response")
  func nominal() {
    let g = (0..<60).map { $0 % 3 }
    let y = g.map { [5.0, -1.0, 5.0][$0] }
    let tree = DecisionTree(features: [.nominal(g, levels: 3)], response: .numeric(y), minbucket: 5, complexity: 1e-8)
    #expect(tree.leafCount == 2)
    #expect(tree.nodes[0].split == .levels(feature: 0, left: 0b010))
  }

  @Test("cp: a split gaining less than cp × the root impurity is not made")
  func complexity() {
    let x = (0..<100).map(Double.init)
    let y: [Double] = x.map { $0 < 50 ? 0 : 1 }
    #expect(DecisionTree(features: [.ordered(x)], response: .numeric(y), minbucket: 5, complexity: 0.5).leafCount == 2)
    #expect(DecisionTree(features: [.ordered(x)], response: .numeric(y), minbucket: 5, complexity: 1.01).leafCount == 1)
  }
}
