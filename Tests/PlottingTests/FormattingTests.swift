// FormattingTests.swift — XML escaping and locale-independent number formatting.

import TestSupport
import Testing

@testable import Plotting

@Suite("SVG text and number formatting", .tags(.unit))
struct FormattingTests {
  @Test("the five XML special characters become entities; forbidden control characters become spaces")
  func escaping() {
    #expect(SVGWriter.escape(#"a & b < c > "d" 'e'"#) == "a &amp; b &lt; c &gt; &quot;d&quot; &#39;e&#39;")
    #expect(SVGWriter.escape("x\u{0}y\u{1F}z\tw\n") == "x y z\tw\n")
    #expect(SVGWriter.escape("Kaplan–Meier Ŝ(t) ≥ 0.8") == "Kaplan–Meier Ŝ(t) ≥ 0.8")
  }

  @Test("fixed decimals: half away from zero, no negative zero, '.' as the separator")
  func fixed() {
    // Expected strings worked out by hand; 0.125 and 2.5 are exact in binary, so they test the
    // tie rule itself.
    #expect(formatFixed(0.125, decimals: 2) == "0.13")
    #expect(formatFixed(2.5, decimals: 0) == "3")
    #expect(formatFixed(-1.5, decimals: 0) == "-2")
    #expect(formatFixed(-0.001, decimals: 2) == "0.00")
    #expect(formatFixed(0.05, decimals: 3) == "0.050")
    #expect(formatFixed(1234.5678, decimals: 1) == "1234.6")
    #expect(formatFixed(0.8, decimals: 1) == "0.8")
    #expect(formatFixed(7, decimals: 0) == "7")
  }

  @Test("coordinates: at most two decimals, trailing zeros dropped")
  func coordinates() {
    #expect(svgNumber(340) == "340")
    #expect(svgNumber(62.5) == "62.5")
    #expect(svgNumber(107.199999) == "107.2")
    #expect(svgNumber(-0.004) == "0")
    #expect(svgNumber(-12.345) == "-12.35")
    #expect(svgNumber(1e20) == "1e+20")
  }

  @Test("tick formats")
  func tickFormats() {
    #expect(TickFormat.automatic.text(0.4, automaticDecimals: 1) == "0.4")
    #expect(TickFormat.decimals(2).text(0.8, automaticDecimals: 0) == "0.80")
    #expect(TickFormat.percent(decimals: 1).text(0.025, automaticDecimals: 0) == "2.5%")
  }

  @Test("the writer nests elements and escapes attribute values and text")
  func writer() throws {
    var w = SVGWriter()
    w.open("g", [("class", "a<b"), ("data-skip", nil)])
    w.element("text", [("x", "1")], text: "5 > 3 & 2 < 4")
    w.close()
    let markup = w.finish()
    #expect(markup == "<g class=\"a&lt;b\">\n<text x=\"1\">5 &gt; 3 &amp; 2 &lt; 4</text>\n</g>\n")
    let parsed = try ParsedSVG(markup)
    #expect(parsed.elements(named: "text").first?.text == "5 > 3 & 2 < 4")
    #expect(parsed.elements(named: "g").first?["class"] == "a<b")
  }
}
