#!/usr/bin/env python3
"""Reference values for natural cubic splines (`train --spline`,
`NaturalSpline`).

Run from the repository root:

    python3 Tests/LeadScoreTests/Fixtures/make_spline_fixtures.py

Writes spline.json and spline_fit.csv next to this script. Deterministic
(numpy default_rng with a fixed seed per case); two runs give byte-identical
output. Python is NOT a runtime dependency of LeadScore (patsy is needed
here only: pip install patsy).

Independence from the Swift code:
- knots: numpy.quantile (default method "linear") on the values, with the
  rule of `NaturalSpline.knots` written again here;
- basis: Harrell's restricted cubic spline formula (Hmisc rcspline.eval,
  norm = 2) in numpy, np.maximum(u, 0) ** 3;
- fit: statsmodels Logit (Newton, tol 1e-14) on patsy's natural cubic
  regression spline cr(x, knots = inner knots, lower_bound = t1,
  upper_bound = tK, constraints = "center") plus a constant: a different
  basis of the same space (natural cubic splines with those knots), so the
  fitted probabilities, and the fitted curve relative to its value at the
  median with its Wald standard error, equal those of an unpenalised fit on
  Harrell's basis. The script checks that (Logit on Harrell's basis, 1e-9).
  The values of x are clipped to [0, 10] with a mass at each end, so that
  the outer knots (the 5% and 95% quantiles) are the smallest and largest
  values and every value lies within them, as patsy's cr requires.
"""

import json
import platform
from pathlib import Path

import numpy as np
import pandas as pd
import patsy
import statsmodels
import statsmodels.api as sm

HERE = Path(__file__).resolve().parent
GENERATOR = {
    "script": "Tests/LeadScoreTests/Fixtures/make_spline_fixtures.py",
    "python": platform.python_version(),
    "numpy": np.__version__,
    "pandas": pd.__version__,
    "statsmodels": statsmodels.__version__,
    "patsy": patsy.__version__,
}


def probabilities(k):
    """Harrell's knot quantiles (rcspline.eval): k equally spaced from outer to 1 - outer."""
    outer = 0.10 if k == 3 else 0.025 if k == 7 else 0.05
    return list(np.linspace(outer, 1 - outer, k))


def increasing(t):
    return all(a < b for a, b in zip(t, t[1:]))


def knots(x, k):
    """The rule of NaturalSpline.knots: Harrell's quantiles; a repeated
    value at the minimum (maximum) kept as the first (last) knot with
    Harrell's k-1 quantiles of the values above (below) it; else one knot
    fewer, down to 3; None with fewer than 2k distinct values."""
    x = np.sort(np.asarray(x, dtype=float))
    if len(np.unique(x)) < 2 * k:
        return None
    while k >= 3:
        t = list(np.quantile(x, probabilities(k)))
        if increasing(t):
            return t
        m = min(a for a, b in zip(t, t[1:]) if a == b)
        if k > 3:
            if m == x[0]:
                t = [m] + list(np.quantile(x[x > m], probabilities(k - 1)))
                if increasing(t):
                    return t
            elif m == x[-1]:
                t = list(np.quantile(x[x < m], probabilities(k - 1))) + [m]
                if increasing(t):
                    return t
        k -= 1
    return None


def harrell(x, t):
    """C_1 ... C_{K-2} of Harrell's restricted cubic spline (norm = 2)."""
    x = np.asarray(x, dtype=float)
    t = np.asarray(t, dtype=float)
    k = len(t)
    out = []
    for j in range(k - 2):
        c = (np.maximum(x - t[j], 0) ** 3
             - np.maximum(x - t[k - 2], 0) ** 3 * (t[k - 1] - t[j]) / (t[k - 1] - t[k - 2])
             + np.maximum(x - t[k - 1], 0) ** 3 * (t[k - 2] - t[j]) / (t[k - 1] - t[k - 2])) / (t[k - 1] - t[0]) ** 2
        out.append(c)
    return np.column_stack(out)


