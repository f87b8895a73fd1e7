#!/usr/bin/env python3
"""The peers of the LeadScore benchmark: pandas + scikit-learn, polars + glum.

What a pandas user writes to get what `leadscore train` and `leadscore score`
deliver, encoded exactly as LeadScore encodes (the rules of
Tests/LeadScoreTests/Fixtures/make_leads_reference.py), but written the
vectorised pandas way (value_counts, get_dummies, fillna), not with loops
over rows:

- numeric: median impute (training rows), a 0/1 "(missing)" indicator when
  a training value was missing, standardise with the population SD;
- categorical: missing is the level "(missing)", levels with fewer than
  minCategoryCount (30) training rows pooled into "(other)", the most
  frequent level (ties by name) is the reference and gets no column;
  at scoring time an unseen level is "(other)" if the model has it, else
  the reference;
- boolean (Yes/No, TRUE/FALSE, Y/N, true/false, 0/1): 1 for true, a
  missing indicator when a training value was missing;
- text with more than 50 distinct values is left out, as LeadScore does.

Subcommands (each is one process, timed from outside by /usr/bin/time):

  split  DATA --config C --out split.npy        the stratified SplitMix64
         holdout (seed 42, lost rows shuffled first). Not the peer's cost:
         the harness runs it once per file, outside the timed runs.
  train  DATA --config C --split split.npy --solver newton-cholesky|lbfgs
         --model OUT.joblib --timings T.json    read_csv -> encode on the
         training rows -> LogisticRegression(C = 1/l2, tol 1e-10) -> holdout
         AUC and log loss -> joblib model file.
  design DATA --config C --split split.npy --out-dir D    writes the
         training design (float64, row-major) and labels for the Swift fit
         probe and the BLAS bound probe; not timed.
  score  DATA --model M.joblib --output OUT.csv --timings T.json
         read_csv -> the fitted encoders -> predict_proba -> probability,
         0-100 score (round half up, as LeadScore) and tier A:50,B:30,C:15,D
         -> to_csv.
  glum-train DATA --config C --split split.npy --model OUT.joblib
         --timings T.json    the same deliverable the polars + glum way:
         polars read_csv -> the same encoding in polars expressions, the
         categoricals as Enum columns -> glum GeneralizedLinearRegressor
         (binomial, IRLS, alpha = l2 / training rows) on tabmat
         categoricals -> holdout AUC and log loss -> joblib model file.
  duckdb-score DATA --sql Q.sql --output OUT.csv --timings T.json    the
         model's SQL (leadscore export --sql --dialect duckdb) inside DuckDB
         over the CSV, the scores written to a CSV.
  selftest                                      checks the vectorised
         SplitMix64 split against the reference's pure-Python generator.
"""

import time

T_START = time.perf_counter()

import argparse  # noqa: E402
import json  # noqa: E402
import math  # noqa: E402
import os  # noqa: E402
import sys  # noqa: E402

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

T_IMPORTED = time.perf_counter()

BOOL = {"yes": 1.0, "true": 1.0, "y": 1.0, "t": 1.0, "1": 1.0,
        "no": 0.0, "false": 0.0, "n": 0.0, "f": 0.0, "0": 0.0}
MISSING_LEVEL, OTHER_LEVEL = "(missing)", "(other)"
# LeadScore's missing markers (ValueParser.defaultMissingMarkers); pandas'
# default na_values include them all.
MISSING_MARKERS = ["", "NA", "N/A", "n/a", "#N/A", "null", "NULL", "None", "nan", "NaN"]
M64 = (1 << 64) - 1
GAMMA = 0x9E3779B97F4A7C15


# ---------------------------------------------------------------- the split

class SplitMix64:
    """The reference generator, one number at a time (for the self-test)."""

    def __init__(self, seed):
        self.state = seed

    def next(self):
        self.state = (self.state + GAMMA) & M64
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


