// Palette.swift — colours that stay distinguishable for colour-blind readers.
//
// Categorical colours are Okabe & Ito's eight ("Color Universal Design", 2008), which remain
// distinct under protanopia, deuteranopia and tritanopia. The diverging ramp is ColorBrewer's
// 7-class RdBu (Brewer, colorbrewer2.org), marked colour-blind safe there; the sequential ramps
// are a white-to-Okabe-Ito-blue ramp and viridis (van der Walt & Smith), which is perceptually
// uniform and readable in greyscale.

import Foundation

/// An opaque sRGB colour.
public struct Color: Sendable, Hashable, CustomStringConvertible {
  /// 8-bit sRGB components.
  public var red: UInt8
  public var green: UInt8
  public var blue: UInt8

  /// Creates a colour from 8-bit sRGB components.
  public init(red: UInt8, green: UInt8, blue: UInt8) {
    self.red = red
    self.green = green
    self.blue = blue
  }

  /// Creates a colour from `"#RRGGBB"` or `"RRGGBB"`; `nil` for anything else.
  public init?(hex: String) {
    let digits = hex.hasPrefix("#") ? String(hex.dropFirst()) : hex
    guard digits.count == 6, digits.allSatisfy(\.isHexDigit), let packed = UInt32(digits, radix: 16) else {
      return nil
    }
    self.init(red: UInt8(packed >> 16), green: UInt8((packed >> 8) & 0xFF), blue: UInt8(packed & 0xFF))
  }

  /// `"#RRGGBB"` with upper-case digits, as written into SVG `fill` and `stroke` attributes.
  public var hex: String {
    let digits = Array("0123456789ABCDEF")
    var text = "#"
    for component in [red, green, blue] {
      text.append(digits[Int(component >> 4)])
      text.append(digits[Int(component & 0x0F)])
    }
    return text
  }

  public var description: String { hex }

  /// The colour a fraction `t` (clamped to 0…1) of the way from `self` to `other`, interpolated
  /// per sRGB component. sRGB rather than linear light: the ColorBrewer stops were chosen to be
  /// interpolated this way, and the difference at seven stops is invisible.
  public func mixed(with other: Color, fraction t: Double) -> Color {
    let t = t.isNaN ? 0 : min(max(t, 0), 1)
    func mix(_ a: UInt8, _ b: UInt8) -> UInt8 {
      UInt8((Double(a) + (Double(b) - Double(a)) * t).rounded())
    }
    return Color(red: mix(red, other.red), green: mix(green, other.green), blue: mix(blue, other.blue))
  }

  /// WCAG 2 relative luminance (0 = black, 1 = white); used to pick black or white text on a
  /// filled cell.
  public var relativeLuminance: Double {
    func linear(_ component: UInt8) -> Double {
      let c = Double(component) / 255
      return c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4)
    }
    return 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue)
  }
}

// MARK: - Okabe–Ito

extension Color {
  /// Okabe–Ito orange, #E69F00.
  public static let orange = Color(red: 0xE6, green: 0x9F, blue: 0x00)
  /// Okabe–Ito sky blue, #56B4E9.
  public static let skyBlue = Color(red: 0x56, green: 0xB4, blue: 0xE9)
  /// Okabe–Ito bluish green, #009E73.
  public static let bluishGreen = Color(red: 0x00, green: 0x9E, blue: 0x73)
  /// Okabe–Ito yellow, #F0E442. Too light for thin lines on white; use it for fills.
  public static let yellow = Color(red: 0xF0, green: 0xE4, blue: 0x42)
  /// Okabe–Ito blue, #0072B2.
  public static let blue = Color(red: 0x00, green: 0x72, blue: 0xB2)
  /// Okabe–Ito vermillion, #D55E00.
  public static let vermillion = Color(red: 0xD5, green: 0x5E, blue: 0x00)
  /// Okabe–Ito reddish purple, #CC79A7.
  public static let reddishPurple = Color(red: 0xCC, green: 0x79, blue: 0xA7)
  /// Black, #000000 (the eighth Okabe–Ito colour).
  public static let black = Color(red: 0, green: 0, blue: 0)
  /// White, #FFFFFF.
  public static let white = Color(red: 0xFF, green: 0xFF, blue: 0xFF)
  /// The grey used for reference lines, #555555.
  public static let referenceGrey = Color(red: 0x55, green: 0x55, blue: 0x55)
}

