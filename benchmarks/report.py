#!/usr/bin/env python3
"""Collects one benchmark run (benchmarks/work/runs/<stamp>/) into the
table, the agreement checks and the PASS/FAIL lines; prints them and writes
them, with the machine's description, to a Markdown file.

Called by run.sh; `report.py --machine-slug` prints the hostname-free
machine description used in the results file name.
"""

import argparse
import csv
import datetime
import filecmp
import glob
import importlib.metadata
import json
import math
import os
import platform
import re
import statistics
import subprocess
import sys

DESIGN_CONSTANT_MIB = 256      # the "+ a constant" of the training-memory target
GROWTH_SLACK = 1.25            # linear growth: per-row cost may grow at most 25% per size step
SCORE_RATE = 2e6              # scoring rows per second: "well over 1.5 million" on 2 cores
PEER_PACKAGES = ["numpy", "scipy", "pandas", "scikit-learn", "joblib", "threadpoolctl", "duckdb",
                 "polars", "glum", "tabmat", "narwhals"]
GLUM_TRAIN = 3                 # train end to end ≥ 3x faster than polars + glum ...
GLUM_TRAIN_FROM = 1000000      # ... from this many rows on (smaller: INFO)
BOUND_FACTOR = 3               # fit ≥ 3x faster than the dense linear-algebra bound: fit/bound ≤ 1/3
DUCKDB_SCORE = 2               # score ≥ 2x faster than the model's SQL inside DuckDB
REASONS_COST = 1.5             # score with 3 reasons per side ≤ 1.5x the time without


# ------------------------------------------------------------------ machine

def sh(*cmd):
    try:
        return subprocess.run(cmd, capture_output=True, text=True, timeout=60).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""


def machine():
    cpu = "unknown CPU"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    mem_kb = 0
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemTotal:"):
                    mem_kb = int(line.split()[1])
    except OSError:
        pass
    osr = {}
    try:
        with open("/etc/os-release") as f:
            for line in f:
                if "=" in line:
                    k, v = line.rstrip("\n").split("=", 1)
                    osr[k] = v.strip('"')
    except OSError:
        pass
    openblas = ""
    for pkg in ("libopenblas0-pthread", "libopenblas0", "libopenblas-dev"):
        v = sh("dpkg-query", "-W", "-f=${Version}", pkg)
        if v:
            openblas = f"{pkg} {v}"
            break
    return {
        "cpu": cpu, "cores": os.cpu_count(), "mem_gib": mem_kb / 1024 / 1024,
        "os": osr.get("PRETTY_NAME", platform.platform()), "os_id": osr.get("ID", "linux"),
        "os_version": osr.get("VERSION_ID", ""), "kernel": platform.release(), "arch": platform.machine(),
        "swift": sh("swift", "--version").splitlines()[0] if sh("swift", "--version") else "unknown",
        "openblas": openblas or "not found by dpkg", "python": platform.python_version(),
        "memory_settings": memory_settings(),
        "packages": {p: importlib.metadata.version(p) for p in PEER_PACKAGES},
    }


def read_text(path):
    try:
        with open(path) as f:
            return f.read().strip()
    except OSError:
        return None


def memory_settings():
    """The kernel's settings that decide what a new page costs (README,
    "Memory on the machine"): transparent huge pages, free page reporting
    to a hypervisor, DAMON's proactive reclaim."""
    parts = []
    thp = read_text("/sys/kernel/mm/transparent_hugepage/enabled")
    if thp:
        chosen = re.search(r"\[(\w+)\]", thp)
        parts.append(f"transparent huge pages: {chosen.group(1) if chosen else thp}")
    order = read_text("/sys/module/page_reporting/parameters/page_reporting_order")
    if order is not None and order.isdigit():
        reported = read_text("/sys/module/page_reporting/parameters/reported_kib")
        parts.append(f"free page reporting to the host: blocks of {4 << int(order)} KiB and larger"
                     + (f" ({int(reported) / 1024 / 1024:,.0f} GiB reported since boot)" if reported and reported.isdigit() else ""))
    else:
        parts.append("free page reporting: off")
    # The actions of the schemes of every running kdamond.
    actions = [read_text(path) for path in sorted(glob.glob("/sys/kernel/mm/damon/admin/kdamonds/*/contexts/*/schemes/*/action"))
               if read_text(path.split("/contexts/")[0] + "/state") == "on"]
    actions = [a for a in actions if a]
    parts.append(f"DAMON: {', '.join(actions)}" if actions else "DAMON: off")
    return "; ".join(parts)


def blas_kernel(run):
    """What `leadscore --version` said of the BLAS in this run: library,
    kernel and threads, and the note when OpenBLAS fell back to a kernel
    slower than the CPU allows."""
    try:
        with open(os.path.join(run, "leadscore-version.txt")) as f:
            lines = [l.strip() for l in f if l.strip()]
    except OSError:
        return "not recorded"
    return "; ".join(lines[1:]) or "not recorded"


def slug(m):
    cpu = re.sub(r"\((r|tm)\)|\bcpu\b|\bprocessor\b|@.*$|\d+-core", "", m["cpu"].lower())
    cpu = re.sub(r"[^a-z0-9]+", "-", cpu).strip("-") or "cpu"
    return f"{cpu}-{m['cores']}c-{round(m['mem_gib'])}g-{m['os_id']}{m['os_version'].split('.')[0]}"


# ------------------------------------------------------------------ runs

def load_json(path):
    try:
        with open(path) as f:
            text = f.read().strip()
    except OSError:
        return None
    for candidate in (text, text.splitlines()[-1] if text else ""):
        try:
            return json.loads(candidate)
        except ValueError:
            pass
    return None


NOISE = 0.2   # other processes' average CPU (cores) during a run above which its time is flagged "!"


def noise(r):
    try:
        return float(r.get("foreign_cpu_s") or 0) / max(float(r["wall"]), 1e-9)
    except (KeyError, ValueError):
        return 0.0


