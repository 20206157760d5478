// CovariateAdjustedLogRankTests.swift — Ye, Shao & Yi's adjusted log-rank test against
// RobinCar2's published snapshots and R survival 3.5.3 on survival::lung.

import CohortData
import Foundation
import GSL
import SurvivalAnalysis
import TestSupport
import Testing

/// survival::lung (Data/lung.csv, 228 rows) as RobinCar2's `surv_data` builds it
/// (data-raw/create_surv_data.R): event = (status == 2), and
/// `sex = factor(ifelse(sex == 1, "Male", "Female"))`, whose levels sort to (Female, Male). So
/// "treatment = Male, level 2 of sex" is **treated = (lung sex == 1)**. The other coding
/// (treated = sex == 2) gives the same variances and se and the scores with the opposite sign
/// (checked below); the snapshot's positive U_L fixes the coding.
private struct Lung {
  var times: [Double] = []
  var events: [Bool] = []
  var male: [Bool] = []
  var age: [Double] = []

  static let shared: Lung = {
    do {
      let table = try CSVTable(contentsOf: Fixtures.dataPath("lung.csv"))
      func column(_ name: String) -> Int { table.header.firstIndex(of: name)! }
      let (time, status, sex, age) = (column("time"), column("status"), column("sex"), column("age"))
      var lung = Lung()
      for row in table.rows {
        lung.times.append(Double(row[time])!)
        lung.events.append(row[status] == "2")
        lung.male.append(row[sex] == "1")
        lung.age.append(Double(row[age])!)
      }
      return lung
    } catch {
      fatalError("cannot read Data/lung.csv: \(error)")
    }
  }()
}

@Suite("Covariate-adjusted log-rank (Ye, Shao & Yi 2024) against RobinCar2", .tags(.validation))
struct CovariateAdjustedLogRankTests {
  // RobinCar2 tests/testthat/_snaps/survival_score.md, "h_lr_score_no_strata_no_cov works as
  // expected with default options" and "h_lr_score_cov works as expected with default options":
  // h_lr_score_cov(theta = 0, df = surv_data, treatment = "sex", model = ~age), so θ = 0, the
  // β's from the derived outcomes at θ̂ = θ = 0, the tie factor on. Its `se_theta_l` is the
  // plug-in √(σ_CL²/σ_L⁴/n) evaluated at θ = 0 — the standard-error formula of the adjusted
  // estimate, but at the null rather than at the estimate.
  @Test("lung, age: U_L, σ_L², U_CL, σ_CL², se at θ = 0 match RobinCar2's snapshot")
  func robinCar2Snapshot() throws {
    let lung = Lung.shared
    #expect(lung.times.count == 228)
    let result = try CovariateAdjustedLogRank(
      times: lung.times, events: lung.events, treated: lung.male, covariates: [lung.age])
    #expect(result.subjects == 228)
    #expect(result.events == 165)
    #expect(relativeDifference(result.test.unadjusted, 0.0895537761860842) < 1e-10)
    #expect(relativeDifference(result.test.unadjustedVariance, 0.17706769289317) < 1e-10)
    #expect(relativeDifference(result.test.adjusted, 0.0851266162073163) < 1e-10)
    #expect(relativeDifference(result.test.adjustedVariance, 0.175748674116587) < 1e-10)
    #expect(relativeDifference(result.test.standardError, 0.156797551454514) < 1e-10)
    // The unadjusted part's own snapshot: se_theta_l = √(1/(n σ_L²)).
    #expect(relativeDifference(result.test.unadjustedStandardError, 0.15738484553678) < 1e-10)
    #expect(relativeDifference(result.varianceRatio, 0.175748674116587 / 0.17706769289317) < 1e-10)
  }

  @Test("lung: the unadjusted z² is survdiff's χ² (R survival 3.5.3) and our LogRankTest's")
  func unadjustedZIsLogRank() throws {
    let lung = Lung.shared
    let result = try CovariateAdjustedLogRank(
      times: lung.times, events: lung.events, treated: lung.male, covariates: [lung.age])
    // survdiff(Surv(time, status) ~ sex, lung)$chisq, printed to 15 digits.
    let z2 = result.unadjustedZ * result.unadjustedZ
    #expect(relativeDifference(z2, 10.3267419548856) < 1e-10)
    let logRank = try LogRankTest(
      SurvivalData(times: lung.times, events: lung.events), group: lung.male.map { $0 ? 1 : 0 })
    #expect(relativeDifference(z2, logRank.chiSquare.statistic) < 1e-12)
    #expect(result.unadjustedZ > 0)  // men: more deaths than expected
    #expect(relativeDifference(result.unadjustedPValue, logRank.chiSquare.pValue) < 1e-9)
    // z_CL = √n U_CL/σ_CL from the snapshot's values: 3.06610317830763.
    #expect(relativeDifference(result.adjustedZ, 3.06610317830763) < 1e-10)
  }

