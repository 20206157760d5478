// Heatmap.swift — a matrix of coloured cells with row and column labels and a colour bar;
// e.g. synthetic-minus-real correlations (diverging, −0.5…0.5) or power over a design grid
// (sequential, 0…1).
//
// The colour bar is a stack of thin rectangles rather than a <linearGradient>: a gradient must
// be referenced by `id`, and ids collide when several charts are inlined in one HTML page.

/// What, if anything, is written inside each heatmap cell.
public enum CellText: Sendable, Hashable {
  case none
  /// The value with this many decimals.
  case decimals(Int)
  /// Text supplied by the caller, `[row][column]`, same shape as the values.
  case custom([[String]])
}

/// A matrix of values drawn as coloured cells.
///
/// ```swift
/// let chart = Heatmap(title: "Correlation difference (synthetic − real)",
///                     rowLabels: names, columnLabels: names, values: difference,
///                     colorScale: .diverging(limit: 0.5), cellText: .decimals(2))
/// ```
/// Non-finite values are drawn as light grey cells (`class="cell missing"`) without text.
public struct Heatmap: Sendable, Hashable {
  public var title: String
  public var rowLabels: [String]
  public var columnLabels: [String]
  /// `values[row][column]`.
  public var values: [[Double]]
  public var colorScale: ColorScale
  public var cellText: CellText
  /// A title for the rows, written vertically at the left.
  public var rowTitle: String
  /// A title for the columns, written below the column labels.
  public var columnTitle: String
  /// A title for the colour bar, written vertically at its right.
  public var legendTitle: String
  /// Square cells (right for correlation matrices); otherwise cells fill the plot area.
  public var squareCells: Bool
  public var width: Double
  public var height: Double

  /// Creates a heatmap; `values` must have `rowLabels.count` rows of `columnLabels.count`
  /// values each.
  public init(
    title: String = "", rowLabels: [String], columnLabels: [String], values: [[Double]],
    colorScale: ColorScale = .diverging(limit: 0.5), cellText: CellText = .none,
    rowTitle: String = "", columnTitle: String = "", legendTitle: String = "",
    squareCells: Bool = true, width: Double = 640, height: Double = 480
  ) {
    precondition(
      values.count == rowLabels.count,
      "Heatmap has \(values.count) rows of values for \(rowLabels.count) row labels")
    for (r, row) in values.enumerated() {
      precondition(
        row.count == columnLabels.count,
        "Heatmap row \(r) has \(row.count) values for \(columnLabels.count) column labels")
    }
    if case .custom(let text) = cellText {
      precondition(
        text.count == values.count && zip(text, values).allSatisfy { $0.count == $1.count },
        "Heatmap custom cell text must have the same shape as the values")
    }
    self.title = title
    self.rowLabels = rowLabels
    self.columnLabels = columnLabels
    self.values = values
    self.colorScale = colorScale
    self.cellText = cellText
    self.rowTitle = rowTitle
    self.columnTitle = columnTitle
    self.legendTitle = legendTitle
    self.squareCells = squareCells
    self.width = width
    self.height = height
  }

  // MARK: - Layout

  private struct Layout {
    var grid: PlotArea
    var cellWidth: Double
    var cellHeight: Double
    var rotatedColumnLabels: Bool
    var columnLabelRoom: Double
    var rowLabelRoom: Double
    var legendTicks: [Double]
    var legendDecimals: Int
  }

  /// The colour bar's tick values and decimals: the most ticks that fit at ≥ 36 px apart and
  /// still land on both ends of the domain (so −0.5 and 0.5 are labelled), or failing that the
  /// most that fit.
  private func legendTicks(barHeight: Double) -> (ticks: [Double], decimals: Int) {
    let scale = LinearScale(domain: colorScale.domain, rangeStart: 0, rangeEnd: 1)
    let maxCount = max(Int(barHeight / 36), 2)
    for count in stride(from: maxCount, through: 2, by: -1) {
      let ticks = scale.ticks(count: count)
      if let first = ticks.first, let last = ticks.last,
        abs(first - colorScale.domain.lowerBound) < 1e-9 * max(1, abs(first)),
        abs(last - colorScale.domain.upperBound) < 1e-9 * max(1, abs(last))
      {
        return (ticks, scale.tickDecimals(count: count))
      }
    }
    return (scale.ticks(count: maxCount), scale.tickDecimals(count: maxCount))
  }

