#!/usr/bin/env bash
# Installs what `npm run bench` needs besides node_modules: native COIN-OR CBC (Debian/Ubuntu
# package coinor-cbc). Idempotent: does nothing when `cbc` is already on PATH. Uses sudo only
# when not root. On systems without apt-get it prints what to install and exits 0: the bench
# then reports the cbc runner as skipped instead of failing.
set -euo pipefail

if command -v cbc >/dev/null 2>&1; then
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "bench/setup.sh: cbc not found and apt-get unavailable; install COIN-OR CBC (e.g. 'brew install cbc') to benchmark it" >&2
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
  else
    echo "bench/setup.sh: cbc not found; run as root or install sudo to apt-get install coinor-cbc" >&2
    exit 1
  fi
fi

echo "bench/setup.sh: installing coinor-cbc" >&2
# Wait for another apt run (e.g. a parallel test setup) instead of failing on its lock.
$SUDO apt-get -o DPkg::Lock::Timeout=180 update
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=180 install -y coinor-cbc
command -v cbc >/dev/null 2>&1 || { echo "bench/setup.sh: coinor-cbc installed but cbc is not on PATH" >&2; exit 1; }
