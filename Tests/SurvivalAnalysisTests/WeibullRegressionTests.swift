// WeibullRegressionTests.swift — Weibull PH regression: closed forms and seeded simulation.

import CohortData
import Foundation
import GSL
import SurvivalAnalysis
import TestSupport
import Testing

@Suite("Weibull PH regression")
struct WeibullRegressionTests {
  @Test("exponential special case: rate = events / total time, ℓ = D log λ − λT", .tags(.validation))
  func exponentialClosedForm() throws {
    let data = try ReferenceModels.veteranUnivariable().data
    let fit = try WeibullRegression.fit(SurvivalData(times: data.times, events: data.events), fixedShape: 1)
    let d = Double(data.eventCount)
    let total = data.times.reduce(0, +)
    #expect(relativeDifference(1 / fit.scale, d / total) < 1e-8)
    #expect(relativeDifference(fit.logLikelihood, d * log(d / total) - d) < 1e-10)
    // SE of log λ is 1/√D (Fisher information D), so SE(scale) = scale/√D.
    #expect(relativeDifference(fit.scaleStandardError, fit.scale / d.squareRoot()) < 1e-6)
  }

  @Test("exponential with a binary covariate: β = log of the ratio of the group rates", .tags(.validation))
  func exponentialTwoGroups() throws {
    let data = try ReferenceModels.veteranUnivariable().data
    let fit = try WeibullRegression.fit(data, fixedShape: 1)
    func rate(_ g: Double) -> Double {
      let i = data.covariates[0].indices.filter { data.covariates[0][$0] == g }
      return Double(i.filter { data.events[$0] }.count) / i.reduce(0) { $0 + data.times[$1] }
    }
    #expect(abs(fit.coefficients[0] - log(rate(1) / rate(0))) < 1e-7)
    #expect(relativeDifference(1 / fit.scale, rate(0)) < 1e-7)
  }

  @Test("a seeded simulation recovers shape, scale and β within 4 SE", .tags(.statistical))
  func recoversTruth() throws {
    let shape = 1.4
    let scale = 20.0
    let beta = [0.5, -0.3]
    let rng = SeedSequence(masterSeed: 20_261_125).makeRandomSource(1)
    let n = 4_000
    var times: [Double] = []
    var events: [Bool] = []
    var x1: [Double] = []
    var x2: [Double] = []
    for _ in 0..<n {
      let a = Double(rng.uniformInt(below: 2))
      let b = rng.normal()
      // T = λ (−log U · e^{−xβ})^{1/k}; independent uniform censoring on (0, 60).
      let t = scale * pow(-log(rng.uniformPositive()) * exp(-(beta[0] * a + beta[1] * b)), 1 / shape)
      let c = 60 * rng.uniform()
      times.append(min(t, c))
      events.append(t <= c)
      x1.append(a)
      x2.append(b)
    }
    let fit = try WeibullRegression.fit(SurvivalData(times: times, events: events, covariateColumns: [x1, x2]))
    #expect(fit.converged)
    #expect(abs(fit.shape - shape) < 4 * fit.shapeStandardError, "shape \(fit.shape) ± \(fit.shapeStandardError)")
    #expect(abs(fit.scale - scale) < 4 * fit.scaleStandardError, "scale \(fit.scale) ± \(fit.scaleStandardError)")
    for j in 0..<2 {
      #expect(abs(fit.coefficients[j] - beta[j]) < 4 * fit.coefficientStandardErrors[j], "β\(j)")
    }
    // The PH coefficients agree with a Cox fit of the same data (both estimate β).
    let cox = try CoxModel().fit(SurvivalData(times: times, events: events, covariateColumns: [x1, x2]))
    for j in 0..<2 { #expect(abs(fit.coefficients[j] - cox.coefficients[j]) < 2 * cox.standardErrors[j]) }
  }

  @Test("a fit without its covariance has the same estimates, and says it has no variance", .tags(.regression))
  func withoutVariance() throws {
    let data = try ReferenceModels.veteranUnivariable().data
    let full = try WeibullRegression.fit(data)
    let bare = try WeibullRegression.fit(data, start: full.survregParameters, variance: false)
    let warm = try WeibullRegression.fit(data, start: full.survregParameters)
    #expect(bare.survregParameters == warm.survregParameters)
    #expect(bare.logLikelihood == warm.logLikelihood)
    #expect(bare.survregVariance.allSatisfy { $0.isNaN } && bare.survregVariance.count == warm.survregVariance.count)
    #expect(warm.survregVariance.allSatisfy { $0.isFinite })
  }

  @Test("survival and quantile are inverse; S(λ) = e⁻¹ at x = 0", .tags(.unit))
  func inverse() throws {
    let data = try ReferenceModels.veteranUnivariable().data
    let fit = try WeibullRegression.fit(data)
    #expect(abs(fit.survival(at: fit.scale, covariates: [0]) - exp(-1)) < 1e-12)
    for s in [0.9, 0.5, 0.1] {
      #expect(abs(fit.survival(at: fit.quantile(survival: s, covariates: [1]), covariates: [1]) - s) < 1e-12)
    }
  }

  @Test("no events or non-positive times are errors", .tags(.unit))
  func errors() {
    #expect(throws: SurvivalError.noEvents) {
      try WeibullRegression.fit(SurvivalData(times: [1, 2], events: [false, false]))
    }
    #expect(throws: SurvivalError.self) { try WeibullRegression.fit(SurvivalData(times: [0, 2], events: [true, true])) }
  }
}