  @Test("lung: the unadjusted estimate is coxph's Breslow log HR and model se (R survival 3.5.3)")
  func unadjustedEstimateIsBreslowCox() throws {
    let lung = Lung.shared
    let result = try CovariateAdjustedLogRank(
      times: lung.times, events: lung.events, treated: lung.male, covariates: [lung.age])
    let estimate = try #require(result.estimate)
    // coxph(Surv(time, status) ~ sex, ties = "breslow"), sex Male vs Female; coxph stops at its
    // default eps = 1e-9 on the log-likelihood, so agreement is limited to about 1e-8 in β.
    #expect(relativeDifference(estimate.unadjustedLogHazardRatio, 0.530396574509336) < 2e-8)
    #expect(relativeDifference(estimate.unadjustedStandardError, 0.167180837385788) < 2e-8)
  }

  // Weaker provenance than the snapshot: RobinCar2's R functions (survival_score.R,
  // survival_cov_adj.R, survival.R @ 43ba7c1, argument checks removed) transcribed and run in
  // R with survival 3.5.3, the estimation flow of `robin_surv_comparison`, `uniroot` with
  // tol = 1e-13 instead of its default (≈ 1.2e-4). RobinCar2 as shipped agrees to ~1e-4.
  @Test("lung, age: adjusted estimate and se as RobinCar2's estimation flow gives them")
  func adjustedEstimate() throws {
    let lung = Lung.shared
    let result = try CovariateAdjustedLogRank(
      times: lung.times, events: lung.events, treated: lung.male, covariates: [lung.age])
    let estimate = try #require(result.estimate)
    #expect(relativeDifference(estimate.unadjustedLogHazardRatio, 0.530396576882689) < 1e-9)
    #expect(relativeDifference(estimate.unadjustedStandardError, 0.167180837455813) < 1e-9)
    #expect(relativeDifference(estimate.logHazardRatio, 0.501591430051463) < 1e-9)
    #expect(relativeDifference(estimate.standardError, 0.165617581381391) < 1e-9)
    #expect(relativeDifference(estimate.score.adjustedVariance, 0.157111188467527) < 1e-9)
    #expect(relativeDifference(estimate.score.unadjustedVariance, 0.158500156494219) < 1e-9)
    #expect(abs(estimate.score.adjusted) < 1e-12)
  }

  @Test("lung, age and (age − 60)²: two covariates as the transcribed RobinCar2 code gives them")
  func twoCovariates() throws {
    // Same provenance as `adjustedEstimate`: h_lr_score_cov(0, ..., model = ~age + age2).
    let lung = Lung.shared
    let age2 = lung.age.map { ($0 - 60) * ($0 - 60) }
    let result = try CovariateAdjustedLogRank(
      times: lung.times, events: lung.events, treated: lung.male, covariates: [lung.age, age2])
    #expect(relativeDifference(result.test.adjusted, 0.0855485928414602) < 1e-10)
    #expect(relativeDifference(result.test.adjustedVariance, 0.175873439575673) < 1e-10)
    #expect(relativeDifference(result.test.standardError, 0.156853197529373) < 1e-10)
    #expect(relativeDifference(result.controlCoefficients[1], -0.000254672905406336) < 1e-9)
    #expect(relativeDifference(result.treatedCoefficients[1], 0.000188811497544661) < 1e-9)
    let estimate = try #require(result.estimate)
    #expect(relativeDifference(estimate.logHazardRatio, 0.505091241689296) < 1e-9)
    #expect(relativeDifference(estimate.standardError, 0.165783083865103) < 1e-9)
  }

