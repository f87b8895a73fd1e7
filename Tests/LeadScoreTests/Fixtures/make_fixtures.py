#!/usr/bin/env python3
"""Generate reference fixtures for the LeadScore Swift tests.

Run from the repository root:

    python3 Tests/LeadScoreTests/Fixtures/make_fixtures.py

The JSON files are written next to this script. Everything is deterministic
(numpy default_rng with fixed seeds). Python is NOT a runtime dependency of
LeadScore; this script is only used to (re)generate the committed fixtures.

Design values are rounded to a few decimals *before* fitting, so the numbers
in the JSON are exactly the doubles the reference fit saw. Floats are written
with json's default float repr, which round-trips exactly.
"""

import json
import platform
import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import scipy
from scipy import optimize
import sklearn
import statsmodels
import statsmodels.api as sm
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import brier_score_loss, log_loss, roc_auc_score

OUT_DIR = Path(__file__).resolve().parent

GENERATOR = {
    "script": "Tests/LeadScoreTests/Fixtures/make_fixtures.py",
    "python": platform.python_version(),
    "numpy": np.__version__,
    "scipy": scipy.__version__,
    "pandas": pd.__version__,
    "sklearn": sklearn.__version__,
    "statsmodels": statsmodels.__version__,
}

SKLEARN_CONVENTION = (
    "sklearn LogisticRegression (L2) minimises "
    "C * sum_i s_i * logloss_i + 0.5 * ||coef||^2 with the intercept unpenalised; "
    "equivalently sum_i s_i * logloss_i + (1/(2C)) * ||coef||^2. "
    "logloss_i = -[y_i*log(p_i) + (1-y_i)*log(1-p_i)], p_i = 1/(1+exp(-(intercept + x_i.coef))). "
    "s_i = 1 unless sample weights are given (s_i = w_i). "
    "For class_weight='balanced', s_i = n / (2 * n_class(y_i)) "
    "(multiplied by w_i if sample weights are also given; not the case here)."
)

# Cross-check tolerances for the penalised references (max abs diff over intercept+coef).
# sklearn's own lbfgs cannot reach 1e-7: sklearn 1.9 hard-codes ftol=64*eps for L-BFGS-B on the
# mean-scaled loss, so it stops with |param error| ~ 1e-7..1e-6 on these designs (restarting via
# warm_start does not help: each restart stops after 1 iteration). The tight 1e-7 L-BFGS check is
# therefore done with scipy L-BFGS-B (ftol=0, gtol=1e-11) on the documented sum-scale objective,
# and sklearn's lbfgs is kept as a coarse sanity check.
LBFGS_TOL = 1e-7
SKLEARN_LBFGS_TOL = 1e-5
CHECKS_TEXT = (
    "Checks asserted before writing (max abs diff over intercept and coef): "
    "max abs gradient of the documented objective at the reference < 1e-8 (objective_grad_max_abs); "
    f"scipy L-BFGS-B (ftol=0, gtol=1e-11, from zeros) on the documented objective < {LBFGS_TOL}; "
    "sklearn solver='newton-cg', tol=1e-14 < 1e-9; "
    f"sklearn solver='lbfgs', tol=1e-14, max_iter=10000 < {SKLEARN_LBFGS_TOL} (sklearn hard-codes "
    "L-BFGS-B ftol=64*eps on the mean-scaled loss, which stops it ~1e-7..1e-6 from the optimum, "
    "so it cannot meet 1e-7). Observed differences are stored per fit as check_*."
)


def fl(a):
    """numpy array/scalar -> plain Python floats (lists) for json."""
    return np.asarray(a, dtype=float).tolist()


def write(name, obj):
    obj = {"generator": GENERATOR, **obj}
    path = OUT_DIR / name
    with open(path, "w") as f:
        json.dump(obj, f, separators=(",", ":"), allow_nan=False)
        f.write("\n")
    print(f"wrote {path.name}: {path.stat().st_size} bytes")


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


