// Validate.swift — `syntharm validate FILE`: load a protocol or scenario, print a summary or
// every error. Parses, calls TrialSpec, prints.

import ArgumentParser
import Foundation
import TrialSpec

extension SynthArmCommand {
  struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Check a protocol or scenario file and summarise it (arms, design, variables, attrition).",
      discussion: """
        Every error of the file (and of the protocol and CSV it refers to) is printed with file, \
        line, column and key path; the exit status is then 1.
        """)

    @Argument(help: "A protocol or scenario YAML file.")
    var file: String

    @Option(help: "Output format: text or json.")
    var format: OutputFormat = .text

    enum OutputFormat: String, ExpressibleByArgument, CaseIterable { case text, json }

    func run() throws {
      do {
        if Scenario.isScenario(path: file) {
          let scenario = try Scenario.load(path: file)
          try report(scenario.trialProtocol.eligibilityFindings())
          let summary = ScenarioSummary(scenario)
          print(format == .json ? try json(summary) : SummaryText.scenario(summary))
        } else {
          let trialProtocol = try TrialProtocol.load(path: file)
          try report(trialProtocol.eligibilityFindings())
          let summary = ProtocolSummary(trialProtocol)
          print(format == .json ? try json(summary) : SummaryText.protocolText(summary))
        }
      } catch let errors as SpecErrors {
        if format == .json { print(try json(ErrorReport(errors: errors.errors))) }
        for error in errors.errors { printError("error: \(error.description)") }
        FileHandle.standardError.write(Data("\(errors.errors.count) error\(errors.errors.count == 1 ? "" : "s") in \(file)\n".utf8))
        throw ExitCode.failure
      }
    }

    /// Prints each warning as `warning: file:line:column: key: message` on stderr; throws the
    /// errors (no eligible patient, none meeting the constraints) as a failed validation.
    private func report(_ findings: ProtocolFindings) throws {
      for warning in findings.warnings {
        FileHandle.standardError.write(Data("warning: \(warning.description)\n".utf8))
      }
      if !findings.errors.isEmpty { throw SpecErrors(findings.errors) }
    }

    /// The JSON shape of a failed validation.
    struct ErrorReport: Encodable {
      struct Entry: Encodable {
        var file: String, line: Int?, column: Int?, keyPath: String, message: String
      }
      var valid = false
      var errors: [Entry]
      init(errors: [SpecError]) {
        self.errors = errors.map { Entry(file: $0.file, line: $0.line, column: $0.column, keyPath: $0.keyPath, message: $0.message) }
      }
    }

    private func json<T: Encodable>(_ value: T) throws -> String {
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
      encoder.keyEncodingStrategy = .convertToSnakeCase
      return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
  }
}
