#!/usr/bin/env python3
"""Independent reference values for Tests/AuditTests (numpy + scipy only, no SynthArm code).

Reproduce with:  python3 Tests/Fixtures/Audit/audit_reference.py > Tests/Fixtures/Audit/audit_reference.txt
Run on 2026-11-25 with Python 3, numpy 2.4.6, scipy 1.17.1.

Each block re-implements one metric from its published definition (Docs/Methods.md, citing the
SDMetrics / synthcity / synthpop source it was read from), written the way those tools write it
(scipy.stats.ks_2samp, np.histogram_bin_edges + np.digitize, scipy association, lifelines-style
KM predict + np.trapezoid, ...). The Swift tests hard-code the printed numbers.
"""
import numpy as np
from scipy import stats, optimize
from scipy.stats.contingency import association

nan = np.nan
np.set_printoptions(precision=17)


def show(name, value):
    print(f"{name} = {value!r}")


# ---------------------------------------------------------------------------------------------
# A. Fidelity on a tiny table (age, bmi, alb numeric; sex 2 levels, stage 4 levels; -1 = NaN)
# ---------------------------------------------------------------------------------------------
R = {
    "age": np.array([50, 60, 55, nan, 70, 65, 60], float),
    "bmi": np.array([20, 25, 22, 30, 28, 24, 26], float),
    "sex": np.array([0, 1, 1, 0, 1, 0, -1]),
    "stage": np.array([0, 1, 2, 1, 1, 0, 0]),
    "alb": np.array([3.1, 4.0, 3.5, 3.8, 3.3, 4.2, 3.6]),
}
S = {
    "age": np.array([52, 61, 80, 58, nan, 60], float),
    "bmi": np.array([21, 26, 23, 35, 27, 22], float),
    "sex": np.array([0, 0, 1, 1, -1, 0]),
    "stage": np.array([2, 1, 1, 2, 0, 3]),
    "alb": np.array([3.0, 3.9, 4.4, 3.2, 3.7, 3.5]),
}
LEVELS = {"sex": 2, "stage": 4}
NUMERIC = ["age", "bmi", "alb"]
COLS = ["age", "bmi", "sex", "stage", "alb"]


def ks_complement(r, s):  # SDMetrics kscomplement.py
    return 1 - stats.ks_2samp(r[~np.isnan(r)], s[~np.isnan(s)]).statistic


def tv_complement(r, s):  # SDMetrics tv_complement.py + utils.get_frequencies, NaN dropped
    r, s = r[r >= 0], s[s >= 0]
    cats = sorted(set(r) | set(s))
    return 1 - 0.5 * sum(abs(np.mean(s == k) - np.mean(r == k)) for k in cats)


def range_coverage(r, s):
    r, s = r[~np.isnan(r)], s[~np.isnan(s)]
    rng = r.max() - r.min()
    return max(0, 1 - (max(0, (s.min() - r.min()) / rng) + max(0, (r.max() - s.max()) / rng)))


def category_coverage(r, s):
    cr, cs = set(r[r >= 0]), set(s[s >= 0])
    return len(cr & cs) / len(cr)


def missing_fraction(v, numeric):
    return np.mean(np.isnan(v)) if numeric else np.mean(v < 0)


def boundary_adherence(r, s):
    r, s = r[~np.isnan(r)], s[~np.isnan(s)]
    return np.mean((s >= r.min()) & (s <= r.max()))


def category_adherence(r, s):
    nullable = np.any(r < 0)
    valid = np.isin(s, r[r >= 0]) | ((s < 0) & nullable)
    return np.mean(valid)


def discretize(r, s):  # SDMetrics utils.discretize_column: R edges, outer edges +-inf, NaN -> 11
    edges = np.histogram_bin_edges(r[~np.isnan(r)], bins=10)
    edges[0], edges[-1] = -np.inf, np.inf
    return np.digitize(r, edges), np.digitize(s, edges)


def coding(name):
    if name in NUMERIC:
        return discretize(R[name], S[name])
    k = LEVELS[name]
    return np.where(R[name] < 0, k, R[name]), np.where(S[name] < 0, k, S[name])


