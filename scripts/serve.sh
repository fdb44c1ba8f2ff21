#!/usr/bin/env bash
# Sets up what is missing, builds the release bundle with the seed corpus (and dist/sorot.html, the
# explorer in one file) and serves it on http://127.0.0.1:8080 (PORT=… to change). Stop with Ctrl-C.
source "$(dirname "$0")/lib.sh"

PORT="${PORT:-8080}"
ensure_node_modules
# Fail before a long build if the port is taken (most often: serve.sh is already running).
node scripts/server.mjs --check-port "$PORT" || exit 1
ensure_build_tools
build_release dist
build_single_file dist
exec node scripts/server.mjs dist --port "$PORT"
