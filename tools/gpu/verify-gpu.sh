#!/usr/bin/env bash
# The GPU check of issue 16, for a machine with a CUDA PyTorch (its torch/lib and headers), a C++
# compiler, no JVM and no network. Run from the folder tools/gpu/prepare-bundle.sh made:
#
#   bash .gpu-bundle/verify-gpu.sh            # results under $OUT (default /tmp/gpu-verify)
#
# 1. builds DJL's JNI bridge against that libtorch (build-djl-jni.sh), where DJL looks for it;
# 2. 'coar doctor': the GPU must be usable (the workbench finds libtorch, its CUDA runtime, the GPU);
# 3. the demo: 50 rows on cuda:0 and the same 50 on the CPU, compared (masks equal, outputs within
#    float16 tolerance, autocast off); 50 more on cuda:0 with --autocast, compared for information;
# 4. ResNet-50-sized rows (224x224 images, random weights): rows/s of the workbench on cuda:0, float32
#    and autocast, beside the reference way (a model copy per row, PyTorch eager) on the same GPU.
# Rehearsal on a CPU machine: VERIFY_DEVICE=cpu TORCH_INCLUDES="dir dir" TORCH_LIBDIR=dir runs every step
# with the CPU as the device and a libtorch given by hand.
set -euo pipefail
bundle="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="${OUT:-/tmp/gpu-verify}"
device="${VERIFY_DEVICE:-cuda:0}"
resnet_images="${RESNET_IMAGES:-1000}"
resnet_rows="${RESNET_ROWS:-20}"
mkdir -p "$out"
work="$(mktemp -d "${TMPDIR:-/tmp}/coar-gpu.XXXXXX")"
log="$out/verify.log"
exec > >(tee -a "$log") 2>&1
t0=$(date +%s)
step() { echo "=== [$(( $(date +%s) - t0 )) s] $*"; }
coar="$bundle/bin/coar"
export COAR_JAVA_OPTS="${COAR_JAVA_OPTS:--Xmx8g}"

step "machine"
nvidia-smi --query-gpu=index,name,driver_version,memory.total --format=csv,noheader 2>/dev/null || echo "no nvidia-smi"
python3 -c "import torch, sys; print('python', sys.version.split()[0], 'torch', torch.__version__, 'cuda', torch.version.cuda)"

torch_dir="$(python3 -c 'import torch, os; print(os.path.dirname(torch.__file__))')"
version="${PYTORCH_VERSION:-$(python3 -c 'import torch; print(torch.__version__.split("+")[0])')}"
flavour="${PYTORCH_FLAVOR:-$(python3 -c 'import torch; v = torch.version.cuda; print("cu" + v.replace(".", "") if v else "cpu")')}"
libdir="${TORCH_LIBDIR:-$torch_dir/lib}"
djl_version="$(cat "$bundle/djl-src/djl-version")"
export DJL_CACHE_DIR="${DJL_CACHE_DIR:-$work/djl}"
jni="$DJL_CACHE_DIR/pytorch/$version-$flavour-linux-x86_64/$djl_version-libdjl_torch.so"
mkdir -p "$(dirname "$jni")"

step "1. DJL $djl_version JNI bridge for libtorch $version ($flavour) in $libdir"
include_args=()
for d in ${TORCH_INCLUDES:-}; do include_args+=(--include "$d"); done
bash "$bundle/build-djl-jni.sh" --src "$bundle/djl-src" --torch "$torch_dir" --libdir "$libdir" "${include_args[@]}" --out "$jni"
export PYTORCH_LIBRARY_PATH="$libdir" PYTORCH_VERSION="$version" PYTORCH_FLAVOR="$flavour"

step "2. coar doctor"
"$coar" doctor
"$coar" doctor --json >"$out/doctor.json"
if [ "$device" != cpu ]; then
  "$coar" doctor --require-gpu >/dev/null
fi

