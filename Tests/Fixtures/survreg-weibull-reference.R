# survreg-weibull-reference.R — R survival's Weibull AFT fits (survreg, dist = "weibull") on the
# shipped cohorts, for WeibullRegressionTests: estimates, covariance and log-likelihood.
# Run once from the repository root:  Rscript Tests/Fixtures/survreg-weibull-reference.R
# It writes Tests/Fixtures/survreg-weibull-reference.json. Models and factor levels are those of
# Tests/SurvivalAnalysisTests/ReferenceModels.swift (rows with a missing value dropped, as R does).
library(survival)
colon <- read.csv("Data/colon_os.csv")
colon$rx <- factor(colon$rx, levels = c("Obs", "Lev", "Lev+5FU"))
veteran <- read.csv("Data/veteran.csv")
veteran$trt <- factor(veteran$trt, levels = c(1, 2))
veteran$celltype <- factor(veteran$celltype, levels = c("squamous", "smallcell", "adeno", "large"))
ctl <- survreg.control(rel.tolerance = 1e-12, maxiter = 100)
fits <- list(
  colon_os = survreg(Surv(time, status) ~ rx + age + sex + nodes + obstruct + differ + extent,
                     data = colon, dist = "weibull", control = ctl),
  veteran = survreg(Surv(time, status) ~ trt + celltype + karno + diagtime + age + prior,
                    data = veteran, dist = "weibull", control = ctl))
num <- function(x) paste0("[", paste(sprintf("%.15g", x), collapse = ", "), "]")
entry <- function(name, f) {
  paste0('    "', name, '": {\n',
         '      "parameters": ', num(c(coef(f), log(f$scale))), ',\n',
         '      "variance_row_major": ', num(t(vcov(f))), ',\n',
         '      "loglik": ', sprintf("%.15g", f$loglik[2]), ',\n',
         '      "n": ', nrow(f$y), '\n    }')
}
header <- paste0('{\n  "source": "R ', R.version$major, ".", R.version$minor, ", survival ",
                 packageVersion("survival"), ', survreg(dist = \\"weibull\\", rel.tolerance = 1e-12)",\n',
                 '  "script": "Tests/Fixtures/survreg-weibull-reference.R",\n  "models": {\n')
body <- paste(mapply(entry, names(fits), fits), collapse = ",\n")
writeLines(paste0(header, body, "\n  }\n}"), "Tests/Fixtures/survreg-weibull-reference.json")