  private var layout: Layout {
    let rows = max(rowLabels.count, 1)
    let columns = max(columnLabels.count, 1)
    let top = title.isEmpty ? 16.0 : 44.0
    let widestRow = rowLabels.map { estimatedTextWidth($0, fontSize: Style.tickSize) }.max() ?? 0
    let rowLabelRoom = min(widestRow, width * 0.3)
    let left = rowLabelRoom + 12 + (rowTitle.isEmpty ? 0 : 24)
    // Colour bar: gap, bar, tick, labels, and the rotated legend title.
    let sample = legendTicks(barHeight: height / 2)
    let widestTick =
      sample.ticks.map {
        estimatedTextWidth(formatFixed($0, decimals: sample.decimals), fontSize: Style.tickSize)
      }.max() ?? 0
    let right = 20 + 14 + 4 + 4 + widestTick + (legendTitle.isEmpty ? 0 : 22) + 10
    let columnTitleRoom = columnTitle.isEmpty ? 0.0 : 22
    let availableWidth = max(width - left - right, 1)
    var cellWidth = availableWidth / Double(columns)
    let widestColumn = columnLabels.map { estimatedTextWidth($0, fontSize: Style.tickSize) }.max() ?? 0
    let rotated = widestColumn > cellWidth - 4
    // Rotated labels at 45° need width × sin 45° of height; cap at a third of the image.
    let columnLabelRoom = rotated ? min(widestColumn, height / 3 / 0.707) : cellWidth - 4
    let bottom = (rotated ? columnLabelRoom * 0.707 + 16 : 24) + columnTitleRoom + 8
    var cellHeight = max(height - top - bottom, 1) / Double(rows)
    if squareCells {
      let side = min(cellWidth, cellHeight)
      (cellWidth, cellHeight) = (side, side)
    }
    let grid = PlotArea(x: left, y: top, width: cellWidth * Double(columns), height: cellHeight * Double(rows))
    let ticks = legendTicks(barHeight: grid.height)
    return Layout(
      grid: grid, cellWidth: cellWidth, cellHeight: cellHeight, rotatedColumnLabels: rotated,
      columnLabelRoom: columnLabelRoom, rowLabelRoom: rowLabelRoom,
      legendTicks: ticks.ticks, legendDecimals: ticks.decimals)
  }

  // MARK: - Rendering

  /// The chart as a standalone `<svg>` element.
  public func svg() -> String {
    let l = layout
    var w = startDocument(kind: "heatmap", width: width, height: height, title: title)
    guard !rowLabels.isEmpty, !columnLabels.isEmpty else {
      drawNoData(&w, in: PlotArea(x: 0, y: 0, width: width, height: height))
      w.close()
      return w.finish()
    }
    let cellFont = cellFontSize(l)
    w.open("g", [("class", "cells")])
    for (r, row) in values.enumerated() {
      for (c, value) in row.enumerated() {
        let x = l.grid.x + Double(c) * l.cellWidth
        let y = l.grid.y + Double(r) * l.cellHeight
        let color = colorScale.color(for: value)
        // A 1 px white gap between cells keeps neighbouring similar colours apart.
        w.element(
          "rect",
          [
            ("class", color == nil ? "cell missing" : "cell"), ("data-row", rowLabels[r]),
            ("data-column", columnLabels[c]), ("data-value", value.isFinite ? dataNumber(value) : nil),
            ("x", svgNumber(x)), ("y", svgNumber(y)), ("width", svgNumber(l.cellWidth)),
            ("height", svgNumber(l.cellHeight)), ("fill", (color ?? Color(packed: 0xD9D9D9)).hex),
            ("stroke", "#FFFFFF"), ("stroke-width", "1"),
          ])
        guard let color, let cellFont, let text = text(row: r, column: c) else { continue }
        // Dark cells get white text; the 0.18 luminance cut-off is where black and white text
        // have equal WCAG contrast, (L + 0.05)² = 1.05 × 0.05.
        w.element(
          "text",
          [
            ("class", "cell-text"), ("x", svgNumber(x + l.cellWidth / 2)),
            ("y", svgNumber(y + l.cellHeight / 2 + cellFont * 0.35)), ("text-anchor", "middle"),
            ("font-size", svgNumber(cellFont)),
            ("fill", color.relativeLuminance < 0.18 ? "#FFFFFF" : "#1A1A1A"),
          ], text: text)
      }
    }
    w.close()
    drawLabels(&w, l)
    drawColorBar(&w, l)
    w.close()
    return w.finish()
  }

  private func text(row: Int, column: Int) -> String? {
    switch cellText {
    case .none: return nil
    case .decimals(let d): return values[row][column].isFinite ? formatFixed(values[row][column], decimals: d) : nil
    case .custom(let text): return text[row][column]
    }
  }

  /// The largest size up to 12 px at which the longest cell text fits; `nil` (no text) below
  /// 8 px, where it would be unreadable anyway.
  private func cellFontSize(_ l: Layout) -> Double? {
    var longest = 0
    for r in values.indices {
      for c in values[r].indices { longest = max(longest, text(row: r, column: c)?.count ?? 0) }
    }
    guard longest > 0 else { return nil }
    let size = min(12, l.cellHeight * 0.45, (l.cellWidth - 4) / (Double(longest) * 0.58))
    return size >= 8 ? size : nil
  }

