#!/usr/bin/env bash
# The README's node demo: start a node with examples/market.json, submit signed bids from three
# builder keys, wait for the bids to close, run an outside challenger, wait for the result and
# read it (digest and signature checked). Keys are public test keys: never use them for value.
set -euo pipefail
cd "$(dirname "$0")/.."
npm run build --silent
cli() { echo "\$ bundle-auction $*" | sed -E 's/0x(b[123])(b[123])+/0x\1…/g'; node dist/cli.js "$@"; }
json() { node -e "const o=JSON.parse(require('fs').readFileSync(0,'utf8')); console.log($1)"; }

dir=$(mktemp -d)
node dist/cli.js serve --config examples/market.json --db "$dir/market.db" --port 0 > "$dir/out" 2> "$dir/log" &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
until [ -s "$dir/out" ]; do sleep 0.2; done
head -1 "$dir/out"
url=$(head -1 "$dir/out" | sed 's/^listening on //')

health=$(curl -s "$url/healthz")
slot=$(echo "$health" | json 'o.open.from + 1')   # open for at least another slot length
echo "healthz: $health"
B1=0x$(printf 'b1%.0s' {1..32}); B2=0x$(printf 'b2%.0s' {1..32}); B3=0x$(printf 'b3%.0s' {1..32})
cli bid --node "$url" --slot "$slot" --bundle op-1,op-2 --amount 9000000000000000 --nonce 1 --key "$B1"
cli bid --node "$url" --slot "$slot" --bundle zk-1 --amount 1500000000000000 --nonce 1 --key "$B2"
cli bid --node "$url" --slot "$slot" --bundle op-2,zk-1,zk-2 --amount 7000000000000000 --nonce 2 --key "$B2"
cli bid --node "$url" --slot "$slot" --bundle op-1 --amount 4000000000000000 --exclusive a --nonce 1 --key "$B3"
cli bid --node "$url" --slot "$slot" --bundle zk-2 --amount 800000000000000 --exclusive a --nonce 2 --key "$B3"

closes=$(curl -s "$url/v1/slots/$slot" | json 'o.closesAt')
now=$(curl -s "$url/healthz" | json 'o.now')
sleep "$(node -e "console.log(Math.max(0, ($closes - $now) / 1000 + 0.2))")"
echo "\$ curl $url/v1/slots/$slot"
curl -s "$url/v1/slots/$slot"; echo
cli challenge --node "$url" --slot "$slot" --method exact --time-limit 2 --submitter demo-challenger || true

final=$(curl -s "$url/v1/slots/$slot" | json 'o.finalAt')
now=$(curl -s "$url/healthz" | json 'o.now')
sleep "$(node -e "console.log(Math.max(0, ($final - $now) / 1000 + 0.2))")"
cli result --node "$url" --slot "$slot"
echo "\$ curl '$url/v1/schedule?from=$slot&to=$slot'"
curl -s "$url/v1/schedule?from=$slot&to=$slot"; echo
kill -TERM $pid; wait $pid && echo "node stopped (exit 0)"
echo "log lines (stderr, pino):"; grep -c . "$dir/log"
