// BarChart.swift — horizontal bars with labels and values, for the eligibility attrition funnel
// ("Reference 929", "IN1 age 18–75 600", …) and other ranked quantities.
//
// Labels sit left of the bars and the value text right of each bar's end, so both stay
// readable whatever the bar length; the label column is as wide as the longest label, up to
// 40 % of the image, beyond which labels are shortened with "…".

/// Horizontal bars, one per row, from zero to each value.
///
/// ```swift
/// let funnel = HorizontalBarChart(title: "Eligibility", xTitle: "Patients", bars: [
///   .init(label: "Reference", value: 929),
///   .init(label: "IN1 age 18–75", value: 600, valueText: "600 (65%)"),
/// ])
/// ```
public struct HorizontalBarChart: Sendable, Hashable {
  /// One row of the chart.
  public struct Bar: Sendable, Hashable {
    public var label: String
    /// NaN or infinite values draw no bar (the label stays, with no value text).
    public var value: Double
    /// Text at the end of the bar; `nil` prints `value` in the chart's ``HorizontalBarChart/valueFormat``.
    public var valueText: String?
    /// `nil` uses the chart's ``HorizontalBarChart/color``.
    public var color: Color?

    /// Creates a row; `valueText` overrides the formatted value, e.g. "600 (65%)".
    public init(label: String, value: Double, valueText: String? = nil, color: Color? = nil) {
      self.label = label
      self.value = value
      self.valueText = valueText
      self.color = color
    }
  }

  public var title: String
  /// The value axis title.
  public var xTitle: String
  /// Top to bottom.
  public var bars: [Bar]
  /// The fill of bars without their own colour.
  public var color: Color
  /// How values print at the bar ends (default: whole numbers).
  public var valueFormat: TickFormat
  /// Whether to draw the value axis with ticks along the bottom.
  public var showsAxis: Bool
  public var width: Double
  /// `nil` sizes the image to the bars: 30 px per bar plus room for title and axis.
  public var height: Double?

  /// Creates a horizontal bar chart.
  public init(
    title: String = "", xTitle: String = "", bars: [Bar], color: Color = .blue,
    valueFormat: TickFormat = .decimals(0), showsAxis: Bool = true, width: Double = 640, height: Double? = nil
  ) {
    self.title = title
    self.xTitle = xTitle
    self.bars = bars
    self.color = color
    self.valueFormat = valueFormat
    self.showsAxis = showsAxis
    self.width = width
    self.height = height
  }

  /// The height actually used.
  public var resolvedHeight: Double {
    height ?? (title.isEmpty ? 16 : 40) + 30 * Double(max(bars.count, 1)) + (showsAxis ? (xTitle.isEmpty ? 30 : 48) : 10)
  }

  private func valueText(_ bar: Bar) -> String? {
    guard bar.value.isFinite else { return nil }
    return bar.valueText ?? valueFormat.text(bar.value, automaticDecimals: 0)
  }

  /// The bars' area: the label column left of it, the value texts right of it.
  public var plotArea: PlotArea {
    let labelRoom = min(bars.map { estimatedTextWidth($0.label, fontSize: Style.tickSize) }.max() ?? 0, width * 0.4)
    let valueRoom = bars.compactMap { valueText($0) }.map { estimatedTextWidth($0, fontSize: Style.tickSize) }.max() ?? 0
    let margins = Margins(
      top: title.isEmpty ? 16 : 40, right: max(valueRoom + 14, 24),
      bottom: showsAxis ? (xTitle.isEmpty ? 30 : 48) : 10, left: labelRoom + 16)
    return PlotArea(width: width, height: resolvedHeight, margins: margins)
  }

  /// From 0 (or the smallest negative value) to the largest value; widened to nice bounds when
  /// the axis is shown, so that it ends on a tick.
  public var xScale: LinearScale {
    let area = plotArea
    let extent = dataExtent(bars.map(\.value) + [0])
    let domain = showsAxis ? LinearScale(domain: extent, rangeStart: 0, rangeEnd: 1).niced().domain : extent
    return LinearScale(domain: domain, rangeStart: area.x, rangeEnd: area.maxX)
  }

  /// The chart as a standalone `<svg>` element.
  public func svg() -> String {
    let area = plotArea
    let xs = xScale
    let height = resolvedHeight
    var w = startDocument(kind: "bar-chart", width: width, height: height, title: title)
    // Whole-number value labels suit the bars, but the axis may need decimals for small values,
    // so the default format gives way to the tick step's own.
    let ticks = AxisTicks(scale: xs, count: 5, format: valueFormat == .decimals(0) ? .automatic : valueFormat)
    if showsAxis { drawGrid(&w, area: area, x: (xs, ticks), y: nil) }
    let band = area.height / Double(max(bars.count, 1))
    let barHeight = min(band * 0.7, 28)
    let labelRoom = area.x - 16
    for (i, bar) in bars.enumerated() {
      let midY = area.y + (Double(i) + 0.5) * band
      w.open("g", [("class", "bar-row"), ("data-label", bar.label)])
      w.element(
        "text",
        [
          ("class", "bar-label"), ("x", svgNumber(area.x - 8)), ("y", svgNumber(midY + 4)),
          ("text-anchor", "end"), ("font-size", svgNumber(Style.tickSize)), ("fill", Style.text),
        ],
        text: truncated(bar.label, toWidth: labelRoom, fontSize: Style.tickSize))
      if bar.value.isFinite, let text = valueText(bar) {
        let x0 = xs(min(bar.value, 0))
        let x1 = xs(max(bar.value, 0))
        w.element(
          "rect",
          [
            ("class", "bar"), ("data-value", dataNumber(bar.value)), ("x", svgNumber(x0)),
            ("y", svgNumber(midY - barHeight / 2)), ("width", svgNumber(x1 - x0)),
            ("height", svgNumber(barHeight)), ("fill", (bar.color ?? color).hex),
          ])
        w.element(
          "text",
          [
            ("class", "value-label"), ("x", svgNumber(xs(bar.value) + (bar.value < 0 ? -6 : 6))),
            ("y", svgNumber(midY + 4)), ("text-anchor", bar.value < 0 ? "end" : "start"),
            ("font-size", svgNumber(Style.tickSize)), ("fill", Style.text),
          ], text: text)
      }
      w.close()
    }
    // The zero line, over the bars' starts.
    w.element(
      "line",
      [
        ("class", "baseline"), ("x1", svgNumber(xs(0))), ("y1", svgNumber(area.y)),
        ("x2", svgNumber(xs(0))), ("y2", svgNumber(area.maxY)), ("stroke", Style.axis),
      ])
    if showsAxis {
      drawXAxis(&w, area: area, scale: xs, ticks: ticks, title: xTitle, titleBaseline: height - 10)
    }
    if !bars.contains(where: { $0.value.isFinite }) { drawNoData(&w, in: area) }
    w.close()
    return w.finish()
  }
}
