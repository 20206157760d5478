// TrialWorkspace.swift — the scratch one Monte Carlo worker reuses for every trial it simulates.
//
// Goals, in priority order:
// 1. The same numbers as generating each trial into fresh arrays: the same draws in the same
//    order from the same streams (generators are reseeded, not reallocated; reseeding writes the
//    whole generator state, see `GSLRandomSource.reseed(streamKey:)`).
// 2. No allocation per trial once the columns have grown to the worker's largest trial: patients
//    live in columns (structure of arrays) of trivially copyable values, owned here and freed in
//    `deinit`, and the analysis of a two-arm trial sorts them once (`TwoArmSample`).
// 3. Nothing shared between workers: a workspace belongs to one thread (not `Sendable`).

import GSL
import SurvivalAnalysis

/// A growable column of a trivially copyable type, owned (and freed) by a ``TrialWorkspace``.
struct Column<Element: BitwiseCopyable> {
  private(set) var base: UnsafeMutablePointer<Element>
  private(set) var capacity: Int
  private let fill: Element

  init(_ fill: Element) {
    self.fill = fill
    capacity = 16
    base = .allocate(capacity: capacity)
    base.initialize(repeating: fill, count: capacity)
  }

  /// Room for `count` values; the contents are not kept when the column grows.
  mutating func reserve(_ count: Int) {
    guard count > capacity else { return }
    base.deallocate()
    capacity = max(count, 2 * capacity)
    base = .allocate(capacity: capacity)
    base.initialize(repeating: fill, count: capacity)
  }

  /// Like ``reserve(_:)`` but keeps the first `kept` values.
  mutating func grow(to count: Int, keeping kept: Int) {
    guard count > capacity else { return }
    let old = base
    capacity = max(count, 2 * capacity)
    base = .allocate(capacity: capacity)
    base.initialize(repeating: fill, count: capacity)
    base.update(from: old, count: kept)
    old.deallocate()
  }

  subscript(i: Int) -> Element {
    get { base[i] }
    nonmutating set { base[i] = newValue }
  }

  func buffer(_ count: Int) -> UnsafeMutableBufferPointer<Element> {
    UnsafeMutableBufferPointer(start: base, count: count)
  }

  func free() { base.deallocate() }
}

/// One worker's streams, patient columns and analysis scratch.
final class TrialWorkspace {
  /// The replicate's streams, reseeded for every trial.
  let streams = ReplicateStreams()

  // Real patients in order of entry (index < the design's real patient count).
  var entry = Column(0.0)
  var eventTime = Column(0.0)
  var dropout = Column(0.0)
  var calendar = Column(0.0)
  /// Arms along the order of entry (true: experimental), with room for a whole last block.
  var arm = Column(false)
  /// Scratch of the distribution sort of the entry times and of the selection of the cut.
  var sortScratch = Column(0.0)
  var sortCounts = Column(0)

  // The patients analysed: concurrent ones cut at the analysis, then the external ones.
  private(set) var count = 0
  var time = Column(0.0)
  var event = Column(false)
  var experimental = Column(false)
  var external = Column(false)
  /// External patients among the analysed ones.
  private(set) var externalCount = 0
  /// Events among the analysed patients: concurrent (external ones excluded) and experimental,
  /// counted as they are appended (a pass over the columns each cost more than the log-rank test).
  private(set) var concurrentEvents = 0
  private(set) var experimentalEvents = 0
  /// Analysed times that are not finite or negative: concurrent and external ones.
  private var invalidConcurrentTimes = 0
  private var invalidExternalTimes = 0
  /// Adjustment columns and prognostic scores of adjusted or scored designs (empty otherwise;
  /// those designs allocate, the conventional and augmented designs do not).
  var adjustments: [[Double]] = []
  var scores: [Double] = []

  // Concurrent patients only (the `none` analysis of a design with external patients).
  private var concurrentTime = Column(0.0)
  private var concurrentEvent = Column(false)
  private var concurrentExperimental = Column(false)

  /// The sorted two-arm sample shared by the Cox fit and the log-rank test.
  let sample = TwoArmSample()

  deinit {
    for c in [entry, eventTime, dropout, calendar, time, concurrentTime] { c.free() }
    for c in [arm, event, experimental, external, concurrentEvent, concurrentExperimental] { c.free() }
    sortScratch.free()
    sortCounts.free()
  }

  /// Prepares for `real` concurrent patients (arms with `blockSize` spare) and up to `extra`
  /// external ones.
  func start(real: Int, blockSize: Int, extra: Int) {
    entry.reserve(real)
    sortScratch.reserve(real)
    sortCounts.reserve(SortedOrder.distributionCounts(real))
    eventTime.reserve(real)
    dropout.reserve(real)
    calendar.reserve(real)
    arm.reserve(real + blockSize)
    time.reserve(real + extra)
    event.reserve(real + extra)
    experimental.reserve(real + extra)
    external.reserve(real + extra)
    count = 0
    externalCount = 0
    concurrentEvents = 0
    experimentalEvents = 0
    invalidConcurrentTimes = 0
    invalidExternalTimes = 0
    adjustments.removeAll(keepingCapacity: true)
    scores.removeAll(keepingCapacity: true)
  }

  /// Appends an analysed patient.
  @inline(__always)
  func append(time t: Double, event e: Bool, experimental x: Bool, external ext: Bool) {
    ensureRoom(for: 1)
    time[count] = t
    event[count] = e
    experimental[count] = x
    external[count] = ext
    count += 1
    let valid = t.isFinite && t >= 0
    if ext {
      externalCount += 1
      if !valid { invalidExternalTimes += 1 }
    } else {
      if e { concurrentEvents += 1 }
      if !valid { invalidConcurrentTimes += 1 }
    }
    if e && x { experimentalEvents += 1 }
  }

