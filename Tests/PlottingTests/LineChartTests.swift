// LineChartTests.swift — points, step curves, bands, error bars and reference lines land on
// pixels computed by hand from the image size and margins.
//
// Geometry used throughout: a 640 × 400 image with margins top 40, right 20, bottom 60,
// left 80, so the plot area spans x 80…620 (540 px) and y 40…340 (300 px). With x ∈ [0, 600]
// and y ∈ [0, 1]: px = 80 + 0.9 x and py = 340 − 300 y. With x ∈ [0, 4]: px = 80 + 135 x.

import Plotting
import TestSupport
import Testing

@Suite("LineChart", .tags(.unit))
struct LineChartTests {
  let margins = Margins(top: 40, right: 20, bottom: 60, left: 80)

  func chart(xDomain: ClosedRange<Double>, series: [LineSeries]) -> LineChart {
    LineChart(
      title: "Power", xTitle: "Real controls", yTitle: "Power", series: series,
      xDomain: xDomain, yDomain: 0...1, width: 640, height: 400, margins: margins)
  }

  @Test("the plot area and scales follow from size and margins")
  func geometry() {
    let c = chart(xDomain: 0...600, series: [])
    #expect(c.plotArea == PlotArea(x: 80, y: 40, width: 540, height: 300))
    #expect(c.xScale(300) == 350)
    #expect(abs(c.yScale(0.8) - 100) < 1e-9)
  }

  @Test("a marker for (300, 0.8) is drawn at (350, 100)")
  func pointPixel() throws {
    let series = LineSeries(name: "Pooled", x: [0, 300, 600], y: [0.1, 0.8, 0.9], marker: .circle)
    let svg = try ParsedSVG(chart(xDomain: 0...600, series: [series]).svg())
    let points = svg.elements(class: "point")
    #expect(points.count == 3)
    let middle = try #require(points.first { $0["data-x"] == "300" })
    #expect(middle["cx"] == "350")
    #expect(middle["cy"] == "100")
    #expect(middle["data-series"] == "Pooled")
    // Linear interpolation: the polyline has exactly the three points.
    let line = try #require(svg.elements(class: "series").first)
    #expect(line["points"] == "80,310 350,100 620,70")
  }

  @Test("a Kaplan–Meier step curve goes horizontally, then vertically")
  func stepFunction() throws {
    // S = 1 on [0, 1), 0.8 on [1, 3), 0.5 from 3: vertices (0,1) (1,1) (1,0.8) (3,0.8) (3,0.5).
    let km = LineSeries(name: "KM", x: [0, 1, 3], y: [1, 0.8, 0.5], interpolation: .step)
    let svg = try ParsedSVG(chart(xDomain: 0...4, series: [km]).svg())
    let line = try #require(svg.elements(class: "series").first)
    #expect(line.name == "polyline")
    #expect(line["data-series"] == "KM")
    #expect(line["points"] == "80,40 215,40 215,100 485,100 485,190")
  }

  @Test("a confidence band is the upper step function forwards, then the lower one backwards")
  func band() throws {
    let km = LineSeries(
      name: "KM", x: [0, 1, 3], y: [1, 0.8, 0.5], interpolation: .step,
      band: ConfidenceBand(lower: [1, 0.6, 0.3], upper: [1, 0.95, 0.7]))
    let svg = try ParsedSVG(chart(xDomain: 0...4, series: [km]).svg())
    let band = try #require(svg.elements(class: "band").first)
    #expect(band.name == "polygon")
    // upper: 1 → 40, 0.95 → 55, 0.7 → 130; lower: 0.6 → 160, 0.3 → 250.
    let upper: [[Double]] = [[80, 40], [215, 40], [215, 55], [485, 55], [485, 130]]
    let lower: [[Double]] = [[80, 40], [215, 40], [215, 160], [485, 160], [485, 250]]
    #expect(parsePoints(band["points"]) == upper + lower.reversed())
    #expect(band["fill-opacity"] == "0.18")
    // Band drawn before (under) the line.
    let order = svg.elements.map { $0.classes.first ?? "" }
    #expect(try #require(order.firstIndex(of: "band")) < (try #require(order.firstIndex(of: "series"))))
  }

