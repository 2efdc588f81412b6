#!/usr/bin/env bash
# The regression benchmark at the reference's four sizes (docs/BENCHMARKS.md, "Regression at scale"):
#   tools/bench_fit_scale.sh SETUP [WORKDIR]      SETUP: cifar | resnet50 | vit | gpt2 | small
# For the setup it makes a synthetic store in the reference layout (tools/make_fit_store.py, keep 0.95,
# planted weights + noise; kept in WORKDIR, default /tmp/coar-scale, for reruns), then, from a cold page cache
# each time: the time to read the store once (cat), 'coar fit' as one process (wall time, peak RSS, the plan's
# prediction), its predictions for 20 sampled outputs on 50 fresh masks against an independent float64 numpy
# solution (tools/fit_reference.py; for gpt2, whose 64,512^2 float64 Gram does not fit in 24 GiB, the normal
# equations' residual in float64 instead), and numpy's in-memory normal equations and lstsq on what fits.
# GPT2_ROWS overrides gpt2's rows (default 100000: the reference's 90,000 + 10,000).
set -euo pipefail
cd "$(dirname "$0")/.."
setup=${1:?usage: tools/bench_fit_scale.sh cifar|resnet50|vit|gpt2|small [WORKDIR]}
work=${2:-/tmp/coar-scale}
py=/usr/bin/python3
case "$setup" in
  small)    p=1000;  m=2000;  rows=20000;  train=18000; val=2000 ;;
  cifar)    p=2304;  m=10000; rows=50000;  train=45000; val=5000 ;;
  resnet50) p=22720; m=50000; rows=50000;  train=45000; val=5000 ;;
  vit)      p=82944; m=5000;  rows=5000;   train=4500;  val=500 ;;
  gpt2)     p=64512; m=500;   rows=${GPT2_ROWS:-100000}; train=$((rows * 9 / 10)); val=$((rows - rows * 9 / 10)) ;;
  *) echo "unknown setup $setup" >&2; exit 2 ;;
esac
store="$work/$setup"
run="$work/$setup-run"
rm -rf "$run"; mkdir -p "$run"

echo "== $setup: $p components x $m outputs, $train + $val rows"
lscpu | grep -E "^(Model name|CPU\(s\)|CPU family|Model:)" || true
free -g | head -2
. scripts/find-jdk.sh && coar_find_jdk && "$JAVA_HOME/bin/java" -version 2>&1 | head -1
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"

if [ ! -f "$store/_completed.npy" ]; then
  /usr/bin/time -f "store made in %e s" $py tools/make_fit_store.py "$store" --rows "$rows" --components "$p" --outputs "$m"
fi
du -sh "$store"

drop_cache() {
  sync
  if ! { echo 3 > /proc/sys/vm/drop_caches; } 2>/dev/null; then
    $py - "$store" <<'PY'
import os, sys
for name in os.listdir(sys.argv[1]):
    fd = os.open(os.path.join(sys.argv[1], name), os.O_RDONLY)
    os.fsync(fd); os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED); os.close(fd)
PY
  fi
}

./coar --version > /dev/null  # builds first if sources changed, so the timed run does not

drop_cache
/usr/bin/time -f "read once from a cold cache (cat): %e s" sh -c "cat '$store'/*.npy > /dev/null"

drop_cache
echo "== coar fit (load $(cut -d' ' -f1-3 /proc/loadavg))"
/usr/bin/time -f "coar fit: wall %e s, user %U s, sys %S s, peak RSS %M KiB" \
  ./coar fit --store "$store" --out "$run/attributions" --num-train "$train" --num-val "$val" 2> >(grep -v "^fit: " >&2)
$py - "$run/attributions/report.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
print("plan:", r["plan"]["text"])
print("timings", {k: round(v, 1) for k, v in r["timings_seconds"].items()})
d = r["solver"]["details"]
print("details", json.dumps({k: v for k, v in d.items()}, default=str)[:2500])
m = r["memory"]
print("peak RSS %.2f GiB; predicted %.2f GiB (RSS before the plan %.2f GiB + plan %.2f GiB): %+.1f %%" % (
    m["peak_rss_bytes"] / 2**30, m["predicted_peak_rss_bytes"] / 2**30, m["rss_before_plan_bytes"] / 2**30,
    m["planned_peak_bytes"] / 2**30, 100 * (m["predicted_peak_rss_bytes"] / m["peak_rss_bytes"] - 1)))
print("linear algebra:", r["versions"]["linear_algebra"])
PY
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"

echo "== accuracy against numpy (20 sampled outputs, 50 fresh masks)"
examples=$($py -c "import numpy as np; print(','.join(map(str, sorted(np.random.default_rng(7).choice($m, 20, replace=False)))))")
$py -c "
import numpy as np
rng = np.random.default_rng(8)
np.save('$run/fresh.npy', rng.random((50, $p)) < 0.95)"
if [ "$setup" = gpt2 ]; then
  $py tools/bench_fit_scale.py certify "$store" "$run/attributions" --rows "$rows" --examples "$examples"
else
  # The attributions hold the final fit on all rows: the reference fits the same rows (no validation split).
  /usr/bin/time -f "numpy reference: %e s, peak RSS %M KiB" $py tools/fit_reference.py "$store" "$run/reference" \
    --num-train "$rows" --num-val 0 --examples "$examples" --masks "$run/fresh.npy"
  $py tools/bench_fit_scale.py compare "$run/attributions" "$run/reference" --fresh "$run/fresh.npy" --tolerance 1e-3
fi

echo "== numpy side by side (load $(cut -d' ' -f1-3 /proc/loadavg))"
case "$setup" in
  small|cifar)
    drop_cache; $py tools/bench_fit_scale.py normal "$store" --train "$train" --val "$val"
    drop_cache; $py tools/bench_fit_scale.py lstsq "$store" --train "$train" --outputs 1000 ;;
  resnet50)
    drop_cache; $py tools/bench_fit_scale.py normal "$store" --train "$train" --val "$val" --outputs 5000 ;;
  vit)
    drop_cache; $py tools/bench_fit_scale.py lstsq "$store" --train "$train" --outputs "$m" ;;
  gpt2) echo "numpy: the 64,512^2 Gram in float32 (16.6 GB) and its Cholesky copy do not fit in 24 GiB; no in-memory run" ;;
esac
echo "load at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
