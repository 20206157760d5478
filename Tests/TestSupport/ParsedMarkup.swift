// ParsedMarkup.swift — reads SVG or XHTML back with Foundation's XMLParser, so tests check the
// markup a browser would see rather than searching strings (PlottingTests, ReportingTests).

import Foundation

#if canImport(FoundationXML)
  import FoundationXML  // XMLParser lives here on Linux
#endif

/// One element of a parsed document.
public struct ParsedElement: Sendable {
  public var name: String
  public var attributes: [String: String]
  /// The text directly inside the element (not inside its children).
  public var text: String
  /// All text inside the element, its children's included, in document order.
  public var allText: String

  /// The space-separated classes of the `class` attribute.
  public var classes: [Substring] { (attributes["class"] ?? "").split(separator: " ") }

  public subscript(_ attribute: String) -> String? { attributes[attribute] }

  /// A numeric attribute; `nil` when absent or not a number.
  public func number(_ attribute: String) -> Double? { attributes[attribute].flatMap(Double.init) }
}

/// Every element of an XML document, in document order, with the index of its parent.
public struct ParsedMarkup: Sendable {
  public let elements: [ParsedElement]
  /// `parents[i]` is the index of element i's parent (nil for the root).
  public let parents: [Int?]

  /// Parses `markup`; throws when it is not well-formed XML.
  public init(_ markup: String) throws {
    let parser = XMLParser(data: Data(markup.utf8))
    let reader = Reader()
    parser.delegate = reader
    guard parser.parse() else {
      throw NotWellFormed(
        message: "\(parser.parserError.map { "\($0)" } ?? "unknown error") at line \(parser.lineNumber), column \(parser.columnNumber)")
    }
    elements = reader.elements
    parents = reader.parents
  }

  /// Elements whose `class` attribute includes `name`.
  public func elements(class name: String) -> [ParsedElement] {
    elements.filter { $0.classes.contains(Substring(name)) }
  }

  /// Elements with the given tag name.
  public func elements(named name: String) -> [ParsedElement] { elements.filter { $0.name == name } }

  /// The elements inside element `index` (all depths).
  public func descendants(of index: Int) -> [ParsedElement] {
    elements.indices.filter { i in
      var p = parents[i]
      while let q = p {
        if q == index { return true }
        p = parents[q]
      }
      return false
    }.map { elements[$0] }
  }

  public struct NotWellFormed: Error, CustomStringConvertible {
    public var message: String
    public var description: String { "not well-formed XML: \(message)" }
  }

  private final class Reader: NSObject, XMLParserDelegate {
    var elements: [ParsedElement] = []
    var parents: [Int?] = []
    private var open: [Int] = []

    func parser(
      _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
      qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]
    ) {
      elements.append(ParsedElement(name: elementName, attributes: attributeDict, text: "", allText: ""))
      parents.append(open.last)
      open.append(elements.count - 1)
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
      if let index = open.last { elements[index].text += string }
      for index in open { elements[index].allText += string }
    }

    func parser(
      _ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?,
      qualifiedName qName: String?
    ) {
      open.removeLast()
    }
  }
}
