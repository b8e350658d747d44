#!/usr/bin/env bash
# Time of VCG and core payments next to the solve itself, on one rollup-market slot.
# Usage: bash bench/payments.sh [ROLLUPS] [BIDS] [SECONDS]   (defaults 1000 10000 20)
# Each run is one process capped at 15 minutes; the payments get a total budget of SECONDS,
# the same as the solve's time limit. Prints one line per run: rule, wall seconds, status, revenue.
set -euo pipefail
rollups=${1:-1000}; bids=${2:-10000}; secs=${3:-20}
dir=$(mktemp -d)
node dist/cli.js generate --family rollup-market --rollups "$rollups" --bids "$bids" --seed 1 --format json > "$dir/slot.json"
for rule in none vcg core; do
  args=(solve "$dir/slot.json" --json --time-limit "$secs")
  [ "$rule" = none ] || args+=(--payments "$rule" --payments-time-limit "$secs")
  start=$(date +%s.%N)
  timeout 900 node dist/cli.js "${args[@]}" > "$dir/$rule.json" 2>/dev/null
  wall=$(echo "$(date +%s.%N) - $start" | bc)
  node -e '
    const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    const p = r.payments;
    console.log([process.argv[2], `${Number(process.argv[3]).toFixed(1)} s`, `solve ${r.status} ${(r.elapsedMs / 1000).toFixed(1)} s revenue ${r.revenue}`,
      p ? `payments ${p.status} ${(p.elapsedMs / 1000).toFixed(1)} s revenue ${p.revenue} (${p.solves} re-solves, ${p.coalitions} coalitions)` : ""].join("  "));
  ' "$dir/$rule.json" "$rule" "$wall"
done
rm -rf "$dir"
