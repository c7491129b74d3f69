#!/usr/bin/env bash
# Measures one document-level scan: CPU seconds, wall seconds, peak RSS, MB per CPU-second.
# Usage: scripts/perf-scan.sh BINARY CORPUS.jsonl THREADS REPORT.json [extra scan options]
# Run it under `flock /work/bench.lock` (or any lock) when the machine is shared.
set -euo pipefail
bin=$1 corpus=$2 threads=$3 report=$4
shift 4
log=$(mktemp)
# RAYON_NUM_THREADS sizes rayon's global pool too, which reads and parses the input
# before the scan starts its own pool of --threads: a 1-thread run uses one thread throughout.
RAYON_NUM_THREADS=$threads /usr/bin/time -v "$bin" scan "$corpus" --no-passages --threads "$threads" -q -o "$report" "$@" 2>"$log" || true
user=$(awk -F': ' '/User time/ {print $2}' "$log")
sys=$(awk -F': ' '/System time/ {print $2}' "$log")
wall=$(awk -F': ' '/Elapsed \(wall/ {print $2}' "$log")
rss=$(awk -F': ' '/Maximum resident/ {print $2}' "$log")
bytes=$(stat -L -c %s "$corpus")
python3 - "$user" "$sys" "$wall" "$rss" "$bytes" "$threads" <<'PY'
import sys
user, sys_, wall, rss, size, threads = sys.argv[1:]
cpu = float(user) + float(sys_)
parts = [float(p) for p in wall.split(':')]
w = parts[-1] + 60 * parts[-2] + (3600 * parts[-3] if len(parts) > 2 else 0)
mb = int(size) / 1e6
print(f"threads={threads} cpu_s={cpu:.2f} wall_s={w:.2f} peak_rss_mb={int(rss)/1024:.0f} corpus_mb={mb:.1f} mb_per_cpu_s={mb/cpu:.1f}")
PY
grep -iE 'error|panic' "$log" | head -3 || true
rm -f "$log"
