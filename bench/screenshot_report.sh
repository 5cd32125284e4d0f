#!/bin/sh
# Render output/report.html in headless Chromium and save a PNG to look at (a visual check, not a test).
# usage: bench/screenshot_report.sh [OUTPUT_DIR] [PNG]   (needs: apt-get install -y chromium)
set -eu
output_dir=${1:-output}
png=${2:-/tmp/report.png}
report=$(cd "$output_dir" && pwd)/report.html
[ -f "$report" ] || { echo "no report at $report; run kzarchive convert first" >&2; exit 2; }
browser=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
[ -n "$browser" ] || { echo "chromium not found (apt-get install -y chromium)" >&2; exit 2; }
"$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1280,900 \
    --screenshot="$png" "file://$report" 2>/dev/null
echo "$png"
