#!/usr/bin/env bash
# LeadScore against an earlier LeadScore: the same stages of the benchmark
# (train, score, score on one core, score with reasons, evaluate), two
# builds, the same files, alternating within each repetition. For a change
# that should leave the speed as it was: it prints each stage's median
# time, the ratio new ÷ base, and SLOWER where the ratio exceeds 1.03; it
# checks that both builds write the same scores and, within
# `leadscore diff`'s tolerance, the same models.
#
# Usage (from anywhere):
#   bash benchmarks/ab.sh --base REV [--reps 5] [--sizes 100000,1000000,10000000]
#
#   --base REV   the commit to compare with (built in benchmarks/work/ab-base,
#                a git worktree of this repository).
#   --reps N     repetitions (default 5).
#   --sizes      training exports (default 100000,1000000,10000000); the
#                1,000,000 new leads are always scored.
# Data come from benchmarks/work/data (made by run.sh, or here with the
# same seeds). Output: a table on standard output, the runs in
# benchmarks/work/ab-runs.tsv.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
work="$here/work"
base_rev="" reps=5 sizes="100000,1000000,10000000"
while [ $# -gt 0 ]; do
    case "$1" in
        --base) base_rev="$2"; shift 2 ;;
        --reps) reps="$2"; shift 2 ;;
        --sizes) sizes="$2"; shift 2 ;;
        -h|--help) sed -n '2,21p' "$0"; exit 0 ;;
        *) echo "ab.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
done
[ -n "$base_rev" ] || { echo "ab.sh: --base REV is required" >&2; exit 2; }
IFS=, read -r -a size_list <<< "$sizes"
log() { echo "[$(date +%H:%M:%S)] $*" >&2; }

# ---------------------------------------------------------------- builds
mkdir -p "$work"
base_dir="$work/ab-base"
if [ ! -d "$base_dir" ]; then git -C "$repo" worktree add --detach "$base_dir" "$base_rev" >&2; fi
git -C "$base_dir" checkout -q --detach "$base_rev"
log "building base $(git -C "$base_dir" rev-parse --short HEAD) and new $(git -C "$repo" rev-parse --short HEAD)"
swift build -c release --product leadscore --package-path "$base_dir" >&2
swift build -c release --product leadscore --package-path "$repo" >&2
base="$(swift build -c release --product leadscore --package-path "$base_dir" --show-bin-path)/leadscore"
new="$(swift build -c release --product leadscore --package-path "$repo" --show-bin-path)/leadscore"

# ---------------------------------------------------------------- data
data="$work/data"
mkdir -p "$data" "$work/ab-out"
for n in "${size_list[@]}"; do
    [ -s "$data/deals-$n.csv" ] || { log "generating deals-$n.csv"; "$new" generate --rows "$n" --seed 1 --output "$data/deals-$n.csv"; }
done
leads="$data/new-leads-1000000.csv"
[ -s "$leads" ] || { log "generating new leads"; "$new" generate --rows 1000000 --seed 2 --output "$leads"; }
config="$repo/datasets/b2b-deals.config.json"
out="$work/ab-out"

# ---------------------------------------------------------------- runs
runs="$work/ab-runs.tsv"
printf 'stage\tbuild\trep\twall\n' > "$runs"
measure() { # stage build rep command...
    local stage=$1 build=$2 rep=$3
    shift 3
    # Wall time to the microsecond (bash's EPOCHREALTIME).
    local start=$EPOCHREALTIME
    "$@" >/dev/null 2>"$work/ab-stderr" || { echo "ab.sh: $stage ($build) failed:" >&2; cat "$work/ab-stderr" >&2; exit 1; }
    local stop=$EPOCHREALTIME
    printf '%s\t%s\t%s\t%s\n' "$stage" "$build" "$rep" "$(python3 -c "print(f'{$stop - $start:.4f}')")" >> "$runs"
}
for rep in $(seq 1 "$reps"); do
    log "repetition $rep of $reps"
    for build in base new; do
        bin=$base; [ "$build" = new ] && bin=$new
        for n in "${size_list[@]}"; do
            measure "train $n" "$build" "$rep" "$bin" train "$data/deals-$n.csv" --config "$config" --holdout 0.3 --seed 42 \
                --training-date 2026-11-23 --output "$out/$build-$n.json" -q
        done
        ref="${size_list[0]}"; for n in "${size_list[@]}"; do [ "$n" = 1000000 ] && ref=1000000; done
        model="$out/$build-$ref.json"
        measure "score 1M new leads" "$build" "$rep" "$bin" score --model "$model" "$leads" --reasons 0 -o "$out/$build-scores.csv" -q
        measure "score 1M new leads, reasons 3" "$build" "$rep" "$bin" score --model "$model" "$leads" --reasons 3 -o "$out/$build-reasons.csv" -q
        measure "score 1M new leads, one core" "$build" "$rep" taskset -c 0 "$bin" score --model "$model" "$leads" --reasons 0 -o "$out/$build-scores-1core.csv" -q
        for n in "${size_list[@]}"; do
            measure "score $n export" "$build" "$rep" "$bin" score --model "$model" "$data/deals-$n.csv" --reasons 0 -o "$out/$build-export-$n.csv" -q
        done
        measure "evaluate 1M export" "$build" "$rep" "$bin" evaluate --model "$model" "$data/deals-$ref.csv" --json "$out/$build-evaluate.json"
    done
done

# ---------------------------------------------------------------- report
echo "LeadScore $(git -C "$repo" rev-parse --short HEAD) (new) against $(git -C "$base_dir" rev-parse --short HEAD) (base), $reps repetitions, medians"
echo "BLAS: $("$new" --version | sed -n 2p)"
python3 - "$runs" <<'PY'
import csv, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
stages = []
for r in rows:
    if r["stage"] not in stages: stages.append(r["stage"])
print(f"{'stage':34} {'base s':>8} {'new s':>8} {'new/base':>9}")
for s in stages:
    b = statistics.median(float(r["wall"]) for r in rows if r["stage"] == s and r["build"] == "base")
    n = statistics.median(float(r["wall"]) for r in rows if r["stage"] == s and r["build"] == "new")
    flag = "  SLOWER" if n > 1.03 * b else ""
    print(f"{s:34} {b:8.3f} {n:8.3f} {n / b:9.3f}{flag}")
PY
same=1
for f in scores reasons scores-1core; do cmp -s "$out/base-$f.csv" "$out/new-$f.csv" || { echo "the $f files differ"; same=0; }; done
for n in "${size_list[@]}"; do
    "$new" diff "$out/base-$n.json" "$out/new-$n.json" > "$out/diff-$n.txt" || { echo "the $n-row models differ (leadscore diff):"; cat "$out/diff-$n.txt"; same=0; }
done
[ "$same" = 1 ] && echo "Same scores (byte for byte) and the same models (leadscore diff) from both builds."
