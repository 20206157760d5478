// PrivacyTests.swift — DCR and friends (Docs/Methods.md, audit) against audit_reference.py block D,
// hand arithmetic, and a literal transcription of SDMetrics' dcr_utils.py.

import GSL
import TestSupport
import Testing

@testable import Audit

@Suite("Privacy — hand-worked and audit_reference.py block D", .tags(.validation))
struct PrivacyValidationTests {
  typealias E = AuditExamples

  @Test func dcrPerRowMatchesPython() throws {
    let train = try E.privacyTrain()
    let synthetic = try E.privacySynthetic()
    let holdout = try E.privacyHoldout()
    let enc = DistanceEncoder(reference: train)
    // Row 1 (3, 12, b) → training row (2, 10, b): |3 − 2|/4 + [12 ≠ 10, y has range 0] + 0 = 1.25;
    // / 3 columns = 0.41667. Row 2 (NaN, 10, c) equals (NaN, 10, c): both missing → 0.
    // Row 3 (9, 10, missing) → (5, 10, missing): min(4/4, 1) = 1 → 1/3. Row 4: 0.01/4/3.
    let sr = NearestRecords.search(enc.encode(synthetic), in: enc.encode(train))
    for (a, b) in zip(sr.nearest, [0, 0.4166666666666667, 0, 0.3333333333333333, 0.00083333333333332]) {
      #expect(close(a, b))
    }
    let hEnc = DistanceEncoder(reference: holdout)  // S → H uses the holdout's ranges
    let sh = NearestRecords.search(hEnc.encode(synthetic), in: hEnc.encode(holdout))
    for (a, b) in zip(sh.nearest, [0.24074074074074073, 0.27777777777777773, 0.6666666666666666, 0.6666666666666666, 0.00074074074074072]) {
      #expect(close(a, b))
    }
    let hr = NearestRecords.search(enc.encode(holdout), in: enc.encode(train))
    for (a, b) in zip(hr.nearest, [0, 0.375, 0.4166666666666667]) { #expect(close(a, b)) }
  }

  @Test func reportMatchesPython() throws {
    let p = try PrivacyReport(
      train: try E.privacyTrain(), synthetic: try E.privacySynthetic(), holdout: try E.privacyHoldout(), seed: 1)
    #expect(close(p.dcrSyntheticToTrain?.median, 0.0008333333333333156))
    // Rows closer to train than to holdout: 0, 2, 3 of 5 → q = 0.6, score min(2·0.4, 1) = 0.8.
    #expect(close(p.shareCloserToTrain, 0.6))
    #expect(close(p.dcrOverfittingProtectionSDMetrics, 0.8))
    // Size-adjusted: q₀ = 5/(5 + 3) = 0.625, (1 − 0.6)/(1 − 0.625) = 1.067 → capped at 1.
    #expect(close(p.dcrOverfittingProtection, 1))
    #expect(p.holdoutTooSmall == false)  // 3 ≥ 0.5 · 5
    // Rows 0 and 2 are copies (row 2 through NaN = NaN); row 4 matches within 1 % only.
    #expect(p.exactCopies == 2)
    #expect(close(p.exactCopyFraction, 0.4))
    #expect(close(p.newRowSynthesis, 0.4))
    // NNDR per row 0, 1 (two training rows tie), 0, 0.5, 0.00502…: p5 0, median 0.005025….
    #expect(close(p.nndrSyntheticToTrain?.percentile5, 0))
    #expect(close(p.nndrSyntheticToTrain?.median, 0.005025125628140596))
    // Hamming per row 0, 2, 0, 0, 0.
    #expect(p.hamming == HammingSummary(minimum: 0, shareZero: 0.8, shareAtMostOne: 0.8, median: 0))
  }

  @Test func membershipInferenceAUCByHand() throws {
    let p = try PrivacyReport(
      train: try E.privacyTrain(), synthetic: try E.privacySynthetic(), holdout: try E.privacyHoldout(), seed: 1)
    // DCR to the closest synthetic row (training ranges: x 4, y constant, g categorical), / 3:
    // members (training) 0, 0.01/4, 1.99/4, 0, 1 → 0, 0.00083, 0.16583, 0, 0.33333;
    // non-members (holdout) 0.01/4, (1.5/4 + 1), (1/4 + 1) → 0.00083, 0.45833, 0.41667.
    // Member < non-member in 3 + 2 + 2 + 3 + 2 of the 15 pairs, one tie (½): AUC = 12.5/15.
    #expect(close(p.membershipInferenceAUC, 12.5 / 15))
    #expect(PrivacyReport.membershipAUC(members: [1, 2], nonMembers: [3, 4]) == 1)
    #expect(PrivacyReport.membershipAUC(members: [3, 4], nonMembers: [1, 2]) == 0)
    #expect(PrivacyReport.membershipAUC(members: [1, 1], nonMembers: [1]) == 0.5)
    #expect(PrivacyReport.membershipAUC(members: [], nonMembers: [1]) == nil)
  }

  @Test func baselineProtectionIsTheRatioOfMedians() throws {
    let p = try PrivacyReport(train: try E.privacyTrain(), synthetic: try E.privacySynthetic(), holdout: nil, seed: 5)
    let s = try #require(p.dcrSyntheticToTrain?.median)
    let u = try #require(p.dcrRandomToTrain?.median)
    #expect(close(p.dcrBaselineProtection, min(s / u, 1)))
    #expect(p.dcrOverfittingProtection == nil && p.dcrHoldoutToTrain == nil)
  }
}

@Suite("Privacy — fast search against a literal transcription of SDMetrics", .tags(.doubleProgramming))
struct PrivacyDoubleProgrammingTests {
  /// `_calculate_dcr_value` / `_calculate_dcr_between_rows` of SDMetrics' dcr_utils.py, one pair
  /// at a time, ranges from the reference (range 0 → 1[x ≠ y], as Docs/Methods.md, audit says).
  static func naiveDistance(_ s: AuditTable, _ i: Int, _ r: AuditTable, _ k: Int) -> Double {
    var total = 0.0
    for (a, b) in zip(s.columns, r.columns) {
      switch (a.values, b.values) {
      case (.numeric(let x), .numeric(let y)):
        let present = y.filter { !$0.isNaN }
        let range = (present.max() ?? .nan) - (present.min() ?? .nan)
        if x[i].isNaN && y[k].isNaN {
          total += 0
        } else if x[i].isNaN || y[k].isNaN {
          total += 1
        } else if !(range > 0) {
          total += x[i] == y[k] ? 0 : 1
        } else {
          total += min(abs(x[i] - y[k]) / range, 1)
        }
      case (.categorical(let x, _, _), .categorical(let y, _, _)):
        total += x[i] == y[k] ? 0 : 1
      default: Issue.record("schema")
      }
    }
    return total / Double(s.columns.count)
  }

