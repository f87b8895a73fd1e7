#!/usr/bin/env python3
"""Accuracy benchmark: LeadScore against gradient boosting on the same folds.

k-fold cross-validated AUC (stratified, seeded, the same folds for every
model) of:

- LeadScore as a user runs it: `leadscore train` on each fold's training
  rows (the raw CSV text, written back out), `leadscore score` on the held-out
  rows;
- LightGBM (400 trees, learning rate 0.03, otherwise its defaults);
- InterpretML's Explainable Boosting Machine (defaults).

The boosting models read the same columns: text columns as categories, the
missing markers as missing, numbers as numbers. They run from PyPI, at
benchmark time only (pip install lightgbm interpret-core scikit-learn
pandas); LeadScore never depends on them.

Usage:
  python3 benchmarks/accuracy.py --data ../shared/datasets/leads-x-education/Leads.csv \\
      --target Converted --id "Prospect ID" --id "Lead Number" \\
      --exclude Tags --exclude "Lead Quality" --exclude "Lead Profile" --missing Select \\
      --bin .build/release/leadscore [--models leadscore,lightgbm,ebm] [--folds 5] [--seed 42]
      [--leadscore-option=--l2=1 ...]

The second dataset, CoIL 2000 Caravan (bash benchmarks/datasets/caravan.sh
fetches it from PyPI into benchmarks/work/caravan.csv):
  python3 benchmarks/accuracy.py --data benchmarks/work/caravan.csv --target Purchase \\
      --categorical MOSTYPE --categorical MOSHOOFD --declare-types --bin .build/release/leadscore

Prints a table of mean AUC ± SD over the folds and the seconds per fold of
each model (training and scoring), and the difference of each model from
LeadScore's plain fit.
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", required=True)
    ap.add_argument("--target", required=True)
    ap.add_argument("--positive", action="append", default=[])
    ap.add_argument("--id", action="append", default=[])
    ap.add_argument("--exclude", action="append", default=[])
    ap.add_argument("--missing", action="append", default=[])
    ap.add_argument("--categorical", action="append", default=[],
                    help="read this column as categories in every model (integer codes of a nominal column)")
    ap.add_argument("--declare-types", action="store_true",
                    help="tell LeadScore each column's type as the boosting models read it (--type COL=numeric or "
                         "categorical), as a user who knows the export does; without it LeadScore infers the types on "
                         "each fold's training rows, where a count column that happens to hold only 0 and 1 reads as Yes/No")
    ap.add_argument("--bin", default=".build/release/leadscore")
    ap.add_argument("--models", default="leadscore,lightgbm,ebm")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--leadscore-option", action="append", default=[],
                    help="an extra option of leadscore train, as --leadscore-option=--l2=2")
    a = ap.parse_args()

    import numpy as np
    import pandas as pd
    from sklearn.metrics import roc_auc_score
    from sklearn.model_selection import StratifiedKFold

    # The raw text, as LeadScore reads it; an unnamed trailing column dropped.
    raw = pd.read_csv(a.data, dtype=str, keep_default_na=False)
    raw = raw[[c for c in raw.columns if not c.startswith("Unnamed")]]
    markers = {"", "NA", "N/A", "n/a", "#N/A", "null", "NULL", "None", "nan", "NaN"} | set(a.missing)
    outcome = raw[a.target].str.strip()
    positive = set(a.positive) or {"1", "yes", "Yes", "true", "True", "Closed Won"}
    known = ~outcome.isin(markers)
    raw = raw[known].reset_index(drop=True)
    y = raw[a.target].str.strip().isin(positive).astype(int).to_numpy()

    # The boosting models' frame: numbers where every present value is one,
    # categories otherwise; ids, the outcome and the left-out columns out.
    features = [c for c in raw.columns if c not in set(a.id) | set(a.exclude) | {a.target}]
    frame = pd.DataFrame(index=raw.index)
    for c in features:
        v = raw[c].str.strip().where(~raw[c].str.strip().isin(markers))
        num = pd.to_numeric(v, errors="coerce")
        if c not in a.categorical and num[v.notna()].notna().all():
            frame[c] = num
        else:
            frame[c] = v.astype("category")

    folds = list(StratifiedKFold(n_splits=a.folds, shuffle=True, random_state=a.seed).split(raw, y))
    a.types = {c: ("categorical" if str(frame[c].dtype) == "category" else "numeric") for c in features}
    results = {}
    models = a.models.split(",")
    work = tempfile.mkdtemp(prefix="leadscore-accuracy-")
    for name in models:
        aucs, seconds = [], []
        for k, (train, test) in enumerate(folds):
            t0 = time.perf_counter()
            if name == "leadscore":
                p = leadscore_fold(a, raw, train, test, work, k)
            elif name == "lightgbm":
                import lightgbm
                m = lightgbm.LGBMClassifier(n_estimators=400, learning_rate=0.03, verbose=-1, random_state=a.seed)
                m.fit(frame.iloc[train], y[train])
                p = m.predict_proba(frame.iloc[test])[:, 1]
            elif name == "ebm":
                from interpret.glassbox import ExplainableBoostingClassifier
                m = ExplainableBoostingClassifier(random_state=a.seed)
                m.fit(frame.iloc[train], y[train])
                p = m.predict_proba(frame.iloc[test])[:, 1]
            else:
                sys.exit(f"unknown model {name}")
            seconds.append(time.perf_counter() - t0)
            aucs.append(roc_auc_score(y[test], p))
            print(f"{name} fold {k + 1}: AUC {aucs[-1]:.4f}, {seconds[-1]:.1f} s", file=sys.stderr)
        results[name] = (aucs, seconds)

    base = results.get("leadscore")
    print(f"{a.folds}-fold stratified CV (seed {a.seed}) on {os.path.basename(a.data)}: {len(y):,} rows, {y.sum():,} won")
    print(f"{'model':<12} {'AUC mean':>9} {'SD':>7} {'vs LeadScore':>13} {'s/fold':>7}")
    for name, (aucs, seconds) in results.items():
        diff = "" if base is None or name == "leadscore" else f"{statistics.mean(aucs) - statistics.mean(base[0]):+.4f}"
        print(f"{name:<12} {statistics.mean(aucs):>9.4f} {statistics.stdev(aucs):>7.4f} {diff:>13} {statistics.mean(seconds):>7.1f}")


def leadscore_fold(a, raw, train, test, work, k):
    """LeadScore trained on the fold's rows and scoring the held-out ones,
    through the command line, as a user runs it."""
    import pandas as pd
    train_csv, test_csv = os.path.join(work, f"train-{k}.csv"), os.path.join(work, f"test-{k}.csv")
    model, scores = os.path.join(work, f"model-{k}.json"), os.path.join(work, f"scores-{k}.csv")
    # A row number as the id, so that the scores join back to the rows.
    part = raw.copy()
    part.insert(0, "__row", range(len(part)))
    part.iloc[train].to_csv(train_csv, index=False)
    part.iloc[test].to_csv(test_csv, index=False)
    options = ["--target", a.target, "--id", "__row"]
    for v in a.positive:
        options += ["--positive", v]
    for c in a.id + a.exclude:
        options += ["--exclude", c]
    for m in a.missing:
        options += ["--missing", m]
    for c in a.categorical:
        options += ["--type", f"{c}=categorical"]
    if a.declare_types:
        for c, kind in a.types.items():
            if c not in a.categorical:
                options += ["--type", f"{c}={kind}"]
    subprocess.run([a.bin, "train", train_csv, *options, *a.leadscore_option, "--training-date", "2026-12-07", "-o", model, "-q"], check=True)
    subprocess.run([a.bin, "score", "--model", model, test_csv, "--reasons", "0", "-o", scores, "-q"], check=True)
    s = pd.read_csv(scores)
    return s.set_index("__row").loc[part.iloc[test]["__row"], "probability"].to_numpy()


if __name__ == "__main__":
    main()
