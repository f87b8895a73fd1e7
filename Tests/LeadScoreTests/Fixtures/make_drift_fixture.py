#!/usr/bin/env python3
"""Reference values for `leadscore drift`: each column's training bins and
shares, the new file's shares and the population stability index.

Run from the repository root:

    python3 Tests/LeadScoreTests/Fixtures/make_drift_fixture.py

Writes drift/train.csv and drift/new.csv (the data) and drift.json (the
expected report) next to this script. Deterministic (numpy default_rng with
a fixed seed); two runs give byte-identical files. Python is NOT a runtime
dependency of LeadScore.

Independence from the Swift code: the deciles come from
numpy.quantile(method="inverted_cdf"), checked here against the textbook
definition x_(ceil(n k / 10)) computed with exact integers; values are
binned with numpy.searchsorted and cross-checked with pandas.cut (closed on
the right); categories are counted with pandas value_counts and pooled by
the rule of the model card (levels with fewer than 30 training rows go to
"(other)"); PSI is sum((a - e) * ln(a / e)) with both shares floored at
1e-4, in numpy.
"""

import json
import math
import platform
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
OUT = HERE / "drift.json"
DATA = HERE / "drift"

GENERATOR = {
    "script": "Tests/LeadScoreTests/Fixtures/make_drift_fixture.py",
    "python": platform.python_version(),
    "numpy": np.__version__,
    "pandas": pd.__version__,
}

FLOOR = 1e-4
MIN_COUNT = 30  # LeadScore's default minimum rows of a kept level
WATCH, ACT = 0.1, 0.25

# Row counts with n*k/10 never a whole number for k = 1..9, so that numpy's
# floating-point index cannot land on the other side of a whole number.
N_TRAIN, N_NEW = 2003, 997


def make(rng, n, new):
    """One file: `new` shifts Amount (x1.3, more missing), Visits (Poisson
    1.5 -> 2.2) and Plan (a new level, more missing); Age Days and Trial
    keep their distribution."""
    amount = np.round(rng.lognormal(mean=6.0, sigma=0.7, size=n) * (1.3 if new else 1.0), 2)
    amount_missing = rng.random(n) < (0.12 if new else 0.05)
    visits = rng.poisson(2.2 if new else 1.5, size=n)
    age = rng.integers(0, 366, size=n)
    if new:
        levels, weights = ["A", "B", "C", "D", "E", "F", ""], [0.30, 0.30, 0.20, 0.10, 0.02, 0.05, 0.03]
    else:
        levels, weights = ["A", "B", "C", "D", "E", ""], [0.40, 0.30, 0.20, 0.09, 0.005, 0.005]
    plan = rng.choice(levels, size=n, p=np.array(weights) / sum(weights))
    trial = rng.choice(["Yes", "No", ""], size=n, p=[0.35, 0.6, 0.05])
    eta = -0.8 + 0.3 * (visits - 1.5) + np.where(trial == "Yes", 0.6, 0.0) + np.where(plan == "A", 0.4, 0.0)
    won = rng.random(n) < 1 / (1 + np.exp(-eta))
    return pd.DataFrame(
        {
            "Amount": np.where(amount_missing, "", [f"{a:.2f}" for a in amount]),
            "Visits": visits.astype(str),
            "Age Days": age.astype(str),
            "Plan": plan,
            "Trial": trial,
            "Converted": np.where(won, "1", "0"),
        }
    )


def numbers(column):
    """Present values as floats, and the count of missing ones."""
    present = column[column != ""].astype(float).to_numpy()
    return present, int((column == "").sum())