# --------------------------------------------------------------------------
# 1. Unpenalised logistic regression (statsmodels Logit, Newton)
# --------------------------------------------------------------------------
def make_unpenalised():
    rng = np.random.default_rng(20240101)
    n = 600
    x_std = rng.normal(0.0, 1.0, n)            # N(0, 1)
    x_mean5 = rng.normal(5.0, 3.0, n)          # N(5, 3^2)
    x_small = rng.normal(0.0, 0.25, n)         # N(0, 0.25^2)
    b_03 = (rng.random(n) < 0.3).astype(float)
    b_06 = (rng.random(n) < 0.6).astype(float)
    count = rng.poisson(2.0, n).astype(float)
    X = np.column_stack([x_std, x_mean5, x_small, b_03, b_06, count])
    X[:, :3] = np.round(X[:, :3], 6)
    names = ["x_std", "x_mean5_sd3", "x_sd0_25", "bin_p0_3", "bin_p0_6", "poisson_count"]
    beta = np.array([0.8, -0.12, 1.6, 0.7, -0.5, 0.25])
    b0 = -0.95
    y = (rng.random(n) < sigmoid(b0 + X @ beta)).astype(int)

    res = sm.Logit(y, sm.add_constant(X)).fit(method="newton", tol=1e-14, maxiter=100, disp=0)
    assert res.mle_retvals["converged"], res.mle_retvals
    ci = np.asarray(res.conf_int())
    params, bse = np.asarray(res.params), np.asarray(res.bse)
    z, p = np.asarray(res.tvalues), np.asarray(res.pvalues)
    write("logit_unpenalised.json", {
        "description": "Unpenalised logistic regression with intercept; reference from "
                       "sm.Logit(y, sm.add_constant(X)).fit(method='newton', tol=1e-14, maxiter=100, disp=0). "
                       "SE from the inverse observed (= expected) information; z = coef/se; "
                       "p two-sided normal; 95% Wald CI coef +/- 1.959963984540054*se.",
        "seed": 20240101,
        "true_intercept": b0,
        "true_coef": fl(beta),
        "base_rate": float(y.mean()),
        "feature_names": names,
        "X": X.tolist(),
        "y": y.tolist(),
        "statsmodels": {
            "intercept": float(params[0]), "coef": fl(params[1:]),
            "se_intercept": float(bse[0]), "se": fl(bse[1:]),
            "z_intercept": float(z[0]), "z": fl(z[1:]),
            "p_intercept": float(p[0]), "p": fl(p[1:]),
            "ci_low_intercept": float(ci[0, 0]), "ci_high_intercept": float(ci[0, 1]),
            "ci_low": fl(ci[1:, 0]), "ci_high": fl(ci[1:, 1]),
            "probabilities": fl(res.predict()),
            "llf": float(res.llf),
            "llnull": float(res.llnull),
            "iterations": int(res.mle_retvals["iterations"]),
            "converged": bool(res.mle_retvals["converged"]),
        },
    })
    return res