class Runs:
    def __init__(self, run_dir):
        self.dir = run_dir
        with open(os.path.join(run_dir, "runs.tsv")) as f:
            self.rows = list(csv.DictReader(f, delimiter="\t"))

    def of(self, stage, size, tool):
        return [r for r in self.rows if r["stage"] == stage and r["size"] == str(size) and r["tool"] == tool]

    def cell(self, stage, size, tool):
        """{'t': median wall, 'rss': median peak RSS (KiB), 'n', 'reps', 'status'} or None."""
        rs = [r for r in self.of(stage, size, tool) if r["status"] != "noisy"]
        if not rs:
            return None
        ok = [r for r in rs if r["status"] == "ok"]
        bad = [r["status"] for r in rs if r["status"] not in ("ok", "skipped")]
        c = {"n": len(ok), "reps": len(rs), "status": "ok" if ok else (bad[0] if bad else "skipped"),
             "files": [r["file"] for r in ok]}
        if ok:
            c["t"] = statistics.median(float(r["wall"]) for r in ok)
            c["rss"] = statistics.median(float(r["rss_kb"]) for r in ok)
            c["noise"] = max(noise(r) for r in ok)
        return c

    def noisy(self):
        return [r for r in self.rows if r["status"] == "ok" and noise(r) > NOISE]

    def remeasured(self):
        return [r for r in self.rows if r["status"] == "noisy"]

    def file(self, stage, size, tool, rep=1):
        return os.path.join(self.dir, f"{stage}.{size}.{tool}.{rep}.out")


def leadscore_stages(runs, stage, size):
    """LeadScore's stage timings (`train --timings`, printed after "Stage
    timings:" on stderr) of the finished repetitions: {stage name: [seconds,
    one per repetition]}, in the order printed."""
    per = {}
    for r in runs.of(stage, size, "leadscore"):
        if r["status"] != "ok":
            continue
        try:
            with open(os.path.join(runs.dir, f"{stage}.{size}.leadscore.{r['rep']}.err")) as f:
                text = f.read()
        except OSError:
            continue
        for name, secs in re.findall(r"^(\S.*?)\s+([0-9.]+) s$", text.split("Stage timings:")[-1], re.M):
            per.setdefault(name, []).append(float(secs))
    return per


def peer_stage_medians(files):
    docs = [d for d in (load_json(f) for f in files) if d]
    if not docs:
        return None
    stages = {k: statistics.median(d["stages"][k] for d in docs) for k in docs[0]["stages"]}
    return {"stages": stages, "doc": docs[0],
            "fit": stages.get("fit")}


# ------------------------------------------------------------------ formatting

def fmt_n(n):
    return f"{int(n):,}"


def fmt_t(c, timeout):
    if c is None:
        return "-"
    if c["status"] == "timeout" and "t" not in c:
        return f">{timeout:g} s TIMEOUT"
    if "t" not in c:
        return c["status"].upper()
    return f"{c['t']:.2f} s" + ("!" if c.get("noise", 0) > NOISE else "") + \
        ("" if c["n"] == c["reps"] else f" ({c['n']}/{c['reps']} ok)")


def fmt_mb(kib):
    return "-" if kib is None else f"{kib / 1024:,.0f} MB"


def fmt_bytes(b):
    return "-" if b is None else f"{b / 1048576:,.0f} MB"


def ratio(a, b):
    if a is None or b is None or b == 0:
        return None
    return a / b


def fmt_r(r):
    return "-" if r is None else (f"{r:.3f}" if r < 10 else f"{r:.1f}")


def table(header, rows):
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows)]
    line = lambda cells: "  ".join(str(c).ljust(w) if i < 2 else str(c).rjust(w)
                                   for i, (c, w) in enumerate(zip(cells, widths))).rstrip()
    out = [line(header), "  ".join("-" * w for w in widths)]
    out += [line(r) for r in rows]
    return "\n".join(out)


