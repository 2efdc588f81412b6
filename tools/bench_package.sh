#!/usr/bin/env bash
# Packaging benchmark: in a fresh clone of HEAD (so the working tree's target/ is untouched), times
# './mvnw -Ppackage -DskipTests package' from a clean target/ and again incrementally, with and
# without the .deb, then the app-image smoke test; prints the sizes of the image and the .deb.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
. "$root/scripts/find-jdk.sh"
coar_find_jdk
work="$(mktemp -d /tmp/coar-bench-package.XXXXXX)"
trap 'rm -rf "$work"' EXIT
git clone -q "$root" "$work/src"
cd "$work/src"

timed() { # label, command...
  local label=$1 start end; shift
  start=$(date +%s.%N)
  "$@" >"$work/last.log" 2>&1 || { tail -40 "$work/last.log"; echo "bench package: FAILED: $label"; exit 1; }
  end=$(date +%s.%N)
  printf '%-58s %7.1f s   (load %s)\n' "$label" "$(echo "$end - $start" | bc)" "$(cut -d' ' -f1-3 /proc/loadavg)"
}

echo "$(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); JDK $("$JAVA_HOME/bin/java" -version 2>&1 | head -1)"
timed "clean target/, app-image only (-Djpackage.skipDeb=true)" ./mvnw -B -q -Ppackage -DskipTests -Djpackage.skipDeb=true package
timed "incremental, app-image only" ./mvnw -B -q -Ppackage -DskipTests -Djpackage.skipDeb=true package
rm -rf target
timed "clean target/, app-image and .deb" ./mvnw -B -q -Ppackage -DskipTests package
timed "incremental, app-image and .deb" ./mvnw -B -q -Ppackage -DskipTests package
timed "smoke test (tools/smoke_app_image.sh)" tools/smoke_app_image.sh target/dist/coar
echo "app-image target/dist/coar: $(du -sb target/dist/coar | cut -f1) bytes ($(du -sh target/dist/coar | cut -f1)), runtime $(du -sh target/dist/coar/lib/runtime | cut -f1), jars $(du -sh target/dist/coar/lib/app | cut -f1)"
for deb in target/dist/*.deb; do echo "$(basename "$deb"): $(stat -c %s "$deb") bytes ($(du -h "$deb" | cut -f1)), installed size $(dpkg-deb -f "$deb" Installed-Size) KiB"; done
