// HeatmapTests.swift — one cell per matrix entry, coloured by the scale's ramp.

import Plotting
import TestSupport
import Testing

@Suite("Heatmap and colour scales", .tags(.unit))
struct HeatmapTests {
  let labels = ["age", "ecog", "nodes"]
  let columns = ["age", "ecog", "nodes", "sex & <stage>"]

  @Test("the Okabe–Ito palette is the published eight colours, blue and vermillion first")
  func palette() {
    #expect(Set(Palette.okabeIto.map(\.hex)) == ["#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000"])
    #expect(Palette.color(at: 0).hex == "#0072B2")
    #expect(Palette.color(at: 1).hex == "#D55E00")
    #expect(Palette.color(at: 8) == Palette.color(at: 0))
    #expect(Color(hex: "#0072b2") == .blue)
    #expect(Color(hex: "0072B2") == .blue)
    #expect(Color(hex: "#00GG00") == nil)
  }

  @Test("diverging scale: 0 is the neutral #F7F7F7, ±limit the end colours, beyond is clamped, NaN has none")
  func diverging() {
    let scale = ColorScale.diverging(limit: 0.5)
    #expect(scale.color(for: 0)?.hex == "#F7F7F7")
    #expect(scale.color(for: 0.5)?.hex == "#B2182B")
    #expect(scale.color(for: -0.5)?.hex == "#2166AC")
    #expect(scale.color(for: 0.9)?.hex == "#B2182B")
    #expect(scale.color(for: .nan) == nil)
    // Halfway between the stops #F7F7F7 (t = 3/6) and #FDDBC7 (t = 4/6): t = 7/12 ↔ 1/12 of 1.
    // Components (F7+FD)/2 = FA, (F7+DB)/2 = E9, (F7+C7)/2 = DF.
    #expect(scale.color(for: 1.0 / 12)?.hex == "#FAE9DF")
  }

  @Test("sequential scale runs from near-white to Okabe–Ito blue")
  func sequential() {
    let scale = ColorScale.sequential()
    #expect(scale.color(for: 0)?.hex == "#F7FBFF")
    #expect(scale.color(for: 1)?.hex == "#0072B2")
    #expect(ColorScale.sequential(ramp: .viridis).color(for: 1)?.hex == "#FDE725")
  }

  @Test("cells: rows × columns, each filled by the scale; text with the given decimals")
  func cells() throws {
    let values: [[Double]] = [[0, 0.12, -0.5, 0.5], [0.25, 0, 0.03, -0.2], [0.7, -0.04, 0, .nan]]
    let chart = Heatmap(
      title: "Δ correlation", rowLabels: labels, columnLabels: columns, values: values,
      colorScale: .diverging(limit: 0.5), cellText: .decimals(2), legendTitle: "synthetic − real")
    let svg = try ParsedSVG(chart.svg())
    let cells = svg.elements(class: "cell")
    #expect(cells.count == 3 * 4)
    func cell(_ row: String, _ column: String) -> ParsedElement? {
      cells.first { $0["data-row"] == row && $0["data-column"] == column }
    }
    #expect(cell("age", "age")?["fill"] == "#F7F7F7")
    #expect(cell("age", "nodes")?["fill"] == "#2166AC")
    #expect(cell("age", "sex & <stage>")?["fill"] == "#B2182B")
    #expect(cell("nodes", "age")?["fill"] == "#B2182B")  // 0.7 is clamped to the end colour
    #expect(cell("nodes", "sex & <stage>")?.classes.contains("missing") == true)
    #expect(cell("nodes", "sex & <stage>")?["data-value"] == nil)
    let texts = svg.elements(class: "cell-text").map(\.text)
    #expect(texts.count == 11)  // no text for the missing cell
    #expect(texts.prefix(4) == ["0.00", "0.12", "-0.50", "0.50"])
    // Cells share one size, and columns sit side by side.
    #expect(Set(cells.map { $0["width"] }).count == 1)
    let w = try #require(cell("age", "age")?.number("width"))
    let step = try #require(cell("age", "ecog")?.number("x")) - (try #require(cell("age", "age")?.number("x")))
    #expect(abs(step - w) <= 0.01)  // both rounded to 2 decimals
  }

  @Test("the colour bar is labelled at both ends of a ±0.5 scale and at 0")
  func colourBar() throws {
    let chart = Heatmap(rowLabels: ["a"], columnLabels: ["b"], values: [[0.1]], colorScale: .diverging(limit: 0.5))
    let svg = try ParsedSVG(chart.svg())
    let legendIndex = try #require(svg.elements.firstIndex { $0.classes.contains("color-legend") })
    let labels = svg.elements[legendIndex...].filter { $0.classes.contains("tick-label") }.map(\.text)
    #expect(labels.first == "-0.5" && labels.last == "0.5" && labels.contains("0.0"))
    #expect(svg.elements(class: "legend-swatch").count == 48)
  }

  @Test("custom cell text and awkward labels are escaped; empty heatmap is valid")
  func textAndEmpty() throws {
    let chart = Heatmap(
      title: awkwardLabel, rowLabels: [awkwardLabel], columnLabels: ["<n>"], values: [[1]],
      colorScale: .sequential(), cellText: .custom([["100% & up"]]))
    let svg = try ParsedSVG(chart.svg())
    #expect(svg.elements(class: "cell-text").first?.text == "100% & up")
    #expect(svg.elements(class: "cell").first?["data-row"] == awkwardLabelParsed)
    // #0072B2 has relative luminance 0.15 < 0.18, so its text is white.
    #expect(svg.elements(class: "cell-text").first?["fill"] == "#FFFFFF")
    let empty = try ParsedSVG(Heatmap(rowLabels: [], columnLabels: [], values: []).svg())
    #expect(empty.elements(class: "no-data").count == 1)
  }
}