def splitmix_stream(seed, start, count):
    """Outputs start+1 .. start+count of SplitMix64(seed), vectorised: the
    k-th state is seed + k * gamma (mod 2^64)."""
    with np.errstate(over="ignore"):
        k = np.arange(start + 1, start + count + 1, dtype=np.uint64)
        z = np.uint64(seed) + k * np.uint64(GAMMA)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return z ^ (z >> np.uint64(31))


def high64(a, b):
    """floor(a * b / 2^64) for uint64 arrays a and b < 2^32."""
    lo32 = np.uint64(0xFFFFFFFF)
    ah, al = a >> np.uint64(32), a & lo32
    return (ah * b + ((al * b) >> np.uint64(32))) >> np.uint64(32)


def stratified_holdout(labels, fraction, seed):
    """Held-out mask over `labels` (0/1, file order): LeadScore's
    StratifiedSplit.split. For each class (lost first, then won) the class's
    row positions in file order are shuffled by Fisher-Yates from the end
    with j = (next * (i + 1)) >> 64, one generator for both classes, and the
    first round(fraction * size) (half away from zero) are held out."""
    held = np.zeros(len(labels), dtype=bool)
    used = 0
    for cls in (0, 1):
        members = np.flatnonzero(labels == cls)
        n = len(members)
        if n > 1:
            draws = splitmix_stream(seed, used, n - 1)
            used += n - 1
            js = high64(draws, np.arange(n, 1, -1, dtype=np.uint64)).tolist()
            a = members.tolist()
            for t, i in enumerate(range(n - 1, 0, -1)):
                j = js[t]
                a[i], a[j] = a[j], a[i]
            members = a
        k = int(math.floor(fraction * n + 0.5))
        held[np.asarray(members[:k], dtype=np.int64)] = True
    return held


def selftest():
    rng = np.random.default_rng(1)
    for n in (1, 2, 3, 17, 100, 2001):
        labels = (rng.random(n) < 0.3).astype(np.int8)
        ref = SplitMix64(42)
        held = set()
        for cls in (0, 1):
            members = [i for i in range(n) if labels[i] == cls]
            ref.shuffle(members)
            held.update(members[: int(math.floor(0.3 * len(members) + 0.5))])
        mask = stratified_holdout(labels, 0.3, 42)
        assert set(np.flatnonzero(mask).tolist()) == held, n
    print("split self-test: OK")


# ------------------------------------------------------------- reading, roles

def load_config(path):
    with open(path) as f:
        c = json.load(f)
    return {
        "target": c["target"], "positive": set(c.get("positive", [])), "negative": set(c.get("negative", [])),
        "ids": list(c.get("ids", [])), "exclude": list(c.get("exclude", [])),
        "l2": float(c.get("l2", 1.0)), "min_count": int(c.get("minCategoryCount", 30)),
        "max_levels": int(c.get("maxCategoryLevels", 50)),
    }


def read_closed(path, cfg):
    """read_csv, keep the rows with a won or lost outcome; returns the
    feature frame (ids, excluded columns and the target dropped) and y."""
    df = pd.read_csv(path)
    t_read = time.perf_counter()
    stage = df[cfg["target"]]
    closed = stage.isin(cfg["positive"] | cfg["negative"])
    y = stage[closed].isin(cfg["positive"]).to_numpy(dtype=np.float64)
    drop = [cfg["target"]] + [c for c in cfg["ids"] + cfg["exclude"] if c in df.columns]
    df = df.loc[closed].drop(columns=drop).reset_index(drop=True)
    return df, y, t_read


def kind_of(s, max_levels):
    if pd.api.types.is_bool_dtype(s):
        return "boolean"
    if pd.api.types.is_numeric_dtype(s):
        u = s.dropna().unique()
        return "boolean" if len(u) <= 2 and set(u.tolist()) <= {0, 1} else "numeric"
    u = s.dropna().unique()
    if len(u) <= 2 and all(str(v).lower() in BOOL for v in u):
        return "boolean"
    return "categorical" if len(u) <= max_levels else None