def contingency_similarity(ra, rb, sa, sb):  # groupby(dropna=False).size()/len
    cells = set(zip(ra, rb)) | set(zip(sa, sb))
    pr = {c: np.mean((ra == c[0]) & (rb == c[1])) for c in cells}
    ps = {c: np.mean((sa == c[0]) & (sb == c[1])) for c in cells}
    return 1 - 0.5 * sum(abs(pr[c] - ps[c]) for c in cells)


def cramers_v(a, b):  # unstack(fill_value=0) then scipy association(method="cramer")
    ua, ub = sorted(set(a)), sorted(set(b))
    table = np.array([[np.sum((a == x) & (b == y)) for y in ub] for x in ua])
    return association(table, method="cramer")


def pearson(x, y):
    ok = ~np.isnan(x) & ~np.isnan(y)
    return stats.pearsonr(x[ok], y[ok]).statistic


print("# A. fidelity")
shapes = []
for c in COLS:
    if c in NUMERIC:
        v = ks_complement(R[c], S[c]); shapes.append(v)
        show(f"KSComplement[{c}]", v)
        show(f"RangeCoverage[{c}]", range_coverage(R[c], S[c]))
        show(f"BoundaryAdherence[{c}]", boundary_adherence(R[c], S[c]))
    else:
        v = tv_complement(R[c], S[c]); shapes.append(v)
        show(f"TVComplement[{c}]", v)
        show(f"CategoryCoverage[{c}]", category_coverage(R[c], S[c]))
        show(f"CategoryAdherence[{c}]", category_adherence(R[c], S[c]))
    show(f"MissingValueSimilarity[{c}]",
         1 - abs(missing_fraction(R[c], c in NUMERIC) - missing_fraction(S[c], c in NUMERIC)))
col_shapes = np.mean(shapes)
show("ColumnShapes", col_shapes)
all_scores, thr_scores = [], []
for i in range(len(COLS)):
    for j in range(i + 1, len(COLS)):
        a, b = COLS[i], COLS[j]
        if a in NUMERIC and b in NUMERIC:
            rr, rs = pearson(R[a], R[b]), pearson(S[a], S[b])
            score = 1 - abs(rr - rs) / 2
            show(f"CorrelationSimilarity[{a},{b}] (rho_R, rho_S, score)", (rr, rs, score))
            meets = abs(rr) > 0.5
        else:
            (ra, sa), (rb, sb) = coding(a), coding(b)
            score = contingency_similarity(ra, rb, sa, sb)
            v = cramers_v(ra, rb)
            show(f"ContingencySimilarity[{a},{b}] (V_R, score)", (v, score))
            meets = v > 0.3
        all_scores.append(score)
        if meets:
            thr_scores.append(score)
cpt_all, cpt_thr = np.mean(all_scores), np.mean(thr_scores)
show("ColumnPairTrends all", cpt_all)
show("ColumnPairTrends thresholded", cpt_thr)
show("Quality all", np.mean([col_shapes, cpt_all]))
show("Quality thresholded", np.mean([col_shapes, cpt_thr]))

# ---------------------------------------------------------------------------------------------
# B. Ridge logistic regression (sklearn's default objective, C = 1) and detection with given folds
# ---------------------------------------------------------------------------------------------
print("# B. logistic regression / detection")
X = np.array([[0.2, 1.0], [1.5, 0.0], [-0.3, 1.0], [0.8, 0.0], [2.1, 1.0], [-1.2, 0.0],
              [0.5, 1.0], [1.1, 1.0], [-0.7, 0.0], [0.0, 0.0], [1.8, 0.0], [-1.5, 1.0],
              [0.9, 1.0], [-0.1, 0.0], [1.3, 1.0], [-0.9, 1.0], [0.4, 0.0], [2.4, 0.0]])
y = np.array([1, 1, 0, 1, 1, 0, 0, 1, 0, 1, 1, 0, 1, 0, 0, 0, 1, 1], float)
folds = np.array([0, 1, 2] * 6)


def fit_ridge_logistic(X, y, lam=1.0):
    def f(beta):
        eta = beta[0] + X @ beta[1:]
        return np.sum(np.logaddexp(0, eta) - y * eta) + lam / 2 * np.sum(beta[1:] ** 2)

    def g(beta):
        p = 1 / (1 + np.exp(-(beta[0] + X @ beta[1:])))
        grad = np.concatenate([[np.sum(p - y)], X.T @ (p - y)])
        grad[1:] += lam * beta[1:]
        return grad

    res = optimize.minimize(f, np.zeros(X.shape[1] + 1), jac=g, method="BFGS", options={"gtol": 1e-12})
    return res.x


