// HazardIntervals.swift — the events-and-exposure engine of the Bayesian analyses (Docs/Methods.md).
//
// On a piecewise-exponential control hazard λ_j (interval j = (s_{j−1}, s_j]) with a treatment
// hazard ratio e^θ, the exact likelihood of a trial depends on its data only through the events
// d_aj and the exposure E_aj of each arm a in each interval:
//   L(λ, θ) = Π_j λ_j^(d_cj + d_tj) · e^(θ·d_tj) · exp(−λ_j·(E_cj + e^θ·E_tj)).
// So every borrowing analysis is O(J) once these sums are taken, in one pass over the patients.
// Cut points put equal numbers of reference events in each interval (as BayesPPDSurv's default
// change points do), or are given in the scenario.

import Foundation

/// The interior cut points s_1 < … < s_{J−1} of a piecewise-exponential hazard (protocol time unit).
public struct HazardIntervals: Sendable, Codable, Equatable {
  public var cutPoints: [Double]
  public var count: Int { cutPoints.count + 1 }

  public init(cutPoints: [Double]) { self.cutPoints = cutPoints }

  /// `intervals` intervals holding equal numbers of the given events: the cut points are the
  /// event times at the k/J quantiles (the k·D/J-th smallest event time, rounded), ties merged.
  public init(equalEventsAmong eventTimes: [Double], intervals: Int) {
    let sorted = eventTimes.sorted()
    var cuts: [Double] = []
    if intervals > 1 && !sorted.isEmpty {
      for k in 1..<intervals {
        let index = Int((Double(k * sorted.count) / Double(intervals)).rounded()) - 1
        let cut = sorted[min(max(index, 0), sorted.count - 1)]
        if cut > 0, cut > (cuts.last ?? 0) { cuts.append(cut) }
      }
    }
    cutPoints = cuts
  }
}

/// Events and exposure per interval of one group of patients.
public struct EventsExposure: Sendable, Equatable {
  public var events: [Double]
  public var exposure: [Double]

  public init(intervals: Int) {
    events = [Double](repeating: 0, count: intervals)
    exposure = events
  }

  public init(events: [Double], exposure: [Double]) {
    precondition(events.count == exposure.count, "events and exposure need one entry per interval")
    self.events = events
    self.exposure = exposure
  }

  public var totalEvents: Double { events.reduce(0, +) }
  public var totalExposure: Double { exposure.reduce(0, +) }

  /// Adds one patient followed for `time` (an event at `time` when `event`), with weight `w`.
  @inline(__always)
  mutating func add(time: Double, event: Bool, cuts: [Double], weight w: Double = 1) {
    var start = 0.0
    for j in 0...cuts.count {
      let end = j < cuts.count ? cuts[j] : .infinity
      if time <= end {
        exposure[j] += w * (time - start)
        if event { events[j] += w }
        return
      }
      exposure[j] += w * (end - start)
      start = end
    }
  }

  /// The same statistics scaled by `factor` (a power prior's a₀, or a discount).
  public func scaled(_ factor: Double) -> EventsExposure {
    EventsExposure(events: events.map { $0 * factor }, exposure: exposure.map { $0 * factor })
  }
}

/// The sufficient statistics of one analysed trial: experimental arm, concurrent (real) controls
/// and external controls (synthetic or reference).
public struct TrialStatistics: Sendable, Equatable {
  public var experimental: EventsExposure
  public var control: EventsExposure
  public var external: EventsExposure

  public init(experimental: EventsExposure, control: EventsExposure, external: EventsExposure) {
    self.experimental = experimental
    self.control = control
    self.external = external
  }
}

extension HazardIntervals {
  /// The statistics of `patients` in one pass.
  func statistics(_ patients: [SimulatedPatient]) -> TrialStatistics {
    var t = EventsExposure(intervals: count)
    var c = t
    var e = t
    for p in patients {
      if p.experimental {
        t.add(time: p.time, event: p.event, cuts: cutPoints)
      } else if p.external {
        e.add(time: p.time, event: p.event, cuts: cutPoints)
      } else {
        c.add(time: p.time, event: p.event, cuts: cutPoints)
      }
    }
    return TrialStatistics(experimental: t, control: c, external: e)
  }
}
