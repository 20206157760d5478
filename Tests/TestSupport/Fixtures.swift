// Fixtures.swift — where tests find shipped data and frozen reference values.
//
// Tests read nothing outside the repository: the reference values they use were copied into Tests/Fixtures
// (provenance in Tests/Fixtures/README.md), and the cohorts live in Data/.

import Foundation

public enum Fixtures {
  /// The repository root, found from this file's path (Tests/TestSupport/Fixtures.swift).
  public static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

  /// Path of a shipped cohort, e.g. `dataPath("colon_os.csv")`.
  public static func dataPath(_ name: String) -> String {
    repositoryRoot.appendingPathComponent("Data").appendingPathComponent(name).path
  }

  /// Path of a file in Tests/Fixtures.
  public static func fixturePath(_ name: String) -> String {
    repositoryRoot.appendingPathComponent("Tests/Fixtures").appendingPathComponent(name).path
  }

  /// The R survival 3.5.3 / rpact 3.3.4 reference values (Tests/Fixtures/r-survival-rpact-reference.json).
  public static let reference: Reference = {
    let url = URL(fileURLWithPath: fixturePath("r-survival-rpact-reference.json"))
    do {
      let decoder = JSONDecoder()
      decoder.keyDecodingStrategy = .convertFromSnakeCase
      return try decoder.decode(Reference.self, from: Data(contentsOf: url))
    } catch {
      fatalError("cannot read reference fixture \(url.path): \(error)")
    }
  }()
}

/// |a − b| / max(|b|, tiny): the relative difference used for "within 1e-6 relative".
public func relativeDifference(_ a: Double, _ b: Double) -> Double {
  abs(a - b) / max(abs(b), 1e-300)
}

// MARK: - The reference file's shape (only the parts tests read)

public struct Reference: Decodable, Sendable {
  public var clinical: [String: Clinical]
  public var schoenfeldFormula: SchoenfeldBlock
  public var rpactSampleSizeGrid: GridBlock

  public struct Clinical: Decodable, Sendable {
    public var n: Int
    public var coxEfron: Cox
    public var coxBreslow: Cox
    public var multivariableEfron: Cox
    public var multivariableBreslow: Cox
    public var logrank: LogRank
    public var km: KM
  }

  public struct Cox: Decodable, Sendable {
    public var formula: String
    public var ties: String
    public var n: Int
    public var nevent: Int
    public var nMissingDropped: Int
    public var iterations: Int
    public var loglikNull: Double
    public var loglikFit: Double
    public var terms: [Term]
    public var lrTest: Test
    public var waldTest: Test
    public var scoreLogrankTest: Test
  }

  public struct Term: Decodable, Sendable {
    public var term: String
    public var coef: Double
    public var se: Double
    public var hr: Double
    public var hrLower95: Double
    public var hrUpper95: Double
    public var pWald: Double
  }

  public struct Test: Decodable, Sendable {
    public var chisq: Double
    public var df: Int
    public var p: Double
  }

  public struct LogRank: Decodable, Sendable {
    public var chisq: Double
    public var df: Int
    public var p: Double
    public var groups: [Group]
    public struct Group: Decodable, Sendable {
      public var group: String
      public var n: Int
      public var observed: Double
      public var expected: Double
    }
  }

  public struct KM: Decodable, Sendable {
    public var points: [Point]
    public var medians: [Median]
    public struct Point: Decodable, Sendable {
      public var arm: String
      public var timeDays: Double
      public var nRisk: Int
      public var surv: Double
      public var se: Double?
      public var lower95: Double?
      public var upper95: Double?
    }
    public struct Median: Decodable, Sendable {
      public var arm: String
      public var n: Int
      public var events: Int
      public var medianDays: Double?
      public var medianLower95: Double?
      public var medianUpper95: Double?
    }
  }

  public struct SchoenfeldBlock: Decodable, Sendable {
    public var rows: [Row]
    public struct Row: Decodable, Sendable {
      public var alphaTwoSided: Double
      public var power: Double
      public var hazardRatio: Double
      public var allocationTreatmentToControl: Double
      public var schoenfeldEvents: Double
      public var freedmanEvents: Double
    }
  }

  public struct GridBlock: Decodable, Sendable {
    public var designs: [Design]
    public struct Design: Decodable, Sendable {
      public var id: Int
      public var alphaTwoSided: Double
      public var targetPower: Double
      public var hazardRatio: Double
      public var allocationTreatmentToControl: Double
      public var medianControlMonths: Double
      public var lambdaControl: Double
      public var lambdaTreatment: Double
      public var accrualMonths: Double
      public var followupMonths: Double
      public var dropoutPerYearEachArm: Double
      public var eventsRequired: Double
      public var eventsRequiredCeiling: Int
      public var subjectsRequired: Double
      public var subjectsRequiredCeiling: Int
      public var powerAtCeilingsGetPowerSurvival: Double
      public var analysisTimeAtCeilingsMonths: Double

      // JSONDecoder's snake-case conversion lower-cases "getPowerSurvival" to "Getpowersurvival".
      enum CodingKeys: String, CodingKey {
        case id, alphaTwoSided, targetPower, hazardRatio, allocationTreatmentToControl
        case medianControlMonths, lambdaControl, lambdaTreatment, accrualMonths, followupMonths
        case dropoutPerYearEachArm, eventsRequired, eventsRequiredCeiling, subjectsRequired
        case subjectsRequiredCeiling, analysisTimeAtCeilingsMonths
        case powerAtCeilingsGetPowerSurvival = "powerAtCeilingsGetpowersurvival"
      }
    }
  }
}
