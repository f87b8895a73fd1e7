"""Reference values for the solver's offsets (LogisticRegression.fit(offsets:)).

300 rows, 3 columns x ~ N(0, 1), an offset o ~ N(0, 0.8²) not in the span of
x, outcomes y ~ Bernoulli(σ(0.3 + x·[0.8, −0.5, 0.2] + o)); numpy seed 20261207.
`statsmodels` Logit(y, [x, 1], offset=o), unpenalised, Newton with tol 1e-14.
Run: python3 make_offset_fixture.py (deterministic: the same bytes every run).
"""
import json
import numpy as np
import statsmodels.api as sm

rng = np.random.default_rng(20261207)
n = 300
x = rng.normal(size=(n, 3)).round(6)
o = (0.8 * rng.normal(size=n)).round(6)
eta = 0.3 + x @ np.array([0.8, -0.5, 0.2]) + o
y = (rng.uniform(size=n) < 1 / (1 + np.exp(-eta))).astype(float)
fit = sm.Logit(y, np.column_stack([x, np.ones(n)]), offset=o).fit(method="newton", tol=1e-14, maxiter=100, disp=0)
out = {
    "x": x.tolist(), "offset": o.tolist(), "y": y.tolist(),
    "coefficients": fit.params[:3].tolist(), "intercept": float(fit.params[3]),
    "standardErrors": fit.bse.tolist(), "logLikelihood": float(fit.llf),
}
with open("offset.json", "w") as f:
    json.dump(out, f, indent=1, sort_keys=True)
    f.write("\n")
