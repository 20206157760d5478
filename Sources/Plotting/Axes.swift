// Axes.swift — what every chart shares: the document frame, title, axes, grid, legend and the
// "no data" note.
//
// Styling is written as presentation attributes on each element, never as a <style> block: CSS
// inside an inline <svg> applies to the whole HTML page, so two charts (or the report's own
// stylesheet) would restyle each other. For the same reason no element carries an `id`; clipping
// uses a nested <svg> viewport, which clips without needing a referenceable <clipPath>.

/// Space between the edge of the image and the plot area, in pixels.
public struct Margins: Sendable, Hashable {
  public var top: Double
  public var right: Double
  public var bottom: Double
  public var left: Double

  /// Creates margins, in pixels, clockwise from the top as in CSS.
  public init(top: Double, right: Double, bottom: Double, left: Double) {
    self.top = top
    self.right = right
    self.bottom = bottom
    self.left = left
  }

  /// Room for a one-line title, x tick labels and title, and y tick labels of up to about
  /// six characters with a rotated y title.
  public static let standard = Margins(top: 44, right: 24, bottom: 52, left: 64)
}

/// A rectangle in SVG pixels (y grows downwards).
public struct PlotArea: Sendable, Hashable {
  public var x: Double
  public var y: Double
  public var width: Double
  public var height: Double

  /// Creates a rectangle from its top-left corner and size.
  public init(x: Double, y: Double, width: Double, height: Double) {
    self.x = x
    self.y = y
    self.width = width
    self.height = height
  }

  /// The plot area of an image of `width` × `height` with `margins`; never negative in size.
  public init(width: Double, height: Double, margins: Margins) {
    self.init(
      x: margins.left, y: margins.top,
      width: max(width - margins.left - margins.right, 1),
      height: max(height - margins.top - margins.bottom, 1))
  }

  public var maxX: Double { x + width }
  public var maxY: Double { y + height }
  public var midX: Double { x + width / 2 }
  public var midY: Double { y + height / 2 }

  func contains(_ px: Double, _ py: Double) -> Bool {
    px >= x && px <= maxX && py >= y && py <= maxY
  }
}

/// How tick labels (and other generated numbers) are printed. Output never depends on the
/// locale: the decimal separator is always ".".
public enum TickFormat: Sendable, Hashable {
  /// As many decimals as the tick step needs (0.2 steps print "0.4", 50 steps print "150").
  case automatic
  /// A fixed number of decimals.
  case decimals(Int)
  /// The value × 100 with a fixed number of decimals and a "%" sign (0.025 → "2.5%").
  case percent(decimals: Int)

  /// `value` as text; `automaticDecimals` is used by ``automatic``.
  func text(_ value: Double, automaticDecimals: Int) -> String {
    switch self {
    case .automatic: formatFixed(value, decimals: automaticDecimals)
    case .decimals(let d): formatFixed(value, decimals: d)
    case .percent(let d): formatFixed(value * 100, decimals: d) + "%"
    }
  }
}

/// Where the legend box goes, inside the plot area.
public enum LegendPosition: Sendable, Hashable {
  /// The corner that covers the fewest drawn data points (as matplotlib's `loc="best"`),
  /// preferring top right, then bottom left, bottom right, top left.
  case automatic
  case topRight, topLeft, bottomRight, bottomLeft
  /// No legend.
  case hidden
}

// MARK: - Typography and colours

enum Style {
  // System UI fonts first so the report matches the platform; generic sans-serif last.
  // Family names are left unquoted (valid CSS for these identifiers) to keep quotes out of
  // attribute values.
  static let fontFamily = "system-ui, -apple-system, Segoe UI, Roboto, Helvetica Neue, Arial, sans-serif"
  static let titleSize = 14.0
  static let axisTitleSize = 13.0
  static let tickSize = 12.0
  static let legendSize = 12.0
  static let text = "#222222"
  static let mutedText = "#444444"
  static let axis = "#333333"
  static let grid = "#E5E5E5"
  static let tickLength = 5.0
}

