# rpact-d1.R — the anchor of the rpact D1 benchmark: rpact's C++ log-rank simulation of design D1
# (Protocols/rpact-d1.yaml; Tests/Fixtures/r-survival-rpact-reference.json, rpact_simulation D1):
# 558 patients accrued uniformly over 24 months, 1:1, exponential control with median 12 months,
# HR 0.75, analysis at 380 events, one-sided alpha 0.025, no dropout. One core (R is
# single-threaded). Prints one line: "rpact <version> <iterations> trials in <s> s: <rate> trials/s".
#
# Usage: Rscript Scripts/bench/rpact-d1.R [iterations]   (default 10000)

args <- commandArgs(trailingOnly = TRUE)
iterations <- if (length(args) >= 1) as.integer(args[[1]]) else 10000L
suppressPackageStartupMessages(library(rpact))
design <- getDesignGroupSequential(kMax = 1, alpha = 0.025, sided = 1)
simulate <- function(n) {
  getSimulationSurvival(
    design = design, directionUpper = FALSE, hazardRatio = 0.75, median2 = 12,
    accrualTime = c(0, 24), maxNumberOfSubjects = 558, plannedEvents = 380,
    maxNumberOfIterations = n, seed = 20240101)
}
invisible(simulate(200L))  # warm-up (loads and compiles what rpact loads lazily)
timing <- system.time(result <- simulate(iterations))
elapsed <- timing[["elapsed"]]
cpu <- timing[["user.self"]] + timing[["sys.self"]]
# Elapsed time on a busy machine counts other processes' time slices; CPU time does not.
cat(sprintf(
  "rpact %s %d trials in %.3f s: %.0f trials/s (CPU %.3f s: %.0f trials per CPU second; power %.4f)\n",
  as.character(packageVersion("rpact")), iterations, elapsed, iterations / elapsed, cpu, iterations / cpu,
  result$overallReject))