/// R survival's `survreg(dist = "weibull")` on the shipped cohorts
/// (Tests/Fixtures/survreg-weibull-reference.json, written by the R script beside it).
struct SurvregReference: Decodable {
  struct Model: Decodable {
    var parameters: [Double]
    var variance_row_major: [Double]
    var loglik: Double
    var n: Int
  }
  var models: [String: Model]

  static let loaded: SurvregReference = {
    let url = URL(fileURLWithPath: Fixtures.fixturePath("survreg-weibull-reference.json"))
    do { return try JSONDecoder().decode(SurvregReference.self, from: Data(contentsOf: url)) } catch {
      fatalError("cannot read \(url.path): \(error)")
    }
  }()
}

@Suite("Weibull regression against R survreg", .tags(.validation))
struct WeibullSurvregTests {
  @Test("multivariable fits: estimates 1e-6, covariance 1e-5, log-likelihood 1e-9 (relative)", arguments: ["colon_os", "veteran"])
  func againstSurvreg(_ dataset: String) throws {
    let r = try #require(SurvregReference.loaded.models[dataset])
    let frame = try ReferenceModels.frame(dataset: dataset, multivariable: true)
    #expect(frame.data.count == r.n)
    let fit = try WeibullRegression.fit(frame.data)
    #expect(fit.converged)
    #expect(relativeDifference(fit.logLikelihood, r.loglik) < 1e-9)
    for (a, b) in zip(fit.survregParameters, r.parameters) { #expect(abs(a - b) < 1e-6 * max(abs(b), 1e-2), "\(a) vs \(b)") }
    #expect(fit.survregVariance.count == r.variance_row_major.count)
    for (a, b) in zip(fit.survregVariance, r.variance_row_major) {
      #expect(abs(a - b) < 1e-5 * max(abs(b), 1e-4), "\(a) vs \(b)")
    }
  }
}

@Suite("Weibull: Newton and the BFGS2 fallback agree", .tags(.doubleProgramming))
struct WeibullOptimizerTests {
  @Test("veteran ~ trt + karno: the same MLE from Newton alone and from BFGS2 then Newton")
  func samePoint() throws {
    let frame = try ModelFrame(
      cohort: ReferenceModels.veteran, time: "time", event: "status",
      terms: [.factor("trt", levels: ["1", "2"]), .numeric("karno")])
    let newton = try WeibullRegression.fit(frame.data)
    let bfgs = try WeibullRegression.fit(frame.data, useBFGS: true)
    #expect(newton.converged && bfgs.converged)
    #expect(bfgs.iterations > 0 && newton.iterations == 0)
    for (a, b) in zip(newton.survregParameters, bfgs.survregParameters) { #expect(abs(a - b) < 1e-8) }
    #expect(abs(newton.logLikelihood - bfgs.logLikelihood) < 1e-9)
  }
}
