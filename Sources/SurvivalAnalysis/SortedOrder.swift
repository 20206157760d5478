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
  // so a distribution sort — scatter into 4n buckets over [min, max] by value, then one insertion
  // pass over the nearly sorted result — is O(n) in practice. Buckets are ordered, so the
  // insertion pass only reorders values sharing a bucket; with 4n of them (a quarter of a value
  // per bucket on average) it seldom moves anything, and its branches are predictable. When the
  // values are far from even (the insertion pass moves more than 16 n elements) or not finite,
  // the comparison sort runs instead: the result is the same sorted order either way.

  /// The `counts` scratch the distribution sorts need for `n` values.
  package static func distributionCounts(_ n: Int) -> Int { 4 * n + 1 }

  /// Sorts `values` ascending; the same result as ``sortValues(_:)``. `scratch` holds at least
  /// `values.count` values and `counts` at least ``distributionCounts(_:)``.
  package static func distributionSortValues(
    _ values: UnsafeMutableBufferPointer<Double>, scratch: UnsafeMutableBufferPointer<Double>,
    counts: UnsafeMutableBufferPointer<Int>
  ) {
    let n = values.count
    precondition(
      scratch.count >= n && counts.count >= distributionCounts(n), "distributionSortValues needs n values and 4n + 1 counts")
    let m = 4 * n
    guard n >= 32, let (lo, scale) = bucketScale(n, buckets: m, { values[$0] }) else {
      sortValues(values)
      return
    }
    let bucket = { (x: Double) in min(Int((x - lo) * scale), m - 1) }
    bucketStarts(n, buckets: m, counts: counts) { bucket(values[$0]) }
    for i in 0..<n {
      let v = values[i]
      let b = bucket(v)
      scratch[counts[b]] = v
      counts[b] &+= 1
    }
    var moves = 0
    var i = 1
    while i < n {
      let v = scratch[i]
      if scratch[i - 1] <= v {
        i &+= 1
        continue
      }
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
    values.baseAddress!.update(from: scratch.baseAddress!, count: n)
  }

  /// Fills `index` with `0..<index.count` ordered by `key`, as ``sortIndices(_:into:)`` does.
  /// Distinct keys have one sorted order, so any sort gives ``sortIndices(_:into:)``'s; tied keys
  /// do not, so when two keys are equal the comparison sort runs instead (tied follow-up times are
  /// rare in simulated trials, and a Cox fit's sums follow this order). `sortedKeys` holds at
  /// least `index.count` values (the keys in the order found, so that the insertion pass reads
  /// them directly) and `counts` at least ``distributionCounts(_:)``.
  package static func distributionSortIndices(
    _ key: UnsafeBufferPointer<Double>, into index: UnsafeMutableBufferPointer<Int>,
    sortedKeys: UnsafeMutableBufferPointer<Double>, counts: UnsafeMutableBufferPointer<Int>
  ) {
    let n = index.count
    precondition(
      key.count >= n && sortedKeys.count >= n && counts.count >= distributionCounts(n),
      "distributionSortIndices needs n keys, n sorted keys and 4n + 1 counts")
    let m = 4 * n
    guard n >= 32, let (lo, scale) = bucketScale(n, buckets: m, { key[$0] }) else {
      sortIndices(key, into: index)
      return
    }
    let bucket = { (x: Double) in min(Int((x - lo) * scale), m - 1) }
    bucketStarts(n, buckets: m, counts: counts) { bucket(key[$0]) }
    for i in 0..<n {
      let v = key[i]
      let b = bucket(v)
      let k = counts[b]
      index[k] = i
      sortedKeys[k] = v
      counts[b] = k &+ 1
    }
    var moves = 0
    var i = 1
    while i < n {
      let kv = sortedKeys[i]
      let previous = sortedKeys[i - 1]
      if previous < kv {
        i &+= 1
        continue
      }
      if previous == kv {  // a tie: see above
        sortIndices(key, into: index)
        return
      }
      let v = index[i]
      var j = i - 1
      while j >= 0 && sortedKeys[j] > kv {
        sortedKeys[j + 1] = sortedKeys[j]
        index[j + 1] = index[j]
        j -= 1
      }
      moves += i - 1 - j
      if (j >= 0 && sortedKeys[j] == kv) || moves > 16 * n {  // a tie, or far from even
        sortIndices(key, into: index)
        return
      }
      sortedKeys[j + 1] = kv
      index[j + 1] = v
      i += 1
    }
  }

  /// ``smallest(_:in:)`` by counting: the values per bucket of n/4 over [min, max] locate the
  /// bucket that holds the k-th smallest, and selection runs on that bucket's few values only.
  /// Buckets are ordered, so the value is the same; unlike Hoare's selection, no pass branches
  /// on the random values. `values` is overwritten; `counts` holds at least
  /// ``distributionCounts(_:)`` values.
  package static func smallest(
    _ k: Int, in values: UnsafeMutableBufferPointer<Double>, counts: UnsafeMutableBufferPointer<Int>
  ) -> Double {
    let n = values.count
    precondition(k >= 1 && k <= n, "k (\(k)) must be in 1...\(n)")
    precondition(counts.count >= distributionCounts(n), "smallest(_:in:counts:) needs 4n + 1 counts")
    let m = n / 4
    guard n >= 32, let (lo, scale) = bucketScale(n, buckets: m, { values[$0] }) else { return smallest(k, in: values) }
    let bucket = { (x: Double) in min(Int((x - lo) * scale), m - 1) }
    counts.baseAddress!.update(repeating: 0, count: m)
    for i in 0..<n { counts[bucket(values[i])] &+= 1 }
    var below = 0
    var b = 0
    while below &+ counts[b] < k {
      below &+= counts[b]
      b &+= 1
    }
    // Keep bucket b's values at the front (the others are no longer needed).
    var kept = 0
    for i in 0..<n {
      let v = values[i]
      values[kept] = v
      kept &+= Branchless.bit(bucket(v) == b)
    }
    return smallest(k - below, in: UnsafeMutableBufferPointer(rebasing: values[0..<kept]))
  }

  /// Sets `counts[b]` to the number of values in buckets before b (`bucket(i)` is value i's),
  /// for b in `0..<buckets`.
  @inline(__always)
  private static func bucketStarts(
    _ n: Int, buckets m: Int, counts: UnsafeMutableBufferPointer<Int>, _ bucket: (Int) -> Int
  ) {
    counts.baseAddress!.update(repeating: 0, count: m + 1)
    for i in 0..<n { counts[bucket(i) + 1] &+= 1 }
    var sum = 0
    for b in 0...m {
      sum &+= counts[b]
      counts[b] = sum
    }
  }

  /// The lower end and the scale of `buckets` buckets over [min, max] of the first n values; nil
  /// when a value is not finite or all are equal.
  @inline(__always)
  private static func bucketScale(_ n: Int, buckets: Int, _ value: (Int) -> Double) -> (Double, Double)? {
    // Two running minima and maxima (pairs of values): the chains are half as long.
    var lo = value(0)
    var hi = lo
    var lo2 = lo
    var hi2 = lo
    var finite = lo.isFinite
    var i = 1
    while i + 1 < n {
      let v = value(i)
      let w = value(i + 1)
      finite = finite && v.isFinite && w.isFinite
      lo = v < lo ? v : lo
      hi = v > hi ? v : hi
      lo2 = w < lo2 ? w : lo2
      hi2 = w > hi2 ? w : hi2
      i += 2
    }
    if i < n {
      let v = value(i)
      finite = finite && v.isFinite
      lo = v < lo ? v : lo
      hi = v > hi ? v : hi
    }
    lo = lo2 < lo ? lo2 : lo
    hi = hi2 > hi ? hi2 : hi
    guard finite, hi > lo else { return nil }
    let scale = Double(buckets) / (hi - lo)
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
