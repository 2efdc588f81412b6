#!/usr/bin/env bash
# The CIFAR target "within 3x of the time to read the store once plus its solve" (docs/BENCHMARKS.md, issue 12):
#   tools/bench_fit_read_ratio.sh [STORE] [RUNS]     STORE: default /tmp/coar-scale/cifar (tools/bench_fit_scale.sh cifar)
# Each run: a cat of the store's .npy files from a cold page cache, then 'coar fit' with the CIFAR config's split as one
# process from a cold cache; prints the fit's wall clock over (cat + the fit's solves, report.json's solving_seconds).
# As root the whole page cache is dropped (the JDK's and ND4J's files too); otherwise only the store's pages.
set -euo pipefail
cd "$(dirname "$0")/.."
store=${1:-/tmp/coar-scale/cifar}
runs=${2:-5}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

drop_cache() {
  sync
  if ! { echo 3 > /proc/sys/vm/drop_caches; } 2>/dev/null; then
    /usr/bin/python3 - "$store" <<'PY'
import os, sys
for name in os.listdir(sys.argv[1]):
    fd = os.open(os.path.join(sys.argv[1], name), os.O_RDONLY)
    os.fsync(fd); os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED); os.close(fd)
PY
  fi
}

./coar --version > /dev/null 2>&1  # builds first if sources changed
lscpu | grep -E "^(Model name|CPU family|Model:)" || true
for i in $(seq "$runs"); do
  drop_cache
  /usr/bin/time -o "$out/cat" -f "%e" sh -c "cat '$store'/*.npy > /dev/null"
  drop_cache
  rm -rf "$out/fit"
  /usr/bin/time -o "$out/wall" -f "%e" ./coar fit --store "$store" --out "$out/fit" --num-train 45000 --num-val 5000 \
    > /dev/null 2> "$out/log" || { cat "$out/log" >&2; exit 1; }
  /usr/bin/python3 - "$(cat "$out/cat")" "$(cat "$out/wall")" "$out/fit/report.json" <<'PY'
import json, sys
cat, wall = float(sys.argv[1]), float(sys.argv[2])
report = json.load(open(sys.argv[3]))
t, solves = report["timings_seconds"], report["solver"]["details"]["solving_seconds"]
print(f"cat {cat:.2f} s, fit wall {wall:.2f} s (open {t['open']:.1f}, reading {t['reading']:.1f}, "
      f"solving stage {t['solving']:.1f}, of which solves {solves:.2f}): ratio {wall / (cat + solves):.2f}")
PY
done
