// SortedOrder.swift — the one O(n log n) step of every estimator: subjects ordered by time.
//
// Why not `Array.sort(by:)`: the standard library's sort is stable (a merge sort) and calls a
// closure per comparison; at n = 600 it took 9–40 µs, a third of a Cox fit or most of a
// log-rank test (Docs/Performance.md). Stability is not needed — tied times are processed as a
// group by every caller — so an unstable median-of-three quicksort on indices with insertion
// sort for short runs does (Sedgewick 1978), reading keys through an unsafe buffer.

package enum SortedOrder {
  /// Indices `0..<times.count` ordered by `(stratum, time)` ascending; ties in any order.
  /// Strata are ordered by their integer label.
  static func byTime(_ times: [Double], strata: [Int]? = nil) -> [Int] {
    var order = Array(0..<times.count)
    guard let strata else {
      times.withUnsafeBufferPointer { key in order.withUnsafeMutableBufferPointer { sort(key, $0) } }
      return order
    }
    // Group by stratum first (a counting pass over the distinct labels), then sort each group.
    let labels = Array(Set(strata)).sorted()
    var slot: [Int: Int] = [:]
    for (s, label) in labels.enumerated() { slot[label] = s }
    var starts = [Int](repeating: 0, count: labels.count + 1)
    for s in strata { starts[slot[s]! + 1] += 1 }
    for s in 0..<labels.count { starts[s + 1] += starts[s] }
    var fill = starts
    for i in 0..<times.count {
      let s = slot[strata[i]]!
      order[fill[s]] = i
      fill[s] += 1
    }
    times.withUnsafeBufferPointer { key in
      order.withUnsafeMutableBufferPointer { all in
        for s in 0..<labels.count {
          let part = UnsafeMutableBufferPointer(rebasing: all[starts[s]..<starts[s + 1]])
          sort(key, part)
        }
      }
    }
    return order
  }

  /// Fills `index` with `0..<index.count` ordered by `key` ascending, in place: the same order
  /// as ``byTime(_:strata:)`` without strata (same algorithm), without allocating. The Monte
  /// Carlo workspace sorts each simulated trial once with it and hands the order to Cox and
  /// log-rank, which would otherwise each sort the same patients again.
  package static func sortIndices(_ key: UnsafeBufferPointer<Double>, into index: UnsafeMutableBufferPointer<Int>) {
    precondition(key.count >= index.count, "key.count (\(key.count)) < index.count (\(index.count))")
    for i in index.indices { index[i] = i }
    sort(key, index)
  }

  /// The `k`-th smallest value (1-based) of `values`, by Hoare's selection (expected O(n));
  /// `values` is reordered. Equal to sorting and reading element k − 1 — the value is the same
  /// whatever the order of equal elements — at a fraction of the cost: the event-driven analysis
  /// cut needs one order statistic of the calendar event times, not the whole order.
  package static func smallest(_ k: Int, in values: UnsafeMutableBufferPointer<Double>) -> Double {
    precondition(k >= 1 && k <= values.count, "k (\(k)) must be in 1...\(values.count)")
    let target = k - 1
    var lo = 0
    var hi = values.count - 1
    while lo < hi {
      let a = values[lo]
      let b = values[(lo + hi) / 2]
      let c = values[hi]
      let pivot = max(min(a, b), min(max(a, b), c))  // median of three
      var i = lo
      var j = hi
      while i <= j {
        while values[i] < pivot { i += 1 }
        while values[j] > pivot { j -= 1 }
        if i <= j {
          values.swapAt(i, j)
          i += 1
          j -= 1
        }
      }
      // Now values[lo...j] <= pivot <= values[i...hi], and anything between equals the pivot.
      if target <= j {
        hi = j
      } else if target >= i {
        lo = i
      } else {
        return values[target]
      }
    }
    return values[target]
  }

  /// Sorts `values` ascending in place without allocating (the standard library's sort is a
  /// merge sort with a scratch buffer). Equal values are indistinguishable, so the result is the
  /// same as `Array.sort()`'s.
  package static func sortValues(_ values: UnsafeMutableBufferPointer<Double>) {
    func quick(_ lo0: Int, _ hi0: Int) {
      var lo = lo0
      var hi = hi0
      while hi - lo > 16 {
        let a = values[lo]
        let b = values[(lo + hi) / 2]
        let c = values[hi]
        let pivot = max(min(a, b), min(max(a, b), c))
        var i = lo
        var j = hi
        while i <= j {
          while values[i] < pivot { i += 1 }
          while values[j] > pivot { j -= 1 }
          if i <= j {
            values.swapAt(i, j)
            i += 1
            j -= 1
          }
        }
        if j - lo < hi - i {
          quick(lo, j)
          lo = i
        } else {
          quick(i, hi)
          hi = j
        }
      }
      var i = lo + 1
      while i <= hi {
        let v = values[i]
        var j = i - 1
        while j >= lo && values[j] > v {
          values[j + 1] = values[j]
          j -= 1
        }
        values[j + 1] = v
        i += 1
      }
    }
    if values.count > 1 { quick(0, values.count - 1) }
  }

  // MARK: - Distribution sorts for simulated trials
  //
  // The comparison sorts above spend most of their time on mispredicted comparisons (a simulated
  // trial's two sorts were a third of its time). Simulated times fill an interval fairly evenly,
  // so a distribution sort — scatter into n buckets over [min, max] by value, then one insertion
  // pass over the nearly sorted result — is O(n) in practice. When the values are far from even
  // (the insertion pass moves more than 16 n elements) or not finite, the comparison sort runs
  // instead: the result is the same sorted order either way.

  /// Sorts `values` ascending; the same result as ``sortValues(_:)``. `scratch` holds at least
  /// `values.count` values and `counts` at least `values.count + 1`.
  package static func distributionSortValues(
    _ values: UnsafeMutableBufferPointer<Double>, scratch: UnsafeMutableBufferPointer<Double>,
    counts: UnsafeMutableBufferPointer<Int>
  ) {
    let n = values.count
    precondition(scratch.count >= n && counts.count > n, "distributionSortValues needs n scratch values and n + 1 counts")
    guard n >= 32, let (lo, scale) = bucketScale(n, { values[$0] }) else {
      sortValues(values)
      return
    }
    let bucket = { (x: Double) in min(Int((x - lo) * scale), n - 1) }
    for b in 0...n { counts[b] = 0 }
    for i in 0..<n { counts[bucket(values[i]) + 1] += 1 }
    for b in 0..<n { counts[b + 1] += counts[b] }
    for i in 0..<n {
      let b = bucket(values[i])
      scratch[counts[b]] = values[i]
      counts[b] += 1
    }
    var moves = 0
    var i = 1
    while i < n {
      let v = scratch[i]
      var j = i - 1
      while j >= 0 && scratch[j] > v {
        scratch[j + 1] = scratch[j]
        j -= 1
      }
      moves += i - 1 - j
      scratch[j + 1] = v
      i += 1
      if moves > 16 * n {
        sortValues(values)
        return
      }
    }
    for k in 0..<n { values[k] = scratch[k] }
  }

  /// Fills `index` with `0..<index.count` ordered by `key`, as ``sortIndices(_:into:)`` does.
  /// Distinct keys have one sorted order, so any sort gives ``sortIndices(_:into:)``'s; tied keys
  /// do not, so when two keys are equal the comparison sort runs instead (tied follow-up times are
  /// rare in simulated trials, and a Cox fit's sums follow this order). `counts` holds at least
  /// `index.count + 1` values.
  package static func distributionSortIndices(
    _ key: UnsafeBufferPointer<Double>, into index: UnsafeMutableBufferPointer<Int>, counts: UnsafeMutableBufferPointer<Int>
  ) {
    let n = index.count
    precondition(key.count >= n && counts.count > n, "distributionSortIndices needs n keys and n + 1 counts")
    guard n >= 32, let (lo, scale) = bucketScale(n, { key[$0] }) else {
      sortIndices(key, into: index)
      return
    }
    let bucket = { (x: Double) in min(Int((x - lo) * scale), n - 1) }
    for b in 0...n { counts[b] = 0 }
    for i in 0..<n { counts[bucket(key[i]) + 1] += 1 }
    for b in 0..<n { counts[b + 1] += counts[b] }
    for i in 0..<n {
      let b = bucket(key[i])
      index[counts[b]] = i
      counts[b] += 1
    }
    var moves = 0
    var i = 1
    while i < n {
      let v = index[i]
      let kv = key[v]
      var j = i - 1
      while j >= 0 && key[index[j]] > kv {
        index[j + 1] = index[j]
        j -= 1
      }
      if j >= 0 && key[index[j]] == kv { moves = .max }  // a tie: see above
      moves = moves == .max ? .max : moves + (i - 1 - j)
      index[j + 1] = v
      i += 1
      if moves > 16 * n {
        sortIndices(key, into: index)
        return
      }
    }
  }

  /// The lower end and the scale of n buckets over [min, max] of the first n values; nil when a
  /// value is not finite or all are equal.
  @inline(__always)
  private static func bucketScale(_ n: Int, _ value: (Int) -> Double) -> (Double, Double)? {
    var lo = value(0)
    var hi = lo
    guard lo.isFinite else { return nil }
    for i in 1..<n {
      let v = value(i)
      guard v.isFinite else { return nil }
      if v < lo { lo = v }
      if v > hi { hi = v }
    }
    guard hi > lo else { return nil }
    let scale = Double(n) / (hi - lo)
    return scale.isFinite ? (lo, scale) : nil
  }

  /// Sorts `index` so that `key[index[i]]` ascends.
  private static func sort(_ key: UnsafeBufferPointer<Double>, _ index: UnsafeMutableBufferPointer<Int>) {
    func insertion(_ lo: Int, _ hi: Int) {
      var i = lo + 1
      while i <= hi {
        let v = index[i]
        let kv = key[v]
        var j = i - 1
        while j >= lo && key[index[j]] > kv {
          index[j + 1] = index[j]
          j -= 1
        }
        index[j + 1] = v
        i += 1
      }
    }
    func quick(_ lo0: Int, _ hi0: Int) {
      var lo = lo0
      var hi = hi0
      while hi - lo > 16 {
        let a = key[index[lo]]
        let b = key[index[(lo + hi) / 2]]
        let c = key[index[hi]]
        let pivot = max(min(a, b), min(max(a, b), c))  // median of three
        var i = lo
        var j = hi
        while i <= j {
          while key[index[i]] < pivot { i += 1 }
          while key[index[j]] > pivot { j -= 1 }
          if i <= j {
            index.swapAt(i, j)
            i += 1
            j -= 1
          }
        }
        // Recurse into the smaller side, loop on the larger: O(log n) stack.
        if j - lo < hi - i {
          quick(lo, j)
          lo = i
        } else {
          quick(i, hi)
          hi = j
        }
      }
      insertion(lo, hi)
    }
    if index.count > 1 { quick(0, index.count - 1) }
  }
}
