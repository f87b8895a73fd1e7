#!/usr/bin/env python3
"""Reference values for recalibration (`leadscore recalibrate`) and for the
prior correction of the intercept (`train --class-weight balanced`,
`--population-rate`).

Run from the repository root:

    python3 Tests/LeadScoreTests/Fixtures/make_recalibration_fixtures.py

Writes recalibration.json, prior_correction.csv and
prior_correction_sample.csv next to this script. Deterministic (numpy
default_rng with a fixed seed per case); two runs give byte-identical
output. Python is NOT a runtime dependency of LeadScore.

Independence from the Swift code: the intercept-only and Platt (intercept
and slope) maps are statsmodels Logit fits (Newton, tol 1e-14), the
isotonic map is scikit-learn's IsotonicRegression, the prior-corrected
intercepts come from scikit-learn's LogisticRegression(class_weight=
"balanced") and statsmodels' Logit on the raw (unstandardised) columns.
"""

import json
import platform
from pathlib import Path

import numpy as np
import pandas as pd
import scipy
import sklearn
import statsmodels
import statsmodels.api as sm
from scipy import stats
from sklearn.isotonic import IsotonicRegression
from sklearn.linear_model import LogisticRegression
from statsmodels.stats.proportion import proportion_confint

HERE = Path(__file__).resolve().parent
GENERATOR = {
    "script": "Tests/LeadScoreTests/Fixtures/make_recalibration_fixtures.py",
    "python": platform.python_version(),
    "numpy": np.__version__,
    "scipy": scipy.__version__,
    "pandas": pd.__version__,
    "sklearn": sklearn.__version__,
    "statsmodels": statsmodels.__version__,
}
Z95 = float(stats.norm.ppf(0.975))


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def logit_fit(y, X, offset=None):
    r = sm.Logit(y, X, offset=offset).fit(method="newton", tol=1e-14, maxiter=100, disp=0)
    assert r.mle_retvals["converged"]
    return r


def recalibration_case():
    """Log-odds of a model that is too extreme and predicts too many wins:
    the truth is sigmoid(0.4 + 0.7 * eta)."""
    rng = np.random.default_rng(20261210)
    n = 800
    eta = np.round(rng.normal(-1.2, 1.3, n), 6)
    y = (rng.uniform(size=n) < sigmoid(0.4 + 0.7 * eta)).astype(float)
    ones = np.ones((n, 1))
    intercept = logit_fit(y, ones, offset=eta)
    platt = logit_fit(y, np.column_stack([ones, eta]))
    floor = 1 / (2 * n)
    iso = IsotonicRegression(out_of_bounds="clip", y_min=floor, y_max=1 - floor).fit(eta, y)
    query = np.round(np.concatenate([np.linspace(eta.min() - 1, eta.max() + 1, 61), eta[:40]]), 6)

    # The figures of the model's own probabilities p = sigmoid(eta).
    p = sigmoid(eta)
    logit_p = np.log(p / (1 - p))
    offset_fit = logit_fit(y, ones, offset=logit_p)
    slope_fit = logit_fit(y, np.column_stack([ones, logit_p]))
    lo, hi = proportion_confint(int(y.sum()), n, alpha=0.05, method="wilson")
    return {
        "eta": eta.tolist(),
        "y": y.tolist(),
        "intercept": {"a": float(intercept.params[0]), "se": float(intercept.bse[0])},
        "platt": {"a": float(platt.params[0]), "b": float(platt.params[1]), "se": platt.bse.tolist()},
        "isotonic": {
            "floor": floor,
            "query": query.tolist(),
            "predictions": iso.predict(query).tolist(),
            "thresholds": iso.X_thresholds_.tolist(),
            "values": iso.y_thresholds_.tolist(),
        },
        "figures": {
            "meanPredicted": float(p.mean()),
            "observedRate": float(y.mean()),
            "calibrationInTheLarge": float(y.mean() - p.mean()),
            "citlLower": float(lo - p.mean()),
            "citlUpper": float(hi - p.mean()),
            "calibrationIntercept": float(offset_fit.params[0]),
            "calibrationInterceptCI": offset_fit.conf_int(alpha=0.05)[0].tolist(),
            "calibrationSlope": float(slope_fit.params[1]),
            "calibrationSlopeCI": slope_fit.conf_int(alpha=0.05)[1].tolist(),
            "brier": float(np.mean((p - y) ** 2)),
            "logLoss": float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))),
        },
    }


