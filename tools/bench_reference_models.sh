#!/usr/bin/env bash
# Side-by-side build speed on the reference architectures, in one run: the workbench
# (`coar bench ablation --model`: ablate in place + forward + restore, one single-threaded replica
# per core) against the reference's pattern in PyTorch (tools/bench_reference_pattern.py: deep copy,
# zero the slices, evaluate, on 2 threads), alternating A B A B so machine drift hits both alike.
# Prints machine details, every run's figures, then per model the medians, the median of the paired
# ratios, GFLOP/s (forward FLOPs of the evaluation set x models/s) and ablate + restore as a share of
# a forward pass.
# Usage: tools/bench_reference_models.sh [WORK_DIR (default /tmp/coar-reference)] [PAIRS (default 3)] [MODELS]
# (MODELS: some of "resnet50 vit_b_16 gpt2_small", the default; the log is WORK_DIR/bench-MODELS.log, and
# tools/bench_reference_summary.py WORK_DIR LOG... summarises several logs in one table)
# Evaluation sets: ResNet-50 4 images, ViT-B/16 1 image, GPT-2 small 2 sequences (64 and 57 tokens).
set -euo pipefail
cd "$(dirname "$0")/.."
work="${1:-/tmp/coar-reference}"
pairs="${2:-3}"
models="${3:-resnet50 vit_b_16 gpt2_small}"
python=/usr/bin/python3
if [ ! -f "$work/gpt2_small.pt" ] || [ ! -f "$work/vit_b_16.pt" ] || [ ! -f "$work/resnet50.pt" ]; then
  "$python" tools/make_reference_models.py --out "$work"
fi
log="$work/bench-${models// /-}.log"
: > "$log"
echo "## machine"; lscpu | grep -E "Model name|^CPU\(s\)"; free -g | sed -n 2p; uptime
echo "## $(date -u +%FT%TZ), $(git rev-parse --short HEAD)"
./coar --version >/dev/null 2>&1 || true # builds the workbench first, outside the timings

run_pair() { # name preset examples rows data-options...
  local name=$1 preset=$2 examples=$3 rows=$4
  shift 4
  case " $models " in *" $name "*) ;; *) return ;; esac
  for p in $(seq 1 "$pairs"); do
    echo "### $name pair $p: workbench" | tee -a "$log"
    ./coar bench ablation --model "$work/$name.pt" "$@" --components "$preset" --rows "$rows" --rounds 1 --build-rows 0 \
      --batch-size "$examples" 2>/dev/null | tee -a "$log"
    echo "### $name pair $p: reference pattern" | tee -a "$log"
    "$python" tools/bench_reference_pattern.py --work "$work" --model "$name" --examples "$examples" --models $((2 * rows)) \
      --threads 2 | tee -a "$log"
  done
}

run_pair resnet50 reference-resnet 4 2 --data "$work/images.npy" --labels "$work/labels.npy" --limit 4
run_pair vit_b_16 reference-vit 1 2 --data "$work/images.npy" --labels "$work/labels.npy" --limit 1
run_pair gpt2_small reference-gpt2 2 2 --data "$work/tokens.npy" --attention-mask "$work/lengths.npy"

"$python" tools/bench_reference_summary.py "$work" "$log"
