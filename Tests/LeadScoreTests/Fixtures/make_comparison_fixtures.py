#!/usr/bin/env python3
"""Reference values for comparing lead scorers: DeLong AUC intervals and the
paired DeLong test, Gini and Kolmogorov-Smirnov, reliability tables, ECE,
the Brier decomposition, calibration-in-the-large and slope, Hosmer-Lemeshow,
and isotonic calibration.

Run from the repository root:

    python3 Tests/LeadScoreTests/Fixtures/make_comparison_fixtures.py

Writes comparison.json next to this script. Deterministic (numpy default_rng
with a fixed seed per case); two runs give byte-identical output. Python is
NOT a runtime dependency of LeadScore.

Independence from the Swift code: the Swift DeLong uses the fast midrank
algorithm of Sun & Xu (2014); here DeLong is the plain O(n1*n0) definition
from the structural components (the full n1 x n0 matrix of psi). AUC comes
from sklearn.roc_auc_score, KS from scipy.stats.ks_2samp, Wilson intervals
from statsmodels proportion_confint, the calibration slope and the offset
intercept from statsmodels Logit, HL p-values from scipy.stats.chi2.sf and
isotonic predictions from sklearn IsotonicRegression.

JSON cannot hold NaN: undefined values (the mean of an empty bin, ...) are
written as null.
"""

import json
import platform
import warnings
from fractions import Fraction as Fr
from pathlib import Path

import numpy as np
import pandas as pd
import scipy
import sklearn
import statsmodels
import statsmodels.api as sm
from scipy import stats
from sklearn.isotonic import IsotonicRegression
from sklearn.metrics import roc_auc_score
from statsmodels.stats.proportion import proportion_confint

OUT = Path(__file__).resolve().parent / "comparison.json"

GENERATOR = {
    "script": "Tests/LeadScoreTests/Fixtures/make_comparison_fixtures.py",
    "python": platform.python_version(),
    "numpy": np.__version__,
    "scipy": scipy.__version__,
    "pandas": pd.__version__,
    "sklearn": sklearn.__version__,
    "statsmodels": statsmodels.__version__,
}

# z for 95%: norm.ppf(0.975). statsmodels' proportion_confint uses norm.isf(0.025), one ulp
# larger (1.9599639845400545); the difference is below 1e-16 in every interval.
Z95 = float(stats.norm.ppf(0.975))
assert Z95 == 1.959963984540054
CLIP = 1e-15


def fl(x):
    """float, or None for NaN (JSON has no NaN)."""
    x = float(x)
    return None if np.isnan(x) else x


def fls(a):
    return [fl(v) for v in np.asarray(a, dtype=float)]


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


# ---------------------------------------------------------------------------
# DeLong, plain definition.
#
#   psi(x, y) = 1 if x > y, 1/2 if x == y, 0 if x < y
#   X = scores of the n1 won rows, Y = scores of the n0 lost rows
#   V10_i = (1/n0) sum_j psi(X_i, Y_j)         (one per won row, row order)
#   V01_j = (1/n1) sum_i psi(X_i, Y_j)         (one per lost row, row order)
#   AUC   = mean(V10) = mean(V01)
#   S10   = sample covariance (ddof 1) of the V10 of the scorers, S01 likewise
#   S     = S10 / n1 + S01 / n0                 (DeLong et al. 1988, eq. 5)
#   Var(AUC_a) = S_aa,  Var(AUC_a - AUC_b) = S_aa + S_bb - 2 S_ab
# ---------------------------------------------------------------------------
def delong_components(y, s):
    X = s[y == 1]
    Y = s[y == 0]
    psi = (X[:, None] > Y[None, :]).astype(float) + 0.5 * (X[:, None] == Y[None, :])
    return psi.mean(axis=1), psi.mean(axis=0)


