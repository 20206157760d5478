// ParsedSVG.swift — helpers for reading charts back (the parser itself is TestSupport's
// ParsedMarkup).

import TestSupport

typealias ParsedSVG = ParsedMarkup

/// The `points` attribute of a polyline or polygon as (x, y) pairs.
func parsePoints(_ attribute: String?) -> [[Double]] {
  (attribute ?? "").split(separator: " ").map { pair in pair.split(separator: ",").compactMap { Double($0) } }
}

/// Labels that break naive XML writers: all five special characters and a control character.
let awkwardLabel = "Real & \"synthetic\" <arm> 'B' \u{1}"
/// What a parser reads back for ``awkwardLabel``: the control character becomes a space.
let awkwardLabelParsed = "Real & \"synthetic\" <arm> 'B'  "
