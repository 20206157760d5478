// DistributionChart.swift — real versus synthetic covariate distributions: overlaid histograms
// for numeric covariates and grouped bars for categorical ones.
//
// The caller bins and normalises (the audit already has the proportions); these types only
// draw. Overlaid histograms use translucent fills with opaque outlines, so where the groups
// agree the colours blend and where they differ each outline remains visible.

/// The values of one group (e.g. "Real" or "Synthetic") in a distribution chart.
public struct BarGroup: Sendable, Hashable {
  public var name: String
  /// One value per bin or category, e.g. proportions. NaN or infinite values draw no bar.
  public var values: [Double]
  /// `nil` takes the Okabe–Ito colour for the group's index.
  public var color: Color?

  /// Creates a group; `values` has one entry per bin or category.
  public init(name: String, values: [Double], color: Color? = nil) {
    self.name = name
    self.values = values
    self.color = color
  }
}

// MARK: - Histogram overlay

/// Histograms of several groups over the same bins, drawn on top of each other.
///
/// ```swift
/// let chart = HistogramOverlay(title: "Age at diagnosis", xTitle: "Years",
///                              binEdges: [20, 30, 40, 50, 60, 70, 80],
///                              groups: [BarGroup(name: "Real", values: real),
///                                       BarGroup(name: "Synthetic", values: synthetic)])
/// ```
public struct HistogramOverlay: Sendable, Hashable {
  public var title: String
  public var xTitle: String
  public var yTitle: String
  /// Increasing bin edges; bin i spans `binEdges[i]..<binEdges[i + 1]`.
  public var binEdges: [Double]
  /// Each group has one value per bin (`binEdges.count - 1`).
  public var groups: [BarGroup]
  /// Fill opacity of each group's bars.
  public var opacity: Double
  public var yTickFormat: TickFormat
  public var legendPosition: LegendPosition
  public var width: Double
  public var height: Double
  public var margins: Margins

  /// Creates an overlaid histogram; each group needs `binEdges.count - 1` values. Bars have
  /// fill opacity 0.35 and the legend is placed automatically.
  public init(
    title: String = "", xTitle: String = "", yTitle: String = "Proportion",
    binEdges: [Double], groups: [BarGroup],
    width: Double = 640, height: Double = 400, margins: Margins = .standard
  ) {
    for group in groups {
      precondition(
        group.values.count == max(binEdges.count - 1, 0),
        "HistogramOverlay group \"\(group.name)\" has \(group.values.count) values for \(max(binEdges.count - 1, 0)) bins")
    }
    self.title = title
    self.xTitle = xTitle
    self.yTitle = yTitle
    self.binEdges = binEdges
    self.groups = groups
    self.opacity = 0.35
    self.yTickFormat = .automatic
    self.legendPosition = .automatic
    self.width = width
    self.height = height
    self.margins = margins
  }

  public var plotArea: PlotArea { PlotArea(width: width, height: height, margins: margins) }

  /// The bin edges' span, exactly: bars then meet both ends of the axis.
  public var xScale: LinearScale {
    LinearScale(domain: dataExtent(binEdges), rangeStart: plotArea.x, rangeEnd: plotArea.maxX)
  }

  /// From 0 (or the smallest negative value) to the largest value, widened to nice bounds.
  public var yScale: LinearScale {
    let values = groups.flatMap(\.values) + [0]
    let domain = LinearScale(domain: dataExtent(values), rangeStart: 0, rangeEnd: 1).niced().domain
    return LinearScale(domain: domain, rangeStart: plotArea.maxY, rangeEnd: plotArea.y)
  }