def as_bool(s):
    """0/1/NaN, vectorised."""
    if pd.api.types.is_bool_dtype(s) or pd.api.types.is_numeric_dtype(s):
        return s.astype("float64")
    return s.str.lower().map(BOOL).astype("float64")


# ------------------------------------------------------------------ encoding

def fit_encoders(df, train, cfg):
    """Learns each column's encoder on the training rows (boolean mask)."""
    encoders = []
    for c in df.columns:
        s = df[c]
        kind = kind_of(s, cfg["max_levels"])
        if kind == "numeric":
            st = s[train]
            med = float(st.median())
            filled = st.fillna(med)
            sd = float(filled.std(ddof=0))
            if not sd > 1e-12 * max(1.0, abs(float(filled.mean()))):
                continue
            encoders.append({"column": c, "kind": "numeric", "median": med, "mean": float(filled.mean()),
                             "sd": sd, "missing": bool(st.isna().any())})
        elif kind == "boolean":
            bt = as_bool(s[train])
            seen = set(bt.dropna().unique().tolist())
            miss = bool(bt.isna().any())
            if not (len(seen) == 2 or (len(seen) == 1 and miss)):
                continue
            encoders.append({"column": c, "kind": "boolean", "missing": miss})
        elif kind == "categorical":
            counts = s[train].fillna(MISSING_LEVEL).value_counts()
            kept = counts[counts >= cfg["min_count"]].to_dict()
            pooled = counts[counts < cfg["min_count"]]
            if pooled.sum() > 0:
                kept[OTHER_LEVEL] = int(pooled.sum())
            if len(kept) < 2:
                continue
            order = sorted(kept.items(), key=lambda kv: (-kv[1], kv[0]))
            encoders.append({"column": c, "kind": "categorical", "reference": order[0][0],
                             "levels": [level for level, _ in order[1:]],
                             "pooled": sorted(pooled.index.tolist())})
    return encoders


def feature_names(encoders):
    names = []
    for e in encoders:
        if e["kind"] == "categorical":
            names += [f"{e['column']} = {level}" for level in e["levels"]]
        else:
            names.append(e["column"])
            if e["missing"]:
                names.append(e["column"] + " (missing)")
    return names


def transform(df, encoders):
    """The design (float64, rows x features) of `df` under `encoders`."""
    parts = []
    for e in encoders:
        s = df[e["column"]]
        if e["kind"] == "numeric":
            parts.append(((s.fillna(e["median"]) - e["mean"]) / e["sd"]).rename(e["column"]))
            if e["missing"]:
                parts.append(s.isna().astype("float64").rename(e["column"] + " (missing)"))
        elif e["kind"] == "boolean":
            b = as_bool(s)
            parts.append((b == 1.0).astype("float64").rename(e["column"]))
            if e["missing"]:
                parts.append(b.isna().astype("float64").rename(e["column"] + " (missing)"))
        else:
            known = [e["reference"]] + e["levels"]
            fallback = OTHER_LEVEL if OTHER_LEVEL in e["levels"] else e["reference"]
            lv = s.fillna(MISSING_LEVEL)
            lv = lv.where(lv.isin(known), fallback)
            dummies = pd.get_dummies(pd.Categorical(lv, categories=known), drop_first=True, dtype="float64")
            dummies.columns = [f"{e['column']} = {level}" for level in e["levels"]]
            parts.append(dummies)
    return pd.concat(parts, axis=1).to_numpy(dtype=np.float64)


# ---------------------------------------------------------------- commands

def cmd_split(a):
    cfg = load_config(a.config)
    stage = pd.read_csv(a.data, usecols=[cfg["target"]])[cfg["target"]]
    closed = stage[stage.isin(cfg["positive"] | cfg["negative"])]
    labels = closed.isin(cfg["positive"]).to_numpy(dtype=np.int8)
    held = stratified_holdout(labels, a.fraction, a.seed)
    np.save(a.out, held)
    print(json.dumps({"closed_rows": int(len(labels)), "held_out": int(held.sum()),
                      "seconds": time.perf_counter() - T_START}))