def auc_interval(auc, var):
    """Normal interval on the AUC scale, truncated to [0, 1] (as pROC does);
    and the logit interval logit(AUC) +- z sqrt(V) / (AUC (1 - AUC))."""
    se = np.sqrt(var)
    lower = max(0.0, auc - Z95 * se)
    upper = min(1.0, auc + Z95 * se)
    if 0 < auc < 1:
        lg = np.log(auc / (1 - auc))
        half = Z95 * se / (auc * (1 - auc))
        logit_lower, logit_upper = sigmoid(lg - half), sigmoid(lg + half)
    else:
        logit_lower = logit_upper = np.nan
    return lower, upper, logit_lower, logit_upper


def delong_single(y, s):
    v10, v01 = delong_components(y, s)
    n1, n0 = len(v10), len(v01)
    auc = v10.mean()
    var = np.var(v10, ddof=1) / n1 + np.var(v01, ddof=1) / n0
    lower, upper, ll, lu = auc_interval(auc, var)
    return {
        "auc": fl(auc), "variance": fl(var), "lower": fl(lower), "upper": fl(upper),
        "logit_lower": fl(ll), "logit_upper": fl(lu), "positives": n1, "negatives": n0,
    }, v10, v01


def delong_paired(y, a, b):
    va10, va01 = delong_components(y, a)
    vb10, vb01 = delong_components(y, b)
    n1, n0 = len(va10), len(va01)
    S = np.cov(np.vstack([va10, vb10]), ddof=1) / n1 + np.cov(np.vstack([va01, vb01]), ddof=1) / n0
    diff = va10.mean() - vb10.mean()
    var = S[0, 0] + S[1, 1] - 2 * S[0, 1]
    se = np.sqrt(var)
    z = diff / se
    return {
        "difference": fl(diff), "variance": fl(var), "covariance": fl(S[0, 1]),
        "correlation": fl(S[0, 1] / np.sqrt(S[0, 0] * S[1, 1])),
        "lower": fl(diff - Z95 * se), "upper": fl(diff + Z95 * se),
        "z": fl(z), "p_value": fl(2 * stats.norm.sf(abs(z))),
    }


