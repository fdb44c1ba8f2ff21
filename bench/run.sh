#!/usr/bin/env bash
# The browser benchmark: Sorot against MiniSearch, FlexSearch, Lunr and Orama in headless Chromium.
#
#   bash bench/run.sh [--sizes 1000,10000,20000,50000] [--quick]
#
# Installs bench/'s npm packages (npm ci), builds the release bundle into target/bench-dist and the
# native tools, then bench/run.mjs writes and packs the corpora (target/bench/), serves them on
# loopback, runs everything in one Chromium and writes bench/results/latest.{md,json}.
# --quick: 1k and 10k articles, fewer repetitions (for working on the benchmark itself).
# Not part of the test suite; it never fails on timing. See bench/README.md.
source "$(dirname "$0")/../scripts/lib.sh"

started=$SECONDS
mkdir -p target
exec 9>target/.sorot-bench.lock
if ! flock -n 9; then
  die "another benchmark run is in progress in this folder (lock: target/.sorot-bench.lock); wait for it to finish"
fi

ensure_build_tools
ensure_chromium

# bench/'s own npm packages, exactly as locked; reinstalled only when the lock changes.
stamp="bench/node_modules/.sorot-bench-lock"
want="$(sha256sum bench/package-lock.json | cut -d' ' -f1)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  say "installing the benchmark's npm packages from bench/package-lock.json"
  npm ci --prefix bench --no-audit --no-fund
  echo "$want" > "$stamp"
fi

build_release target/bench-dist
say "building sorot (CLI) and sorot-bench (corpus generator)"
cargo build --release --locked -q -p sorot-cli -p sorot-bench

say "running the benchmark (the default sizes take about 10 minutes on 2 cores)"
node bench/run.mjs "$@"
say "finished in $(( (SECONDS - started) / 60 )) min $(( (SECONDS - started) % 60 )) s; results in bench/results/latest.md and latest.json"
