#!/usr/bin/env python3
"""Make the ablation reference fixtures for the COAR Workbench Java ablation engine.

Component rule (the Java side implements the same): walk named_parameters() of the loaded TorchScript
module in order; a component group is every parameter whose name ends with "weight" (incl. in_proj_weight)
and has >= 2 dims; the LAST such group (the classifier head) is excluded; components are slices along dim 0;
the flat component index runs group by group in that order. A keep-mask is bool over all components
(True = kept). Ablating sets param[slice] = 0 for every ablated component (biases untouched).
Margin = logit of the correct class minus the largest other logit (float32).

Masks: rng = np.random.default_rng(123) per model; mask0 = all kept; mask1 = rng.random(p) < 0.95;
mask2 = rng.random(p) < 0.8 (drawn in that order).

Writes, in src/test/resources/ablation/:
  demo_masks.npy (bool (3,p)), demo_margins.npy (float32 (3,1000)), demo_components.json
      for src/main/resources/org/coar/workbench/demo/fashion_cnn.pt on the 1,000 eval images
  resmha.pt        traced TorchScript model with residual convs and nn.MultiheadAttention (input (N,1,28,28) in [0,1]),
                   trained 1 epoch on the first 10,000 Fashion-MNIST training images (seed 0)
  resmha_masks.npy, resmha_margins.npy (float32 (3,200)), resmha_components.json   on the first 200 eval images
  frozen_tiny.pt   torch.jit.freeze of a scripted tiny Linear model (must be refused: no parameters)
  not_torchscript.pt  torch.save(state_dict) pickle (must be refused: not TorchScript)

Run from the repository root after tools/train_demo_model.py:
  /usr/bin/python3 tools/make_ablation_fixtures.py [--data-dir /usr/share/datasets/fashion-mnist]
Deterministic: torch.manual_seed(0), torch.set_num_threads(2), fixed numpy generator.
"""
import argparse
import gzip
import json
import os
import struct

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

DEMO_DIR = os.path.join("src", "main", "resources", "org", "coar", "workbench", "demo")
OUT_DIR = os.path.join("src", "test", "resources", "ablation")
MASK_SEED = 123


def read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    ndim = struct.unpack(">I", data[:4])[0] & 0xFF
    dims = struct.unpack(">" + "I" * ndim, data[4:4 + 4 * ndim])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def component_groups(module):
    groups = [(n, p.shape[0]) for n, p in module.named_parameters() if n.endswith("weight") and p.dim() >= 2]
    return groups[:-1]


def ablate(module, mask):
    """Zero every ablated component (mask False) in place, group by group in named_parameters() order."""
    params = dict(module.named_parameters())
    offset = 0
    with torch.no_grad():
        for name, size in component_groups(module):
            keep = mask[offset:offset + size]
            idx = np.nonzero(~keep)[0]
            if len(idx):
                params[name][torch.from_numpy(idx)] = 0
            offset += size
    assert offset == len(mask)


def margins(module, x, y):
    with torch.no_grad():
        logits = module(x).float()
    correct = logits.gather(1, y.view(-1, 1)).squeeze(1)
    other = logits.clone()
    other.scatter_(1, y.view(-1, 1), float("-inf"))
    return (correct - other.max(1).values).numpy().astype(np.float32)


def make_masks(p):
    rng = np.random.default_rng(MASK_SEED)
    m0 = np.ones(p, dtype=bool)
    m1 = rng.random(p) < 0.95
    m2 = rng.random(p) < 0.8
    return np.stack([m0, m1, m2])


def fixture(prefix, pt_path, x, y, eager=None):
    """Write <prefix>_masks.npy, <prefix>_margins.npy, <prefix>_components.json. Returns (p, margins)."""
    base = torch.jit.load(pt_path)
    base.eval()
    groups = component_groups(base)
    p = sum(s for _, s in groups)
    masks = make_masks(p)
    out = np.zeros((len(masks), len(x)), dtype=np.float32)
    for i, mask in enumerate(masks):
        m = torch.jit.load(pt_path)  # fresh copy for every mask
        m.eval()
        ablate(m, mask)
        out[i] = margins(m, x, y)
        if eager is not None:  # cross-check: same ablation on the eager model
            import copy
            e = copy.deepcopy(eager)
            ablate(e, mask)
            d = np.abs(margins(e, x, y) - out[i]).max()
            print(f"  {prefix} mask{i}: kept {mask.sum()}/{p}, max |traced-eager| margin diff {d:.3g}")
            assert d < 1e-3
    np.save(os.path.join(OUT_DIR, f"{prefix}_masks.npy"), masks)
    np.save(os.path.join(OUT_DIR, f"{prefix}_margins.npy"), out)
    with open(os.path.join(OUT_DIR, f"{prefix}_components.json"), "w", encoding="utf-8") as f:
        json.dump([{"name": n, "size": int(s)} for n, s in groups], f, indent=1)
        f.write("\n")
    print(f"{prefix}: {p} components in {len(groups)} groups {groups}")
    print(f"  kept per mask {masks.sum(1).tolist()}; mean margin per mask {out.mean(1).round(4).tolist()}; "
          f"accuracy per mask {(out > 0).mean(1).round(4).tolist()}")
    return p, out


