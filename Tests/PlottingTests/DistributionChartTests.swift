// DistributionChartTests.swift — overlaid histograms and grouped bars: one bar per finite
// value, placed where the bin edges and proportions say.

import Plotting
import TestSupport
import Testing

@Suite("Distribution charts", .tags(.unit))
struct DistributionChartTests {
  let real = BarGroup(name: "Real", values: [0.2, 0.5, 0.3])
  let synthetic = BarGroup(name: "Synthetic", values: [0.25, 0.45, 0.3])

  @Test("histogram bars span their bin edges and rise to their proportion")
  func histogramGeometry() throws {
    // Plot area x 80…620 over edges 20…80 → px = 80 + 9 (x − 20); y 40…340 over 0…0.5
    // (0.5 / 5 = 0.1 → step 0.1, already nice) → py = 340 − 600 p.
    let chart = HistogramOverlay(
      title: "Age", xTitle: "Years", binEdges: [20, 40, 60, 80], groups: [real, synthetic],
      margins: Margins(top: 40, right: 20, bottom: 60, left: 80))
    #expect(chart.yScale.domain == 0...0.5)
    let svg = try ParsedSVG(chart.svg())
    let bars = svg.elements(class: "bar")
    #expect(bars.count == 6)
    let middle = try #require(bars.first { $0["data-series"] == "Real" && $0["data-bin"] == "1" })
    // Bin 40…60 → x 260…440; 0.5 → y = 340 − 0.5 × 600 = 40.
    #expect(middle["x"] == "260" && middle["width"] == "180")
    #expect(middle["y"] == "40" && middle["height"] == "300")
    #expect(bars.allSatisfy { $0["fill-opacity"] == "0.35" })
    // Each group's outline is drawn over all fills: along the bar tops, down to 0 at both ends.
    // Real: 0.2, 0.5, 0.3 → y 220, 40, 160 over x 80, 260, 440, 620.
    let outline = try #require(svg.elements(class: "series").first { $0["data-series"] == "Real" })
    #expect(outline["points"] == "80,340 80,220 260,220 260,40 440,40 440,160 620,160 620,340")
    let lastBar = try #require(svg.elements.lastIndex { $0.classes.contains("bar") })
    #expect(try #require(svg.elements.firstIndex { $0.classes.contains("series") }) > lastBar)
    #expect(Set(bars.map { $0["fill"] }) == ["#0072B2", "#D55E00"])
    #expect(svg.elements(class: "legend-entry").count == 2)
  }

  @Test("NaN proportions draw no bar; an empty histogram is valid with a note")
  func histogramEdgeCases() throws {
    let gappy = HistogramOverlay(binEdges: [0, 1, 2], groups: [BarGroup(name: "R", values: [.nan, 0.4])])
    let svg = try ParsedSVG(gappy.svg())
    #expect(svg.elements(class: "bar").count == 1)
    #expect(!gappy.svg().lowercased().contains("nan"))
    let empty = try ParsedSVG(HistogramOverlay(binEdges: [], groups: []).svg())
    #expect(empty.elements(class: "no-data").count == 1)
  }

  @Test("grouped bars: one per group and category, side by side inside the category's band")
  func groupedBars() throws {
    let chart = GroupedBarChart(
      title: "ECOG", categories: ["0", "1", "2"], groups: [real, synthetic],
      valueFormat: .percent(decimals: 0),
      margins: Margins(top: 40, right: 20, bottom: 60, left: 80))
    let svg = try ParsedSVG(chart.svg())
    let bars = svg.elements(class: "bar")
    #expect(bars.count == 6)
    // Band = 540 / 3 = 180 px; bars take 80 % of it, 72 px each, starting 18 px in.
    let first = try #require(bars.first { $0["data-series"] == "Real" && $0["data-category"] == "0" })
    let second = try #require(bars.first { $0["data-series"] == "Synthetic" && $0["data-category"] == "0" })
    #expect(first["x"] == "98" && first["width"] == "72")
    #expect(second["x"] == "170")
    #expect(svg.elements(class: "value-label").map(\.text).prefix(3) == ["20%", "50%", "30%"])
    #expect(svg.elements(class: "tick-label").prefix(3).map(\.text) == ["0", "1", "2"])
  }

  @Test("long category labels wrap at spaces; a word too long for its bar turns all labels")
  func longLabels() throws {
    // Five categories over 552 px: 110 px each, 104 px for text ≈ 14 characters at 12 px.
    let wrapping = GroupedBarChart(
      categories: ["Submucosa", "Contiguous & <adjacent> structures", "Serosa", "Muscle", "Other"],
      groups: [BarGroup(name: awkwardLabel, values: [0.1, 0.2, 0.5, 0.1, 0.1])])
    let svg = try ParsedSVG(wrapping.svg())
    let label = try #require(svg.elements(class: "tick-label").first { $0["data-label"]?.hasPrefix("Contiguous") == true })
    #expect(label["data-label"] == "Contiguous & <adjacent> structures")
    #expect(
      svg.elements(named: "tspan").filter {
        $0.text.contains("adjacent") || $0.text.contains("Contiguous") || $0.text.contains("structures")
      }
      .map(\.text) == ["Contiguous &", "<adjacent>", "structures"])
    #expect(svg.elements(class: "legend-entry").first?["data-series"] == awkwardLabelParsed)
    #expect(wrapping.plotArea.maxY == 400 - 52 - 2 * 14)  // two extra lines

    let rotating = GroupedBarChart(
      categories: ["Adenocarcinomatous", "Squamous \"cell\"", "Large-cell", "B", "C"],
      groups: [BarGroup(name: "Real", values: [0.5, 0.3, 0.1, 0.05, 0.05])])
    let turned = try ParsedSVG(rotating.svg()).elements(class: "tick-label").filter { $0["transform"] != nil }
    #expect(turned.count == 5)
    #expect(turned.map(\.text).contains("Squamous \"cell\""))
  }

  @Test("an empty grouped bar chart is valid with a note")
  func emptyGroupedBars() throws {
    let svg = try ParsedSVG(GroupedBarChart(categories: [], groups: []).svg())
    #expect(svg.elements(class: "no-data").count == 1)
  }
}
