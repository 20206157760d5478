// ParsedMarkup.swift — reads the report back with Foundation's XMLParser, so the tests check
// the markup a browser gets rather than searching strings. (PlottingTests has its own copy for
// single charts; test targets cannot share helpers without a support module.)

import Foundation
#if canImport(FoundationXML)
import FoundationXML  // XMLParser lives here on Linux
#endif

struct ParsedElement {
  var name: String
  var attributes: [String: String]
  var text: String

  var classes: [Substring] { (attributes["class"] ?? "").split(separator: " ") }
  subscript(_ attribute: String) -> String? { attributes[attribute] }
  func number(_ attribute: String) -> Double? { attributes[attribute].flatMap(Double.init) }
}

/// Every element of an XML document, in document order, with the index of its parent.
struct ParsedMarkup {
  let elements: [ParsedElement]
  /// `parents[i]` is the index of element i's parent (nil for the root).
  let parents: [Int?]

  /// Parses `markup`; throws when it is not well-formed XML.
  init(_ markup: String) throws {
    let parser = XMLParser(data: Data(markup.utf8))
    let reader = Reader()
    parser.delegate = reader
    guard parser.parse() else {
      throw NotWellFormed(message: "\(parser.parserError.map { "\($0)" } ?? "unknown error") at line \(parser.lineNumber), column \(parser.columnNumber)")
    }
    elements = reader.elements
    parents = reader.parents
  }

  func elements(named name: String) -> [ParsedElement] { elements.filter { $0.name == name } }

  /// The elements inside element `index` (all depths).
  func descendants(of index: Int) -> [ParsedElement] {
    elements.indices.filter { i in
      var p = parents[i]
      while let q = p {
        if q == index { return true }
        p = parents[q]
      }
      return false
    }.map { elements[$0] }
  }

  struct NotWellFormed: Error, CustomStringConvertible {
    var message: String
    var description: String { "not well-formed XML: \(message)" }
  }

  private final class Reader: NSObject, XMLParserDelegate {
    var elements: [ParsedElement] = []
    var parents: [Int?] = []
    private var open: [Int] = []

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]) {
      elements.append(ParsedElement(name: elementName, attributes: attributeDict, text: ""))
      parents.append(open.last)
      open.append(elements.count - 1)
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
      for index in open { elements[index].text += string }  // text of an element includes its children's
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?,
                qualifiedName qName: String?) {
      open.removeLast()
    }
  }
}

/// The top-level `<svg …>…</svg>` blocks of an HTML page, in order. Charts nest an `<svg>` for
/// their plot area, so blocks are found by counting depth, not by the first `</svg>`.
func svgBlocks(in html: String) -> [String] {
  var blocks: [String] = []
  var depth = 0
  var start: String.Index?
  var i = html.startIndex
  while let tag = html[i...].firstIndex(of: "<") {
    let rest = html[tag...]
    if rest.hasPrefix("<svg ") || rest.hasPrefix("<svg>") {
      if depth == 0 { start = tag }
      depth += 1
    } else if rest.hasPrefix("</svg>") {
      depth -= 1
      if depth == 0, let s = start {
        blocks.append(String(html[s..<html.index(tag, offsetBy: 6)]))
        start = nil
      }
    }
    i = html.index(after: tag)
  }
  return blocks
}