  static func randomTable(rows n: Int, rng: GSLRandomSource) throws -> AuditTable {
    try AuditTable(columns: [
      .numeric("a", (0..<n).map { _ in rng.uniform() < 0.1 ? .nan : (rng.normal() * 3).rounded() / 2 }),
      .numeric("b", (0..<n).map { _ in rng.uniform() < 0.2 ? .nan : 7 }),  // constant when present
      .categorical("c", codes: (0..<n).map { _ in Int32(rng.uniformInt(below: 4)) - 1 }, levels: ["x", "y", "z"]),
      .numeric("d", (0..<n).map { _ in rng.uniform() * 10 }),
    ])
  }

  @Test(arguments: [1, 2, 3])
  func nearestAndSecondNearestAgree(seed: UInt64) throws {
    let rng = SeedSequence(masterSeed: seed).makeRandomSource(0)
    let r = try Self.randomTable(rows: 40, rng: rng)
    let s = try Self.randomTable(rows: 30, rng: rng)
    let enc = DistanceEncoder(reference: r)
    let fast = NearestRecords.search(enc.encode(s), in: enc.encode(r))
    for i in 0..<s.rowCount {
      let d = (0..<r.rowCount).map { Self.naiveDistance(s, i, r, $0) }.sorted()
      #expect(close(fast.nearest[i], d[0]), "seed \(seed) row \(i)")
      #expect(close(fast.secondNearest[i], d[1]), "seed \(seed) row \(i)")
    }
  }
}

@Suite("Privacy — properties", .tags(.unit))
struct PrivacyPropertyTests {
  @Test func identicalTablesAreAllCopies() throws {
    // 50 rows with a continuous column, so that the random baseline's median distance is not 0
    // (on the 5-row example three of five uniform rows can land on training rows, and the
    // baseline protection is then undefined, nil, by SDMetrics' rule).
    let r = try PrivacyDoubleProgrammingTests.randomTable(rows: 50, rng: SeedSequence(masterSeed: 5).makeRandomSource(0))
    let p = try PrivacyReport(train: r, synthetic: r, holdout: nil, seed: 1)
    #expect((p.dcrRandomToTrain?.median ?? 0) > 0)
    #expect(p.dcrSyntheticToTrain?.maximum == 0)
    #expect(p.exactCopies == r.rowCount && p.newRowSynthesis == 0)
    #expect(p.hamming?.shareZero == 1)
    #expect(p.dcrBaselineProtection == 0)
  }