step "3. demo: 50 rows on $device and on the CPU"
demo="$bundle/app/classes/org/coar/workbench/demo"
cat >"$work/demo-spec.json" <<'EOF'
{"num_models": 50, "schema": {"masks": {"dtype": "bool_", "shape": [240]}, "margins": {"dtype": "float16", "shape": [1000]}}}
EOF
data=(--model "$demo/fashion_cnn.pt" --data "$demo/eval-images-idx3-ubyte.gz" --labels "$demo/eval-labels-idx1-ubyte.gz")
for s in device cpu autocast; do "$coar" init --spec "$work/demo-spec.json" --store "$work/demo-$s" >/dev/null; done
time "$coar" build --store "$work/demo-device" "${data[@]}" --devices "$device"
time "$coar" build --store "$work/demo-cpu" "${data[@]}" --devices cpu
status=0
# A mismatch fails the check at the end, after the timings, so one run gives every figure.
python3 "$bundle/ablation_reference.py" compare "$work/demo-device" "$work/demo-cpu" >"$out/demo-compare.json" || status=1
cat "$out/demo-compare.json"
if [ "$device" != cpu ]; then
  time "$coar" build --store "$work/demo-autocast" "${data[@]}" --devices "$device" --autocast
  python3 "$bundle/ablation_reference.py" compare "$work/demo-autocast" "$work/demo-cpu" | tee "$out/demo-autocast-compare.json" || true
  cp "$work/demo-autocast/run.json" "$out/demo-autocast-run.json"
fi

step "4. ResNet-50-sized rows: $resnet_rows rows of $resnet_images images of 224x224 on $device"
python3 "$bundle/ablation_reference.py" make-resnet "$work/resnet" --images "$resnet_images" --rows "$resnet_rows" | tee "$out/resnet.json"
rdata=(--model "$work/resnet/resnet50.pt" --data "$work/resnet/inputs.npy" --labels "$work/resnet/labels.npy")
for s in auto b250 autocast; do "$coar" init --spec "$work/resnet/spec.json" --store "$work/resnet-$s" >/dev/null; done
# Wall time includes the JVM's start and loading libtorch; the task record's rate counts from the first replica.
timed() { local name="$1" store="$2"; shift 2; local s e; s=$(date +%s.%N); "$@" --store "$store"; e=$(date +%s.%N)
  python3 - "$name" "$s" "$e" "$resnet_rows" "$store" <<'PY' | tee -a "$out/resnet-times.jsonl"
import glob, json, sys
name, s, e, rows, store = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
task = json.load(open(sorted(glob.glob(store + "/tasks/*.json"))[-1]))
print(json.dumps({"run": name, "wall_seconds": e - s, "rows": rows, "rows_per_s_wall": rows / (e - s),
                  "rows_per_s_build": task.get("rows_per_second", task.get("rowsPerSecond"))}))
PY
}
timed workbench-auto "$work/resnet-auto" "$coar" build "${rdata[@]}" --devices "$device"
timed workbench-b250 "$work/resnet-b250" "$coar" build "${rdata[@]}" --devices "$device" --batch-size 250
if [ "$device" != cpu ]; then
  timed workbench-autocast "$work/resnet-autocast" "$coar" build "${rdata[@]}" --devices "$device" --autocast
  python3 "$bundle/ablation_reference.py" time "$work/resnet" --rows 5 --batch-size 250 --device "$device" | tee -a "$out/resnet-times.jsonl"
  python3 "$bundle/ablation_reference.py" time "$work/resnet" --rows 5 --batch-size 250 --device "$device" --autocast | tee -a "$out/resnet-times.jsonl"
else
  python3 "$bundle/ablation_reference.py" time "$work/resnet" --rows 2 --batch-size 250 --device cpu | tee -a "$out/resnet-times.jsonl"
fi
python3 "$bundle/ablation_reference.py" compare "$work/resnet-auto" "$work/resnet-b250" | tee "$out/resnet-batch-compare.json" || true

step "done in $(( $(date +%s) - t0 )) s; results in $out"
echo "GPU rows equal CPU rows within float16 tolerance: $([ "$status" = 0 ] && echo yes || echo NO)"
exit "$status"
