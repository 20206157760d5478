// KaplanMeierValidationTests.swift — KM landmarks, medians and CIs against R survival 3.5.3.

import CohortData
import SurvivalAnalysis
import TestSupport
import Testing

@Suite("Kaplan–Meier against R survival::survfit (colon_os, veteran)", .tags(.validation))
struct KaplanMeierValidationTests {
  /// Per-arm estimates, keyed by R's stratum label ("rx=Obs", "trt=standard", …).
  static func arms(_ dataset: String) throws -> [String: KaplanMeierEstimate] {
    let (cohort, column, levels, names): (Cohort, String, [String], [String]) =
      dataset == "colon_os"
      ? (ReferenceModels.colon, "rx", ["Obs", "Lev", "Lev+5FU"], ["rx=Obs", "rx=Lev", "rx=Lev+5FU"])
      : (ReferenceModels.veteran, "trt", ["1", "2"], ["trt=standard", "trt=test"])
    let frame = try ModelFrame(cohort: cohort, time: "time", event: "status", terms: [.factor(column, levels: levels)])
    let labels = try cohort.labels(column)
    var out: [String: KaplanMeierEstimate] = [:]
    for (level, name) in zip(levels, names) {
      let members = frame.rowsUsed.indices.filter { labels[frame.rowsUsed[$0]] == level }
      out[name] = try KaplanMeierEstimate(frame.data.selecting(members))
    }
    return out
  }

  @Test("Ŝ, SE, log CI and n at risk at the landmarks", arguments: ["colon_os", "veteran"])
  func landmarks(_ dataset: String) throws {
    let estimates = try Self.arms(dataset)
    for point in Fixtures.reference.clinical[dataset]!.km.points {
      let l = estimates[point.arm]!.landmark(at: point.timeDays)
      #expect(l.atRisk == point.nRisk, "\(point.arm) t=\(point.timeDays)")
      #expect(abs(l.survival - point.surv) < 1e-12, "\(point.arm) t=\(point.timeDays)")
      #expect((l.standardError == nil) == (point.se == nil))
      if let se = point.se, let mine = l.standardError { #expect(relativeDifference(mine, se) < 1e-9) }
      if let lo = point.lower95, let mine = l.lower { #expect(relativeDifference(mine, lo) < 1e-9) }
      if let hi = point.upper95, let mine = l.upper { #expect(relativeDifference(mine, hi) < 1e-9) }
      #expect((l.lower == nil) == (point.lower95 == nil))
    }
  }

  @Test("median survival and its CI (R's midpoint rule for flats)", arguments: ["colon_os", "veteran"])
  func medians(_ dataset: String) throws {
    let estimates = try Self.arms(dataset)
    for ref in Fixtures.reference.clinical[dataset]!.km.medians {
      let km = estimates[ref.arm]!
      #expect(km.subjectCount == ref.n)
      #expect(km.eventCount == ref.events)
      let m = km.median
      #expect(m.estimate == ref.medianDays, "\(ref.arm) median")
      #expect(m.lower == ref.medianLower95, "\(ref.arm) lower")
      #expect(m.upper == ref.medianUpper95, "\(ref.arm) upper")
    }
  }
}

@Suite("Kaplan–Meier: hand-computed values", .tags(.unit))
struct KaplanMeierUnitTests {
  @Test("no censoring: Ŝ is the empirical survival function")
  func noCensoring() throws {
    let km = try KaplanMeierEstimate(SurvivalData(times: [1, 2, 3, 4], events: [true, true, true, true]))
    #expect(km.survival == [0.75, 0.5, 0.25, 0])
    // Flat exactly at 0.5 between t = 2 and t = 3: R's median is the midpoint, 2.5.
    #expect(km.median.estimate == 2.5)
  }

  @Test("RMST: area under a hand-drawn step function, and its variance")
  func restrictedMean() throws {
    // Ŝ = 1 on [0,2), 2/3 on [2,5), 1/3 on [5,∞) with censoring at 3 … (n = 3: 2 events at 2 and 5)
    let data = SurvivalData(times: [2, 3, 5], events: [true, false, true])
    let km = try KaplanMeierEstimate(data)
    #expect(km.survival.map { ($0 * 1e12).rounded() / 1e12 } == [2.0 / 3, 2.0 / 3, 0].map { ($0 * 1e12).rounded() / 1e12 })
    let r = km.restrictedMean(horizon: 4)
    #expect(abs(r.estimate - (2 + 2.0 / 3 * 2)) < 1e-12)
    // Only the event at t = 2 (n = 3, d = 1) lies before τ: A = ∫₂⁴ Ŝ = 4/3, Var = A²·1/(3·2).
    #expect(abs(r.standardError - (4.0 / 3 * (1.0 / 6).squareRoot())) < 1e-12)
  }

  @Test("Greenwood SE by hand: n = 5, events at 1 and 3, censored at 2")
  func greenwood() throws {
    let km = try KaplanMeierEstimate(SurvivalData(times: [1, 2, 3, 4, 5], events: [true, false, true, false, false]))
    let l = km.landmark(at: 3)
    let s = 4.0 / 5 * 2.0 / 3
    #expect(abs(l.survival - s) < 1e-15)
    let varSum = 1.0 / (5 * 4) + 1.0 / (3 * 2)
    #expect(abs(l.standardError! - s * varSum.squareRoot()) < 1e-15)
    #expect(l.atRisk == 3)
  }

  @Test("RMST past the last time extends the last level; weighted data are refused, not ignored")
  func rmstAndRefusal() throws {
    let km = try KaplanMeierEstimate(SurvivalData(times: [2, 3, 5], events: [true, false, false]))
    // Ŝ = 1 on [0,2), 2/3 after: area to 10 = 2 + 8·2/3; A at t = 2 is 8·2/3, Var = A²·1/(3·2).
    let r = km.restrictedMean(horizon: 10)
    #expect(abs(r.estimate - (2 + 16.0 / 3)) < 1e-12)
    #expect(abs(r.standardError - 16.0 / 3 * (1.0 / 6).squareRoot()) < 1e-12)
    #expect(throws: SurvivalError.self) {
      try KaplanMeierEstimate(SurvivalData(times: [1, 2], events: [true, true], weights: [1, 2]))
    }
  }
}
