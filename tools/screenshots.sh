#!/usr/bin/env bash
# The GUI tests once more on the real GTK glass platform under Xvfb (the test command runs them on
# JavaFX's headless platform): checks that the window works where users run it, and makes the
# screenshots in target/screenshots/. With --update-docs it then copies every screenshot whose name
# is already in docs/screenshots/ over that file (the docs show what the tests drove).
#
#   tools/screenshots.sh [--update-docs] [TEST_PATTERN]     # default pattern: *GuiTest
set -euo pipefail
cd "$(dirname "$0")/.."
update_docs=false
if [ "${1:-}" = "--update-docs" ]; then
  update_docs=true
  shift
fi
pattern="${1:-*GuiTest}"
command -v xvfb-run >/dev/null || { echo "screenshots: needs xvfb-run (apt-get install xvfb xauth libgtk-3-0)" >&2; exit 1; }
. scripts/find-jdk.sh
coar_find_jdk
rm -rf target/screenshots
# -r: no key auto-repeat; a slow first layout between a robot's key press and release would repeat Ctrl+R
xvfb-run -a -s "-screen 0 1400x900x24 -r" ./mvnw -B -q test -Dtest="$pattern" -Dsurefire.failIfNoSpecifiedTests=false \
  "-Dgui.test.platform=-Dglass.platform=gtk"
echo "screenshots: $(ls target/screenshots | wc -l) in target/screenshots/ (GTK under Xvfb)"
if $update_docs; then
  for shot in docs/screenshots/*.png; do
    made="target/screenshots/$(basename "$shot")"
    if [ -f "$made" ]; then
      cp "$made" "$shot"
      echo "screenshots: updated $shot"
    fi
  done
fi
