// Report.swift — `syntharm report DIR`: one self-contained HTML page from a run's stored cells.
// Parses, calls Reporting, writes; the page itself is built by `HTMLReport`.

import ArgumentParser
import Foundation
import Reporting
import Runs

extension SynthArmCommand {
  struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Write a run's results as one HTML page: eligibility, audit, operating characteristics, savings.",
      discussion: """
        Reads the finished cells in DIR/cells (the --output of `syntharm run`) and writes one \
        self-contained HTML file (inline charts, no scripts, nothing fetched from the network) \
        that any browser opens offline. Fails, writing nothing, when DIR has no cells, some \
        cells are not finished yet, or something other than a regular file sits at the output \
        path.
        """)

    @Argument(help: "The output folder of `syntharm run` (or `syntharm merge`).")
    var folder: String

    @Option(name: .shortAndLong, help: "Where to write the page (default: DIR/report.html).")
    var output: String?

    func run() throws {
      let path = try Self.writeReport(folder: folder, to: output)
      print("wrote \(path)")
    }

    /// Loads the run stored in `folder` and writes its HTML report, atomically, to `file`
    /// (default `folder/report.html`); returns the path written.
    /// - Throws: ``SweepFolderError`` when the folder holds no cells, cells of different runs,
    ///   unfinished cells; ``FileWriteError`` when the target is not a regular file or cannot be
    ///   written.
    static func writeReport(folder: String, to file: String? = nil) throws -> String {
      let target = file ?? (folder as NSString).appendingPathComponent("report.html")
      try AtomicFile.checkTarget(target)
      let (manifest, cells) = try SweepFolder.completeCells([SweepFolder(path: folder)])
      return try RunReport(manifest: manifest, cells: cells).writeHTML(to: target)
    }
  }
}
