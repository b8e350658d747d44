#!/usr/bin/env bash
# Installs what the benchmarks need besides node_modules:
# - native COIN-OR CBC (Debian/Ubuntu package coinor-cbc), for the `cbc` runner;
# - SCIP's Python interface pyscipopt (pip), for the `scip` runner;
# - Debian's chromium, for the browser tests and `npm run bench:dashboard` (driven by playwright-core);
# - PostgreSQL's server binaries (Debian package postgresql), for the Postgres store's tests and
#   `npm run bench:node` (part `postgres`; not in the default set: the test setup asks for it).
# Idempotent: each part does nothing when already present. Uses sudo only when not root. Each
# part is bounded in time and tolerant: when it cannot install, it says so and the bench reports
# that runner as skipped instead of failing.
set -uo pipefail

install_cbc() {
  command -v cbc >/dev/null 2>&1 && return 0
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "bench/setup.sh: cbc not found and apt-get unavailable; install COIN-OR CBC (e.g. 'brew install cbc') to benchmark it" >&2
    return 0
  fi
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
      echo "bench/setup.sh: cbc not found; run as root or install sudo to apt-get install coinor-cbc" >&2
      return 0
    fi
  fi
  echo "bench/setup.sh: installing coinor-cbc" >&2
  # Wait for another apt run (e.g. a parallel test setup) instead of failing on its lock.
  timeout 600 $sudo apt-get -o DPkg::Lock::Timeout=180 update >/dev/null || true
  timeout 600 $sudo env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=180 install -y coinor-cbc >/dev/null || true
  command -v cbc >/dev/null 2>&1 || echo "bench/setup.sh: coinor-cbc could not be installed; the cbc runner will be skipped" >&2
}

install_postgres() {
  ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 && return 0
  command -v pg_ctl >/dev/null 2>&1 && return 0
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "bench/setup.sh: PostgreSQL not found and apt-get unavailable; install the PostgreSQL server (initdb, pg_ctl on PATH) or set DATABASE_URL" >&2
    return 0
  fi
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
      echo "bench/setup.sh: PostgreSQL not found; run as root or install sudo to apt-get install postgresql" >&2
      return 0
    fi
  fi
  echo "bench/setup.sh: installing postgresql" >&2
  timeout 600 $sudo apt-get -o DPkg::Lock::Timeout=180 update >/dev/null || true
  timeout 900 $sudo env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=180 install -y --no-install-recommends postgresql >/dev/null || true
  ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || echo "bench/setup.sh: postgresql could not be installed" >&2
}

install_pyscipopt() {
  local python="${BUNDLE_AUCTION_PYTHON:-python3}"
  command -v "$python" >/dev/null 2>&1 || { echo "bench/setup.sh: $python not found; the scip runner will be skipped" >&2; return 0; }
  "$python" -c 'import pyscipopt' >/dev/null 2>&1 && return 0
  echo "bench/setup.sh: installing pyscipopt (SCIP) for $python" >&2
  timeout 300 "$python" -m pip install --quiet pyscipopt >/dev/null 2>&1 || true
  "$python" -c 'import pyscipopt' >/dev/null 2>&1 || echo "bench/setup.sh: pyscipopt could not be installed; the scip runner will be skipped" >&2
}

install_chromium() {
  local chromium="${BUNDLE_AUCTION_CHROMIUM:-/usr/bin/chromium}"
  [ -x "$chromium" ] && return 0
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "bench/setup.sh: $chromium not found and apt-get unavailable; install Chromium and set BUNDLE_AUCTION_CHROMIUM to its executable" >&2
    return 0
  fi
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
      echo "bench/setup.sh: chromium not found; run as root or install sudo to apt-get install chromium" >&2
      return 0
    fi
  fi
  echo "bench/setup.sh: installing chromium" >&2
  timeout 600 $sudo apt-get -o DPkg::Lock::Timeout=180 update >/dev/null || true
  timeout 900 $sudo env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=180 install -y chromium >/dev/null || true
  [ -x "$chromium" ] || echo "bench/setup.sh: chromium could not be installed; the browser tests cannot run" >&2
}

# Parts to install: the arguments (`cbc`, `scip`, `chromium`), or all of them.
parts=("$@")
[ ${#parts[@]} -eq 0 ] && parts=(cbc scip chromium)
for part in "${parts[@]}"; do
  case "$part" in
    cbc) install_cbc ;;
    scip) install_pyscipopt ;;
    chromium) install_chromium ;;
    postgres) install_postgres ;;
    *) echo "bench/setup.sh: unknown part '$part' (expected cbc, scip, chromium or postgres)" >&2; exit 2 ;;
  esac
done
exit 0