def prepare_design(a, cfg):
    held = np.load(a.split)
    df, y, t_read = read_closed(a.data, cfg)
    if len(held) != len(y):
        sys.exit(f"peer: the split has {len(held)} rows, the file {len(y)} closed rows: stale split file")
    train = ~held
    encoders = fit_encoders(df, train, cfg)
    x = transform(df, encoders)
    del df
    return x, y, train, held, encoders, t_read


def cmd_train(a):
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import log_loss, roc_auc_score
    import joblib
    t0 = time.perf_counter()
    cfg = load_config(a.config)
    x, y, train, held, encoders, t_read = prepare_design(a, cfg)
    t_enc = time.perf_counter()
    x_train, y_train = x[train], y[train]
    x_hold, y_hold = x[held], y[held]
    del x
    model = LogisticRegression(C=1.0 / cfg["l2"], solver=a.solver, tol=a.tol, max_iter=a.max_iter)
    t_fit0 = time.perf_counter()
    model.fit(x_train, y_train)
    t_fit = time.perf_counter()
    p = model.predict_proba(x_hold)[:, 1]
    auc, ll = roc_auc_score(y_hold, p), log_loss(y_hold, p)
    t_eval = time.perf_counter()
    names = feature_names(encoders)
    metrics = {"holdout": {"auc": auc, "logLoss": ll, "rows": int(len(y_hold))}}
    joblib.dump({"encoders": encoders, "features": names, "model": model, "metrics": metrics,
                 "id_columns": cfg["ids"]}, a.model)
    t_write = time.perf_counter()
    n_iter = int(np.max(model.n_iter_))
    out = {
        "solver": a.solver, "tol": a.tol, "max_iter": a.max_iter, "n_iter": n_iter,
        "converged": n_iter < a.max_iter, "train_rows": int(train.sum()), "holdout_rows": int(held.sum()),
        "n_features": len(names), "auc": auc, "log_loss": ll,
        "stages": {"python + imports": T_IMPORTED - T_START, "read_csv": t_read - t0,
                   "select + encode": t_enc - t_read, "copy train/holdout": t_fit0 - t_enc,
                   "fit": t_fit - t_fit0, "holdout metrics": t_eval - t_fit, "write model": t_write - t_eval},
        "features": names, "coef": model.coef_[0].tolist(), "intercept": float(model.intercept_[0]),
    }
    with open(a.timings, "w") as f:
        json.dump(out, f, indent=1)


def cmd_design(a):
    cfg = load_config(a.config)
    x, y, train, held, encoders, _ = prepare_design(a, cfg)
    os.makedirs(a.out_dir, exist_ok=True)
    xt = np.ascontiguousarray(x[train])
    del x
    xt.tofile(os.path.join(a.out_dir, "design.f64"))
    y[train].astype(np.float64).tofile(os.path.join(a.out_dir, "labels.f64"))
    with open(os.path.join(a.out_dir, "design.json"), "w") as f:
        json.dump({"rows": int(xt.shape[0]), "columns": int(xt.shape[1]), "features": feature_names(encoders),
                   "l2": cfg["l2"], "source": os.path.basename(a.data)}, f, indent=1)


def cmd_score(a):
    import joblib
    t0 = time.perf_counter()
    bundle = joblib.load(a.model)
    t_load = time.perf_counter()
    df = pd.read_csv(a.data)
    t_read = time.perf_counter()
    x = transform(df, bundle["encoders"])
    t_enc = time.perf_counter()
    p = bundle["model"].predict_proba(x)[:, 1]
    del x
    score = np.floor(p * 100 + 0.5).astype(np.int64)
    tier = np.select([score >= 50, score >= 30, score >= 15], ["A", "B", "C"], "D")
    t_pred = time.perf_counter()
    ids = [c for c in bundle["id_columns"] if c in df.columns]
    out = df[ids].copy() if ids else pd.DataFrame({"row": np.arange(1, len(df) + 1)})
    out["probability"] = p
    out["score"] = score
    out["tier"] = tier
    out.to_csv(a.output, index=False)
    t_write = time.perf_counter()
    with open(a.timings, "w") as f:
        json.dump({"rows": int(len(df)), "stages": {
            "python + imports": T_IMPORTED - T_START, "load model": t_load - t0, "read_csv": t_read - t_load,
            "encode": t_enc - t_read, "predict_proba + score + tier": t_pred - t_enc, "to_csv": t_write - t_pred}},
            f, indent=1)