  @Test("error bars span y ± half-width with 6 px caps")
  func errorBars() throws {
    // 0.8 ± 0.05 at x = 300: from py(0.85) = 85 to py(0.75) = 115 at px = 350.
    let series = LineSeries(name: "Power", x: [300], y: [0.8], marker: .circle, errorBars: [0.05])
    let svg = try ParsedSVG(chart(xDomain: 0...600, series: [series]).svg())
    let bar = try #require(svg.elements(class: "error-bar").first)
    #expect(bar["d"] == "M350 85V115M347 85H353M347 115H353")
  }

  @Test("reference lines cross the plot area at their value, with their labels")
  func referenceLines() throws {
    var c = chart(xDomain: 0...600, series: [LineSeries(name: "Power", x: [0, 600], y: [0.2, 0.9])])
    c.referenceLines = [.horizontal(y: 0.8, label: "Target 80%"), .vertical(x: 300, label: "Savings")]
    let svg = try ParsedSVG(c.svg())
    let lines = svg.elements(class: "reference-line")
    #expect(lines.count == 2)
    #expect(lines[0]["x1"] == "80" && lines[0]["x2"] == "620" && lines[0]["y1"] == "100" && lines[0]["y2"] == "100")
    #expect(lines[1]["x1"] == "350" && lines[1]["x2"] == "350" && lines[1]["y1"] == "40" && lines[1]["y2"] == "340")
    #expect(lines.allSatisfy { $0["stroke-dasharray"] == "6 4" })
    #expect(svg.elements(class: "reference-label").map(\.text) == ["Target 80%", "Savings"])
  }

  @Test("a highlighted point is drawn at its pixel with its label")
  func highlight() throws {
    var c = chart(xDomain: 0...600, series: [LineSeries(name: "Power", x: [0, 600], y: [0.2, 0.9])])
    c.highlights = [HighlightedPoint(x: 300, y: 0.8, label: "Saves 120")]
    let svg = try ParsedSVG(c.svg())
    let group = try #require(svg.elements(class: "highlight").first)
    #expect(group["data-x"] == "300")
    let ring = try #require(svg.elements(named: "circle").first { $0["r"] == "7" })
    #expect(ring["cx"] == "350" && ring["cy"] == "100")
    #expect(svg.elements(class: "highlight-label").first?.text == "Saves 120")
  }

  @Test("non-finite values are skipped: no NaN or inf in the markup, neighbours joined")
  func nonFinite() throws {
    let series = LineSeries(
      name: "S", x: [0, 150, 300, .nan, 600], y: [0.1, .nan, 0.5, 0.7, .infinity],
      marker: .circle, band: ConfidenceBand(lower: [0, .nan, 0.4, 0.6, 0.8], upper: [0.2, 0.3, .infinity, 0.8, 1]),
      errorBars: [0.01, 0.02, .nan, 0.01, 0.01])
    var c = chart(xDomain: 0...600, series: [series])
    c.referenceLines = [.horizontal(y: .nan, label: "bad")]
    c.highlights = [HighlightedPoint(x: .infinity, y: 0.5, label: "bad")]
    let markup = c.svg()
    let svg = try ParsedSVG(markup)
    for element in svg.elements {
      for (name, value) in element.attributes {
        #expect(!value.lowercased().contains("nan") && !value.lowercased().contains("inf"), "\(element.name) \(name)=\(value)")
      }
    }
    #expect(svg.elements(class: "series").first?["points"] == "80,310 350,190")
    #expect(svg.elements(class: "point").count == 2)
    #expect(svg.elements(class: "error-bar").count == 1)
    // The band keeps indices 0 and 4 (1 has lower NaN, 2 upper ∞, 3 x NaN): two upper and two
    // lower vertices.
    #expect(parsePoints(svg.elements(class: "band").first?["points"]) == [[80, 280], [620, 40], [620, 100], [80, 340]])
    #expect(svg.elements(class: "reference-line").isEmpty)
    #expect(svg.elements(class: "highlight").isEmpty)
  }

