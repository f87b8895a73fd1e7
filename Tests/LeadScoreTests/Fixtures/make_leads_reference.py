"""Reference for the Leads X Education holdout test (leads_reference.json).

An independent re-implementation, in pandas and scikit-learn, of what
`leadscore train` does with

    --target Converted --id "Prospect ID" --id "Lead Number"
    --exclude Tags --exclude "Lead Quality" --exclude "Lead Profile"
    --missing Select --holdout 0.3 --seed 42          (l2 = 1, i.e. C = 1)

so that the Swift test can check the holdout AUC against scikit-learn's
LogisticRegression on the same split and the same encoding:

- missing: empty, NA, N/A, n/a, #N/A, null, NULL, None, nan, NaN, Select
  (after trimming spaces);
- types: numeric if every present value parses as a float (boolean if the
  values are only 0/1), boolean if at most two values, all yes/no spellings,
  else categorical if at most 50 distinct values; empty and constant
  columns dropped, and so are columns constant among the training rows;
- split: stratified, SplitMix64 seeded 42, lost rows shuffled first, then
  won rows, Fisher-Yates from the end with j = (next * (i + 1)) >> 64,
  the first round(0.3 n_class) held out;
- numeric: median impute (on training rows), missing indicator if any
  training value missing, standardise with the population SD;
- categorical: missing as "(missing)", levels with < 30 training rows pooled
  into "(other)", the most frequent level (ties by name) is the reference;
- boolean: 1 for true, missing indicator if any training value missing.

Run from the repository root with ../shared beside it:
    python3 Tests/LeadScoreTests/Fixtures/make_leads_reference.py
"""

import json
import os
import sys

import numpy as np
import pandas as pd
import sklearn
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import log_loss, roc_auc_score

HERE = os.path.dirname(os.path.abspath(__file__))
LEADS = os.path.join(HERE, "../../../../shared/datasets/leads-x-education/Leads.csv")
MISSING = {"", "NA", "N/A", "n/a", "#N/A", "null", "NULL", "None", "nan", "NaN", "Select"}
BOOL = {"yes": True, "true": True, "y": True, "t": True, "1": True,
        "no": False, "false": False, "n": False, "f": False, "0": False}
M64 = (1 << 64) - 1


class SplitMix64:
    def __init__(self, seed):
        self.state = seed

    def next(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & M64
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M64
        return z ^ (z >> 31)

    def index_below(self, n):
        return (self.next() * n) >> 64

    def shuffle(self, a):
        for i in range(len(a) - 1, 0, -1):
            j = self.index_below(i + 1)
            a[i], a[j] = a[j], a[i]


def is_float(s):
    try:
        v = float(s)
    except ValueError:
        return False
    return np.isfinite(v)


def main():
    raw = pd.read_csv(LEADS, dtype=str, keep_default_na=False)
    raw = raw.drop(columns=[c for c in raw.columns if c.startswith("Unnamed")])
    raw = raw.apply(lambda col: col.str.strip(" \t"))
    present = ~raw.isin(MISSING)
    y = raw["Converted"].astype(float).to_numpy()
    drop = {"Converted", "Prospect ID", "Lead Number", "Tags", "Lead Quality", "Lead Profile"}

    rng = SplitMix64(42)
    held = set()
    for cls in (0.0, 1.0):
        members = [i for i in range(len(y)) if y[i] == cls]
        rng.shuffle(members)
        held.update(members[: int(round(0.3 * len(members)))])
    train = np.array([i for i in range(len(y)) if i not in held])
    test = np.array(sorted(held))

    blocks_train, blocks_test, names = [], [], []
    for c in raw.columns:
        if c in drop:
            continue
        vals = pd.Series([v if ok else None for v, ok in zip(raw[c], present[c])], dtype=object)
        pres = vals.dropna()
        if len(pres) == 0 or pres.nunique() == 1:
            continue
        distinct = set(pres.unique())
        if all(is_float(v) for v in distinct):
            kind = "boolean" if all(float(v) in (0.0, 1.0) for v in distinct) else "numeric"
        elif len(distinct) <= 2 and all(v.lower() in BOOL for v in distinct) and \
                len({BOOL[v.lower()] for v in distinct}) == len(distinct):
            kind = "boolean"
        elif len(distinct) <= 50:
            kind = "categorical"
        else:
            continue
        if kind == "numeric":
            x = np.array([np.nan if v is None else float(v) for v in vals])
            xt = x[train]
            med = np.median(xt[~np.isnan(xt)])
            miss = np.isnan(xt).any()
            filled = np.where(np.isnan(x), med, x)
            mean, sd = filled[train].mean(), filled[train].std()
            cols = [(filled - mean) / sd]
            names.append(c)
            if miss:
                cols.append(np.isnan(x).astype(float))
                names.append(c + " (missing)")
        elif kind == "boolean":
            def to_bool(v):
                if v is None:
                    return None
                return BOOL[v.lower()] if v.lower() in BOOL else float(v) == 1.0
            b = vals.map(to_bool)
            seen = set(b.iloc[train].dropna())
            miss = b.iloc[train].isna().any()
            if not (len(seen) == 2 or (len(seen) == 1 and miss)):
                continue  # constant among the training rows
            cols = [b.map(lambda v: 1.0 if v is True else 0.0).to_numpy()]
            names.append(c)
            if miss:
                cols.append(b.isna().astype(float).to_numpy())
                names.append(c + " (missing)")
        else:
            levels = vals.fillna("(missing)")
            counts = levels.iloc[train].value_counts()
            kept = {l: n for l, n in counts.items() if n >= 30}
            other = sum(n for l, n in counts.items() if n < 30)
            mapped = levels.map(lambda v: v if v in kept else "(other)")
            if other > 0:
                kept["(other)"] = other
            if len(kept) < 2:
                continue
            order = sorted(kept.items(), key=lambda kv: (-kv[1], kv[0]))
            reference = order[0][0]
            cols = []
            for level, _ in order[1:]:
                cols.append((mapped == level).astype(float).to_numpy())
                names.append(f"{c} = {level}")
            del reference
        for col in cols:
            blocks_train.append(col[train])
            blocks_test.append(col[test])

    xtr, xte = np.column_stack(blocks_train), np.column_stack(blocks_test)
    model = LogisticRegression(C=1.0, solver="newton-cholesky", tol=1e-10, max_iter=1000)
    model.fit(xtr, y[train])
    p = model.predict_proba(xte)[:, 1]
    out = {
        "generator": {"script": "Tests/LeadScoreTests/Fixtures/make_leads_reference.py",
                      "numpy": np.__version__, "pandas": pd.__version__, "sklearn": sklearn.__version__},
        "description": __doc__.strip().splitlines()[0],
        "train_rows": int(len(train)),
        "holdout_rows": int(len(test)),
        "holdout_positives": int(y[test].sum()),
        "feature_names": names,
        "holdout_auc": roc_auc_score(y[test], p),
        "holdout_log_loss": log_loss(y[test], p),
        "intercept": float(model.intercept_[0]),
        "coef": model.coef_[0].tolist(),
    }
    with open(os.path.join(HERE, "leads_reference.json"), "w") as f:
        json.dump(out, f, indent=1)
    print(f"holdout AUC {out['holdout_auc']:.6f}, {len(names)} features", file=sys.stderr)


if __name__ == "__main__":
    main()
