// LineChart.swift — x/y charts: Kaplan–Meier step curves with confidence bands, power and
// type-I error curves with Monte Carlo error bars, reference lines and highlighted points.
//
// Drawing order, back to front: grid; bands; reference lines; lines; error bars; axes;
// markers and highlights; labels; legend. Lines, bands and error bars are clipped to the plot
// area (plus a few pixels, so a curve along the edge, such as S(t) = 1, keeps its full stroke
// width); markers and highlights outside the domain are skipped instead, because a clipped
// half-marker reads as a different shape.

/// A chart of one or more series against linear x and y axes.
///
/// ```swift
/// var chart = LineChart(title: "Overall survival", xTitle: "Months", yTitle: "Survival probability",
///                       yDomain: 0...1)
/// chart.series.append(LineSeries(name: "Real control", x: times, y: survival,
///                                interpolation: .step,
///                                band: ConfidenceBand(lower: lower, upper: upper)))
/// let svg = chart.svg()
/// ```
public struct LineChart: Sendable, Hashable {
  /// The chart title, centred above the plot; empty for none.
  public var title: String
  /// The x axis title, below the tick labels.
  public var xTitle: String
  /// The y axis title, rotated, left of the tick labels.
  public var yTitle: String
  /// Drawn in order, so later series are on top; series without a colour take the Okabe–Ito
  /// colour of their index.
  public var series: [LineSeries]
  public var referenceLines: [ReferenceLine]
  public var highlights: [HighlightedPoint]
  /// The x domain; `nil` spans the data (series, bands, error bars, reference lines and
  /// highlights), widened to nice tick bounds. An explicit domain is used exactly.
  public var xDomain: ClosedRange<Double>?
  /// The y domain; as ``xDomain``.
  public var yDomain: ClosedRange<Double>?
  /// The largest number of tick intervals wanted on the x axis.
  public var xTickCount: Int
  /// The largest number of tick intervals wanted on the y axis.
  public var yTickCount: Int
  public var xTickFormat: TickFormat
  public var yTickFormat: TickFormat
  public var legendPosition: LegendPosition
  public var showsGrid: Bool
  /// The image size in pixels (the `width`, `height` and `viewBox` of the `<svg>`).
  public var width: Double
  public var height: Double
  /// Space around the plot area; ``Margins/standard`` by default.
  public var margins: Margins

  /// Creates a line chart. Other properties start as: 6 x and 5 y tick intervals,
  /// ``TickFormat/automatic`` labels, ``LegendPosition/automatic``, grid shown.
  public init(
    title: String = "", xTitle: String = "", yTitle: String = "",
    series: [LineSeries] = [], referenceLines: [ReferenceLine] = [], highlights: [HighlightedPoint] = [],
    xDomain: ClosedRange<Double>? = nil, yDomain: ClosedRange<Double>? = nil,
    width: Double = 640, height: Double = 400, margins: Margins = .standard
  ) {
    self.title = title
    self.xTitle = xTitle
    self.yTitle = yTitle
    self.series = series
    self.referenceLines = referenceLines
    self.highlights = highlights
    self.xDomain = xDomain
    self.yDomain = yDomain
    self.xTickCount = 6
    self.yTickCount = 5
    self.xTickFormat = .automatic
    self.yTickFormat = .automatic
    self.legendPosition = .automatic
    self.showsGrid = true
    self.width = width
    self.height = height
    self.margins = margins
  }

  // MARK: - Geometry

  /// The rectangle inside the margins where data are drawn.
  public var plotArea: PlotArea { PlotArea(width: width, height: height, margins: margins) }

  /// Maps x data values to pixels: the domain's lower bound to the plot area's left edge.
  public var xScale: LinearScale {
    let area = plotArea
    let domain =
      xDomain
      ?? LinearScale(domain: dataExtent(allX), rangeStart: 0, rangeEnd: 1)
      .niced(count: xTickCount).domain
    return LinearScale(domain: domain, rangeStart: area.x, rangeEnd: area.maxX)
  }

