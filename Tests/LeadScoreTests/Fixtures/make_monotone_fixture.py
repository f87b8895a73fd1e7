"""Reference values for monotone columns (NaturalSpline.monotone, the ramp
basis and the bounded fit), in monotone.json.

Data: Leads.csv (the shared CRM export, beside the repository; not
committed), outcome Converted, two columns: TotalVisits (increasing) and
Page Views Per Visit (decreasing), each with 137 missing values.

Encoding, written here from the definitions (not from LeadScore's code):
impute the median of the present values (numpy's), knots t_1 < ... < t_5 =
numpy's default quantiles of the present values at Harrell's
probabilities 0.05, 0.275, 0.5, 0.725, 0.95 (distinct for both columns,
asserted), ramps r_j(x) = min(max(x - t_j, 0), t_{j+1} - t_j), j = 1..4,
each standardised with its mean and population SD over all rows, then a
0/1 missing indicator (not standardised).

Fit: Σ ℓ_i + λ/2 ‖β‖², λ = 1 (LeadScore's default L2), intercept free,
with β_j ≥ 0 on TotalVisits' ramps and β_j ≤ 0 on Page Views Per Visit's
(the indicators free), by scipy.optimize.minimize(method="L-BFGS-B") on
the exact objective and gradient (on objective/n, ftol 1e-16, gtol 1e-14, restarted from its result
until it stops moving), asserting a projected gradient below 1e-7.

Run from the repository root: python3 Tests/LeadScoreTests/Fixtures/make_monotone_fixture.py
"""
import json
import os
import platform

import numpy as np
import pandas as pd
import scipy
from scipy.optimize import minimize

HERE = os.path.dirname(os.path.abspath(__file__))
LEADS = os.path.join(HERE, "../../../../shared/datasets/leads-x-education/Leads.csv")
if not os.path.exists(LEADS):
    LEADS = "/work/shared/datasets/leads-x-education/Leads.csv"
PROBS = [0.05, 0.275, 0.5, 0.725, 0.95]
COLUMNS = [("TotalVisits", 1.0), ("Page Views Per Visit", -1.0)]
LAMBDA = 1.0

df = pd.read_csv(LEADS)
y = df["Converted"].to_numpy(dtype=float)
blocks, signs, out_cols = [], [], []
for name, sign in COLUMNS:
    v = df[name].to_numpy(dtype=float)
    missing = np.isnan(v)
    present = v[~missing]
    median = float(np.median(present))
    t = np.quantile(present, PROBS)
    assert np.all(np.diff(t) > 0), (name, t)
    x = np.where(missing, median, v)
    ramps = np.stack([np.minimum(np.maximum(x - t[j], 0.0), t[j + 1] - t[j]) for j in range(4)], axis=1)
    means = ramps.mean(axis=0)
    sds = ramps.std(axis=0)  # population SD
    blocks.append((ramps - means) / sds)
    blocks.append(missing.astype(float)[:, None])
    signs += [sign] * 4 + [0.0]
    out_cols.append({"column": name, "median": median, "knots": t.tolist(), "means": means.tolist(), "standardDeviations": sds.tolist()})
X = np.hstack(blocks)
n, p = X.shape


def objective(theta):
    beta, b = theta[:p], theta[p]
    eta = X @ beta + b
    # log(1 + e^eta) - y eta, sign-branched for stability
    loss = np.sum(np.where(eta > 0, eta + np.log1p(np.exp(-eta)), np.log1p(np.exp(eta))) - y * eta)
    mu = 1 / (1 + np.exp(-eta))
    r = mu - y
    g = np.concatenate([X.T @ r + LAMBDA * beta, [r.sum()]])
    return loss + LAMBDA / 2 * beta @ beta, g


bounds = [(0, None) if s > 0 else (None, 0) if s < 0 else (None, None) for s in signs] + [(None, None)]
# Minimised as objective / n (the same minimiser), so that the stopping
# tests on f and the projected gradient are not relative to a sum over
# 9,240 rows; restarted from its own result until it no longer moves.
def scaled(theta):
    f, g = objective(theta)
    return f / n, g / n


theta = np.zeros(p + 1)
for _ in range(20):
    res = minimize(scaled, theta, jac=True, method="L-BFGS-B", bounds=bounds,
                   options={"ftol": 1e-16, "gtol": 1e-14, "maxiter": 100000, "maxfun": 100000, "maxcor": 30})
    moved = np.max(np.abs(res.x - theta))
    theta = res.x
    if moved < 1e-13:
        break
_, g = objective(theta)
# Projected gradient: 0 at the optimum.
pg = [gj if (lo is None or theta[j] > lo) and (hi is None or theta[j] < hi) else
      (min(gj, 0) if lo is not None and theta[j] <= lo else max(gj, 0)) for j, (gj, (lo, hi)) in enumerate(zip(g, bounds))]
assert max(abs(v) for v in pg) < 1e-7, pg
out = {
    "generator": {"python": platform.python_version(), "numpy": np.__version__, "scipy": scipy.__version__, "pandas": pd.__version__},
    "lambda": LAMBDA,
    "columns": out_cols,
    "coefficients": theta[:p].tolist(),
    "intercept": float(theta[p]),
    "projectedGradientMax": float(max(abs(v) for v in pg)),
}
with open(os.path.join(HERE, "monotone.json"), "w") as f:
    json.dump(out, f, indent=1)
    f.write("\n")
print(res.message, res.nit, out["coefficients"], out["intercept"], out["projectedGradientMax"])
