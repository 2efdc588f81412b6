#!/usr/bin/env bash
# The GPU fit's verification (issue 15), in one script with two steps:
#
#   tools/gpu_fit_check.sh bundle
#       Here, with the JDK: builds target/gpu-bundle/ = a jlinked Java runtime (java.base,
#       java.management), the workbench's classes as one jar, and the three jars the fit's GPU path
#       loads (picocli, jackson); no ND4J, no DJL, no JavaFX. Prints its size (it must stay under the
#       64 MiB a device run carries).
#
#   tools/gpu_fit_check.sh run [--device cuda:0] [--rows 50000 --components 2304 --examples 10000] [--out DIR]
#       On the GPU machine (no JVM, no network; python3 with numpy, PyTorch and NVIDIA's CUDA pip
#       packages): makes the CIFAR-size synthetic store with numpy, times 'coar fit' end to end on the
#       device (JVM start and the store read included), compares its predictions on 1,000 fresh
#       masks with an exact float64 least-squares reference (torch on the GPU, else numpy) to 1e-4
#       relative, and measures GEMM TFLOP/s: 'coar bench fit' through the workbench's own cuBLAS
#       binding against torch's SGEMM on the same device. Writes check.json and the logs to
#       --out (default $OUT if set, else /tmp/gpu-fit-check). Exit 0 only when the comparison passes.
#
#       Rehearsal without a GPU: '--device cpu' with COAR_CHECK_EXTRA_CP naming ND4J's jars
#       (tools/gpu_fit_check.sh rehearse does both steps that way on a small store, and checks that
#       the bundle alone refuses --device cuda:0 with the reason).
set -euo pipefail
cd "$(dirname "$0")/.."
bundle=target/gpu-bundle

make_bundle() {
  . scripts/find-jdk.sh
  coar_find_jdk
  ./mvnw -q -B -DskipTests compile
  rm -rf "$bundle"
  mkdir -p "$bundle/lib"
  "$JAVA_HOME/bin/jlink" --add-modules java.base,java.management,java.logging,jdk.unsupported,jdk.incubator.vector --strip-debug --no-header-files --no-man-pages \
    --compress=zip-6 --output "$bundle/runtime"
  "$JAVA_HOME/bin/jar" --create --file "$bundle/lib/coar-workbench.jar" -C target/classes org
  tr ':' '\n' < target/runtime-classpath.txt | grep -E '/(picocli|jackson-core|jackson-databind|jackson-annotations)-[0-9][^/]*\.jar$' \
    | xargs -I{} cp {} "$bundle/lib/"
  echo "bundle: $bundle"
  du -sh "$bundle/runtime" "$bundle/lib" | sed "s/^/  /"; du -sh "$bundle" | sed "s/^/  total /"
  ls -l "$bundle/lib" | tail -n +2 | awk '{print "  " $5 "  " $9}'
}

coar() {  # runs the bundle's 'coar' (Main) with the GPU path's class path
  local cp
  cp="$(ls "$bundle"/lib/*.jar | paste -sd:)${COAR_CHECK_EXTRA_CP:+:$COAR_CHECK_EXTRA_CP}"
  "$bundle/runtime/bin/java" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Xmx4g -cp "$cp" org.coar.workbench.cli.Main "$@"
}