class ResMHA(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Conv2d(1, 16, 3, stride=2, padding=1)     # 14x14
        self.res_a = nn.Conv2d(16, 16, 3, padding=1)
        self.res_b = nn.Conv2d(16, 16, 3, padding=1)
        self.down = nn.Conv2d(16, 32, 3, stride=2, padding=1)    # 7x7
        self.attn = nn.MultiheadAttention(32, 4, batch_first=True)
        self.head = nn.Linear(32, 10)

    def forward(self, x):
        x = (x - 0.2860) / 0.3530
        x = F.relu(self.stem(x))
        x = F.relu(x + self.res_b(F.relu(self.res_a(x))))
        x = F.relu(self.down(x))
        t = x.flatten(2).transpose(1, 2)                          # (N,49,32)
        a, _ = self.attn(t, t, t, need_weights=False)
        t = t + a
        return self.head(t.mean(1))


class Tiny(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(4, 3)

    def forward(self, x):
        return self.fc(x)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data-dir", default="/usr/share/datasets/fashion-mnist")
    args = ap.parse_args()
    torch.set_num_threads(2)
    torch.manual_seed(0)
    os.makedirs(OUT_DIR, exist_ok=True)

    xe = torch.from_numpy(read_idx(os.path.join(DEMO_DIR, "eval-images-idx3-ubyte.gz")).astype(np.float32) / 255.0).unsqueeze(1)
    ye = torch.from_numpy(read_idx(os.path.join(DEMO_DIR, "eval-labels-idx1-ubyte.gz")).astype(np.int64))

    # 1. demo model
    fixture("demo", os.path.join(DEMO_DIR, "fashion_cnn.pt"), xe, ye)

    # 2. residual + multi-head attention model
    torch.manual_seed(0)
    model = ResMHA()
    xtr = torch.from_numpy(read_idx(os.path.join(args.data_dir, "train-images-idx3-ubyte.gz"))[:10000].astype(np.float32) / 255.0).unsqueeze(1)
    ytr = torch.from_numpy(read_idx(os.path.join(args.data_dir, "train-labels-idx1-ubyte.gz"))[:10000].astype(np.int64))
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    gen = torch.Generator().manual_seed(0)
    model.train()
    perm = torch.randperm(len(xtr), generator=gen)
    for i in range(0, len(xtr), 64):
        idx = perm[i:i + 64]
        loss = F.cross_entropy(model(xtr[idx]), ytr[idx])
        opt.zero_grad()
        loss.backward()
        opt.step()
    model.eval()
    with torch.no_grad():
        acc = (model(xe).argmax(1) == ye).float().mean().item()
    print(f"resmha eval-subset (1k) accuracy after 1 epoch on 10k: {acc:.4f}")
    # Trace with grad enabled so nn.MultiheadAttention takes its ordinary (non fast-path) route: the graph
    # then holds only plain aten ops (linear, bmm/baddbmm, softmax, ...) reading in_proj_weight /
    # out_proj.weight as ordinary parameters. check_trace=False because the checker re-runs under no_grad,
    # where torch 1.13 takes the fast path (aten::_native_multi_head_attention) and the graphs differ;
    # the traced module is checked against the eager model below instead.
    traced = torch.jit.trace(model, xe[:4].clone(), check_trace=False)
    resmha_path = os.path.join(OUT_DIR, "resmha.pt")
    traced.save(resmha_path)
    loaded = torch.jit.load(resmha_path)
    print("resmha named_parameters:", [(n, list(p.shape)) for n, p in loaded.named_parameters()])
    with torch.no_grad():
        print(f"resmha max |traced - eager| logits: {(loaded(xe[:200]) - model(xe[:200])).abs().max().item():.3g}")
    fixture("resmha", resmha_path, xe[:200], ye[:200], eager=model)

    # 3. refusal fixtures
    torch.manual_seed(0)
    tiny = Tiny().eval()
    frozen = torch.jit.freeze(torch.jit.script(tiny))
    frozen.save(os.path.join(OUT_DIR, "frozen_tiny.pt"))
    print("frozen_tiny named_parameters:", list(torch.jit.load(os.path.join(OUT_DIR, "frozen_tiny.pt")).named_parameters()))
    torch.save(tiny.state_dict(), os.path.join(OUT_DIR, "not_torchscript.pt"))


if __name__ == "__main__":
    main()
