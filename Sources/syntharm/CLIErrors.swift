// CLIErrors.swift — one error style for every subcommand:
//   error: file:line:column: message      (a located problem in an input file)
//   error: message                         (anything else)
//   warning: message
// A problem with the files or the data exits 1 without the usage text; only a mistake on the
// command line itself (argument-parser's parse and validation errors) prints the usage and
// exits 64. File errors are told in plain words with their path.

import ArgumentParser
import Foundation
import Reporting
import Runs
import TrialSpec

/// A failure of a command that is not a mistake on the command line: printed as
/// `error: <description>`, exit status 1, no usage text.
struct CLIError: Error, CustomStringConvertible {
  var description: String
  init(_ description: String) { self.description = description }
}

enum CLIErrors {
  /// Prints `error` in the one style and exits with its status.
  static func exit(with error: any Error) -> Never {
    switch error {
    case let e as SpecErrors:
      for one in e.errors { printError("error: \(one.description)") }
      Foundation.exit(ExitCode.failure.rawValue)
    case let e as ExitCode:
      Foundation.exit(e.rawValue)
    case is CLIError, is FileWriteError, is SweepFolderError, is RunLockError, is RunSetupError, is GeneratorSelectionError:
      printError("error: \(error)")
      Foundation.exit(ExitCode.failure.rawValue)
    default:
      let code = SynthArmCommand.exitCode(for: error)
      var message = SynthArmCommand.fullMessage(for: error)
      if code == .success {
        print(message)
        Foundation.exit(code.rawValue)
      }
      if message.hasPrefix("Error: ") { message = "error: " + message.dropFirst("Error: ".count) }
      if !message.isEmpty { printError(message.hasSuffix("\n") ? String(message.dropLast()) : message) }
      Foundation.exit(code.rawValue)
    }
  }
}

func printError(_ message: String) {
  FileHandle.standardError.write(Data((message + "\n").utf8))
}

func printWarning(_ message: String) {
  printError("warning: " + message)
}

/// Writes `text` to `path` atomically, only over a regular file or nothing
/// (``AtomicFile/write(_:to:)``); a refusal or a file error is a ``CLIError`` (exit 1).
func writeAtomically(_ text: String, to path: String) throws {
  do { try AtomicFile.write(text, to: path) } catch { throw CLIError(error.description) }
}

/// Throws a ``CLIError`` unless `path` is absent or a regular file, before any work is done.
func checkOutputTarget(_ path: String) throws {
  do { try AtomicFile.checkTarget(path) } catch { throw CLIError(error.description) }
}
