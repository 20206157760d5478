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

/// Levenshtein distance.
func editDistance(_ a: String, _ b: String) -> Int {
  let a = Array(a), b = Array(b)
  if a.isEmpty { return b.count }
  if b.isEmpty { return a.count }
  var previous = Array(0...b.count)
  var current = [Int](repeating: 0, count: b.count + 1)
  for i in 1...a.count {
    current[0] = i
    for j in 1...b.count {
      current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
    }
    swap(&previous, &current)
  }
  return previous[b.count]
}
