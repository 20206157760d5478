// ReferenceModels.swift — the R models of the reference file, rebuilt from Data/ as R built them.

import CohortData
import SurvivalAnalysis
import TestSupport

/// The data sets and formulas of Tests/Fixtures/r-survival-rpact-reference.json.
enum ReferenceModels {
  static let colon: Cohort = load("colon_os.csv")
  static let veteran: Cohort = load("veteran.csv")

  static func load(_ name: String) -> Cohort {
    do { return try Cohort(contentsOf: Fixtures.dataPath(name)) } catch {
      fatalError("cannot read \(name): \(error)")
    }
  }

  /// `Surv(time, status) ~ rx` on colon_os (levels Obs, Lev, Lev+5FU).
  static func colonUnivariable() throws -> ModelFrame {
    try ModelFrame(
      cohort: colon, time: "time", event: "status",
      terms: [.factor("rx", levels: ["Obs", "Lev", "Lev+5FU"])])
  }

  /// `Surv(time, status) ~ rx + age + sex + nodes + obstruct + differ + extent` on colon_os.
  static func colonMultivariable() throws -> ModelFrame {
    try ModelFrame(
      cohort: colon, time: "time", event: "status",
      terms: [.factor("rx", levels: ["Obs", "Lev", "Lev+5FU"])]
        + ["age", "sex", "nodes", "obstruct", "differ", "extent"].map { .numeric($0) })
  }

  /// `Surv(time, status) ~ trt` on veteran (trt 1 = standard, 2 = test).
  static func veteranUnivariable() throws -> ModelFrame {
    try ModelFrame(cohort: veteran, time: "time", event: "status", terms: [.factor("trt", levels: ["1", "2"])])
  }

  /// `Surv(time, status) ~ trt + celltype + karno + diagtime + age + prior` on veteran.
  static func veteranMultivariable() throws -> ModelFrame {
    try ModelFrame(
      cohort: veteran, time: "time", event: "status",
      terms: [
        .factor("trt", levels: ["1", "2"]),
        .factor("celltype", levels: ["squamous", "smallcell", "adeno", "large"]),
      ]
        + ["karno", "diagtime", "age", "prior"].map { .numeric($0) })
  }

  /// Every (data set, model) pair in the reference file with its frame.
  static func frame(dataset: String, multivariable: Bool) throws -> ModelFrame {
    switch (dataset, multivariable) {
    case ("colon_os", false): try colonUnivariable()
    case ("colon_os", true): try colonMultivariable()
    case ("veteran", false): try veteranUnivariable()
    default: try veteranMultivariable()
    }
  }
}
