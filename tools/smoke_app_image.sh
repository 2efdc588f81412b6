#!/usr/bin/env bash
# Smoke test of the Linux application image (default target/dist/coar, made by
# './mvnw -Ppackage package'): runs the image's own bin/coar with no JDK on PATH, no JAVA_HOME and
# no display: 'coar --version', then the demo on 30 models (build with DJL, fit with ND4J,
# evaluation, edit). Fails when either fails or the demo prints no summary.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
image="$(cd "${1:-$root/target/dist/coar}" && pwd)"
work="$(mktemp -d /tmp/coar-smoke.XXXXXX)"
trap 'rm -rf "$work"' EXIT
fail() { echo "app-image smoke: FAILED: $*"; exit 1; }

[ -x "$image/bin/coar" ] || fail "no launcher $image/bin/coar (build it with ./mvnw -Ppackage package)"
mkdir "$work/empty-path"
# Only the image: an empty PATH, so that no java (nor anything else) can come from the machine.
in_image() { env -u DISPLAY -u WAYLAND_DISPLAY -u JAVA_HOME PATH="$work/empty-path" "$@"; }

start=$SECONDS
in_image "$image/bin/coar" --version >"$work/version.log" 2>&1 || { cat "$work/version.log"; fail "coar --version"; }
head -1 "$work/version.log"
grep -q '^COAR Workbench ' "$work/version.log" || fail "coar --version printed no version"

# --runs 3: the evaluation's correlation over runs needs at least 3 runs per alpha.
if ! in_image "$image/bin/coar" demo --dir "$work/demo" --models 30 --runs 3 --no-gui >"$work/demo.log" 2>&1; then
  tail -40 "$work/demo.log"
  fail "coar demo exited with an error"
fi
grep -q '^== COAR demo summary ==' "$work/demo.log" || { tail -40 "$work/demo.log"; fail "coar demo printed no summary"; }
sed -n '/^== COAR demo summary ==/,$p' "$work/demo.log"
echo "app-image smoke: OK in $((SECONDS - start)) s ($image, $(du -sh "$image" | cut -f1))"
