// HTMLReport+Charts.swift — every chart of the report, built from the stored results.
//
// Each builder returns the chart value (not its SVG), so tests can read the chart's own scales
// and check where a plotted value lands. Colours: the conventional design and real patients are
// always Okabe–Ito blue, synthetic patients vermillion; an augmented design's drifts take the
// following Okabe–Ito colours, each with its own marker shape so they differ without colour.

import Foundation
import Plotting
import Runs
import Simulation
import TrialSpec

extension HTMLReport {
  /// Full-width and half-width chart sizes, in CSS pixels, for a 1200 px page with 28 px padding.
  static let fullWidth = 1144.0
  static let halfWidth = 558.0

  static let driftColors: [Color] = [.vermillion, .bluishGreen, .reddishPurple, .orange, .skyBlue, .black]
  static let driftMarkers: [MarkerShape] = [.square, .diamond, .triangle, .circle]

  // MARK: - Eligibility

  /// Reference patients, then those left after each rule in order, then the eligible: the
  /// attrition funnel. nil when the cell has no reference counts.
  static func attritionChart(_ cell: CellResult) -> HorizontalBarChart? {
    guard let reference = cell.referencePatients else { return nil }
    var bars = [HorizontalBarChart.Bar(label: "Reference patients", value: Double(reference), color: .referenceGrey)]
    var remaining = reference
    for rule in cell.attrition {
      remaining -= rule.excludedInOrder
      bars.append(
        .init(
          label: "\(rule.id) · \(rule.text ?? rule.expression)", value: Double(remaining),
          valueText: "\(remaining) (−\(rule.excludedInOrder))", color: .skyBlue))
    }
    let eligible = cell.eligibleReference ?? remaining
    let share = reference > 0 ? " (\(percent(Double(eligible) / Double(reference), 0)))" : ""
    bars.append(.init(label: "Eligible", value: Double(eligible), valueText: "\(eligible)\(share)", color: .blue))
    return HorizontalBarChart(
      title: "Eligibility attrition (rules applied in order)", xTitle: "Patients",
      bars: bars, width: halfWidth)
  }

  // MARK: - Audit

  /// Kaplan–Meier curves of the real (training) and synthetic patients with 95 % bands, in the
  /// protocol's time unit; a dotted line at the RMST horizon when known (`horizon` in the
  /// figures' own unit).
  static func survivalChart(_ figures: AuditFigures, horizon: Double?) -> LineChart? {
    let unit = figures.protocolTimeUnit
    func series(_ curve: AuditFigures.SurvivalCurve?, _ name: String, _ color: Color, _ dash: LineDash) -> LineSeries? {
      guard let curve, !curve.time.isEmpty else { return nil }
      return LineSeries(
        name: "\(name) (n = \(curve.patients))",
        x: curve.time.map { figures.timeUnit.convert($0, to: unit) }, y: curve.survival,
        interpolation: .step, color: color, dash: dash,
        band: ConfidenceBand(lower: curve.lower.map { $0 ?? .nan }, upper: curve.upper.map { $0 ?? .nan }))
    }
    let all = [
      series(figures.realSurvival, "Real, training", .blue, .solid),
      series(figures.syntheticSurvival, "Synthetic", .vermillion, .dashed),
    ].compactMap { $0 }
    guard !all.isEmpty else { return nil }
    var chart = LineChart(
      title: "Overall survival: real vs synthetic controls (95% CI)",
      xTitle: "Time since entry (\(unit.rawValue)s)", yTitle: "Survival probability",
      series: all, yDomain: 0...1, width: halfWidth, height: 380)
    chart.yTickFormat = .percent(decimals: 0)
    if let horizon, horizon.isFinite {
      let t = figures.timeUnit.convert(horizon, to: unit)
      chart.referenceLines = [ReferenceLine(.vertical, at: t, label: "τ = \(number(t, 0))", dash: .dotted)]
    }
    return chart
  }

