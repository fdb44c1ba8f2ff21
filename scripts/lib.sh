# Shared set-up for scripts/serve.sh and scripts/test.sh. Every step checks first and installs only
# what is missing or at the wrong version, from crates.io, npm and Debian's packages — nothing else.
# shellcheck shell=bash

set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

TRUNK_VERSION="0.21.14"
export PATH="$HOME/.cargo/bin:$ROOT/node_modules/.bin:$PATH"

say() { printf '\033[1m[sorot]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31m[sorot] error:\033[0m %s\n' "$*" >&2; exit 1; }

need_command() {
  command -v "$1" >/dev/null 2>&1 || die "$1 is not installed. $2"
}

# Runs a command as root: directly when we are root, else through sudo.
as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else need_command sudo "Install $* as root."; sudo "$@"; fi
}

# The exact wasm-bindgen version in Cargo.lock; the CLI must match it.
wasm_bindgen_version() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock
}

ensure_rust() {
  need_command cargo "Install Rust with rustup (https://rustup.rs) and run this again."
  need_command rustup "Install Rust with rustup (https://rustup.rs) and run this again."
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    say "adding the Rust target wasm32-unknown-unknown"
    rustup target add wasm32-unknown-unknown
  fi
}

ensure_trunk() {
  if [ "$(trunk --version 2>/dev/null || true)" != "trunk $TRUNK_VERSION" ]; then
    say "installing trunk $TRUNK_VERSION (a few minutes, once)"
    cargo install trunk --version "$TRUNK_VERSION" --locked
  fi
}

ensure_wasm_bindgen() {
  local want
  want="$(wasm_bindgen_version)"
  [ -n "$want" ] || die "Cargo.lock names no wasm-bindgen version"
  if [ "$(wasm-bindgen --version 2>/dev/null || true)" != "wasm-bindgen $want" ] \
    || ! command -v wasm-bindgen-test-runner >/dev/null 2>&1; then
    say "installing wasm-bindgen-cli $want (matches Cargo.lock; a few minutes, once)"
    cargo install wasm-bindgen-cli --version "$want" --force
  fi
}

# npm packages from package-lock.json: binaryen (wasm-opt), terser and csso (the postbuild hook minifies
# the JS and CSS with them) and playwright-core.
ensure_node_modules() {
  need_command npm "Install Node.js and npm (apt-get install nodejs npm) and run this again."
  local stamp="node_modules/.sorot-lock" want
  want="$(sha256sum package-lock.json | cut -d' ' -f1)"
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    say "installing npm packages from package-lock.json"
    npm ci --no-audit --no-fund
    echo "$want" > "$stamp"
  fi
}

# bench/'s own npm packages, exactly as locked; reinstalled only when the lock changes.
ensure_bench_modules() {
  local stamp="bench/node_modules/.sorot-bench-lock" want
  want="$(sha256sum bench/package-lock.json | cut -d' ' -f1)"
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    say "installing the benchmark's npm packages from bench/package-lock.json"
    npm ci --prefix bench --no-audit --no-fund
    echo "$want" > "$stamp"
  fi
}

# openssl, with which the bench's HTTP/2 server makes its certificate (bench/cold-start.mjs).
ensure_openssl() {
  if ! command -v openssl >/dev/null 2>&1; then
    say "installing Debian's openssl (the bench's HTTP/2 server makes its certificate with it)"
    as_root apt-get update
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y openssl
  fi
}

ensure_chromium() {
  if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
    say "installing Debian's chromium and chromium-driver"
    as_root apt-get update
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y chromium chromium-driver
  fi
}

ensure_build_tools() {
  ensure_rust
  ensure_trunk
  ensure_wasm_bindgen
  ensure_node_modules
}

# Builds the release bundle into $1 and prints what it weighs.
# Two trunk builds at once in one checkout share trunk's staging folder under target/ and can leave an
# empty wasm, so builds take turns (serve.sh and test.sh may run side by side).
build_release() {
  local dist="$1"
  mkdir -p target
  exec 8>target/.sorot-build.lock
  if ! flock -n 8; then
    say "another build of the bundle is running in this folder; waiting for it"
    flock 8
  fi
  say "building the release bundle into $dist"
  trunk build --release --offline --dist "$dist"
  # The recogniser's model, which teaching mode and the worker that adds articles fetch on first use.
  cp crates/engine/data/ner/model.bin "$dist/ner-model.bin"
  build_teaching_page "$dist"
  flock -u 8
  node scripts/sizes.mjs "$dist"
}

# Builds teach.html (teaching mode, the `teach` feature) beside the bundle in $1: $1/teach.html, its
# script, wasm and stylesheets in $1/teach/ (so that the bundle's own files stay one of each). It
# shares the bundle's service worker, manifest and icon.
build_teaching_page() {
  local dist="$1" stage=target/teach-dist
  say "building the teaching page into $dist/teach.html"
  # The page is index.html with the `teach` feature and its stylesheet, without the files the main
  # build copies and without the lines that send a view with `explain=1` to it (index.html keeps
  # them on lines of their own, which say `explain=1`) and without the worker; written for trunk,
  # which reads assets relative to the page, and removed after.
  sed -e '/rel="copy-file"/d' -e '/explain=1/d' -e '/data-type="worker"/d' \
    -e 's#<title>Sorot</title>#<title>Sorot — show the work</title>#' \
    -e 's#^\( *\)<link data-trunk rel="css" href="www/style.css" />#&\n\1<link data-trunk rel="css" href="www/teach.css" />#' \
    -e 's#data-bin="sorot-app"#data-bin="sorot-app" data-cargo-features="teach"#' index.html > teach.html
  trunk build teach.html --release --offline --dist "$stage"
  rm -f teach.html
  rm -rf "$dist/teach"
  mkdir -p "$dist/teach"
  local file
  for file in "$stage"/*; do
    [ "$(basename "$file")" = index.html ] || cp "$file" "$dist/teach/"
  done
  # Every file trunk references as ./NAME is one of its own, now under teach/.
  sed -e "s#\"\./#\"./teach/#g" -e "s#'\./#'./teach/#g" "$stage/index.html" > "$dist/teach.html"
}

# Builds the `sorot` command with the app of the trunk output folder $1 inside, so that it can
# `sorot bundle`, and copies it to target/bin/sorot (a later plain `cargo build --release` of the CLI
# leaves that copy alone).
build_cli() {
  local dist
  dist="$(cd "$1" && pwd)"
  say "building the sorot command with the app of $1 inside"
  SOROT_APP_DIST="$dist" cargo build --locked --release -p sorot-cli
  mkdir -p target/bin
  cp "${CARGO_TARGET_DIR:-target}/release/sorot" target/bin/sorot
}

# Writes $1/sorot.html, the whole explorer and the seed corpus in one file that works opened from
# disk, with the app trunk built into $1; and $1/articles.pack, the seed corpus as a pack.
build_single_file() {
  local dist="$1"
  build_cli "$dist"
  say "writing $dist/sorot.html (the explorer in one file)"
  target/bin/sorot bundle seeds -o "$dist/sorot.html"
  # The seed as a pack of its own: the example host page (www/host.html) gives it to a widget.
  target/bin/sorot pack seeds -o "$dist/articles.pack"
}
