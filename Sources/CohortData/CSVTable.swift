// CSVTable.swift — RFC 4180 reading with positions for every error.
//
// Why our own reader rather than a CSV package: every error a user sees must name the file, the
// line and the column (Docs/Architecture.md, bad input), and the packages on this machine (CSV.swift, SwiftCSV)
// report malformed quoting without positions. The grammar is small: comma separator, optional
// double quotes with "" as an escaped quote, CRLF or LF line ends, a header row.

import Foundation

/// The raw text of a CSV file: a header and rows of fields, each row remembering its line.
public struct CSVTable: Sendable {
  /// Column names from the header row.
  public let header: [String]
  /// Data rows; each has exactly `header.count` fields.
  public let rows: [[String]]
  /// The 1-based line in the file where each data row starts (the header is line 1).
  public let lineNumbers: [Int]

  /// Parses CSV text. `source` names the file in error messages.
  public init(text: String, source: String) throws(CohortError) {
    var records: [[String]] = []
    var lines: [Int] = []
    var field = ""
    var record: [String] = []
    var inQuotes = false
    var fieldWasQuoted = false
    var line = 1
    var column = 1
    var recordLine = 1
    var quoteOpenedAt = (line: 1, column: 1)
    var afterClosingQuote = false

    func endField() {
      record.append(field)
      field = ""
      fieldWasQuoted = false
      afterClosingQuote = false
    }

    var scalars = text.unicodeScalars.makeIterator()
    var pending: Unicode.Scalar? = scalars.next()
    if pending == "\u{FEFF}" { pending = scalars.next() }  // byte-order mark
    while let c = pending {
      pending = scalars.next()
      if inQuotes {
        if c == "\"" {
          if pending == "\"" {
            field.unicodeScalars.append("\"")
            pending = scalars.next()
            column += 2
            continue
          }
          inQuotes = false
          afterClosingQuote = true
        } else {
          field.unicodeScalars.append(c)
          if c == "\n" {
            line += 1
            column = 0
          }
        }
        column += 1
        continue
      }
      switch c {
      case ",":
        endField()
      case "\r" where pending == "\n":
        break  // the "\n" ends the record
      case "\n", "\r":
        endField()
        records.append(record)
        lines.append(recordLine)
        record = []
        line += 1
        column = 0
        recordLine = line
      case "\"" where field.isEmpty && !fieldWasQuoted:
        inQuotes = true
        fieldWasQuoted = true
        quoteOpenedAt = (line, column)
      default:
        if afterClosingQuote {
          throw CohortError(
            source: source, line: line, column: column,
            message: "unexpected character '\(c)' after a closing quote; a quoted field must end at a comma or line end")
        }
        if c == "\"" {
          throw CohortError(
            source: source, line: line, column: column,
            message: "a double quote inside an unquoted field; quote the whole field and write \"\" for a quote")
        }
        field.unicodeScalars.append(c)
      }
      column += 1
    }
    if inQuotes {
      throw CohortError(
        source: source, line: quoteOpenedAt.line, column: quoteOpenedAt.column,
        message: "a quoted field is never closed")
    }
    if !field.isEmpty || !record.isEmpty || fieldWasQuoted {
      endField()
      records.append(record)
      lines.append(recordLine)
    }
    // Blank lines (a single empty field) carry no data; a trailing one is common.
    let kept = zip(records, lines).filter { !($0.0.count == 1 && $0.0[0].isEmpty) }
    guard let first = kept.first else {
      throw CohortError(source: source, line: 1, column: nil, message: "the file is empty; a header row is required")
    }
    let header = first.0.map { $0.trimmingCharacters(in: .whitespaces) }
    var seen: [String: Int] = [:]
    for (index, name) in header.enumerated() {
      if name.isEmpty {
        throw CohortError(source: source, line: first.1, column: index + 1, message: "column \(index + 1) of the header has no name")
      }
      if let earlier = seen[name] {
        throw CohortError(
          source: source, line: first.1, column: index + 1,
          message: "column name '\(name)' appears twice (columns \(earlier + 1) and \(index + 1))")
      }
      seen[name] = index
    }
    let body = kept.dropFirst()
    for (fields, at) in body where fields.count != header.count {
      throw CohortError(
        source: source, line: at, column: nil,
        message: "row has \(fields.count) fields but the header has \(header.count)")
    }
    self.header = header
    self.rows = body.map(\.0)
    self.lineNumbers = body.map(\.1)
  }

  /// Reads and parses a CSV file.
  public init(contentsOf path: String) throws(CohortError) {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else {
      throw CohortError(source: path, line: nil, column: nil, message: "no such file")
    }
    guard let data = FileManager.default.contents(atPath: path) else {
      throw CohortError(source: path, line: nil, column: nil, message: "cannot read the file")
    }
    if let bad = firstInvalidUTF8(in: data) {
      throw CohortError(
        source: path, line: bad.line, column: bad.column,
        message: "the file is not UTF-8 text: byte \(bad.byteOffset) is not valid UTF-8")
    }
    try self.init(text: String(decoding: data, as: UTF8.self), source: path)
  }
}

/// Where the first byte sequence that is not UTF-8 sits in `data`: 1-based line and column
/// (in characters, as editors count) and 0-based byte offset; nil when all of `data` is UTF-8.
public func firstInvalidUTF8(in data: Data) -> (line: Int, column: Int, byteOffset: Int)? {
  var parser = Unicode.UTF8.ForwardParser()
  var bytes = data.makeIterator()
  var line = 1
  var column = 1
  var offset = 0
  while true {
    switch parser.parseScalar(from: &bytes) {
    case .valid(let encoded):
      offset += encoded.count
      if encoded.count == 1 && encoded.first == UInt8(ascii: "\n") {
        line += 1
        column = 1
      } else {
        column += 1
      }
    case .emptyInput:
      return nil
    case .error:
      return (line, column, offset)
    }
  }
}
