#!/usr/bin/env bash
# Opt-in check on the reference setups' real architectures (too big and too slow for CI):
# torchvision ResNet-50 and ViT-B/16 and a GPT-2-small-shaped model (random weights).
# For each: the preset's component count as `coar components` reads it from the TorchScript file
# (22,720 / 82,944 / 64,512, the widths of the reference's spec.json files); a reference-width spec
# built with the default selection is refused, naming the preset; then a few rows are built with the
# preset and tools/check_reference_store.py recomputes their margins in PyTorch from the stored masks.
# Usage: tools/check_reference_architectures.sh [WORK_DIR (default /tmp/coar-reference)] [ROWS (default 2)] [MODELS]
# (MODELS: some of "resnet50 vit_b_16 gpt2_small", the default)
# Needs Debian's python3-torch and python3-torchvision; about 2 GiB of memory and a few minutes per model
# on 2 cores; about 1.5 GB of disk in WORK_DIR.
set -euo pipefail
cd "$(dirname "$0")/.."
work="${1:-/tmp/coar-reference}"
rows="${2:-2}"
models="${3:-resnet50 vit_b_16 gpt2_small}"
python=/usr/bin/python3
mkdir -p "$work"
if [ ! -f "$work/gpt2_small.pt" ] || [ ! -f "$work/vit_b_16.pt" ] || [ ! -f "$work/resnet50.pt" ]; then
  "$python" tools/make_reference_models.py --out "$work"
fi
images=$("$python" -c "import numpy as np; print(len(np.load('$work/labels.npy')))")
sequences=$("$python" -c "import numpy as np; print(len(np.load('$work/lengths.npy')))")
failed=0

check() { # name preset expected-count outputs data-options...
  local name=$1 preset=$2 expected=$3 outputs=$4
  shift 4
  case " $models " in *" $name "*) ;; *) return ;; esac
  echo "## $name ($preset)"
  local count
  count=$(./coar components "$work/$name.pt" --components "$preset" | sed -n 's/^Components: \([0-9,]*\) in .*/\1/p' | tr -d ,)
  if [ "$count" != "$expected" ]; then
    echo "FAIL: --components $preset selects $count components of $name, expected $expected"; failed=1; return
  fi
  echo "components: $count (expected $expected)"
  local store="$work/store-$name"
  rm -rf "$store"
  printf '{"num_models": %d, "schema": {"masks": {"dtype": "bool_", "shape": [%d]}, "margins": {"dtype": "float16", "shape": [%d]}}}\n' \
    "$rows" "$expected" "$outputs" > "$work/spec-$name.json"
  ./coar init --spec "$work/spec-$name.json" --store "$store" >/dev/null
  local refusal
  if refusal=$(./coar build --store "$store" --model "$work/$name.pt" "$@" --components default 2>&1); then
    echo "FAIL: a $expected-wide store was built with the default selection"; failed=1; return
  fi
  if ! grep -q -- "--components $preset selects $expected" <<<"$refusal"; then
    echo "FAIL: the refusal does not name $preset: $refusal"; failed=1; return
  fi
  echo "default selection refused, naming --components $preset"
  ./coar build --store "$store" --model "$work/$name.pt" "$@" --components "$preset" --alpha 0.05 --batch-size 2
  local result
  if ! result=$("$python" tools/check_reference_store.py "$store" --rows "$rows"); then
    failed=1
  fi
  echo "$result"
  if grep -q '"mean_output": 0.0}' <<<"$result"; then
    echo "FAIL: every margin is 0, so the check compares nothing"; failed=1
  fi
}

check resnet50 reference-resnet 22720 "$images" --data "$work/images.npy" --labels "$work/labels.npy"
check vit_b_16 reference-vit 82944 "$images" --data "$work/images.npy" --labels "$work/labels.npy"
check gpt2_small reference-gpt2 64512 "$sequences" --data "$work/tokens.npy" --attention-mask "$work/lengths.npy"
if [ "$failed" != 0 ]; then
  echo "SOME CHECKS FAILED"; exit 1
fi
echo "ALL CHECKS PASSED"
