#!/usr/bin/env bash
# The README's "Operations" demo, end to end on loopback: a throwaway PostgreSQL server (Debian's
# `postgresql` binaries; as root it runs as the `postgres` user, since Postgres refuses root), one
# database, two `serve` nodes on it (different ports, their own solvers off), three followers (`challenge --follow`:
# heuristic seed 1, auto seed 2, and a user's own program through `--runner command:…`), signed
# bids spread over both nodes, node A killed with kill -9 mid-window, node B finalising, A
# restarted and serving the same signed result. Everything it starts it stops (trap), in ~1 min.
# Keys are public test keys (examples/market.json): never use them for value.
set -euo pipefail
cd "$(dirname "$0")/.."
npm run build --silent
cli() { echo "\$ bundle-auction $*" | sed -E 's/0x(b[1-4])(b[1-4])+/0x\1…/g'; node dist/cli.js "$@"; }
json() { node -e "const o=JSON.parse(require('fs').readFileSync(0,'utf8')); console.log($1)"; }
wait_line() { for _ in $(seq 1 300); do [ -s "$1" ] && return 0; sleep 0.1; done; echo "no output in $1 after 30 s" >&2; exit 1; }

bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -x "$bin/pg_ctl" ] || { echo "PostgreSQL server binaries not found: apt-get install postgresql (or bash bench/setup.sh postgres)" >&2; exit 1; }
dir=$(mktemp -d); chmod 755 "$dir"
as=()
if [ "$(id -u)" -eq 0 ]; then as=(runuser -u postgres --); chown postgres "$dir"; fi
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  "${as[@]}" "$bin/pg_ctl" -D "$dir/pg" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap cleanup EXIT

# 1. PostgreSQL: initdb, start on 127.0.0.1 and a free port, create the market's database.
port=$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
echo "\$ initdb -D \$dir/pg -U postgres -A trust; pg_ctl -D \$dir/pg -o '-p $port -c listen_addresses=127.0.0.1' start"
"${as[@]}" "$bin/initdb" -D "$dir/pg" -U postgres -A trust -E UTF8 --locale=C >/dev/null
"${as[@]}" "$bin/pg_ctl" -D "$dir/pg" -l "$dir/pg.log" -o "-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories=$dir" -w start >/dev/null
echo "\$ createdb -h 127.0.0.1 -p $port -U postgres bundle_auction"
createdb -h 127.0.0.1 -p "$port" -U postgres bundle_auction
db="postgres://postgres@127.0.0.1:$port/bundle_auction"
sql() { psql "$db" -X -q -A -F ' | ' -c "$1"; }

# 2. Two nodes on the same database (they migrate it once, under an advisory lock). `--solver off`
# leaves the slot to the followers, so that their race shows; by default each node solves too.
start_node() { # name [port]: starts `serve` (default: a free port), waits for its listening line
  node dist/cli.js serve --config examples/market.json --db "$db" --port "${2:-0}" --solver off > "$dir/$1.out" 2> "$dir/$1.log" &
  pids+=($!); eval "pid_$1=$!"
  wait_line "$dir/$1.out"
}
echo "\$ bundle-auction serve --config examples/market.json --db $db --port 0 --solver off   # twice"
start_node A; start_node B
A=$(head -1 "$dir/A.out" | sed 's/^listening on //'); B=$(head -1 "$dir/B.out" | sed 's/^listening on //')
echo "node A: $(head -1 "$dir/A.out")"; echo "node B: $(head -1 "$dir/B.out")"
echo "\$ psql $db -c 'SELECT version, name FROM schema_migrations'"
sql 'SELECT version, name FROM schema_migrations'

# 3. Three followers, each on its own method, seed or program.
follower() { # name url args…
  local name=$1 url=$2; shift 2
  echo "\$ bundle-auction challenge --follow $url $* --submitter $name"
  node dist/cli.js challenge --follow "$url" "$@" --submitter "$name" > "$dir/$name.out" 2> "$dir/$name.log" &
  pids+=($!); eval "pid_${name//-/_}=$!"
}
follower heuristic-1 "$A" --method heuristic --seed 1 --time-limit 2
follower auto-2 "$B" --method auto --seed 2 --time-limit 2
follower own-greedy "$B" --runner "command:node examples/own-solver.mjs" --time-limit 2
for f in heuristic-1 auto-2 own-greedy; do until grep -q '^following' "$dir/$f.log" 2>/dev/null; do sleep 0.1; done; done

