#!/usr/bin/env bash
# Side-by-side build speed on the reference architectures, in one run: the workbench
# (`coar bench ablation --model`: ablate in place + forward + restore, one single-threaded replica
# per core) against the reference's pattern in PyTorch (tools/bench_reference_pattern.py: deep copy,
# zero the slices, evaluate, on 2 threads), alternating A B A B so machine drift hits both alike.
# Prints machine details, every run's figures, then per model the medians, the median of the paired
# ratios, GFLOP/s (forward FLOPs of the evaluation set x models/s) and ablate + restore as a share of
# a forward pass.
# Usage: tools/bench_reference_models.sh [WORK_DIR (default /tmp/coar-reference)] [PAIRS (default 3)]
# Evaluation sets: ResNet-50 4 images, ViT-B/16 1 image, GPT-2 small 2 sequences (64 and 57 tokens).
set -euo pipefail
cd "$(dirname "$0")/.."
work="${1:-/tmp/coar-reference}"
pairs="${2:-3}"
python=/usr/bin/python3
if [ ! -f "$work/gpt2_small.pt" ] || [ ! -f "$work/vit_b_16.pt" ] || [ ! -f "$work/resnet50.pt" ]; then
  "$python" tools/make_reference_models.py --out "$work"
fi
log="$work/bench.log"
: > "$log"
echo "## machine"; lscpu | grep -E "Model name|^CPU\(s\)"; free -g | sed -n 2p; uptime
echo "## $(date -u +%FT%TZ), $(git rev-parse --short HEAD)"
./coar --version >/dev/null 2>&1 || true # builds the workbench first, outside the timings

run_pair() { # name preset examples rows data-options...
  local name=$1 preset=$2 examples=$3 rows=$4
  shift 4
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

"$python" - "$log" "$work" <<'PY'
import json, re, statistics, sys
log, work = sys.argv[1], sys.argv[2]
runs = {}
current = None
side = None
for line in open(log):
    m = re.match(r"### (\S+) pair (\d+): (workbench|reference pattern)", line)
    if m:
        current = runs.setdefault(m.group(1), {}).setdefault(int(m.group(2)), {})
        side = m.group(3)
        continue
    if side == "workbench":
        if line.startswith("plain forward:"):
            current["wb_plain"] = float(line.split()[2])
        elif line.startswith("ablate + forward + restore:"):
            current["wb"] = float(line.split()[4])
        elif line.startswith("ablate + restore alone:"):
            current["wb_restore_pct"] = float(re.search(r"= ([0-9.]+)%", line).group(1))
    elif line.startswith("{"):
        r = json.loads(line)
        current["ref"] = r["reference_models_per_s"]
        current["ref_plain"] = r["plain_models_per_s"]
        current["copy_s"] = r["copy_and_zero_seconds"]
examples = {"resnet50": 4, "vit_b_16": 1, "gpt2_small": None}
print("## summary (medians over pairs; ratio = median of the paired workbench/reference ratios)")
print("| model | components | workbench models/s | reference pattern models/s | ratio | workbench GFLOP/s | reference GFLOP/s | ablate + restore / forward | reference copy + zero |")
print("|---|---|---|---|---|---|---|---|---|")
for name, pairs in runs.items():
    info = json.load(open(f"{work}/{name}.json"))
    images = len(__import__("numpy").load(f"{work}/labels.npy"))
    flops = info["eval_flops"] * (examples[name] / images if examples[name] else 1)
    wb = [p["wb"] for p in pairs.values() if "wb" in p and "ref" in p]
    ref = [p["ref"] for p in pairs.values() if "wb" in p and "ref" in p]
    ratios = [a / b for a, b in zip(wb, ref)]
    restore = statistics.median(p["wb_restore_pct"] for p in pairs.values() if "wb_restore_pct" in p)
    copy = statistics.median(p["copy_s"] for p in pairs.values() if "copy_s" in p)
    comps = {"resnet50": "22,720", "vit_b_16": "82,944", "gpt2_small": "64,512"}[name]
    print(f"| {name} | {comps} | {statistics.median(wb):.3f} | {statistics.median(ref):.3f} | {statistics.median(ratios):.2f}x "
          f"(min {min(ratios):.2f}, max {max(ratios):.2f}) | {statistics.median(wb) * flops / 1e9:.1f} | "
          f"{statistics.median(ref) * flops / 1e9:.1f} | {restore:.2f} % | {copy * 1000:.0f} ms |")
PY
