// CoxModel+TwoGroups.swift — the Cox likelihood of a two-arm trial, computed per tied-time group.
//
// The hot path of Monte Carlo trials: one treatment indicator, no weights, no offsets. Every
// subject's risk is then exp(β·low) or exp(β·high), so the risk-set sums of a group of subjects
// sharing a time depend only on how many of them are alive or dying at each level. Counting
// those once per fit makes each Newton step O(number of distinct times) instead of O(n) with a
// per-subject loop. Same sums as `evaluateOneCovariate`, in a different order (rounding
// differences of order 1e-16 relative); validated against R through veteran ~ trt and the
// Therneau & Grambsch data set, both of which take this path.

import Foundation

/// Counts per tied-time group, in (stratum, time) order.
///
/// The buffers are refilled in place by ``fill(count:low:high:time:x:status:stratumStart:)`` (or
/// ``fillTwoArm(order:times:events:experimental:low:high:)``) and only ever grow, so a Monte Carlo
/// worker that keeps one instance allocates nothing once they have grown to its largest trial.
struct TwoLevelGroups {
  /// One tied-time group: subjects at risk from it on (alive or dying at its time) and dying at
  /// each level. Counts are small integers, exact as `Double`s.
  struct Group {
    var atRiskLow = 0.0
    var atRiskHigh = 0.0
    var deadLow = 0.0
    var deadHigh = 0.0
    /// Subjects dying at this time.
    var deaths: Double { deadLow + deadHigh }
  }

  /// The groups and the scratch of ``evaluate(beta:efron:)``, owned by one instance (a copy that
  /// is refilled gets its own, see ``reserve(_:)``).
  private final class Storage {
    let capacity: Int
    let groups: UnsafeMutablePointer<Group>
    /// True when the group after this one starts a new stratum (or this is the last group).
    let endsStratum: UnsafeMutablePointer<Bool>
    /// Per group with deaths, last first: its index and its risk set's sums at the current β.
    let deathGroup: UnsafeMutablePointer<Int>
    let denominator: UnsafeMutablePointer<Double>
    let sumX: UnsafeMutablePointer<Double>
    let sumXX: UnsafeMutablePointer<Double>
    let inverse: UnsafeMutablePointer<Double>

    init(capacity: Int) {
      self.capacity = capacity
      groups = .allocate(capacity: capacity)
      endsStratum = .allocate(capacity: capacity)
      deathGroup = .allocate(capacity: capacity)
      denominator = .allocate(capacity: capacity)
      sumX = .allocate(capacity: capacity)
      sumXX = .allocate(capacity: capacity)
      inverse = .allocate(capacity: capacity)
    }

    deinit {
      groups.deallocate()
      endsStratum.deallocate()
      deathGroup.deallocate()
      denominator.deallocate()
      sumX.deallocate()
      sumXX.deallocate()
      inverse.deallocate()
    }
  }

  private(set) var low = 0.0, high = 0.0
  private var storage = Storage(capacity: 1)
  /// Tied-time groups.
  private(set) var count = 0
  /// Σ x over the dying subjects: the score's constant part.
  private(set) var deadSumX = 0.0

  init() {}

  init(workspace w: CoxWorkspace, low: Double, high: Double) {
    fill(
      count: w.n, low: low, high: high, time: UnsafeBufferPointer(w.time), x: UnsafeBufferPointer(w.x),
      status: UnsafeBufferPointer(w.status), stratumStart: UnsafeBufferPointer(w.stratumStart))
  }

  /// Room for `n` groups in storage of this instance's own.
  private mutating func reserve(_ n: Int) {
    guard storage.capacity < n || !isKnownUniquelyReferenced(&storage) else { return }
    storage = Storage(capacity: max(n, 2 * storage.capacity))
  }

  /// Group `g` (`g < count`).
  func group(_ g: Int) -> Group {
    precondition(g >= 0 && g < count, "group \(g) of \(count)")
    return storage.groups[g]
  }

  /// Groups the first `n` subjects, sorted by (stratum, time), by tied time. `stratumStart` nil:
  /// one stratum.
  mutating func fill(
    count n: Int, low: Double, high: Double, time: UnsafeBufferPointer<Double>, x: UnsafeBufferPointer<Double>,
    status: UnsafeBufferPointer<Bool>, stratumStart: UnsafeBufferPointer<Bool>?
  ) {
    self.low = low
    self.high = high
    reserve(n)
    let out = storage.groups
    let ends = storage.endsStratum
    var deadSumX = 0.0
    var groups = 0
    var k = 0
    while k < n {
      let t = time[k]
      var al = 0.0
      var ah = 0.0
      var dl = 0.0
      var dh = 0.0
      repeat {
        let isHigh = x[k] == high
        if status[k] {
          if isHigh { dh += 1 } else { dl += 1 }
          deadSumX += x[k]
        } else {
          if isHigh { ah += 1 } else { al += 1 }
        }
        k += 1
      } while k < n && time[k] == t && !(stratumStart?[k] ?? false)
      out[groups] = Group(atRiskLow: al + dl, atRiskHigh: ah + dh, deadLow: dl, deadHigh: dh)
      ends[groups] = k == n || (stratumStart?[k] ?? false)
      groups += 1
    }
    count = groups
    self.deadSumX = deadSumX
  }