  /// The chart as a standalone `<svg>` element.
  public func svg() -> String {
    let area = plotArea
    let xs = xScale
    let ys = yScale
    let xTicks = AxisTicks(scale: xs, count: 6, format: .automatic)
    let yTicks = AxisTicks(scale: ys, count: 5, format: yTickFormat)
    var w = startDocument(kind: "histogram", width: width, height: height, title: title)
    drawGrid(&w, area: area, x: nil, y: (ys, yTicks))
    var ink: [(Double, Double)] = []
    var drewBars = false
    // Fills of every group first, then every group's outline on top: an outline drawn under
    // another group's fill would be tinted and hard to follow.
    var outlines: [(name: String, color: Color, points: [(Double, Double)])] = []
    for (index, group) in groups.enumerated() {
      let color = group.color ?? Palette.color(at: index)
      // The outline runs along the bars' tops and drops to the baseline at each end of a run
      // of drawn bars.
      var outline: [(Double, Double)] = []
      func finishRun() {
        guard let last = outline.last else { return }
        outlines.append((group.name, color, outline + [(last.0, ys(0))]))
        outline = []
      }
      w.open("g", [("class", "bars"), ("data-series", group.name)])
      for (bin, value) in group.values.enumerated() {
        let (left, right) = (binEdges[bin], binEdges[bin + 1])
        guard value.isFinite, left.isFinite, right.isFinite, right > left else {
          finishRun()
          continue
        }
        let x0 = xs(left)
        let x1 = xs(right)
        let top = ys(max(value, 0))
        let bottom = ys(min(value, 0))
        ink += sampledRectangle(x0, top, x1, bottom)
        drewBars = true
        if outline.isEmpty { outline.append((x0, ys(0))) }
        outline += [(x0, ys(value)), (x1, ys(value))]
        w.element(
          "rect",
          [
            ("class", "bar"), ("data-series", group.name), ("data-bin", String(bin)),
            ("data-value", dataNumber(value)), ("x", svgNumber(x0)), ("y", svgNumber(top)),
            ("width", svgNumber(x1 - x0)), ("height", svgNumber(bottom - top)),
            ("fill", color.hex), ("fill-opacity", svgNumber(opacity)),
          ])
      }
      w.close()
      finishRun()
    }
    for outline in outlines {
      w.element(
        "polyline",
        [
          ("class", "series"), ("data-series", outline.name), ("points", pointList(outline.points)),
          ("fill", "none"), ("stroke", outline.color.hex), ("stroke-width", "1.75"),
          ("stroke-linejoin", "miter"),
        ])
    }
    drawXAxis(&w, area: area, scale: xs, ticks: xTicks, title: xTitle, titleBaseline: height - 12)
    drawYAxis(&w, area: area, scale: ys, ticks: yTicks, title: yTitle, titleX: 16)
    let entries = groups.enumerated().map { index, group in
      LegendEntry(label: group.name, color: group.color ?? Palette.color(at: index), swatch: .box(opacity: opacity))
    }
    drawLegend(&w, entries: entries, position: legendPosition, area: area, ink: ink)
    if !drewBars { drawNoData(&w, in: area) }
    w.close()
    return w.finish()
  }
}

// MARK: - Grouped bars

/// Bars side by side for each category, one per group; for categorical covariates.
///
/// ```swift
/// let chart = GroupedBarChart(title: "ECOG performance status", categories: ["0", "1", "2"],
///                             groups: [BarGroup(name: "Real", values: [0.41, 0.47, 0.12]),
///                                      BarGroup(name: "Synthetic", values: [0.39, 0.49, 0.12])])
/// ```
public struct GroupedBarChart: Sendable, Hashable {
  public var title: String
  public var xTitle: String
  public var yTitle: String
  public var categories: [String]
  /// Each group has one value per category.
  public var groups: [BarGroup]
  /// When set, each bar is labelled with its value in this format (e.g. `.percent(decimals: 0)`).
  public var valueFormat: TickFormat?
  public var yTickFormat: TickFormat
  public var legendPosition: LegendPosition
  public var width: Double
  public var height: Double
  public var margins: Margins

  /// Creates a grouped bar chart; each group needs one value per category.
  public init(
    title: String = "", xTitle: String = "", yTitle: String = "Proportion",
    categories: [String], groups: [BarGroup], valueFormat: TickFormat? = nil,
    width: Double = 640, height: Double = 400, margins: Margins = .standard
  ) {
    for group in groups {
      precondition(
        group.values.count == categories.count,
        "GroupedBarChart group \"\(group.name)\" has \(group.values.count) values for \(categories.count) categories")
    }
    self.title = title
    self.xTitle = xTitle
    self.yTitle = yTitle
    self.categories = categories
    self.groups = groups
    self.valueFormat = valueFormat
    self.yTickFormat = .automatic
    self.legendPosition = .automatic
    self.width = width
    self.height = height
    self.margins = margins
  }

  /// How category labels are set: on one line when they all fit under their bars; otherwise
  /// wrapped at spaces onto two or three lines (the bottom margin grows by a line each); and when
  /// a single word is too wide, turned 35° with the margin grown to hold them (up to a third of
  /// the height; longer labels are shortened with "…").
  private enum LabelMode {
    case straight
    case wrapped([[String]])
    case rotated(room: Double)
  }

  private var layout: (area: PlotArea, labels: LabelMode) {
    let base = PlotArea(width: width, height: height, margins: margins)
    let room = base.width / Double(max(categories.count, 1)) - 6
    let widest = categories.map { estimatedTextWidth($0, fontSize: Style.tickSize) }.max() ?? 0
    guard widest > room else { return (base, .straight) }
    var adjusted = margins
    let lines = categories.map { wrapped($0, toWidth: room, fontSize: Style.tickSize) }
    let fits = lines.allSatisfy { $0.count <= 3 && $0.allSatisfy { estimatedTextWidth($0, fontSize: Style.tickSize) <= room } }
    if fits {
      let extraLines = Double((lines.map(\.count).max() ?? 1) - 1)
      adjusted.bottom = margins.bottom + 14 * extraLines
      return (PlotArea(width: width, height: height, margins: adjusted), .wrapped(lines))
    }
    let rotatedRoom = min(widest, height / 3 / 0.574)  // sin 35° ≈ 0.574 turns width into height
    adjusted.bottom = max(margins.bottom, rotatedRoom * 0.574 + 36)
    return (PlotArea(width: width, height: height, margins: adjusted), .rotated(room: rotatedRoom))
  }

