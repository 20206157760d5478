#!/usr/bin/env Rscript
# Independent reference values for SynthArm's CART synthesis (Sources/Synthesis/DecisionTree.swift
# and KernelBandwidth.swift), from R's rpart and stats::bw.SJ. Run from the repository root:
#
#     Rscript Tests/Fixtures/cart-rpart-reference.R > Tests/Fixtures/cart-rpart-reference.json
#
# 1. A regression tree (rpart method "anova", the call synthpop's syn.cart makes: minbucket,
#    minsplit = 3 * minbucket, cp = 1e-8, no surrogates, no cross-validation) on a small data set
#    with two continuous predictors and one nominal predictor written here; the leaf of each row
#    (fit$where) is the reference partition.
# 2. Sheather-Jones bandwidths, bw.SJ(x, tol = 1e-10) (method "ste"; R's default tolerance is
#    0.1 * lower, SynthArm solves to 1e-10), for the age and the positive times of
#    Data/colon_os.csv and for a small data set written here.
# No SynthArm code is used. Tested with R 4.x, rpart 4.1.
suppressMessages(library(rpart))
set.seed(20261206)
n <- 240
x1 <- round(rnorm(n), 4)
x2 <- round(runif(n, 0, 10), 4)
g <- sample(0:3, n, replace = TRUE)
y <- round(2 * x1 + 3 * (g == 2) - 1.5 * (g == 0) + sin(x2) + rnorm(n), 4)
fit <- rpart(y ~ x1 + x2 + factor(g), method = "anova",
             control = rpart.control(minbucket = 10, minsplit = 30, cp = 1e-8, xval = 0,
                                     maxsurrogate = 0, maxcompete = 0, maxdepth = 30))
colon <- read.csv("Data/colon_os.csv")
small <- c(1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 2.5, 7.25, 11)
num <- function(v) paste(format(v, digits = 17), collapse = ", ")
cat("{\n")
cat('  "tree": {\n')
cat('    "x1": [', num(x1), '],\n')
cat('    "x2": [', num(x2), '],\n')
cat('    "g": [', paste(g, collapse = ", "), '],\n')
cat('    "y": [', num(y), '],\n')
cat('    "minbucket": 10,\n')
cat('    "where": [', paste(fit$where, collapse = ", "), ']\n')
cat('  },\n')
cat('  "bandwidth": [\n')
cat('    {"name": "colon_os age", "x": [', num(colon$age), '], "sj": ', format(bw.SJ(colon$age, tol = 1e-10), digits = 17), '},\n')
t <- colon$time[colon$time > 0]
cat('    {"name": "colon_os time", "x": [', num(t), '], "sj": ', format(bw.SJ(t, tol = 1e-10), digits = 17), '},\n')
cat('    {"name": "small", "x": [', num(small), '], "sj": ', format(bw.SJ(small, tol = 1e-10), digits = 17),
    ', "nrd0": ', format(bw.nrd0(small), digits = 17), '}\n')
cat('  ]\n')
cat("}\n")
