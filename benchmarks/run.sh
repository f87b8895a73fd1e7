#!/usr/bin/env bash
# LeadScore performance benchmark: LeadScore against pandas + scikit-learn and
# polars + glum (training) and its own SQL inside DuckDB (scoring) on the same
# synthetic closed-deal exports, in the same run, alternating.
#
# Usage (from anywhere):
#   bash benchmarks/run.sh [--sizes 100000,1000000,10000000] [--reps 3] [--quick]
#                          [--timeout 900] [--retries 1] [--quiet-wait 120] [--new-leads 1000000] [--output FILE]
#                          [--src DIR] [--bin PATH] [--scratch DIR]
#
#   --quick        100k and 1M rows, 1 repetition; results go to benchmarks/work/
#                  (a smoke test), not to benchmarks/results/.
#   --timeout S    wall-time limit of one measured process (default 900 s); a
#                  stage that hits it, or fails (e.g. out of memory), is marked
#                  in the table and its remaining repetitions are skipped.
#   --retries N    measure a process again, at most N times (default 1), when
#                  other processes used more than 0.2 of a core meanwhile; the
#                  noisy measurement is kept in runs.tsv, out of the medians.
#   --quiet-wait S before each measured process, wait at most S seconds (default
#                  120) for the machine to quieten; on a machine shared with
#                  builds, a smaller value makes a smoke test finish (its times
#                  are then marked ! where others were busy).
#   --src DIR      the LeadScore checkout to build and measure (default: this
#                  repository); env LEADSCORE_SRC.
#   --bin PATH     use this leadscore binary instead of building; env LEADSCORE_BIN.
#   --scratch DIR  swift build --scratch-path for LeadScore; env LEADSCORE_SCRATCH.
#
# Everything it makes (Python venv, data, models, logs) is under
# benchmarks/work/ (gitignored). See benchmarks/README.md.
set -euo pipefail

# run.sh --in-memory-limit CGROUP BYTES -- COMMAND...: the wrapper measure
# runs for the hard-memory-limit stage (see "beyond memory" below). Makes the
# cgroup directory CGROUP afresh (a retried attempt's counters start at zero),
# limits it to BYTES (no swap either), moves this process into it and execs
# COMMAND, so /usr/bin/time and timeout see COMMAND itself. The caller reads
# the counters and removes CGROUP (memcg_record, memcg_remove).
if [ "${1:-}" = --in-memory-limit ]; then
    cg=$2 bytes=$3
    shift 3
    [ "${1:-}" != -- ] || shift
    if [ -d "$cg" ]; then rmdir "$cg"; fi
    mkdir "$cg"
    if [ -e "$cg/memory.limit_in_bytes" ]; then     # cgroup v1
        echo "$bytes" > "$cg/memory.limit_in_bytes"
        if [ -e "$cg/memory.memsw.limit_in_bytes" ]; then echo "$bytes" > "$cg/memory.memsw.limit_in_bytes"; fi
    else                                            # cgroup v2
        echo "$bytes" > "$cg/memory.max"
        if [ -e "$cg/memory.swap.max" ]; then echo 0 > "$cg/memory.swap.max"; fi
    fi
    echo "$BASHPID" > "$cg/cgroup.procs"
    exec "$@"
fi

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
self="$here/$(basename "${BASH_SOURCE[0]}")"
repo="$(cd "$here/.." && pwd)"
work="$here/work"

sizes="100000,1000000,10000000"
reps=3
quick=0
timeout_s=900
retries=1
quiet_wait=120
new_rows=1000000
output=""
src="${LEADSCORE_SRC:-$repo}"
bin="${LEADSCORE_BIN:-}"
scratch="${LEADSCORE_SCRATCH:-}"
sizes_set=0 reps_set=0
while [ $# -gt 0 ]; do
    case "$1" in
        --sizes) sizes="$2"; sizes_set=1; shift 2 ;;
        --reps) reps="$2"; reps_set=1; shift 2 ;;
        --quick) quick=1; shift ;;
        --timeout) timeout_s="$2"; shift 2 ;;
        --retries) retries="$2"; shift 2 ;;
        --new-leads) new_rows="$2"; shift 2 ;;
        --output) output="$2"; shift 2 ;;
        --src) src="$2"; shift 2 ;;
        --bin) bin="$2"; shift 2 ;;
        --scratch) scratch="$2"; shift 2 ;;
        --quiet-wait) quiet_wait="$2"; shift 2 ;;
        -h|--help) sed -n '2,29p' "$0"; exit 0 ;;
        *) echo "run.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