  public var plotArea: PlotArea { layout.area }

  /// From 0 (or the smallest negative value) to the largest value, widened to nice bounds.
  public var yScale: LinearScale {
    let values = groups.flatMap(\.values) + [0]
    let domain = LinearScale(domain: dataExtent(values), rangeStart: 0, rangeEnd: 1).niced().domain
    return LinearScale(domain: domain, rangeStart: plotArea.maxY, rangeEnd: plotArea.y)
  }

  /// The chart as a standalone `<svg>` element.
  public func svg() -> String {
    let (area, labelMode) = layout
    let ys = yScale
    let yTicks = AxisTicks(scale: ys, count: 5, format: yTickFormat)
    var w = startDocument(kind: "grouped-bar-chart", width: width, height: height, title: title)
    drawGrid(&w, area: area, x: nil, y: (ys, yTicks))
    let band = area.width / Double(max(categories.count, 1))
    // 80 % of each category's band holds its bars, leaving a gap between categories.
    let barWidth = band * 0.8 / Double(max(groups.count, 1))
    var ink: [(Double, Double)] = []
    var drewBars = false
    for (index, group) in groups.enumerated() {
      let color = group.color ?? Palette.color(at: index)
      w.open("g", [("class", "bars"), ("data-series", group.name)])
      for (c, value) in group.values.enumerated() where value.isFinite {
        let x0 = area.x + Double(c) * band + band * 0.1 + Double(index) * barWidth
        let top = ys(max(value, 0))
        let bottom = ys(min(value, 0))
        ink += sampledRectangle(x0, top, x0 + barWidth, bottom)
        drewBars = true
        w.element(
          "rect",
          [
            ("class", "bar"), ("data-series", group.name), ("data-category", categories[c]),
            ("data-value", dataNumber(value)), ("x", svgNumber(x0)), ("y", svgNumber(top)),
            ("width", svgNumber(barWidth)), ("height", svgNumber(bottom - top)),
            ("fill", color.hex),
          ])
        if let valueFormat {
          w.element(
            "text",
            [
              ("class", "value-label"), ("x", svgNumber(x0 + barWidth / 2)),
              ("y", svgNumber(top - 4)), ("text-anchor", "middle"), ("font-size", "11"),
              ("fill", Style.mutedText),
            ],
            text: valueFormat.text(value, automaticDecimals: 2))
        }
      }
      w.close()
    }
    // The category axis: a baseline and one label per category, centred under its bars.
    w.open("g", [("class", "axis x-axis")])
    w.element(
      "line",
      [
        ("x1", svgNumber(area.x)), ("y1", svgNumber(ys(0))), ("x2", svgNumber(area.maxX)),
        ("y2", svgNumber(ys(0))), ("stroke", Style.axis),
      ])
    for (c, category) in categories.enumerated() {
      let cx = svgNumber(area.x + (Double(c) + 0.5) * band)
      let y = area.maxY + 17
      var attributes: [SVGWriter.Attribute] = [
        ("class", "tick-label"), ("x", cx), ("y", svgNumber(y)),
        ("font-size", svgNumber(Style.tickSize)), ("fill", Style.mutedText),
      ]
      switch labelMode {
      case .straight:
        w.element("text", attributes + [("text-anchor", "middle")], text: category)
      case .wrapped(let lines):
        w.open("text", attributes + [("text-anchor", "middle"), ("data-label", category)])
        for (i, line) in lines[c].enumerated() {
          w.element("tspan", [("x", cx), ("dy", i == 0 ? "0" : "14")], text: line)
        }
        w.close()
      case .rotated(let room):
        attributes += [("text-anchor", "end"), ("transform", "rotate(-35 \(cx) \(svgNumber(y - 4)))")]
        w.element("text", attributes, text: truncated(category, toWidth: room, fontSize: Style.tickSize))
      }
    }
    if !xTitle.isEmpty {
      w.element(
        "text",
        [
          ("class", "axis-title"), ("x", svgNumber(area.midX)), ("y", svgNumber(height - 12)),
          ("text-anchor", "middle"), ("font-size", svgNumber(Style.axisTitleSize)),
          ("fill", Style.text),
        ], text: xTitle)
    }
    w.close()
    drawYAxis(&w, area: area, scale: ys, ticks: yTicks, title: yTitle, titleX: 16)
    let entries = groups.enumerated().map { index, group in
      LegendEntry(label: group.name, color: group.color ?? Palette.color(at: index), swatch: .box(opacity: 1))
    }
    drawLegend(&w, entries: entries, position: legendPosition, area: area, ink: ink)
    if !drewBars { drawNoData(&w, in: area) }
    w.close()
    return w.finish()
  }
}