# ---------------------------------------------------------------------------
# Hand case: 8 rows, 3 won (rows 0, 2, 5) and 5 lost (rows 1, 3, 4, 6, 7).
#
#   row     0    1    2    3    4    5    6    7
#   y       1    0    1    0    0    1    0    0
#   a      .9   .7   .6   .4   .3   .4   .2   .1
#   b      .8   .6   .3   .2   .4   .5   .1   .3
#
# Scorer a. Won scores X = (.9, .6, .4), lost Y = (.7, .4, .3, .2, .1).
#   V10: .9 beats all 5 -> 5/5 = 1;  .6 beats .4 .3 .2 .1 -> 4/5;
#        .4 ties .4 and beats .3 .2 .1 -> 3.5/5 = 7/10.
#   V01 (lost rows 1, 3, 4, 6, 7): .7 is beaten by .9 only -> 1/3;
#        .4 beaten by .9 .6, tied with .4 -> 2.5/3 = 5/6;  .3 .2 .1 -> 1 each.
#   AUC = (1 + 4/5 + 7/10) / 3 = 5/6  (= mean V01 = (1/3 + 5/6 + 3) / 5 = 5/6).
#   S10 = [(1/6)^2 + (1/30)^2 + (4/30)^2] / 2 = (25 + 1 + 16)/900 / 2 = 7/300
#   S01 = [(1/2)^2 + 0 + 3 (1/6)^2] / 4 = (1/4 + 1/12) / 4 = 1/12
#   Var(AUC_a) = S10/3 + S01/5 = 7/900 + 15/900 = 22/900 = 11/450 = 0.024444...
#
# Scorer b. X = (.8, .3, .5), Y = (.6, .2, .4, .1, .3).
#   V10: .8 -> 1;  .3 beats .2 .1, ties .3 -> 2.5/5 = 1/2;  .5 beats .2 .4 .1 .3 -> 4/5.
#   V01: .6 -> 1/3;  .2 -> 1;  .4 beaten by .8 .5 -> 2/3;  .1 -> 1;  .3 -> 2.5/3 = 5/6.
#   AUC = (1 + 1/2 + 4/5)/3 = 23/30.
#   S10 = [(7/30)^2 + (8/30)^2 + (1/30)^2] / 2 = 114/900 / 2 = 19/300
#   S01: values (2, 6, 4, 6, 5)/6, mean 23/30; deviations (-2.6, 1.4, -.6, 1.4, .4)/6,
#        squares sum 11.2/36, / 4 = 7/90
#   Var(AUC_b) = 19/900 + 7/450 = 33/900 = 11/300
#
# Covariance. V10 deviations: a (5, -1, -4)/30, b (7, -8, 1)/30 -> (35 + 8 - 4)/900 / 2 = 13/600.
#   V01 deviations: a (-3, 0, 1, 1, 1)/6, b (-2.6, 1.4, -.6, 1.4, .4)/6 -> 9/36 / 4 = 1/16.
#   Cov = 13/600/3 + 1/16/5 = 26/3600 + 45/3600 = 71/3600.
# Difference: 5/6 - 23/30 = 1/15, Var = 22/900 + 33/900 - 2*71/3600 = 78/3600 = 13/600.
# ---------------------------------------------------------------------------
HAND = {
    "y": [1, 0, 1, 0, 0, 1, 0, 0],
    "a": [0.9, 0.7, 0.6, 0.4, 0.3, 0.4, 0.2, 0.1],
    "b": [0.8, 0.6, 0.3, 0.2, 0.4, 0.5, 0.1, 0.3],
}
HAND_EXACT = {
    "auc_a": Fr(5, 6), "var_a": Fr(11, 450),
    "auc_b": Fr(23, 30), "var_b": Fr(11, 300),
    "covariance": Fr(71, 3600), "difference": Fr(1, 15), "var_difference": Fr(13, 600),
}


def check_hand():
    """The hand working above, in exact rational arithmetic, then against numpy."""
    y = HAND["y"]

    def psi(x, v):
        return Fr(1) if x > v else Fr(1, 2) if x == v else Fr(0)

    def comps(s):
        s = [Fr(str(v)) for v in s]
        X = [v for v, t in zip(s, y) if t == 1]
        Y = [v for v, t in zip(s, y) if t == 0]
        return ([sum(psi(x, v) for v in Y) / len(Y) for x in X],
                [sum(psi(x, v) for x in X) / len(X) for v in Y])

    def cov(u, v):
        mu, mv = sum(u) / len(u), sum(v) / len(v)
        return sum((p - mu) * (q - mv) for p, q in zip(u, v)) / (len(u) - 1)

    a10, a01 = comps(HAND["a"])
    b10, b01 = comps(HAND["b"])
    assert sum(a10) / 3 == HAND_EXACT["auc_a"] and sum(b10) / 3 == HAND_EXACT["auc_b"]
    assert cov(a10, a10) / 3 + cov(a01, a01) / 5 == HAND_EXACT["var_a"]
    assert cov(b10, b10) / 3 + cov(b01, b01) / 5 == HAND_EXACT["var_b"]
    assert cov(a10, b10) / 3 + cov(a01, b01) / 5 == HAND_EXACT["covariance"]
    ya = np.array(y, float)
    single_a, _, _ = delong_single(ya, np.array(HAND["a"]))
    paired = delong_paired(ya, np.array(HAND["a"]), np.array(HAND["b"]))
    assert abs(single_a["variance"] - float(HAND_EXACT["var_a"])) < 1e-16
    assert abs(paired["variance"] - float(HAND_EXACT["var_difference"])) < 1e-16
    assert abs(paired["difference"] - float(HAND_EXACT["difference"])) < 1e-16