# --------------------------------------------------------------------------
# 2. Weighted (frequency weights) logistic regression (statsmodels GLM)
# --------------------------------------------------------------------------
def make_weighted():
    rng = np.random.default_rng(20240202)
    n = 400
    x_std = rng.normal(0.0, 1.0, n)
    x_mean5 = rng.normal(5.0, 3.0, n)
    x_small = rng.normal(0.0, 0.25, n)
    b_03 = (rng.random(n) < 0.3).astype(float)
    b_06 = (rng.random(n) < 0.6).astype(float)
    count = rng.poisson(2.0, n).astype(float)
    X = np.column_stack([x_std, x_mean5, x_small, b_03, b_06, count])
    X[:, :3] = np.round(X[:, :3], 6)
    names = ["x_std", "x_mean5_sd3", "x_sd0_25", "bin_p0_3", "bin_p0_6", "poisson_count"]
    beta = np.array([0.8, -0.12, 1.6, 0.7, -0.5, 0.25])
    b0 = -0.95
    y = (rng.random(n) < sigmoid(b0 + X @ beta)).astype(int)
    w = np.round(rng.uniform(0.5, 3.0, n), 3)

    res = sm.GLM(y, sm.add_constant(X), family=sm.families.Binomial(), freq_weights=w).fit(tol=1e-14)
    assert res.converged
    params, bse = np.asarray(res.params), np.asarray(res.bse)
    # independent check of the documented covariance: inv(X' diag(w*mu*(1-mu)) X)
    Xc = sm.add_constant(X)
    mu = res.fittedvalues
    H = Xc.T @ (Xc * (w * mu * (1 - mu))[:, None])
    se_check = np.sqrt(np.diag(np.linalg.inv(H)))
    assert np.max(np.abs(se_check - bse)) < 1e-10, np.max(np.abs(se_check - bse))
    ci = np.asarray(res.conf_int())
    write("logit_weighted.json", {
        "description": "Weighted logistic regression with intercept; reference from "
                       "sm.GLM(y, sm.add_constant(X), family=Binomial(), freq_weights=w).fit(tol=1e-14) (IRLS).",
        "note": "With freq_weights the covariance is the inverse of the weighted Fisher information, "
                "inv(X' diag(w_i * p_i * (1 - p_i)) X) (X with intercept column), i.e. the inverse Hessian "
                "of the weighted log-likelihood sum_i w_i * loglik_i; the Binomial scale is fixed at 1. "
                "Checked in the generator to agree with statsmodels' bse to < 1e-10.",
        "seed": 20240202,
        "true_intercept": b0,
        "true_coef": fl(beta),
        "feature_names": names,
        "X": X.tolist(),
        "y": y.tolist(),
        "w": fl(w),
        "statsmodels": {
            "intercept": float(params[0]), "coef": fl(params[1:]),
            "se_intercept": float(bse[0]), "se": fl(bse[1:]),
            "ci_low_intercept": float(ci[0, 0]), "ci_high_intercept": float(ci[0, 1]),
            "ci_low": fl(ci[1:, 0]), "ci_high": fl(ci[1:, 1]),
            "probabilities": fl(res.fittedvalues),
            "llf": float(res.llf),
            "deviance": float(res.deviance),
            "iterations": int(res.fit_history["iteration"]),
            "converged": bool(res.converged),
        },
    })
    return res


# --------------------------------------------------------------------------
# 3./6. Penalised logistic regression (sklearn newton-cholesky, lbfgs check)
# --------------------------------------------------------------------------
def documented_objective(theta, X, y, s, C):
    """sum_i s_i*logloss_i + (1/(2C))||coef||^2 (intercept theta[0] unpenalised) and its gradient.

    Written independently of sklearn, so minimising it checks both the solution and the
    documented convention.
    """
    z = theta[0] + X @ theta[1:]
    f = np.sum(s * (np.logaddexp(0.0, z) - y * z)) + 0.5 / C * (theta[1:] @ theta[1:])
    r = s * (sigmoid(z) - y)
    return f, np.concatenate([[r.sum()], X.T @ r + theta[1:] / C])


