#!/usr/bin/env bash
# Renders a dupmap HTML page to PNG with headless Chromium, for people to look at.
#
#   scripts/html_screenshot.sh PAGE.html [OUT.png] [WIDTHxHEIGHT] [FRAGMENT]
#
#   dupmap scan fixtures/seeds --format html -o /tmp/seeds.html
#   scripts/html_screenshot.sh /tmp/seeds.html /tmp/seeds.png
#   scripts/html_screenshot.sh /tmp/seeds.html /tmp/panel.png 1280x2000 s1-431   # a passage selected
#
# FRAGMENT (without '#') selects a highlighted passage on load, opening the comparison
# panel. Chromium: $CHROMIUM, else chromium or chromium-browser on PATH
# (Debian: apt-get install chromium). No network is used: the page is self-contained.
set -euo pipefail

if [ $# -lt 1 ]; then
    sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
fi
page=$1
out=${2:-${page%.html}.png}
size=${3:-1280x2000}
fragment=${4:-}

chromium=${CHROMIUM:-}
if [ -z "$chromium" ]; then
    chromium=$(command -v chromium || command -v chromium-browser || true)
fi
if [ -z "$chromium" ]; then
    echo "html_screenshot.sh: no chromium found (set CHROMIUM, or apt-get install chromium)" >&2
    exit 2
fi
[ -f "$page" ] || { echo "html_screenshot.sh: $page: no such file" >&2; exit 2; }

url="file://$(cd "$(dirname "$page")" && pwd)/$(basename "$page")"
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
if [ -n "$fragment" ]; then
    # Headless Chromium draws a blank screenshot once the top-level page has scrolled, so a
    # page that scrolls to its selection is shown in a full-window frame instead.
    wrapper="$profile/frame.html"
    printf '<!DOCTYPE html><html><body style="margin:0;overflow:hidden"><iframe src="%s#%s" style="border:0;display:block;width:100vw;height:100vh"></iframe></body></html>\n' \
        "$url" "$fragment" >"$wrapper"
    url="file://$wrapper"
fi

"$chromium" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$profile" --hide-scrollbars --allow-file-access-from-files --virtual-time-budget=2000 \
    --screenshot="$out" --window-size="${size/x/,}" "$url" >/dev/null 2>&1

[ -s "$out" ] || { echo "html_screenshot.sh: no screenshot written" >&2; exit 1; }
echo "$out"