# ---------------------------------------------------------------------------
# Kolmogorov-Smirnov. statistic = scipy.stats.ks_2samp(won, lost).statistic.
# threshold: the smallest distinct score t at which |F_won(t) - F_lost(t)| is
# largest, with F(t) = share of the class with score <= t (evaluated here on
# the sorted distinct scores, independently of scipy). scipy's own
# statistic_location picks the first maximiser in its concatenated sample
# order, which can differ when several thresholds tie; it is recorded too.
# ---------------------------------------------------------------------------
def ks(y, s):
    won, lost = np.sort(s[y == 1]), np.sort(s[y == 0])
    res = stats.ks_2samp(won, lost)
    u = np.unique(s)
    fw = np.searchsorted(won, u, side="right") / len(won)
    fl_ = np.searchsorted(lost, u, side="right") / len(lost)
    d = np.abs(fw - fl_)
    # The maximiser is chosen on exact integers |c_won * n_lost - c_lost * n_won| (first = smallest
    # score), so that rounding of the two fractions cannot break a tie.
    cw = np.searchsorted(won, u, side="right").astype(np.int64)
    cl = np.searchsorted(lost, u, side="right").astype(np.int64)
    k = int(np.argmax(np.abs(cw * len(lost) - cl * len(won))))
    # In its exact mode scipy re-derives the statistic as round(d * lcm(n1, n0)) / lcm, which can
    # move it by an ulp.
    assert abs(d[k] - res.statistic) < 1e-15, (d[k], res.statistic)
    return {
        "statistic": fl(res.statistic), "threshold": fl(u[k]),
        "won_at_or_below": fl(fw[k]), "lost_at_or_below": fl(fl_[k]),
        "statistic_on_grid": fl(d[k]), "scipy_statistic_location": fl(res.statistic_location),
    }


# ---------------------------------------------------------------------------
# Calibration.
# ---------------------------------------------------------------------------
def equal_width_groups(p, bins=10):
    """Bin k holds k/bins <= p < (k+1)/bins, the last bin also p = 1. Edges are
    k/bins computed as a division (0.3, not 3 * 0.1)."""
    edges = np.arange(bins + 1) / bins
    idx = np.clip(np.searchsorted(edges, p, side="right") - 1, 0, bins - 1)
    return [np.flatnonzero(idx == k) for k in range(bins)]


def equal_count_groups(p, groups=10):
    """Ascending stable sort (ties in row order), numpy.array_split."""
    return np.array_split(np.argsort(p, kind="stable"), groups)


def reliability(y, p, groups):
    rows = []
    for g in groups:
        n = len(g)
        if n == 0:
            rows.append({"count": 0, "positives": 0, "mean_predicted": None, "observed_rate": None,
                         "min_predicted": None, "max_predicted": None, "wilson_lower": None,
                         "wilson_upper": None})
            continue
        pos = int(y[g].sum())
        lo, hi = proportion_confint(pos, n, alpha=0.05, method="wilson")
        rows.append({"count": n, "positives": pos, "mean_predicted": fl(p[g].mean()),
                     "observed_rate": fl(pos / n), "min_predicted": fl(p[g].min()),
                     "max_predicted": fl(p[g].max()), "wilson_lower": fl(lo), "wilson_upper": fl(hi)})
    full = [r for r in rows if r["count"] > 0]
    gaps = [abs(r["observed_rate"] - r["mean_predicted"]) for r in full]
    n = len(y)
    ece = sum(r["count"] / n * gap for r, gap in zip(full, gaps))
    return {"bins": rows, "ece": fl(ece), "mce": fl(max(gaps))}


def wilson_by_hand(pos, n):
    """The Wilson score interval written out, checked against statsmodels."""
    q = pos / n
    z2 = Z95 ** 2
    centre = (q + z2 / (2 * n)) / (1 + z2 / n)
    half = Z95 * np.sqrt(q * (1 - q) / n + z2 / (4 * n * n)) / (1 + z2 / n)
    return centre - half, centre + half


