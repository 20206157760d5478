// LineSeries.swift — what a line chart draws: series (lines or step functions, with optional
// bands, markers and error bars), reference lines and highlighted points.

/// How a line is stroked.
public enum LineDash: Sendable, Hashable {
  case solid, dashed, dotted

  /// The SVG `stroke-dasharray`, or `nil` for solid.
  var dashArray: String? {
    switch self {
    case .solid: nil
    case .dashed: "6 4"
    case .dotted: "2 3"
    }
  }
}

/// The shape of a point marker.
public enum MarkerShape: Sendable, Hashable {
  case circle, square, diamond, triangle
}

/// How consecutive points of a series are joined.
public enum Interpolation: Sendable, Hashable {
  /// Straight segments between points.
  case linear
  /// A right-continuous step function, as a Kaplan–Meier curve: the value at xᵢ holds until
  /// xᵢ₊₁, so each step is drawn horizontally first, then vertically. The curve ends at the
  /// last point; add a final point at the end of follow-up to extend the last step.
  case step
}

/// A shaded region between a lower and an upper curve that share their series' x values, such
/// as a pointwise confidence band around a Kaplan–Meier curve. It follows the series'
/// ``Interpolation``.
public struct ConfidenceBand: Sendable, Hashable {
  public var lower: [Double]
  public var upper: [Double]
  /// Fill opacity; low enough that two overlapping bands stay readable.
  public var opacity: Double

  /// Creates a band; `lower` and `upper` have one value per point of the series.
  public init(lower: [Double], upper: [Double], opacity: Double = 0.18) {
    precondition(lower.count == upper.count, "ConfidenceBand lower.count (\(lower.count)) != upper.count (\(upper.count))")
    self.lower = lower
    self.upper = upper
    self.opacity = opacity
  }
}

/// One named curve of a ``LineChart``.
///
/// Points whose x or y is NaN or infinite are skipped, and the curve joins their neighbours;
/// the same goes for band and error-bar values.
public struct LineSeries: Sendable, Hashable {
  /// The legend label and the `data-series` attribute of every element drawn for the series.
  public var name: String
  public var x: [Double]
  public var y: [Double]
  public var interpolation: Interpolation
  /// `nil` takes the next Okabe–Ito colour (``Palette/color(at:)`` with the series' index).
  public var color: Color?
  public var dash: LineDash
  public var lineWidth: Double
  /// Markers at each point, or `nil` for none. Markers are drawn only inside the axes' domain.
  public var marker: MarkerShape?
  public var band: ConfidenceBand?
  /// Half-widths of vertical error bars (y ± e), e.g. Monte Carlo standard errors; `nil` for
  /// none. Must have as many entries as `y`.
  public var errorBars: [Double]?
  /// Whether the series appears in the legend.
  public var showsInLegend: Bool

  /// Creates a series; `x`, `y` and, when given, the band's and error bars' arrays must have the
  /// same length.
  public init(
    name: String, x: [Double], y: [Double], interpolation: Interpolation = .linear,
    color: Color? = nil, dash: LineDash = .solid, lineWidth: Double = 2,
    marker: MarkerShape? = nil, band: ConfidenceBand? = nil, errorBars: [Double]? = nil,
    showsInLegend: Bool = true
  ) {
    precondition(x.count == y.count, "LineSeries \"\(name)\": x.count (\(x.count)) != y.count (\(y.count))")
    if let band {
      precondition(
        band.lower.count == x.count,
        "LineSeries \"\(name)\": band has \(band.lower.count) values for \(x.count) points")
    }
    if let errorBars {
      precondition(
        errorBars.count == x.count,
        "LineSeries \"\(name)\": \(errorBars.count) error bars for \(x.count) points")
    }
    self.name = name
    self.x = x
    self.y = y
    self.interpolation = interpolation
    self.color = color
    self.dash = dash
    self.lineWidth = lineWidth
    self.marker = marker
    self.band = band
    self.errorBars = errorBars
    self.showsInLegend = showsInLegend
  }

  /// The (x, y) pairs with both coordinates finite, in the order given.
  var finitePoints: [(x: Double, y: Double)] {
    zip(x, y).filter { $0.0.isFinite && $0.1.isFinite }.map { (x: $0.0, y: $0.1) }
  }
}

/// A dashed line across the plot at a fixed x or y, with a label; e.g. target power 0.80,
/// one-sided α = 0.025, or the number of real controls at which savings are reached.
public struct ReferenceLine: Sendable, Hashable {
  public enum Orientation: Sendable, Hashable { case horizontal, vertical }

  public var orientation: Orientation
  /// The y value of a horizontal line or the x value of a vertical one.
  public var value: Double
  public var label: String
  public var color: Color
  public var dash: LineDash

  /// Creates a reference line; see also ``horizontal(y:label:)`` and ``vertical(x:label:)``.
  public init(
    _ orientation: Orientation, at value: Double, label: String = "",
    color: Color = .referenceGrey, dash: LineDash = .dashed
  ) {
    self.orientation = orientation
    self.value = value
    self.label = label
    self.color = color
    self.dash = dash
  }

  /// A horizontal line at `y`, labelled at its right end.
  public static func horizontal(y: Double, label: String = "") -> ReferenceLine {
    ReferenceLine(.horizontal, at: y, label: label)
  }

  /// A vertical line at `x`, labelled near the top.
  public static func vertical(x: Double, label: String = "") -> ReferenceLine {
    ReferenceLine(.vertical, at: x, label: label)
  }
}

/// A point drawn larger than markers, as a ring around a dot, with a label; e.g. the savings
/// point on a power curve.
public struct HighlightedPoint: Sendable, Hashable {
  public var x: Double
  public var y: Double
  public var label: String
  public var color: Color

  /// Creates a highlighted point in data coordinates; it is skipped if outside the axes.
  public init(x: Double, y: Double, label: String = "", color: Color = .black) {
    self.x = x
    self.y = y
    self.label = label
    self.color = color
  }
}
