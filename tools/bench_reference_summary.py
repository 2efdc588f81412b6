#!/usr/bin/env python3
"""Summarises the logs of tools/bench_reference_models.sh as a Markdown table, per model: medians
over the pairs of the workbench's and the reference pattern's ablated models/s and the median of
the paired ratios; the plain forward rates of both engines (libtorch 2.7 in the workbench, Debian's
torch in the reference pattern), which separate the engine's share of the ratio from the pattern's;
GFLOP/s (the evaluation set's forward FLOPs from WORK_DIR/NAME.json times ablated models/s);
ablate + restore as a share of a forward pass; the reference's deep copy + zeroing per model.
Only pairs with both sides count.
Run: /usr/bin/python3 tools/bench_reference_summary.py WORK_DIR LOG [LOG ...]
"""
import json
import re
import statistics
import sys

import numpy as np

# the evaluation set of each model in tools/bench_reference_models.sh (None: all of it)
EXAMPLES = {"resnet50": 4, "vit_b_16": 1, "gpt2_small": None}


def parse(lines):
    runs, current, side = {}, None, None
    for line in lines:
        heading = re.match(r"### (\S+) pair (\d+): (workbench|reference pattern)", line)
        if heading:
            current = runs.setdefault(heading.group(1), {}).setdefault(int(heading.group(2)), {})
            side = heading.group(3)
        elif side == "workbench" and line.startswith("plain forward:"):
            current["wb_plain"] = float(line.split()[2])
        elif side == "workbench" and line.startswith("ablate + forward + restore:"):
            current["wb"] = float(line.split()[5])
        elif side == "workbench" and line.startswith("ablate + restore alone:"):
            current["wb_restore_pct"] = float(re.search(r"= ([0-9.]+)%", line).group(1))
        elif side == "reference pattern" and line.startswith("{"):
            r = json.loads(line)
            current.update(ref=r["reference_models_per_s"], ref_plain=r["plain_models_per_s"], copy_s=r["copy_and_zero_seconds"],
                           components=r["components"])
    return runs


def main():
    work, logs = sys.argv[1], sys.argv[2:]
    runs = parse([line for log in logs for line in open(log, encoding="utf-8")])
    images = len(np.load(f"{work}/labels.npy"))
    print("| model | components | workbench models/s | reference pattern models/s | ratio (paired) | plain forward: workbench / "
          "reference engine | GFLOP/s workbench / reference | ablate + restore / forward | reference copy + zero | pairs |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name, pairs in runs.items():
        complete = [p for p in pairs.values() if "wb" in p and "ref" in p]
        if not complete:
            continue
        info = json.load(open(f"{work}/{name}.json", encoding="utf-8"))
        flops = info["eval_flops"] * (EXAMPLES[name] / images if EXAMPLES[name] else 1)
        median = lambda key: statistics.median(p[key] for p in complete)  # noqa: E731
        ratios = [p["wb"] / p["ref"] for p in complete]
        print(f"| {name} | {complete[0]['components']:,} | {median('wb'):.3f} | {median('ref'):.3f} | "
              f"**{statistics.median(ratios):.2f}x** ({min(ratios):.2f}-{max(ratios):.2f}) | "
              f"{median('wb_plain'):.3f} / {median('ref_plain'):.3f} | {median('wb') * flops / 1e9:.1f} / {median('ref') * flops / 1e9:.1f} | "
              f"{median('wb_restore_pct'):.2f} % | {median('copy_s') * 1000:.0f} ms | {len(complete)} |")


if __name__ == "__main__":
    main()
