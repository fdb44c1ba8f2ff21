#!/usr/bin/env bash
# The browser benchmark: Sorot against MiniSearch, FlexSearch, Lunr and Orama in headless Chromium, on
# a real news archive with known-item queries made from its titles; then Sorot's explorer beside
# Pagefind in a cold start over a throttled network (10 Mbit/s, 40 ms), over HTTP/1.1 and HTTP/2.
#
#   bash bench/run.sh [--corpus FILE] [--queries FILE] [--generated | --sizes 1000,10000] [--quick]
#                     [--libraries sorot,lunr,pagefind] [--cold-start]
#   bash bench/run.sh --split-scale 100000,1000000
#
# --corpus: JSON Lines (.gz allowed); default ../shared/data/news/clickid-dev.jsonl.gz (14,272 articles).
# --generated / --sizes: also generated corpora, as a second table. --quick: 15 queries per kind and fewer
# repetitions (for working on the benchmark itself). --cold-start: only the cold start (about 2.5 minutes).
# bash bench/run.sh --help lists every option.
#
# Installs bench/'s npm packages (npm ci), builds the release bundle into target/bench-dist and the
# native tools, then bench/run.mjs packs the corpus, has sorot-bench write its queries (target/bench/),
# serves everything on loopback, runs it in one Chromium and writes bench/results/latest.{md,json}.
# Not part of the test suite; it never fails on timing. See bench/README.md.
export SOROT_BENCH_CWD="$PWD"  # --corpus and --queries are relative to where the user is
source "$(dirname "$0")/../scripts/lib.sh"

started=$SECONDS
mkdir -p target
exec 9>target/.sorot-bench.lock
if ! flock -n 9; then
  die "another benchmark run is in progress in this folder (lock: target/.sorot-bench.lock); wait for it to finish"
fi

ensure_bench_modules

# --split-scale N,N,…: only `sorot pack --split` on generated corpora of these sizes (bench/scale.mjs):
# build time, peak memory, pieces and the entry's size. No browser.
if [ "${1:-}" = "--split-scale" ]; then
  [ -n "${2:-}" ] || die "--split-scale needs sizes, e.g. --split-scale 100000,1000000"
  say "building sorot (CLI) and sorot-bench (corpus generator)"
  cargo build --release --locked -q -p sorot-cli -p sorot-bench
  node bench/scale.mjs "$2"
  exit $?
fi

# Options are checked before anything is built (a typo in --corpus should not cost a build).
case " $* " in *" --help "* | *" -h "*) node bench/run.mjs --help; exit 0 ;; esac
SOROT_BENCH_CHECK_ARGS=1 node bench/run.mjs "$@" || exit 1

ensure_build_tools
ensure_chromium
ensure_openssl

build_release target/bench-dist
say "building sorot (CLI) and sorot-bench (corpus and query generator)"
cargo build --release --locked -q -p sorot-cli -p sorot-bench

case " $* " in
  *" --cold-start "*) say "running the cold start (about 2.5 minutes)" ;;
  *) say "running the benchmark (about 6 minutes on 2 cores; --generated adds about 25)" ;;
esac
node bench/run.mjs "$@"
case " $* " in
  *" --cold-start "*) results=cold-start ;;
  *) results=latest ;;
esac
say "finished in $(( (SECONDS - started) / 60 )) min $(( (SECONDS - started) % 60 )) s; results in bench/results/$results.md and $results.json"
