#!/usr/bin/env bash
# Builds a `sorot` command that can `sorot bundle`: the release app first, then the CLI with the app
# inside. The binary lands in target/bin/sorot and needs nothing else; copy it anywhere.
source "$(dirname "$0")/lib.sh"

ensure_build_tools
build_release target/cli-app-dist
build_cli target/cli-app-dist
say "built $ROOT/target/bin/sorot; try: target/bin/sorot bundle seeds -o sorot.html"