run_check() {
  local device=cuda:0 rows=50000 components=2304 examples=10000 out=${OUT:-/tmp/gpu-fit-check}
  while [ $# -gt 0 ]; do
    case $1 in
      --device) device=$2; shift 2 ;;
      --rows) rows=$2; shift 2 ;;
      --components) components=$2; shift 2 ;;
      --examples) examples=$2; shift 2 ;;
      --out) out=$2; shift 2 ;;
      *) echo "gpu_fit_check: unknown option $1" >&2; exit 2 ;;
    esac
  done
  [ -x "$bundle/runtime/bin/java" ] || { echo "gpu_fit_check: no $bundle (run 'tools/gpu_fit_check.sh bundle' first)" >&2; exit 1; }
  mkdir -p "$out"
  local work store py
  work=$(mktemp -d "${TMPDIR:-/tmp}/gpu-fit-check.XXXXXX")
  trap 'rm -rf "'"$work"'"' EXIT
  store="$work/store"
  py=${PYTHON:-python3}
  {
    echo "== machine"
    nproc; free -g | head -2
    nvidia-smi --query-gpu=index,name,memory.total,driver_version --format=csv 2>&1 || echo "no nvidia-smi"
    "$py" -c "import numpy; print('numpy', numpy.__version__)"
    "$py" -c "import torch; print('torch', torch.__version__, 'cuda', torch.version.cuda)" 2>&1 || true
    "$bundle/runtime/bin/java" -version 2>&1 | head -1
    du -sh "$bundle" | sed 's/^/bundle /'
  } | tee "$out/machine.txt"

  echo "== store ($rows x $components, $examples float16 outputs)"
  "$py" tools/gpu_fit_check.py store "$store" "$rows" "$components" "$examples" | tee "$out/store.json"

  echo "== coar fit --device $device (end to end, JVM start included)"
  local t0 t1
  t0=$(date +%s.%N)
  coar fit --store "$store" --out "$work/attributions" --device "$device" --num-train "$((rows * 9 / 10))" \
    --num-val "$((rows - rows * 9 / 10))" 2>&1 | tee "$out/fit.log"
  t1=$(date +%s.%N)
  local wall
  wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.2f", b - a}')
  echo "fit wall clock: $wall s"
  cp "$work/attributions/report.json" "$out/report.json"

  echo "== comparison with the float64 reference"
  set +e
  "$py" tools/gpu_fit_check.py compare "$store" "$work/attributions" | tee "$out/compare.json"
  local passed=${PIPESTATUS[0]}
  set -e

  echo "== GEMM TFLOP/s: the workbench's binding, then torch on the same device"
  coar bench fit --peak-only --store "$work/unused" --device "$device" --components "$components" --examples "$examples" 2>&1 \
    | tee "$out/bench.log"
  "$py" tools/gpu_fit_check.py peak | tee "$out/peak.json"

  "$py" - "$out" "$wall" "$passed" <<'PY'
import json, sys
out, wall, passed = sys.argv[1], float(sys.argv[2]), sys.argv[3] == "0"
r = json.load(open(out + "/report.json"))
compare = json.loads(open(out + "/compare.json").read().strip().splitlines()[-1])
peak = json.loads(open(out + "/peak.json").read().strip().splitlines()[-1])
bench = [l for l in open(out + "/bench.log") if l.startswith("GEMM peak")]
summary = {"fit_wall_seconds": wall, "timings_seconds": r["timings_seconds"], "device": r["device"],
           "plan": r["plan"]["text"], "solver_details": r["solver"]["details"], "comparison": compare, "workbench_gemm_peak": bench[-1].strip() if bench else None,
           "torch_peak": peak, "passed": passed}
json.dump(summary, open(out + "/check.json", "w"), indent=2)
print(json.dumps(summary, indent=2))
PY
  [ "$passed" = 0 ] && echo "gpu_fit_check: PASSED" || { echo "gpu_fit_check: FAILED (predictions differ beyond 1e-4)"; exit 1; }
}

rehearse() {
  make_bundle
  echo "== the bundle alone (no ND4J): --device cuda:0 without a GPU must refuse, saying why"
  set +e
  coar fit --store src/test/resources/fit/numpy_store --out /tmp/gpu-fit-check-refusal --device cuda:0 ${COAR_CUDA_LIBS:+--cuda-libs "$COAR_CUDA_LIBS"}
  local rc=$?
  set -e
  [ "$rc" = 1 ] || { echo "gpu_fit_check: expected exit 1 from --device cuda:0 on a machine without a GPU, got $rc" >&2; exit 1; }
  echo "== the whole check on the CPU path, small store (ND4J's jars added for this rehearsal only)"
  COAR_CHECK_EXTRA_CP=$(tr ':' '\n' < target/runtime-classpath.txt | grep -E '/(nd4j|openblas|javacpp|guava|commons|flatbuffers|protobuf|jackson|slf4j|oshi|jna|checker|failureaccess|nd4j-)' | paste -sd:) \
    run_check --device cpu "$@"
}

case ${1:-} in
  bundle) make_bundle ;;
  run) shift; run_check "$@" ;;
  rehearse) shift; rehearse "$@" ;;
  *) sed -n '2,22p' "$0"; exit 2 ;;
esac
