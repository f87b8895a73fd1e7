#!/usr/bin/env python3
"""Reference values for pair terms (PairEncoderTests, InteractionScreenTests).

Run from the repository root:

    python3 Tests/LeadScoreTests/Fixtures/make_pairs_fixture.py

Writes pairs.csv (1,500 deals) and pairs.json next to this script.
Deterministic (numpy default_rng(20261207)).

The CSV has a categorical "Source" with 7 levels (the rarest, "Trade
show", about 45 deals, so that some of its cells in a pair are rare), a categorical "Region"
with 3, a numeric "Visits" (small counts with ties, 5% missing), a boolean
"Demo" (Yes/No) and the outcome "Won" (Yes/No), with a planted Source x
Visits interaction.

The design of the model `train --l2 0 --interaction Visits*Source` is built
here in pandas, independently of LeadScore, following the documented
encoding:
  - Visits: median-imputed, standardised with the mean and population SD
    (ddof=0) of the imputed values, then a 0/1 missing indicator;
  - categories: one-hot, the most frequent level the reference (ties by
    name), levels in order of frequency (ties by name);
  - Demo: 1 for Yes;
  - the pair Visits x Source: Visits cut at its quartiles
    (numpy quantile method "inverted_cdf", distinct edges below the maximum),
    x <= edge; a missing Visits in the bin of the median; Source cells: the
    reference level cell 0, every other level (in the one-hot order) cells
    1, 2, ...; one indicator per cell (i >= 1, j >= 1) with at least 10
    training rows, row-major: a cell with fewer rows (counted by
    pandas.crosstab) has none.
statsmodels Logit (Newton, tol 1e-14) fits it; its coefficients and fitted
probabilities are the reference.

The screen statistic: for the main-effects model (no pair, l2 = 0, fitted by
statsmodels GLM Binomial), each column pair's cells as above (a boolean
side: cell 1 for Yes, 0 for No or missing; a categorical side as Source),
the indicators Z of the cells (i>=1, j>=1, at least 10 rows by
pandas.crosstab) with W_c = sum_{rows in c} mu (1 - mu) > 0, and statsmodels' Rao score test of adding them,
`GLMResults.score_test(exog_extra=Z)` (its statistic and degrees of
freedom). `diagonal_statistic` is S = sum_c g_c^2 / W_c,
g_c = sum_{rows in c} (y - mu), the statistic without the projection on
the main effects, which the screen falls back to.
"""

import itertools
import json
import platform
from pathlib import Path

import numpy as np
import pandas as pd
import statsmodels
import statsmodels.api as sm

OUT = Path(__file__).resolve().parent
MINIMUM_CELL_ROWS = 10
rng = np.random.default_rng(20261207)
n = 1500

sources = ["Web", "Referral", "Email", "Event", "Partner", "Ads", "Trade show"]
source = rng.choice(sources, size=n, p=[0.29, 0.21, 0.16, 0.13, 0.10, 0.08, 0.03])
region = rng.choice(["North", "South", "East"], size=n, p=[0.45, 0.35, 0.20])
visits = rng.poisson(2.5, size=n).astype(float)
demo = rng.random(n) < 0.3
eta = -1.0 + 0.35 * (visits - 2.5) + 0.8 * demo + 0.4 * (region == "South")
eta += np.where(source == "Referral", 0.6, 0) + np.where(source == "Ads", -0.5, 0)
eta += np.where((source == "Email") & (visits >= 4), 1.2, 0) + np.where((source == "Referral") & (visits <= 1), -0.9, 0)
won = rng.random(n) < 1 / (1 + np.exp(-eta))
visits_missing = rng.random(n) < 0.05
visits_text = [("" if m else str(int(v))) for v, m in zip(visits, visits_missing)]

df = pd.DataFrame({
    "Deal ID": [f"P-{i:05d}" for i in range(1, n + 1)],
    "Source": source,
    "Region": region,
    "Visits": visits_text,
    "Demo": np.where(demo, "Yes", "No"),
    "Won": np.where(won, "Yes", "No"),
})
df.to_csv(OUT / "pairs.csv", index=False)

y = won.astype(float)
v = pd.to_numeric(pd.Series(visits_text).replace("", np.nan))


def levels_by_frequency(col):
    counts = pd.Series(col).value_counts()
    return sorted(counts.index, key=lambda l: (-counts[l], l))


def one_hot(col):
    order = levels_by_frequency(col)
    return order[0], order[1:]


def quartile_edges(values):
    present = np.sort(values[~np.isnan(values)])
    edges = []
    for p in (0.25, 0.5, 0.75):
        q = np.quantile(present, p, method="inverted_cdf")
        if q < present[-1] and (not edges or q > edges[-1]):
            edges.append(float(q))
    return edges


def bin_of(x, edges):
    return int(np.searchsorted(edges, x, side="left"))


