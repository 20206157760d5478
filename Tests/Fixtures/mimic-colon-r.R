# mimic-colon-r.R — R reference for the real two-arm analysis of `syntharm mimic` on
# Protocols/colon-adjuvant-os.yaml with --treated 'rx == "Lev+5FU"': the eligible Obs rows
# (the protocol's reference) against the eligible Lev+5FU rows of Data/colon_os.csv.
# The eligibility is written here by hand from the protocol (not read from it):
#   IN1 age between 18 and 80 (inclusive), IN2 nodes >= 1, EX1 extent == 4 (contiguous) excludes;
#   on_unknown: exclude (a missing nodes value excludes).
# Run from the repository root: Rscript Tests/Fixtures/mimic-colon-r.R > Tests/Fixtures/mimic-colon-r.json
suppressMessages(library(survival))
d <- read.csv("Data/colon_os.csv")
ok <- !is.na(d$age) & d$age >= 18 & d$age <= 80 & !is.na(d$nodes) & d$nodes >= 1 & !is.na(d$extent) & d$extent != 4
e <- d[ok & d$rx %in% c("Obs", "Lev+5FU"), ]
e$treated <- as.integer(e$rx == "Lev+5FU")
fit <- coxph(Surv(time, status) ~ treated, data = e, ties = "efron")
s <- summary(fit)
lr <- survdiff(Surv(time, status) ~ treated, data = e)
km <- survfit(Surv(time, status) ~ treated, data = e)
landmarks <- c(365.25, 1095.75, 1826.25)
sk <- summary(km, times = landmarks)
num <- function(x) formatC(x, digits = 15, format = "g")
arr <- function(x) paste0("[", paste(trimws(num(x)), collapse = ", "), "]")
cat("{\n")
cat(' "provenance": {\n')
cat('  "generated_by": "Tests/Fixtures/mimic-colon-r.R",\n')
cat(sprintf('  "R": "%s",\n', R.version.string))
cat(sprintf('  "survival": "%s",\n', as.character(packageVersion("survival"))))
cat(sprintf('  "run_at_utc": "%s",\n', format(Sys.time(), tz = "UTC", usetz = TRUE)))
cat('  "rows": "Data/colon_os.csv, rx in (Obs, Lev+5FU), age 18-80, nodes >= 1 (missing excluded), extent != 4",\n')
cat('  "calls": "coxph(Surv(time, status) ~ treated, ties = \\"efron\\"); survdiff(Surv(time, status) ~ treated); survfit(...), times in days"\n')
cat(' },\n')
cat(sprintf(' "control_patients": %d,\n "control_events": %d,\n', sum(e$treated == 0), sum(e$status[e$treated == 0])))
cat(sprintf(' "treated_patients": %d,\n "treated_events": %d,\n', sum(e$treated == 1), sum(e$status[e$treated == 1])))
cat(sprintf(' "coef": %s,\n "se": %s,\n', num(coef(fit)[1]), num(sqrt(vcov(fit)[1, 1]))))
cat(sprintf(' "hr": %s,\n "hr_lower95": %s,\n "hr_upper95": %s,\n', num(s$conf.int[1, 1]), num(s$conf.int[1, 3]), num(s$conf.int[1, 4])))
cat(sprintf(' "p_wald": %s,\n', num(s$coefficients[1, 5])))
cat(sprintf(' "logrank_chisq": %s,\n "logrank_p": %s,\n', num(lr$chisq), num(pchisq(lr$chisq, 1, lower.tail = FALSE))))
cat(sprintf(' "km_landmark_days": %s,\n', arr(landmarks)))
cat(sprintf(' "km_control": %s,\n', arr(sk$surv[sk$strata == "treated=0"])))
cat(sprintf(' "km_treated": %s\n', arr(sk$surv[sk$strata == "treated=1"])))
cat("}\n")