def fit_penalised(X, y, C, class_weight=None, sample_weight=None):
    """Reference = sklearn newton-cholesky. Verified by:
      1. the gradient of the documented objective at the reference (< 1e-8, sum scale);
      2. scipy L-BFGS-B on the documented objective from zeros, ftol=0, gtol=1e-11 (< 1e-7);
      3. sklearn newton-cg, tol=1e-14 (< 1e-9);
      4. sklearn lbfgs, tol=1e-14, max_iter=10000 (< SKLEARN_LBFGS_TOL, see below).
    """
    fits = {}
    caught = []
    for solver, tol, max_iter in [("newton-cholesky", 1e-12, 1000), ("lbfgs", 1e-14, 10000),
                                  ("newton-cg", 1e-14, 1000)]:
        with warnings.catch_warnings(record=True) as wl:
            warnings.simplefilter("always")
            m = LogisticRegression(C=C, solver=solver, tol=tol, max_iter=max_iter,
                                   class_weight=class_weight)
            m.fit(X, y, sample_weight=sample_weight)
        caught += [f"{solver}: {w.category.__name__}: {w.message}" for w in wl]
        fits[solver] = np.concatenate([m.intercept_, m.coef_[0]])
        if solver == "newton-cholesky":
            nc = m
        if solver == "lbfgs":
            lbfgs_n_iter = int(m.n_iter_[0])
    ref = fits["newton-cholesky"]

    # effective per-row weights s_i
    s = np.ones(len(y)) if sample_weight is None else np.asarray(sample_weight, float).copy()
    if class_weight == "balanced":
        counts = np.bincount(y)
        s = s * (len(y) / (2.0 * counts[y]))

    grad_max = float(np.max(np.abs(documented_objective(ref, X, y, s, C)[1])))
    assert grad_max < 1e-8, grad_max

    opt = optimize.minimize(documented_objective, np.zeros(X.shape[1] + 1), args=(X, y, s, C),
                            jac=True, method="L-BFGS-B",
                            options={"maxiter": 100000, "maxfun": 100000, "ftol": 0.0,
                                     "gtol": 1e-11, "maxcor": 30})
    scipy_diff = float(np.max(np.abs(opt.x - ref)))
    assert scipy_diff < LBFGS_TOL, (C, class_weight, scipy_diff)

    ncg_diff = float(np.max(np.abs(fits["newton-cg"] - ref)))
    assert ncg_diff < 1e-9, (C, class_weight, ncg_diff)

    lbfgs_diff = float(np.max(np.abs(fits["lbfgs"] - ref)))
    assert lbfgs_diff < SKLEARN_LBFGS_TOL, (C, class_weight, lbfgs_diff)

    out = {
        "C": C,
        "class_weight": class_weight,
        "sample_weight": sample_weight is not None,
        "intercept": float(nc.intercept_[0]),
        "coef": fl(nc.coef_[0]),
        "probabilities": fl(nc.predict_proba(X)[:, 1]),
        "n_iter": int(nc.n_iter_[0]),
        "objective_grad_max_abs": grad_max,
        "check_scipy_lbfgs_documented_objective_max_abs_diff": scipy_diff,
        "check_sklearn_newton_cg_max_abs_diff": ncg_diff,
        "check_sklearn_lbfgs_max_abs_diff": lbfgs_diff,
        "sklearn_lbfgs_n_iter": lbfgs_n_iter,
    }
    if caught:
        out["warnings"] = caught
    return out


def make_penalised():
    rng = np.random.default_rng(20240303)
    n, k = 500, 8
    # 5 correlated Gaussians (AR(1)-like, rho=0.7) with different scales, 2 binaries, 1 count
    rho = 0.7
    idx = np.arange(5)
    corr = rho ** np.abs(idx[:, None] - idx[None, :])
    scales = np.array([1.0, 2.0, 0.5, 3.0, 1.0])
    cov = corr * np.outer(scales, scales)
    G = rng.multivariate_normal(np.array([0.0, 1.0, 0.0, 5.0, -1.0]), cov, size=n, method="cholesky")
    b1 = (rng.random(n) < 0.3).astype(float)
    b2 = (rng.random(n) < 0.5).astype(float)
    cnt = rng.poisson(1.5, n).astype(float)
    X = np.column_stack([np.round(G, 6), b1, b2, cnt])
    names = ["g0", "g1_corr", "g2_corr", "g3_corr_mean5", "g4_corr", "bin_p0_3", "bin_p0_5", "poisson_count"]
    beta = np.array([0.9, -0.4, 0.8, 0.15, 0.3, 0.6, -0.4, 0.2])
    y = (rng.random(n) < sigmoid(-1.6 + X @ beta)).astype(int)
    w = np.round(rng.uniform(0.5, 3.0, n), 3)
    assert k == X.shape[1]

    sample_corr = np.corrcoef(X[:, :5], rowvar=False)
    fits = [fit_penalised(X, y, C) for C in [0.05, 1.0, 10.0]]
    fits.append(fit_penalised(X, y, 1.0, class_weight="balanced"))
    fits.append(fit_penalised(X, y, 1.0, sample_weight=w))
    write("logit_penalised.json", {
        "description": "L2-penalised logistic regression; reference from sklearn "
                       "LogisticRegression(C=C, solver='newton-cholesky', tol=1e-12, max_iter=1000), "
                       + CHECKS_TEXT + " 'w' is used only by the fit with sample_weight=true.",
        "convention": SKLEARN_CONVENTION,
        "seed": 20240303,
        "true_intercept": -1.6,
        "true_coef": fl(beta),
        "base_rate": float(y.mean()),
        "class_counts": np.bincount(y).tolist(),
        "sample_correlation_first5": sample_corr.round(4).tolist(),
        "feature_names": names,
        "X": X.tolist(),
        "y": y.tolist(),
        "w": fl(w),
        "sklearn": fits,
    })
    return fits