def deciles(values):
    """Distinct deciles x_(ceil(n k / 10)), k = 1..9: numpy's inverted_cdf,
    asserted equal to the definition in exact integers."""
    x = np.sort(values)
    n = len(x)
    exact = [x[(n * k + 9) // 10 - 1] for k in range(1, 10)]
    by_numpy = np.quantile(values, [k / 10 for k in range(1, 10)], method="inverted_cdf")
    assert np.array_equal(np.array(exact), by_numpy), (exact, by_numpy)
    return [float(v) for v in np.unique(by_numpy)]


def numeric_shares(column, edges):
    """Shares of the bins (-inf, e0], (e0, e1], ..., (e_m, inf), missing."""
    present, missing = numbers(column)
    n = len(column)
    bins = np.searchsorted(np.array(edges), present, side="left")
    cut = pd.cut(present, bins=[-np.inf] + edges + [np.inf], right=True, labels=False)
    assert np.array_equal(bins, np.asarray(cut)), "searchsorted and pandas.cut disagree"
    counts = np.bincount(bins, minlength=len(edges) + 1).tolist() + [missing]
    return [c / n for c in counts], counts


def level_bins(train):
    """The model's kept levels (at least MIN_COUNT training rows), most
    frequent first (ties by name), then "(other)" and "(missing)"."""
    counts = train[train != ""].value_counts()
    kept = sorted(((int(c), l) for l, c in counts.items() if c >= MIN_COUNT), key=lambda t: (-t[0], t[1]))
    return [l for _, l in kept] + ["(other)", "(missing)"]


def level_shares(column, levels, seen):
    """Shares of the level bins; values never seen in training (not in
    `seen`) count in "(other)" and as unseen."""
    n = len(column)
    counts = [0] * len(levels)
    unseen = 0
    for value, c in column.value_counts().items():
        if value == "":
            counts[-1] += int(c)
        elif value in levels[:-2]:
            counts[levels.index(value)] += int(c)
        else:
            counts[-2] += int(c)
            if value not in seen:
                unseen += int(c)
    return [c / n for c in counts], counts, unseen / n


def boolean_shares(column):
    n = len(column)
    counts = [int((column == "No").sum()), int((column == "Yes").sum()), int((column == "").sum())]
    return [c / n for c in counts], counts


def psi(expected, actual):
    e = np.maximum(np.array(expected), FLOOR)
    a = np.maximum(np.array(actual), FLOOR)
    terms = (a - e) * np.log(a / e)
    return float(terms.sum()), [float(t) for t in terms]


def verdict(value):
    return "act" if value >= ACT else "watch" if value >= WATCH else "stable"


def main():
    rng = np.random.default_rng(20261207)
    train, new = make(rng, N_TRAIN, False), make(rng, N_NEW, True)
    DATA.mkdir(exist_ok=True)
    train.to_csv(DATA / "train.csv", index=False, lineterminator="\n")
    new.to_csv(DATA / "new.csv", index=False, lineterminator="\n")

    columns = {}
    for name in ["Amount", "Visits", "Age Days"]:
        edges = deciles(numbers(train[name])[0])
        e, e_counts = numeric_shares(train[name], edges)
        a, a_counts = numeric_shares(new[name], edges)
        value, terms = psi(e, a)
        columns[name] = {"kind": "numeric", "edges": edges, "training": e, "new": a, "training_counts": e_counts, "new_counts": a_counts,
                         "psi": value, "terms": terms, "verdict": verdict(value)}
    levels = level_bins(train["Plan"])
    seen = set(train["Plan"][train["Plan"] != ""])
    e, e_counts, _ = level_shares(train["Plan"], levels, seen)
    a, a_counts, unseen = level_shares(new["Plan"], levels, seen)
    value, terms = psi(e, a)
    columns["Plan"] = {"kind": "categorical", "levels": levels, "training": e, "new": a, "training_counts": e_counts, "new_counts": a_counts,
                       "psi": value, "terms": terms, "verdict": verdict(value), "unseen": unseen}
    e, e_counts = boolean_shares(train["Trial"])
    a, a_counts = boolean_shares(new["Trial"])
    value, terms = psi(e, a)
    columns["Trial"] = {"kind": "boolean", "levels": ["false", "true", "(missing)"], "training": e, "new": a, "training_counts": e_counts,
                        "new_counts": a_counts, "psi": value, "terms": terms, "verdict": verdict(value)}
    for c in columns.values():
        assert math.isclose(sum(c["training"]), 1.0) and math.isclose(sum(c["new"]), 1.0)

    doc = {
        "generator": GENERATOR,
        "conventions": {
            "deciles": "x_(ceil(n*k/10)) for k = 1..9, numpy.quantile(method='inverted_cdf'), duplicates dropped",
            "bins": "(-inf, e0], (e0, e1], ..., (e_m, inf), then missing; categories: kept levels, (other), (missing)",
            "psi": "sum((a - e) * ln(a / e)), a and e floored at 1e-4",
            "min_category_count": MIN_COUNT,
        },
        "files": {"train": "drift/train.csv", "new": "drift/new.csv", "target": "Converted", "train_rows": N_TRAIN, "new_rows": N_NEW},
        "columns": columns,
    }
    OUT.write_text(json.dumps(doc, indent=1, sort_keys=True) + "\n")
    for name, c in columns.items():
        print(f"{name:10s} psi {c['psi']:.4f} {c['verdict']}")


if __name__ == "__main__":
    main()
