// SynthesisError.swift — why synthetic patients could not be generated.

/// A problem that stops generation: each message says what to change.
public enum SynthesisError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The protocol has no reference cohort or synthesis section.
  case notConfigured(String)
  /// Too little data to fit the generator or the outcome model.
  case notEnoughData(String)
  /// The attempt budget ran out before `requested` eligible patients were generated.
  case budgetExhausted(requested: Int, generated: Int, candidates: Int)
  /// A fit failed numerically.
  case numerical(String)

  public var description: String {
    switch self {
    case .notConfigured(let why), .notEnoughData(let why), .numerical(let why): why
    case .budgetExhausted(let requested, let generated, let candidates):
      "only \(generated) of the \(requested) requested synthetic patients met the eligibility criteria and constraints "
        + "within the attempt budget of \(candidates) candidates (acceptance \(String(format: "%.2g", Double(generated) / Double(max(candidates, 1)))))"
        + "; the criteria select a region the reference cohort barely covers: check the support reported by `syntharm validate`, "
        + "relax the criteria, or raise --max-attempts"
    }
  }
}
