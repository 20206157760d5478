// SVGWriter.swift — a small element builder: XML escaping, and numbers written the same way on
// every machine.
//
// Why not Foundation's XMLDocument or String(format:): XMLDocument is missing from some
// toolchains' Foundation and would pull FoundationXML into the report's dependencies; and the
// report must be byte-identical across runs and locales, so numbers are formatted with integer
// arithmetic here rather than through printf-style formatting, whose decimal separator and
// rounding we do not control.

/// Writes SVG markup one element at a time, escaping every attribute value and text node.
///
/// Elements are opened and closed in strict nesting order; ``finish()`` traps if any element is
/// still open, because that would be a bug in a chart, not something a caller can fix.
/// Attributes are written in the order given, so output is deterministic.
package struct SVGWriter {
  /// An attribute name and value; a `nil` value omits the attribute.
  package typealias Attribute = (name: String, value: String?)

  private var markup = ""
  private var openElements: [String] = []

  package init() {}

  /// Opens `name`; its children follow until the matching ``close()``.
  package mutating func open(_ name: String, _ attributes: [Attribute] = []) {
    writeStartTag(name, attributes)
    markup += ">\n"
    openElements.append(name)
  }

  /// Closes the most recently opened element.
  package mutating func close() {
    guard let name = openElements.popLast() else {
      preconditionFailure("SVGWriter.close() without an open element")
    }
    markup += "</\(name)>\n"
  }

  /// Writes an element without children; with `text`, the escaped text is its content.
  package mutating func element(_ name: String, _ attributes: [Attribute] = [], text: String? = nil) {
    writeStartTag(name, attributes)
    if let text {
      markup += ">\(Self.escape(text))</\(name)>\n"
    } else {
      markup += "/>\n"
    }
  }

  /// The finished markup. Every opened element must have been closed.
  package func finish() -> String {
    precondition(openElements.isEmpty, "SVGWriter.finish() with open elements \(openElements)")
    return markup
  }

  private mutating func writeStartTag(_ name: String, _ attributes: [Attribute]) {
    markup += "<\(name)"
    for attribute in attributes {
      guard let value = attribute.value else { continue }
      markup += " \(attribute.name)=\"\(Self.escape(value))\""
    }
  }

  // MARK: - Escaping

  /// Escapes `text` for use in XML content or a double- or single-quoted attribute.
  ///
  /// Besides the five predefined entities, characters that XML 1.0 forbids outright (C0 controls
  /// other than tab, line feed and carriage return, and U+FFFE/U+FFFF) become spaces: a label read
  /// from a CSV file must never make the whole report unparsable.
  package static func escape(_ text: String) -> String {
    var out = ""
    out.reserveCapacity(text.utf8.count)
    for scalar in text.unicodeScalars {
      switch scalar {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      case "'": out += "&#39;"  // not &apos;, which HTML 4 lacks
      case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
      case _ where scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF:
        out += " "
      default: out.unicodeScalars.append(scalar)
      }
    }
    return out
  }
}

// MARK: - Numbers

/// Formats `value` with exactly `decimals` digits after a "." (half away from zero), whatever
/// the locale. Negative zero prints as zero. `value` must be finite: charts drop non-finite data
/// before it reaches here.
///
/// Values whose scaled magnitude does not fit in 2⁵³ fall back to Swift's shortest round-trip
/// description (which may use an exponent, e.g. `1e+20`); that is still a valid SVG number.
func formatFixed(_ value: Double, decimals: Int) -> String {
  precondition(value.isFinite, "formatFixed(\(value)): non-finite values must be filtered earlier")
  let decimals = min(max(decimals, 0), 15)
  var factor = 1.0
  for _ in 0..<decimals { factor *= 10 }
  let scaled = (value.magnitude * factor).rounded(.toNearestOrAwayFromZero)
  guard scaled < 9_007_199_254_740_992 else { return "\(value)" }
  var digits = String(UInt64(scaled))
  if decimals > 0 {
    if digits.count <= decimals {
      digits = String(repeating: "0", count: decimals - digits.count + 1) + digits
    }
    digits.insert(".", at: digits.index(digits.endIndex, offsetBy: -decimals))
  }
  return (value < 0 && scaled != 0 ? "-" : "") + digits
}

/// A pixel coordinate or length with at most two decimals and no trailing zeros ("62.5", "340").
///
/// Two decimals are 1/100 px, far below what a screen or printer can show, and keep the markup
/// short.
func svgNumber(_ value: Double) -> String { formatTrimmed(value, maxDecimals: 2) }

/// `value` with at most `maxDecimals` decimals, trailing zeros and a bare point removed.
func formatTrimmed(_ value: Double, maxDecimals: Int) -> String {
  var text = formatFixed(value, decimals: maxDecimals)
  guard text.contains("."), !text.contains("e") else { return text }
  while text.hasSuffix("0") { text.removeLast() }
  if text.hasSuffix(".") { text.removeLast() }
  return text == "-0" ? "0" : text
}
