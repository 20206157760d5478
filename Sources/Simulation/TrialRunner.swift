// TrialRunner.swift — the engine's inner loop for one design and truth, on the calling thread.
//
// `MonteCarlo` spreads replicates over workers and aggregates them; this runs one worker's loop
// for callers that drive replicates themselves (the benchmarks count its heap allocations per
// trial). The streams, the generator refit and the analysis are the engine's, so replicate r
// here is replicate r of `MonteCarlo.run` for the same design and truth, bit for bit.

import GSL
import TrialSpec

/// Simulates trials of one design under one truth, one at a time, reusing one workspace.
public final class TrialRunner {
  let model: TrialModel
  let job: TrialJob
  let seeds: SeedSequence
  let cellIndex: Int
  let context: AnalysisContext
  let workspace = TrialWorkspace()

  /// - Parameters:
  ///   - designIndex: the design of `scenario.designs`.
  ///   - truthIndex: the (hazard ratio, drift) pair, hazard ratios first, as `MonteCarlo` numbers
  ///     them.
  ///   - generatorVariance: the generator's variance the borrowing analyses include (the engine
  ///     measures it per cell; 0 leaves it out).
  public init(
    model: TrialModel, scenario: Scenario, designIndex: Int, truthIndex: Int, cellIndex: Int = 0,
    generatorVariance: Double = 0
  ) {
    self.model = model
    let (hr, drift) = scenario.truthPairs[truthIndex]
    job = TrialJob(
      truthIndex: truthIndex, hazardRatio: hr, drift: drift, designIndex: designIndex,
      design: scenario.designs[designIndex])
    seeds = SeedSequence(masterSeed: scenario.seed)
    self.cellIndex = cellIndex
    context = MonteCarlo.context(model: model, borrowing: scenario.borrowing, generatorVariance: generatorVariance)
  }

  /// Replicate `r`: its own streams, its generator refit (designs with synthetic controls), the
  /// trial and its analysis.
  public func simulate(replicate r: Int) -> ReplicateResult {
    var generator: SharedGenerator? = nil
    if job.design.syntheticControls > 0 && model.hasSyntheticSource {
      let rng = seeds.makeRandomSource(UInt64(cellIndex), MonteCarlo.refitStream, UInt64(r))
      for _ in 0..<MonteCarlo.maximumRefitAttempts {
        if let g = try? model.generatorForReplicate(rng: rng) {
          generator = g
          break
        }
      }
      guard generator != nil else { return .failure(.generatorRefitFailed) }
    }
    workspace.streams.reseed(seeds, cell: cellIndex, truth: job.truthIndex, design: job.designIndex, replicate: r)
    return model.simulate(
      design: job.design, hazardRatio: job.hazardRatio, drift: job.drift, streams: workspace.streams,
      generator: generator, context: context, workspace: workspace)
  }
}