done
if [ "$quick" = 1 ]; then
    [ "$sizes_set" = 1 ] || sizes="100000,1000000"
    [ "$reps_set" = 1 ] || reps=1
fi
src="$(cd "$src" && pwd)"
IFS=, read -r -a size_list <<< "$sizes"
config="$repo/datasets/b2b-deals.config.json"
deals_seed=1
new_seed=2

log() { echo "[$(date +%H:%M:%S)] $*" >&2; }

# ---------------------------------------------------------------- tools
need_apt=()
[ -x /usr/bin/time ] || need_apt+=(time)
command -v gcc >/dev/null || need_apt+=(gcc)
command -v pkg-config >/dev/null || need_apt+=(pkg-config)
pkg-config --exists openblas 2>/dev/null || need_apt+=(libopenblas-dev)
[ -e /usr/include/lapacke.h ] || need_apt+=(liblapacke-dev)
if [ ${#need_apt[@]} -gt 0 ]; then
    log "installing ${need_apt[*]} with apt-get"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq "${need_apt[@]}" >&2
fi

# ---------------------------------------------------------------- Python
# The peer's packages, pinned; never a dependency of LeadScore.
# polars stays on 1.x: tabmat 4.2.1 calls Series.cat.get_categories, which
# polars 2.0 removed.
pins="numpy==2.4.6 scipy==1.17.1 pandas==3.0.6 scikit-learn==1.9.1 joblib==1.5.2 threadpoolctl==3.6.0 duckdb==2.0.1 polars==1.44.2 glum==3.4.1 tabmat==4.2.1 narwhals==2.29.0"
venv="$work/venv"
py="$venv/bin/python"
if [ ! -x "$py" ] || [ "$(cat "$venv/.pins" 2>/dev/null)" != "$pins" ]; then
    log "creating the Python environment in $venv ($pins)"
    rm -rf "$venv"
    mkdir -p "$work"
    if ! "${PYTHON:-python3}" -m venv "$venv" >&2; then
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq >&2 && apt-get install -y -qq python3-venv python3-pip >&2
        rm -rf "$venv"
        "${PYTHON:-python3}" -m venv "$venv" >&2
    fi
    # shellcheck disable=SC2086
    "$py" -m pip install -q $pins >&2
    echo "$pins" > "$venv/.pins"
fi
"$py" "$here/peer.py" selftest >&2

# ---------------------------------------------------------------- builds
if [ -z "$bin" ]; then
    build_args=(-c release --product leadscore --package-path "$src")
    [ -n "$scratch" ] && build_args+=(--scratch-path "$scratch")
    log "building leadscore (swift build ${build_args[*]})"
    swift build "${build_args[@]}" >&2
    bin="$(swift build "${build_args[@]}" --show-bin-path)/leadscore"
fi
[ -x "$bin" ] || { echo "run.sh: no leadscore binary at $bin" >&2; exit 1; }

# The fit probe: its own package, depending on the checkout being measured.
probe_dir="$work/fit-probe"
mkdir -p "$probe_dir/Sources"
ident="$(basename "$src" | tr '[:upper:]' '[:lower:]')"
cmp -s "$here/fit-probe/main.swift" "$probe_dir/Sources/main.swift" || cp "$here/fit-probe/main.swift" "$probe_dir/Sources/main.swift"
manifest="// swift-tools-version:6.0
// Generated by benchmarks/run.sh: the fit probe against the LeadScore checkout being measured.
import PackageDescription

let package = Package(
    name: \"fit-probe\",
    dependencies: [.package(path: \"$src\")],
    targets: [
        .executableTarget(
            name: \"fit-probe\", dependencies: [.product(name: \"LeadScore\", package: \"$ident\")], path: \"Sources\"),
    ]
)"
[ "$(cat "$probe_dir/Package.swift" 2>/dev/null)" = "$manifest" ] || echo "$manifest" > "$probe_dir/Package.swift"
probe_args=(-c release --product fit-probe --package-path "$probe_dir" --scratch-path "${LEADSCORE_PROBE_SCRATCH:-$probe_dir/.build}")
log "building the fit probe (swift build ${probe_args[*]})"
if ! swift build "${probe_args[@]}" >&2; then
    # An incremental build of a path dependency can miss source files added
    # to the checkout since: build once more from scratch.
    log "the fit probe did not build incrementally: building it again from scratch"
    rm -rf "${LEADSCORE_PROBE_SCRATCH:-$probe_dir/.build}"
    swift build "${probe_args[@]}" >&2
fi
probe="$(swift build "${probe_args[@]}" --show-bin-path)/fit-probe"

mkdir -p "$work/bin"
# shellcheck disable=SC2046
gcc -O2 "$here/bound.c" $(pkg-config --cflags --libs openblas) -lm -o "$work/bin/bound"
bound="$work/bin/bound"

# ---------------------------------------------------------------- data
mkdir -p "$work/data" "$work/models" "$work/out"
gen_hash="$(cat "$src"/Sources/LeadScore/Datasets/*.swift | sha256sum | cut -c1-16)"
generate() { # rows seed file
    local rows=$1 seed=$2 file=$3
    local meta="rows=$rows seed=$seed generator=$gen_hash"
    if [ -s "$file" ] && [ "$(cat "$file.meta" 2>/dev/null)" = "$meta" ]; then
        log "reusing $(basename "$file")"
        return
    fi
    log "generating $(basename "$file") ($rows rows, seed $seed)"
    rm -f "$file.meta" "${file%.csv}.split.npy"
    "$bin" generate --rows "$rows" --seed "$seed" --output "$file"
    echo "$meta" > "$file.meta"
}

run="$work/runs/$(date +%Y%m%d-%H%M%S)"
mkdir -p "$run"
# The BLAS library, kernel and threads LeadScore runs on (also recorded in
# every model card): kernels differ in speed, and a generic fallback kernel
# is named with a note.
"$bin" --version > "$run/leadscore-version.txt" 2>&1 || true
runs="$run/runs.tsv"
printf 'stage\tsize\ttool\trep\tstatus\twall\trss_kb\tfile\tcpu_s\tforeign_cpu_s\tsteal_s\twaited_s\n' > "$runs"
declare -A skip=()
hz="$(getconf CLK_TCK 2>/dev/null || echo 100)"

# busy and steal jiffies of the whole machine (the first line of /proc/stat).
cpu_jiffies() { awk '/^cpu /{print $2 + $3 + $4 + $7 + $8, $9; exit}' /proc/stat; }

# Before each measured process, wait (at most --quiet-wait, 120 s) until the machine is
# quiet: less than a quarter of a core busy over one second. Whatever is busy
# then is not ours (our previous process has exited). First `sync`: the pages a
# previous step left to be written (a 0.3–3 GB training design, a scored
# file) are written now, not by the kernel while the next process is timed
# (writeback shows as I/O wait, which the test below does not count as busy).
wait_quiet() {
    local waited=0 b0 s0 b1 s1
    sync
    while :; do
        read -r b0 s0 < <(cpu_jiffies)
        sleep 1
        read -r b1 s1 < <(cpu_jiffies)
        if awk -v d="$((b1 - b0))" -v hz="$hz" 'BEGIN{exit !(d / hz < 0.25)}' || [ "$waited" -ge "$quiet_wait" ]; then break; fi
        waited=$((waited + 1))
    done
    echo "$waited"
}

# measure STAGE SIZE TOOL REP FILE -- command...: one process under
# /usr/bin/time (wall seconds, peak RSS) and timeout; one line in runs.tsv.
# FILE is the stage's own output to read later (timings JSON, model card).
measure() {
    local stage=$1 size=$2 tool=$3 rep=$4 file=$5
    shift 6
    local key="$stage.$size.$tool"
    if [ -n "${skip[$key]:-}" ]; then
        printf '%s\t%s\t%s\t%s\tskipped\t\t\t%s\t\t\t\t\n' "$stage" "$size" "$tool" "$rep" "$file" >> "$runs"
        log "  $stage $size $tool #$rep: skipped (${skip[$key]} before)"
        return 0
    fi
    local attempt base rc waited b0 s0 b1 s1
    for attempt in $(seq 0 "$retries"); do
    base="$run/$key.$rep" rc=0
    [ "$attempt" = 0 ] || base="$base.retry$attempt"
    waited="$(wait_quiet)"
    [ "$waited" = 0 ] || log "  (waited ${waited} s for other processes to quieten)"
    read -r b0 s0 < <(cpu_jiffies)
    /usr/bin/time -f "%e %M %U %S" -o "$base.time" timeout -k 30 "$timeout_s" "$@" > "$base.out" 2> "$base.err" < /dev/null || rc=$?
    read -r b1 s1 < <(cpu_jiffies)
    local wall rss usr sys status=ok
    read -r wall rss usr sys < <(tail -n 1 "$base.time") || true
    wall=${wall:-0} rss=${rss:-0} usr=${usr:-0} sys=${sys:-0}
    # CPU time the rest of the machine used meanwhile (other people's builds,
    # tests): busy jiffies minus our process's user + system time.
    local cpu foreign steal
    read -r cpu foreign steal < <(awk -v u="$usr" -v s="$sys" -v db="$((b1 - b0))" -v ds="$((s1 - s0))" -v hz="$hz" \
        'BEGIN{f = db / hz - u - s; if (f < 0) f = 0; printf "%.2f %.2f %.2f\n", u + s, f, ds / hz}')
    if [ "$rc" = 124 ] || { [ "$rc" = 137 ] && awk -v w="$wall" -v t="$timeout_s" 'BEGIN{exit !(w >= t)}'; }; then
        status=timeout
    elif [ "$rc" != 0 ]; then
        status="failed(rc=$rc)"
    fi
    # Other processes used more than 0.2 of a core on average: measure again
    # (at most --retries times); the noisy measurement is kept, marked, and
    # left out of the medians.
    if [ "$status" = ok ] && [ "$attempt" -lt "$retries" ] && \
        awk -v f="$foreign" -v w="$wall" 'BEGIN{exit !(f / (w > 0 ? w : 1) > 0.2)}'; then
        status=noisy
    fi
    [ "$status" = ok ] || [ "$status" = noisy ] || skip[$key]="$status"
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$stage" "$size" "$tool" "$rep" "$status" "$wall" "$rss" "$file" \
        "$cpu" "$foreign" "$steal" "$waited" >> "$runs"
    log "  $stage $size $tool #$rep: ${wall} s, $((rss / 1024)) MB, CPU ${cpu} s (others ${foreign} s)$([ "$status" = ok ] || echo " [$status]")"
    if [ "$status" = noisy ]; then
        # Keep the process's outputs of the clean attempt where the report reads them.
        log "    other processes were busy: measuring again"
        continue
    fi
    if [ "$status" != ok ]; then tail -n 5 "$base.err" >&2 || true; fi
    [ "$attempt" = 0 ] || { cp "$base.out" "$run/$key.$rep.out"; cp "$base.err" "$run/$key.$rep.err"; }
    break
    done
}

# ---------------------------------------------------------------- memory cgroup
# A hard memory limit for one measured process: a memory cgroup of its own
# (cgroup v1's memory controller, or cgroup v2; needs root). Everything the
# process uses is charged to it: its own (anonymous) memory, and the page
# cache and mapped file pages it touches, which the kernel reclaims under the
# limit. A process whose own memory exceeds the limit is killed (SIGKILL, exit
# status 137).

# memcg_parent: prints "v1 DIR" or "v2 DIR", where cgroups can be made (checked
# by making and removing one), or the reason there is none (and fails).
memcg_parent() {
    # memcg_try KIND DIR FILE: can a cgroup with FILE be made in DIR?
    memcg_try() {
        local probe="$2/leadscore-bench-probe-$$"
        if mkdir "$probe" 2> /dev/null && [ -e "$probe/$3" ] && rmdir "$probe"; then
            echo "$1 $2"
            return 0
        fi
        rmdir "$probe" 2> /dev/null || true
        echo "no writable memory cgroup (cannot make a cgroup with $3 in $2; user $(id -un))"
        return 1
    }
    if [ -e /sys/fs/cgroup/memory/memory.limit_in_bytes ]; then
        memcg_try v1 /sys/fs/cgroup/memory memory.limit_in_bytes
    elif grep -qw memory /sys/fs/cgroup/cgroup.controllers 2> /dev/null; then
        memcg_try v2 /sys/fs/cgroup memory.max
    else
        echo "no writable memory cgroup (no cgroup v1 memory controller at /sys/fs/cgroup/memory, no memory controller in /sys/fs/cgroup/cgroup.controllers)"
        return 1
    fi
}

# memcg_remove CGROUP: removes it; a process still in it (one of ours: only
# the --in-memory-limit wrapper moves there, e.g. when run.sh is interrupted
# mid-run) is killed first.
memcg_remove() {
    local cg=$1 pid i
    [ -n "$cg" ] && [ -d "$cg" ] || return 0
    for i in $(seq 1 20); do
        rmdir "$cg" 2> /dev/null && return 0
        while read -r pid; do kill -KILL "$pid" 2> /dev/null || true; done < "$cg/cgroup.procs"
        sleep 0.5
    done
    log "could not remove the cgroup $cg"
}

# memcg_record CGROUP FILE: the limit, the peak usage (v1
# memory.max_usage_in_bytes, v2 memory.peak), how often usage reached the
# limit (v1 memory.failcnt, v2 the "max" events) and the OOM kills, as JSON
# in FILE; then removes CGROUP. Nothing when CGROUP does not exist (the
# repetition was skipped).
memcg_record() {
    local cg=$1 file=$2 limit peak hits ooms
    [ -d "$cg" ] || return 0
    if [ -e "$cg/memory.limit_in_bytes" ]; then
        limit="$(cat "$cg/memory.limit_in_bytes")" peak="$(cat "$cg/memory.max_usage_in_bytes")"
        hits="$(cat "$cg/memory.failcnt")" ooms="$(awk '$1 == "oom_kill" {print $2}' "$cg/memory.oom_control")"
    else
        limit="$(cat "$cg/memory.max")" peak="$(cat "$cg/memory.peak" 2> /dev/null || true)"
        hits="$(awk '$1 == "max" {print $2}' "$cg/memory.events")"
        ooms="$(awk '$1 == "oom_kill" {print $2}' "$cg/memory.events")"
    fi
    local v
    for v in limit peak hits ooms; do [[ "${!v}" =~ ^[0-9]+$ ]] || printf -v "$v" null; done
    printf '{"limit_bytes": %s, "peak_bytes": %s, "failcnt": %s, "oom_kill": %s}\n' "$limit" "$peak" "$hits" "$ooms" > "$file"
    memcg_remove "$cg"
}

log "run directory: $run"
log "leadscore: $bin"

# ---------------------------------------------------------------- training
for size in "${size_list[@]}"; do
    data="$work/data/deals-$size.csv"
    generate "$size" "$deals_seed" "$data"
    split="$work/data/deals-$size.split.npy"
    if [ ! -s "$split" ]; then
        # The stratified SplitMix64 holdout for the peer: computed once, outside
        # the timed runs (it is LeadScore's definition, not the peer's cost).
        log "computing the peer's holdout split for $size rows (not timed as peer cost)"
        measure split "$size" peer 1 "$split" -- "$py" "$here/peer.py" split "$data" --config "$config" --out "$split"
        cp "$run/split.$size.peer.1.out" "$split.json" 2>/dev/null || true
    fi
    log "training on $size rows: $reps repetitions, alternating LeadScore / peer newton-cholesky / peer lbfgs / polars + glum"
    for rep in $(seq 1 "$reps"); do
        measure train "$size" leadscore "$rep" "$work/models/leadscore-$size.json" -- \
            "$bin" train "$data" --config "$config" --holdout 0.3 --seed 42 --output "$work/models/leadscore-$size.json" -q --timings
        measure train "$size" newton-cholesky "$rep" "$run/train.$size.newton-cholesky.$rep.json" -- \
            "$py" "$here/peer.py" train "$data" --config "$config" --split "$split" --solver newton-cholesky \
            --model "$work/models/peer-newton-cholesky-$size.joblib" --timings "$run/train.$size.newton-cholesky.$rep.json"
        measure train "$size" lbfgs "$rep" "$run/train.$size.lbfgs.$rep.json" -- \
            "$py" "$here/peer.py" train "$data" --config "$config" --split "$split" --solver lbfgs \
            --model "$work/models/peer-lbfgs-$size.joblib" --timings "$run/train.$size.lbfgs.$rep.json"
        measure train "$size" glum "$rep" "$run/train.$size.glum.$rep.json" -- \
            "$py" "$here/peer.py" glum-train "$data" --config "$config" --split "$split" \
            --model "$work/models/peer-glum-$size.joblib" --timings "$run/train.$size.glum.$rep.json"
    done

    # The fit alone, on one design: LeadScore's solver (fit probe) and the
    # BLAS bound (bound.c) on the training design the peer builds. Five
    # fits in one process, as bound.c times five of each product: the
    # target is about fits repeated in one run (cross-validation, spline
    # and penalty paths); the report gives their median and the process's
    # first fit apart (its buffers are new memory, which the allocator
    # reuses from the third fit on).
    design="$work/design-$size"
    log "fit probe and BLAS bound on the $size-row training design"
    measure design "$size" peer 1 "$design/design.json" -- \
        "$py" "$here/peer.py" design "$data" --config "$config" --split "$split" --out-dir "$design"
    if [ -s "$design/design.json" ]; then
        read -r drows dcols < <("$py" -c "import json,sys; d=json.load(open(sys.argv[1])); print(d['rows'], d['columns'])" "$design/design.json")
        measure fit "$size" leadscore 1 "$run/fit.$size.leadscore.1.out" -- \
            "$probe" "$design/design.f64" "$design/labels.f64" "$drows" "$dcols" 5 1
        measure bound "$size" blas 1 "$run/bound.$size.blas.1.out" -- \
            "$bound" "$drows" "$dcols" 5 "$design/design.f64"
    fi
    rm -rf "$design"
done

# ---------------------------------------------------------------- beyond memory
# The largest export again, with a memory budget of a quarter of its encoded
# design: the design is written to a disk cache and streamed block by block.
# The report checks that the model equals the in-memory one (to 1e-9) and
# that peak memory stays below the design's size.
big="${size_list[${#size_list[@]}-1]}"
card="$work/models/leadscore-$big.json"
if [ -s "$card" ]; then
    budget="$("$py" -c "import json,sys; c=json.load(open(sys.argv[1])); print(c['training']['rows'] * len(c['features']) * 8 // 4)" "$card")"
    log "training on $big rows with a memory budget of $budget bytes (a quarter of the design): $reps repetitions"
    for rep in $(seq 1 "$reps"); do
        measure train-budget "$big" leadscore "$rep" "$work/models/leadscore-$big-budget.json" -- \
            "$bin" train "$work/data/deals-$big.csv" --config "$config" --holdout 0.3 --seed 42 \
            --output "$work/models/leadscore-$big-budget.json" --memory-budget "$budget" --cache-dir "$work" -q --timings
    done

    # The same training under a hard memory limit smaller than the CSV file:
    # 1 GiB, or 3/4 of the file if that is smaller, in a memory cgroup of its
    # own. Peak RSS cannot show that the file is not held: mapped file pages
    # count in it while memory is plentiful. Under the limit they are
    # reclaimed, and a process whose own memory grows with the file is killed.
    # The report checks that it exits 0 with the in-memory model (to 1e-9).
    csv="$work/data/deals-$big.csv"
    csv_bytes="$(stat -c %s "$csv")"
    limit=$((csv_bytes * 3 / 4 < 1073741824 ? csv_bytes * 3 / 4 : 1073741824))
    limit_model="$work/models/leadscore-$big-limit.json"
    rm -f "$limit_model"
    not_run="" cg="" cg_desc=""
    if [ "$limit" -lt $((512 << 20)) ]; then
        # Below this, the process's fixed memory (the binary, BLAS buffers)
        # is too large a part of the limit to tell what grows with the file.
        not_run="the largest export ($((csv_bytes / 1048576)) MiB) is too small for a limit below its size that leaves room for the fixed memory of a process; use the 10,000,000-row export"
    elif memcg="$(memcg_parent)"; then
        read -r memcg_kind memcg_dir <<< "$memcg"
        cg="$memcg_dir/leadscore-bench-$$"
        cg_desc="$memcg_kind $cg"
        trap 'memcg_remove "$cg"' EXIT
    else
        not_run="$memcg"
    fi
    # What the report needs to know about the stage, run or not.
    "$py" -c 'import json, sys; print(json.dumps({"csv_bytes": int(sys.argv[1]), "limit_bytes": int(sys.argv[2]),
        "budget_bytes": int(sys.argv[3]), "cgroup": sys.argv[4] or None, "not_run": sys.argv[5] or None}))' \
        "$csv_bytes" "$limit" "$budget" "$cg_desc" "$not_run" > "$run/train-limit.$big.leadscore.cgroup.json"
    if [ -n "$cg" ]; then
        log "training on $big rows with the same budget under a hard memory limit of $limit bytes ($((limit / 1048576)) MiB;" \
            "the CSV is $csv_bytes bytes, $((csv_bytes / 1048576)) MiB), cgroup $cg_desc: $reps repetitions"
        for rep in $(seq 1 "$reps"); do
            measure train-limit "$big" leadscore "$rep" "$limit_model" -- \
                bash "$self" --in-memory-limit "$cg" "$limit" -- \
                "$bin" train "$csv" --config "$config" --holdout 0.3 --seed 42 \
                --output "$limit_model" --memory-budget "$budget" --cache-dir "$work" -q --timings
            stats="$run/train-limit.$big.leadscore.$rep.cgroup.json"
            memcg_record "$cg" "$stats"
            [ ! -s "$stats" ] || log "    cgroup: $(cat "$stats")"
        done
        memcg_remove "$cg"
        trap - EXIT
    else
        log "not training on $big rows under a hard memory limit ($limit bytes): $not_run"
    fi
fi

# ---------------------------------------------------------------- one core
# The 1M-row export (or the largest) on one core: how much the second core
# brings, and the check that the model is the same, byte for byte.
one="$(printf '%s\n' "${size_list[@]}" | awk '$1 >= 1000000 {print; exit}')"
one="${one:-$big}"
if [ -s "$work/models/leadscore-$one.json" ] && command -v taskset > /dev/null; then
    log "training on $one rows on one core (taskset -c 0): $reps repetitions"
    for rep in $(seq 1 "$reps"); do
        measure train-1core "$one" leadscore "$rep" "$work/models/leadscore-$one-1core.json" -- \
            taskset -c 0 "$bin" train "$work/data/deals-$one.csv" --config "$config" --holdout 0.3 --seed 42 \
            --output "$work/models/leadscore-$one-1core.json" -q --timings
    done
fi

# ---------------------------------------------------------------- scoring
# Models trained on the size closest to 1M rows score every file.
ref="$("$py" -c "import math,sys; s=[int(x) for x in sys.argv[1].split(',')]; print(min(s, key=lambda n: abs(math.log(n / 1e6))))" "$sizes")"
new="$work/data/new-leads-$new_rows.csv"
generate "$new_rows" "$new_seed" "$new"
ls_model="$work/models/leadscore-$ref.json"
peer_model="$work/models/peer-newton-cholesky-$ref.joblib"
log "scoring $new_rows new leads with the $ref-row models: $reps repetitions, alternating"
for rep in $(seq 1 "$reps"); do
    measure score new leadscore "$rep" "$work/out/leadscore-new.csv" -- \
        "$bin" score --model "$ls_model" "$new" --output "$work/out/leadscore-new.csv" --reasons 0 -q
    measure score new peer "$rep" "$run/score.new.peer.$rep.json" -- \
        "$py" "$here/peer.py" score "$new" --model "$peer_model" --output "$work/out/peer-new.csv" \
        --timings "$run/score.new.peer.$rep.json"
    measure score-reasons new leadscore "$rep" "$work/out/leadscore-new-reasons.csv" -- \
        "$bin" score --model "$ls_model" "$new" --output "$work/out/leadscore-new-reasons.csv" --reasons 3 -q
done
# The same model as SQL inside DuckDB (`export --sql`), over the same CSV:
# scoring where the leads live instead of with leadscore score.
"$bin" export --sql --dialect duckdb --model "$ls_model" --output "$work/models/leadscore-$ref.duckdb.sql"
log "scoring $new_rows new leads inside DuckDB with the exported SQL: $reps repetitions"
for rep in $(seq 1 "$reps"); do
    measure score-duckdb new duckdb "$rep" "$run/score-duckdb.new.duckdb.$rep.json" -- \
        "$py" "$here/peer.py" duckdb-score "$new" --sql "$work/models/leadscore-$ref.duckdb.sql" \
        --output "$work/out/duckdb-new.csv" --timings "$run/score-duckdb.new.duckdb.$rep.json"
done
# The same new leads on one core: what the second core brings to scoring,
# and the check that the scores file is the same, byte for byte.
if command -v taskset > /dev/null; then
    log "scoring $new_rows new leads on one core (taskset -c 0): $reps repetitions"
    for rep in $(seq 1 "$reps"); do
        measure score-1core new leadscore "$rep" "$work/out/leadscore-new-1core.csv" -- \
            taskset -c 0 "$bin" score --model "$ls_model" "$new" --output "$work/out/leadscore-new-1core.csv" --reasons 0 -q
    done
fi
for size in "${size_list[@]}"; do
    log "scoring the $size-row export (growth with rows): $reps repetitions, alternating"
    for rep in $(seq 1 "$reps"); do
        measure score "$size" leadscore "$rep" "" -- \
            "$bin" score --model "$ls_model" "$work/data/deals-$size.csv" --output "$work/out/leadscore-$size.csv" --reasons 0 -q
        measure score "$size" peer "$rep" "$run/score.$size.peer.$rep.json" -- \
            "$py" "$here/peer.py" score "$work/data/deals-$size.csv" --model "$peer_model" \
            --output "$work/out/peer-$size.csv" --timings "$run/score.$size.peer.$rep.json"
    done
    rm -f "$work/out/leadscore-$size.csv" "$work/out/peer-$size.csv"
done

# ---------------------------------------------------------------- report
if [ -z "$output" ]; then
    if [ "$quick" = 1 ]; then
        output="$work/results-quick.md"
    else
        output="$here/results/$(date +%F)-$("$py" "$here/report.py" --machine-slug).md"
    fi
fi
mkdir -p "$(dirname "$output")"
"$py" "$here/report.py" --run "$run" --sizes "$sizes" --reps "$reps" --new-rows "$new_rows" --ref-size "$ref" \
    --timeout "$timeout_s" --config "$config" --src "$src" --bin "$bin" --work "$work" --output "$output"
log "results written to $output"