median = float(np.median(v.dropna()))
edges = quartile_edges(v.to_numpy())
visit_cells = np.array([bin_of(median if np.isnan(x) else x, edges) for x in v])


def category_cells(col):
    ref, levels = one_hot(col)
    return np.array([levels.index(x) + 1 if x in levels else 0 for x in col]), len(levels) + 1


def crosstab(a_cells, na, b_cells, nb):
    """Training rows of each cell (i, j), by pandas, all na x nb cells."""
    table = pd.crosstab(pd.Categorical(a_cells, categories=range(na)), pd.Categorical(b_cells, categories=range(nb)), dropna=False)
    return table.to_numpy()


def main_design():
    imputed = v.fillna(median)
    mean, sd = imputed.mean(), imputed.std(ddof=0)
    cols = {"Visits": (imputed - mean) / sd, "Visits (missing)": v.isna().astype(float)}
    for name, col in [("Region", region), ("Source", source)]:
        pass
    # Columns in file order: Source, Region, Visits, Demo.
    design = {}
    ref, levels = one_hot(source)
    for l in levels:
        design[f"Source = {l}"] = (source == l).astype(float)
    ref, levels = one_hot(region)
    for l in levels:
        design[f"Region = {l}"] = (region == l).astype(float)
    design.update(cols)
    design["Demo"] = demo.astype(float)
    return pd.DataFrame(design)


def pair_features(a_cells, na, b_cells, nb):
    counts = crosstab(a_cells, na, b_cells, nb)
    out = {}
    for i in range(1, na):
        for j in range(1, nb):
            if counts[i, j] >= MINIMUM_CELL_ROWS:
                out[(i, j)] = ((a_cells == i) & (b_cells == j)).astype(float)
    return out


X_main = main_design()
source_cells, n_source = category_cells(source)
pf = pair_features(visit_cells, len(edges) + 1, source_cells, n_source)
X = X_main.copy()
for (i, j), col in pf.items():
    X[f"pair {i},{j}"] = col
fit = sm.Logit(y, sm.add_constant(X)).fit(method="newton", tol=1e-14, maxiter=100, disp=0)
assert fit.mle_retvals["converged"]

main = sm.GLM(y, sm.add_constant(X_main), family=sm.families.Binomial()).fit(tol=1e-14, maxiter=100)
assert main.converged
mu = main.predict()

sides = {
    "Source": (source_cells, n_source),
    "Region": category_cells(region),
    "Visits": (visit_cells, len(edges) + 1),
    "Demo": (demo.astype(int), 2),
}
statistics = {}
for a, b in itertools.combinations(["Source", "Region", "Visits", "Demo"], 2):
    (ca, na), (cb, nb) = sides[a], sides[b]
    counts = crosstab(ca, na, cb, nb)
    s, z = 0.0, []
    for i in range(1, na):
        for j in range(1, nb):
            if counts[i, j] < MINIMUM_CELL_ROWS:
                continue
            m = (ca == i) & (cb == j)
            w = float(np.sum(mu[m] * (1 - mu[m])))
            if w > 0:
                g = float(np.sum(y[m] - mu[m]))
                s += g * g / w
                z.append(m.astype(float))
    # (statistic, p-value); the degrees of freedom are the columns of Z.
    stat, _ = main.score_test(exog_extra=np.array(z).T)
    df_ = len(z)
    statistics[f"{a} x {b}"] = {"first": a, "second": b, "statistic": float(np.asarray(stat).ravel()[0]), "df": int(df_), "diagonal_statistic": s}

out = {
    "generator": {
        "script": "Tests/LeadScoreTests/Fixtures/make_pairs_fixture.py",
        "python": platform.python_version(),
        "numpy": np.__version__,
        "pandas": pd.__version__,
        "statsmodels": statsmodels.__version__,
    },
    "visits_edges": edges,
    "visits_median": median,
    "source_cells": [one_hot(source)[0]] + one_hot(source)[1],
    "pair_counts": crosstab(visit_cells, len(edges) + 1, source_cells, n_source).tolist(),
    "pair_rare_cells": [[i, j] for i in range(1, len(edges) + 1) for j in range(1, n_source)
                        if crosstab(visit_cells, len(edges) + 1, source_cells, n_source)[i, j] < MINIMUM_CELL_ROWS],
    "feature_names": list(X.columns),
    "intercept": float(fit.params["const"]),
    "coef": [float(fit.params[c]) for c in X.columns],
    "probabilities": [float(p) for p in fit.predict()],
    "main_probabilities": [float(p) for p in mu],
    "screen_statistics": list(statistics.values()),
}
with open(OUT / "pairs.json", "w") as f:
    json.dump(out, f, indent=1)
    f.write("\n")
print("edges", edges, "median", median, "source cells", out["source_cells"])
print("counts", out["pair_counts"], "rare", out["pair_rare_cells"])
print({k: round(v["statistic"], 3) for k, v in statistics.items()})