  /// Maps y data values to pixels: the domain's lower bound to the plot area's *bottom* edge.
  public var yScale: LinearScale {
    let area = plotArea
    let domain =
      yDomain
      ?? LinearScale(domain: dataExtent(allY), rangeStart: 0, rangeEnd: 1)
      .niced(count: yTickCount).domain
    return LinearScale(domain: domain, rangeStart: area.maxY, rangeEnd: area.y)
  }

  private var allX: [Double] {
    series.flatMap { $0.finitePoints.map(\.x) }
      + referenceLines.filter { $0.orientation == .vertical }.map(\.value)
      + highlights.filter { $0.y.isFinite }.map(\.x)
  }

  private var allY: [Double] {
    var values: [Double] = []
    for s in series {
      values += s.finitePoints.map(\.y)
      if let band = s.band {
        for i in s.x.indices where s.x[i].isFinite { values += [band.lower[i], band.upper[i]] }
      }
      if let errors = s.errorBars {
        for i in s.y.indices where s.x[i].isFinite && errors[i].isFinite {
          values += [s.y[i] - errors[i], s.y[i] + errors[i]]
        }
      }
    }
    values += referenceLines.filter { $0.orientation == .horizontal }.map(\.value)
    values += highlights.filter { $0.x.isFinite }.map(\.y)
    return values
  }

  // MARK: - Rendering