/// An estimate of rendered text width. Digits in Helvetica/Arial/Roboto are 0.556 em and
/// average lower-case text is close to that; 0.58 em errs towards more room. Used only to
/// place labels and legends, never for anything a test checks to the pixel.
func estimatedTextWidth(_ text: String, fontSize: Double) -> Double {
  Double(text.count) * fontSize * 0.58
}

/// `text` shortened with "…" so that it fits in `width` pixels at `fontSize`.
func truncated(_ text: String, toWidth width: Double, fontSize: Double) -> String {
  let maxCharacters = max(Int(width / (fontSize * 0.58)), 1)
  guard text.count > maxCharacters else { return text }
  return String(text.prefix(max(maxCharacters - 1, 0))) + "…"
}

/// `text` split at spaces into lines of at most `width` pixels (greedily); a word wider than
/// `width` gets a line of its own.
func wrapped(_ text: String, toWidth width: Double, fontSize: Double) -> [String] {
  var lines: [String] = []
  var current = ""
  for word in text.split(separator: " ") {
    let candidate = current.isEmpty ? String(word) : current + " " + word
    if current.isEmpty || estimatedTextWidth(candidate, fontSize: fontSize) <= width {
      current = candidate
    } else {
      lines.append(current)
      current = String(word)
    }
  }
  if !current.isEmpty { lines.append(current) }
  return lines.isEmpty ? [""] : lines
}

// MARK: - Document

/// Opens the root <svg> with a white background and an accessible name.
///
/// `width`/`height` give the intrinsic size and `viewBox` the coordinate system, so the image
/// scales when the page is narrower; `max-width: 100%` in the element's own style attribute
/// (which, unlike a <style> block, affects only this element) lets it shrink with the page.
func startDocument(kind: String, width: Double, height: Double, title: String) -> SVGWriter {
  var w = SVGWriter()
  w.open(
    "svg",
    [
      ("xmlns", "http://www.w3.org/2000/svg"),
      ("class", "syntharm-plot \(kind)"),
      ("width", svgNumber(width)), ("height", svgNumber(height)),
      ("viewBox", "0 0 \(svgNumber(width)) \(svgNumber(height))"),
      ("role", "img"), ("aria-label", title.isEmpty ? kind : title),
      ("font-family", Style.fontFamily),
      ("style", "max-width: 100%; height: auto;"),
    ])
  if !title.isEmpty { w.element("title", text: title) }
  w.element(
    "rect",
    [
      ("class", "background"), ("x", "0"), ("y", "0"),
      ("width", svgNumber(width)), ("height", svgNumber(height)), ("fill", "#FFFFFF"),
    ])
  if !title.isEmpty {
    w.element(
      "text",
      [
        ("class", "title"), ("x", svgNumber(width / 2)), ("y", "26"),
        ("text-anchor", "middle"), ("font-size", svgNumber(Style.titleSize)),
        ("font-weight", "600"), ("fill", Style.text),
      ], text: title)
  }
  return w
}

/// A centred "No data" note, so an empty chart says why it is empty.
func drawNoData(_ w: inout SVGWriter, in area: PlotArea) {
  w.element(
    "text",
    [
      ("class", "no-data"), ("x", svgNumber(area.midX)), ("y", svgNumber(area.midY)),
      ("text-anchor", "middle"), ("font-size", "13"), ("fill", "#767676"),
    ],
    text: "No data")
}

// MARK: - Axes

/// Tick positions and labels for one axis.
struct AxisTicks {
  var values: [Double]
  var labels: [String]

  init(scale: LinearScale, count: Int, format: TickFormat) {
    values = scale.ticks(count: count)
    let decimals = scale.tickDecimals(count: count)
    labels = values.map { format.text($0, automaticDecimals: decimals) }
  }
}