  @Test("without explicit domains the axes span the data, widened to nice ticks")
  func automaticDomains() throws {
    let c = LineChart(series: [LineSeries(name: "Type I", x: [0, 0.1, 0.2, 0.3], y: [0.024, 0.031, 0.052, 0.083])])
    #expect(c.xScale.domain == 0...0.3)
    // y: 0.059 / 5 = 0.0118 → step 0.02; ⌊0.024 / 0.02⌋ = 1, ⌈0.083 / 0.02⌉ = 5 → 0.02…0.1.
    #expect(c.yScale.domain == 0.02...0.1)
    let svg = try ParsedSVG(c.svg())
    let yLabels = svg.elements.filter { $0.classes.contains("tick-label") }.map(\.text)
    #expect(yLabels.suffix(5) == ["0.02", "0.04", "0.06", "0.08", "0.10"])
  }

  @Test("labels with &, <, > and quotes survive as text; the chart stays well-formed")
  func escaping() throws {
    var c = LineChart(
      title: awkwardLabel, xTitle: awkwardLabel, yTitle: "<y>",
      series: [LineSeries(name: awkwardLabel, x: [0, 1], y: [0, 1])])
    c.referenceLines = [.horizontal(y: 0.5, label: "α = 0.025 & \"target\"")]
    c.highlights = [HighlightedPoint(x: 0.5, y: 0.5, label: "<saved>")]
    let svg = try ParsedSVG(c.svg())
    #expect(svg.elements(class: "title").first?.text == awkwardLabelParsed)
    #expect(svg.elements(class: "series").first?["data-series"] == awkwardLabelParsed)
    #expect(svg.elements(class: "reference-label").first?.text == "α = 0.025 & \"target\"")
    #expect(svg.elements(class: "highlight-label").first?.text == "<saved>")
  }

  @Test("an empty chart is still a valid SVG, with a 'No data' note")
  func empty() throws {
    for c in [
      LineChart(), LineChart(series: [LineSeries(name: "nothing", x: [], y: [])]),
      LineChart(series: [LineSeries(name: "all NaN", x: [.nan], y: [1])]),
    ] {
      let svg = try ParsedSVG(c.svg())
      #expect(svg.elements.first?.name == "svg")
      #expect(svg.elements(class: "no-data").count == 1)
      #expect(svg.elements(class: "series").isEmpty)
    }
  }

  @Test("the root element has a fixed viewBox and width/height, and no ids that could collide in a page")
  func root() throws {
    let svg = try ParsedSVG(LineChart(series: [LineSeries(name: "a", x: [0, 1], y: [0, 1])]).svg())
    let root = try #require(svg.elements.first)
    #expect(root["viewBox"] == "0 0 640 400")
    #expect(root["width"] == "640" && root["height"] == "400")
    #expect(root["xmlns"] == "http://www.w3.org/2000/svg")
    #expect(svg.elements.allSatisfy { $0["id"] == nil })
    #expect(svg.elements(named: "style").isEmpty)
  }

  @Test("default colours follow the Okabe–Ito order: blue, then vermillion")
  func colours() throws {
    let svg = try ParsedSVG(
      LineChart(series: [
        LineSeries(name: "a", x: [0, 1], y: [0, 1]),
        LineSeries(name: "b", x: [0, 1], y: [1, 0]),
      ]).svg())
    #expect(svg.elements(class: "series").map { $0["stroke"] } == ["#0072B2", "#D55E00"])
  }

  @Test("the automatic legend avoids the data: a curve near the top sends it to the bottom")
  func legendPlacement() throws {
    // y = 0.9 → py = 70, inside the top corners' boxes (y 44…82 for one entry).
    let flatTop = LineSeries(name: "Flat", x: [0, 600], y: [0.9, 0.9])
    let svg = try ParsedSVG(chart(xDomain: 0...600, series: [flatTop]).svg())
    let legendIndex = try #require(svg.elements.firstIndex { $0.classes.contains("legend") })
    let box = svg.elements[legendIndex + 1]
    #expect(box.name == "rect")
    #expect(try #require(box.number("y")) > 190)  // below the plot area's middle (40 + 300 / 2)
    // The legend lists the series.
    #expect(svg.elements(class: "legend-entry").map { $0["data-series"] } == ["Flat"])
  }

  @Test("rendering is deterministic")
  func deterministic() {
    let c = chart(xDomain: 0...600, series: [LineSeries(name: "a", x: [0, 123.456, 600], y: [0.1, 0.33333, 0.9], marker: .diamond)])
    #expect(c.svg() == c.svg())
  }
}
