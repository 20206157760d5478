// SampleRun.swift — a small run built in memory (two cells, two designs, two truths per drift,
// a savings search with curves, and a real audit of two small tables), so the report can be
// rendered and checked without simulating anything. Numbers are illustrative, not simulated.

import Audit
import Foundation
import Runs
import TestSupport

@testable import Reporting
@testable import Simulation
@testable import TrialSpec

enum SampleRun {
  /// A scenario id with every character HTML treats specially, to prove it is escaped.
  static let scenarioID = "demo <colon> & \"friends\""

  static func manifest() throws -> RunManifest {
    // RunManifest has only the initialiser that hashes real files, so it is decoded.
    let json = """
      {"tool": "syntharm 0.1.0", "scenario": "demo <colon> & \\"friends\\"", "seed": 7,
       "settings": {"replicates": 400, "refit": true, "estimandPatients": 200000, "auditPatients": 120},
       "inputs": [{"role": "scenario", "file": "demo.yaml",
                   "sha256": "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"}],
       "cells": ["as-written", "age-70"]}
      """
    return try JSONDecoder().decode(RunManifest.self, from: Data(json.utf8))
  }

  static func report() throws -> RunReport {
    let audit = try Self.audit()
    return RunReport(
      manifest: try manifest(),
      cells: [
        cell(index: 0, id: "as-written", eligible: 412, powerShift: 0, audit: audit),
        cell(index: 1, id: "age-70", eligible: 25, powerShift: -0.06, audit: audit),
      ])
  }

  // MARK: - Cells

  static let designs = ["conventional", "augmented-pp50"]

  static func cell(index: Int, id: String, eligible: Int, powerShift: Double, audit: CellAudit) -> CellResult {
    let attrition = [
      Attrition.RuleCounts(
        id: "IN1", kind: .inclusion, text: "Age 18 to 80 years", expression: "age between 18 and 80",
        trueCount: 600, falseCount: 29, unknownCount: 0, excludedInOrder: 29, gainIfDropped: 20),
      Attrition.RuleCounts(
        id: "EX1", kind: .exclusion, text: "Tumour invading contiguous structures",
        expression: "extent == \"contiguous\"", trueCount: 30, falseCount: 599, unknownCount: 2,
        excludedInOrder: 629 - 29 - eligible, gainIfDropped: 25),
    ]
    var ocs: [OperatingCharacteristics] = []
    for hr in [1.0, 0.7] {
      for drift in [1.0, 1.2] {
        for (k, design) in designs.enumerated() {
          let rate = hr == 1 ? 0.025 + (k == 1 ? 0.02 * (drift - 1) / 0.2 : 0) : 0.78 + 0.06 * Double(k) + powerShift
          ocs.append(oc(cell: id, design: design, hr: hr, drift: drift, rate: rate, borrowed: k == 1 ? 0.5 : 0))
        }
      }
    }
    return CellResult(
      index: index, id: id, referencePatients: 629, eligibleReference: eligible, attrition: attrition,
      generatorSupport: eligible,
      supportWarning: eligible < 30 ? "only \(eligible) reference patients meet the rules" : nil,
      audit: audit, operatingCharacteristics: ocs, savings: [savings(cell: id, shift: powerShift)],
      trials: 4_000, failure: nil)
  }

  static func oc(cell: String, design: String, hr: Double, drift: Double, rate: Double, borrowed: Double) -> OperatingCharacteristics {
    let replicates = 400
    let se = (rate * (1 - rate) / Double(replicates)).squareRoot()
    return OperatingCharacteristics(
      cell: cell, design: design, method: borrowed > 0 ? .powerPrior : .none, source: borrowed > 0 ? .synthetic : nil,
      hazardRatio: hr, drift: drift, replicates: replicates, analysed: replicates, rejectionRate: rate,
      rejectionMCSE: se, meanHR: hr * 1.01, meanLogHR: log(hr * 1.01), meanLogHRMCSE: 0.01, estimandLogHR: log(hr),
      conditionalLogHR: log(hr), biasLogHR: 0.01, empiricalSELogHR: 0.12, rmseLogHR: 0.12, coverage: 0.95,
      coverageMCSE: 0.011, meanEvents: 290, borrowedEvents: 60 * borrowed, borrowedEventsSD: 5 * borrowed, capRate: 0,
      decision: borrowed > 0 ? .posterior : .z, threshold: borrowed > 0 ? 0.975 : nil, failures: 0, failureRate: 0,
      failureKinds: [:])
  }