/// Light horizontal and vertical grid lines at the ticks, behind the data.
func drawGrid(_ w: inout SVGWriter, area: PlotArea, x: (LinearScale, AxisTicks)?, y: (LinearScale, AxisTicks)?) {
  w.open("g", [("class", "grid"), ("stroke", Style.grid), ("stroke-width", "1")])
  if let (scale, ticks) = x {
    for value in ticks.values {
      let px = svgNumber(scale(value))
      w.element("line", [("x1", px), ("y1", svgNumber(area.y)), ("x2", px), ("y2", svgNumber(area.maxY))])
    }
  }
  if let (scale, ticks) = y {
    for value in ticks.values {
      let py = svgNumber(scale(value))
      w.element("line", [("x1", svgNumber(area.x)), ("y1", py), ("x2", svgNumber(area.maxX)), ("y2", py)])
    }
  }
  w.close()
}

/// The x axis along the bottom of `area`: line, outward ticks, labels and a centred title.
func drawXAxis(
  _ w: inout SVGWriter, area: PlotArea, scale: LinearScale, ticks: AxisTicks,
  title: String, titleBaseline: Double
) {
  w.open("g", [("class", "axis x-axis")])
  let baseY = area.maxY
  w.element(
    "line",
    [
      ("x1", svgNumber(area.x)), ("y1", svgNumber(baseY)), ("x2", svgNumber(area.maxX)),
      ("y2", svgNumber(baseY)), ("stroke", Style.axis), ("stroke-width", "1"),
    ])
  for (value, label) in zip(ticks.values, ticks.labels) {
    let px = svgNumber(scale(value))
    w.element(
      "line",
      [
        ("class", "tick"), ("x1", px), ("y1", svgNumber(baseY)), ("x2", px),
        ("y2", svgNumber(baseY + Style.tickLength)), ("stroke", Style.axis),
      ])
    w.element(
      "text",
      [
        ("class", "tick-label"), ("x", px), ("y", svgNumber(baseY + Style.tickLength + 13)),
        ("text-anchor", "middle"), ("font-size", svgNumber(Style.tickSize)),
        ("fill", Style.mutedText),
      ], text: label)
  }
  if !title.isEmpty {
    w.element(
      "text",
      [
        ("class", "axis-title"), ("x", svgNumber(area.midX)), ("y", svgNumber(titleBaseline)),
        ("text-anchor", "middle"), ("font-size", svgNumber(Style.axisTitleSize)),
        ("fill", Style.text),
      ], text: title)
  }
  w.close()
}

/// The y axis along the left of `area`, with a title rotated to read bottom to top.
func drawYAxis(
  _ w: inout SVGWriter, area: PlotArea, scale: LinearScale, ticks: AxisTicks,
  title: String, titleX: Double
) {
  w.open("g", [("class", "axis y-axis")])
  w.element(
    "line",
    [
      ("x1", svgNumber(area.x)), ("y1", svgNumber(area.y)), ("x2", svgNumber(area.x)),
      ("y2", svgNumber(area.maxY)), ("stroke", Style.axis), ("stroke-width", "1"),
    ])
  for (value, label) in zip(ticks.values, ticks.labels) {
    let py = scale(value)
    w.element(
      "line",
      [
        ("class", "tick"), ("x1", svgNumber(area.x - Style.tickLength)), ("y1", svgNumber(py)),
        ("x2", svgNumber(area.x)), ("y2", svgNumber(py)), ("stroke", Style.axis),
      ])
    // +4 px ≈ 0.33 em moves the baseline so digits are centred on the tick; dominant-baseline
    // would say this directly but is ignored by some SVG renderers (librsvg, older WebKit).
    w.element(
      "text",
      [
        ("class", "tick-label"), ("x", svgNumber(area.x - Style.tickLength - 3)),
        ("y", svgNumber(py + 4)), ("text-anchor", "end"),
        ("font-size", svgNumber(Style.tickSize)), ("fill", Style.mutedText),
      ], text: label)
  }
  if !title.isEmpty {
    let x = svgNumber(titleX)
    let y = svgNumber(area.midY)
    w.element(
      "text",
      [
        ("class", "axis-title"), ("x", x), ("y", y), ("transform", "rotate(-90 \(x) \(y))"),
        ("text-anchor", "middle"), ("font-size", svgNumber(Style.axisTitleSize)),
        ("fill", Style.text),
      ], text: title)
  }
  w.close()
}

