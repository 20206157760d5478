// MCMCFixtureTests.swift — our posterior probabilities against an independent MCMC fit of the
// same models: Stan (rstan 2.21.7) run once by Scripts/mcmc/run-fixtures.R, stored with versions,
// seeds and diagnostics in Tests/Fixtures/mcmc-borrowing.json (CI reads the stored output; no Stan
// in CI). The fixture also holds the script's own deterministic quadrature in R, a second
// independent check at a tighter tolerance.

import Foundation
import GSL
import TestSupport
import Testing

@testable import Simulation

private struct MCMCFixture: Decodable {
  struct Set: Decodable {
    var id: String
    var d_c: [Double], E_c: [Double], d_t: [Double], E_t: [Double]
    var d_e: [Double]?, E_e: [Double]?
    var a0: Double?, a_init: Double?, b_init: Double?
    var tau_shape: Double?, tau_rate: Double?
    var a_inf: Double?, b_inf: Double?, a_vag: Double?, b_vag: Double?, w_vague: Double?
    var p_mcmc: Double
    var p_mcmc_mcse: Double
    var rhat_max: Double
    var p_quadrature: Double?

    var statistics: TrialStatistics {
      TrialStatistics(
        experimental: EventsExposure(events: d_t, exposure: E_t), control: EventsExposure(events: d_c, exposure: E_c),
        external: EventsExposure(events: d_e ?? d_c.map { _ in 0 }, exposure: E_e ?? E_c.map { _ in 0 }))
    }
  }
  var power_prior: [Set]
  var commensurate: [Set]
  var robust_mixture: [Set]
}

@Suite("Posterior probabilities against Stan (stored fixture)", .tags(.validation))
struct MCMCFixtureTests {
  private let fixture: MCMCFixture = try! JSONDecoder().decode(
    MCMCFixture.self, from: Data(contentsOf: URL(fileURLWithPath: Fixtures.fixturePath("mcmc-borrowing.json"))))
  private let rule = GaussLegendre(points: 64)

  @Test("power prior: within 0.01 of MCMC and 1e-6 of the R quadrature on every set (≥ 5, J = 1 to 4)")
  func powerPrior() throws {
    #expect(fixture.power_prior.count >= 5)
    for s in fixture.power_prior {
      #expect(s.rhat_max < 1.01 && s.p_mcmc_mcse < 0.002)
      let p = try HazardRatioPosterior(statistics: s.statistics, externalWeight: s.a0!, priorShape: s.a_init!, priorRate: s.b_init!)
        .summary(rule: rule).probabilityBelowZero
      #expect(abs(p - s.p_mcmc) < 0.01, "\(s.id): \(p) vs MCMC \(s.p_mcmc)")
      #expect(abs(p - s.p_quadrature!) < 1e-6, "\(s.id): \(p) vs quadrature \(s.p_quadrature!)")
    }
  }

  @Test("commensurate (τ ~ Gamma(0.001, 0.001), normal approximation): within 0.01 of MCMC on every set")
  func commensurate() throws {
    #expect(fixture.commensurate.count >= 5)
    for s in fixture.commensurate {
      #expect(s.rhat_max < 1.01)
      let (post, _) = try Commensurate.posterior(statistics: s.statistics, prior: .gamma(shape: s.tau_shape!, rate: s.tau_rate!))
      #expect(abs(post.probabilityBelowZero - s.p_mcmc) < 0.01, "\(s.id): \(post.probabilityBelowZero) vs MCMC \(s.p_mcmc)")
    }
  }

  @Test("robust mixture: within 0.01 of MCMC and 1e-6 of the closed form on every set")
  func robustMixture() throws {
    #expect(fixture.robust_mixture.count >= 5)
    for s in fixture.robust_mixture {
      let w = s.w_vague!
      let post = try GammaMixture.posterior(
        prior: [(1 - w, GammaComponent(shape: [s.a_inf!], rate: [s.b_inf!])), (w, GammaComponent(shape: [s.a_vag!], rate: [s.b_vag!]))],
        control: s.statistics.control, experimental: s.statistics.experimental,
        baseline: GammaComponent(shape: [0.001], rate: [0.001]), rule: rule)
      #expect(abs(post.summary.probabilityBelowZero - s.p_mcmc) < 0.01, "\(s.id): vs MCMC \(s.p_mcmc)")
      #expect(abs(post.summary.probabilityBelowZero - s.p_quadrature!) < 1e-6, "\(s.id): vs closed form \(s.p_quadrature!)")
    }
  }
}
