"""Reference values for the L1, elastic-net and bounded fits
(LogisticRegression+CoordinateDescent.swift) and the cross-validated
penalty path (PenaltyPath), in penalty.json.

Design: 400 rows of datasets/b2b-deals.csv (numpy seed 20261207, without
replacement), 10 columns: the five counts (Pricing Page Visits, Email
Clicks, Webinars Attended, Website Sessions, Days Since Last Activity),
Demo Requested = Yes, Is Student = TRUE, Competitor = Y, Job Level =
Director, Email Domain Type = Business; each standardised (population SD)
and rounded to 6 decimals before fitting, so the doubles in `x` are those
the references saw. y: Stage = Closed Won. w: sample weights U(0.5, 2)
rounded to 3 decimals.

The objective (LeadScore's, scikit-learn's with C = 1/λ):
    Σ s_i ℓ_i + λ [ (1−α)/2 ‖β‖² + α ‖β‖₁ ],  intercept unpenalised.
Each case is fitted twice, independently:
  - scikit-learn LogisticRegression(penalty="elasticnet", solver="saga",
    C=1/λ, l1_ratio=α, tol=1e-15, max_iter=10**6), sample_weight / class_weight;
  - glum GeneralizedLinearRegressor(family="binomial", alpha=λ/Σs, l1_ratio=α,
    gradient_tol=1e-14, max_iter=10**4), sample_weight = s (its loss is
    divided by Σs, hence alpha = λ/Σs);
the script asserts the two agree to 1e-8 and records glum's (the tighter).
`bounded`: the L2 fit (λ = 1) with β_j ≥ 0 for every j, by
scipy.optimize.minimize(method="L-BFGS-B") on the exact objective and
gradient (ftol 1e-15, gtol 1e-12), checked against glum's bounded fit
(lower_bounds) to 1e-7.
`cv`: 5 stratified folds (`folds`, fold ids from scikit-learn's
StratifiedKFold(5, shuffle=True, random_state=7)), the λ path
λ_max · 10^(−3k/29), k = 0..29 at α = 1 with λ_max computed on all 400
rows, each fold fitted with glum at each λ; `cvDeviance` is the sum over
folds of the held-out deviance Σ ℓ_i (weights 1), per λ.

Run from the repository root: python3 Tests/LeadScoreTests/Fixtures/make_penalty_fixture.py
(deterministic up to the last bits of the solvers).
"""
import json
import os

import glum
import numpy as np
import pandas as pd
import scipy
import sklearn
from glum import GeneralizedLinearRegressor
from scipy.optimize import minimize
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold

HERE = os.path.dirname(os.path.abspath(__file__))
deals = pd.read_csv(os.path.join(HERE, "../../../datasets/b2b-deals.csv"))
rng = np.random.default_rng(20261207)
rows = np.sort(rng.choice(len(deals), size=400, replace=False))
d = deals.iloc[rows].reset_index(drop=True)
cols = {
    "Pricing Page Visits": d["Pricing Page Visits"].astype(float),
    "Email Clicks": d["Email Clicks"].astype(float),
    "Webinars Attended": d["Webinars Attended"].astype(float),
    "Website Sessions": d["Website Sessions"].astype(float),
    "Days Since Last Activity": d["Days Since Last Activity"].astype(float),
    "Demo Requested": (d["Demo Requested"] == "Yes").astype(float),
    "Is Student": (d["Is Student"].astype(str).str.upper() == "TRUE").astype(float),
    "Competitor": (d["Competitor"] == "Y").astype(float),
    "Director": (d["Job Level"] == "Director").astype(float),
    "Business Email": (d["Email Domain Type"] == "Business").astype(float),
}
X = np.column_stack([c.fillna(c.mean()).to_numpy() for c in cols.values()])
X = ((X - X.mean(0)) / X.std(0)).round(6)
y = (d["Stage"] == "Closed Won").astype(float).to_numpy()
w = rng.uniform(0.5, 2, size=len(y)).round(3)
n, p = X.shape


def balanced(y):
    pos = y.sum()
    return np.where(y > 0.5, n / (2 * pos), n / (2 * (n - pos)))


