#!/usr/bin/env bash
# Sets up what is missing and runs every test: clippy, native tests, wasm tests in headless Chromium,
# and the Playwright end-to-end suite against the release bundle served on loopback.
source "$(dirname "$0")/lib.sh"

mkdir -p target
exec 9>target/.sorot-test.lock
if ! flock -n 9; then
  die "another test run is in progress in this folder (lock: target/.sorot-test.lock); wait for it to finish"
fi

ensure_build_tools
ensure_chromium

say "clippy (native and wasm32)"
cargo clippy --workspace --all-targets --locked -- -D warnings
cargo clippy -p sorot-app --target wasm32-unknown-unknown --all-targets --locked -- -D warnings
# Teaching mode's build (teach.html) has code of its own.
cargo clippy -p sorot-app --target wasm32-unknown-unknown --features teach --locked -- -D warnings
# The worker that adds articles in the browser.
cargo clippy -p sorot-worker --target wasm32-unknown-unknown --locked -- -D warnings

say "native tests (the app's with teaching mode, whose code has tests of its own)"
cargo test --workspace --features sorot-app/teach --locked

say "wasm tests in headless Chromium"
CHROMEDRIVER=/usr/bin/chromedriver cargo test -p sorot-app --target wasm32-unknown-unknown --test web --locked

build_release target/e2e-dist
say "the first page load against the size ceiling of scripts/sizes.mjs (issue #6: 200 kB brotli)"
node scripts/sizes.mjs --check target/e2e-dist > /dev/null
build_single_file target/e2e-dist
say "packing the fixture corpus for the end-to-end tests"
target/bin/sorot pack seeds tests/fixtures -o target/e2e-dist/fixtures.pack
# Small pieces, so that a query needs some of them and not others.
target/bin/sorot pack seeds tests/fixtures --split target/e2e-dist/fixtures-split --piece-bytes 64
# The same with more postings chunks than its entry names: its dictionary chunks name them.
target/bin/sorot pack seeds tests/fixtures --split target/e2e-dist/fixtures-split-named --piece-bytes 64 --keyed-chunks 4
# The same folder packed again with other articles, for the offline tests' "the pack changed".
target/bin/sorot pack seeds --split target/e2e-dist/seed-split --piece-bytes 128
target/bin/sorot pack seeds --split target/e2e-dist/seed-split-named --piece-bytes 128 --keyed-chunks 2
# And before its last article was added (its earlier article batches are the same files).
target/bin/sorot pack seeds tests/fixtures/en-hostile.md tests/fixtures/en-tech.md tests/fixtures/id-ekonomi.md \
  --split target/e2e-dist/fixtures-split-fewer --piece-bytes 64

say "end-to-end tests (Playwright, Chromium)"
# A test that hangs fails after two minutes instead of holding the run, and nothing a failed test
# left open (a browser, a server) keeps the runner from finishing.
SOROT_DIST=target/e2e-dist node --test --test-reporter=spec --test-timeout=120000 --test-force-exit \
  tests/e2e/*.test.mjs
