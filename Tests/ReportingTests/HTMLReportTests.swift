// HTMLReportTests.swift — the report as markup: well-formed, self-contained, every section
// present, and plotted values on the pixels their chart's scale puts them.

import Foundation
import Plotting
import Runs
import Simulation
import TestSupport
import Testing

@testable import Reporting

@Suite("HTML report", .tags(.unit))
struct HTMLReportTests {
  let report: RunReport
  let html: String

  init() throws {
    report = try SampleRun.report()
    html = HTMLReport.html(report)
  }

  @Test("every inline SVG is well-formed XML, and so is the whole page")
  func wellFormed() throws {
    let blocks = svgBlocks(in: html)
    // Per cell: attrition, KM, 4 covariates, correlations, the conventional and the augmented
    // power curves, the chosen design's type-I error by drift, every design's by drift; then the
    // two sweep heatmaps.
    #expect(blocks.count == 2 * 11 + 2)
    for block in blocks {
      #expect(throws: Never.self) { try ParsedMarkup(block) }
    }
    _ = try ParsedMarkup(html)
  }

  @Test("the page has every section, in order")
  func sections() throws {
    let page = try ParsedMarkup(html)
    let headings = page.elements.filter { ["h1", "h2", "h3", "h4"].contains($0.name) }.map(\.allText)
    let expected = [
      "SynthArm report: \(SampleRun.scenarioID)", "Scenario and how to read this report", "How to read this",
      "Cell 1: as-written", "Eligibility and generator support", "Audit of the synthetic controls", "Audit goals",
      "Survival, real vs synthetic", "Covariate distributions", "Correlations", "Privacy", "Operating characteristics",
      "Real controls saved: augmented-pp50", "For 80% power at HR 0.7, type-I error α at drift 1", "Cell 2: age-70",
    ]
    var position = 0
    for heading in expected {
      let found = headings[position...].firstIndex(of: heading)
      #expect(found != nil, "missing or out of order: \(heading)")
      position = found ?? position
    }
    #expect(headings.last == "Across the sweep")
    // Charts that carry a section of their own.
    let titles = page.elements(named: "svg").compactMap { $0["aria-label"] }
    for title in [
      "Eligibility attrition (rules applied in order)", "Overall survival: real vs synthetic controls (95% CI)",
      "Correlation difference (synthetic − real)", "Type-I error against drift of the synthetic source",
      "Power at HR 0.7 by cell and design", "Real controls saved by cell",
    ] {
      #expect(titles.contains(title), "missing chart \(title)")
    }
    // The first cell is open, the others folded.
    let details = page.elements(named: "details")
    #expect(details.map { $0["open"] != nil } == [true, false])
  }

  @Test("self-contained: no script, no external reference, only the SVG namespace URI")
  func selfContained() {
    #expect(!html.lowercased().contains("<script"))
    #expect(!html.contains("<link"))
    #expect(!html.contains("@import"))
    #expect(!html.contains("url("))
    #expect(!html.contains("src="))
    let withoutNamespace = html.replacingOccurrences(of: "xmlns=\"http://www.w3.org/2000/svg\"", with: "")
    #expect(!withoutNamespace.contains("http://"))
    #expect(!withoutNamespace.contains("https://"))
    #expect(html.contains("demo &lt;colon&gt; &amp; &quot;friends&quot;"))
  }

  @Test("the support warning of a cell below 30 patients is shown")
  func supportWarning() throws {
    let page = try ParsedMarkup(html)
    let warnings = page.elements.filter { $0.classes.contains("warning") }
    #expect(warnings.count == 1)
    #expect(warnings.first?.allText.contains("only 25 reference patients") == true)
  }