  private func drawLabels(_ w: inout SVGWriter, _ l: Layout) {
    w.open("g", [("class", "axis row-labels"), ("font-size", svgNumber(Style.tickSize)), ("fill", Style.mutedText)])
    for (r, label) in rowLabels.enumerated() {
      let y = l.grid.y + (Double(r) + 0.5) * l.cellHeight + 4
      w.element(
        "text",
        [
          ("class", "tick-label"), ("x", svgNumber(l.grid.x - 6)), ("y", svgNumber(y)),
          ("text-anchor", "end"),
        ],
        text: truncated(label, toWidth: l.rowLabelRoom, fontSize: Style.tickSize))
    }
    w.close()
    w.open("g", [("class", "axis column-labels"), ("font-size", svgNumber(Style.tickSize)), ("fill", Style.mutedText)])
    let labelY = l.grid.maxY + 16
    for (c, label) in columnLabels.enumerated() {
      let x = l.grid.x + (Double(c) + 0.5) * l.cellWidth
      let text = truncated(label, toWidth: l.columnLabelRoom, fontSize: Style.tickSize)
      if l.rotatedColumnLabels {
        w.element(
          "text",
          [
            ("class", "tick-label"), ("x", svgNumber(x)), ("y", svgNumber(labelY)),
            ("text-anchor", "end"), ("transform", "rotate(-45 \(svgNumber(x)) \(svgNumber(labelY - 4)))"),
          ],
          text: text)
      } else {
        w.element(
          "text",
          [
            ("class", "tick-label"), ("x", svgNumber(x)), ("y", svgNumber(labelY)),
            ("text-anchor", "middle"),
          ], text: text)
      }
    }
    w.close()
    if !rowTitle.isEmpty {
      let x = svgNumber(16)
      let y = svgNumber(l.grid.midY)
      w.element(
        "text",
        [
          ("class", "axis-title"), ("x", x), ("y", y), ("transform", "rotate(-90 \(x) \(y))"),
          ("text-anchor", "middle"), ("font-size", svgNumber(Style.axisTitleSize)),
          ("fill", Style.text),
        ], text: rowTitle)
    }
    if !columnTitle.isEmpty {
      let labelHeight = l.rotatedColumnLabels ? l.columnLabelRoom * 0.707 + 16 : 20
      w.element(
        "text",
        [
          ("class", "axis-title"), ("x", svgNumber(l.grid.midX)),
          ("y", svgNumber(min(l.grid.maxY + labelHeight + 18, height - 6))),
          ("text-anchor", "middle"), ("font-size", svgNumber(Style.axisTitleSize)),
          ("fill", Style.text),
        ], text: columnTitle)
    }
  }

  private func drawColorBar(_ w: inout SVGWriter, _ l: Layout) {
    let barX = l.grid.maxX + 20
    let barWidth = 14.0
    let top = l.grid.y
    let height = l.grid.height
    let slices = 48
    w.open("g", [("class", "color-legend")])
    for i in 0..<slices {
      // Slice i from the top shows the colour at its midpoint; each overlaps the next by 0.5 px
      // so anti-aliasing leaves no hairline gaps.
      let t = 1 - (Double(i) + 0.5) / Double(slices)
      let y = top + Double(i) * height / Double(slices)
      w.element(
        "rect",
        [
          ("class", "legend-swatch"), ("x", svgNumber(barX)), ("y", svgNumber(y)),
          ("width", svgNumber(barWidth)), ("height", svgNumber(height / Double(slices) + 0.5)),
          ("fill", colorScale.ramp.color(at: t).hex),
        ])
    }
    w.element(
      "rect",
      [
        ("x", svgNumber(barX)), ("y", svgNumber(top)), ("width", svgNumber(barWidth)),
        ("height", svgNumber(height)), ("fill", "none"), ("stroke", "#999999"), ("stroke-width", "0.75"),
      ])
    let scale = LinearScale(domain: colorScale.domain, rangeStart: top + height, rangeEnd: top)
    var widest = 0.0
    for value in l.legendTicks {
      let y = scale(value)
      let label = formatFixed(value, decimals: l.legendDecimals)
      widest = max(widest, estimatedTextWidth(label, fontSize: Style.tickSize))
      w.element(
        "line",
        [
          ("class", "tick"), ("x1", svgNumber(barX + barWidth)), ("y1", svgNumber(y)),
          ("x2", svgNumber(barX + barWidth + 4)), ("y2", svgNumber(y)), ("stroke", Style.axis),
        ])
      w.element(
        "text",
        [
          ("class", "tick-label"), ("x", svgNumber(barX + barWidth + 7)), ("y", svgNumber(y + 4)),
          ("font-size", svgNumber(Style.tickSize)), ("fill", Style.mutedText),
        ], text: label)
    }
    if !legendTitle.isEmpty {
      let x = svgNumber(barX + barWidth + 7 + widest + 14)
      let y = svgNumber(top + height / 2)
      w.element(
        "text",
        [
          ("class", "legend-title"), ("x", x), ("y", y), ("transform", "rotate(90 \(x) \(y))"),
          ("text-anchor", "middle"), ("font-size", svgNumber(Style.tickSize)),
          ("fill", Style.text),
        ], text: legendTitle)
    }
    w.close()
  }
}