  /// One small chart per covariate: overlaid histograms for numeric ones, grouped bars for
  /// categorical ones. Legends are left to the page (one for all the small charts).
  static func distributionChart(_ d: AuditFigures.Distribution, shapeScore: Double?) -> String {
    var title = d.name
    if let shapeScore { title += " (shape \(number(shapeScore, 2)))" }
    let groups = [
      BarGroup(name: "Real", values: d.real, color: .blue),
      BarGroup(name: "Synthetic", values: d.synthetic, color: .vermillion),
    ]
    let missing =
      d.realMissing > 0 || d.syntheticMissing > 0
      ? "missing: real \(percent(d.realMissing, 0)), synthetic \(percent(d.syntheticMissing, 0))" : ""
    // A line more at the bottom when the missing shares are written under the axis labels.
    let margins = Margins(top: 34, right: 12, bottom: missing.isEmpty ? 40 : 56, left: 50)
    switch d.kind {
    case .numeric:
      var chart = HistogramOverlay(
        title: title, xTitle: missing, yTitle: "", binEdges: d.binEdges, groups: groups,
        width: 270, height: 200, margins: margins)
      chart.yTickFormat = .percent(decimals: 0)
      chart.legendPosition = .hidden
      return chart.svg()
    case .categorical:
      var chart = GroupedBarChart(
        title: title, xTitle: missing, yTitle: "", categories: d.levels, groups: groups,
        width: 270, height: 200, margins: margins)
      chart.yTickFormat = .percent(decimals: 0)
      chart.legendPosition = .hidden
      return chart.svg()
    }
  }

  /// Synthetic minus real correlations, on a diverging scale from −0.5 to 0.5 (differences
  /// beyond take the end colours; the cell text gives the value).
  static func correlationHeatmap(_ c: AuditFigures.Correlations) -> Heatmap? {
    guard c.names.count >= 2 else { return nil }
    let difference = c.names.indices.map { i in
      c.names.indices.map { j -> Double in
        guard let s = c.synthetic[i][j], let r = c.real[i][j] else { return .nan }
        return s - r
      }
    }
    return Heatmap(
      title: "Correlation difference (synthetic − real)", rowLabels: c.names, columnLabels: c.names,
      values: difference, colorScale: .diverging(limit: 0.5), cellText: .decimals(2),
      legendTitle: "Synthetic − real", width: halfWidth, height: 500)
  }

  // MARK: - Power and type-I error against real controls

  /// The conventional design's power at its calibrated threshold against total patients (both
  /// arms at the protocol's allocation): markers ± 1 MCSE, the isotonic fit, the target, the size
  /// found and Schoenfeld's size.
  static func conventionalChart(_ search: SavingsSearch) -> LineChart {
    var lines = [ReferenceLine(.horizontal, at: search.targetPower, label: "target power \(percent(search.targetPower, 0))")]
    var highlights: [HighlightedPoint] = []
    if let n = search.conventionalPatients {
      lines.append(ReferenceLine(.vertical, at: Double(n), color: .blue, dash: .dotted))
      highlights.append(HighlightedPoint(x: Double(n), y: search.targetPower, label: "\(n)", color: .blue))
    }
    if let n = search.schoenfeldPatients {
      lines.append(ReferenceLine(.vertical, at: Double(n), label: "Schoenfeld \(n)", color: .referenceGrey, dash: .dashed))
    }
    var chart = LineChart(
      title: "Conventional design: power at HR \(short(search.hazardRatio)) by total patients",
      xTitle: "Patients (both arms)", yTitle: "Power",
      series: measured(search.conventionalPower, name: "conventional", color: .blue, marker: .circle),
      referenceLines: lines, highlights: highlights, yDomain: 0...1, width: halfWidth, height: 400)
    chart.yTickFormat = .percent(decimals: 0)
    chart.legendPosition = .bottomRight
    return chart
  }

  /// The compared design's power at its calibrated threshold against real controls, with the
  /// conventional design's experimental arm: the count found, and the conventional control arm.
  static func powerChart(_ search: SavingsSearch) -> LineChart {
    var lines = [ReferenceLine(.horizontal, at: search.targetPower, label: "target power \(percent(search.targetPower, 0))")]
    var highlights: [HighlightedPoint] = []
    if let c = search.conventionalControls {
      lines.append(ReferenceLine(.vertical, at: Double(c), label: "conventional \(c)", color: .blue, dash: .dotted))
    }
    if let n = search.realControls {
      lines.append(ReferenceLine(.vertical, at: Double(n), color: .vermillion, dash: .dotted))
      highlights.append(HighlightedPoint(x: Double(n), y: search.targetPower, label: "\(n)", color: .vermillion))
    }
    var chart = LineChart(
      title: "\(search.design): power at HR \(short(search.hazardRatio)) by real controls",
      xTitle: "Real control patients", yTitle: "Power",
      series: measured(search.augmentedPower, name: search.design, color: .vermillion, marker: .square),
      referenceLines: lines, highlights: highlights, yDomain: 0...1, width: halfWidth, height: 400)
    chart.yTickFormat = .percent(decimals: 0)
    chart.legendPosition = .bottomRight
    return chart
  }