# ------------------------------------------------------------------ main

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--machine-slug", action="store_true")
    ap.add_argument("--run"); ap.add_argument("--sizes"); ap.add_argument("--reps", type=int)
    ap.add_argument("--new-rows", type=int); ap.add_argument("--ref-size", type=int)
    ap.add_argument("--timeout", type=float, default=900); ap.add_argument("--config")
    ap.add_argument("--src"); ap.add_argument("--bin"); ap.add_argument("--work"); ap.add_argument("--output")
    a = ap.parse_args()
    m = machine()
    if a.machine_slug:
        print(slug(m))
        return

    runs = Runs(a.run)
    sizes = [int(s) for s in a.sizes.split(",")]
    T = a.timeout
    rows = []
    verdicts = []   # (PASS/FAIL/INFO/N/A, text)
    agreement = []

    def verdict(ok, text):
        verdicts.append(("N/A" if ok is None else ("PASS" if ok else "FAIL"), text))

    # ---- training, end to end
    train = {}
    for n in sizes:
        ls, nc, lb = (runs.cell("train", n, t) for t in ("leadscore", "newton-cholesky", "lbfgs"))
        train[n] = (ls, nc, lb)
        t = lambda c: c.get("t") if c else None
        r = lambda c: c.get("rss") if c else None
        rows.append(["train: CSV in, model file out", fmt_n(n),
                     fmt_t(ls, T), fmt_mb(r(ls)), fmt_t(nc, T), fmt_mb(r(nc)), fmt_t(lb, T), fmt_mb(r(lb)),
                     fmt_r(ratio(t(ls), t(nc))), fmt_r(ratio(r(ls), r(nc))),
                     fmt_r(ratio(t(ls), t(lb))), fmt_r(ratio(r(ls), r(lb)))])

    # ---- fit alone on one design, and the bound
    fits = {}
    for n in sizes:
        probe = load_json(runs.file("fit", n, "leadscore"))
        bound = load_json(runs.file("bound", n, "blas"))
        ncp = peer_stage_medians(train[n][1]["files"]) if train[n][1] else None
        lbp = peer_stage_medians(train[n][2]["files"]) if train[n][2] else None
        card = load_json(os.path.join(a.work, "models", f"leadscore-{n}.json")) if train[n][0] and train[n][0]["n"] else None
        ls_fit = statistics.median(probe["seconds"]) if probe else None
        iters = probe["iterations"] if probe else (card["training"]["solver"]["iterations"] if card else None)
        b = iters * (bound["dsyrk"] + bound["dgemv"]) if bound and iters else None
        fits[n] = {"probe": probe, "bound": bound, "ls": ls_fit, "iters": iters, "b": b, "card": card,
                   "nc": ncp, "lb": lbp}
        nc_fit = ncp["fit"] if ncp else None
        lb_fit = lbp["fit"] if lbp else None
        it = lambda x, k: f" ({x} it)" if x is not None else ""
        fc = runs.cell("fit", n, "leadscore")
        bang = lambda c: "!" if c and c.get("noise", 0) > NOISE else ""
        rows.append(["fit only (same design, in-process)", fmt_n(n),
                     "-" if ls_fit is None else f"{ls_fit:.2f} s" + bang(fc) + it(iters, 0), "-",
                     "-" if nc_fit is None else f"{nc_fit:.2f} s" + bang(train[n][1]) + it(ncp["doc"]["n_iter"], 0), "-",
                     "-" if lb_fit is None else f"{lb_fit:.2f} s" + bang(train[n][2]) + it(lbp["doc"]["n_iter"], 0), "-",
                     fmt_r(ratio(ls_fit, nc_fit)), "-", fmt_r(ratio(ls_fit, lb_fit)), "-"])
    for n in sizes:
        f = fits[n]
        rows.append(["linear-algebra bound (LeadScore iters)", fmt_n(n),
                     "-" if f["b"] is None else f"{f['b']:.2f} s", "-", "", "", "", "",
                     "fit/bound", fmt_r(ratio(f["ls"], f["b"])), "", ""])

    # ---- scoring
    s_ls, s_peer, s_rs = runs.cell("score", "new", "leadscore"), runs.cell("score", "new", "peer"), \
        runs.cell("score-reasons", "new", "leadscore")
    t = lambda c: c.get("t") if c else None
    r = lambda c: c.get("rss") if c else None
    rows.append([f"score new leads: CSV in, scored CSV out", fmt_n(a.new_rows),
                 fmt_t(s_ls, T), fmt_mb(r(s_ls)), fmt_t(s_peer, T), fmt_mb(r(s_peer)), "", "",
                 fmt_r(ratio(t(s_ls), t(s_peer))), fmt_r(ratio(r(s_ls), r(s_peer))), "", ""])
    rows.append(["score new leads, 3 reasons per side", fmt_n(a.new_rows),
                 fmt_t(s_rs, T), fmt_mb(r(s_rs)), "", "", "", "",
                 "vs. no reasons", fmt_r(ratio(t(s_rs), t(s_ls))), "", ""])
    s_duck = runs.cell("score-duckdb", "new", "duckdb")
    if s_duck:
        rows.append(["score new leads inside DuckDB (export --sql), CSV in and out", fmt_n(a.new_rows),
                     fmt_t(s_ls, T), fmt_mb(r(s_ls)), fmt_t(s_duck, T), fmt_mb(r(s_duck)), "", "",
                     fmt_r(ratio(t(s_ls), t(s_duck))), fmt_r(ratio(r(s_ls), r(s_duck))), "", ""])
    s_one = runs.cell("score-1core", "new", "leadscore")
    if s_one:
        rows.append(["score new leads on one core (taskset -c 0)", fmt_n(a.new_rows), fmt_t(s_one, T), fmt_mb(r(s_one)),
                     "", "", "", "", "all cores ÷ one", fmt_r(ratio(t(s_ls), t(s_one))), "", ""])
    score = {}
    for n in sizes:
        ls, pe = runs.cell("score", n, "leadscore"), runs.cell("score", n, "peer")
        score[n] = (ls, pe)
        rows.append(["score the training export", fmt_n(n),
                     fmt_t(ls, T), fmt_mb(r(ls)), fmt_t(pe, T), fmt_mb(r(pe)), "", "",
                     fmt_r(ratio(t(ls), t(pe))), fmt_r(ratio(r(ls), r(pe))), "", ""])

    # ---- beyond memory: the largest export under a memory budget
    big = sizes[-1]
    budget_cell = runs.cell("train-budget", big, "leadscore")
    if budget_cell:
        rows.append([f"train, memory budget ¼ of the design", fmt_n(big), fmt_t(budget_cell, T),
                     fmt_mb(budget_cell.get("rss")), "", "", "", "",
                     "vs. in memory", fmt_r(ratio(budget_cell.get("t"), train[big][0].get("t") if train[big][0] else None)), "", ""])

    # ---- beyond memory: the same run in a memory cgroup whose limit is below the CSV file's size
    limit_setup = load_json(os.path.join(a.run, f"train-limit.{big}.leadscore.cgroup.json"))
    limit_cell = runs.cell("train-limit", big, "leadscore")
    limit_rows = [r for r in runs.of("train-limit", big, "leadscore") if r["status"] != "noisy"]
    limit_stats = [st for st in (load_json(os.path.join(a.run, f"train-limit.{big}.leadscore.{rep}.cgroup.json"))
                                 for rep in dict.fromkeys(r["rep"] for r in limit_rows)) if st]
    limit_peak = max((st["peak_bytes"] for st in limit_stats if st.get("peak_bytes") is not None), default=None)
    limit_bytes = (limit_setup or {}).get("limit_bytes") or next((st["limit_bytes"] for st in limit_stats), None)
    csv_bytes = (limit_setup or {}).get("csv_bytes")
    if csv_bytes is None and a.work and os.path.exists(os.path.join(a.work, "data", f"deals-{big}.csv")):
        csv_bytes = os.path.getsize(os.path.join(a.work, "data", f"deals-{big}.csv"))
    if budget_cell or limit_setup or limit_cell:
        rows.append([f"train, hard memory limit {fmt_bytes(limit_bytes)} (CSV is {fmt_bytes(csv_bytes)})"
                     if limit_bytes else "train, hard memory limit", fmt_n(big),
                     fmt_t(limit_cell, T) if limit_cell else "not run", fmt_mb(limit_cell.get("rss")) if limit_cell else "-",
                     "", "", "", "", "cgroup peak", fmt_bytes(limit_peak), "", ""])

    header = ["stage", "rows", "LeadScore", "LS RSS", "peer NC", "NC RSS", "peer lbfgs", "lbfgs RSS",
              "LS/NC time", "LS/NC RSS", "LS/lbfgs time", "LS/lbfgs RSS"]
    # ---- one core against all cores (verdicts below)
    one_size = next((n for n in sizes if n >= 1000000), big)
    one_cell = runs.cell("train-1core", one_size, "leadscore")
    if one_cell:
        rows.append(["train on one core (taskset -c 0)", fmt_n(one_size), fmt_t(one_cell, T), fmt_mb(one_cell.get("rss")),
                     "", "", "", "", "all cores ÷ one", fmt_r(ratio(train[one_size][0].get("t") if train[one_size][0] else None,
                                                                     one_cell.get("t"))), "", ""])
    main_table = table(header, rows)

    # ---- polars + glum: end to end, and the read and the fit inside the processes
    glum, grows = {}, []
    for n in sizes:
        ls, gl = train[n][0], runs.cell("train", n, "glum")
        gp = peer_stage_medians(gl["files"]) if gl else None
        own = leadscore_stages(runs, "train", n)
        med = lambda k: statistics.median(own[k]) if k in own else None
        g = glum[n] = {"cell": gl, "p": gp, "read": med("read"), "fit": med("fit"),
                       "read_csv": gp["stages"].get("read_csv") if gp else None, "glum_fit": gp["fit"] if gp else None}
        secs = lambda x, c=None: "-" if x is None else f"{x:.2f} s" + ("!" if c and c.get("noise", 0) > NOISE else "")
        ls_it = fits[n]["card"]["training"]["solver"]["iterations"] if fits[n]["card"] else None
        grows.append(["train: CSV in, model file out", fmt_n(n), fmt_t(ls, T), fmt_mb(r(ls)), fmt_t(gl, T), fmt_mb(r(gl)),
                      fmt_r(ratio(t(ls), t(gl))), fmt_r(ratio(r(ls), r(gl)))])
        grows.append(["read the CSV, all columns (read stage; read_csv)", fmt_n(n), secs(g["read"], ls), "-",
                      secs(g["read_csv"], gl), "-", fmt_r(ratio(g["read"], g["read_csv"])), "-"])
        grows.append(["fit (fit stage; GeneralizedLinearRegressor.fit)", fmt_n(n),
                      secs(g["fit"], ls) + ("" if ls_it is None else f" ({ls_it} it)"), "-",
                      secs(g["glum_fit"], gl) + ("" if not gp else f" ({gp['doc']['n_iter']} it)"), "-",
                      fmt_r(ratio(g["fit"], g["glum_fit"])), "-"])
    glum_table = table(["stage", "rows", "LeadScore", "LS RSS", "polars + glum", "glum RSS", "LS/glum time", "LS/glum RSS"],
                       grows)

    # ---- fit vs bound detail
    brows = []
    for n in sizes:
        f = fits[n]
        bd = f["bound"]
        if not bd:
            brows.append([fmt_n(n), "-", "-", "-", "-", "-", "-", "-", "-", "-"])
            continue
        brows.append([fmt_n(n), f"{bd['rows']:,} x {bd['columns']}", str(f["iters"] or "-"),
                      f"{bd['dsyrk'] * 1e3:.1f} ms", f"{bd['dgemv'] * 1e3:.1f} ms",
                      f"{bd['blocked_scale_dsyrk'] * 1e3:.1f} ms", f"{bd['dgemv_transposed'] * 1e3:.1f} ms",
                      "-" if f["b"] is None else f"{f['b']:.3f} s",
                      "-" if f["ls"] is None else f"{f['ls']:.3f} s",
                      "-" if not f["probe"] else f"{f['probe']['seconds'][0]:.3f} s"])
    bound_table = table(["rows", "training design n x p", "Newton iters", "dsyrk XᵀX", "dgemv X·w",
                         "blocked √w·X + dsyrk", "dgemv Xᵀr", "bound", "LeadScore fit", "first fit"], brows)

    # ---- peer breakdown
    prow = []
    for n in sizes:
        for solver, key in (("newton-cholesky", "nc"), ("lbfgs", "lb")):
            p = fits[n][key]
            if p:
                prow.append([f"train {solver}", fmt_n(n)] + [f"{v:.2f}" for v in p["stages"].values()])
                pkeys = list(p["stages"].keys())
    peer_train_table = table(["peer run", "rows"] + pkeys, prow) if prow else "(no peer training run)"
    grow = [["train polars + glum", fmt_n(n)] + [f"{v:.2f}" for v in glum[n]["p"]["stages"].values()]
            for n in sizes if glum[n]["p"]]
    glum_stage_table = table(["peer run", "rows"] + list(next(glum[n]["p"] for n in sizes if glum[n]["p"])["stages"]), grow) \
        if grow else "(no polars + glum training run)"
    srow = []
    for label, files in [("new leads", s_peer["files"] if s_peer else [])] + \
            [(f"export {fmt_n(n)}", score[n][1]["files"] if score[n][1] else []) for n in sizes]:
        p = peer_stage_medians(files)
        if p:
            skeys = list(p["stages"].keys())
            srow.append([label, fmt_n(p["doc"]["rows"])] + [f"{v:.2f}" for v in p["stages"].values()])
    peer_score_table = table(["peer scoring", "rows"] + skeys, srow) if srow else "(no peer scoring run)"

    # ---- agreement: both fitted the same model
    for n in sizes:
        card, nc, lb = fits[n]["card"], fits[n]["nc"], fits[n]["lb"]
        if not card:
            agreement.append(f"{fmt_n(n)} rows: no LeadScore model card (train did not finish)")
            continue
        h = card["metrics"]["holdout"]
        names = [f["name"] for f in card["features"]]
        coefs = [f["coefficient"] for f in card["features"]] + [card["intercept"]["coefficient"]]
        line = (f"{fmt_n(n)} rows ({len(names)} features, holdout {h['rows']:,}): LeadScore AUC {h['auc']:.6f}"
                f" log loss {h['logLoss']:.10f} ({card['training']['solver']['iterations']} Newton it)")
        agreement.append(line)
        for label, p in (("newton-cholesky", nc), ("lbfgs", lb)):
            if not p:
                agreement.append(f"    peer {label}: no finished run")
                verdict(None, f"same model, LeadScore vs peer {label}, {fmt_n(n)} rows: peer did not finish")
                continue
            d = p["doc"]
            same_auc = round(h["auc"], 3) == round(d["auc"], 3)
            rel = abs(h["logLoss"] - d["log_loss"]) / d["log_loss"]
            same_names = names == d["features"]
            dc = max(abs(x - y) for x, y in zip(coefs, d["coef"] + [d["intercept"]])) if same_names else float("nan")
            agreement.append(f"    peer {label}: AUC {d['auc']:.6f} log loss {d['log_loss']:.10f} ({d['n_iter']} it);"
                             f" log-loss rel. diff {rel:.2e}; same feature names {same_names};"
                             f" max |coef diff| {dc:.2e}")
            verdict(same_auc and rel <= 1e-6 and same_names,
                    f"same model, LeadScore vs peer {label}, {fmt_n(n)} rows: AUC {h['auc']:.3f} vs {d['auc']:.3f},"
                    f" log loss rel. diff {rel:.1e} (≤ 1e-6)")
        gp = glum[n]["p"]
        if not gp:
            agreement.append("    polars + glum: no finished run")
            verdict(None, f"same model, LeadScore vs polars + glum, {fmt_n(n)} rows: peer did not finish")
        else:
            # glum names the categorical columns as LeadScore does ("Country = Germany")
            # but may order the columns differently: compared by name.
            d = gp["doc"]
            same_auc = round(h["auc"], 3) == round(d["auc"], 3)
            rel = abs(h["logLoss"] - d["log_loss"]) / d["log_loss"]
            theirs = dict(zip(d["features"], d["coef"]))
            same_names = sorted(names) == sorted(theirs)
            dc = max([abs(x - theirs[k]) for k, x in zip(names, coefs)] + [abs(coefs[-1] - d["intercept"])]) \
                if same_names else float("nan")
            agreement.append(f"    polars + glum (IRLS, alpha = λ/{d['train_rows']:,} = {d['alpha']:.3e}): AUC {d['auc']:.6f}"
                             f" log loss {d['log_loss']:.10f} ({d['n_iter']} it{'' if d['converged'] else ', NOT converged'});"
                             f" log-loss rel. diff {rel:.2e}; same feature names {same_names}; max |coef diff| {dc:.2e}")
            verdict(same_auc and rel <= 1e-6 and same_names and d["converged"],
                    f"same model, LeadScore vs polars + glum, {fmt_n(n)} rows: AUC {h['auc']:.3f} vs {d['auc']:.3f},"
                    f" log loss rel. diff {rel:.1e} (≤ 1e-6), max |coef diff| {dc:.1e}")
        probe = fits[n]["probe"]
        if probe and len(probe["coefficients"]) == len(names):
            dp = max(abs(x - y) for x, y in zip(coefs, probe["coefficients"] + [probe["intercept"]]))
            agreement.append(f"    fit probe (LeadScore's solver on the peer's design): max |coef diff| vs the model card"
                             f" {dp:.2e} (the two encodings give the same design)")

    # the out-of-core model against the in-memory one
    def compare_cards(mem_card, other):
        """(same feature names, max relative difference of the coefficients, of the standard errors)."""
        def params(c):
            return [f["coefficient"] for f in c["features"]] + [c["intercept"]["coefficient"]]
        def ses(c):
            return [f["standardError"] for f in c["features"]] + [c["intercept"]["standardError"]]
        same_names = [f["name"] for f in mem_card["features"]] == [f["name"] for f in other["features"]]
        rel = lambda x, y: abs(x - y) / max(abs(x), abs(y), 1e-300)
        dc = max(rel(x, y) for x, y in zip(params(mem_card), params(other))) if same_names else float("nan")
        ds = max(rel(x, y) for x, y in zip(ses(mem_card), ses(other))) if same_names else float("nan")
        return same_names, dc, ds

    if budget_cell:
        mem_card = fits[big]["card"]
        ooc_card = load_json(os.path.join(a.work, "models", f"leadscore-{big}-budget.json")) if budget_cell.get("n") else None
        if mem_card and ooc_card:
            same_names, dc, ds = compare_cards(mem_card, ooc_card)
            p = len(mem_card["features"])
            design_kib = mem_card["training"]["rows"] * p * 8 / 1024
            agreement.append(f"{fmt_n(big)} rows under a memory budget of a quarter of the design: max relative difference"
                             f" to the in-memory model: coefficients {dc:.2e}, standard errors {ds:.2e};"
                             f" holdout AUC {ooc_card['metrics']['holdout']['auc']:.6f}"
                             f" vs {mem_card['metrics']['holdout']['auc']:.6f}")
            verdict(same_names and dc <= 1e-9 and ds <= 1e-9,
                    f"beyond memory: {fmt_n(big)} rows with a memory budget of ¼ of the design give the in-memory model"
                    f" (max relative coefficient difference {dc:.1e}, SE {ds:.1e}; target ≤ 1e-9)")
            if "rss" in budget_cell:
                verdict(budget_cell["rss"] < design_kib,
                        f"beyond memory: peak RSS {budget_cell['rss'] / 1024:,.0f} MB below the design's"
                        f" {design_kib / 1024:,.0f} MB ({mem_card['training']['rows']:,} x {p} x 8 B);"
                        f" in memory: {train[big][0]['rss'] / 1024:,.0f} MB" if train[big][0] and "rss" in train[big][0] else "")
        else:
            verdict(None, f"beyond memory, {fmt_n(big)} rows: a model is missing (in memory: {bool(mem_card)}, budget: {bool(ooc_card)})")
    else:
        verdict(None, "beyond memory: not run")

    # the same under a hard memory limit below the CSV file's size: exit 0 and the in-memory model
    hard = f"beyond memory under a hard memory limit, {fmt_n(big)} rows"
    if limit_setup and limit_setup.get("not_run"):
        verdict(None, f"{hard}: not run: {limit_setup['not_run']}")
    elif budget_cell or limit_setup or limit_cell:
        where = (f"in a memory cgroup limited to {fmt_bytes(limit_bytes)} (the CSV file is {fmt_bytes(csv_bytes)};"
                 f" memory budget ¼ of the design, {fmt_bytes((limit_setup or {}).get('budget_bytes'))})")
        failed = [r for r in limit_rows if r["status"] not in ("ok", "skipped")]
        if not limit_cell:
            verdict(None, f"{hard}: not run")
        elif failed:
            bad = failed[0]
            rc = re.search(r"rc=(\d+)", bad["status"])
            if bad["status"] == "timeout":
                why = f"timed out (> {T:g} s)"
            elif rc and rc.group(1) == "137":
                why = "exit status 137: killed by the memory limit (SIGKILL)"
            else:
                why = f"exit status {rc.group(1) if rc else bad['status']}"
                try:
                    with open(os.path.join(a.run, f"train-limit.{big}.leadscore.{bad['rep']}.err")) as f:
                        last = [line.strip() for line in f if line.strip()]
                    why += f" ({last[-1]})" if last else ""
                except OSError:
                    pass
            verdict(False, f"{hard} {where}: run #{bad['rep']} failed, {why};"
                           f" cgroup peak {fmt_bytes(limit_peak)}")
        elif limit_cell["n"] != limit_cell["reps"]:
            verdict(None, f"{hard}: {limit_cell['n']} of {limit_cell['reps']} runs finished")
        else:
            mem_card = fits[big]["card"]
            lim_card = load_json(os.path.join(a.work, "models", f"leadscore-{big}-limit.json"))
            if not mem_card or not lim_card:
                verdict(False if mem_card else None,
                        f"{hard}: a model is missing (in memory: {bool(mem_card)}, under the limit: {bool(lim_card)})")
            else:
                same_names, dc, ds = compare_cards(mem_card, lim_card)
                agreement.append(f"{fmt_n(big)} rows under a hard memory limit of {fmt_bytes(limit_bytes)}: max relative"
                                 f" difference to the in-memory model: coefficients {dc:.2e}, standard errors {ds:.2e};"
                                 f" holdout AUC {lim_card['metrics']['holdout']['auc']:.6f}"
                                 f" vs {mem_card['metrics']['holdout']['auc']:.6f}")
                below = limit_bytes is not None and csv_bytes is not None and limit_bytes < csv_bytes
                verdict(same_names and dc <= 1e-9 and below,
                        f"{hard} {where}: exit 0 in {limit_cell['n']} of {limit_cell['reps']} runs, cgroup peak"
                        f" {fmt_bytes(limit_peak)}; max relative coefficient difference to the in-memory model {dc:.1e}"
                        f" (target ≤ 1e-9){'' if same_names else '; different features'}"
                        f"{'' if below else '; the limit is not below the CSV file size'}")

    # one core against all cores
    if one_cell:
        a_path = os.path.join(a.work, "models", f"leadscore-{one_size}.json")
        b_path = os.path.join(a.work, "models", f"leadscore-{one_size}-1core.json")
        same = os.path.exists(a_path) and os.path.exists(b_path) and open(a_path, "rb").read() == open(b_path, "rb").read()
        verdict(same, f"same model file, byte for byte, on one core and on all {m['cores']} cores ({fmt_n(one_size)} rows)")
        if train[one_size][0] and "t" in train[one_size][0] and "t" in one_cell:
            verdicts.append(("INFO", f"cores: training {fmt_n(one_size)} rows takes {one_cell['t']:.2f} s on one core,"
                                     f" {train[one_size][0]['t']:.2f} s on {m['cores']} ({one_cell['t'] / train[one_size][0]['t']:.2f}x)"))
    else:
        verdict(None, "same model on one core: not run (needs taskset)")
    if s_one:
        a_path = os.path.join(a.work, "out", "leadscore-new.csv")
        b_path = os.path.join(a.work, "out", "leadscore-new-1core.csv")
        same = os.path.exists(a_path) and os.path.exists(b_path) and filecmp.cmp(a_path, b_path, shallow=False)
        verdict(same, f"same scores file, byte for byte, on one core and on all {m['cores']} cores ({fmt_n(a.new_rows)} new leads)")
        if s_ls and "t" in s_ls and "t" in s_one:
            verdicts.append(("INFO", f"cores: scoring {fmt_n(a.new_rows)} new leads takes {s_one['t']:.2f} s on one core,"
                                     f" {s_ls['t']:.2f} s on {m['cores']} ({s_one['t'] / s_ls['t']:.2f}x)"))
    else:
        verdict(None, "same scores on one core: not run (needs taskset)")

    # LeadScore's own stage timings (train --timings), medians over repetitions
    stage_rows = []
    stage_names = []
    for stage, size, suffix in [("train", n, "") for n in sizes] + \
            ([("train-budget", big, " (budget)")] if budget_cell else []) + \
            ([("train-limit", big, " (memory limit)")] if limit_cell else []) + \
            ([("train-1core", one_size, " (one core)")] if one_cell else []):
        per = leadscore_stages(runs, stage, size)
        stage_names += [name for name in per if name not in stage_names]
        if per:
            stage_rows.append([fmt_n(size) + suffix] +
                              [f"{statistics.median(per[k]):.2f}" if k in per else "-" for k in stage_names])
    stage_table = table(["rows"] + stage_names, stage_rows) if stage_rows else "(no stage timings)"

    # scored output agreement
    ls_csv = os.path.join(a.work, "out", "leadscore-new.csv")
    peer_csv = os.path.join(a.work, "out", "peer-new.csv")
    if os.path.exists(ls_csv) and os.path.exists(peer_csv):
        import numpy as np
        import pandas as pd
        x = pd.read_csv(ls_csv, usecols=["probability", "score", "tier"])
        y = pd.read_csv(peer_csv, usecols=["probability", "score", "tier"])
        if len(x) == len(y):
            dp = float(np.max(np.abs(x["probability"].to_numpy() - y["probability"].to_numpy())))
            agreement.append(f"scored new leads ({len(x):,}): max |probability diff| LeadScore vs peer {dp:.2e},"
                             f" same score {np.mean(x['score'].to_numpy() == y['score'].to_numpy()):.4%},"
                             f" same tier {np.mean(x['tier'].to_numpy() == y['tier'].to_numpy()):.4%}")

    duck_csv = os.path.join(a.work, "out", "duckdb-new.csv")
    if os.path.exists(ls_csv) and os.path.exists(duck_csv):
        import numpy as np
        import pandas as pd
        # DuckDB writes the rows in the order its threads finish them: both
        # files are put in the order of their first column, the lead's id.
        x = pd.read_csv(ls_csv)
        y = pd.read_csv(duck_csv)
        key = x.columns[0]
        if key == y.columns[0] and x[key].is_unique:
            x, y = x.sort_values(key, kind="stable"), y.sort_values(key, kind="stable")
        if len(x) == len(y) and (x[key].to_numpy() == y[key].to_numpy()).all():
            dp = float(np.max(np.abs(x["probability"].to_numpy() - y["probability"].to_numpy())))
            agreement.append(f"scored new leads ({len(x):,}): max |probability diff| leadscore score vs its SQL in DuckDB {dp:.2e},"
                             f" same score {np.mean(x['score'].to_numpy() == y['score'].to_numpy()):.4%},"
                             f" same tier {np.mean(x['tier'].to_numpy() == y['tier'].to_numpy()):.4%}")
        else:
            agreement.append(f"scored new leads: leadscore score and DuckDB wrote different leads"
                             f" ({len(x):,} and {len(y):,} rows)")

    # ---- targets
    def speed_target(label, n, ls, peer, factor, peer_name="peer", info=None):
        """PASS when LeadScore's median time is at most 1/factor of the peer's;
        with info (why), the same line as INFO: a size the target does not cover."""
        def decide(ok, text):
            if info:
                verdicts.append(("INFO", f"{text}; {info}"))
            else:
                verdict(ok, text)
        if not ls or not peer:
            decide(None, f"{label}, {fmt_n(n)} rows: not measured")
            return
        if "t" in ls and "t" in peer:
            s = peer["t"] / ls["t"]
            how = f"{s:.2f}x faster" if s >= 1 else f"{1 / s:.2f}x slower"
            decide(s >= factor, f"{label}, {fmt_n(n)} rows: {how} (LeadScore {ls['t']:.2f} s,"
                   f" {peer_name} {peer['t']:.2f} s; target ≥ {factor}x, i.e. LS/{peer_name} ≤ {1 / factor:.3f})")
        elif "t" in ls and peer["status"] == "timeout":
            s = T / ls["t"]
            decide(True if s >= factor else None,
                   f"{label}, {fmt_n(n)} rows: > {s:.2f}x faster ({peer_name} timed out at {T:g} s)")
        else:
            decide(False if "t" in peer else None,
                   f"{label}, {fmt_n(n)} rows: LeadScore {ls['status']}, {peer_name} {fmt_t(peer, T)}")

    for n in sizes:
        speed_target("train end to end ≥ 3x faster than peer newton-cholesky", n, train[n][0], train[n][1], 3)
    for n in sizes:
        speed_target("train end to end ≥ 10x faster than peer lbfgs", n, train[n][0], train[n][2], 10)
    for n in sizes:
        speed_target(f"train end to end ≥ {GLUM_TRAIN}x faster than polars + glum", n, train[n][0], glum[n]["cell"],
                     GLUM_TRAIN, "polars + glum",
                     info=f"the target is for {fmt_n(GLUM_TRAIN_FROM)} rows and more" if n < GLUM_TRAIN_FROM else None)
    def ratio_target(what, x, y, limit, detail):
        """PASS when x ≤ limit · y (times in seconds); detail(x, y) says how."""
        if x is None or y is None:
            verdict(None, f"{what}: not measured")
        else:
            verdict(x <= limit * y, f"{what}: {detail(x, y)}")

    for n in sizes:
        ratio_target(f"read stage (all columns) at least as fast as polars read_csv, {fmt_n(n)} rows",
                     glum[n]["read"], glum[n]["read_csv"], 1,
                     lambda x, y: f"LeadScore {x:.3f} s, polars {y:.3f} s (LS/polars {x / y:.3f}; target ≤ 1;"
                                  f" both in-process, on {m['cores']} cores)")
    for n in sizes:
        f = fits[n]
        ratio_target(f"fit ≥ {BOUND_FACTOR}x faster than the dense linear-algebra bound, {fmt_n(n)} rows",
                     f["ls"], f["b"], 1 / BOUND_FACTOR,
                     lambda x, y: f"fit {x:.3f} s = {x / y:.3f}x the bound {y:.3f} s ({f['iters']} it x (dsyrk + dgemv);"
                                  f" median of {len(f['probe']['seconds'])} fits in one process, the first"
                                  f" {f['probe']['seconds'][0]:.3f} s; target fit/bound ≤ {1 / BOUND_FACTOR:.3f})")
    speed_target("score end to end ≥ 5x faster than peer", a.new_rows, s_ls, s_peer, 5)
    speed_target(f"score end to end ≥ {DUCKDB_SCORE}x faster than the model's SQL inside DuckDB", a.new_rows, s_ls,
                 s_duck, DUCKDB_SCORE, "DuckDB")
    # The issue puts 5x as "well over 1.5 million rows per second on 2 cores";
    # "well over" is taken as at least 2 million.
    if s_ls and "t" in s_ls:
        rate = a.new_rows / s_ls["t"]
        verdict(rate >= SCORE_RATE, f"score throughput well over 1.5 million rows/s (≥ {SCORE_RATE / 1e6:.1f} million),"
                f" {fmt_n(a.new_rows)} new leads: {rate / 1e6:.2f} million rows/s ({s_ls['t']:.2f} s)")
    else:
        verdict(None, f"score throughput ≥ {SCORE_RATE / 1e6:.1f} million rows/s: not measured")
    rates = [f"{fmt_n(n)}: {n / score[n][0]['t'] / 1e6:.2f} million rows/s" for n in sizes if score[n][0] and "t" in score[n][0]]
    if rates:
        verdicts.append(("INFO", "score throughput on the training exports: " + "; ".join(rates)))
    ratio_target(f"score with reasons (--reasons 3, the default) ≤ {REASONS_COST}x the time without (--reasons 0),"
                 f" {fmt_n(a.new_rows)} new leads", t(s_rs), t(s_ls), REASONS_COST,
                 lambda x, y: f"{x:.2f} s vs {y:.2f} s ({x / y:.2f}x), peak RSS {s_rs['rss'] / 1024:,.0f} MB"
                              f" vs {s_ls['rss'] / 1024:,.0f} MB")
    for n in sizes:
        ls, card = train[n][0], fits[n]["card"]
        if not ls or "rss" not in ls or not card:
            verdict(None, f"training peak RSS ≤ 2x dense design + {DESIGN_CONSTANT_MIB} MiB, {fmt_n(n)} rows: not measured")
            continue
        p = len(card["features"])
        design = n * p * 8 / 1024      # KiB
        limit = 2 * design + DESIGN_CONSTANT_MIB * 1024
        verdict(ls["rss"] <= limit,
                f"training peak RSS ≤ 2x dense design + {DESIGN_CONSTANT_MIB} MiB, {fmt_n(n)} rows: {ls['rss'] / 1024:,.0f} MB"
                f" (design {n:,} x {p} x 8 B = {design / 1024:,.0f} MB; limit {limit / 1024:,.0f} MB;"
                f" {ls['rss'] / design:.2f}x the design)")
    if 1000000 in score and 10000000 in score and score[1000000][0] and score[10000000][0] \
            and "rss" in score[1000000][0] and "rss" in score[10000000][0]:
        r1, r10 = score[1000000][0]["rss"], score[10000000][0]["rss"]
        verdict(abs(r10 / r1 - 1) <= 0.2, f"scoring peak RSS the same at 1M and 10M rows within 20%:"
                f" {r1 / 1024:,.0f} MB vs {r10 / 1024:,.0f} MB ({r10 / r1 - 1:+.1%})")
    else:
        verdict(None, "scoring peak RSS the same at 1M and 10M rows within 20%: needs sizes 1000000 and 10000000")
    for label, cells in (("train time", {n: train[n][0] for n in sizes}), ("training peak RSS", {n: train[n][0] for n in sizes}),
                         ("score time", {n: score[n][0] for n in sizes})):
        key = "rss" if "RSS" in label else "t"
        pts = [(n, c[key]) for n, c in sorted(cells.items()) if c and key in c]
        if len(pts) < 2:
            verdict(None, f"linear growth with rows, LeadScore {label}: fewer than two sizes measured")
            continue
        steps = [(a_n, b_n, (b_v / a_v) / (b_n / a_n)) for (a_n, a_v), (b_n, b_v) in zip(pts, pts[1:])]
        text = "; ".join(f"{fmt_n(x)} → {fmt_n(y)}: x{(g * y / x):.2f} for x{y / x:g} rows (per row x{g:.2f})"
                         for x, y, g in steps)
        if key == "rss":
            verdicts.append(("INFO", f"growth with rows, LeadScore {label}: {text}"))
        else:
            verdict(all(g <= GROWTH_SLACK for _, _, g in steps),
                    f"linear growth with rows, LeadScore {label} (per-row cost grows ≤ {GROWTH_SLACK}x): {text}")

    noisy = runs.noisy()
    noise_note = (f"{len(noisy)} of {sum(r['status'] == 'ok' for r in runs.rows)} measured processes ran while other"
                  f" processes used more than {NOISE} of a core on average (marked ! where one of a median's runs did): "
                  + "; ".join(f"{r['stage']} {r['size']} {r['tool']} #{r['rep']} ({noise(r):.2f} cores)" for r in noisy)
                  ) if noisy else (f"No measured process ran beside other processes using more than {NOISE} of a core"
                                   " on average (CPU time of the whole machine from /proc/stat minus the process's own).")
    again = runs.remeasured()
    if again:
        noise_note += (f" Measured again because other processes were busy (these measurements are left out of the"
                       f" medians): " + "; ".join(f"{r['stage']} {r['size']} {r['tool']} #{r['rep']} ({float(r['wall']):.2f} s"
                                                  f" beside {noise(r):.2f} cores of other work)" for r in again) + ".")
    split_times = []
    for n in sizes:
        c = runs.cell("split", n, "peer")
        saved = load_json(os.path.join(a.work, "data", f"deals-{n}.split.npy.json"))
        if c and "t" in c:
            split_times.append(f"{fmt_n(n)}: {c['t']:.1f} s")
        elif saved:
            split_times.append(f"{fmt_n(n)}: {saved['seconds']:.1f} s, computed by an earlier run")
    split_note = "; ".join(split_times)

    # ---- print and write
    now = datetime.date.today().isoformat()
    commit = sh("git", "-C", a.src, "rev-parse", "--short", "HEAD") or "unknown"
    dirty = sh("git", "-C", a.src, "status", "--porcelain", "--", "Sources", "Package.swift")
    verdict_lines = "\n".join(f"{v:4}  {t}" for v, t in verdicts)
    n_pass = sum(v == "PASS" for v, _ in verdicts)
    n_fail = sum(v == "FAIL" for v, _ in verdicts)
    summary = f"{n_pass} targets/checks PASS, {n_fail} FAIL, {sum(v == 'N/A' for v, _ in verdicts)} not measured"
    print()
    print(f"LeadScore {commit}{' (modified)' if dirty else ''} vs pandas {m['packages']['pandas']} + scikit-learn"
          f" {m['packages']['scikit-learn']}, polars {m['packages']['polars']} + glum {m['packages']['glum']},"
          f" DuckDB {m['packages']['duckdb']}; {m['cpu']}, {m['cores']} cores, {m['mem_gib']:.0f} GiB; medians of {a.reps}")
    print()
    print(main_table)
    print()
    print(f"Against polars {m['packages']['polars']} + glum {m['packages']['glum']} (tabmat {m['packages']['tabmat']}):")
    print(glum_table)
    print()
    print(glum_stage_table)
    print()
    print(bound_table)
    print()
    print(stage_table)
    print()
    print("Agreement (both fit the same model on the same split):")
    print("\n".join(agreement))
    print()
    print(noise_note)
    print()
    print(verdict_lines)
    print(summary)

    md = f"""# LeadScore benchmark, {now}

`bash benchmarks/run.sh --sizes {a.sizes} --reps {a.reps} --timeout {T:g}` (medians of {a.reps}
repetition{'s' if a.reps != 1 else ''}; a stage is one process, wall time and peak RSS from
`/usr/bin/time -f "%e %M %U %S"`; LeadScore and the peer alternate within each repetition). How to read this: [benchmarks/README.md](../README.md).

## Machine

| | |
|---|---|
| CPU | {m['cpu']} ({m['arch']}) |
| cores | {m['cores']} |
| memory | {m['mem_gib']:.1f} GiB; {m['memory_settings']} |
| OS | {m['os']}, kernel {m['kernel']} |
| Swift | {m['swift']} |
| OpenBLAS | {m['openblas']} ({(fits[sizes[0]]['bound'] or {}).get('openblas_config', 'config not probed')}, {(fits[sizes[0]]['bound'] or {}).get('openblas_threads', '?')} threads) |
| BLAS kernel | {blas_kernel(a.run)} |
| LeadScore | commit {commit}{' with local changes to Sources/' if dirty else ''}, release build |
| Python | {m['python']}; {', '.join(f'{k} {v}' for k, v in m['packages'].items())} |

## Results

Times are medians in seconds, RSS is the median peak resident set in MB (MiB). LS/NC and LS/lbfgs are
LeadScore ÷ peer (below 1: LeadScore is faster or smaller). "peer NC" is pandas + scikit-learn
`LogisticRegression(solver="newton-cholesky")`, "peer lbfgs" the same with the default `lbfgs`; scoring rows
use the peer's newton-cholesky model of the {fmt_n(a.ref_size)}-row export (LeadScore's likewise). The fit rows
are timed inside the process on the same training design (LeadScore: `LogisticRegression.fit` through
the fit probe; peer: `model.fit`). The peer's holdout split (LeadScore's SplitMix64 definition, in
Python) is computed once per file outside the timed runs and is not counted ({split_note or 'not run'}).

```
{main_table}
```

{noise_note}

Against polars + glum: polars `read_csv` (all columns, LeadScore's missing markers as `null_values`), the same
encoding in polars expressions (numeric columns standardised, categoricals as `pl.Enum` whose first category is
LeadScore's reference level), glum `GeneralizedLinearRegressor(family="binomial", alpha=λ/Σs_i, l1_ratio=0,
solver="irls-ls", gradient_tol=1e-8, drop_first=True)` on the polars frame (tabmat: each categorical of 4 or
more categories as a `CategoricalMatrix`), holdout AUC and log loss, `joblib.dump`. The read row is LeadScore's read stage
(`train --timings`, all columns) against polars `read_csv` timed inside the peer's process; the fit row is
LeadScore's fit stage against `GeneralizedLinearRegressor.fit`, both on {m['cores']} cores.

```
{glum_table}
```

The linear-algebra bound: Newton iterations × (one `cblas_dsyrk` XᵀX + one `cblas_dgemv` X·w) on the
training design, system OpenBLAS with its default threads, timed by `benchmarks/bound.c` (median of 5); the
blocked column (√w·X formed 2048 rows at a time, dsyrk per block) and dgemv Xᵀr are for information.
LeadScore's fit is the fit probe's median of 5 fits in one process (`LogisticRegression.fit`, compact form
and every pass included), the same count as the bound's; "first fit" is the process's first, whose buffers
are memory the process had not touched yet. LeadScore's solver makes one pass per Newton iteration over 1 MiB blocks of rows, each split in two halves
with their own single-threaded dsyrk on two cores, which runs faster than OpenBLAS's own two-thread dsyrk
on the whole matrix: that is why its fit can come in under the bound. The target (fit/bound ≤ 1/3) asks for
more than a dense solver can do: a fit that uses the one-hot columns' structure instead of dense products.

```
{bound_table}
```

LeadScore's training stages (medians, seconds, from `train --timings`):

```
{stage_table}
```

Peer stages (medians, seconds, timed inside the process):

```
{peer_train_table}

{peer_score_table}

{glum_stage_table}
```

## Both fitted the same model

```
{chr(10).join(agreement)}
```

## Targets

```
{verdict_lines}
{summary}
```
"""
    with open(a.output, "w") as f:
        f.write(md)


if __name__ == "__main__":
    main()
