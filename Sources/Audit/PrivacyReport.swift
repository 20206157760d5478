// PrivacyReport.swift — how close do synthetic rows sit to real patients? (Docs/Methods.md, audit)

import GSL

/// Nearest-record Hamming distances: differing fields between a synthetic row and its closest
/// real row after discretising numerics into the ten bins of ContingencySimilarity (Eckardt
/// 2024; Docs/Methods.md, audit). 0 = a copy at that resolution.
public struct HammingSummary: Codable, Sendable, Hashable {
  public var minimum: Int
  public var shareZero: Double
  public var shareAtMostOne: Double
  public var median: Double
}

/// Nearest-neighbour distance ratio d₁/d₂ (DCR distance to the nearest over the second-nearest
/// real row; CTAB-GAN+ reports its 5th percentile). Near 0 = a row singles out one patient.
/// A row with d₁ = d₂ = 0 (a copy of a duplicated record) counts as 1.
public struct NNDRSummary: Codable, Sendable, Hashable {
  public var percentile5: Double
  public var median: Double
}

/// Privacy of a synthetic table against the training table (and the holdout, when given).
public struct PrivacyReport: Codable, Sendable, Hashable {
  /// DCR of every synthetic row to the training table (ranges from the training table).
  public var dcrSyntheticToTrain: ValueSummary?
  /// DCR of every holdout row to the training table: what "as close as a new real patient" is.
  public var dcrHoldoutToTrain: ValueSummary?
  /// DCR of the uniform random baseline table to the training table.
  public var dcrRandomToTrain: ValueSummary?
  /// min(median DCR(S→R) / median DCR(U→R), 1); nil if the random median is 0
  /// (SDMetrics `dcr_baseline_protection.py`).
  public var dcrBaselineProtection: Double?
  /// Share q of synthetic rows closer to the training table than to the holdout (each DCR
  /// uses the ranges of its own reference table, as SDMetrics `dcr_overfitting_protection.py`).
  public var shareCloserToTrain: Double?
  /// SDMetrics' score min(2(1 − q), 1), which assumes a holdout as large as the training table.
  public var dcrOverfittingProtectionSDMetrics: Double?
  /// The same score for any split: min((1 − q)/(1 − q₀), 1) with q₀ = n_train/(n_train + n_holdout),
  /// the share expected of a generator that copies nothing (a synthetic row is then like a new
  /// patient, nearest to either table in proportion to its size); equal to SDMetrics' for equal
  /// sizes. With SynthArm's 20 % holdout, q₀ = 0.8: SDMetrics' formula would report 0.4 for a
  /// generator that copies nothing. 1 = no closer to the training patients than new patients are.
  public var dcrOverfittingProtection: Double?
  /// SDMetrics warns when the holdout has fewer than half as many rows as the training table.
  public var holdoutTooSmall: Bool?
  /// A distance-based membership-inference attack: an attacker holding the synthetic table
  /// guesses that a real patient was in the training table when the patient's DCR to the closest
  /// synthetic row is small (the full black-box attack of GAN-Leaks, Chen, Yu, Zhang & Fritz, CCS
  /// 2020, with SDMetrics' DCR distance, ranges from the training table). The AUC of that guess,
  /// training patients (members) against holdout patients (non-members): P(d_train < d_holdout)
  /// + ½ P(tie), the Mann–Whitney statistic. 0.5 = the synthetic rows do not tell members from
  /// non-members; 1 = every training patient sits closer to a synthetic row than every held-out
  /// one. Independent of the two tables' sizes. nil without a holdout.
  public var membershipInferenceAUC: Double?
  /// Synthetic rows equal to some training row on every column (NaN matches NaN).
  public var exactCopies: Int
  public var exactCopyFraction: Double
  /// Share of synthetic rows with no training row matching every column, numerics within
  /// 1 % of the synthetic value (SDMetrics `new_row_synthesis.py`).
  public var newRowSynthesis: Double
  public var hamming: HammingSummary?
  public var nndrSyntheticToTrain: NNDRSummary?
  public var nndrHoldoutToTrain: NNDRSummary?

