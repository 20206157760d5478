// TimeUnit.swift — the units durations and time-valued variables may carry.

/// A unit of time. Months and years are the average Julian month and year (365.25 days), the
/// convention of R survival's examples and of rpact's month-based designs.
public enum TimeUnit: String, Sendable, CaseIterable, Codable {
  case day, week, month, year

  /// Length in days.
  public var days: Double {
    switch self {
    case .day: 1
    case .week: 7
    case .month: 365.25 / 12
    case .year: 365.25
    }
  }

  /// `value` expressed in `target` units.
  public func convert(_ value: Double, to target: TimeUnit) -> Double {
    self == target ? value : value * days / target.days
  }

  /// Parses a unit word as the grammar allows: day|days|d, week|weeks|wk, month|months|mo,
  /// year|years|y.
  public init?(word: String) {
    switch word {
    case "day", "days", "d": self = .day
    case "week", "weeks", "wk": self = .week
    case "month", "months", "mo": self = .month
    case "year", "years", "y": self = .year
    default: return nil
    }
  }

  static let words = ["day", "days", "d", "week", "weeks", "wk", "month", "months", "mo", "year", "years", "y"]
}