  /// The chart as a standalone `<svg>` element, ready to inline in HTML.
  public func svg() -> String {
    let area = plotArea
    let xs = xScale
    let ys = yScale
    let xTicks = AxisTicks(scale: xs, count: xTickCount, format: xTickFormat)
    let yTicks = AxisTicks(scale: ys, count: yTickCount, format: yTickFormat)
    var w = startDocument(kind: "line-chart", width: width, height: height, title: title)
    if showsGrid { drawGrid(&w, area: area, x: (xs, xTicks), y: (ys, yTicks)) }

    // Pixel positions of everything drawn, so the legend can avoid them.
    var ink: [(Double, Double)] = []
    let slack = 4.0
    w.open(
      "svg",
      [
        ("class", "plot-area"), ("x", svgNumber(area.x - slack)), ("y", svgNumber(area.y - slack)),
        ("width", svgNumber(area.width + 2 * slack)), ("height", svgNumber(area.height + 2 * slack)),
        (
          "viewBox",
          "\(svgNumber(area.x - slack)) \(svgNumber(area.y - slack)) \(svgNumber(area.width + 2 * slack)) \(svgNumber(area.height + 2 * slack))"
        ),
        ("overflow", "hidden"),
      ])
    for (index, s) in series.enumerated() {
      guard let band = s.band else { continue }
      let color = s.color ?? Palette.color(at: index)
      let kept = s.x.indices.filter { s.x[$0].isFinite && band.lower[$0].isFinite && band.upper[$0].isFinite }
      guard !kept.isEmpty else { continue }
      let upper = vertices(kept.map { (s.x[$0], band.upper[$0]) }, s.interpolation, xs, ys)
      let lower = vertices(kept.map { (s.x[$0], band.lower[$0]) }, s.interpolation, xs, ys)
      ink += upper + lower
      w.element(
        "polygon",
        [
          ("class", "band"), ("data-series", s.name), ("points", pointList(upper + lower.reversed())),
          ("fill", color.hex), ("fill-opacity", svgNumber(band.opacity)), ("stroke", "none"),
        ])
    }
    for line in referenceLines where line.value.isFinite {
      let isHorizontal = line.orientation == .horizontal
      guard (isHorizontal ? ys : xs).contains(line.value) else { continue }
      let (x1, y1, x2, y2) =
        isHorizontal
        ? (area.x, ys(line.value), area.maxX, ys(line.value))
        : (xs(line.value), area.y, xs(line.value), area.maxY)
      ink += sampled([(x1, y1), (x2, y2)])
      w.element(
        "line",
        [
          ("class", "reference-line"), ("x1", svgNumber(x1)), ("y1", svgNumber(y1)),
          ("x2", svgNumber(x2)), ("y2", svgNumber(y2)), ("stroke", line.color.hex),
          ("stroke-width", "1.25"), ("stroke-dasharray", line.dash.dashArray),
        ])
    }
    for (index, s) in series.enumerated() {
      let color = s.color ?? Palette.color(at: index)
      let points = vertices(s.finitePoints.map { ($0.x, $0.y) }, s.interpolation, xs, ys)
      guard !points.isEmpty else { continue }
      ink += sampled(points)
      w.element(
        "polyline",
        [
          ("class", "series"), ("data-series", s.name), ("points", pointList(points)),
          ("fill", "none"), ("stroke", color.hex), ("stroke-width", svgNumber(s.lineWidth)),
          ("stroke-linejoin", "round"), ("stroke-dasharray", s.dash.dashArray),
        ])
    }
    for (index, s) in series.enumerated() {
      guard let errors = s.errorBars else { continue }
      let color = s.color ?? Palette.color(at: index)
      for i in s.x.indices where s.x[i].isFinite && s.y[i].isFinite && errors[i].isFinite && errors[i] >= 0 {
        let px = xs(s.x[i])
        let top = ys(s.y[i] + errors[i])
        let bottom = ys(s.y[i] - errors[i])
        let (x, l, r) = (svgNumber(px), svgNumber(px - 3), svgNumber(px + 3))
        ink += [(px, top), (px, bottom)]
        w.element(
          "path",
          [
            ("class", "error-bar"), ("data-series", s.name),
            ("d", "M\(x) \(svgNumber(top))V\(svgNumber(bottom))M\(l) \(svgNumber(top))H\(r)M\(l) \(svgNumber(bottom))H\(r)"),
            ("stroke", color.hex), ("stroke-width", "1.25"), ("fill", "none"),
          ])
      }
    }
    w.close()

    drawXAxis(&w, area: area, scale: xs, ticks: xTicks, title: xTitle, titleBaseline: height - 12)
    drawYAxis(&w, area: area, scale: ys, ticks: yTicks, title: yTitle, titleX: 16)

    for (index, s) in series.enumerated() {
      guard let marker = s.marker else { continue }
      let color = s.color ?? Palette.color(at: index)
      for p in s.finitePoints where xs.contains(p.x) && ys.contains(p.y) {
        drawMarker(
          &w, shape: marker, x: xs(p.x), y: ys(p.y), color: color,
          attributes: [
            ("class", "point"), ("data-series", s.name),
            ("data-x", dataNumber(p.x)), ("data-y", dataNumber(p.y)),
          ])
      }
    }
    drawHighlights(&w, area: area, xs: xs, ys: ys, ink: &ink)
    drawReferenceLabels(&w, area: area, xs: xs, ys: ys, ink: &ink)

    let entries = series.enumerated().compactMap { index, s -> LegendEntry? in
      guard s.showsInLegend, !s.name.isEmpty else { return nil }
      return LegendEntry(
        label: s.name, color: s.color ?? Palette.color(at: index),
        swatch: .line(dash: s.dash, width: s.lineWidth, marker: s.marker, bandOpacity: s.band?.opacity))
    }
    drawLegend(&w, entries: entries, position: legendPosition, area: area, ink: ink)
    if series.allSatisfy({ $0.finitePoints.isEmpty }) { drawNoData(&w, in: area) }
    w.close()
    return w.finish()
  }

