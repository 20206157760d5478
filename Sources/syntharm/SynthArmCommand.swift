// SynthArmCommand.swift — the root of the `syntharm` command tree. Holds only the tree.

import ArgumentParser

@main
struct SynthArmCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "syntharm",
    abstract: "Synthetic control arms for cancer trials: survival statistics, simulation and audit.",
    discussion: """
      Start with `syntharm compare-arms` to summarise a randomised survival trial the way R's \
      survival package does (Kaplan–Meier, log-rank, Cox).
      """,
    version: SynthArmVersion.current,
    subcommands: [CompareArms.self, Validate.self, Generate.self, Audit.self, Run.self, Merge.self, Report.self])
}

enum SynthArmVersion {
  static let current = "0.3.0"
}
