#!/usr/bin/env python3
"""numpy's side of the regression benchmark at the reference's sizes (tools/bench_fit_scale.sh).

  normal  STORE --train N [--val V] [--outputs M] [--dtype float32]
          numpy's normal equations held in memory, the strongest plain-numpy way to fit every output:
          X (rows x p) and Y (rows x M) loaded as --dtype, Z'Z and Z'Y by GEMM, a Cholesky solve for all
          outputs (scipy.linalg.cho_factor / cho_solve, in place: LAPACK's potrf and potrs).
          Fits the training rows and then all rows, as coar fit does. Prints seconds per stage.
  lstsq   STORE --train N [--outputs M]    numpy.linalg.lstsq on [Z, 1] for the training rows.
  compare ATTRIBUTIONS REFERENCE           coar fit's predictions on the fresh masks vs tools/fit_reference.py's:
                                           the largest relative difference per example, and their median.
  certify STORE ATTRIBUTIONS --rows N --examples J,...
          where a float64 numpy solution does not fit in memory (64,512 components: the Gram alone is 33 GB):
          the normal equations' residual of coar fit's weights, ||Z'(y - b - Zw)|| / ||Z'(y - ybar)||, for
          the fit on the first N completed rows, in float64, streaming the rows. With the Gram's condition
          number kappa it bounds the relative error of the weights by kappa times the residual.
Every mode reports which BLAS numpy runs and its core type (threadpoolctl). Run with Debian's python3-numpy.
"""
import argparse
import json
import os
import sys
import time

import numpy as np
from scipy.linalg import cho_factor, cho_solve


def blas():
    try:
        from threadpoolctl import threadpool_info
        return [{k: i.get(k) for k in ("internal_api", "version", "architecture", "num_threads", "filepath")}
                for i in threadpool_info() if i.get("user_api") == "blas"]
    except Exception as e:  # noqa: BLE001
        return [{"error": str(e)}]


def load(store):
    masks = np.load(os.path.join(store, "masks.npy"), mmap_mode="r")
    names = [f for f in os.listdir(store) if f.endswith(".npy") and f not in ("masks.npy", "_completed.npy")]
    outputs = np.load(os.path.join(store, names[0]), mmap_mode="r")
    return masks, outputs


def standardise(x):
    mean = x.mean(0)
    std = x.std(0)
    return mean, np.where(std > 0, std, 1)


def normal(args):
    masks, outputs = load(args.store)
    dt = np.dtype(args.dtype)
    m = args.outputs or outputs.shape[1]
    t = {}
    t0 = time.perf_counter()
    x = np.asarray(masks[:args.train + args.val], dtype=dt)
    y = np.asarray(outputs[:args.train + args.val, :m], dtype=dt)
    t["load"] = time.perf_counter() - t0
    for name, rows in (("train", slice(0, args.train)), ("all", slice(0, args.train + args.val))):
        if name == "all" and args.val == 0:
            continue
        t1 = time.perf_counter()
        xs, ys = x[rows], y[rows]
        mean, std = standardise(xs)
        z = (xs - mean) / std
        yc = ys - ys.mean(0)
        t["%s_standardise" % name] = time.perf_counter() - t1
        t1 = time.perf_counter()
        g = z.T @ z
        t["%s_gram" % name] = time.perf_counter() - t1
        t1 = time.perf_counter()
        c = z.T @ yc
        t["%s_cross" % name] = time.perf_counter() - t1
        t1 = time.perf_counter()
        w = cho_solve(cho_factor(g, overwrite_a=True, check_finite=False), c, overwrite_b=True, check_finite=False)
        t["%s_solve" % name] = time.perf_counter() - t1
        del z, g, c, w
    t["total"] = time.perf_counter() - t0
    print(json.dumps({"mode": "normal", "rows": args.train + args.val, "components": masks.shape[1], "outputs": m,
                      "dtype": args.dtype, "seconds": t, "blas": blas()}))


def lstsq(args):
    masks, outputs = load(args.store)
    m = args.outputs or outputs.shape[1]
    t0 = time.perf_counter()
    x = np.asarray(masks[:args.train], dtype=np.float64)
    y = np.asarray(outputs[:args.train, :m], dtype=np.float64)
    mean, std = standardise(x)
    a = np.hstack([(x - mean) / std, np.ones((len(x), 1))])
    t1 = time.perf_counter()
    np.linalg.lstsq(a, y, rcond=None)
    t2 = time.perf_counter()
    print(json.dumps({"mode": "lstsq", "rows": args.train, "components": masks.shape[1], "outputs": m,
                      "seconds": {"load": t1 - t0, "lstsq": t2 - t1, "total": t2 - t0}, "blas": blas()}))