def cmd_duckdb_score(a):
    """The exported SQL of the LeadScore model (`leadscore export --sql
    --dialect duckdb`) run inside DuckDB over the CSV, the scores written
    back to a CSV: scoring where the leads live, CSV in, CSV out."""
    import duckdb
    t0 = time.perf_counter()
    con = duckdb.connect()
    # DuckDB takes no prepared parameters in CREATE VIEW or COPY: the paths
    # are SQL string literals.
    literal = lambda text: "'" + text.replace("'", "''") + "'"
    con.execute(f"CREATE VIEW leads AS SELECT * FROM read_csv({literal(a.data)})")
    query = open(a.sql).read().strip().rstrip(";")
    con.execute(f"COPY ({query}) TO {literal(a.output)} (HEADER, DELIMITER ',')")
    t_done = time.perf_counter()
    rows = con.execute(f"SELECT count(*) FROM read_csv({literal(a.output)})").fetchone()[0]
    with open(a.timings, "w") as f:
        json.dump({"rows": int(rows), "stages": {"python + imports": T_IMPORTED - T_START, "read, score, write": t_done - t0}}, f, indent=1)


# ------------------------------------------------- the polars + glum peer

def polars_bool(expr, dtype):
    """0/1/null of a boolean-like column, as a polars expression (the
    spellings of BOOL, case-insensitive)."""
    import polars as pl
    if dtype == pl.Boolean or dtype.is_numeric():
        return expr.cast(pl.Float64)
    return expr.str.to_lowercase().replace_strict(BOOL, default=None, return_dtype=pl.Float64)


def polars_kind(s, max_levels):
    """kind_of for a polars Series: the same rules on the same rows."""
    import polars as pl
    if s.dtype == pl.Boolean:
        return "boolean"
    if s.dtype.is_numeric():
        u = s.drop_nulls().unique()
        return "boolean" if len(u) <= 2 and set(u.to_list()) <= {0, 1} else "numeric"
    n = s.drop_nulls().n_unique()
    if n <= 2 and all(str(v).lower() in BOOL for v in s.drop_nulls().unique().to_list()):
        return "boolean"
    return "categorical" if n <= max_levels else None


def polars_encoders(df, train, cfg):
    """fit_encoders with polars: each column's encoder learnt on the
    training rows (a polars boolean Series), the same statistics (median,
    mean, population SD, level counts) and the same rules."""
    import polars as pl
    encoders = []
    for c in df.columns:
        s = df[c]
        kind = polars_kind(s, cfg["max_levels"])
        st = s.filter(train)
        if kind == "numeric":
            st = st.cast(pl.Float64)
            med = float(st.median())
            filled = st.fill_null(med)
            mean, sd = float(filled.mean()), float(filled.std(ddof=0))
            if not sd > 1e-12 * max(1.0, abs(mean)):
                continue
            encoders.append({"column": c, "kind": "numeric", "median": med, "mean": mean, "sd": sd,
                             "missing": st.null_count() > 0})
        elif kind == "boolean":
            bt = pl.select(polars_bool(pl.lit(st), st.dtype)).to_series()
            seen = set(bt.drop_nulls().unique().to_list())
            miss = bt.null_count() > 0
            if not (len(seen) == 2 or (len(seen) == 1 and miss)):
                continue
            encoders.append({"column": c, "kind": "boolean", "missing": miss})
        elif kind == "categorical":
            counts = dict(st.fill_null(MISSING_LEVEL).value_counts().iter_rows())
            kept = {level: n for level, n in counts.items() if n >= cfg["min_count"]}
            pooled = sorted(level for level, n in counts.items() if n < cfg["min_count"])
            if pooled:
                kept[OTHER_LEVEL] = sum(counts[level] for level in pooled)
            if len(kept) < 2:
                continue
            order = sorted(kept.items(), key=lambda kv: (-kv[1], kv[0]))
            encoders.append({"column": c, "kind": "categorical", "reference": order[0][0],
                             "levels": [level for level, _ in order[1:]], "pooled": pooled})
    return encoders


