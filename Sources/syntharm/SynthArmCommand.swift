// SynthArmCommand.swift — the root of the `syntharm` command tree. Holds the tree, and the one
// place where errors are printed (CLIErrors.swift): `error: …` on stderr, exit 1, and the usage
// text only for mistakes on the command line (exit 64).

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
    subcommands: [CompareArms.self, Validate.self, Generate.self, Audit.self, Run.self, Merge.self, Report.self, Mimic.self])

  /// Parses and runs the command; every error is printed by ``CLIErrors/exit(with:)``.
  static func main() {
    do {
      var command = try parseAsRoot()
      try command.run()
    } catch {
      CLIErrors.exit(with: error)
    }
  }
}

enum SynthArmVersion {
  static let current = "0.5.0"
}
