#!/usr/bin/env bash
# An A/B of the explorer's cold start on a split pack: revision REV (A) against the working tree (B),
# each with its own build of the app and its own `sorot pack --split` of the corpus, page loads in
# alternation over the cold start's throttling (bench/ab.mjs). For a change whose effect is smaller
# than one bench run's noise (tens of ms on a 2-core machine).
#
#   bash bench/ab.sh REV [--corpus FILE] [--runs N] [--http 1.1|2] [--probe WORD] [--query Q …]
#
# --corpus: JSON Lines (.gz allowed); default ../shared/data/news/clickid-dev.jsonl.gz. REV is built
# in a git worktree under target/bench/ab/ with its own target folder (the first time, a full build
# of a few minutes); it must use the wasm-bindgen version of the working tree's Cargo.lock, the one
# installed (trunk would fetch another from the internet). Prints numbers; never fails on timing.
export SOROT_BENCH_CWD="$PWD"
source "$(dirname "$0")/../scripts/lib.sh"

rev="${1:-}"
[ -n "$rev" ] && [ "${rev#--}" = "$rev" ] || die "usage: bash bench/ab.sh REV [--corpus FILE] [--runs N] [--http 1.1|2] [--probe WORD] [--query Q …]"
shift
corpus="$ROOT/../shared/data/news/clickid-dev.jsonl.gz"
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --corpus) [ $# -ge 2 ] || die "--corpus needs a file"; corpus="$(cd "$SOROT_BENCH_CWD" && realpath "$2")"; shift 2 ;;
    *) args+=("$1"); shift ;;
  esac
done
[ -f "$corpus" ] || die "no corpus at $corpus (give one with --corpus FILE)"
git rev-parse --verify --quiet "$rev^{commit}" >/dev/null || die "$rev is no commit of this repository"

mkdir -p target
exec 9>target/.sorot-bench.lock
flock -n 9 || die "another benchmark run is in progress in this folder (lock: target/.sorot-bench.lock); wait for it to finish"

ensure_bench_modules
ensure_build_tools
ensure_chromium
ensure_openssl

work="$ROOT/target/bench/ab"
rm -rf "$work/a" "$work/b"
mkdir -p "$work"

# B: the working tree.
build_release "$work/b"
say "building sorot (CLI) of the working tree"
SOROT_APP_DIST="$work/b" cargo build --locked --release -q -p sorot-cli
say "packing $(basename "$corpus") for B"
target/release/sorot pack "$corpus" --split "$work/b/corpora/ab" > /dev/null

# A: REV, in a worktree of its own.
say "building $rev (A) in $work/rev"
git worktree remove --force "$work/rev" 2>/dev/null || rm -rf "$work/rev"
git worktree add --force --detach "$work/rev" "$rev" > /dev/null
ln -sfn "$ROOT/node_modules" "$work/rev/node_modules"
(
  cd "$work/rev"
  export CARGO_TARGET_DIR="$work/target"
  trunk build --release --offline --dist "$work/a"
  SOROT_APP_DIST="$work/a" cargo build --locked --release -q -p sorot-cli
)
git worktree remove --force "$work/rev"
say "packing $(basename "$corpus") for A"
"$work/target/release/sorot" pack "$corpus" --split "$work/a/corpora/ab" > /dev/null

node bench/ab.mjs "$work/a" "$work/b" "${args[@]}"