def brier_decomposition(y, p, groups):
    """Murphy (1973) over the equal-width bins, with the two extra terms of
    Stephenson et al. (2008): BS = REL - RES + UNC + WBV - WBC exactly."""
    n = len(y)
    obar = y.mean()
    rel = res = wbv = wbc = 0.0
    for g in groups:
        if len(g) == 0:
            continue
        pk, ok = p[g].mean(), y[g].mean()
        rel += len(g) * (pk - ok) ** 2
        res += len(g) * (ok - obar) ** 2
        wbv += ((p[g] - pk) ** 2).sum()
        wbc += 2 * ((p[g] - pk) * (y[g] - ok)).sum()
    out = {"brier": float(np.mean((p - y) ** 2)), "reliability": rel / n, "resolution": res / n,
           "uncertainty": float(obar * (1 - obar)), "within_bin_variance": wbv / n,
           "within_bin_covariance": wbc / n}
    ident = out["reliability"] - out["resolution"] + out["uncertainty"] + out["within_bin_variance"] \
        - out["within_bin_covariance"]
    assert abs(ident - out["brier"]) < 1e-15, ident - out["brier"]
    return {k: fl(v) for k, v in out.items()}


def hosmer_lemeshow(y, p, groups):
    """C-hat = sum_g (O_g - n_g pbar_g)^2 / (n_g pbar_g (1 - pbar_g)) over the
    non-empty equal-count groups; a group with pbar in {0, 1} adds 0 when
    O_g = n_g pbar_g (0/0) and +inf otherwise. df = (non-empty groups) - 2."""
    stat = 0.0
    used = 0
    for g in groups:
        if len(g) == 0:
            continue
        used += 1
        n, o, pb = len(g), y[g].sum(), p[g].mean()
        num, den = (o - n * pb) ** 2, n * pb * (1 - pb)
        stat += 0.0 if num == 0 and den == 0 else (np.inf if den == 0 else num / den)
    df = used - 2
    return {"statistic": fl(stat), "df": df, "groups": used, "p_value": fl(stats.chi2.sf(stat, df))}


def logit_clipped(p):
    q = np.clip(p, CLIP, 1 - CLIP)
    return np.log(q / (1 - q))


def calibration(y, p):
    ew, ec = equal_width_groups(p), equal_count_groups(p)
    lp = logit_clipped(p)
    # Slope: Logit of y on const + logit(p).
    m = sm.Logit(y, sm.add_constant(lp)).fit(method="newton", tol=1e-14, maxiter=100, disp=0)
    assert m.mle_retvals["converged"]
    # Intercept with logit(p) as offset (slope fixed at 1).
    o = sm.Logit(y, np.ones((len(y), 1)), offset=lp).fit(method="newton", tol=1e-14, maxiter=100, disp=0)
    assert o.mle_retvals["converged"]
    og = sm.GLM(y, np.ones((len(y), 1)), family=sm.families.Binomial(), offset=lp).fit(tol=1e-14)
    assert abs(og.params[0] - o.params[0]) < 1e-9
    rel_w, rel_c = reliability(y, p, ew), reliability(y, p, ec)
    for r in rel_w["bins"] + rel_c["bins"]:
        if r["count"]:
            lo, hi = wilson_by_hand(r["positives"], r["count"])
            assert abs(lo - r["wilson_lower"]) < 1e-15 and abs(hi - r["wilson_upper"]) < 1e-15
    return {
        "rows": len(y), "positives": int(y.sum()),
        "mean_predicted": fl(p.mean()), "observed_rate": fl(y.mean()),
        "equal_width": rel_w, "equal_count": rel_c,
        "brier": brier_decomposition(y, p, ew),
        "calibration_in_the_large": fl(y.mean() - p.mean()),
        "calibration_intercept": fl(o.params[0]),
        "slope_intercept": fl(m.params[0]), "calibration_slope": fl(m.params[1]),
        "slope_standard_error": fl(m.bse[1]),
        "hosmer_lemeshow": hosmer_lemeshow(y, p, ec),
    }


