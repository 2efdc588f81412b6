#!/usr/bin/env python3
"""Check that an edited model written by 'coar edit --save' loads in PyTorch and reproduces the edit.

Loads EDITED.pt with torch.jit.load, runs it on INPUTS.npy (float32, one row per example) and
compares its margins (correct-class logit minus the largest other logit, LABELS.npy) with
EXPECTED.npy (float32 margins of the edited model, computed independently of the workbench).
Prints the largest absolute difference; exit 0 when it is within --tolerance, 1 otherwise,
3 when torch is not installed.

Usage: /usr/bin/python3 tools/check_edited_model.py EDITED.pt INPUTS.npy LABELS.npy EXPECTED.npy [--tolerance 1e-4]
"""
import argparse
import sys

import numpy as np

try:
    import torch
except ImportError:
    print("torch not installed")
    sys.exit(3)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("model")
    ap.add_argument("inputs")
    ap.add_argument("labels")
    ap.add_argument("expected")
    ap.add_argument("--tolerance", type=float, default=1e-4)
    args = ap.parse_args()
    model = torch.jit.load(args.model)
    model.eval()
    x = torch.from_numpy(np.load(args.inputs).astype(np.float32))
    y = torch.from_numpy(np.load(args.labels).astype(np.int64))
    with torch.no_grad():
        logits = model(x).double()
    correct = logits.gather(1, y.view(-1, 1)).squeeze(1)
    other = logits.clone()
    other.scatter_(1, y.view(-1, 1), float("-inf"))
    margins = (correct - other.max(1).values).numpy()
    expected = np.load(args.expected).astype(np.float64)
    diff = float(np.abs(margins - expected).max())
    print(f"torch {torch.__version__}: max |margin - expected| = {diff:.3g}")
    sys.exit(0 if diff <= args.tolerance else 1)


if __name__ == "__main__":
    main()
