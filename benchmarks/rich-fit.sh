#!/usr/bin/env bash
# The cost of the richer model: `leadscore train` with --splines auto
# --interactions auto --cv 5 against the plain fit, on the same file, in the
# same run, alternating, median of REPS; prints each stage's median
# seconds (from --timings) and the ratio rich ÷ plain of the totals.
#
#   bash benchmarks/rich-fit.sh [--rows N] [--reps R] [--bin PATH] [--data FILE]
#                               [-- extra train options...]
#
# Defaults: a 1,000,000-row export of the bundled generator (`leadscore
# generate --rows N --seed 20261201`, made once in benchmarks/work/rich-fit/),
# the bundled config, --holdout 0.3 --seed 42, 3
# repetitions. The issue's target: rich under 20× plain at 1M rows.
# For Leads.csv (no config), pass --data and the options after `--`.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
rows=1000000 reps=3 bin="$repo/.build/release/leadscore" data="" extra=()
while [ $# -gt 0 ]; do
    case "$1" in
    --rows) rows=$2; shift 2 ;;
    --reps) reps=$2; shift 2 ;;
    --bin) bin=$2; shift 2 ;;
    --data) data=$2; shift 2 ;;
    --) shift; extra=("$@"); break ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
    esac
done
[ -x "$bin" ] || (cd "$repo" && swift build -c release >/dev/null)
work="$here/work/rich-fit"
mkdir -p "$work"
rm -f "$work"/*.timings
if [ -z "$data" ]; then
    data="$work/deals-$rows.csv"
    if [ ! -f "$data" ]; then
        mkdir -p "$(dirname "$data")"
        "$bin" generate --rows "$rows" --seed 20261201 -o "$data" >/dev/null
    fi
    base=(--config "$repo/datasets/b2b-deals.config.json" --holdout 0.3 --seed 42)
else
    base=()
fi
rich=(--splines auto --interactions auto --cv 5)
for rep in $(seq 1 "$reps"); do
    for kind in plain rich; do
        opts=("${base[@]}" "${extra[@]}")
        [ "$kind" = rich ] && opts+=("${rich[@]}")
        "$bin" train "$data" "${opts[@]}" -q --timings -o "$work/$kind.json" 2> "$work/$kind.$rep.timings" >/dev/null ||
            { cat "$work/$kind.$rep.timings" >&2; exit 1; }
    done
done
python3 - "$work" "$reps" <<'PY'
import glob, re, statistics, sys
work, reps = sys.argv[1], int(sys.argv[2])
def stages(kind):
    out = {}
    for f in sorted(glob.glob(f"{work}/{kind}.*.timings")):
        for line in open(f):
            m = re.match(r"^(\S.*?)\s+([0-9.]+) s$", line.rstrip())
            if m: out.setdefault(m.group(1), []).append(float(m.group(2)))
    return {k: statistics.median(v) for k, v in out.items()}
p, r = stages("plain"), stages("rich")
names = list(dict.fromkeys(list(r) + list(p)))
print(f"{'stage':<16}{'plain s':>10}{'rich s':>10}")
for n in names:
    print(f"{n:<16}{p.get(n, 0):>10.3f}{r.get(n, 0):>10.3f}")
print(f"rich ÷ plain (total, median of {reps}): {r['total'] / p['total']:.1f}×")
PY
