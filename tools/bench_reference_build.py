#!/usr/bin/env python3
"""Times the reference way of building COAR rows, as a baseline for `coar bench`.

The reference make_dataset.py deep-copies the model for every ablated model, zeroes the
ablated weight slices, and evaluates it on the evaluation set. This script does exactly that
for the bundled demo (1,000 Fashion-MNIST images, 240 components, alpha 0.05) and prints
models/s, plus a plain forward pass for comparison, as one JSON line.

Run: /usr/bin/python3 tools/bench_reference_build.py [--models 40] [--threads 2] [--batch-size 1000]
Needs Debian's python3-torch and python3-numpy.
"""
import argparse
import copy
import gzip
import json
import time
from pathlib import Path

import numpy as np
import torch

DEMO = Path(__file__).resolve().parent.parent / "src/main/resources/org/coar/workbench/demo"


def read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    ndim = data[3]
    dims = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def margins(logits, labels):
    correct = logits[torch.arange(len(labels)), labels]
    other = logits.clone()
    other[torch.arange(len(labels)), labels] = -float("inf")
    return correct - other.max(dim=1).values


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--models", type=int, default=40)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--batch-size", type=int, default=1000)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)

    model = torch.jit.load(str(DEMO / "fashion_cnn.pt")).eval()
    images = torch.from_numpy(read_idx(DEMO / "eval-images-idx3-ubyte.gz").astype(np.float32) / 255.0).unsqueeze(1)
    labels = torch.from_numpy(read_idx(DEMO / "eval-labels-idx1-ubyte.gz").astype(np.int64))
    groups = [(n, p.shape[0]) for n, p in model.named_parameters() if n.endswith("weight") and p.dim() >= 2][:-1]
    total = sum(size for _, size in groups)
    rng = np.random.default_rng(0)

    def evaluate(m):
        with torch.no_grad():
            return torch.cat([margins(m(images[i:i + args.batch_size]), labels[i:i + args.batch_size])
                              for i in range(0, len(labels), args.batch_size)])

    evaluate(model)  # warm-up
    start = time.perf_counter()
    for _ in range(args.models):
        evaluate(model)
    plain = (time.perf_counter() - start) / args.models

    start = time.perf_counter()
    for _ in range(args.models):
        keep = rng.random(total) >= 0.05
        ablated = copy.deepcopy(model)
        params = dict(ablated.named_parameters())
        offset = 0
        with torch.no_grad():
            for name, size in groups:
                idx = np.flatnonzero(~keep[offset:offset + size])
                params[name][torch.from_numpy(idx)] = 0
                offset += size
        evaluate(ablated)
    reference = (time.perf_counter() - start) / args.models

    print(json.dumps({"approach": "pytorch deepcopy+zero+eval (reference)", "torch": torch.__version__,
                      "threads": args.threads, "models": args.models, "examples": int(len(labels)),
                      "plain_forward_s": plain, "reference_s_per_model": reference,
                      "reference_models_per_s": 1 / reference, "plain_models_per_s": 1 / plain}))


if __name__ == "__main__":
    main()
