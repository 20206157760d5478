// AllocationTests.swift — permuted blocks: exact counts, balance at every block boundary.

import GSL
import TestSupport
import Testing

@testable import Simulation

@Suite("Permuted-block allocation", .tags(.unit))
struct AllocationTests {
  @Test("1:1 with 300 + 300: blocks of 4, two of each arm; 2:1 with 300 + 150: blocks of 6")
  func blocks() {
    let rng = SeedSequence(masterSeed: 1).makeRandomSource(0)
    for (e, c, size) in [(300, 300, 4), (300, 150, 6), (279, 279, 4)] {
      let arms = TrialModel.permutedBlocks(experimental: e, control: c, rng: rng)
      #expect(arms.count == e + c)
      #expect(arms.filter { $0 }.count == e)
      let perBlock = size * e / (e + c)
      for start in stride(from: 0, to: arms.count - size + 1, by: size) {
        #expect(arms[start..<start + size].filter { $0 }.count == perBlock, "\(e):\(c) block at \(start)")
      }
    }
  }

  @Test("a trial without real controls is all experimental")
  func externalOnly() {
    let rng = SeedSequence(masterSeed: 2).makeRandomSource(0)
    #expect(TrialModel.permutedBlocks(experimental: 300, control: 0, rng: rng) == [Bool](repeating: true, count: 300))
  }
}
