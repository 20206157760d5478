// CohortTests.swift — reading the shipped cohorts, and malformed CSV giving located errors.

import CohortData
import TestSupport
import Testing

@Suite("Cohort CSV reading")
struct CohortTests {
  @Test("colon and colon_os: rows, columns and missing counts as documented in Data/README.md", .tags(.validation))
  func colon() throws {
    // Expected values: the export table in Data/README.md for colon (1858 rows: nodes 36, differ
    // 46 missing; two rows per patient, so colon_os has half of each: 18 and 23 — the latter
    // counted independently with Python's csv module) and the 452 deaths it states.
    let both = try Cohort(contentsOf: Fixtures.dataPath("colon.csv"))
    #expect(both.rowCount == 1858)
    #expect(try both.column("nodes").missingCount == 36)
    #expect(try both.column("differ").missingCount == 46)
    let c = try Cohort(contentsOf: Fixtures.dataPath("colon_os.csv"))
    #expect(c.rowCount == 929)
    #expect(c.columnNames.count == 16)
    #expect(try c.column("nodes").missingCount == 18)
    #expect(try c.column("differ").missingCount == 23)
    #expect(try c.column("age").missingCount == 0)
    guard case .text(let rx) = try c.column("rx") else {
      Issue.record("rx should be text")
      return
    }
    #expect(Set(rx.compactMap { $0 }) == ["Obs", "Lev", "Lev+5FU"])
    #expect(try c.numeric("status").compactMap { $0 }.filter { $0 == 1 }.count == 452)
    #expect(c.lineNumbers.first == 2)
  }

  @Test("lung and veteran read with their documented shapes", .tags(.validation))
  func others() throws {
    let lung = try Cohort(contentsOf: Fixtures.dataPath("lung.csv"))
    #expect(lung.rowCount == 228)
    #expect(try lung.column("meal.cal").missingCount == 47)
    #expect(try lung.column("wt.loss").missingCount == 14)
    let veteran = try Cohort(contentsOf: Fixtures.dataPath("veteran.csv"))
    #expect(veteran.rowCount == 137)
    #expect(try veteran.labels("celltype").first == "squamous")
    #expect(try veteran.labels("trt").first == "1")
  }

  @Test("quoting: \"\" is a quote, commas and newlines inside quotes are data, CRLF ends rows", .tags(.unit))
  func quoting() throws {
    let t = try CSVTable(text: "a,b\r\n\"x,\"\"y\"\"\",2\r\n\"multi\nline\",3\r\n", source: "mem")
    #expect(t.rows == [["x,\"y\"", "2"], ["multi\nline", "3"]])
    #expect(t.lineNumbers == [2, 3])
  }

  static let invalid: [(file: String, message: String)] = [
    ("csv-short-row.csv", "csv-short-row.csv:3: row has 2 fields but the header has 3"),
    ("csv-unclosed-quote.csv", "csv-unclosed-quote.csv:3:3: a quoted field is never closed"),
    ("csv-duplicate-column.csv", "csv-duplicate-column.csv:1:3: column name 'time' appears twice (columns 2 and 3)"),
    ("csv-empty.csv", "csv-empty.csv:1: the file is empty; a header row is required"),
    (
      "csv-text-after-quote.csv",
      "csv-text-after-quote.csv:2:7: unexpected character 'x' after a closing quote; a quoted field must end at a comma or line end"
    ),
    ("csv-unnamed-column.csv", "csv-unnamed-column.csv:1:2: column 2 of the header has no name"),
  ]

  @Test("malformed CSV: the exact located message", .tags(.unit), arguments: invalid.map(\.file))
  func malformed(_ file: String) {
    let expected = Self.invalid.first { $0.file == file }!.message
    do {
      _ = try Cohort(contentsOf: Fixtures.fixturePath("Invalid/" + file))
      Issue.record("\(file) was accepted")
    } catch {
      #expect(error.description.hasSuffix(expected), "got: \(error.description)")
    }
  }

  @Test("text in a numeric column is reported with its row and column", .tags(.unit))
  func textInNumeric() throws {
    let c = try Cohort(contentsOf: Fixtures.fixturePath("Invalid/csv-text-in-time.csv"))
    #expect(throws: CohortError.self) { try c.numeric("time") }
    do { _ = try c.numeric("time") } catch {
      #expect(error.description.hasSuffix("csv-text-in-time.csv:2:2: column 'time' must be numeric but holds 'ten'"))
    }
  }
}