def predictions(attributions, fresh, examples):
    w = np.load(os.path.join(attributions, "weight.npy"), mmap_mode="r")[:, examples].astype(np.float64)
    b = np.load(os.path.join(attributions, "bias.npy"))[examples].astype(np.float64)
    mean = np.load(os.path.join(attributions, "mask_mean.npy")).astype(np.float64)
    std = np.load(os.path.join(attributions, "mask_std.npy")).astype(np.float64)
    return ((fresh - mean) / std) @ w + b


def compare(args):
    ref = args.reference
    examples = np.load(os.path.join(ref, "examples.npy")).astype(int)
    expected = np.load(os.path.join(ref, "predictions.npy"))
    fresh = np.load(args.fresh).astype(np.float64)
    got = predictions(args.attributions, fresh, examples)
    scale = np.abs(expected).max(0)
    rel = np.abs(got - expected).max(0) / scale
    print(json.dumps({"mode": "compare", "examples": len(examples), "worst_relative": float(rel.max()),
                      "median_relative": float(np.median(rel)), "fresh_masks": len(fresh)}))
    if rel.max() > args.tolerance:
        sys.exit(1)


def certify(args):
    masks, outputs = load(args.store)
    examples = np.array([int(j) for j in args.examples.split(",")])
    n = args.rows
    w = np.load(os.path.join(args.attributions, "weight.npy"), mmap_mode="r")[:, examples].astype(np.float64)
    b = np.load(os.path.join(args.attributions, "bias.npy"))[examples].astype(np.float64)
    mean = np.load(os.path.join(args.attributions, "mask_mean.npy")).astype(np.float64)
    std = np.load(os.path.join(args.attributions, "mask_std.npy")).astype(np.float64)
    p = masks.shape[1]
    ysum = np.zeros(len(examples))
    for i in range(0, n, args.chunk):
        ysum += np.asarray(outputs[i:i + args.chunk][:, examples], dtype=np.float64).sum(0)
    ybar = ysum / n
    grad = np.zeros((p, len(examples)))
    rhs = np.zeros((p, len(examples)))
    t0 = time.perf_counter()
    for i in range(0, n, args.chunk):
        z = (np.asarray(masks[i:i + args.chunk], dtype=np.float64) - mean) / std
        y = np.asarray(outputs[i:i + args.chunk][:, examples], dtype=np.float64)
        r = y - b - z @ w
        grad += z.T @ r
        rhs += z.T @ (y - ybar)
    residual = np.linalg.norm(grad, axis=0) / np.linalg.norm(rhs, axis=0)
    print(json.dumps({"mode": "certify", "rows": n, "examples": len(examples), "worst_normal_residual": float(residual.max()),
                      "median_normal_residual": float(np.median(residual)), "seconds": time.perf_counter() - t0,
                      "blas": blas()}))


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="mode", required=True)
    a = sub.add_parser("normal")
    a.add_argument("store")
    a.add_argument("--train", type=int, required=True)
    a.add_argument("--val", type=int, default=0)
    a.add_argument("--outputs", type=int, default=None)
    a.add_argument("--dtype", default="float32")
    a = sub.add_parser("lstsq")
    a.add_argument("store")
    a.add_argument("--train", type=int, required=True)
    a.add_argument("--outputs", type=int, default=None)
    a = sub.add_parser("compare")
    a.add_argument("attributions")
    a.add_argument("reference")
    a.add_argument("--fresh", required=True)
    a.add_argument("--tolerance", type=float, default=1e-3)
    a = sub.add_parser("certify")
    a.add_argument("store")
    a.add_argument("attributions")
    a.add_argument("--rows", type=int, required=True)
    a.add_argument("--examples", required=True)
    a.add_argument("--chunk", type=int, default=1024)
    args = ap.parse_args()
    {"normal": normal, "lstsq": lstsq, "compare": compare, "certify": certify}[args.mode](args)


if __name__ == "__main__":
    main()
