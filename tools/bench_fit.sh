#!/usr/bin/env bash
# The regression benchmark behind docs/BENCHMARKS.md ("Regression"):
#   1. a synthetic CIFAR-size store in the reference layout (50,000 rows x 2,304 components, keep 0.9,
#      10,000 float16 outputs, ~1.1 GB) and this machine's GEMM peak   (coar bench fit)
#   2. 'coar fit' with ols and with lasso (k = 20, eps = 1e-4), each its own process with the heap capped at
#      4 GiB, the store's pages dropped from the page cache first; report.json has the stage timings
#   3. numpy lstsq on subsets, extrapolated, and the reference's SAGA on a scaled problem  (tools/bench_fit_reference.py)
# Usage: tools/bench_fit.sh [STORE_DIR (default /tmp/coar-bench-store)] [--keep-store]
# The store is deleted at the end unless --keep-store. Prints everything; nothing is written into the repository.
set -euo pipefail
cd "$(dirname "$0")/.."
store=${1:-/tmp/coar-bench-store}
keep=${2:-}
work=$(mktemp -d /tmp/coar-bench-fit.XXXXXX)
trap 'rm -rf "$work"; [ "$keep" = --keep-store ] || rm -rf "$store"' EXIT

echo "== machine"
lscpu | grep -E "^(Model name|CPU\(s\)|Thread|Core|Socket)" || true
free -g | head -2
. scripts/find-jdk.sh && coar_find_jdk && "$JAVA_HOME/bin/java" -version 2>&1 | head -1
/usr/bin/python3 -c "import numpy; print('numpy', numpy.__version__)"
uptime

echo "== store and GEMM peak"
./coar bench fit --store "$store" 2> >(grep -v "^store: [0-9]" >&2)

drop_cache() {
  # Evict only this store's pages (fsync first so they are clean), so each fit reads the store from disk.
  /usr/bin/python3 - "$store" <<'PY'
import os, sys
for name in os.listdir(sys.argv[1]):
    fd = os.open(os.path.join(sys.argv[1], name), os.O_RDONLY)
    os.fsync(fd); os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED); os.close(fd)
PY
}

fit() {  # name, extra args...
  local name=$1; shift
  drop_cache
  echo "== coar fit: $name (load before: $(cut -d' ' -f1-3 /proc/loadavg))"
  COAR_JAVA_OPTS=-Xmx4g /usr/bin/time -f "wall %e s, user %U s, sys %S s, peak RSS %M KiB" \
    ./coar fit --store "$store" --out "$work/$name" "$@" 2> >(grep -v "^fit: " >&2)
  /usr/bin/python3 - "$work/$name/report.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
print("timings", {k: round(v, 1) for k, v in r["timings_seconds"].items()})
g = r["gemm"]
print("gemm %.3g flop in %.1f s = %.1f GFLOP/s; reader busy %.1f s; GEMM thread waited %.1f s"
      % (g["flops"], g["seconds"], g["gflops_per_second"], g["reader_thread_busy_seconds"], g["gemm_thread_waiting_for_rows_seconds"]))
m = r["memory"]
print("peak RSS %.2f GiB, heap peak %.2f GiB of %.2f" % (m["peak_rss_bytes"] / 2**30, m["heap_peak_used_bytes"] / 2**30, m["heap_max_bytes"] / 2**30))
print("validation R2", r["metrics"]["validation_r2"], "lambda", r["metrics"]["lambda"])
d = r["solver"]["details"]
print("solver details", json.dumps(d)[:1500])
PY
  echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
}

fit ols --num-train 45000 --num-val 5000
cat > "$work/lasso.yaml" <<'YAML'
data: {num_train: 45000, num_val: 5000}
cfg: {k: 20, eps: 1e-4, manual_max_lambda: -1}
workbench: {solver: lasso}
YAML
fit lasso --config "$work/lasso.yaml"

echo "== numpy lstsq on subsets (load $(cut -d' ' -f1-3 /proc/loadavg))"
/usr/bin/python3 tools/bench_fit_reference.py lstsq "$store"
echo "== reference SAGA, scaled problem (load $(cut -d' ' -f1-3 /proc/loadavg))"
/usr/bin/python3 tools/bench_fit_reference.py saga
uptime