  @Test("a simulated power point lands on the pixel of its chart's scale")
  func powerPointPixel() throws {
    let search = try #require(report.cells[0].savings.first)
    let chart = HTMLReport.conventionalChart(search)
    // The chart's geometry, by hand: x ∈ [200, 800] (nice bounds of the counts) over the plot
    // area's width, y ∈ [0, 1] from the plot area's bottom to its top.
    let area = chart.plotArea
    #expect(chart.xScale.domain == 200...800)
    #expect(chart.yScale.domain == 0...1)
    let point = try #require(search.conventionalPower.first { $0.count == 400 })
    let px = area.x + (400 - 200) / 600 * area.width
    let py = area.maxY - point.rate * area.height

    // Find that chart in the page (the first cell's, the first with its title) and its marker.
    let page = try ParsedMarkup(html)
    let svgIndex = try #require(
      page.elements.indices.first {
        page.elements[$0].name == "svg" && page.elements[$0]["aria-label"] == chart.title
      })
    let marker = try #require(
      page.descendants(of: svgIndex).first {
        $0.classes.contains("point") && $0["data-series"] == "conventional ± MCSE" && $0["data-x"] == "400"
      })
    #expect(abs(try #require(marker.number("cx")) - px) < 0.006)
    #expect(abs(try #require(marker.number("cy")) - py) < 0.006)
    #expect(marker["data-y"] == "0.62")
    // The conventional size found is ringed at (600, target power).
    let highlight = try #require(
      page.descendants(of: svgIndex).first {
        $0.classes.contains("highlight") && $0["data-x"] == "600"
      })
    #expect(highlight["data-y"] == "0.8")
  }

  @Test("the Kaplan–Meier chart draws both curves with their bands, in months")
  func survivalChart() throws {
    let figures = try #require(report.cells[0].audit?.figures)
    let chart = try #require(HTMLReport.survivalChart(figures, horizon: nil))
    #expect(chart.series.count == 2)
    #expect(chart.series.allSatisfy { $0.interpolation == .step && $0.band != nil })
    // Days to months: the last real follow-up time / (365.25 / 12).
    let last = try #require(figures.realSurvival?.time.last)
    #expect(abs(try #require(chart.series[0].x.last) - last / (365.25 / 12)) < 1e-9)
    let svg = try ParsedMarkup(chart.svg())
    #expect(svg.elements.filter { $0.classes.contains("band") }.count == 2)
  }

  @Test("the sweep table has one row per cell and each design's saving with its interval")
  func sweepTable() throws {
    let page = try ParsedMarkup(html)
    let tableIndex = try #require(
      page.elements.indices.first {
        page.elements[$0].name == "table" && page.elements[$0].classes.contains("sweep")
      })
    let rows = page.descendants(of: tableIndex).filter { $0.name == "tr" }
    #expect(rows.count == 2 + report.cells.count)  // two header rows
    #expect(rows[2].allText.contains("as-written"))
    #expect(rows[2].allText.contains("+100 (+40 to +160)"))
    #expect(rows[3].allText.contains("⚠"))
  }

  @Test("number formatting never prints negative zero and marks missing values")
  func formatting() {
    #expect(HTMLReport.number(-0.0001, 2) == "0.00")
    #expect(HTMLReport.number(nil, 2) == "–")
    #expect(HTMLReport.number(.nan, 2) == "–")
    #expect(HTMLReport.signed(-3, 0) == "−3")
    #expect(HTMLReport.signed(0.0001, 1) == "0.0")
    #expect(HTMLReport.percent(0.8126, 1) == "81.3%")
  }
}

@Suite("HTML report of incomplete results", .tags(.unit))
struct HTMLReportEdgeCaseTests {
  @Test("a failed cell, no audit and no savings still give a well-formed page that says so")
  func failedCell() throws {
    var report = try SampleRun.report()
    report.cells[1].failure = CellFailure(
      kind: .notEnoughData, message: "cell 'age-70' cannot be simulated: no eligible reference patients")
    report.cells[1].operatingCharacteristics = []
    report.cells[1].savings = []
    report.cells[1].audit = nil
    report.cells[0].savings = []
    report.cells[0].audit?.figures = nil  // a cell stored before the figures existed
    let html = HTMLReport.html(report)
    let page = try ParsedMarkup(html)
    #expect(page.elements.contains { $0.classes.contains("failure") && $0.allText.contains("cannot be simulated") })
    #expect(page.elements.contains { $0.allText == "No survival curves stored for this cell." })
    let titles = page.elements(named: "svg").compactMap { $0["aria-label"] }
    #expect(!titles.contains { $0.hasPrefix("Power at HR 0.7 by real controls") })
    #expect(!titles.contains("Real controls saved by cell"))
    // Type-I error against drift stands on its own when there is no savings search (and no α).
    #expect(titles.contains("Type-I error against drift of the synthetic source"))
    #expect(html.contains("not asked for in this scenario"))
  }
}
