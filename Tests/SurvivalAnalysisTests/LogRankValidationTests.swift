// LogRankValidationTests.swift — the log-rank test against R survival 3.5.3 `survdiff`.

import CohortData
import SurvivalAnalysis
import TestSupport
import Testing

@Suite("Log-rank against R survival::survdiff", .tags(.validation))
struct LogRankValidationTests {
  @Test("chi-square, observed and expected per group", arguments: ["colon_os", "veteran"])
  func matchesR(_ dataset: String) throws {
    let ref = Fixtures.reference.clinical[dataset]!.logrank
    let frame = try ReferenceModels.frame(dataset: dataset, multivariable: false)
    // Group index from the treatment indicators: 0 = reference, j = the j-th indicator.
    let group = (0..<frame.data.count).map { i in
      (frame.data.covariates.firstIndex { $0[i] == 1 }).map { $0 + 1 } ?? 0
    }
    let test = try LogRankTest(frame.data, group: group)
    #expect(relativeDifference(test.chiSquare.statistic, ref.chisq) < 1e-9)
    #expect(test.chiSquare.degreesOfFreedom == ref.df)
    #expect(relativeDifference(test.chiSquare.pValue, ref.p) < 1e-7)
    for (g, refGroup) in ref.groups.enumerated() {
      #expect(test.subjects[g] == refGroup.n)
      #expect(test.observed[g] == refGroup.observed)
      #expect(relativeDifference(test.expected[g], refGroup.expected) < 1e-12, "\(refGroup.group)")
    }
  }

  @Test("stratified: strata that are copies of one data set double O, E and V, so χ² doubles")
  func stratifiedCopies() throws {
    // A closed-form consequence of summing O, E and V over strata.
    let frame = try ReferenceModels.veteranUnivariable()
    let group = frame.data.covariates[0].map { Int($0) }
    let single = try LogRankTest(frame.data, group: group)
    let doubled = SurvivalData(times: frame.data.times + frame.data.times, events: frame.data.events + frame.data.events)
    let strata = [Int](repeating: 0, count: frame.data.count) + [Int](repeating: 1, count: frame.data.count)
    let stratified = try LogRankTest(doubled, group: group + group, strata: strata)
    #expect(relativeDifference(stratified.chiSquare.statistic, 2 * single.chiSquare.statistic) < 1e-12)
    #expect(relativeDifference(stratified.expected[0], 2 * single.expected[0]) < 1e-12)
  }

  @Test("one binary covariate: the Cox score test equals the log-rank test without ties (Breslow)")
  func scoreEqualsLogRankWithoutTies() throws {
    // Untied times: Cox's score statistic at β = 0 is exactly the log-rank statistic.
    let times: [Double] = [3, 5, 7, 2, 18, 16, 4, 9, 21, 1, 11, 14]
    let events = [true, true, false, true, true, true, false, true, true, true, false, true]
    let arm: [Double] = [0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1]
    let data = SurvivalData(times: times, events: events, covariateColumns: [arm])
    let cox = try CoxModel(ties: .breslow).fit(data)
    let lr = try LogRankTest(data, group: arm.map { Int($0) })
    #expect(relativeDifference(cox.scoreTest.statistic, lr.chiSquare.statistic) < 1e-12)
  }
}
