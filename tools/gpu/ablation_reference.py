#!/usr/bin/env python3
"""The Python side of tools/gpu/verify-gpu.sh, run with the GPU machine's own PyTorch.

  make-resnet DIR --images N   a ResNet-50 (random weights, seed 0) saved as TorchScript, N random
                               224x224 images and labels as .npy, and the store spec for it
  time DIR --rows R --batch-size B [--autocast] [--device cuda:0]
                               rows/s of the reference way of making rows (make_dataset.py: a copy
                               of the model per ablated model, its slices zeroed, every image
                               evaluated) on the same model and images, as one JSON line
  compare A B                  compares two stores' masks and float16 outputs, as one JSON line
"""
import argparse
import copy
import json
import sys
import time
from pathlib import Path

import numpy as np


def make_resnet(args):
    import torch
    import torchvision

    out = Path(args.dir)
    out.mkdir(parents=True, exist_ok=True)
    torch.manual_seed(0)
    model = torchvision.models.resnet50(weights=None).eval()
    traced = torch.jit.trace(model, torch.zeros(1, 3, 224, 224))
    traced.save(str(out / "resnet50.pt"))
    rng = np.random.default_rng(0)
    np.save(out / "inputs.npy", rng.standard_normal((args.images, 3, 224, 224), dtype=np.float32))
    np.save(out / "labels.npy", rng.integers(0, 1000, size=args.images).astype(np.int64))
    # The workbench's default selection: conv and linear weights except the classifier head.
    groups = [p.shape[0] for n, p in model.named_parameters() if n.endswith("weight") and p.dim() >= 2 and not n.startswith("fc.")]
    spec = {"num_models": args.rows, "schema": {"masks": {"dtype": "bool_", "shape": [sum(groups)]},
                                                "margins": {"dtype": "float16", "shape": [args.images]}}}
    (out / "spec.json").write_text(json.dumps(spec))
    print(json.dumps({"components": sum(groups), "groups": len(groups), "images": args.images}))


def margins(logits, labels):
    import torch

    logits = logits.float()
    correct = logits[torch.arange(len(labels), device=logits.device), labels]
    other = logits.clone()
    other[torch.arange(len(labels), device=logits.device), labels] = -float("inf")
    return correct - other.max(dim=1).values


def time_reference(args):
    import torch

    device = torch.device(args.device)
    base = torch.jit.load(str(Path(args.dir) / "resnet50.pt"), map_location=device).eval()
    images = torch.from_numpy(np.load(Path(args.dir) / "inputs.npy")).to(device)
    labels = torch.from_numpy(np.load(Path(args.dir) / "labels.npy")).to(device)
    names = [n for n, p in base.named_parameters() if n.endswith("weight") and p.dim() >= 2 and not n.startswith("fc.")]
    rng = np.random.default_rng(0)

    def row():
        model = copy.deepcopy(base)  # as make_dataset.py: one model copy per ablated model
        params = dict(model.named_parameters())
        with torch.no_grad():
            for n in names:
                w = params[n]
                drop = torch.from_numpy(np.flatnonzero(rng.random(w.shape[0]) < 0.05)).to(device)
                w[drop] = 0
            with torch.autocast(device.type, enabled=args.autocast):
                out = torch.cat([margins(model(images[i:i + args.batch_size]), labels[i:i + args.batch_size])
                                 for i in range(0, len(labels), args.batch_size)])
        return out.cpu()

    row()  # warm-up: cuDNN picks its kernels
    if device.type == "cuda":
        torch.cuda.synchronize()
    start = time.perf_counter()
    for _ in range(args.rows):
        row()
    seconds = time.perf_counter() - start
    print(json.dumps({"reference_rows_per_s": args.rows / seconds, "rows": args.rows, "batch_size": args.batch_size,
                      "autocast": args.autocast, "device": args.device, "torch": torch.__version__,
                      "images_per_s": args.rows * len(labels) / seconds}))


def compare(args):
    a, b = Path(args.a), Path(args.b)
    done = np.load(a / "_completed.npy") & np.load(b / "_completed.npy")
    masks_equal = bool((np.load(a / "masks.npy")[done] == np.load(b / "masks.npy")[done]).all())
    x = np.load(a / "margins.npy")[done].astype(np.float32)
    y = np.load(b / "margins.npy")[done].astype(np.float32)
    # float16 tolerance: a few units in the last place of the stored value, plus float16-level rounding of
    # the products behind it (GPU convolutions run in TF32, whose mantissa is float16's), relative to the
    # row's largest output, since a margin near 0 is a difference of two large logits: 2^-8 is 8 float16
    # rounding steps (2^-11 each); a wrong ablation or restore moves margins by whole units
    ulp = np.spacing(np.abs(y).astype(np.float16)).astype(np.float32)
    diff = np.abs(x - y)
    scale = np.maximum(1.0, np.abs(y).max(axis=1, keepdims=True))
    within = diff <= 4 * ulp + 2.0 ** -8 * scale
    result = {"rows_compared": int(done.sum()), "masks_equal": masks_equal, "max_abs_diff": float(diff.max()),
              "max_rel_diff": float((diff / np.maximum(1.0, np.abs(y))).max()), "fraction_equal": float((x == y).mean()),
              "fraction_within_tolerance": float(within.mean()), "correlation": float(np.corrcoef(x.ravel(), y.ravel())[0, 1])}
    result["ok"] = (masks_equal and result["fraction_within_tolerance"] == 1.0 and result["correlation"] > 0.9999
                    and result["rows_compared"] > 0)
    print(json.dumps(result))
    return 0 if result["ok"] else 1


def main():
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("make-resnet")
    p.add_argument("dir")
    p.add_argument("--images", type=int, default=1000)
    p.add_argument("--rows", type=int, default=20)
    p = sub.add_parser("time")
    p.add_argument("dir")
    p.add_argument("--rows", type=int, default=5)
    p.add_argument("--batch-size", type=int, default=250)
    p.add_argument("--autocast", action="store_true")
    p.add_argument("--device", default="cuda:0")
    p = sub.add_parser("compare")
    p.add_argument("a")
    p.add_argument("b")
    args = parser.parse_args()
    if args.command == "make-resnet":
        make_resnet(args)
    elif args.command == "time":
        time_reference(args)
    else:
        sys.exit(compare(args))


if __name__ == "__main__":
    main()