  /// Type-I error and power of the chosen design at its calibrated threshold against drift: the
  /// price if exchangeability fails.
  static func driftRiskChart(_ search: SavingsSearch) -> LineChart? {
    guard !search.byDrift.isEmpty else { return nil }
    let x = search.byDrift.map(\.drift)
    let typeI = LineSeries(
      name: "type I", x: x, y: search.byDrift.map(\.typeIError), color: .vermillion,
      marker: .circle, errorBars: search.byDrift.map(\.typeIErrorMCSE))
    let top = max((search.byDrift.map { $0.typeIError + $0.typeIErrorMCSE }.filter(\.isFinite).max() ?? 0), search.alpha) * 1.4
    var chart = LineChart(
      title: "\(search.design) at \(search.realControls.map(String.init) ?? "–") real controls: type-I error by drift",
      xTitle: "Drift (hazard of the external source / concurrent controls)", yTitle: "Type-I error",
      series: [typeI],
      referenceLines: [ReferenceLine(.horizontal, at: search.alpha, label: "α = \(short(search.alpha, 3))")],
      yDomain: 0...niceCeiling(top), width: halfWidth, height: 400)
    chart.yTickFormat = .percent(decimals: 0)
    return chart
  }

  /// Points ± MCSE (no line) and the isotonic fit (a line in the same colour, not in the legend).
  static func measured(_ points: [CurvePoint], name: String, color: Color, marker: MarkerShape) -> [LineSeries] {
    guard !points.isEmpty else { return [] }
    let x = points.map { Double($0.count) }
    return [
      LineSeries(
        name: name + " ± MCSE", x: x, y: points.map(\.rate), color: color, lineWidth: 0, marker: marker,
        errorBars: points.map(\.mcse)),
      LineSeries(
        name: "\(name), isotonic fit", x: x, y: points.map(\.fitted), color: color, lineWidth: 1.75,
        showsInLegend: false),
    ]
  }

  // MARK: - Type-I error against drift

  /// Type-I error (the truths with HR = 1) of every design against drift, ± 1 MCSE, with α
  /// when the run states it (its savings search does). nil without HR = 1 truths.
  static func typeIByDriftChart(_ ocs: [OperatingCharacteristics], alpha: Double?) -> LineChart? {
    let null = ocs.filter { $0.hazardRatio == 1 }
    guard !null.isEmpty else { return nil }
    var series: [LineSeries] = []
    let designs = designOrder(null)
    let drifts = unique(null.map(\.drift)).sorted()
    // Designs side by side around each drift (as ggplot's position_dodge), 1.2 % of the axis
    // apart, so equal rates and their error bars do not hide one another.
    let span = max((drifts.last ?? 1) - (drifts.first ?? 1), 0.2)
    for (k, design) in designs.enumerated() {
      let rows = null.filter { $0.design == design }.sorted { $0.drift < $1.drift }
      let dodge = (Double(k) - Double(designs.count - 1) / 2) * 0.012 * span
      series.append(
        LineSeries(
          name: design, x: rows.map { $0.drift + dodge }, y: rows.map(\.rejectionRate),
          color: Palette.color(at: k), lineWidth: 1.5,
          marker: [MarkerShape.circle, .square, .diamond, .triangle][k % 4],
          errorBars: rows.map(\.rejectionMCSE)))
    }
    let top = null.map { $0.rejectionRate + $0.rejectionMCSE }.filter(\.isFinite).max() ?? 0
    var chart = LineChart(
      title: "Type-I error against drift of the synthetic source", xTitle: "Drift (hazard ratio, synthetic vs concurrent controls)",
      yTitle: "Type-I error", series: series,
      yDomain: 0...niceCeiling(max(top, alpha ?? 0) * 1.6), width: halfWidth, height: 400)
    if let first = drifts.first, let last = drifts.last {
      // Room either side so the end points sit inside the axes, and above them (the y domain's
      // head room) for the legend.
      let pad = last > first ? (last - first) * 0.15 : 0.1
      chart.xDomain = (first - pad)...(last + pad)
    }
    if let alpha { chart.referenceLines = [ReferenceLine(.horizontal, at: alpha, label: "α = \(short(alpha, 3))")] }
    chart.yTickFormat = .percent(decimals: 0)
    chart.legendPosition = .topLeft
    return chart
  }