  /// Computes the privacy metrics; `seed` draws the random baseline table.
  /// - Throws: ``AuditError`` when a table is empty or the tables do not share one schema.
  public init(train: AuditTable, synthetic: AuditTable, holdout: AuditTable?, seed: UInt64) throws(AuditError) {
    try train.checkComparable(with: synthetic, selfName: "training", otherName: "synthetic")
    if let holdout { try train.checkComparable(with: holdout, selfName: "training", otherName: "holdout") }
    let encoder = DistanceEncoder(reference: train)
    let trainRows = encoder.encode(train)
    let toTrain = NearestRecords.search(encoder.encode(synthetic), in: trainRows)
    dcrSyntheticToTrain = ValueSummary(toTrain.nearest)
    nndrSyntheticToTrain = Self.nndr(toTrain)

    let random = Self.uniformBaseline(like: train, rows: synthetic.rowCount, seed: seed)
    let randomToTrain = NearestRecords.search(encoder.encode(random), in: trainRows)
    dcrRandomToTrain = ValueSummary(randomToTrain.nearest)
    if let s = dcrSyntheticToTrain?.median, let u = dcrRandomToTrain?.median, u > 0 {
      dcrBaselineProtection = Swift.min(s / u, 1)
    }

    if let holdout {
      let holdoutToTrain = NearestRecords.search(encoder.encode(holdout), in: trainRows)
      dcrHoldoutToTrain = ValueSummary(holdoutToTrain.nearest)
      nndrHoldoutToTrain = Self.nndr(holdoutToTrain)
      let holdoutEncoder = DistanceEncoder(reference: holdout)
      let toHoldout = NearestRecords.search(holdoutEncoder.encode(synthetic), in: holdoutEncoder.encode(holdout))
      let closer = zip(toTrain.nearest, toHoldout.nearest).filter { $0 < $1 }.count
      let q = Double(closer) / Double(synthetic.rowCount)
      shareCloserToTrain = q
      dcrOverfittingProtectionSDMetrics = Swift.min(2 * (1 - q), 1)
      // Without overfitting a synthetic row is like a new patient, nearest to the training
      // table with probability about n_train / (n_train + n_holdout).
      let expected = Double(train.rowCount) / Double(train.rowCount + holdout.rowCount)
      dcrOverfittingProtection = Swift.min((1 - q) / (1 - expected), 1)
      holdoutTooSmall = Double(holdout.rowCount) < 0.5 * Double(train.rowCount)
      let syntheticRows = encoder.encode(synthetic)
      let members = NearestRecords.search(trainRows, in: syntheticRows).nearest
      let nonMembers = NearestRecords.search(encoder.encode(holdout), in: syntheticRows).nearest
      membershipInferenceAUC = Self.membershipAUC(members: members, nonMembers: nonMembers)
    }

    // A copy has DCR 0; confirm with exact equality (division by the range can round two
    // different values to one quotient).
    let rawS = RawRows(synthetic)
    let rawR = RawRows(train)
    exactCopies =
      (0..<synthetic.rowCount).filter { i in
        toTrain.nearest[i] == 0 && rawS.hasMatch(row: i, in: rawR, tolerance: 0)
      }.count
    exactCopyFraction = Double(exactCopies) / Double(synthetic.rowCount)
    let newRows = (0..<synthetic.rowCount).filter { !rawS.hasMatch(row: $0, in: rawR, tolerance: 0.01) }.count
    newRowSynthesis = Double(newRows) / Double(synthetic.rowCount)

    let width = train.columns.count
    let distances = NearestRecords.nearestHamming(
      queries: Self.binnedCodes(synthetic, binsFrom: train), reference: Self.binnedCodes(train, binsFrom: train), width: width)
    if !distances.isEmpty {
      let n = Double(distances.count)
      hamming = HammingSummary(
        minimum: distances.min() ?? 0, shareZero: Double(distances.filter { $0 == 0 }.count) / n,
        shareAtMostOne: Double(distances.filter { $0 <= 1 }.count) / n,
        median: Quantiles.median(distances.map(Double.init)) ?? 0)
    }
  }

  /// The DCR of every row of `queries` to its closest row of `reference` (ranges from
  /// `reference`), for callers that want the per-row values rather than their summary.
  /// - Throws: ``AuditError`` when a table is empty or the schemas differ.
  public static func distancesToClosestRecord(from queries: AuditTable, to reference: AuditTable) throws(AuditError) -> [Double] {
    try reference.checkComparable(with: queries, selfName: "reference", otherName: "query")
    let encoder = DistanceEncoder(reference: reference)
    return NearestRecords.search(encoder.encode(queries), in: encoder.encode(reference)).nearest
  }

  /// P(member distance < non-member distance) + ½ P(equal), by ranks with ties averaged:
  /// (R_nonMembers − n₂(n₂ + 1)/2) / (n₁n₂), R the rank sum of the non-members' distances.
  static func membershipAUC(members: [Double], nonMembers: [Double]) -> Double? {
    let n1 = Double(members.count)
    let n2 = Double(nonMembers.count)
    guard n1 > 0, n2 > 0 else { return nil }
    let all = (members.map { ($0, false) } + nonMembers.map { ($0, true) }).sorted { $0.0 < $1.0 }
    var rankSum = 0.0
    var i = 0
    while i < all.count {
      var j = i
      while j + 1 < all.count && all[j + 1].0 == all[i].0 { j += 1 }
      let rank = Double(i + j) / 2 + 1
      for k in i...j where all[k].1 { rankSum += rank }
      i = j + 1
    }
    return (rankSum - n2 * (n2 + 1) / 2) / (n1 * n2)
  }

