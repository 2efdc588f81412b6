#!/usr/bin/env python3
"""Train a second, unseen model for the user guide's worked example (guide section 10).

A small residual network with BatchNorm on Fashion-MNIST: a different architecture from the demo
CNN (residual additions, BatchNorm after every conv, a 1x1 projection shortcut, global average
pooling, a hidden linear layer), and trained on *normalised* inputs, so that the workbench must be
told the preprocessing (--mean 0.2860 --std 0.3530) instead of the model doing it.

  input float32 (N,1,28,28), (x/255 - 0.2860) / 0.3530
  stem        Conv2d(1,16,3,s2,p1)  BN ReLU                 -> 16x14x14
  block1      [Conv2d(16,16,3,p1) BN ReLU Conv2d(16,16,3,p1) BN] + identity, ReLU
  block2      [Conv2d(16,32,3,s2,p1) BN ReLU Conv2d(32,32,3,p1) BN] + [Conv2d(16,32,1,s2) BN], ReLU -> 32x7x7
  block3      [Conv2d(32,32,3,p1) BN ReLU Conv2d(32,32,3,p1) BN] + identity, ReLU
  pool        global average -> 32
  fc1         Linear(32,96) ReLU
  head        Linear(96,10) (classifier head: not a component by default)

Components by the workbench's default rule (weights with >= 2 dims, head excluded; BatchNorm
weights are 1-D and are not components): stem 16 + block1 16+16 + block2 32+32+32 (shortcut)
+ block3 32+32 + fc1 96 = 304.

Writes OUT_DIR/resnet_fmnist.pt (TorchScript from torch.jit.trace in eval mode, NOT frozen) and
OUT_DIR/resnet_fmnist.json (parameter names and shapes, accuracies, timings).

Run:  /usr/bin/python3 tools/train_second_model.py [--out-dir /tmp/coar-second] [--epochs 2]
Deterministic (seed 0, 2 threads); about 2 minutes on 2 cores.
"""
import argparse
import gzip
import json
import os
import struct
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

MEAN, STD = 0.2860, 0.3530


def read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    ndim = struct.unpack(">I", data[:4])[0] & 0xFF
    dims = struct.unpack(">" + "I" * ndim, data[4:4 + 4 * ndim])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


class Block(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride=stride, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.shortcut = None
        if stride != 1 or cin != cout:
            self.shortcut = nn.Sequential(nn.Conv2d(cin, cout, 1, stride=stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        skip = x if self.shortcut is None else self.shortcut(x)
        return F.relu(out + skip)


class SmallResNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(1, 16, 3, stride=2, padding=1, bias=False), nn.BatchNorm2d(16), nn.ReLU())
        self.block1 = Block(16, 16, 1)
        self.block2 = Block(16, 32, 2)
        self.block3 = Block(32, 32, 1)
        self.fc1 = nn.Linear(32, 96)
        self.head = nn.Linear(96, 10)

    def forward(self, x):
        x = self.block3(self.block2(self.block1(self.stem(x))))
        x = torch.flatten(F.adaptive_avg_pool2d(x, 1), 1)
        return self.head(F.relu(self.fc1(x)))


def accuracy(model, x, y, bs=1000):
    model.eval()
    with torch.no_grad():
        return sum((model(x[i:i + bs]).argmax(1) == y[i:i + bs]).sum().item() for i in range(0, len(x), bs)) / len(x)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data-dir", default="/usr/share/datasets/fashion-mnist")
    ap.add_argument("--out-dir", default="/tmp/coar-second")
    ap.add_argument("--epochs", type=int, default=2)
    args = ap.parse_args()

    torch.set_num_threads(2)
    torch.manual_seed(0)
    d = args.data_dir

    def load(images, labels):
        x = (read_idx(os.path.join(d, images)).astype(np.float32) / 255.0 - MEAN) / STD
        return torch.from_numpy(x).unsqueeze(1), torch.from_numpy(read_idx(os.path.join(d, labels)).astype(np.int64))

    xtr, ytr = load("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz")
    xte, yte = load("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz")

    model = SmallResNet()
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    steps = args.epochs * ((len(xtr) + 127) // 128)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=3e-3, total_steps=steps)
    gen = torch.Generator().manual_seed(0)
    t0 = time.time()
    for epoch in range(args.epochs):
        model.train()
        perm = torch.randperm(len(xtr), generator=gen)
        for i in range(0, len(xtr), 128):
            idx = perm[i:i + 128]
            loss = F.cross_entropy(model(xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
        print(f"epoch {epoch + 1}: test acc {accuracy(model, xte, yte):.4f} ({time.time() - t0:.0f}s)", flush=True)

    model.eval()
    test_acc = accuracy(model, xte, yte)
    first_1000 = accuracy(model, xte[:1000], yte[:1000])
    os.makedirs(args.out_dir, exist_ok=True)
    with torch.no_grad():
        traced = torch.jit.trace(model, xte[:4])   # eval mode: BatchNorm uses its running statistics
    path = os.path.join(args.out_dir, "resnet_fmnist.pt")
    traced.save(path)
    # the saved file must reproduce the model (and still have parameters: not frozen)
    reloaded = torch.jit.load(path)
    with torch.no_grad():
        assert torch.allclose(reloaded(xte[:100]), model(xte[:100]), atol=1e-5)
    params = [(n, list(p.shape)) for n, p in reloaded.named_parameters()]
    components = {n: s[0] for n, s in params if n.endswith("weight") and len(s) >= 2}
    components.pop(params[-2][0] if params[-1][0].endswith("bias") else params[-1][0], None)  # the head
    info = {"architecture": "SmallResNet (see tools/train_second_model.py)", "torch": torch.__version__,
            "epochs": args.epochs, "train_seconds": round(time.time() - t0, 1), "test_accuracy": test_acc,
            "first_1000_accuracy": first_1000, "normalisation": {"mean": MEAN, "std": STD},
            "parameters": params, "components": components, "num_components": sum(components.values())}
    with open(os.path.join(args.out_dir, "resnet_fmnist.json"), "w") as f:
        json.dump(info, f, indent=1)
    print(f"wrote {path}: test acc {test_acc:.4f}, first 1000 {first_1000:.4f}, "
          f"{info['num_components']} components, {info['train_seconds']} s")


if __name__ == "__main__":
    main()
