#!/usr/bin/env python3
"""Synthetic stores in the reference layout for the regression benchmark (docs/BENCHMARKS.md, "Regression at scale").

  make_fit_store.py STORE --rows N --components P --outputs M [--keep 0.95] [--seed 1] [--dtype float16]

writes STORE/masks.npy (bool, True = kept with probability --keep), STORE/margins.npy (M outputs per
row, float16 by default, as the reference stores margins), STORE/_completed.npy (all True) and
STORE/spec.json, with numpy.lib.format.open_memmap as the reference does. Outputs follow planted
weights: y = offset + x @ W + noise, W = U @ V (rank 8) plus 12 strong components per output, noise
std 1, scaled so that the share of variance the masks explain is about that of a real model's
margins (R^2 around 0.7 at keep 0.95). Rows are made 1,024 at a time, so any size fits in memory;
the masks cost p/8 bytes per row in the generator's randomness, the outputs one small GEMM.
Deterministic for a seed. Run with Debian's python3-numpy.
"""
import argparse
import json
import os

import numpy as np
from numpy.lib.format import open_memmap


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("store")
    ap.add_argument("--rows", type=int, required=True)
    ap.add_argument("--components", type=int, required=True)
    ap.add_argument("--outputs", type=int, required=True)
    ap.add_argument("--keep", type=float, default=0.95)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--dtype", default="float16")
    ap.add_argument("--chunk", type=int, default=1024)
    args = ap.parse_args()
    n, p, m = args.rows, args.components, args.outputs
    rng = np.random.default_rng(args.seed)
    rank, strong = 8, 12
    alpha = 1 - args.keep
    # Each output's signal variance from the planted weights is ~ alpha(1-alpha) * (sum of squared weights);
    # scale so that it is ~2.5x the unit noise.
    u = rng.standard_normal((p, rank)).astype(np.float32)
    v = rng.standard_normal((rank, m)).astype(np.float32)
    low_rank_scale = np.sqrt(1.25 / (alpha * (1 - alpha) * p * rank))
    v *= low_rank_scale
    strong_idx = rng.integers(0, p, size=(m, strong))
    strong_w = (rng.standard_normal((m, strong)) * np.sqrt(1.25 / (alpha * (1 - alpha) * strong))).astype(np.float32)
    offset = (5 + rng.standard_normal(m)).astype(np.float32)

    os.makedirs(args.store, exist_ok=True)
    masks = open_memmap(os.path.join(args.store, "masks.npy"), mode="w+", dtype=np.bool_, shape=(n, p))
    margins = open_memmap(os.path.join(args.store, "margins.npy"), mode="w+", dtype=np.dtype(args.dtype), shape=(n, m))
    completed = open_memmap(os.path.join(args.store, "_completed.npy"), mode="w+", dtype=np.bool_, shape=(n,))
    for first in range(0, n, args.chunk):
        rows = min(args.chunk, n - first)
        x = rng.random((rows, p), dtype=np.float32) < args.keep
        xf = x.astype(np.float32)
        y = offset + (xf @ u) @ v
        # The strong components: gather each output's 12 columns of x (4,096 outputs at a time: bounded memory).
        for j0 in range(0, m, 4096):
            j1 = min(m, j0 + 4096)
            y[:, j0:j1] += (xf[:, strong_idx[j0:j1]] * strong_w[j0:j1]).sum(axis=2)
        y += rng.standard_normal((rows, m), dtype=np.float32)
        masks[first:first + rows] = x
        margins[first:first + rows] = y.astype(args.dtype)
        completed[first:first + rows] = True
    for a in (masks, margins, completed):
        a.flush()
    with open(os.path.join(args.store, "spec.json"), "w") as f:
        json.dump({"num_models": n, "schema": {"masks": {"dtype": "bool_", "shape": [p]},
                                               "margins": {"dtype": args.dtype, "shape": [m]}}}, f)
    print(f"{args.store}: {n} rows x {p} components x {m} outputs, keep {args.keep}")


if __name__ == "__main__":
    main()