def glum_fit(lam, alpha, s, lower=None):
    m = GeneralizedLinearRegressor(
        family="binomial", alpha=lam / s.sum(), l1_ratio=alpha, fit_intercept=True,
        gradient_tol=1e-14, max_iter=10**4, lower_bounds=lower, solver="irls-cd" if lower is None else "irls-cd")
    m.fit(X, y, sample_weight=s)
    return np.append(m.coef_, m.intercept_)


def sk_fit(lam, alpha, weights, class_weight):
    m = LogisticRegression(penalty="elasticnet", solver="saga", C=1 / lam, l1_ratio=alpha, tol=1e-15, max_iter=10**6,
                           class_weight=class_weight)
    m.fit(X, y, sample_weight=weights)
    return np.append(m.coef_[0], m.intercept_[0])


cases = []
for name, lam, alpha, weighted, cw in [
    ("lasso", 8.0, 1.0, False, None),
    ("elasticNet", 5.0, 0.5, False, None),
    ("weightedElasticNet", 6.0, 0.7, True, None),
    ("balancedLasso", 10.0, 1.0, False, "balanced"),
]:
    s = (w if weighted else np.ones(n)) * (balanced(y) if cw else 1)
    ref = glum_fit(lam, alpha, s)
    sk = sk_fit(lam, alpha, w if weighted else None, cw)
    gap = np.abs(ref - sk).max()
    assert gap < 1e-8, (name, gap)
    cases.append({"name": name, "lambda": lam, "l1Ratio": alpha, "weighted": weighted, "balanced": cw is not None,
                  "coefficients": ref[:p].tolist(), "intercept": float(ref[p]), "sklearnGap": float(gap),
                  "zeros": int((ref[:p] == 0).sum())})


def objective(theta, lam, s):
    eta = X @ theta[:p] + theta[p]
    loss = np.sum(s * (np.logaddexp(0, eta) - y * eta)) + lam / 2 * theta[:p] @ theta[:p]
    r = s * (1 / (1 + np.exp(-eta)) - y)
    grad = np.append(X.T @ r + lam * theta[:p], r.sum())
    return loss, grad


res = minimize(objective, np.zeros(p + 1), args=(1.0, np.ones(n)), jac=True, method="L-BFGS-B",
               bounds=[(0, None)] * p + [(None, None)], options={"ftol": 1e-15, "gtol": 1e-12, "maxiter": 10**5})
bounded_glum = glum_fit(1.0, 0.0, np.ones(n), lower=np.zeros(p))
assert np.abs(res.x - bounded_glum).max() < 1e-7, np.abs(res.x - bounded_glum).max()

folds = np.zeros(n, dtype=int)
for k, (_, test) in enumerate(StratifiedKFold(5, shuffle=True, random_state=7).split(X, y)):
    folds[test] = k
ybar = y.mean()
lam_max = np.abs(X.T @ (y - ybar)).max()
path = lam_max * 10 ** (-3 * np.arange(30) / 29)
cv = np.zeros(len(path))
for k in range(5):
    fit_rows, test_rows = folds != k, folds == k
    for i, lam in enumerate(path):
        m = GeneralizedLinearRegressor(family="binomial", alpha=lam / fit_rows.sum(), l1_ratio=1.0, gradient_tol=1e-12, max_iter=10**4)
        m.fit(X[fit_rows], y[fit_rows])
        eta = X[test_rows] @ m.coef_ + m.intercept_
        cv[i] += np.sum(np.logaddexp(0, eta) - y[test_rows] * eta)

out = {
    "generator": {"numpy": np.__version__, "scipy": scipy.__version__, "scikit-learn": sklearn.__version__, "glum": glum.__version__},
    "names": list(cols), "x": X.tolist(), "y": y.tolist(), "w": w.tolist(), "cases": cases,
    "bounded": {"lambda": 1.0, "lowerBound": 0.0, "coefficients": res.x[:p].tolist(), "intercept": float(res.x[p]),
                "glumGap": float(np.abs(res.x - bounded_glum).max())},
    "cv": {"folds": folds.tolist(), "lambdaMax": float(lam_max), "lambdas": path.tolist(), "cvDeviance": cv.tolist(),
           "best": int(np.argmin(cv))},
}
with open(os.path.join(HERE, "penalty.json"), "w") as f:
    json.dump(out, f, indent=1, sort_keys=True)
    f.write("\n")
print({c["name"]: (c["zeros"], c["sklearnGap"]) for c in cases}, out["bounded"]["glumGap"], out["cv"]["best"])