# 4. Signed bids spread over both nodes; each node sees all of them (LISTEN/NOTIFY).
slot=$(curl -s "$A/healthz" | json 'o.open.from + 1')
B1=0x$(printf 'b1%.0s' {1..32}); B2=0x$(printf 'b2%.0s' {1..32}); B3=0x$(printf 'b3%.0s' {1..32}); B4=0x$(printf 'b4%.0s' {1..32})
cli bid --node "$A" --slot "$slot" --bundle op-1,op-2 --amount 9000000000000000 --nonce 1 --key "$B1"
cli bid --node "$B" --slot "$slot" --bundle zk-1 --amount 1500000000000000 --nonce 1 --key "$B2"
cli bid --node "$A" --slot "$slot" --bundle op-2,zk-1,zk-2 --amount 7000000000000000 --nonce 2 --key "$B2"
cli bid --node "$B" --slot "$slot" --bundle op-1 --amount 4000000000000000 --exclusive a --nonce 1 --key "$B3"
cli bid --node "$A" --slot "$slot" --bundle zk-2 --amount 800000000000000 --exclusive a --nonce 2 --key "$B3"
cli bid --node "$B" --slot "$slot" --bundle op-2,zk-2 --amount 5200000000000000 --nonce 1 --key "$B4"
sleep 0.3
for n in A B; do url=${!n}; echo "\$ curl $url/v1/slots/$slot   # node $n"; curl -s "$url/v1/slots/$slot" | json '`bids ${o.bids}, phase ${o.phase}, incumbent ${JSON.stringify(o.incumbent)}`'; done

# 5. The challenge window: each follower solves and submits when strictly better.
closes=$(curl -s "$A/v1/slots/$slot" | json 'o.closesAt')
now=$(curl -s "$A/healthz" | json 'o.now')
sleep "$(node -e "console.log(Math.max(0, ($closes - $now) / 1000 + 3))")"
for f in heuristic-1 auto-2 own-greedy; do
  until grep -q "\"slot\":$slot" "$dir/$f.out" 2>/dev/null; do sleep 0.1; done
  echo "follower $f: $(grep "\"slot\":$slot" "$dir/$f.out")"
done
echo "\$ curl $B/v1/slots/$slot   # node B"
curl -s "$B/v1/slots/$slot" | json '`phase ${o.phase}, incumbent ${JSON.stringify(o.incumbent)}`'

# 6. kill -9 node A mid-window; B finalises alone; A, restarted, serves the same result.
echo "\$ kill -9 <node A>   # phase $(curl -s "$B/v1/slots/$slot" | json 'o.phase')"
kill -9 "$pid_A"; wait "$pid_A" 2>/dev/null || true
final=$(curl -s "$B/v1/slots/$slot" | json 'o.finalAt')
now=$(curl -s "$B/healthz" | json 'o.now')
sleep "$(node -e "console.log(Math.max(0, ($final - $now) / 1000 + 0.3))")"
node dist/cli.js result --node "$B" --slot "$slot" > "$dir/resultB" 2> "$dir/resultB.err"
echo "\$ bundle-auction result --node $B --slot $slot"
json '`value ${o.value}, by ${o.by}, winners ${o.winners.length}, digest ${o.digest}`' < "$dir/resultB"; cat "$dir/resultB.err"
portA=${A##*:}
echo "\$ bundle-auction serve --config examples/market.json --db $db --port $portA --solver off   # node A again"
start_node A "$portA"
A=$(head -1 "$dir/A.out" | sed 's/^listening on //'); echo "node A: $(head -1 "$dir/A.out")"
node dist/cli.js result --node "$A" --slot "$slot" > "$dir/resultA" 2> "$dir/resultA.err"
echo "\$ bundle-auction result --node $A --slot $slot"
json '`value ${o.value}, by ${o.by}, winners ${o.winners.length}, digest ${o.digest}`' < "$dir/resultA"; cat "$dir/resultA.err"
cmp -s "$dir/resultA" "$dir/resultB" && echo "nodes A and B serve byte-identical results"
echo "\$ psql … -c 'SELECT submitter, value FROM allocations WHERE slot = $slot ORDER BY seq'"
sql "SELECT submitter, value FROM allocations WHERE slot = $slot ORDER BY seq"
echo "\$ psql … -c 'SELECT slot, digest FROM results WHERE slot = $slot'"
sql "SELECT slot, digest FROM results WHERE slot = $slot"

# 7. Stop: followers and nodes exit 0 on SIGTERM.
for f in heuristic-1 auto-2 own-greedy A B; do p="pid_${f//-/_}"; kill -TERM "${!p}"; wait "${!p}" && echo "$f stopped (exit 0)"; done
for f in heuristic-1 auto-2 own-greedy; do echo "follower $f stderr, last line: $(tail -1 "$dir/$f.log")"; done
echo "follower heuristic-1 lost node A: $(grep -c 'event stream lost' "$dir/heuristic-1.log" || true) reconnect message(s)"
