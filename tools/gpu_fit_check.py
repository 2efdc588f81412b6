#!/usr/bin/env python3
"""Python side of tools/gpu_fit_check.sh: makes the synthetic store, computes the reference fit,
compares the workbench's attributions with it, and measures the device's SGEMM peak.

  gpu_fit_check.py store DIR ROWS COMPONENTS EXAMPLES     synthetic store, reference layout (numpy)
  gpu_fit_check.py compare STORE ATTRIBUTIONS             reference least squares, predictions compared
  gpu_fit_check.py peak                                   torch SGEMM/DGEMM peak on the GPU (if torch sees one)

The reference is exact least squares on all completed rows in float64 (torch on the GPU when there
is one, else numpy), in the standardised space DESIGN.md defines; it shares no code with the fit.
Prints one JSON object per command on the last line.
"""
import json
import os
import sys
import time

import numpy as np

SEED = 1234
KEEP = 0.9
WEIGHT_STD = 0.12
CHUNK = 4096


def make_store(directory, rows, components, examples):
    os.makedirs(directory, exist_ok=True)
    t = time.time()
    rng = np.random.default_rng(SEED)
    weights = (WEIGHT_STD * rng.standard_normal((components, examples))).astype(np.float32)
    offset = (5 + rng.standard_normal(examples)).astype(np.float32)
    fmt = np.lib.format
    masks = fmt.open_memmap(os.path.join(directory, "masks.npy"), mode="w+", dtype=np.bool_, shape=(rows, components))
    margins = fmt.open_memmap(os.path.join(directory, "margins.npy"), mode="w+", dtype=np.float16, shape=(rows, examples))
    completed = fmt.open_memmap(os.path.join(directory, "_completed.npy"), mode="w+", dtype=np.bool_, shape=(rows,))
    for first in range(0, rows, CHUNK):
        n = min(CHUNK, rows - first)
        x = rng.random((n, components), dtype=np.float32) < KEEP
        y = x.astype(np.float32) @ weights + offset + rng.standard_normal((n, examples), dtype=np.float32)
        masks[first:first + n] = x
        margins[first:first + n] = y.astype(np.float16)
    completed[:] = True
    for a in (masks, margins, completed):
        a.flush()
    return {"store": directory, "rows": rows, "components": components, "examples": examples,
            "seconds": round(time.time() - t, 1), "bytes": sum(os.path.getsize(os.path.join(directory, f)) for f in os.listdir(directory))}


def backend():
    """torch float64 on the GPU when one is there (fast), else numpy float64."""
    try:
        import torch
        if torch.cuda.is_available():
            return torch, "cuda"
    except ImportError:
        pass
    return None, "numpy"


def reference(store):
    """Mask mean/std and standardised least-squares weights and bias over all completed rows, float64."""
    x_all = np.load(os.path.join(store, "masks.npy"), mmap_mode="r")
    y_all = np.load(os.path.join(store, "margins.npy"), mmap_mode="r")
    done = np.load(os.path.join(store, "_completed.npy"))
    rows = np.flatnonzero(done)
    n, p, m = len(rows), x_all.shape[1], y_all.shape[1]
    torch, where = backend()
    shift = y_all[rows[:256]].astype(np.float64).mean(axis=0)
    if torch is not None:
        dev = torch.device("cuda")
        gram = torch.zeros((p, p), dtype=torch.float64, device=dev)
        cross = torch.zeros((p, m), dtype=torch.float64, device=dev)
        xsum = torch.zeros(p, dtype=torch.float64, device=dev)
        ysum = torch.zeros(m, dtype=torch.float64, device=dev)
        tshift = torch.from_numpy(shift).to(dev)
        for first in range(0, n, CHUNK):
            r = rows[first:first + CHUNK]
            x = torch.from_numpy(np.ascontiguousarray(x_all[r])).to(dev).double()
            y = torch.from_numpy(np.ascontiguousarray(y_all[r])).to(dev).double() - tshift
            gram += x.T @ x
            cross += x.T @ y
            xsum += x.sum(0)
            ysum += y.sum(0)
        gram, cross, xsum, ysum = (t.cpu().numpy() for t in (gram, cross, xsum, ysum))
    else:
        gram = np.zeros((p, p))
        cross = np.zeros((p, m))
        xsum = np.zeros(p)
        ysum = np.zeros(m)
        for first in range(0, n, CHUNK):
            r = rows[first:first + CHUNK]
            x = x_all[r].astype(np.float64)
            y = y_all[r].astype(np.float64) - shift
            gram += x.T @ x
            cross += x.T @ y
            xsum += x.sum(0)
            ysum += y.sum(0)
    mean = xsum / n
    std = np.sqrt(np.maximum(np.diag(gram) / n - mean * mean, 0))
    active = np.flatnonzero(std > 0)
    ybar = ysum / n
    g = (gram[np.ix_(active, active)] / n - np.outer(mean[active], mean[active])) / np.outer(std[active], std[active])
    c = (cross[active] / n - np.outer(mean[active], ybar)) / std[active][:, None]
    w = np.linalg.solve(g, c)
    return {"mean": mean, "std": std, "active": active, "weight": w, "bias": ybar + shift, "reference": where, "rows": n}


