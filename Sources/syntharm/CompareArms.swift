// CompareArms.swift — `syntharm compare-arms`: Kaplan–Meier, log-rank and Cox for a trial CSV.
// Parses, calls SurvivalAnalysis, prints. No statistics here.

import ArgumentParser
import CohortData
import Foundation
import SurvivalAnalysis

extension SynthArmCommand {
  struct CompareArms: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Compare the arms of a randomised survival trial: Kaplan–Meier, log-rank and Cox.",
      discussion: """
        Example (the NCCTG colon trial, overall survival, times in days):
          syntharm compare-arms Data/colon_os.csv --arm rx --arms Obs,Lev,Lev+5FU --landmarks 365.25,1095.75,1826.25
        Rows with a missing time, event or arm are left out, as R's na.omit does.
        """)

    @Argument(help: "The cohort CSV (header row; empty field = missing).")
    var file: String

    @Option(help: "Follow-up time column.")
    var time = "time"

    @Option(help: "Event indicator column.")
    var event = "status"

    @Option(help: "Value of the event column that means the event happened.")
    var eventValue = 1.0

    @Option(help: "Treatment arm column.")
    var arm: String

    @Option(help: "Arm labels to compare, comma-separated, reference first (e.g. Obs,Lev,Lev+5FU).")
    var arms: String

    @Option(help: "Comma-separated times at which to report survival (in the CSV's time unit).")
    var landmarks: String = ""

    @Option(help: "Tie handling for the Cox model: efron (R's default) or breslow.")
    var ties: String = "efron"

    var armLevels: [String] { arms.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }

    func validate() throws {
      guard armLevels.count >= 2 else { throw ValidationError("--arms needs at least two labels, reference first.") }
      guard Set(armLevels).count == armLevels.count else { throw ValidationError("--arms lists a label twice.") }
      guard TieMethod(rawValue: ties) != nil else { throw ValidationError("--ties must be efron or breslow.") }
      for value in landmarkTimes where value == nil {
        throw ValidationError("--landmarks must be comma-separated numbers, got '\(landmarks)'.")
      }
    }

    var landmarkTimes: [Double?] {
      landmarks.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) }
    }

    func run() throws {
      let cohort = try Cohort(contentsOf: file)
      let comparison: ArmComparison
      do {
        comparison = try ArmComparison(
          cohort: cohort, time: time, event: event, eventValue: eventValue, arm: arm, levels: armLevels,
          landmarks: landmarkTimes.compactMap { $0 }, ties: TieMethod(rawValue: ties)!)
      } catch let error as SurvivalError {
        // The data's problem, not the command line's: name the file, exit 1.
        throw CompareArmsError(description: "\(file): \(error)")
      }
      print(
        ArmComparisonReport(
          comparison: comparison, file: file, time: time, event: event,
          eventValue: eventValue, arm: arm, ties: ties
        ).text)
    }
  }
}

/// A problem with the data of `compare-arms`, printed as `error: FILE: message` (exit status 1).
struct CompareArmsError: Error, CustomStringConvertible {
  var description: String
}