  @Test("swapping the arms flips the scores' signs and keeps the variances (the other sex coding)")
  func swappedArms() throws {
    let lung = Lung.shared
    let male = try CovariateAdjustedLogRank(
      times: lung.times, events: lung.events, treated: lung.male, covariates: [lung.age])
    let female = try CovariateAdjustedLogRank(
      times: lung.times, events: lung.events, treated: lung.male.map { !$0 }, covariates: [lung.age])
    #expect(relativeDifference(female.test.unadjusted, -male.test.unadjusted) < 1e-12)
    #expect(relativeDifference(female.test.adjusted, -male.test.adjusted) < 1e-10)
    #expect(relativeDifference(female.test.adjustedVariance, male.test.adjustedVariance) < 1e-10)
    #expect(relativeDifference(female.test.standardError, male.test.standardError) < 1e-10)
    let (m, f) = (try #require(male.estimate), try #require(female.estimate))
    #expect(relativeDifference(f.logHazardRatio, -m.logHazardRatio) < 1e-9)
  }

  @Test("score(at:) reproduces h_lr_score_cov with theta_hat and without the tie factor", .tags(.unit))
  func scoreAtOtherTheta() throws {
    // The snapshot "h_lr_score_cov works as expected when not using ties factor": θ = 0, no tie
    // factor: U_CL unchanged, σ_CL² = 0.176209700432439, se = 0.156595350460101.
    let lung = Lung.shared
    let result = try CovariateAdjustedLogRank(
      times: lung.times, events: lung.events, treated: lung.male, covariates: [lung.age])
    let noTies = try result.score(at: 0, tiesFactor: false)
    #expect(relativeDifference(noTies.adjusted, 0.0851266162073163) < 1e-10)
    #expect(relativeDifference(noTies.adjustedVariance, 0.176209700432439) < 1e-10)
    #expect(relativeDifference(noTies.standardError, 0.156595350460101) < 1e-10)
    // And at the test's own arguments it is the test.
    #expect(try result.score(at: 0) == result.test)
  }
}

@Suite("Covariate-adjusted log-rank: properties and errors", .tags(.unit))
struct CovariateAdjustedLogRankPropertyTests {
  @Test("a covariate independent of everything leaves the test nearly unchanged")
  func independentCovariate() throws {
    // Seed 20240611: a standard-normal column drawn without looking at the data. Under
    // independence the adjustment moves z by about the sample correlation of O with X, of
    // order 1/√n ≈ 0.07, and the variance ratio is 1 − O(1/n); the bounds are ~3 SD.
    let lung = Lung.shared
    let rng = GSLRandomSource(seed: 20_240_611)
    let noise = lung.times.map { _ in rng.normal() }
    let result = try CovariateAdjustedLogRank(
      times: lung.times, events: lung.events, treated: lung.male, covariates: [noise])
    #expect(abs(result.adjustedZ - result.unadjustedZ) < 0.2, "seed 20240611")
    #expect(result.varianceRatio > 0.97 && result.varianceRatio <= 1, "seed 20240611")
    let estimate = try #require(result.estimate)
    #expect(abs(estimate.logHazardRatio - estimate.unadjustedLogHazardRatio) < 0.03, "seed 20240611")
  }

  @Test("no covariates: the adjusted statistics are the unadjusted ones")
  func noCovariates() throws {
    let lung = Lung.shared
    let result = try CovariateAdjustedLogRank(
      times: lung.times, events: lung.events, treated: lung.male, covariates: [])
    #expect(result.test.adjusted == result.test.unadjusted)
    #expect(result.varianceRatio == 1)
    let estimate = try #require(result.estimate)
    #expect(estimate.logHazardRatio == estimate.unadjustedLogHazardRatio)
  }

  @Test("an affine change of the covariate changes nothing")
  func affineInvariance() throws {
    let lung = Lung.shared
    let a = try CovariateAdjustedLogRank(
      times: lung.times, events: lung.events, treated: lung.male, covariates: [lung.age])
    let b = try CovariateAdjustedLogRank(
      times: lung.times, events: lung.events, treated: lung.male, covariates: [lung.age.map { 5 - 0.01 * $0 }])
    #expect(relativeDifference(b.test.adjusted, a.test.adjusted) < 1e-12)
    #expect(relativeDifference(b.test.adjustedVariance, a.test.adjustedVariance) < 1e-12)
  }