// MARK: - Legend

/// One legend row: a swatch and a label.
struct LegendEntry {
  enum Swatch {
    /// A line sample, optionally over a band and with a marker in the middle.
    case line(dash: LineDash, width: Double, marker: MarkerShape?, bandOpacity: Double?)
    /// A filled box, as for bars.
    case box(opacity: Double)
  }
  var label: String
  var color: Color
  var swatch: Swatch
}

enum Legend {
  static let rowHeight = 18.0
  static let padding = 8.0
  static let swatchWidth = 24.0
  static let gap = 6.0

  static func size(of entries: [LegendEntry], maxWidth: Double) -> (width: Double, height: Double) {
    let widest = entries.map { estimatedTextWidth($0.label, fontSize: Style.legendSize) }.max() ?? 0
    let width = min(2 * padding + swatchWidth + gap + widest, maxWidth)
    return (width, 2 * padding + Double(entries.count) * rowHeight - 4)
  }

  /// The top-left corner for the legend box in `area`, or `nil` when hidden. `obstacles` are
  /// pixel positions of drawn data; ``LegendPosition/automatic`` takes the candidate corner
  /// covering the fewest (ties go to the earlier corner in the preference order).
  static func origin(
    for position: LegendPosition, size: (width: Double, height: Double), in area: PlotArea,
    obstacles: [(Double, Double)]
  ) -> (x: Double, y: Double)? {
    let inset = 8.0
    func corner(_ p: LegendPosition) -> (x: Double, y: Double) {
      let left = area.x + inset
      let right = area.maxX - inset - size.width
      let top = area.y + inset
      let bottom = area.maxY - inset - size.height
      switch p {
      case .topLeft: return (left, top)
      case .bottomLeft: return (left, bottom)
      case .bottomRight: return (right, bottom)
      default: return (right, top)
      }
    }
    switch position {
    case .hidden: return nil
    case .topRight, .topLeft, .bottomRight, .bottomLeft: return corner(position)
    case .automatic:
      var best = corner(.topRight)
      var bestCount = Int.max
      for candidate in [LegendPosition.topRight, .bottomLeft, .bottomRight, .topLeft] {
        let o = corner(candidate)
        let box = PlotArea(x: o.x - 4, y: o.y - 4, width: size.width + 8, height: size.height + 8)
        let count = obstacles.reduce(0) { $0 + (box.contains($1.0, $1.1) ? 1 : 0) }
        if count < bestCount {
          best = o
          bestCount = count
        }
      }
      return best
    }
  }