def make_collinear():
    rng = np.random.default_rng(20240606)
    n = 200
    f0 = np.round(rng.normal(0.0, 1.0, n), 4)
    f1 = np.round(rng.normal(1.0, 0.5, n), 4)
    f2 = (rng.random(n) < 0.4).astype(float)
    f3 = f0 + 2.0 * f1
    # make feature 3 EXACTLY equal to f0 + 2*f1 in floating point
    assert np.array_equal(f3, f0 + 2.0 * f1)
    X = np.column_stack([f0, f1, f2, f3])
    rank = int(np.linalg.matrix_rank(np.column_stack([np.ones(n), X])))
    assert rank == 4, rank
    y = (rng.random(n) < sigmoid(-0.7 + 0.8 * f0 - 0.6 * f1 + 0.9 * f2)).astype(int)

    fit = fit_penalised(X, y, 1.0)
    # the penalised solution lies in the row space: coef orthogonal to null vector (1, 2, 0, -1)
    null_vec = np.array([1.0, 2.0, 0.0, -1.0])
    write("collinear.json", {
        "description": "Rank-deficient design: feature 3 = feature 0 + 2*feature 1 exactly (in floating point). "
                       "Unpenalised MLE is not identified; the L2-penalised fit (C=1) is unique. Reference from "
                       "sklearn LogisticRegression(C=1.0, solver='newton-cholesky', tol=1e-12, max_iter=1000). "
                       + CHECKS_TEXT + " The penalised coef is orthogonal to the null-space vector "
                       "(1, 2, 0, -1): see coef_dot_null_vector.",
        "convention": SKLEARN_CONVENTION,
        "seed": 20240606,
        "feature_names": ["f0", "f1", "f2_bin", "f3_eq_f0_plus_2f1"],
        "collinear": {"feature": 3, "equals": "X[:,0] + 2*X[:,1]", "null_vector": fl(null_vec)},
        "rank_with_intercept": rank,
        "X": X.tolist(),
        "y": y.tolist(),
        "coef_dot_null_vector": float(np.dot(fit["coef"], null_vec)),
        "sklearn": [fit],
    })
    return fit


# --------------------------------------------------------------------------
# 4. Metrics
# --------------------------------------------------------------------------
def metric_case(name, y, p, **extra):
    y = np.asarray(y, int)
    p = np.asarray(p, float)
    assert np.all((p > 0) & (p < 1))  # so log_loss clipping never matters
    return {
        "name": name,
        **extra,
        "y": y.tolist(),
        "p": fl(p),
        "auc": float(roc_auc_score(y, p)),
        "log_loss": float(log_loss(y, p)),
        "brier": float(brier_score_loss(y, p)),
    }