  /// The conventional power rises from 40 % at 200 patients to 88 % at 800 (found at 600: 300 +
  /// 300); the augmented design (300 experimental) reaches 80 % at 200 real controls.
  static let counts = [100, 150, 200, 250, 300, 350, 400]

  static func curve(_ rates: [Double], counts: [Int] = counts) -> [CurvePoint] {
    zip(counts, rates).map { n, rate in
      CurvePoint(
        count: n, rate: rate, mcse: (rate * (1 - rate) / 400).squareRoot(), fitted: rate, meanEvents: Double(n),
        threshold: 1.96)
    }
  }

  static func savings(cell: String, shift: Double) -> SavingsSearch {
    let conventional = curve([0.40, 0.52, 0.62, 0.70, 0.80, 0.85, 0.88].map { $0 + shift }, counts: counts.map { 2 * $0 })
    let augmented = curve([0.66, 0.74, 0.80, 0.85, 0.88, 0.90, 0.92])
    var search = SavingsSearch(
      cell: cell, design: "augmented-pp50", hazardRatio: 0.7, targetPower: 0.8, alpha: 0.025,
      replicates: 400, bootstrapResamples: 200, conventionalPower: conventional, augmentedPower: augmented,
      syntheticControls: 300, thresholdScale: .twoSidedPosterior,
      byDrift: [
        DriftRisk(drift: 1, power: 0.8, powerMCSE: 0.02, typeIError: 0.025, typeIErrorMCSE: 0.008),
        DriftRisk(drift: 1.2, power: 0.86, powerMCSE: 0.017, typeIError: 0.06, typeIErrorMCSE: 0.012),
      ],
      status: .found)
    search.conventionalPatients = 600
    search.conventionalExperimental = 300
    search.conventionalControls = 300
    search.conventionalEvents = 420
    search.conventionalMonths = 48
    search.schoenfeldPatients = 590
    search.realControls = 200
    search.saved = 100
    search.savedLow = 40
    search.savedHigh = 160
    search.savedPercent = 100 / 3
    search.monthsSaved = 6
    search.threshold = 0.975
    search.thresholdLow = 0.97
    search.thresholdHigh = 0.98
    return search
  }

  // MARK: - Audit

  /// A real audit of two small generated tables (a fixed linear-congruential sequence, so the
  /// test needs no random source).
  static func audit() throws -> CellAudit {
    let real = try table(rows: 80, salt: 1, shift: 0)
    let synthetic = try table(rows: 100, salt: 2, shift: 2)
    let holdout = try table(rows: 20, salt: 3, shift: 0)
    let report = try AuditReport(train: real, synthetic: synthetic, holdout: holdout, seed: 11, bootstrapResamples: 20)
    let figures = AuditFigures(real: real, synthetic: synthetic, timeUnit: .day, protocolTimeUnit: .month)
    return CellAudit(report: report, generation: nil, holdoutFraction: 0.2, failure: nil, figures: figures)
  }

  static func table(rows: Int, salt: UInt64, shift: Double) throws -> AuditTable {
    var state = 0x9E37_79B9_7F4A_7C15 &* (salt + 1)
    func uniform() -> Double {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Double(state >> 11) / Double(1 << 53)
    }
    var age: [Double] = []
    var nodes: [Double] = []
    var sex: [Int32] = []
    var extent: [Int32] = []
    var times: [Double] = []
    var events: [Bool] = []
    for _ in 0..<rows {
      age.append((40 + 35 * uniform() + shift).rounded())
      nodes.append((12 * uniform() * uniform()).rounded())
      sex.append(uniform() < 0.5 ? 0 : 1)
      extent.append(Int32(min(3, Int(4 * uniform() * uniform() + 1))))
      times.append((3_000 * uniform()).rounded() + 1)
      events.append(uniform() < 0.6)
    }
    return try AuditTable(
      columns: [
        .numeric("age", age), .numeric("nodes", nodes),
        .categorical("sex", codes: sex, levels: ["female", "male"]),
        .categorical("extent", codes: extent, levels: ["submucosa", "muscle", "serosa", "contiguous"], ordered: true),
      ], times: times, events: events)
  }
}