  private func drawHighlights(
    _ w: inout SVGWriter, area: PlotArea, xs: LinearScale, ys: LinearScale,
    ink: inout [(Double, Double)]
  ) {
    for h in highlights where h.x.isFinite && h.y.isFinite && xs.contains(h.x) && ys.contains(h.y) {
      let px = xs(h.x)
      let py = ys(h.y)
      ink += sampledRectangle(px - 7, py - 7, px + 7, py + 7)
      w.open("g", [("class", "highlight"), ("data-x", dataNumber(h.x)), ("data-y", dataNumber(h.y))])
      w.element(
        "circle",
        [
          ("cx", svgNumber(px)), ("cy", svgNumber(py)), ("r", "7"), ("fill", "#FFFFFF"),
          ("stroke", h.color.hex), ("stroke-width", "2"),
        ])
      w.element("circle", [("cx", svgNumber(px)), ("cy", svgNumber(py)), ("r", "2.5"), ("fill", h.color.hex)])
      if !h.label.isEmpty {
        let width = estimatedTextWidth(h.label, fontSize: 12)
        let label = TextPlacement.leastCrowded(
          [
            TextPlacement(x: px + 10, y: py - 10, anchor: "start", width: width),  // above right
            TextPlacement(x: px + 10, y: py + 20, anchor: "start", width: width),  // below right
            TextPlacement(x: px - 10, y: py - 10, anchor: "end", width: width),  // above left
            TextPlacement(x: px - 10, y: py + 20, anchor: "end", width: width),  // below left
          ], area: area, ink: &ink)
        w.element(
          "text",
          [
            ("class", "highlight-label"), ("x", svgNumber(label.x)), ("y", svgNumber(label.y)),
            ("text-anchor", label.anchor), ("font-size", "12"), ("font-weight", "600"),
            ("fill", h.color.hex),
          ] + TextPlacement.halo, text: h.label)
      }
      w.close()
    }
  }

  private func drawReferenceLabels(
    _ w: inout SVGWriter, area: PlotArea, xs: LinearScale, ys: LinearScale,
    ink: inout [(Double, Double)]
  ) {
    for line in referenceLines where line.value.isFinite && !line.label.isEmpty {
      let width = estimatedTextWidth(line.label, fontSize: 12)
      let candidates: [TextPlacement]
      switch line.orientation {
      case .horizontal:
        guard ys.contains(line.value) else { continue }
        let py = ys(line.value)
        candidates = [  // above or below the line, at its right end first, then its left end
          TextPlacement(x: area.maxX - 4, y: py - 5, anchor: "end", width: width),
          TextPlacement(x: area.maxX - 4, y: py + 14, anchor: "end", width: width),
          TextPlacement(x: area.x + 6, y: py - 5, anchor: "start", width: width),
          TextPlacement(x: area.x + 6, y: py + 14, anchor: "start", width: width),
        ]
      case .vertical:
        guard xs.contains(line.value) else { continue }
        let px = xs(line.value)
        candidates = [  // beside the line, at its top first, then its bottom
          TextPlacement(x: px + 4, y: area.y + 14, anchor: "start", width: width),
          TextPlacement(x: px - 4, y: area.y + 14, anchor: "end", width: width),
          TextPlacement(x: px + 4, y: area.maxY - 6, anchor: "start", width: width),
          TextPlacement(x: px - 4, y: area.maxY - 6, anchor: "end", width: width),
        ]
      }
      let label = TextPlacement.leastCrowded(candidates, area: area, ink: &ink)
      w.element(
        "text",
        [
          ("class", "reference-label"), ("x", svgNumber(label.x)), ("y", svgNumber(label.y)),
          ("text-anchor", label.anchor), ("font-size", "12"), ("fill", line.color.hex),
        ]
          + TextPlacement.halo, text: line.label)
    }
  }
}

// MARK: - Label placement

/// A candidate position for a 12 px label: baseline point, anchor and estimated width.
struct TextPlacement {
  var x: Double
  var y: Double
  var anchor: String
  var width: Double

  /// The label's approximate box: ascent 10 px above the baseline, descent 3 px below.
  var box: PlotArea {
    PlotArea(x: anchor == "end" ? x - width : x, y: y - 10, width: width, height: 13)
  }