  @Test("the derived outcomes, by the O(n·K) definition, give the same β as the prefix sums")
  func derivedOutcomeNaive() throws {
    // A naive second implementation of O_i (RobinCar2's loop over subjects × event times, with
    // tied times) and of the single-covariate slope, at θ = 0.3.
    let times: [Double] = [5, 3, 3, 8, 1, 9, 3, 6, 6, 2, 7, 4, 10, 4]
    let events = [true, true, true, false, true, true, false, true, true, false, true, true, false, true]
    let treated = [true, false, true, true, false, false, true, false, true, true, false, false, true, false]
    let x: [Double] = [1.2, -0.5, 0.3, 2.2, -1.1, 0.8, 0.0, 1.7, -0.9, 0.4, -2.0, 1.1, 0.6, -0.3]
    let theta = 0.3
    let e = exp(theta)
    let n = Double(times.count)
    let eventTimes = Array(Set(zip(times, events).filter(\.1).map(\.0))).sorted()
    var outcome = [Double](repeating: 0, count: times.count)
    for i in times.indices {
      for t in eventTimes {
        let y1 = e * Double(times.indices.filter { treated[$0] && times[$0] >= t }.count) / n
        let y0 = Double(times.indices.filter { !treated[$0] && times[$0] >= t }.count) / n
        let d = Double(times.indices.filter { events[$0] && times[$0] == t }.count) / n
        let w = (treated[i] ? y0 : y1) / (y0 + y1)
        let dN: Double = events[i] && times[i] == t ? 1 : 0
        let y: Double = times[i] >= t ? (treated[i] ? e : 1) : 0
        outcome[i] += w * (dN - y * d / (y0 + y1))
      }
    }
    func slope(_ arm: Bool) -> Double {
      let members = times.indices.filter { treated[$0] == arm }
      let mx = members.reduce(0) { $0 + x[$1] } / Double(members.count)
      let sxy = members.reduce(0) { $0 + (x[$1] - mx) * outcome[$1] }
      let sxx = members.reduce(0) { $0 + (x[$1] - mx) * (x[$1] - mx) }
      return sxy / sxx
    }
    let result = try CovariateAdjustedLogRank(times: times, events: events, treated: treated, covariates: [x])
    let score = try result.score(at: theta)
    // Rebuild U_CL − U_L from the naive β's.
    let (b0, b1) = (slope(false), slope(true))
    let mean = x.reduce(0, +) / n
    let shift = times.indices.reduce(0.0) { $0 + (treated[$1] ? b1 : -b0) * (x[$1] - mean) } / n
    #expect(abs((score.unadjusted - score.adjusted) - shift) < 1e-14)
  }

  @Test("every event in one arm: the test is defined, the estimate is not")
  func noFiniteEstimate() throws {
    let times: [Double] = [1, 2, 3, 4, 5, 6, 7, 8]
    let events = [true, true, true, false, false, false, false, false]
    let treated = [true, true, true, true, false, false, false, false]
    let result = try CovariateAdjustedLogRank(
      times: times, events: events, treated: treated, covariates: [[1, 4, 2, 3, 2, 5, 1, 3]])
    #expect(result.unadjustedZ > 0)
    #expect(result.estimate == nil)
  }

  @Test("errors are thrown, not trapped")
  func errors() {
    let times: [Double] = [1, 2, 3, 4, 5, 6]
    let events = [true, false, true, true, false, true]
    let treated = [true, false, true, false, true, false]
    let x: [Double] = [0.5, 1.0, -0.2, 0.7, 1.3, -0.4]
    typealias E = CovariateAdjustedLogRankError
    #expect(throws: E.noSubjects) {
      try CovariateAdjustedLogRank(times: [], events: [], treated: [], covariates: [])
    }
    #expect(throws: E.noEvents) {
      try CovariateAdjustedLogRank(times: times, events: events.map { _ in false }, treated: treated, covariates: [x])
    }
    #expect(throws: E.emptyArm(treated: true)) {
      try CovariateAdjustedLogRank(times: times, events: events, treated: treated.map { _ in false }, covariates: [x])
    }
    #expect(throws: E.emptyArm(treated: false)) {
      try CovariateAdjustedLogRank(times: times, events: events, treated: treated.map { _ in true }, covariates: [x])
    }
    #expect(throws: E.constantCovariate(index: 1)) {
      try CovariateAdjustedLogRank(
        times: times, events: events, treated: treated, covariates: [x, [0.1, 0.1, 0.1, 0.1, 0.1, 0.1]])
    }
    // Constant within the control arm only (it varies overall, so Cov(X) is fine).
    #expect(throws: E.singularCovariates(treated: false)) {
      try CovariateAdjustedLogRank(times: times, events: events, treated: treated, covariates: [[1, 7, 2, 7, 3, 7]])
    }
    // Two collinear columns.
    #expect(throws: E.singularCovariates(treated: true)) {
      try CovariateAdjustedLogRank(
        times: times, events: events, treated: treated, covariates: [x, x.map { 3 * $0 - 1 }])
    }
    #expect(throws: E.self) {
      try CovariateAdjustedLogRank(times: [1, -2], events: [true, true], treated: [true, false], covariates: [])
    }
    #expect(throws: E.self) {
      try CovariateAdjustedLogRank(times: times, events: events, treated: treated, covariates: [x.map { _ in .nan }])
    }
    // Controls all censored before the only events, which are in the treated arm.
    #expect(throws: E.noComparableEvents) {
      try CovariateAdjustedLogRank(
        times: [1, 2, 5, 6], events: [false, false, true, true], treated: [false, false, true, true], covariates: [])
    }
    // SurvivalData with strata is refused.
    #expect(throws: E.self) {
      try CovariateAdjustedLogRank(
        SurvivalData(times: times, events: events, covariateColumns: [x], strata: [0, 0, 0, 1, 1, 1]), treated: treated)
    }
  }
}
