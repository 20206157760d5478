// BarChartTests.swift — the attrition funnel: one bar per row, lengths proportional to values.

import Plotting
import TestSupport
import Testing

@Suite("HorizontalBarChart", .tags(.unit))
struct BarChartTests {
  let funnel = HorizontalBarChart(
    title: "Eligibility", xTitle: "Patients",
    bars: [
      .init(label: "Reference", value: 929),
      .init(label: "IN1 age 18–75", value: 600, valueText: "600 (65%)"),
      .init(label: "EX1 prior chemo & <RT>", value: 512),
    ])

  @Test("bars start at zero and their lengths are proportional to the values")
  func lengths() throws {
    let svg = try ParsedSVG(funnel.svg())
    let bars = svg.elements(class: "bar")
    #expect(bars.count == 3)
    let zero = funnel.xScale(0)
    #expect(bars.allSatisfy { $0.number("x") == (zero * 100).rounded() / 100 })
    let widths = bars.compactMap { $0.number("width") }
    #expect(abs(widths[1] / widths[0] - 600.0 / 929) < 0.001)
    // 929 over a 0…1000 axis: the first bar ends 92.9 % of the way across.
    #expect(funnel.xScale.domain == 0...1000)
    #expect(abs(widths[0] - 0.929 * funnel.plotArea.width) < 0.01)
  }

  @Test("labels and value texts are written, escaped, in order")
  func labels() throws {
    let svg = try ParsedSVG(funnel.svg())
    #expect(svg.elements(class: "bar-label").map(\.text) == ["Reference", "IN1 age 18–75", "EX1 prior chemo & <RT>"])
    #expect(svg.elements(class: "value-label").map(\.text) == ["929", "600 (65%)", "512"])
  }

  @Test("a NaN value keeps its label but draws no bar; an empty chart is valid")
  func edgeCases() throws {
    let chart = HorizontalBarChart(bars: [.init(label: "A", value: 10), .init(label: "B", value: .nan)])
    let svg = try ParsedSVG(chart.svg())
    #expect(svg.elements(class: "bar").count == 1)
    #expect(svg.elements(class: "bar-label").count == 2)
    #expect(!chart.svg().lowercased().contains("nan"))
    let empty = try ParsedSVG(HorizontalBarChart(bars: []).svg())
    #expect(empty.elements(class: "no-data").count == 1)
  }

  @Test("the height grows with the number of bars unless given")
  func height() {
    #expect(funnel.resolvedHeight == 40 + 3 * 30 + 48)
    var fixed = funnel
    fixed.height = 300
    #expect(fixed.resolvedHeight == 300)
  }
}
