// SVGBlocks.swift — finding the charts in a report page (the parser is TestSupport's
// ParsedMarkup).

import Foundation
import Runs

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
