// InvalidCorpus.swift — Tests/Fixtures/Invalid: every malformed protocol and scenario with the first
// error it must give (exact text after the directory) and how many errors the file has in all.
// Malformed CSV files of the corpus are checked in CohortDataTests/CohortTests.swift.

let invalidCorpus: [(file: String, firstError: String, errorCount: Int)] = [
  (
    "protocol-unknown-generator.yaml",
    "protocol-unknown-generator.yaml:54:14: synthesis.generator: 'carts' is not one of gaussian-copula, cart, auto (did you mean 'cart'?)",
    1
  ),
  (
    "protocol-cart-knob-on-copula.yaml",
    "protocol-cart-knob-on-copula.yaml:55:14: synthesis.minbucket: applies to 'generator: cart' only (the generator is gaussian-copula)", 1
  ),
  (
    "scenario-target-power-below-alpha.yaml",
    "scenario-target-power-below-alpha.yaml:10:25: savings.target_power: must be a power in (α, 1) = (0.05, 1) (found '0.04')", 1
  ),
  (
    "scenario-calibrate-range-without-1.yaml",
    "scenario-calibrate-range-without-1.yaml:7:34: calibrate.drift: the range [1.1, 1.3] must contain 1: type-I error is calibrated at exchangeability and, with a range, at every drift in it",
    1
  ),
  (
    "scenario-calibrate-without-null.yaml",
    "scenario-calibrate-without-null.yaml:7:12: calibrate: calibration needs trials under HR 1 at drift 1: add 1.0 to truth.hazard_ratio and truth.drift",
    1
  ),
  (
    "scenario-calibrate-unknown-design.yaml",
    "scenario-calibrate-unknown-design.yaml:7:23: calibrate.designs[0]: unknown design 'pooled' (did you mean 'pool'?)", 1
  ),
  (
    "scenario-sam-delta-zero.yaml",
    "scenario-sam-delta-zero.yaml:8:110: designs[0].analysis.delta: must be a positive log hazard ratio (found '0')", 1
  ),
  (
    "scenario-vague-weight-out-of-range.yaml",
    "scenario-vague-weight-out-of-range.yaml:8:127: designs[0].analysis.vague_weight: must be a weight in [0, 1] (of the vague component) (found '1.2')",
    1
  ),
  (
    "scenario-negative-tau-shape.yaml",
    "scenario-negative-tau-shape.yaml:8:122: designs[0].analysis.tau_shape: must be a positive number (found '-1')", 1
  ),
  (
    "scenario-sam-without-delta.yaml",
    "scenario-sam-without-delta.yaml:8:89: designs[0].analysis.delta: sam needs 'delta': the clinically relevant difference on the log-hazard scale, e.g. 0.2",
    1
  ),
  (
    "scenario-unknown-method.yaml",
    "scenario-unknown-method.yaml:9:97: designs[1].analysis.method: 'power-prio' is not one of none, pool, power-prior, weighted-cox, test-then-pool, commensurate, robust-mixture, eb-power-prior, sam, prognostic (did you mean 'power-prior'?)",
    1
  ),
  (
    "scenario-unknown-parameter.yaml",
    "scenario-unknown-parameter.yaml:8:110: designs[0].analysis.wieght: unknown key 'wieght' (did you mean 'weight'?); allowed here: method, delta, level, model, normalized, prior_odds, tau_prior, tau_rate, tau_shape, test, vague_weight, weight, adjust",
    2
  ),
  (
    "scenario-weight-out-of-range.yaml",
    "scenario-weight-out-of-range.yaml:8:118: designs[0].analysis.weight: must be a weight a₀ in [0, 1] (found '1.5')", 1
  ),
  (
    "scenario-intervals-too-many.yaml",
    "scenario-intervals-too-many.yaml:7:24: borrowing.intervals: 500 intervals with equal numbers of reference events need at least 500 events; the reference has 168",
    1
  ),
  (
    "scenario-reference-without-cohort.yaml",
    "scenario-reference-without-cohort.yaml:8:69: designs[0].source: 'source: reference' borrows the protocol's reference cohort, and protocol 'rpact-d1' has none",
    1
  ),
  (
    "scenario-parameter-of-other-method.yaml",
    "scenario-parameter-of-other-method.yaml:8:134: designs[0].analysis.weight: 'weight' is not a parameter of test-then-pool (it belongs to power-prior, weighted-cox)",
    1
  ),
  (
    "scenario-reference-size-no-borrowing.yaml",
    "scenario-reference-size-no-borrowing.yaml:10:25: sweep.reference_size[1]: must be a whole number of patients in 10…100000 (found '5')",
    2
  ),
  (
    "scenario-fill-without-analysis.yaml",
    "scenario-fill-without-analysis.yaml:9:77: designs[1].synthetic_controls: 'fill' gives this design synthetic controls, and 'analysis: none' leaves them out of the analysis; choose an analysis that uses external controls (pool, power-prior, …)",
    1
  ),
  (
    "scenario-fill-nothing-to-fill.yaml",
    "scenario-fill-nothing-to-fill.yaml:9:77: designs[1].synthetic_controls: 'fill' makes the control arm up to the protocol's 300 controls with synthetic ones, and real_controls (400) leave nothing to fill; give fewer real controls or a number of synthetic controls",
    1
  ),
  (
    "scenario-fill-with-reference.yaml",
    "scenario-fill-with-reference.yaml:9:77: designs[1].synthetic_controls: a design with 'source: reference' borrows the eligible reference patients themselves (their own number and follow-up); remove 'synthetic_controls'",
    1
  ),
  (
    "scenario-reference-with-synthetic-count.yaml",
    "scenario-reference-with-synthetic-count.yaml:8:74: designs[0].synthetic_controls: a design with 'source: reference' borrows the eligible reference patients themselves (their own number and follow-up); remove 'synthetic_controls'",
    1
  ),
  (
    "scenario-cut-points-decreasing.yaml",
    "scenario-cut-points-decreasing.yaml:7:30: borrowing.cut_points[1]: cut points must increase (6 after 12)", 1
  ),
  (
    "scenario-refit-unknown.yaml",
    "scenario-refit-unknown.yaml:7:20: borrowing.refit: 'pooll' is not one of every, pool (did you mean 'pool'?)", 1
  ),
  (
    "scenario-pool-size-with-every.yaml",
    "scenario-pool-size-with-every.yaml:7:24: borrowing.pool_size: pool_size applies to 'refit: pool' only", 1
  ),
  (
    "scenario-pool-size-too-small.yaml",
    "scenario-pool-size-too-small.yaml:7:37: borrowing.pool_size: must be a whole number >= 2 (found '1')", 1
  ),
  (
    "scenario-sweep-fit-on.yaml",
    "scenario-sweep-fit-on.yaml:12:29: sweep.eligibility[1].fit_on: 'eligble' is not one of reference, eligible (did you mean 'eligible'?)",
    1
  ),
  (
    "scenario-adjust-unknown-variable.yaml",
    "scenario-adjust-unknown-variable.yaml:11:129: designs[1].analysis.adjust[1]: 'node' is not a declared variable (did you mean 'nodes'?)",
    1
  ),
  (
    "protocol-bad-alpha.yaml",
    "protocol-bad-alpha.yaml:51:34: design.test.alpha: must be a level in (0, 0.5) (found '5')", 1
  ),
  (
    "protocol-bad-duration.yaml",
    "protocol-bad-duration.yaml:48:23: design.accrual.duration: must be a positive duration: a number in the file's time_unit (months) or a number with a unit, e.g. '24 months' (found '3 fortnights')",
    1
  ),
  (
    "protocol-bad-type.yaml",
    "protocol-bad-type.yaml:18:20: variables.nodes.type: 'integer' is not one of continuous, count, binary, categorical, ordinal", 1
  ),
  (
    "protocol-bad-version.yaml",
    "protocol-bad-version.yaml:1:11: syntharm: this is format version '2'; this SynthArm reads version 1", 1
  ),
  (
    "protocol-between-reversed.yaml",
    "protocol-between-reversed.yaml:28:17: eligibility.inclusion[0].when: 'between' needs LOW <= HIGH, got 80 and 18", 1
  ),
  (
    "protocol-categorical-order.yaml",
    "protocol-categorical-order.yaml:35:17: eligibility.exclusion[0].when: 'sex' is categorical: its labels have no order, so only == and != apply (declare it ordinal to compare by order)",
    1
  ),
  (
    "protocol-duplicate-rule.yaml",
    "protocol-duplicate-rule.yaml:29:7: eligibility.inclusion[1].id: rule id 'IN1' is used twice; ids must be unique", 1
  ),
  (
    "protocol-empty-in.yaml",
    "protocol-empty-in.yaml:31:22: eligibility.inclusion[1].when: empty 'in' list: give at least one value", 1
  ),
  (
    "protocol-events-too-many.yaml",
    "protocol-events-too-many.yaml:49:13: design.analysis.events: 900 events cannot be reached with 600 patients", 1
  ),
  (
    "protocol-label-vs-number.yaml",
    "protocol-label-vs-number.yaml:35:23: eligibility.exclusion[0].when: label vs number: 'extent' holds labels (submucosa, muscle, serosa, contiguous); compare it with a label in quotes, e.g. extent == \"submucosa\"",
    1
  ),
  (
    "protocol-missing-arms.yaml",
    "protocol-missing-arms.yaml:1:1: arms: 'arms' is required", 1
  ),
  (
    "protocol-missing-data-file.yaml",
    "protocol-missing-data-file.yaml:7:9: reference.data: no such file: Data/colon.cvs (paths are relative to the protocol's folder)", 1
  ),
  (
    "protocol-parametric-no-control.yaml",
    "protocol-parametric-no-control.yaml:6:3: endpoint.control: without a reference cohort, 'endpoint.control' must give the control arm's survival, e.g. {distribution: exponential, median: 12}",
    1
  ),
  (
    "protocol-rows-no-match.yaml",
    "protocol-rows-no-match.yaml:8:9: reference.rows: selects no rows of Data/colon_os.csv", 1
  ),
  (
    "protocol-several-errors.yaml",
    "protocol-several-errors.yaml:4:12: time_unit: 'months' is not one of day, week, month, year (did you mean 'month'?)", 3
  ),
  (
    "protocol-single-equals.yaml",
    "protocol-single-equals.yaml:31:19: eligibility.inclusion[1].when: '=' is not a comparison; write '==' for equality", 1
  ),
  (
    "protocol-syntax-error.yaml",
    "protocol-syntax-error.yaml:28:28: eligibility.inclusion[0].when: expected 'and' in 'between LOW and HIGH'", 1
  ),
  (
    "protocol-two-controls.yaml",
    "protocol-two-controls.yaml:44:62: arms[1].hazard_ratio: the control arm is the reference; only experimental arms have a hazard ratio",
    3
  ),
  (
    "protocol-undeclared-code.yaml",
    "Data/colon_os.csv:13:11: undeclared code '3' in column 'differ'; declared: 1, 2", 6
  ),
  (
    "protocol-unit-mismatch.yaml",
    "protocol-unit-mismatch.yaml:31:19: eligibility.inclusion[1].when: unit mismatch: a time in years is compared with a value that has no time unit (declare the variable's unit, e.g. unit: year)",
    1
  ),
  (
    "protocol-unknown-key.yaml",
    "protocol-unknown-key.yaml:5:1: titel: unknown key 'titel' (did you mean 'title'?); allowed here: syntharm, id, title, time_unit, reference, variables, eligibility, endpoint, arms, design, synthesis",
    1
  ),
  (
    "protocol-unknown-label.yaml",
    "protocol-unknown-label.yaml:35:23: eligibility.exclusion[0].when: unknown label \"contigous\" for 'extent' (did you mean 'contiguous'?); its labels are submucosa, muscle, serosa, contiguous",
    1
  ),
  (
    "protocol-unknown-variable.yaml",
    "protocol-unknown-variable.yaml:31:13: eligibility.inclusion[1].when: unknown variable 'node' (did you mean 'nodes'?)", 1
  ),
  (
    "protocol-variable-not-in-csv.yaml",
    "protocol-variable-not-in-csv.yaml:19:3: variables.grade: no column 'grade' in Data/colon_os.csv", 1
  ),
  (
    "protocol-weibull-no-shape.yaml",
    "protocol-weibull-no-shape.yaml:8:12: endpoint.control.shape: a Weibull distribution needs 'shape'", 1
  ),
  (
    "protocol-yaml-syntax.yaml",
    "protocol-yaml-syntax.yaml:9:3: invalid YAML: did not find expected ',' or ']' (while parsing a flow sequence)", 1
  ),
  (
    "scenario-added-rule-bad-expression.yaml",
    "scenario-added-rule-bad-expression.yaml:28:83: sweep.eligibility[1].add.inclusion[0].when: label vs number: 'age' is a number and cannot be compared with the label \"seventy\"",
    1
  ),
  (
    "scenario-bad-replicates.yaml",
    "scenario-bad-replicates.yaml:5:13: replicates: must be a whole number >= 1 (found '0')", 1
  ),
  (
    "scenario-missing-protocol.yaml",
    "scenario-missing-protocol.yaml:3:11: protocol: no such file: Protocols/colon.yaml (paths are relative to the scenario's folder)", 1
  ),
  (
    "scenario-power-prior-no-weight.yaml",
    "scenario-power-prior-no-weight.yaml:16:15: designs[2].analysis.weight: power-prior needs 'weight' (a₀ in [0, 1])", 1
  ),
  (
    "scenario-replace-unknown-rule.yaml",
    "scenario-replace-unknown-rule.yaml:29:34: sweep.eligibility[2].replace.IN4: unknown rule 'IN4' (did you mean 'IN1'?); the protocol's rules are IN1, IN2, EX1",
    1
  ),
  (
    "scenario-synthetic-without-reference.yaml",
    "scenario-synthetic-without-reference.yaml:8:83: designs[0].synthetic_controls: protocol 'rpact-d1' has no reference cohort, so there is nothing to generate synthetic controls from",
    1
  ),
  (
    "scenario-unknown-design.yaml",
    "scenario-unknown-design.yaml:24:13: savings.compare[0]: unknown design 'augmented-pp5' (did you mean 'augmented-pp50'?)", 1
  ),
  (
    "scenario-unknown-rule.yaml",
    "scenario-unknown-rule.yaml:30:27: sweep.eligibility[3].drop[0]: unknown rule 'EX2' (did you mean 'EX1'?); the protocol's rules are IN1, IN2, EX1",
    1
  ),
]
