#!/usr/bin/env python3
"""An independent float64 least-squares fit in numpy, to check 'coar fit' against (tests, benchmark).

Fits what 'coar fit --solver ols' fits, written from the method alone (DESIGN.md, "Attributions"):
the ordered split of the completed rows (the first NUM_TRAIN train, the next NUM_VAL validate),
masks standardised z = (x - mean) / std with the population std over the fit's rows, components of
zero variance left out (weight 0), an intercept (the rows' mean output), and for every example the
least-squares weights: the normal equations (Z'Z) w = Z'(y - mean) when rows > components, the
minimum-norm solution w = Z'(ZZ')^+ (y - mean) otherwise (numpy's eigh of the rows' kernel, its
numerically zero eigenvalues dropped, as a pseudo-inverse does).

  fit_reference.py STORE OUT_DIR --num-train N --num-val V [--examples J,J,...] [--masks FRESH.npy]
                   [--outputs NAME] [--chunk ROWS]

writes into OUT_DIR one .npy file per array (float64), for the examples asked (default all):
  examples                   the example indices
  final_weight (p, k)        the fit on all train + validation rows, standardised space (0 for constant components)
  final_bias (k,)            its intercept
  mask_mean, mask_std (p,)   over those rows (std 1 for constant components, as the workbench writes them)
  val_mse (k,)               the fit on the training rows alone, scored on the validation rows (NaN without them)
  predictions (f, k)         the final fit's predictions for the keep-masks in FRESH.npy (f, p), when given

The normal equations are accumulated over CHUNK rows at a time in float64, so wide stores need p^2 * 8
bytes (22,720 components: 4.1 GB), never the whole store in memory; with fewer rows than components
the rows are held in float64 (n * p * 8 bytes; the ViT config's 5,000 x 82,944: 3.3 GB) and the
kernel n^2 * 8. Run with Debian's python3-numpy.
"""
import argparse
import os

import numpy as np


def read_rows(masks, outputs, rows, columns):
    x = np.asarray(masks[rows], dtype=np.float64)
    y = np.asarray(outputs[rows][:, columns], dtype=np.float64)
    return x, y


def fit(masks, outputs, rows, columns, chunk):
    """(weights in standardised space (p, k), bias (k,), mean (p,), std (p,)) for the given rows."""
    n = len(rows)
    p = masks.shape[1]
    k = len(columns)
    s = np.zeros(p)
    sq = np.zeros(p)
    sy = np.zeros(k)
    for i in range(0, n, chunk):
        x, y = read_rows(masks, outputs, rows[i:i + chunk], columns)
        s += x.sum(0)
        sq += (x * x).sum(0)
        sy += y.sum(0)
    mean = s / n
    ybar = sy / n
    std = np.sqrt(np.maximum(sq / n - mean * mean, 0))
    active = std > 1e-12
    a = np.nonzero(active)[0]
    d = std[a]
    w = np.zeros((p, k))
    if n - 1 >= len(a):
        xtx = np.zeros((len(a), len(a)))
        xty = np.zeros((len(a), k))
        for i in range(0, n, chunk):
            x, y = read_rows(masks, outputs, rows[i:i + chunk], columns)
            z = (x[:, a] - mean[a]) / d
            xtx += z.T @ z                      # Z'Z
            xty += z.T @ (y - ybar)             # Z'(y - ybar)
        w[a] = np.linalg.solve(xtx, xty)
    else:
        # Minimum norm with fewer rows than unknowns: w = Z' (Z Z')^+ (y - ybar), the n x n kernel built and
        # applied over column chunks of Z, so no p x p matrix (82,944^2 float64 would be 51 GiB) is formed.
        x, y = read_rows(masks, outputs, rows, columns)
        kernel = np.zeros((n, n))
        width = max(1, (1 << 27) // (8 * n))
        for j in range(0, len(a), width):
            cols = a[j:j + width]
            z = (x[:, cols] - mean[cols]) / std[cols]
            kernel += z @ z.T
        values, vectors = np.linalg.eigh(kernel)
        keep = values > values.max() * n * np.finfo(np.float64).eps
        dual = vectors[:, keep] @ ((vectors[:, keep].T @ (y - ybar)) / values[keep][:, None])
        for j in range(0, len(a), width):
            cols = a[j:j + width]
            z = (x[:, cols] - mean[cols]) / std[cols]
            w[cols] = z.T @ dual
    std_written = np.where(active, std, 1.0)
    return w, ybar, mean, std_written


def predict(w, bias, mean, std, x):
    return ((x - mean) / std) @ w + bias


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("store")
    ap.add_argument("out")
    ap.add_argument("--num-train", type=int, required=True)
    ap.add_argument("--num-val", type=int, default=0)
    ap.add_argument("--examples", default=None, help="comma-separated example indices (default: all)")
    ap.add_argument("--masks", default=None, help="fresh keep-masks (f, p) to predict")
    ap.add_argument("--outputs", default=None, help="output array name (default: the only one besides masks)")
    ap.add_argument("--chunk", type=int, default=2048)
    args = ap.parse_args()

    names = [f[:-4] for f in os.listdir(args.store) if f.endswith(".npy") and f not in ("masks.npy", "_completed.npy")]
    name = args.outputs or (names[0] if len(names) == 1 else None)
    assert name, "several output arrays: give --outputs"
    masks = np.load(os.path.join(args.store, "masks.npy"), mmap_mode="r")
    outputs = np.load(os.path.join(args.store, name + ".npy"), mmap_mode="r")
    completed = np.nonzero(np.load(os.path.join(args.store, "_completed.npy")))[0]
    train = completed[:args.num_train]
    val = completed[args.num_train:args.num_train + args.num_val]
    columns = np.arange(outputs.shape[1]) if args.examples is None else np.array([int(j) for j in args.examples.split(",")])

    w, b, mean, std = fit(masks, outputs, np.concatenate([train, val]), columns, args.chunk)
    result = {"examples": columns, "final_weight": w, "final_bias": b, "mask_mean": mean, "mask_std": std}
    if len(val):
        wt, bt, mt, st = fit(masks, outputs, train, columns, args.chunk)
        xv, yv = read_rows(masks, outputs, val, columns)
        result["val_mse"] = ((yv - predict(wt, bt, mt, st, xv)) ** 2).mean(0)
    else:
        result["val_mse"] = np.full(len(columns), np.nan)
    if args.masks:
        fresh = np.load(args.masks).astype(np.float64)
        result["predictions"] = predict(w, b, mean, std, fresh)
    os.makedirs(args.out, exist_ok=True)
    for key, value in result.items():
        np.save(os.path.join(args.out, key + ".npy"), np.asarray(value, dtype=np.float64))


if __name__ == "__main__":
    main()