def polars_design(df, encoders):
    """The frame glum fits on: numeric columns standardised as LeadScore does
    (median-imputed, (x - mean) / SD) with their 0/1 missing indicators,
    booleans 0/1 with theirs, and each categorical as one Enum column whose
    first category is LeadScore's reference level, so glum's drop_first drops
    it and tabmat keeps the column as a CategoricalMatrix (as one-hot columns
    below 4 categories, tabmat's cat_threshold)."""
    import polars as pl
    exprs = []
    for e in encoders:
        c = pl.col(e["column"])
        if e["kind"] == "numeric":
            exprs.append(((c.cast(pl.Float64).fill_null(e["median"]) - e["mean"]) / e["sd"]).alias(e["column"]))
        elif e["kind"] == "boolean":
            b = polars_bool(c, df.schema[e["column"]])
            exprs.append((b == 1.0).fill_null(False).cast(pl.Float64).alias(e["column"]))
        else:
            known = [e["reference"]] + e["levels"]
            fallback = OTHER_LEVEL if OTHER_LEVEL in e["levels"] else e["reference"]
            lv = c.fill_null(MISSING_LEVEL)
            exprs.append(pl.when(lv.is_in(known)).then(lv).otherwise(pl.lit(fallback)).cast(pl.Enum(known))
                         .alias(e["column"]))
            continue
        if e["missing"]:
            exprs.append(c.is_null().cast(pl.Float64).alias(e["column"] + " (missing)"))
    return df.select(exprs)