def auc_mann_whitney(scores, labels):
    ranks = stats.rankdata(scores)  # average ranks for ties
    n1 = np.sum(labels == 1); n0 = len(labels) - n1
    return (np.sum(ranks[labels == 1]) - n1 * (n1 + 1) / 2) / (n1 * n0)


show("logistic all rows (intercept, w1, w2)", fit_ridge_logistic(X, y))
aucs = []
for f_ in range(3):
    beta = fit_ridge_logistic(X[folds != f_], y[folds != f_])
    p = 1 / (1 + np.exp(-(beta[0] + X[folds == f_] @ beta[1:])))
    aucs.append(auc_mann_whitney(p, y[folds == f_]))
show("fold AUCs", aucs)
show("detection score", 1 - np.mean([2 * max(0.5, a) - 1 for a in aucs]))
show("AUC [0.1,0.4,0.35,0.8] vs [0,0,1,1]", auc_mann_whitney(np.array([0.1, 0.4, 0.35, 0.8]), np.array([0, 0, 1, 1])))
show("AUC ties [0.5,0.5,0.2,0.9] vs [1,0,0,1]", auc_mann_whitney(np.array([0.5, 0.5, 0.2, 0.9]), np.array([1, 0, 0, 1])))

# ---------------------------------------------------------------------------------------------
# C. Survival: synthcity nonparametric_distance, log-rank, RMST
# ---------------------------------------------------------------------------------------------
print("# C. survival")
TR, ER = np.array([2, 4, 4, 6, 9], float), np.array([1, 1, 0, 1, 0], bool)
TS, ES = np.array([1, 3, 5, 5, 8, 10], float), np.array([1, 0, 1, 1, 1, 0], bool)


def km(T, E):
    times = np.unique(T); surv = []; s = 1.0
    for t in times:
        n = np.sum(T >= t); d = np.sum((T == t) & E)
        s *= 1 - d / n; surv.append(s)
    return times, np.array(surv)


def predict(curve, t):  # lifelines KaplanMeierFitter.predict: last value at or before t
    times, surv = curve
    k = np.searchsorted(times, t, side="right") - 1
    return 1.0 if k < 0 else surv[k]


cr, cs = km(TR, ER), km(TS, ES)
tmax = max(TR.max(), TS.max()); tmin = max(0, min(TR.min(), TS.min()))
grid = np.linspace(tmin, tmax, 1000)
diff = np.array([predict(cs, t) - predict(cr, t) for t in grid])
show("KM optimism", np.trapezoid(diff, grid) / tmax)
show("KM absolute optimism", np.trapezoid(np.abs(diff), grid) / tmax)
show("short-sightedness", (TR.max() - TS.max()) / tmax)

T = np.concatenate([TR, TS]); E = np.concatenate([ER, ES]); G = np.array([0] * 5 + [1] * 6)
O = Ex = V = 0.0
for t in np.unique(T[E]):
    n = np.sum(T >= t); d = np.sum((T == t) & E)
    n1 = np.sum((T >= t) & (G == 1)); d1 = np.sum((T == t) & E & (G == 1))
    O += d1; Ex += d * n1 / n
    if n > 1:
        V += d * (n - d) / (n - 1) * n1 / n * (1 - n1 / n)
chi2 = (O - Ex) ** 2 / V
show("log-rank chi2, p", (chi2, stats.chi2.sf(chi2, 1)))


def rmst(curve, tau):
    times, surv = curve; area = 0.0; start = 0.0; s = 1.0
    for t, v in zip(times, surv):
        if t > tau:
            break
        area += s * (t - start); start = t; s = v
    return area + s * (tau - start)


show("RMST real tau=8", rmst(cr, 8.0))
show("RMST synthetic tau=8", rmst(cs, 8.0))

# ---------------------------------------------------------------------------------------------
# D. Privacy: SDMetrics DCR (dcr_utils.py), overfitting protection, NNDR, Hamming, copies
# ---------------------------------------------------------------------------------------------
print("# D. privacy")
# columns: x numeric, y numeric (constant 10 in R: range 0), g categorical (-1 = missing)
PR = np.array([[1.0, 10, 0], [2.0, 10, 1], [4.0, 10, 1], [nan, 10, 2], [5.0, 10, -1]])
PS = np.array([[1.0, 10, 0], [3.0, 12, 1], [nan, 10, 2], [9.0, 10, -1], [2.01, 10, 1]])
PH = np.array([[2.0, 10, 1], [4.5, 11, 1], [0.0, 9, 0]])
KIND = ["num", "num", "cat"]