def decile_table(y, p, groups=10):
    """Decile table with tied probabilities shared pro rata.

    Rows sorted by p descending are split into groups of positions by
    np.array_split (the first len(y) % 10 groups one row larger; group 1 =
    highest scores). Tied rows have no order: each row of a tie group of m
    rows belongs to decile d with weight (rows of the group's positions that
    lie in d) / m, its expected membership when the ties are broken at
    random. The table is the membership matrix M (rows x deciles) applied
    to y and p: positives = M'y, mean_predicted = M'p / count.
    """
    y = np.asarray(y, dtype=float)
    p = np.asarray(p, dtype=float)
    n = len(y)
    order = np.argsort(-p, kind="stable")
    position_decile = np.empty(n, dtype=int)
    for g, part in enumerate(np.array_split(np.arange(n), groups)):
        position_decile[part] = g
    ps = p[order]
    membership = np.zeros((n, groups))
    start = 0
    while start < n:
        end = start
        while end + 1 < n and ps[end + 1] == ps[start]:
            end += 1
        rows = order[start:end + 1]
        share = np.bincount(position_decile[start:end + 1], minlength=groups) / len(rows)
        membership[rows, :] = share
        start = end + 1
    count = np.array([len(part) for part in np.array_split(np.arange(n), groups)], dtype=float)
    positives = membership.T @ y
    mean_predicted = (membership.T @ p) / count
    overall = y.mean()
    total_pos = y.sum()
    rows = []
    cum_count = 0.0
    cum_pos = 0.0
    for g in range(groups):
        cum_count += count[g]
        cum_pos += positives[g]
        rate = positives[g] / count[g]
        rows.append({
            "group": g + 1,
            "count": int(count[g]),
            "positives": float(positives[g]),
            "mean_predicted": float(mean_predicted[g]),
            "observed_rate": float(rate),
            "lift": float(rate / overall),
            "cumulative_count": int(cum_count),
            "cumulative_positives": float(cum_pos),
            "cumulative_gain": float(cum_pos / total_pos),
            "cumulative_lift": float((cum_pos / cum_count) / overall),
        })
    return rows, float(overall)


def make_metrics():
    rng = np.random.default_rng(20240404)
    # (a) n=1000 continuous scores related to y
    n = 1000
    score = rng.normal(0.0, 1.0, n)
    p_a = np.round(sigmoid(-1.0 + 1.3 * score + rng.normal(0.0, 0.7, n)), 6)
    p_a = np.clip(p_a, 1e-6, 1 - 1e-6)
    y_a = (rng.random(n) < sigmoid(-1.0 + 1.3 * score)).astype(int)
    deciles, overall = decile_table(y_a, p_a)
    case_a = metric_case("a_continuous", y_a, p_a)
    case_a["overall_rate"] = overall
    case_a["deciles_method"] = (
        "positions = np.argsort(-p, kind='stable') split by np.array_split(positions, 10) (first len(y)%10 groups "
        "get one extra row; group 1 = highest scores); each row of a tie group of m rows belongs to decile d with "
        "weight (its group's positions in d) / m, so tied probabilities cut by a boundary are shared pro rata; "
        "positives and mean_predicted from that membership matrix (positives may be fractional). "
        "lift = observed_rate/overall_rate; cumulative_gain = cumulative_positives/total_positives; "
        "cumulative_lift = (cumulative_positives/cumulative_count)/overall_rate.")
    case_a["deciles"] = deciles

    # (b) heavy ties: probabilities rounded to 1 decimal, restricted to 0.1..0.9;
    #     n=503 so np.array_split gives unequal groups (first 3 groups get 51 rows)
    n = 503
    score = rng.normal(0.0, 1.0, n)
    y_b = (rng.random(n) < sigmoid(-0.5 + 1.2 * score)).astype(int)
    p_b = np.clip(np.round(sigmoid(-0.5 + 1.2 * score + rng.normal(0, 0.5, n)), 1), 0.1, 0.9)
    case_b = metric_case("b_heavy_ties", y_b, p_b, distinct_p=int(len(np.unique(p_b))))
    deciles_b, overall_b = decile_table(y_b, p_b)
    case_b["overall_rate"] = overall_b
    case_b["deciles"] = deciles_b

    # (c) tiny hand case with a cross-class tie at 0.6
    y_c = [0, 1, 0, 1, 1, 0]
    p_c = [0.2, 0.6, 0.6, 0.9, 0.3, 0.1]
    case_c = metric_case("c_hand", y_c, p_c,
                         hand_auc="positives {0.6,0.9,0.3} vs negatives {0.2,0.6,0.1}: "
                                  "2.5 + 3 + 2 = 7.5 of 9 pairs (tie counts 1/2) = 0.8333...")
    assert abs(case_c["auc"] - 7.5 / 9) < 1e-15

    write("metrics.json", {
        "description": "Classification metrics from sklearn.metrics: roc_auc_score(y, p), "
                       "log_loss(y, p) (mean natural-log loss; all p strictly inside (0,1) so no clipping), "
                       "brier_score_loss(y, p) (mean squared error). Decile tables computed with numpy "
                       "(see deciles_method in case a; case b uses the same method and is tie-heavy, so its "
                       "group boundaries cut tie groups, whose conversions are shared pro rata).",
        "cases": [case_a, case_b, case_c],
    })