  /// Room in the analysed patients' columns for `extra` more (at least doubling when they grow).
  @inline(__always)
  private func ensureRoom(for extra: Int) {
    guard count + extra > time.capacity else { return }
    let grown = max(count + extra, 2 * count)
    time.grow(to: grown, keeping: count)
    event.grow(to: grown, keeping: count)
    experimental.grow(to: grown, keeping: count)
    external.grow(to: grown, keeping: count)
  }

  /// Appends the real patients who entered before `cut` (a prefix: entry times ascend), each as
  /// ``TrialModel/observe(entry:event:dropout:cut:experimental:external:)`` sees it: what
  /// ``append(time:event:experimental:external:)`` does patient by patient, in one pass without a
  /// branch on the (random) arms and events.
  func appendConcurrent(
    entries: UnsafeBufferPointer<Double>, eventTimes: UnsafeBufferPointer<Double>, dropouts: UnsafeBufferPointer<Double>,
    arms: UnsafeBufferPointer<Bool>, cut: Double
  ) {
    var n = 0
    while n < entries.count && entries[n] < cut { n += 1 }
    ensureRoom(for: n)
    let times = time.base + count
    let events = event.base + count
    let arm = experimental.base + count
    let outside = external.base + count
    var dead = 0
    var experimentalDead = 0
    var invalid = 0
    for i in 0..<n {
      let (t, e) = TrialModel.observed(entry: entries[i], event: eventTimes[i], dropout: dropouts[i], cut: cut)
      let x = arms[i]
      times[i] = t
      events[i] = e
      arm[i] = x
      outside[i] = false
      let valid = t.isFinite && t >= 0
      dead &+= Branchless.bit(e)
      experimentalDead &+= Branchless.bit(e) & Branchless.bit(x)
      invalid &+= 1 &- Branchless.bit(valid)
    }
    count += n
    concurrentEvents += dead
    experimentalEvents += experimentalDead
    invalidConcurrentTimes += invalid
  }

  /// The analysed patients as the patient-by-patient analyses read them.
  func patients() -> [SimulatedPatient] {
    (0..<count).map { i in
      var p = SimulatedPatient(time: time[i], event: event[i], experimental: experimental[i], external: external[i])
      if !adjustments.isEmpty { p.adjustment = adjustments[i] }
      if !scores.isEmpty { p.score = scores[i] }
      return p
    }
  }

  /// Whether every analysed time is finite and ≥ 0: what `SurvivalData` validation checks, which
  /// the two-arm entry points skip. Simulated times always are; a time that is not makes the
  /// analysis fail as the public API would (`coxFitFailed`), never silently.
  func timesAreValid(concurrentOnly: Bool) -> Bool {
    invalidConcurrentTimes == 0 && (concurrentOnly || invalidExternalTimes == 0)
  }

  /// Loads the analysed patients (all, or the concurrent ones only) into the two-arm sample;
  /// returns the number loaded.
  func loadSample(concurrentOnly: Bool) -> Int {
    if !concurrentOnly || externalCount == 0 {
      sample.load(
        times: UnsafeBufferPointer(time.buffer(count)), events: UnsafeBufferPointer(event.buffer(count)),
        experimental: UnsafeBufferPointer(experimental.buffer(count)))
      return count
    }
    let m = count - externalCount
    concurrentTime.reserve(m)
    concurrentEvent.reserve(m)
    concurrentExperimental.reserve(m)
    var k = 0
    for i in 0..<count where !external[i] {
      concurrentTime[k] = time[i]
      concurrentEvent[k] = event[i]
      concurrentExperimental[k] = experimental[i]
      k += 1
    }
    sample.load(
      times: UnsafeBufferPointer(concurrentTime.buffer(m)), events: UnsafeBufferPointer(concurrentEvent.buffer(m)),
      experimental: UnsafeBufferPointer(concurrentExperimental.buffer(m)))
    return m
  }

  /// Events among real and external controls (as `Double`s, for the borrowing arithmetic).
  var controlEvents: (real: Double, external: Double) {
    var dc = 0.0
    var de = 0.0
    for i in 0..<count where !experimental[i] && event[i] { if external[i] { de += 1 } else { dc += 1 } }
    return (dc, de)
  }

  /// The events and exposure of the analysed patients, in one pass in patient order (as
  /// ``HazardIntervals/statistics(_:)`` over ``patients()``).
  func statistics(_ intervals: HazardIntervals) -> TrialStatistics {
    var t = EventsExposure(intervals: intervals.count)
    var c = t
    var e = t
    let cuts = intervals.cutPoints
    for i in 0..<count {
      if experimental[i] {
        t.add(time: time[i], event: event[i], cuts: cuts)
      } else if external[i] {
        e.add(time: time[i], event: event[i], cuts: cuts)
      } else {
        c.add(time: time[i], event: event[i], cuts: cuts)
      }
    }
    return TrialStatistics(experimental: t, control: c, external: e)
  }
}

/// Selections without a branch, for conditions a branch predictor cannot learn (random arms and
/// events): the same values as `c ? a : b`. (SurvivalAnalysis has its own copy: these must be
/// inlined, which a call across the module boundary is not.)
enum Branchless {
  /// 1 when `c`, else 0.
  @inline(__always)
  static func bit(_ c: Bool) -> Int { Int(unsafeBitCast(c, to: UInt8.self)) }

  /// `c ? a : b`, both computed, chosen by masking their bits.
  @inline(__always)
  static func select(_ c: Bool, _ a: Double, _ b: Double) -> Double {
    let mask = 0 &- UInt64(unsafeBitCast(c, to: UInt8.self))
    return Double(bitPattern: (a.bitPattern & mask) | (b.bitPattern & ~mask))
  }
}