def knot_cases():
    rng = np.random.default_rng(2031)
    continuous = np.round(rng.normal(50, 15, 400), 2)
    mass_min = np.concatenate([np.zeros(160), np.round(rng.lognormal(3, 1, 240), 1)])
    mass_max = np.round(100 - mass_min, 1)
    few = np.repeat(np.arange(9.0), 20)
    interior = np.concatenate([np.full(300, 5.0), np.round(rng.uniform(0, 10, 200), 2)])
    cases = []
    for k in range(3, 8):
        cases.append({"name": f"continuous, {k} knots", "values": continuous.tolist(), "k": k, "knots": knots(continuous, k)})
    for name, x in [("mass at the minimum", mass_min), ("mass at the maximum", mass_max), ("9 distinct values", few),
                    ("mass inside the range", interior)]:
        cases.append({"name": name, "values": x.tolist(), "k": 5, "knots": knots(x, 5)})
    # The rule's branches are all exercised.
    plain = list(np.quantile(np.sort(mass_min), probabilities(5)))
    assert not increasing(plain) and cases[5]["knots"][0] == 0.0
    assert cases[6]["knots"][-1] == 100.0
    assert cases[7]["knots"] is None
    assert len(cases[8]["knots"]) == 3
    return cases


def basis_case():
    t = knot_cases()[2]["knots"]
    x = [-10.0, 0.0, t[0] - 1, t[0], t[0] + 0.5, 40.0, t[1], 50.0, t[2], 55.5, t[3], 70.0, t[4], t[4] + 3, 120.0, 1000.0]
    return {"knots": t, "x": x, "basis": harrell(x, t).tolist()}


def fit_case():
    rng = np.random.default_rng(2032)
    n = 800
    x = np.round(np.clip(rng.normal(5, 4, n), 0, 10), 4)
    truth = -0.6 + 1.4 * np.sin(x / 2.2) - 0.08 * (x - 5) ** 2
    y = (rng.uniform(size=n) < 1 / (1 + np.exp(-truth))).astype(int)
    t = knots(x, 5)
    assert t[0] == x.min() and t[-1] == x.max()

    # Harrell's basis, unpenalised.
    H = np.column_stack([np.ones(n), x, harrell(x, t)])
    rh = sm.Logit(y, H).fit(method="newton", tol=1e-14, maxiter=100, disp=0)
    assert rh.mle_retvals["converged"]

    # patsy's natural cubic regression spline with the same knots.
    formula = (f"cr(x, knots=[{', '.join(repr(float(v)) for v in t[1:-1])}], lower_bound={float(t[0])!r}, "
               f"upper_bound={float(t[-1])!r}, constraints='center') - 1")
    B = patsy.dmatrix(formula, {"x": x})
    design = B.design_info
    P = np.column_stack([np.ones(n), np.asarray(B)])
    rp = sm.Logit(y, P).fit(method="newton", tol=1e-14, maxiter=100, disp=0)
    assert rp.mle_retvals["converged"]
    p_cr = rp.predict(P)
    assert np.max(np.abs(p_cr - rh.predict(H))) < 1e-9

    # The curve relative to the median, with its standard error, at the
    # training quantiles 0, 0.1, ..., 1.
    median = float(np.median(x))
    at = np.quantile(x, np.linspace(0, 1, 11))

    def basis(v):
        return np.asarray(patsy.build_design_matrices([design], {"x": np.asarray(v, dtype=float)})[0])

    g = basis(at) - basis([median])
    beta = rp.params[1:]
    cov = rp.cov_params()[1:, 1:]
    curve = g @ beta
    se = np.sqrt(np.einsum("ij,jk,ik->i", g, cov, g))
    # The same from Harrell's basis.
    gh = np.column_stack([at - median, harrell(at, t) - harrell([median], t)])
    assert np.max(np.abs(gh @ rh.params[1:] - curve)) < 1e-8
    assert np.max(np.abs(np.sqrt(np.einsum("ij,jk,ik->i", gh, rh.cov_params()[1:, 1:], gh)) - se)) < 1e-8

    frame = pd.DataFrame({"Deal ID": [f"D{i:04d}" for i in range(n)], "Score": x, "Won": np.where(y == 1, "Yes", "No")})
    frame.to_csv(HERE / "spline_fit.csv", index=False, float_format=None)
    return {
        "file": "spline_fit.csv", "knots": t, "median": median, "probabilities": p_cr.tolist(),
        "quantiles": at.tolist(), "curve": curve.tolist(), "curveSE": se.tolist(),
        "llf": float(rp.llf),
    }


def main():
    out = {"generator": GENERATOR, "knots": knot_cases(), "basis": basis_case(), "fit": fit_case()}
    (HERE / "spline.json").write_text(json.dumps(out, indent=1) + "\n")


if __name__ == "__main__":
    main()
