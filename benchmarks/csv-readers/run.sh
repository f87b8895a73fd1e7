#!/usr/bin/env bash
# Benchmarks LeadScore's CSV reader against SwiftCSV and yaslab/CSV.swift.
# Usage (from the repository root): bash benchmarks/csv-readers/run.sh [rows] [repetitions]
# Builds in /tmp/csvbench-build (nothing is written into the repository) and
# runs each reader in a fresh process so that its peak RSS is its own.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
rows="${1:-500000}"
reps="${2:-5}"
build="${CSVBENCH_BUILD:-/tmp/csvbench-build}"
work="$(mktemp -d "${TMPDIR:-/tmp}/csv-readers-bench.XXXXXX")"
trap 'rm -rf "$work"' EXIT

swift build -c release --package-path "$here" --scratch-path "$build" >&2
bin="$build/release/csv-bench"

leads="$repo/../shared/datasets/leads-x-education/Leads.csv"
"$bin" prepare "$work/input.csv" "$rows" "$leads" >&2

: > "$work/results.tsv"
for reader in leadscore leadscore-bytes yaslab swiftcsv-enumerate swiftcsv; do
    echo "running $reader ($reps repetitions)..." >&2
    "$bin" run "$reader" "$work/input.csv" "$reps" | tee -a "$work/results.tsv" >&2
done
echo
echo "$(nproc) cores, $(uname -m), $(swift --version 2>/dev/null | head -1)"
echo "input: $(wc -l < "$work/input.csv") lines, $(stat -c %s "$work/input.csv") bytes; median of $reps passes"
echo
"$bin" report "$work/results.tsv"
