// Suggestion.swift — "did you mean …?" for unknown keys, variables, labels and rule ids.

/// The candidate closest to `word` by edit distance, when close enough to be a likely typo
/// (distance ≤ max(1, length/3)), or a candidate that differs only in case.
func suggestion(for word: String, among candidates: [String]) -> String? {
  var best: (String, Int)? = nil
  for c in candidates {
    if c.lowercased() == word.lowercased() { return c }
    let d = editDistance(word, c)
    if d <= max(1, word.count / 3), best.map({ d < $0.1 }) ?? true { best = (c, d) }
  }
  return best?.0
}

/// " (did you mean 'x'?)" or "".
func didYouMean(_ word: String, among candidates: [String]) -> String {
  suggestion(for: word, among: candidates).map { " (did you mean '\($0)'?)" } ?? ""
}

/// Edit distance counting insertions, deletions, substitutions and swaps of neighbours as one
/// edit each (optimal string alignment), so "titel" is one edit from "title".
func editDistance(_ a: String, _ b: String) -> Int {
  let a = Array(a)
  let b = Array(b)
  if a.isEmpty { return b.count }
  if b.isEmpty { return a.count }
  var d = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
  for i in 0...a.count { d[i][0] = i }
  for j in 0...b.count { d[0][j] = j }
  for i in 1...a.count {
    for j in 1...b.count {
      let cost = a[i - 1] == b[j - 1] ? 0 : 1
      d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
      if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1) }
    }
  }
  return d[a.count][b.count]
}

/// `path` with "." and "dir/.." removed lexically ("Tests/x/../../Data" → "Data"), so messages
/// name files the way a user would type them. Foundation's `standardizingPath` leaves ".." in
/// relative paths on Linux.
func normalizedPath(_ path: String) -> String {
  var out: [Substring] = []
  for part in path.split(separator: "/", omittingEmptySubsequences: true) {
    if part == "." { continue }
    if part == "..", let last = out.last, last != ".." {
      out.removeLast()
      continue
    }
    out.append(part)
  }
  let joined = out.joined(separator: "/")
  return path.hasPrefix("/") ? "/" + joined : (joined.isEmpty ? "." : joined)
}