# ---------------------------------------------------------------------------
# Isotonic regression (increasing), sklearn, out_of_bounds="clip".
# ---------------------------------------------------------------------------
def isotonic(y, s, score_key, weights=None):
    iso = IsotonicRegression(out_of_bounds="clip").fit(s, y, sample_weight=weights)
    lo, hi = s.min(), s.max()
    span = hi - lo
    grid = np.concatenate([
        np.round(np.linspace(lo - 0.1 * span, hi + 0.1 * span, 201), 6),
        iso.X_thresholds_,  # exactly on breakpoints
        np.unique(s)[:25],
    ])
    return {
        "score": score_key, "weights": None if weights is None else fls(weights),
        "thresholds_x": fls(iso.X_thresholds_), "thresholds_y": fls(iso.y_thresholds_),
        "grid": fls(grid), "predictions": fls(iso.predict(grid)),
    }


# ---------------------------------------------------------------------------
# Cases.
# ---------------------------------------------------------------------------
def make_case(name, y, a, b, seed=None, components=False, iso=None, note=""):
    y = np.asarray(y, float)
    a = np.asarray(a, float)
    b = np.asarray(b, float)
    da, va10, va01 = delong_single(y, a)
    db, vb10, vb01 = delong_single(y, b)
    assert abs(da["auc"] - roc_auc_score(y, a)) < 1e-15
    assert abs(db["auc"] - roc_auc_score(y, b)) < 1e-15
    case = {
        "name": name, "note": note, "seed": seed, "y": fls(y), "a": fls(a), "b": fls(b),
        "auc_sklearn": {"a": fl(roc_auc_score(y, a)), "b": fl(roc_auc_score(y, b))},
        "gini": {"a": fl(2 * roc_auc_score(y, a) - 1), "b": fl(2 * roc_auc_score(y, b) - 1)},
        "delong": {"a": da, "b": db, "difference": delong_paired(y, a, b)},
        "ks": {"a": ks(y, a), "b": ks(y, b)},
    }
    if components:
        case["delong"]["components"] = {"a_v10": fls(va10), "a_v01": fls(va01),
                                        "b_v10": fls(vb10), "b_v01": fls(vb01)}
    if np.all((a >= 0) & (a <= 1)):
        case["calibration_a"] = calibration(y, a)
    if iso is not None:
        case["isotonic"] = iso
    return case


def case_continuous():
    seed = 20250101
    rng = np.random.default_rng(seed)
    n = 1000
    x1, x2, x3 = rng.normal(size=(3, n))
    y = (rng.uniform(size=n) < sigmoid(-1.2 + 1.1 * x1 + 0.6 * x2)).astype(float)
    # Scorer a: a slightly over-confident model; b: a weaker one sharing x1.
    a = np.round(sigmoid(-1.0 + 1.4 * x1 + 0.5 * x2 + 0.3 * x3), 6)
    b = np.round(sigmoid(-1.4 + 0.9 * x1 + 0.5 * x3 + 0.4 * rng.normal(size=n)), 6)
    iso = [isotonic(y, a, "a")]
    return make_case("continuous", y, a, b, seed, iso=iso,
                     note="n=1000, two correlated continuous probability scorers (6 decimals)")


