// GalleryTests.swift — every chart kind inlined in one XHTML page, as the report will do.
//
// The page must parse as XML as a whole (no duplicate-id or stray-markup problems between
// charts). Set PLOTTING_GALLERY=/path/page.html to also write it out, then look at it with
// `Scripts/render-report page.html page.png`.

import Foundation
import Plotting
import TestSupport
import Testing

@Suite("Gallery page", .tags(.unit))
struct GalleryTests {
  static func charts() -> [String] {
    // A hand-made Kaplan–Meier pair with log-log-style bands; numbers are illustrative only.
    let times: [Double] = [0, 2, 5, 7, 11, 14, 18, 23, 27, 31, 36]
    let real: [Double] = [1, 0.94, 0.86, 0.80, 0.71, 0.64, 0.57, 0.50, 0.46, 0.43, 0.43]
    let synthetic: [Double] = [1, 0.95, 0.88, 0.81, 0.73, 0.65, 0.59, 0.53, 0.47, 0.44, 0.44]
    func band(_ s: [Double], _ w: Double) -> ConfidenceBand {
      ConfidenceBand(
        lower: s.enumerated().map { i, v in max(v - w * Double(i).squareRoot() / 3, 0) },
        upper: s.enumerated().map { i, v in min(v + w * Double(i).squareRoot() / 3, 1) })
    }
    var km = LineChart(
      title: "Overall survival: real vs synthetic controls", xTitle: "Months since randomisation",
      yTitle: "Survival probability", yDomain: 0...1)
    km.series = [
      LineSeries(name: "Real controls (n = 315)", x: times, y: real, interpolation: .step, band: band(real, 0.06)),
      LineSeries(
        name: "Synthetic controls (n = 600)", x: times, y: synthetic, interpolation: .step,
        dash: .dashed, band: band(synthetic, 0.04)),
    ]

    let n: [Double] = [0, 50, 100, 150, 200, 250, 300]
    var power = LineChart(
      title: "Power by number of real controls", xTitle: "Real control patients",
      yTitle: "Power", yDomain: 0...1)
    power.yTickFormat = .percent(decimals: 0)
    power.series = [
      LineSeries(
        name: "Conventional (real only)", x: n, y: [0.05, 0.31, 0.52, 0.66, 0.76, 0.83, 0.88], marker: .circle,
        errorBars: [0.004, 0.015, 0.016, 0.015, 0.013, 0.012, 0.01]),
      LineSeries(
        name: "Power prior (real + 300 synthetic)", x: n, y: [0.62, 0.71, 0.77, 0.82, 0.86, 0.89, 0.91],
        marker: .square, errorBars: [0.015, 0.014, 0.013, 0.012, 0.011, 0.01, 0.009]),
    ]
    power.referenceLines = [.horizontal(y: 0.8, label: "Target power 80%"), .vertical(x: 135, label: "Savings: 115")]
    power.highlights = [HighlightedPoint(x: 135, y: 0.8, label: "135 real controls")]

    let drift: [Double] = [-0.4, -0.2, 0, 0.2, 0.4]
    var typeI = LineChart(
      title: "Type I error under drift", xTitle: "Drift (log hazard ratio, synthetic vs real)",
      yTitle: "Type I error (one-sided)")
    typeI.series = [
      LineSeries(
        name: "Test-then-pool", x: drift, y: [0.011, 0.019, 0.025, 0.048, 0.081],
        marker: .circle, errorBars: [0.002, 0.002, 0.002, 0.003, 0.004])
    ]
    typeI.referenceLines = [.horizontal(y: 0.025, label: "α = 0.025")]

    let histogram = HistogramOverlay(
      title: "Age at entry", xTitle: "Age (years)",
      binEdges: [20, 30, 40, 50, 60, 70, 80, 90],
      groups: [
        BarGroup(name: "Real", values: [0.02, 0.07, 0.15, 0.27, 0.31, 0.15, 0.03]),
        BarGroup(name: "Synthetic", values: [0.03, 0.08, 0.17, 0.25, 0.28, 0.16, 0.03]),
      ])
    let categorical = GroupedBarChart(
      title: "Extent of local spread", categories: ["Submucosa", "Muscle", "Serosa", "Contiguous structures"],
      groups: [
        BarGroup(name: "Real", values: [0.02, 0.12, 0.82, 0.04]),
        BarGroup(name: "Synthetic", values: [0.03, 0.11, 0.81, 0.05]),
      ],
      valueFormat: .percent(decimals: 0))
    let names = ["age", "sex", "obstruct", "perfor", "adhere", "nodes", "differ", "extent"]
    // A symmetric made-up matrix with zeros on the diagonal, values in −0.23…0.23.
    let symmetric: [[Double]] = names.indices.map { i in
      names.indices.map { j in i == j ? 0 : (Double((min(i, j) * 7 + max(i, j) * 13) % 11) - 5) / 22 }
    }
    let heatmap = Heatmap(
      title: "Correlation difference (synthetic − real)", rowLabels: names, columnLabels: names,
      values: symmetric, colorScale: .diverging(limit: 0.5), cellText: .decimals(2),
      legendTitle: "Δ Spearman ρ")
    let powerGrid = Heatmap(
      title: "Power over the design grid", rowLabels: ["HR 0.65", "HR 0.70", "HR 0.75"],
      columnLabels: ["100", "150", "200", "250", "300"],
      values: [[0.71, 0.83, 0.91, 0.95, 0.97], [0.55, 0.69, 0.80, 0.87, 0.92], [0.39, 0.52, 0.63, 0.72, 0.80]],
      colorScale: .sequential(), cellText: .decimals(2), rowTitle: "Hazard ratio",
      columnTitle: "Real control patients", legendTitle: "Power", squareCells: false, height: 300)
    let funnel = HorizontalBarChart(
      title: "Eligibility attrition", xTitle: "Patients",
      bars: [
        .init(label: "Reference", value: 929),
        .init(label: "IN1 age 18–75", value: 874, valueText: "874 (94%)"),
        .init(label: "IN2 stage III & nodes ≥ 1", value: 702, valueText: "702 (76%)"),
        .init(label: "EX1 obstruction or perforation", value: 600, valueText: "600 (65%)"),
      ])
    return [
      km.svg(), power.svg(), typeI.svg(), histogram.svg(), categorical.svg(), heatmap.svg(), powerGrid.svg(),
      funnel.svg(), LineChart(title: "An empty chart").svg(),
    ]
  }

  @Test("all chart kinds together form one well-formed XHTML page")
  func page() throws {
    let body = Self.charts().map { "<div class=\"figure\">\n\($0)</div>" }.joined(separator: "\n")
    let page = """
      <!DOCTYPE html>
      <html xmlns="http://www.w3.org/1999/xhtml" lang="en"><head><meta charset="utf-8"/><title>Plotting gallery</title></head>
      <body style="margin: 16px; font-family: system-ui, sans-serif; background: #FFFFFF">
      \(body)
      </body></html>
      """
    let parsed = try ParsedSVG(page)
    #expect(parsed.elements(named: "svg").filter { $0["xmlns"] != nil }.count == 9)
    if let path = ProcessInfo.processInfo.environment["PLOTTING_GALLERY"] {
      try page.write(toFile: path, atomically: true, encoding: .utf8)
    }
  }
}