  /// Groups `n` subjects of one stratum taken in the order `order` (ascending `times`), where a
  /// subject's covariate is `high` when `experimental` and `low` otherwise: the groups, counts
  /// and Σ x of ``fill(count:low:high:time:x:status:stratumStart:)`` on the sorted copies, in one
  /// pass without them. Arms and events are counted without branches (they are random).
  mutating func fillTwoArm(
    order: UnsafeBufferPointer<Int>, times: UnsafeBufferPointer<Double>, events: UnsafeBufferPointer<Bool>,
    experimental: UnsafeBufferPointer<Bool>, low: Double, high: Double
  ) {
    let n = order.count
    self.low = low
    self.high = high
    reserve(n)
    let out = storage.groups
    let ends = storage.endsStratum
    var deadSumX = 0.0
    var groups = 0
    var k = 0
    while k < n {
      var i = order[k]
      let t = times[i]
      var atRiskHigh = 0
      var deadLow = 0
      var deadHigh = 0
      let first = k
      while true {
        let h = Branchless.bit(experimental[i])
        let d = Branchless.bit(events[i])
        atRiskHigh &+= h
        deadHigh &+= d & h
        deadLow &+= d & (1 &- h)
        // x as 1·high + 0·low or 0·high + 1·low (exact: adding ±0 to a level leaves it, and low
        // = 0 − mean is never −0), counted when dying as 1·x, else as 0·x: adding ±0 leaves the
        // sum as it was (it is never −0: it starts at +0). Products, because a selection was
        // compiled to a branch, mispredicted on random arms and events.
        let x = Double(h) * high + Double(1 &- h) * low
        deadSumX += Double(d) * x
        k &+= 1
        guard k < n else { break }
        i = order[k]
        guard times[i] == t else { break }
      }
      let size = k &- first
      out[groups] = Group(
        atRiskLow: Double(size &- atRiskHigh), atRiskHigh: Double(atRiskHigh), deadLow: Double(deadLow),
        deadHigh: Double(deadHigh))
      ends[groups] = false
      groups &+= 1
    }
    if groups > 0 { ends[groups - 1] = true }
    count = groups
    self.deadSumX = deadSumX
  }

  /// Log partial likelihood, score and information at β (Breslow or Efron).
  ///
  /// Two passes over the groups, last first: the risk-set sums of every group, kept for the
  /// groups with deaths, then those groups' terms. Skipping the groups without deaths needs no
  /// branch on the (random) deaths, and the reciprocals of the kept denominators are computed
  /// together, which vectorises. The sums and terms are the same, in the same order.
  func evaluate(beta: Double, efron: Bool) -> (loglik: Double, score: Double, information: Double) {
    let etaLow = CoxWorkspace.safe(beta * low)
    let etaHigh = CoxWorkspace.safe(beta * high)
    let rLow = Foundation.exp(etaLow)
    let rHigh = Foundation.exp(etaHigh)
    let xLow = rLow * low
    let xHigh = rHigh * high
    let xxLow = xLow * low
    let xxHigh = xHigh * high
    let groups = storage.groups
    let endsStratum = storage.endsStratum
    let deathGroup = storage.deathGroup
    let denominators = storage.denominator
    let sumXs = storage.sumX
    let sumXXs = storage.sumXX
    let inverses = storage.inverse
    var denom = 0.0
    var sumX = 0.0
    var sumXX = 0.0
    var kept = 0
    var g = count
    while g > 0 {
      g &-= 1
      if endsStratum[g] {
        denom = 0
        sumX = 0
        sumXX = 0
      }
      let group = groups[g]
      let nl = group.atRiskLow
      let nh = group.atRiskHigh
      denom += nl * rLow + nh * rHigh
      sumX += nl * xLow + nh * xHigh
      sumXX += nl * xxLow + nh * xxHigh
      deathGroup[kept] = g
      denominators[kept] = denom
      sumXs[kept] = sumX
      sumXXs[kept] = sumXX
      kept &+= Branchless.bit(group.deaths > 0)
    }
    for k in 0..<kept { inverses[k] = 1 / denominators[k] }
    var score = deadSumX
    var information = 0.0
    // Σ log(denominator) as log Π (see evaluateOneCovariate), rescaled to stay in range.
    var product = 1.0
    var decades = 0
    var etaSum = 0.0  // Σ over the dying of clamped η
    for k in 0..<kept {
      let group = groups[deathGroup[k]]
      let deaths = group.deaths
      let denom = denominators[k]
      let sumX = sumXs[k]
      let sumXX = sumXXs[k]
      etaSum += group.deadLow * etaLow + group.deadHigh * etaHigh
      if !efron || deaths == 1 {
        let inverse = inverses[k]
        let xbar = sumX * inverse
        if deaths == 1 {
          product *= denom
        } else {
          for _ in 0..<Int(deaths) { product *= denom }
        }
        score -= deaths * xbar
        information += deaths * (sumXX * inverse - xbar * xbar)
      } else {
        let denom2 = group.deadLow * rLow + group.deadHigh * rHigh
        let deadX = group.deadLow * xLow + group.deadHigh * xHigh
        let deadXX = group.deadLow * xxLow + group.deadHigh * xxHigh
        for r in 0..<Int(deaths) {
          let f = Double(r) / deaths
          let d2 = denom - f * denom2
          let inverse = 1 / d2
          let xbar = (sumX - f * deadX) * inverse
          product *= d2
          score -= xbar
          information += (sumXX - f * deadXX) * inverse - xbar * xbar
        }
      }
      if product > 1e200 {
        product *= 1e-200
        decades += 200
      } else if product < 1e-200 {
        product *= 1e200
        decades -= 200
      }
    }
    return (etaSum - (Foundation.log(product) + Double(decades) * M_LN10), score, information)
  }
}

/// Counting without a branch, for conditions a branch predictor cannot learn (random arms and
/// events).
enum Branchless {
  /// 1 when `c`, else 0.
  @inline(__always)
  static func bit(_ c: Bool) -> Int { Int(unsafeBitCast(c, to: UInt8.self)) }
}