  /// A white outline painted under the glyphs, so a label stays readable where it crosses a
  /// line or grid. `paint-order` is SVG 2, supported by current Chrome, Firefox and Safari;
  /// where it is not, the label is merely outlined in white.
  static let halo: [SVGWriter.Attribute] = [
    ("stroke", "#FFFFFF"), ("stroke-width", "3"), ("stroke-linejoin", "round"), ("paint-order", "stroke"),
  ]

  /// The first candidate among those covering the fewest drawn points (candidates that leave
  /// the plot area count as crowded); its box is added to `ink` so later labels and the legend
  /// avoid it.
  static func leastCrowded(
    _ candidates: [TextPlacement], area: PlotArea,
    ink: inout [(Double, Double)]
  ) -> TextPlacement {
    precondition(!candidates.isEmpty)
    var best = candidates[0]
    var bestCount = Int.max
    for candidate in candidates {
      let b = candidate.box
      let inside = b.x >= area.x && b.maxX <= area.maxX && b.y >= area.y && b.maxY <= area.maxY
      let crowd = ink.reduce(0) { $0 + (b.contains($1.0, $1.1) ? 1 : 0) } + (inside ? 0 : 1_000_000)
      if crowd < bestCount {
        best = candidate
        bestCount = crowd
      }
    }
    let b = best.box
    ink += sampledRectangle(b.x, b.y, b.maxX, b.maxY)
    return best
  }
}

// MARK: - Geometry helpers

/// Pixel vertices for points joined per `interpolation`. A step function at (x₀,y₀), (x₁,y₁), …
/// becomes (x₀,y₀), (x₁,y₀), (x₁,y₁), (x₂,y₁), (x₂,y₂), …: horizontal first, then vertical.
func vertices(
  _ points: [(Double, Double)], _ interpolation: Interpolation, _ xs: LinearScale,
  _ ys: LinearScale
) -> [(Double, Double)] {
  var out: [(Double, Double)] = []
  out.reserveCapacity(interpolation == .step ? 2 * points.count : points.count)
  for (i, p) in points.enumerated() {
    if interpolation == .step, i > 0 { out.append((xs(p.0), ys(points[i - 1].1))) }
    out.append((xs(p.0), ys(p.1)))
  }
  return out
}

/// `"x,y x,y …"` for `points=` attributes.
func pointList(_ points: [(Double, Double)]) -> String {
  points.map { "\(svgNumber($0.0)),\(svgNumber($0.1))" }.joined(separator: " ")
}

/// Points every ~8 px along a polyline, for the legend's overlap count.
func sampled(_ points: [(Double, Double)]) -> [(Double, Double)] {
  guard var previous = points.first else { return [] }
  var out = [previous]
  for p in points.dropFirst() {
    let length = ((p.0 - previous.0) * (p.0 - previous.0) + (p.1 - previous.1) * (p.1 - previous.1)).squareRoot()
    let steps = min(Int(length / 8), 200)
    if steps > 0 {
      for k in 1...steps {
        let t = Double(k) / Double(steps + 1)
        out.append((previous.0 + (p.0 - previous.0) * t, previous.1 + (p.1 - previous.1) * t))
      }
    }
    out.append(p)
    previous = p
  }
  return out
}

/// Points on a 10 px grid over a rectangle (and its corners), for the legend's overlap count.
func sampledRectangle(_ x0: Double, _ y0: Double, _ x1: Double, _ y1: Double) -> [(Double, Double)] {
  let (left, right, top, bottom) = (min(x0, x1), max(x0, x1), min(y0, y1), max(y0, y1))
  var out = [(left, top), (right, top), (left, bottom), (right, bottom)]
  var y = top
  while y <= bottom {
    var x = left
    while x <= right {
      out.append((x, y))
      x += 10
    }
    y += 10
  }
  return out
}

/// A data value for `data-*` attributes: up to 6 decimals, trailing zeros dropped; enough to
/// identify a point without making the markup long.
func dataNumber(_ value: Double) -> String { formatTrimmed(value, maxDecimals: 6) }
