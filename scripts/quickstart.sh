#!/usr/bin/env bash
# LeadScore's main job on the bundled dataset, from a fresh clone:
# installs OpenBLAS and LAPACKE if they are missing, builds the tool, then
# trains, inspects, evaluates and scores on datasets/.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
for pkg in libopenblas-dev liblapacke-dev pkg-config; do
    dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
    echo "Installing ${need[*]} ..."
    sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}"
fi

swift build -c release --product leadscore
leadscore=.build/release/leadscore

echo; echo "== train"
$leadscore train datasets/b2b-deals.csv --config datasets/b2b-deals.config.json \
    --validation datasets/b2b-new-leads.csv --training-date 2026-11-23 --output models/b2b-deals.json
echo; echo "== inspect"
$leadscore inspect models/b2b-deals.json --top 12
echo; echo "== evaluate"
$leadscore evaluate --model models/b2b-deals.json datasets/b2b-new-leads.csv
echo; echo "== compare with rule-based scoring"
$leadscore export --points --model models/b2b-deals.json --data datasets/b2b-deals.csv --output models/b2b-deals.points.yaml
mkdir -p out
$leadscore evaluate --model models/b2b-deals.json --rules models/b2b-deals.points.yaml --rules models/b2b-deals.rules.yaml \
    datasets/b2b-new-leads.csv --html out/comparison.html --json out/comparison.json > out/comparison.txt
sed -n 1,9p out/comparison.txt
echo "(full report: out/comparison.txt, out/comparison.html)"
echo; echo "== score"
mkdir -p out
$leadscore score --model models/b2b-deals.json datasets/b2b-new-leads.csv --output out/b2b-new-leads.scores.csv
head -4 out/b2b-new-leads.scores.csv
