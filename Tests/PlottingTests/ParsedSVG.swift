// ParsedSVG.swift — reads chart output back with Foundation's XMLParser, so tests check the
// markup a browser would see rather than searching strings.

import Foundation
#if canImport(FoundationXML)
import FoundationXML  // XMLParser lives here on Linux
#endif

/// One element of a parsed document: its name, attributes and the text directly inside it.
struct ParsedElement {
  var name: String
  var attributes: [String: String]
  var text: String

  /// The space-separated classes of the `class` attribute.
  var classes: [Substring] { (attributes["class"] ?? "").split(separator: " ") }

  subscript(_ attribute: String) -> String? { attributes[attribute] }

  /// A numeric attribute; `nil` when absent or not a number.
  func number(_ attribute: String) -> Double? { attributes[attribute].flatMap(Double.init) }
}

/// Every element of an SVG (or XHTML) document, in document order.
struct ParsedSVG {
  let elements: [ParsedElement]

  /// Parses `markup`; throws when it is not well-formed XML.
  init(_ markup: String) throws {
    let parser = XMLParser(data: Data(markup.utf8))
    let reader = Reader()
    parser.delegate = reader
    guard parser.parse() else {
      throw NotWellFormed(message: "\(parser.parserError.map { "\($0)" } ?? "unknown error") at line \(parser.lineNumber), column \(parser.columnNumber)")
    }
    elements = reader.elements
  }

  /// Elements whose `class` attribute includes `name`.
  func elements(class name: String) -> [ParsedElement] {
    elements.filter { $0.classes.contains(Substring(name)) }
  }

  /// Elements with the given tag name.
  func elements(named name: String) -> [ParsedElement] {
    elements.filter { $0.name == name }
  }

  struct NotWellFormed: Error, CustomStringConvertible {
    var message: String
    var description: String { "not well-formed XML: \(message)" }
  }

  private final class Reader: NSObject, XMLParserDelegate {
    var elements: [ParsedElement] = []
    private var open: [Int] = []

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]) {
      elements.append(ParsedElement(name: elementName, attributes: attributeDict, text: ""))
      open.append(elements.count - 1)
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
      if let index = open.last { elements[index].text += string }
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?,
                qualifiedName qName: String?) {
      open.removeLast()
    }
  }
}

/// The `points` attribute of a polyline or polygon as (x, y) pairs.
func parsePoints(_ attribute: String?) -> [[Double]] {
  (attribute ?? "").split(separator: " ").map { pair in pair.split(separator: ",").compactMap { Double($0) } }
}

/// Labels that break naive XML writers: all five special characters and a control character.
let awkwardLabel = "Real & \"synthetic\" <arm> 'B' \u{1}"
/// What a parser reads back for ``awkwardLabel``: the control character becomes a space.
let awkwardLabelParsed = "Real & \"synthetic\" <arm> 'B'  "
