#!/usr/bin/env bash
# Screenshots an HTML report (such as the one `leadscore evaluate` writes)
# with headless Chromium, to check how the page and its charts look.
#
#   bash scripts/screenshot-report.sh report.html out.png [width height]
#
# The window is width×height pixels (1280×4000 by default: tall enough for
# the whole report); the PNG is exactly that size. Prints the PNG's path.
# Exits non-zero when Chromium is missing or fails, or when the PNG is
# missing or empty.
#
# Chromium refuses to start as root without --no-sandbox, which is always
# passed (the page is a local file of our own). It runs with a throw-away
# profile and home directory, so it neither touches the user's (or root's)
# profile nor collides with a browser that is already running.
#
# Environment: CHROMIUM (the browser to run; default: chromium, then
# chromium-browser, google-chrome on PATH), SCREENSHOT_TIMEOUT (seconds,
# default 120).
set -euo pipefail

usage() {
    echo "usage: bash scripts/screenshot-report.sh report.html out.png [width height]" >&2
    exit 2
}
die() {
    echo "screenshot-report: $*" >&2
    exit 1
}

[ $# -eq 2 ] || [ $# -eq 4 ] || usage
html=$1
out=$2
width=${3:-1280}
height=${4:-4000}
[[ $width =~ ^[1-9][0-9]*$ && $height =~ ^[1-9][0-9]*$ ]] || die "width and height must be positive whole numbers (got '$width' and '$height')."
[ -f "$html" ] || die "no such file: $html"

browser=${CHROMIUM:-}
if [ -z "$browser" ]; then
    for candidate in chromium chromium-browser google-chrome; do
        if command -v "$candidate" >/dev/null 2>&1; then
            browser=$candidate
            break
        fi
    done
fi
[ -n "$browser" ] && command -v "$browser" >/dev/null 2>&1 ||
    die "Chromium is not installed (on Debian or Ubuntu: apt-get install -y chromium)."

# Absolute paths: Chromium resolves neither against our working directory.
html_abs=$(cd "$(dirname "$html")" && pwd)/$(basename "$html")
mkdir -p "$(dirname "$out")"
out_abs=$(cd "$(dirname "$out")" && pwd)/$(basename "$out")

# file:// URL of a path, with every byte outside the unreserved set
# percent-encoded (spaces, #, ?, %, non-ASCII).
file_url() {
    local LC_ALL=C path=$1 encoded="" c i
    for ((i = 0; i < ${#path}; i++)); do
        c=${path:i:1}
        case $c in
            [A-Za-z0-9/._~-]) encoded+=$c ;;
            *) encoded+=$(printf '%%%02X' "'$c") ;;
        esac
    done
    printf 'file://%s' "$encoded"
}

scratch=$(mktemp -d "${TMPDIR:-/tmp}/screenshot-report.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
rm -f "$out_abs"

status=0
HOME="$scratch/home" XDG_CONFIG_HOME="$scratch/config" XDG_CACHE_HOME="$scratch/cache" \
    timeout "${SCREENSHOT_TIMEOUT:-120}" "$browser" \
    --headless --no-sandbox --disable-gpu --hide-scrollbars \
    --disable-dev-shm-usage --no-first-run --no-default-browser-check \
    --user-data-dir="$scratch/profile" \
    --window-size="$width,$height" --screenshot="$out_abs" \
    "$(file_url "$html_abs")" >"$scratch/log" 2>&1 || status=$?

if [ "$status" -ne 0 ]; then
    tail -n 20 "$scratch/log" >&2
    die "$browser failed (exit status $status)."
fi
[ -s "$out_abs" ] || {
    tail -n 20 "$scratch/log" >&2
    die "$browser wrote no screenshot to $out_abs."
}
[ "$(head -c 8 "$out_abs" | od -An -tx1 | tr -d ' \n')" = "89504e470d0a1a0a" ] || die "$out_abs is not a PNG."
echo "$out_abs"