  static func nndr(_ d: NearestDistances) -> NNDRSummary? {
    let ratios = zip(d.nearest, d.secondNearest).compactMap { a, b -> Double? in
      guard b.isFinite else { return nil }  // a single reference row has no second neighbour
      return b == 0 ? 1 : a / b
    }
    guard !ratios.isEmpty else { return nil }
    let sorted = ratios.sorted()
    return NNDRSummary(percentile5: Quantiles.linear(sorted: sorted, 0.05), median: Quantiles.linear(sorted: sorted, 0.5))
  }

  /// Row-major discretised codes: categories (missing = level count), numerics in the ten bins
  /// with edges from `binsFrom` (missing = 10).
  static func binnedCodes(_ table: AuditTable, binsFrom reference: AuditTable) -> [Int32] {
    let n = table.rowCount
    let width = table.columns.count
    var codes = [Int32](repeating: 0, count: n * width)
    for (j, (column, ref)) in zip(table.columns, reference.columns).enumerated() {
      switch (column.values, ref.values) {
      case (.numeric(let v), .numeric(let r)):
        let bins = EqualWidthBins(real: r)
        for i in 0..<n { codes[i * width + j] = bins.code(v[i]) }
      case (.categorical(let c, let levels, _), _):
        for i in 0..<n { codes[i * width + j] = c[i] < 0 ? Int32(levels.count) : c[i] }
      default: preconditionFailure("schema checked by the caller")
      }
    }
    return codes
  }

  /// The random baseline U of SDMetrics' DCRBaselineProtection: per column, missing with R's
  /// missing rate, otherwise uniform on [min_R, max_R] (numeric) or uniform over the
  /// categories that occur in R. Outcome columns are drawn like any other column.
  static func uniformBaseline(like real: AuditTable, rows n: Int, seed: UInt64) -> AuditTable {
    let rng = SeedSequence(masterSeed: seed).makeRandomSource(0xBA5E)
    let columns = real.columns.map { column -> AuditColumn in
      let missing = ColumnMetrics.missingFraction(column.values)
      switch column.values {
      case .numeric(let v):
        let (lo, hi) = ColumnMetrics.extremes(v) ?? (.nan, .nan)
        return .numeric(
          column.name,
          (0..<n).map { _ in
            rng.uniform() < missing || lo.isNaN ? .nan : lo + (hi - lo) * rng.uniform()
          })
      case .categorical(let c, let levels, let ordered):
        let seen = (0..<Int32(levels.count)).filter { c.contains($0) }
        return .categorical(
          column.name,
          codes: (0..<n).map { _ in
            rng.uniform() < missing || seen.isEmpty ? -1 : seen[rng.uniformInt(below: seen.count)]
          }, levels: levels, ordered: ordered)
      }
    }
    return AuditTable(validated: columns, times: nil, events: nil, rowCount: n)
  }
}

/// Raw values row-major for the row-matching rules of exact copies and NewRowSynthesis:
/// numerics as they are (NaN = missing), categories as their codes (−1 = missing).
struct RawRows: Sendable {
  let count: Int
  let width: Int
  let values: [Double]
  let isNumeric: [Bool]

  init(_ table: AuditTable) {
    count = table.rowCount
    width = table.columns.count
    isNumeric = table.columns.map(\.values.isNumeric)
    var values = [Double](repeating: 0, count: count * width)
    for (j, column) in table.columns.enumerated() {
      switch column.values {
      case .numeric(let v): for i in 0..<count { values[i * width + j] = v[i] }
      case .categorical(let c, _, _): for i in 0..<count { values[i * width + j] = Double(c[i]) }
      }
    }
    self.values = values
  }

  /// Whether row `i` of `self` matches some row of `reference` on every column: categories
  /// equal, numerics |x_r − x_s| ≤ tolerance·|x_s|, NaN matching NaN only.
  func hasMatch(row i: Int, in reference: RawRows, tolerance: Double) -> Bool {
    values.withUnsafeBufferPointer { s in
      reference.values.withUnsafeBufferPointer { r in
        let base = i * width
        for k in 0..<reference.count {
          var all = true
          for j in 0..<width {
            let xs = s[base + j]
            let xr = r[k * width + j]
            if xs == xr || (xs.isNaN && xr.isNaN) { continue }  // equal categories too
            if !isNumeric[j] || xs.isNaN || xr.isNaN || !(abs(xr - xs) <= tolerance * abs(xs)) {
              all = false
              break
            }
          }
          if all { return true }
        }
        return false
      }
    }
  }
}
