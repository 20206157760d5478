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
          let summary = ScenarioSummary(try Scenario.load(path: file))
          print(format == .json ? try json(summary) : SummaryText.scenario(summary))
        } else {
          let summary = ProtocolSummary(try TrialProtocol.load(path: file))
          print(format == .json ? try json(summary) : SummaryText.protocolText(summary))
        }
      } catch let errors as SpecErrors {
        if format == .json {
          let list = errors.errors.map { e in
            ["file": e.file, "line": e.line.map(String.init) ?? "", "column": e.column.map(String.init) ?? "",
             "key_path": e.keyPath, "message": e.message]
          }
          print(try json(["valid": "false"]).dropLast() + ",\n  \"errors\": " + (try json(list)) + "\n}")
        }
        FileHandle.standardError.write(Data((errors.description + "\n").utf8))
        FileHandle.standardError.write(Data("\(errors.errors.count) error\(errors.errors.count == 1 ? "" : "s") in \(file)\n".utf8))
        throw ExitCode.failure
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