def dcr_matrix(data, ref):
    rng = [np.nanmax(ref[:, j]) - np.nanmin(ref[:, j]) if KIND[j] == "num" else None for j in range(3)]
    out = np.zeros((len(data), len(ref)))
    for i, a in enumerate(data):
        for k, b in enumerate(ref):
            tot = 0.0
            for j in range(3):
                x, z = a[j], b[j]
                if KIND[j] == "num":
                    if np.isnan(x) and np.isnan(z): d = 0.0
                    elif np.isnan(x) or np.isnan(z): d = 1.0
                    elif rng[j] == 0: d = float(x != z)
                    else: d = min(abs(x - z) / rng[j], 1.0)
                else:
                    d = 0.0 if x == z else 1.0  # codes: -1 == -1 for two missing
                tot += d
            out[i, k] = tot / 3
    return out


m_sr = dcr_matrix(PS, PR); m_sh = dcr_matrix(PS, PH); m_hr = dcr_matrix(PH, PR)
dcr_sr = m_sr.min(axis=1); dcr_sh = m_sh.min(axis=1); dcr_hr = m_hr.min(axis=1)
show("DCR S->R per row", dcr_sr)
show("DCR S->H per row", dcr_sh)
show("DCR H->R per row", dcr_hr)
show("median DCR S->R", np.median(dcr_sr))
q = np.mean(dcr_sr < dcr_sh)
show("share closer to train, DCROverfittingProtection", (q, min(2 * (1 - q), 1)))
srt = np.sort(m_sr, axis=1)
nndr = np.where(srt[:, 1] == 0, 1.0, srt[:, 0] / np.where(srt[:, 1] == 0, 1, srt[:, 1]))
show("NNDR S->R per row", nndr)
show("NNDR p5, median", (np.quantile(nndr, 0.05), np.median(nndr)))


def codes(table):
    out = np.zeros(table.shape, int)
    for j in range(3):
        if KIND[j] == "num":
            col = PR[:, j]
            edges = np.histogram_bin_edges(col[~np.isnan(col)], bins=10)
            edges[0], edges[-1] = -np.inf, np.inf
            out[:, j] = np.digitize(table[:, j], edges)
        else:
            out[:, j] = np.where(table[:, j] < 0, 3, table[:, j])
    return out


cS, cR = codes(PS), codes(PR)
ham = np.array([min(np.sum(a != b) for b in cR) for a in cS])
show("Hamming per S row", ham)
show("Hamming min, share0, share<=1, median", (ham.min(), np.mean(ham == 0), np.mean(ham <= 1), np.median(ham)))


def matches(a, b, tol):
    for j in range(3):
        x, z = a[j], b[j]
        if np.isnan(x) or np.isnan(z):
            if np.isnan(x) != np.isnan(z): return False
        elif KIND[j] == "num":
            if not abs(z - x) <= tol * abs(x): return False
        elif x != z:
            return False
    return True


show("exact copies", sum(any(matches(a, b, 0) for b in PR) for a in PS))
show("NewRowSynthesis", np.mean([not any(matches(a, b, 0.01) for b in PR) for a in PS]))

# ---------------------------------------------------------------------------------------------
# E. Harrell's C (comparable: shorter time is an event; tied times comparable when only the
#    first is an event; risk ties count 1/2)
# ---------------------------------------------------------------------------------------------
print("# E. concordance")
t = np.array([5, 8, 8, 3, 10, 6], float); e = np.array([1, 1, 0, 1, 0, 0], bool)
for risk in ([0.9, 0.2, 0.5, 0.8, 0.1, 0.5], [0.9, 0.2, 0.5, 0.8, 0.1, 0.8]):
    num = den = 0.0
    for i in range(6):
        for j in range(6):
            if i != j and e[i] and (t[i] < t[j] or (t[i] == t[j] and not e[j])):
                den += 1; num += 1.0 if risk[i] > risk[j] else (0.5 if risk[i] == risk[j] else 0.0)
    show(f"Harrell C risk={risk}", num / den)