  @Test func oneCopiedRowIsOneExactCopy() throws {
    let rng = SeedSequence(masterSeed: 4).makeRandomSource(0)
    let r = try PrivacyDoubleProgrammingTests.randomTable(rows: 50, rng: rng)
    var s = try PrivacyDoubleProgrammingTests.randomTable(rows: 20, rng: rng)
    let before = try PrivacyReport(train: r, synthetic: s, holdout: nil, seed: 1).exactCopies
    // Replace synthetic row 7 by training row 13 (NaNs included).
    s = s.selecting(Array(0..<20))
    for j in s.columns.indices {
      switch (s.columns[j].values, r.columns[j].values) {
      case (.numeric(var v), .numeric(let w)):
        v[7] = w[13]
        s.columns[j].values = .numeric(v)
      case (.categorical(var c, let l, let o), .categorical(let d, _, _)):
        c[7] = d[13]
        s.columns[j].values = .categorical(codes: c, levels: l, ordered: o)
      default: Issue.record("schema")
      }
    }
    let after = try PrivacyReport(train: r, synthetic: s, holdout: nil, seed: 1)
    #expect(before == 0)
    #expect(after.exactCopies == 1)
    #expect(after.hamming?.minimum == 0)
  }

  @Test(
    "membership inference AUC: 0.5 within 4 null SE when synthetic rows are new patients; near 1 when they are the training rows",
    .tags(.statistical), arguments: [1, 2, 3] as [UInt64])
  func membershipInference(seed: UInt64) throws {
    let rng = SeedSequence(masterSeed: seed).makeRandomSource(0)
    let n = 300
    let train = try PrivacyDoubleProgrammingTests.randomTable(rows: n, rng: rng)
    let holdout = try PrivacyDoubleProgrammingTests.randomTable(rows: n, rng: rng)
    let fresh = try PrivacyDoubleProgrammingTests.randomTable(rows: n, rng: rng)
    // Null SD of the Mann–Whitney AUC without ties, √((n₁ + n₂ + 1)/(12 n₁ n₂)); ties only shrink it.
    let se = (Double(2 * n + 1) / Double(12 * n * n)).squareRoot()
    let independent = try #require(try PrivacyReport(train: train, synthetic: fresh, holdout: holdout, seed: 1).membershipInferenceAUC)
    #expect(abs(independent - 0.5) < 4 * se, "seed \(seed): AUC \(independent)")
    let copied = try #require(try PrivacyReport(train: train, synthetic: train, holdout: holdout, seed: 1).membershipInferenceAUC)
    #expect(copied > 0.9, "seed \(seed): AUC \(copied)")
  }

  @Test func uniformBaselineStaysInsideTheRealSupport() throws {
    let rng = SeedSequence(masterSeed: 8).makeRandomSource(0)
    let r = try PrivacyDoubleProgrammingTests.randomTable(rows: 200, rng: rng)
    let u = PrivacyReport.uniformBaseline(like: r, rows: 4000, seed: 2)
    guard case .numeric(let a) = u.columns[0].values, case .numeric(let ra) = r.columns[0].values,
      case .categorical(let c, _, _) = u.columns[2].values
    else {
      Issue.record("schema")
      return
    }
    let (lo, hi) = try #require(ColumnMetrics.extremes(ra))
    #expect(a.allSatisfy { $0.isNaN || ($0 >= lo && $0 <= hi) })
    // Missing rate of column a in R, within 4 binomial SEs over 4000 draws.
    let rate = Double(ra.filter(\.isNaN).count) / 200
    let got = Double(a.filter(\.isNaN).count) / 4000
    #expect(abs(got - rate) < 4 * (rate * (1 - rate) / 4000).squareRoot())
    #expect(Set(c).isSubset(of: [-1, 0, 1, 2]))
  }
}