def cmd_glum_train(a):
    """polars read_csv -> the same encoding in polars expressions -> glum's
    GeneralizedLinearRegressor (binomial, IRLS with a least-squares inner
    solver, the categoricals as tabmat CategoricalMatrix) -> holdout AUC and
    log loss -> joblib model file."""
    import polars as pl
    from glum import GeneralizedLinearRegressor
    from sklearn.metrics import log_loss, roc_auc_score
    import joblib
    t0 = time.perf_counter()
    cfg = load_config(a.config)
    held_np = np.load(a.split)
    # LeadScore's missing markers are missing here too (polars' default is "" only).
    df = pl.read_csv(a.data, null_values=MISSING_MARKERS)
    t_read = time.perf_counter()
    closed = df[cfg["target"]].is_in(list(cfg["positive"] | cfg["negative"]))
    df = df.filter(closed)
    y = df[cfg["target"]].is_in(list(cfg["positive"])).to_numpy().astype(np.float64)
    if len(held_np) != len(y):
        sys.exit(f"peer: the split has {len(held_np)} rows, the file {len(y)} closed rows: stale split file")
    df = df.drop([cfg["target"]] + [c for c in cfg["ids"] + cfg["exclude"] if c in df.columns])
    held = pl.Series(held_np)
    train = ~held
    encoders = polars_encoders(df, train, cfg)
    x = polars_design(df, encoders)
    del df
    x_train, x_hold = x.filter(train), x.filter(held)
    y_train, y_hold = y[~held_np], y[held_np]
    del x
    t_enc = time.perf_counter()
    # glum divides the loss by the sum of the weights: alpha = λ / Σ s_i.
    # glum stops when Σ_j |∂(f / Σ s_i)/∂θ_j| < gradient_tol (the L1 norm, in
    # glum 3.4.1's code), LeadScore when max_j |...| ≤ 1e-10. At 1e-10 glum
    # only halves steps once the L1 norm is near 1e-9 (its line search cannot
    # see the objective decrease below 16 ε |f|): 7 iterations instead of 6
    # at 100k rows, 19 at 1M. 1e-8 stops it after its last full Newton step
    # (L1 norm 1.9e-10 at 100k rows, 7.5e-10 at 1M), so max_j |...| ≤ 1e-8.
    model = GeneralizedLinearRegressor(
        family="binomial", link="logit", alpha=cfg["l2"] / len(y_train), l1_ratio=0.0, fit_intercept=True,
        solver="irls-ls", gradient_tol=a.gradient_tol, max_iter=a.max_iter, scale_predictors=False,
        drop_first=True, categorical_format="{name} = {category}")
    model.fit(x_train, y_train)
    t_fit = time.perf_counter()
    p = model.predict(x_hold)
    auc, ll = roc_auc_score(y_hold, p), log_loss(y_hold, p)
    t_eval = time.perf_counter()
    names = list(model.feature_names_)
    metrics = {"holdout": {"auc": auc, "logLoss": ll, "rows": int(len(y_hold))}}
    joblib.dump({"encoders": encoders, "features": names, "model": model, "metrics": metrics,
                 "id_columns": cfg["ids"]}, a.model)
    t_write = time.perf_counter()
    n_iter = int(model.n_iter_)
    out = {
        "solver": "glum irls-ls", "gradient_tol": a.gradient_tol, "max_iter": a.max_iter, "n_iter": n_iter,
        "converged": n_iter < a.max_iter, "alpha": model.alpha, "train_rows": int(len(y_train)),
        "holdout_rows": int(len(y_hold)), "n_features": len(names), "auc": auc, "log_loss": ll,
        "stages": {"python + imports": t0 - T_START, "read_csv": t_read - t0, "select + encode": t_enc - t_read,
                   "fit": t_fit - t_enc, "holdout metrics": t_eval - t_fit, "write model": t_write - t_eval},
        "features": names, "coef": model.coef_.tolist(), "intercept": float(model.intercept_),
    }
    with open(a.timings, "w") as f:
        json.dump(out, f, indent=1)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("split")
    s.add_argument("data"); s.add_argument("--config", required=True); s.add_argument("--out", required=True)
    s.add_argument("--fraction", type=float, default=0.3); s.add_argument("--seed", type=int, default=42)
    t = sub.add_parser("train")
    t.add_argument("data"); t.add_argument("--config", required=True); t.add_argument("--split", required=True)
    t.add_argument("--solver", choices=["newton-cholesky", "lbfgs"], required=True)
    t.add_argument("--tol", type=float, default=1e-10); t.add_argument("--max-iter", type=int, default=None)
    t.add_argument("--model", required=True); t.add_argument("--timings", required=True)
    d = sub.add_parser("design")
    d.add_argument("data"); d.add_argument("--config", required=True); d.add_argument("--split", required=True)
    d.add_argument("--out-dir", required=True)
    c = sub.add_parser("score")
    c.add_argument("data"); c.add_argument("--model", required=True); c.add_argument("--output", required=True)
    c.add_argument("--timings", required=True)
    q = sub.add_parser("duckdb-score")
    q.add_argument("data"); q.add_argument("--sql", required=True); q.add_argument("--output", required=True)
    q.add_argument("--timings", required=True)
    g = sub.add_parser("glum-train")
    g.add_argument("data"); g.add_argument("--config", required=True); g.add_argument("--split", required=True)
    g.add_argument("--gradient-tol", type=float, default=1e-8); g.add_argument("--max-iter", type=int, default=100)
    g.add_argument("--model", required=True); g.add_argument("--timings", required=True)
    sub.add_parser("selftest")
    a = ap.parse_args()
    if a.cmd == "train" and a.max_iter is None:
        a.max_iter = 1000 if a.solver == "newton-cholesky" else 100000
    {"split": cmd_split, "train": cmd_train, "design": cmd_design, "score": cmd_score, "duckdb-score": cmd_duckdb_score,
     "glum-train": cmd_glum_train, "selftest": lambda _: selftest()}[a.cmd](a)


if __name__ == "__main__":
    main()
