#!/usr/bin/env python3
"""A reference least-squares fit of COAR attributions with numpy, for tests and checks only.

The workbench's own fitter is `coar fit`; this script exists so the evaluation and editing stages
can be tested against attributions made independently of the Java code. It writes an attributions
directory in the layout of DESIGN.md ("Attributions"):

  weight.npy (p, m) float32   weights on standardised masks z = (x - mask_mean) / mask_std
  bias.npy (m,), lam.npy (m,) zeros, raw_weight.npy (p, m) = weight / mask_std,
  mask_mean.npy, mask_std.npy (p,) over the training rows (population std; components that never
  varied get std 1 and weight 0), report.json with the split, components.json copied from the store.

Split: the first --train completed rows (row order) train; every later completed row is held out
and listed in report.json as split.held_out_rows.

Usage: /usr/bin/python3 tools/fit_least_squares.py STORE OUT [--train N] [--masks masks] [--outputs margins]
"""
import argparse
import json
import os
import shutil

import numpy as np


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("store")
    ap.add_argument("out")
    ap.add_argument("--train", type=int, default=None, help="training rows (default: 90%% of the completed rows)")
    ap.add_argument("--masks", default="masks")
    ap.add_argument("--outputs", default=None)
    args = ap.parse_args()

    completed = np.load(os.path.join(args.store, "_completed.npy"))
    rows = np.nonzero(completed)[0]
    outputs_name = args.outputs
    if outputs_name is None:
        names = [f[:-4] for f in os.listdir(args.store) if f.endswith(".npy") and f not in ("_completed.npy", args.masks + ".npy")]
        assert len(names) == 1, names
        outputs_name = names[0]
    X = np.load(os.path.join(args.store, args.masks + ".npy"), mmap_mode="r")[rows].astype(np.float64)
    Y = np.load(os.path.join(args.store, outputs_name + ".npy"), mmap_mode="r")[rows].astype(np.float64)
    n_train = args.train if args.train is not None else int(round(0.9 * len(rows)))
    Xt, Yt = X[:n_train], Y[:n_train]
    mean = Xt.mean(0)
    std = Xt.std(0)
    varying = std > 0
    std_safe = np.where(varying, std, 1.0)
    Z = (Xt - mean) / std_safe
    Z[:, ~varying] = 0
    y_mean = Yt.mean(0)
    W, *_ = np.linalg.lstsq(Z[:, varying], Yt - y_mean, rcond=None)
    weight = np.zeros((X.shape[1], Y.shape[1]))
    weight[varying] = W
    os.makedirs(args.out, exist_ok=True)
    np.save(os.path.join(args.out, "weight.npy"), np.ascontiguousarray(weight.astype(np.float32)))
    np.save(os.path.join(args.out, "raw_weight.npy"), np.ascontiguousarray((weight / std_safe[:, None]).astype(np.float32)))
    np.save(os.path.join(args.out, "bias.npy"), y_mean.astype(np.float32))
    np.save(os.path.join(args.out, "lam.npy"), np.zeros(Y.shape[1], dtype=np.float32))
    np.save(os.path.join(args.out, "mask_mean.npy"), mean.astype(np.float32))
    np.save(os.path.join(args.out, "mask_std.npy"), std_safe.astype(np.float32))
    held_out = [int(r) for r in rows[n_train:]]
    report = {"solver": "numpy.linalg.lstsq on standardised masks (tools/fit_least_squares.py)",
              "split": {"method": "ordered: the first train_rows completed rows train, the rest are held out",
                        "train_rows": int(n_train), "validation_rows": 0, "final_fit_rows": int(n_train),
                        "held_out_rows": held_out}}
    with open(os.path.join(args.out, "report.json"), "w") as f:
        json.dump(report, f, indent=1)
    if os.path.exists(os.path.join(args.store, "components.json")):
        shutil.copy(os.path.join(args.store, "components.json"), os.path.join(args.out, "components.json"))
    if held_out:
        Zh = (X[n_train:] - mean) / std_safe
        Zh[:, ~varying] = 0
        P = Zh @ weight + y_mean
        A = Y[n_train:]
        r = [np.corrcoef(A[:, j], P[:, j])[0, 1] for j in range(A.shape[1])]
        print(f"fit on {n_train} rows; held-out rows {len(held_out)}: mean per-example correlation {np.nanmean(r):.4f}")
    else:
        print(f"fit on {n_train} rows; no held-out rows")


if __name__ == "__main__":
    main()
