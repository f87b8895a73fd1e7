#!/usr/bin/env bash
# The second real dataset of the accuracy benchmark (benchmarks/accuracy.py):
# the CoIL Challenge 2000 "Caravan" insurance data (Sentient Machine
# Research; the UCI "Insurance Company Benchmark"): 5,822 customers of a
# Dutch insurer, 85 socio-demographic and product-ownership columns (integer
# codes) and `Purchase` (Yes: bought a caravan policy, 348 of them, 6.0%).
# A direct-marketing question: whom to approach with the offer.
#
# It comes from PyPI, at benchmark time only: the copy bundled in the `islp`
# wheel (the companion package of "An Introduction to Statistical Learning
# with Python", BSD licence), file ISLP/data/Caravan.csv.
#
#   bash benchmarks/datasets/caravan.sh [OUT]   # default benchmarks/work/caravan.csv
#
# The file is never committed. Columns MOSTYPE (customer subtype, 41 codes)
# and MOSHOOFD (main type, 10 codes) are nominal: accuracy.py's
# --categorical reads them as categories for every model.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="${1:-$here/../work/caravan.csv}"
mkdir -p "$(dirname "$out")"
wheel=$(mktemp -d)
trap 'rm -rf "$wheel"' EXIT
pip download --quiet --no-deps islp==0.6.0 -d "$wheel"
python3 - "$wheel" "$out" <<'PY'
import glob, hashlib, sys, zipfile
wheel, out = sys.argv[1], sys.argv[2]
data = zipfile.ZipFile(glob.glob(f"{wheel}/islp-0.6.0-*.whl")[0]).read("ISLP/data/Caravan.csv")
open(out + ".tmp", "wb").write(data)
import os
os.replace(out + ".tmp", out)
rows = data.count(b"\n") - 1
print(f"{out}: {rows} rows, sha256 {hashlib.sha256(data).hexdigest()}")
PY