  static func draw(
    _ w: inout SVGWriter, entries: [LegendEntry], at origin: (x: Double, y: Double),
    size: (width: Double, height: Double)
  ) {
    w.open("g", [("class", "legend"), ("font-size", svgNumber(Style.legendSize))])
    // Slightly translucent so data under the box is hinted at rather than hidden outright.
    w.element(
      "rect",
      [
        ("x", svgNumber(origin.x)), ("y", svgNumber(origin.y)), ("width", svgNumber(size.width)),
        ("height", svgNumber(size.height)), ("rx", "3"), ("fill", "#FFFFFF"),
        ("fill-opacity", "0.9"), ("stroke", "#CCCCCC"),
      ])
    let labelWidth = size.width - 2 * padding - swatchWidth - gap
    for (row, entry) in entries.enumerated() {
      let midY = origin.y + padding + Double(row) * rowHeight + 5
      let x0 = origin.x + padding
      w.open("g", [("class", "legend-entry"), ("data-series", entry.label)])
      switch entry.swatch {
      case .line(let dash, let width, let marker, let bandOpacity):
        if let bandOpacity {
          w.element(
            "rect",
            [
              ("x", svgNumber(x0)), ("y", svgNumber(midY - 5)), ("width", svgNumber(swatchWidth)),
              ("height", "10"), ("fill", entry.color.hex), ("fill-opacity", svgNumber(bandOpacity)),
            ])
        }
        w.element(
          "line",
          [
            ("x1", svgNumber(x0)), ("y1", svgNumber(midY)), ("x2", svgNumber(x0 + swatchWidth)),
            ("y2", svgNumber(midY)), ("stroke", entry.color.hex), ("stroke-width", svgNumber(width)),
            ("stroke-dasharray", dash.dashArray),
          ])
        if let marker {
          drawMarker(&w, shape: marker, x: x0 + swatchWidth / 2, y: midY, color: entry.color, attributes: [])
        }
      case .box(let opacity):
        w.element(
          "rect",
          [
            ("x", svgNumber(x0 + 4)), ("y", svgNumber(midY - 6)), ("width", "16"), ("height", "12"),
            ("fill", entry.color.hex), ("fill-opacity", svgNumber(opacity)),
            ("stroke", entry.color.hex),
          ])
      }
      w.element(
        "text",
        [
          ("x", svgNumber(x0 + swatchWidth + gap)), ("y", svgNumber(midY + 4)),
          ("fill", Style.text),
        ],
        text: truncated(entry.label, toWidth: labelWidth, fontSize: Style.legendSize))
      w.close()
    }
    w.close()
  }
}

/// Draws `entries` (if any) where `position` and the drawn `ink` allow.
func drawLegend(
  _ w: inout SVGWriter, entries: [LegendEntry], position: LegendPosition, area: PlotArea,
  ink: [(Double, Double)]
) {
  let entries = entries.filter { !$0.label.isEmpty }
  guard !entries.isEmpty else { return }
  let size = Legend.size(of: entries, maxWidth: area.width * 0.6)
  if let origin = Legend.origin(for: position, size: size, in: area, obstacles: ink) {
    Legend.draw(&w, entries: entries, at: origin, size: size)
  }
}

// MARK: - Markers

/// Draws one marker centred on (`x`, `y`). Circles carry `cx`/`cy`; other shapes are paths.
func drawMarker(
  _ w: inout SVGWriter, shape: MarkerShape, x: Double, y: Double, color: Color,
  radius: Double = 3.5, attributes: [SVGWriter.Attribute]
) {
  // A thin white outline keeps overlapping markers of different series apart.
  let paint: [SVGWriter.Attribute] = [("fill", color.hex), ("stroke", "#FFFFFF"), ("stroke-width", "0.75")]
  let r = radius
  switch shape {
  case .circle:
    w.element("circle", attributes + [("cx", svgNumber(x)), ("cy", svgNumber(y)), ("r", svgNumber(r))] + paint)
  case .square:
    let s = r * 0.9
    w.element(
      "path",
      attributes + [("d", "M\(svgNumber(x - s)) \(svgNumber(y - s))h\(svgNumber(2 * s))v\(svgNumber(2 * s))h\(svgNumber(-2 * s))Z")] + paint
    )
  case .diamond:
    let s = r * 1.3
    w.element(
      "path",
      attributes + [
        (
          "d",
          "M\(svgNumber(x)) \(svgNumber(y - s))L\(svgNumber(x + s)) \(svgNumber(y))L\(svgNumber(x)) \(svgNumber(y + s))L\(svgNumber(x - s)) \(svgNumber(y))Z"
        )
      ] + paint)
  case .triangle:
    let s = r * 1.3
    w.element(
      "path",
      attributes + [
        (
          "d",
          "M\(svgNumber(x)) \(svgNumber(y - s))L\(svgNumber(x + s)) \(svgNumber(y + s * 0.8))L\(svgNumber(x - s)) \(svgNumber(y + s * 0.8))Z"
        )
      ] + paint)
  }
}