  /// The smallest of 1, 1.5, 2, 2.5, 3, 4, 5, 6, 8 × 10ᵏ at or above `value`: a y-axis top that
  /// ends on a tick without wasting up to half the height, as 1-2-5 steps alone would.
  static func niceCeiling(_ value: Double) -> Double {
    guard value > 0, value.isFinite else { return 0.1 }
    let magnitude = pow(10, log10(value).rounded(.down))
    for m in [1.0, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10] where m * magnitude >= value * (1 - 1e-12) { return m * magnitude }
    return 10 * magnitude
  }

  // MARK: - The sweep

  /// Power of every design × drift (columns) in every cell (rows), at the first hazard ratio
  /// other than 1; nil without one.
  static func sweepPowerHeatmap(_ report: RunReport) -> Heatmap? {
    let ocs = report.operatingCharacteristics
    guard let hr = unique(ocs.map(\.hazardRatio)).first(where: { $0 != 1 }) else { return nil }
    let columns = sweepColumns(report)
    guard !columns.isEmpty, !report.cells.isEmpty else { return nil }
    let values = report.cells.map { cell in
      columns.map { column in
        cell.operatingCharacteristics.first { $0.design == column.design && $0.drift == column.drift && $0.hazardRatio == hr }?
          .rejectionRate ?? .nan
      }
    }
    let text = values.map { row in row.map { $0.isFinite ? percent($0, 0) : "" } }
    return Heatmap(
      title: "Power at HR \(short(hr)) by cell and design", rowLabels: report.cells.map(\.id),
      columnLabels: columns.map(\.label), values: values, colorScale: .sequential(0...1),
      cellText: .custom(text), columnTitle: columns.contains { $0.label.contains(",") } ? "Design, drift" : "Design",
      legendTitle: "Power", squareCells: false,
      width: fullWidth, height: 190 + 40 * Double(report.cells.count))
  }

  /// Real controls saved (as % of the conventional control arm) by each compared design in each
  /// cell; diverging around 0 so losses stand out: blue saves, red costs. Beyond ±50 % the colours
  /// saturate; the cell text gives the value and its interval. nil when no savings were searched.
  static func sweepSavingsHeatmap(_ report: RunReport) -> Heatmap? {
    let searches = report.savings
    guard !searches.isEmpty else { return nil }
    let designs = unique(searches.map(\.design))
    var values: [[Double]] = []
    var text: [[String]] = []
    for cell in report.cells {
      var row: [Double] = []
      var labels: [String] = []
      for design in designs {
        let s = cell.savings.first { $0.design == design }
        row.append((s?.savedPercent).map { $0 / 100 } ?? .nan)
        labels.append(s.map(savedText) ?? "")
      }
      values.append(row)
      text.append(labels)
    }
    return Heatmap(
      title: "Real controls saved by cell", rowLabels: report.cells.map(\.id), columnLabels: designs, values: values,
      colorScale: .diverging(limit: 0.5, ramp: ColorRamp(ColorRamp.blueWhiteRed.stops.reversed())),
      cellText: .custom(text), legendTitle: "Saved (share)",
      squareCells: false, width: halfWidth, height: 120 + 44 * Double(report.cells.count))
  }

  /// "+45 (−20 to 110)", or the status when there is no saving.
  static func savedText(_ s: SavingsSearch) -> String {
    guard let saved = s.saved else { return s.status.rawValue }
    let interval = s.savedLow.flatMap { low in s.savedHigh.map { " (\(signed(Double(low), 0)) to \(signed(Double($0), 0)))" } } ?? ""
    return signed(Double(saved), 0) + interval + (s.status == .notDistinguishable ? " n.d." : "")
  }

  /// The (design, drift) pairs of the run, design-major, labelled for column heads.
  static func sweepColumns(_ report: RunReport) -> [(design: String, drift: Double, label: String)] {
    let ocs = report.operatingCharacteristics
    let drifts = unique(ocs.map(\.drift))
    return designOrder(ocs).flatMap { design in
      drifts.compactMap { drift in
        ocs.contains { $0.design == design && $0.drift == drift }
          ? (design, drift, drifts.count > 1 ? "\(design), \(short(drift))" : design) : nil
      }
    }
  }
}