def prior_correction_case():
    """Deals from a correctly specified logistic model with a 16% base
    rate; a sample of them that keeps every won deal and a third of the
    lost ones."""
    rng = np.random.default_rng(20261211)
    n = 3000
    visits = np.round(rng.gamma(2.0, 1.5, n), 4)
    tenure = np.round(rng.normal(5.0, 2.0, n), 4)
    score = np.round(rng.normal(0.0, 1.0, n), 4)
    demo = rng.uniform(size=n) < 0.3
    eta = -3.0 + 0.35 * visits - 0.15 * tenure + 0.6 * score + 1.1 * demo
    won = rng.uniform(size=n) < sigmoid(eta)
    frame = pd.DataFrame(
        {
            "Deal ID": [f"P-{i + 1:05d}" for i in range(n)],
            "Visits": visits,
            "Tenure": tenure,
            "Score": score,
            "Demo": np.where(demo, "true", "false"),
            "Won": np.where(won, "Yes", "No"),
        }
    )
    keep = won | (rng.uniform(size=n) < 1 / 3)
    sample = frame[keep].reset_index(drop=True)
    frame.to_csv(HERE / "prior_correction.csv", index=False, float_format="%.4f", lineterminator="\n")
    sample.to_csv(HERE / "prior_correction_sample.csv", index=False, float_format="%.4f", lineterminator="\n")

    def design(f):
        return np.column_stack([f["Visits"], f["Tenure"], f["Score"], (f["Demo"] == "true").astype(float)])

    def labels(f):
        return (f["Won"] == "Yes").astype(float).to_numpy()

    X, y = design(frame), labels(frame)
    Xs, ys = design(sample), labels(sample)
    tau = float(y.mean())
    # Balanced class weights, unpenalised, on all deals.
    balanced = LogisticRegression(C=np.inf, class_weight="balanced", solver="newton-cholesky", tol=1e-12, max_iter=200).fit(X, y)
    # The unweighted fit on all deals: what the corrected models estimate.
    full = logit_fit(y, sm.add_constant(X))
    # The unweighted fit on the sample with fewer lost deals.
    sampled = logit_fit(ys, sm.add_constant(Xs))
    ybar = float(ys.mean())
    return {
        "rows": n,
        "won": int(y.sum()),
        "populationRate": tau,
        "balanced": {
            "intercept": float(balanced.intercept_[0]),
            "coef": balanced.coef_[0].tolist(),
            "correctedIntercept": float(balanced.intercept_[0] - np.log(((1 - tau) / tau) * (0.5 / 0.5))),
        },
        "unweighted": {"intercept": float(full.params[0]), "coef": full.params[1:].tolist(), "se": full.bse.tolist()},
        "sample": {
            "rows": int(len(ys)),
            "won": int(ys.sum()),
            "sampleRate": ybar,
            "intercept": float(sampled.params[0]),
            "coef": sampled.params[1:].tolist(),
            "se": sampled.bse.tolist(),
            "correctedIntercept": float(sampled.params[0] - np.log(((1 - tau) / tau) * (ybar / (1 - ybar)))),
        },
    }


def main():
    out = {
        "generator": GENERATOR,
        "recalibration": recalibration_case(),
        "priorCorrection": prior_correction_case(),
    }
    (HERE / "recalibration.json").write_text(json.dumps(out, indent=1) + "\n")


if __name__ == "__main__":
    main()
