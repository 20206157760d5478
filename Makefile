# SynthArm — the two commands a fresh machine needs: `make demo` and `make test`.
# Both install GNU GSL (libgsl-dev) with apt-get when pkg-config cannot find it.

SWIFT ?= swift
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
DEMO_SCENARIO = Scenarios/colon-augmented.yaml

.PHONY: deps demo test bench clean

deps:
	@if command -v pkg-config >/dev/null 2>&1 && pkg-config --exists gsl; then :; else \
	  echo "GSL not found by pkg-config: installing libgsl-dev and pkg-config with apt-get"; \
	  $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq libgsl-dev pkg-config; \
	fi

## The main job on the shipped data: the contract colon sweep — conventional against augmented
## control arms in four eligibility cells, real controls saved, and the HTML report (release
## build; 1,000 trials per design and truth, under a minute of simulation on 2 cores).
demo: deps
	$(SWIFT) build -c release --product syntharm
	$$($(SWIFT) build -c release --show-bin-path)/syntharm run $(DEMO_SCENARIO) --replicates 1000 --report

## All tests (unit, validation against R/rpact, statistical, CLI).
test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test

## Benchmarks (release build), in their own package (Benchmarks/Package.swift), all on ordo-one's
## harness: per benchmark, wall-clock percentiles, mallocs per iteration (peak memory where it
## matters), and, where the figure has an anchor, the anchor named in a metric beside it with the
## ratio ("× faster than R coxph.fit 305 µs, recorded"; rpact measured in the same run when Rscript
## and rpact are installed, else its recorded figure, labelled as such). Several minutes after the
## build, longer on a busy machine (the Simulation and Sweep runs take most). Figures go to
## Docs/Performance.md by hand.
BENCH_TARGETS = SurvivalBenchmarks SynthesisBenchmarks AuditBenchmarks BorrowingBenchmarks TrialBenchmarks \
  SimulationBenchmarks SweepBenchmarks
bench: deps
	$(SWIFT) build -c release --package-path Benchmarks
	set -e; for t in $(BENCH_TARGETS); do \
	  $(SWIFT) package --package-path Benchmarks benchmark --target $$t --no-progress; \
	done

clean:
	rm -rf .build Benchmarks/.build
