// Report.swift — `syntharm report DIR`: one self-contained HTML page from a run's stored cells.
// Parses, calls Reporting, writes; the page itself is built by `HTMLReport`.

import ArgumentParser
import Foundation
import Reporting

extension SynthArmCommand {
  struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Write a run's results as one HTML page: eligibility, audit, operating characteristics, savings.",
      discussion: """
        Reads the finished cells in DIR/cells (the --output of `syntharm run`) and writes one \\
        self-contained HTML file (inline charts, no scripts, nothing fetched from the network) \\
        that any browser opens offline. Fails, writing nothing, when DIR has no cells or some \\
        cells are not finished yet.
        """)

    @Argument(help: "The output folder of `syntharm run` (or `syntharm merge`).")
    var folder: String

    @Option(name: .shortAndLong, help: "Where to write the page (default: DIR/report.html).")
    var output: String?

    func run() throws {
      do {
        let path = try Self.writeReport(folder: folder, to: output)
        print("wrote \(path)")
      } catch {
        printError("error: \(error)")
        throw ExitCode.failure
      }
    }

    /// Loads the run stored in `folder` and writes its HTML report, atomically, to `file`
    /// (default `folder/report.html`); returns the path written.
    /// - Throws: ``SweepFolderError`` when the folder holds no cells, cells of different runs,
    ///   unfinished cells, or the file cannot be written.
    static func writeReport(folder: String, to file: String? = nil) throws -> String {
      let (manifest, cells) = try SweepFolder.completeCells([SweepFolder(path: folder)])
      return try RunReport(manifest: manifest, cells: cells)
        .writeHTML(to: file ?? (folder as NSString).appendingPathComponent("report.html"))
    }
  }
}