# --------------------------------------------------------------------------
# 5. Separation
# --------------------------------------------------------------------------
def make_separation():
    rng = np.random.default_rng(20240505)
    n = 60
    x0 = np.round(rng.normal(0.0, 1.0, n), 4)
    sep = (rng.random(n) < 0.25).astype(float)
    x2 = np.round(rng.normal(2.0, 1.0, n), 4)
    y = np.where(sep == 1, 1, (rng.random(n) < sigmoid(-0.8 + 0.7 * x0)).astype(int))
    X = np.column_stack([x0, sep, x2])
    # quasi-complete: sep==1 => y==1, but y==1 also occurs with sep==0
    assert np.all(y[sep == 1] == 1) and np.any((sep == 0) & (y == 1)) and np.any(y == 0)

    def statsmodels_reaction(**fit_kwargs):
        reaction = {"fit_kwargs": {k: v for k, v in fit_kwargs.items()}, "exception": None}
        with warnings.catch_warnings(record=True) as wl:
            warnings.simplefilter("always")
            try:
                res = sm.Logit(y, sm.add_constant(X)).fit(**fit_kwargs)
                reaction["converged"] = bool(res.mle_retvals["converged"])
                reaction["iterations"] = int(res.mle_retvals["iterations"])
                reaction["final_params"] = fl(res.params)
                reaction["final_llf"] = float(res.llf)
            except Exception as e:  # noqa: BLE001 - record whatever statsmodels does
                reaction["exception"] = f"{type(e).__name__}: {e}"
        reaction["warnings"] = [f"{w.category.__name__}: {w.message}" for w in wl]
        return reaction

    reaction = statsmodels_reaction(method="newton", tol=1e-14, maxiter=100, disp=0)
    reaction_default = statsmodels_reaction(disp=0)

    write("separation.json", {
        "description": "Quasi-complete separation: feature 1 (binary) == 1 implies y == 1, while y == 1 also "
                       "occurs with feature 1 == 0. The unpenalised MLE does not exist (coef of feature 1 -> +inf). "
                       "statsmodels_reaction records what sm.Logit(y, add_constant(X)).fit(method='newton', "
                       "tol=1e-14, maxiter=100, disp=0) did (warnings / exception / last iterate), and "
                       "statsmodels_reaction_default_fit the same for .fit(disp=0) (newton, maxiter=35). statsmodels "
                       "only raises/warns PerfectSeparation for *complete* separation, so here it just fails to "
                       "converge while the separating coef diverges. The Swift fitter "
                       "should detect this rather than match those numbers.",
        "seed": 20240505,
        "feature_names": ["x0", "separating_binary", "x2"],
        "separating_feature": 1,
        "separation_type": "quasi-complete",
        "X": X.tolist(),
        "y": y.tolist(),
        "statsmodels_reaction": reaction,
        "statsmodels_reaction_default_fit": reaction_default,
    })


MAKERS = {
    "unpenalised": lambda: make_unpenalised(),
    "weighted": lambda: make_weighted(),
    "penalised": lambda: make_penalised(),
    "metrics": lambda: make_metrics(),
    "separation": lambda: make_separation(),
    "collinear": lambda: make_collinear(),
}


def main():
    """With arguments, only the named fixtures (e.g. `metrics`) are made."""
    np.seterr(all="warn")
    print("generator:", json.dumps(GENERATOR))
    names = sys.argv[1:] or list(MAKERS)
    for name in names:
        MAKERS[name]()


if __name__ == "__main__":
    sys.exit(main())