/// The categorical colours series take by default, in order.
public enum Palette {
  /// Okabe–Ito, reordered for charts on white: the two strongest, most distinct colours first
  /// (blue for the conventional or real arm, vermillion for the synthetic or augmented one),
  /// and yellow last because thin yellow lines are hard to see.
  public static let okabeIto: [Color] = [
    .blue, .vermillion, .bluishGreen, .orange, .skyBlue, .reddishPurple, .black, .yellow,
  ]

  /// The `index`-th default colour, cycling after eight.
  public static func color(at index: Int) -> Color {
    okabeIto[((index % okabeIto.count) + okabeIto.count) % okabeIto.count]
  }
}

// MARK: - Ramps

/// Colours at evenly spaced stops on 0…1, interpolated in between.
public struct ColorRamp: Sendable, Hashable {
  /// The stop colours; the first is at 0 and the last at 1.
  public var stops: [Color]

  /// Creates a ramp through at least two colours.
  public init(_ stops: [Color]) {
    precondition(stops.count >= 2, "a ColorRamp needs at least two stops")
    self.stops = stops
  }

  /// The colour at `t`, clamped to 0…1; NaN gives the first stop.
  public func color(at t: Double) -> Color {
    let t = t.isNaN ? 0 : min(max(t, 0), 1)
    let position = t * Double(stops.count - 1)
    let index = min(Int(position.rounded(.down)), stops.count - 2)
    return stops[index].mixed(with: stops[index + 1], fraction: position - Double(index))
  }

  /// ColorBrewer RdBu (7 classes), blue for negative and red for positive, with the neutral
  /// #F7F7F7 exactly in the middle: #2166AC → #F7F7F7 → #B2182B.
  public static let blueWhiteRed = ColorRamp(
    [0x2166AC, 0x67A9CF, 0xD1E5F0, 0xF7F7F7, 0xFDDBC7, 0xEF8A62, 0xB2182B].map(Color.init(packed:)))

  /// Near-white to Okabe–Ito blue through ColorBrewer Blues' middle, for values such as power.
  public static let whiteToBlue = ColorRamp(
    [0xF7FBFF, 0xC6DBEF, 0x6BAED6, 0x0072B2].map(Color.init(packed:)))

  /// Viridis at five stops (matplotlib's `viridis`, 0, 0.25, 0.5, 0.75, 1).
  public static let viridis = ColorRamp(
    [0x440154, 0x3B528B, 0x21918C, 0x5EC962, 0xFDE725].map(Color.init(packed:)))
}

extension Color {
  init(packed: Int) {
    self.init(red: UInt8((packed >> 16) & 0xFF), green: UInt8((packed >> 8) & 0xFF), blue: UInt8(packed & 0xFF))
  }
}

/// A map from data values to colours: a ramp stretched over a domain.
public struct ColorScale: Sendable, Hashable {
  /// Values at or below the lower bound take the ramp's first colour, at or above the upper
  /// bound its last.
  public var domain: ClosedRange<Double>
  /// The colours from the domain's lower bound (t = 0) to its upper bound (t = 1).
  public var ramp: ColorRamp

  /// Creates a scale stretching `ramp` over a finite `domain`.
  public init(domain: ClosedRange<Double>, ramp: ColorRamp) {
    precondition(
      domain.lowerBound.isFinite && domain.upperBound.isFinite,
      "ColorScale domain \(domain) must be finite")
    self.domain = domain
    self.ramp = ramp
  }

  /// Symmetric around zero, −`limit`…`limit`, blue–white–red; for differences such as
  /// synthetic minus real correlations.
  public static func diverging(limit: Double, ramp: ColorRamp = .blueWhiteRed) -> ColorScale {
    precondition(limit > 0, "diverging limit \(limit) must be positive")
    return ColorScale(domain: -limit...limit, ramp: ramp)
  }

  /// Light to dark over `domain` (default 0…1), for proportions such as power.
  public static func sequential(_ domain: ClosedRange<Double> = 0...1, ramp: ColorRamp = .whiteToBlue) -> ColorScale {
    ColorScale(domain: domain, ramp: ramp)
  }

  /// The colour for `value`, or `nil` when it is not finite (drawn as a missing cell).
  public func color(for value: Double) -> Color? {
    guard value.isFinite else { return nil }
    let span = domain.upperBound - domain.lowerBound
    return ramp.color(at: span > 0 ? (value - domain.lowerBound) / span : 0.5)
  }
}