def compare(store, attributions):
    t = time.time()
    ref = reference(store)
    seconds = time.time() - t
    w = np.load(os.path.join(attributions, "weight.npy")).astype(np.float64)
    bias = np.load(os.path.join(attributions, "bias.npy")).astype(np.float64)
    mean = np.load(os.path.join(attributions, "mask_mean.npy"))
    std = np.load(os.path.join(attributions, "mask_std.npy"))
    rng = np.random.default_rng(SEED + 1)
    probes = (rng.random((1000, w.shape[0])) < KEEP).astype(np.float64)  # fresh ablations, as COAR's evaluation does
    active = ref["active"]
    predicted = ((probes - mean) / std) @ w + bias  # DESIGN.md's formula, on the workbench's files
    expected = ((probes[:, active] - ref["mean"][active]) / ref["std"][active]) @ ref["weight"] + ref["bias"]
    centred = expected - expected.mean(axis=0)
    per_example = np.linalg.norm(predicted - expected, axis=0) / np.maximum(np.linalg.norm(centred, axis=0), 1e-300)
    weight_error = np.linalg.norm(w[active] - ref["weight"]) / np.linalg.norm(ref["weight"])
    worst = float(per_example.max())
    return {"reference": ref["reference"], "reference_seconds": round(seconds, 1), "rows": ref["rows"],
            "prediction_relative_error_max": worst, "prediction_relative_error_median": float(np.median(per_example)),
            "weight_relative_error": float(weight_error), "mean_max_abs_difference": float(np.abs(mean - ref["mean"]).max()),
            "tolerance": 1e-4, "passed": bool(worst <= 1e-4)}


def peak():
    torch, where = backend()
    if torch is None:
        return {"peak": "no GPU visible to torch"}
    torch.backends.cuda.matmul.allow_tf32 = False  # plain FP32 SGEMM, what the fit calls
    out = {"device": torch.cuda.get_device_name(0), "torch": torch.__version__, "cuda": torch.version.cuda}
    for name, dtype, n in (("sgemm", torch.float32, 8192), ("dgemm", torch.float64, 8192)):
        a = torch.randn((n, n), dtype=dtype, device="cuda")
        b = torch.randn((n, n), dtype=dtype, device="cuda")
        best = 0.0
        for _ in range(5):
            torch.cuda.synchronize()
            t = time.time()
            for _ in range(10):
                a @ b
            torch.cuda.synchronize()
            best = max(best, 10 * 2.0 * n ** 3 / (time.time() - t) / 1e12)
        out[name + "_tflops"] = round(best, 2)
    return out


def main(argv):
    if argv[:1] == ["store"] and len(argv) == 5:
        result = make_store(argv[1], int(argv[2]), int(argv[3]), int(argv[4]))
    elif argv[:1] == ["compare"] and len(argv) == 3:
        result = compare(argv[1], argv[2])
    elif argv[:1] == ["peak"]:
        result = peak()
    else:
        print(__doc__, file=sys.stderr)
        return 2
    print(json.dumps(result))
    return 0 if result.get("passed", True) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