def case_heavy_ties():
    seed = 20250202
    rng = np.random.default_rng(seed)
    n = 500
    fit = rng.integers(0, 4, n)             # firmographic fit, 0..3
    demo = rng.uniform(size=n) < 0.25       # demo requested
    visits = rng.poisson(1.5, n)
    free_mail = rng.uniform(size=n) < 0.3
    y = (rng.uniform(size=n) < sigmoid(-2.0 + 0.5 * fit + 1.4 * demo + 0.3 * visits - 0.6 * free_mail)).astype(float)
    # a: a probability rounded to one decimal and clipped to [0.1, 0.9] (9 values);
    # b: rule-based points (+10 per fit level, +25 demo, +5 per visit up to 4, -10 free e-mail).
    a = np.clip(np.round(sigmoid(-1.6 + 0.45 * fit + 1.2 * demo + 0.25 * visits - 0.5 * free_mail), 1), 0.1, 0.9)
    b = (10 * fit + 25 * demo + 5 * np.minimum(visits, 4) - 10 * free_mail).astype(float)
    w = np.round(rng.uniform(0.5, 3.0, n), 3)
    iso = [isotonic(y, b, "b"), isotonic(y, b, "b", weights=w), isotonic(y, a, "a")]
    return make_case("heavy_ties", y, a, b, seed, components=True, iso=iso,
                     note="n=500; a has 9 distinct values, b is integer rule points")


def case_hand():
    check_hand()
    y = np.array(HAND["y"], float)
    iso = [isotonic(y, np.array(HAND["a"]), "a")]
    c = make_case("hand", HAND["y"], HAND["a"], HAND["b"], components=True, iso=iso,
                  note="8 rows worked by hand in the script's comments")
    c["hand_exact"] = {k: [v.numerator, v.denominator] for k, v in HAND_EXACT.items()}
    return c


def case_bin_edges():
    seed = 20250303
    rng = np.random.default_rng(seed)
    # Probabilities exactly on the equal-width edges k/10 (0 and 1 included), 20 rows each,
    # plus 40 interior values; y ~ Bernoulli(p), so p = 0 gives y = 0 and p = 1 gives y = 1.
    a = np.concatenate([np.repeat(np.arange(11) / 10, 20), np.round(rng.uniform(0.02, 0.98, 40), 4)])
    a = a[rng.permutation(len(a))]
    y = (rng.uniform(size=len(a)) < a).astype(float)
    b = np.round(np.clip(a + rng.normal(0, 0.15, len(a)), 0, 1), 4)
    return make_case("bin_edges", y, a, b, seed,
                     note="probabilities on the bin edges k/10, including 0 and 1")


def chi2_grid():
    """Q(df/2, x/2) = chi2.sf(x, df) on a grid, for the incomplete gamma."""
    out = []
    for df in [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 15, 20, 30, 50, 100]:
        for x in [0.0, 1e-8, 0.01, 0.1, 0.5, 1.0, 2.0, 3.5, 5.0, 7.9, 8.0, 10.0, 15.5, 20.0, 30.0,
                  50.0, 80.0, 120.0, 200.0, 400.0]:
            out.append([df, x, float(stats.chi2.sf(x, df))])
    return out


def main():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        cases = [case_continuous(), case_heavy_ties(), case_hand(), case_bin_edges()]
    doc = {
        "generator": GENERATOR,
        "z": Z95,
        "conventions": (
            "labels y are 0/1; a and b are two scorers on the same rows. DeLong from the plain "
            "O(n1*n0) structural components; AUC interval normal on the AUC scale, truncated to "
            "[0,1]; logit interval logit(AUC) +- z*sqrt(V)/(AUC(1-AUC)); difference = AUC_a - AUC_b "
            "with an untruncated normal interval and p = 2*norm.sf(|z|). KS threshold = smallest "
            "distinct score maximising |F_won - F_lost| with F(t) = share <= t. Equal-width bins "
            "[k/10,(k+1)/10), last bin includes 1; equal-count = array_split of a stable ascending "
            "sort. null = NaN (empty bin)."),
        "chi2_sf": chi2_grid(),
        "cases": cases,
    }
    with open(OUT, "w") as f:
        json.dump(doc, f, separators=(",", ":"), allow_nan=False)
        f.write("\n")
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
