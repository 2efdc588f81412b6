#!/usr/bin/env python3
"""Train the COAR Workbench demo model (small CNN on Fashion-MNIST) and write its files.

Makes, in src/main/resources/org/coar/workbench/demo/:
  fashion_cnn.pt                  TorchScript (torch.jit.trace, not frozen) of the trained CNN;
                                  input float32 (N,1,28,28) in [0,1], output logits (N,10);
                                  normalisation (mean 0.2860, std 0.3530) happens inside forward.
                                  conv1 1->32, conv2 32->64, conv3 64->64 (all 3x3 stride 2 pad 1, ReLU:
                                  28->14->7->4), flatten 1024, fc1 1024->80 (ReLU), head fc2 80->10;
                                  1,632,160 multiply-adds per image (printed by the script).
  eval-images-idx3-ubyte.gz       first 1,000 images of the official Fashion-MNIST test set (IDX, gzipped)
  eval-labels-idx1-ubyte.gz       their labels (IDX, gzipped)
  LICENSE-fashion-mnist.txt       the dataset's licence notice (MIT/Expat, Zalando SE 2017)
                                  (these three are only rewritten when their bytes would change)
  demo_model_info.json            architecture, parameter names/shapes, accuracies, seed, torch version
  README.md                       short description

Components (one output filter/neuron of a conv/linear weight, head excluded):
conv1 32 + conv2 64 + conv3 64 + fc1 80 = 240.

Run (from the repository root, Debian packages python3-numpy python3-torch dataset-fashion-mnist):
  /usr/bin/python3 tools/train_demo_model.py [--data-dir /usr/share/datasets/fashion-mnist]
Deterministic: torch.manual_seed(0), torch.set_num_threads(2); trains until the 10k test accuracy is >= 88%
(at least 3, at most 8 epochs; about 1 minute on 2 cores).
"""
import argparse
import gzip
import io
import json
import os
import struct
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

SEED = 0
MEAN, STD = 0.2860, 0.3530
OUT_DIR = os.path.join("src", "main", "resources", "org", "coar", "workbench", "demo")
N_EVAL = 1000


def read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    magic = struct.unpack(">I", data[:4])[0]
    ndim = magic & 0xFF
    dims = struct.unpack(">" + "I" * ndim, data[4:4 + 4 * ndim])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def idx_gz_bytes(arr):
    arr = np.ascontiguousarray(arr, dtype=np.uint8)
    magic = 0x00000800 | arr.ndim  # 0x0803 for images, 0x0801 for labels
    header = struct.pack(">I", magic) + struct.pack(">" + "I" * arr.ndim, *arr.shape)
    # mtime=0 so the gzip bytes are reproducible
    buf = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buf, mtime=0) as f:
        f.write(header + arr.tobytes())
    return buf.getvalue()


class FashionCNN(nn.Module):
    # Strided 3x3 convolutions instead of stride-1 convs + max-pool: ~1.63 M multiply-adds per image
    # (the previous conv+max-pool version cost ~5.69 M), same component groups/names/sizes.
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 32, 3, stride=2, padding=1)    # 28x28 -> 14x14
        self.conv2 = nn.Conv2d(32, 64, 3, stride=2, padding=1)   # 14x14 -> 7x7
        self.conv3 = nn.Conv2d(64, 64, 3, stride=2, padding=1)   # 7x7 -> 4x4
        self.fc1 = nn.Linear(64 * 4 * 4, 80)
        self.fc2 = nn.Linear(80, 10)

    def forward(self, x):
        x = (x - MEAN) / STD
        x = F.relu(self.conv1(x))   # 14x14
        x = F.relu(self.conv2(x))   # 7x7
        x = F.relu(self.conv3(x))   # 4x4
        x = torch.flatten(x, 1)     # 1024
        x = F.relu(self.fc1(x))
        return self.fc2(x)


ARCH_TEXT = (
    "input float32 (N,1,28,28) in [0,1] -> (x-0.2860)/0.3530 -> "
    "conv1 Conv2d(1,32,3,stride=2,pad=1)-ReLU (14x14) -> conv2 Conv2d(32,64,3,stride=2,pad=1)-ReLU (7x7) -> "
    "conv3 Conv2d(64,64,3,stride=2,pad=1)-ReLU (4x4) -> flatten(1024) -> fc1 Linear(1024,80)-ReLU -> "
    "fc2 Linear(80,10) (classifier head) -> logits"
)


def macs_per_image(model, in_shape=(1, 28, 28)):
    """Multiply-adds of the conv/linear layers for one image, computed analytically from the layer shapes
    (children in definition order = forward order here; element-wise ops and biases not counted).
    Returns (total, [(name, macs, output shape)])."""
    c, h, w = in_shape
    feat = None  # flattened feature count once we reach the linear layers
    rows = []
    for name, mod in model.named_children():
        if isinstance(mod, nn.Conv2d):
            assert c == mod.in_channels, (name, c)
            kh, kw = mod.kernel_size
            (sh, sw), (ph, pw), (dh, dw) = mod.stride, mod.padding, mod.dilation
            h = (h + 2 * ph - dh * (kh - 1) - 1) // sh + 1
            w = (w + 2 * pw - dw * (kw - 1) - 1) // sw + 1
            c = mod.out_channels
            rows.append((name, c * h * w * (mod.in_channels // mod.groups) * kh * kw, (c, h, w)))
        elif isinstance(mod, nn.Linear):
            if feat is None:
                feat = c * h * w
            assert feat == mod.in_features, (name, feat)
            rows.append((name, mod.in_features * mod.out_features, (mod.out_features,)))
            feat = mod.out_features
    return sum(r[1] for r in rows), rows


def write_if_changed(path, data):
    """Write bytes to path unless the file already holds exactly these bytes. Returns True if written."""
    if os.path.exists(path):
        with open(path, "rb") as f:
            if f.read() == data:
                return False
    with open(path, "wb") as f:
        f.write(data)
    return True


def accuracy(model, x, y, bs=1000):
    model.eval()
    correct = 0
    with torch.no_grad():
        for i in range(0, len(x), bs):
            correct += (model(x[i:i + bs]).argmax(1) == y[i:i + bs]).sum().item()
    return correct / len(x)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data-dir", default="/usr/share/datasets/fashion-mnist")
    ap.add_argument("--out-dir", default=OUT_DIR)
    ap.add_argument("--min-epochs", type=int, default=3)
    ap.add_argument("--max-epochs", type=int, default=8)
    ap.add_argument("--target", type=float, default=0.88)
    args = ap.parse_args()

    torch.set_num_threads(2)
    torch.manual_seed(SEED)
    np.random.seed(SEED)
    torch.use_deterministic_algorithms(True)

    d = args.data_dir
    xtr = torch.from_numpy(read_idx(os.path.join(d, "train-images-idx3-ubyte.gz")).astype(np.float32) / 255.0).unsqueeze(1)
    ytr = torch.from_numpy(read_idx(os.path.join(d, "train-labels-idx1-ubyte.gz")).astype(np.int64))
    test_imgs = read_idx(os.path.join(d, "t10k-images-idx3-ubyte.gz"))
    test_lbls = read_idx(os.path.join(d, "t10k-labels-idx1-ubyte.gz"))
    xte = torch.from_numpy(test_imgs.astype(np.float32) / 255.0).unsqueeze(1)
    yte = torch.from_numpy(test_lbls.astype(np.int64))

    model = FashionCNN()
    macs, mac_rows = macs_per_image(model)
    for name, n, shape in mac_rows:
        print(f"  {name}: out {shape}, {n:,} MACs")
    print(f"multiply-adds per 28x28 image: {macs:,} (conv/linear layers)", flush=True)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    gen = torch.Generator().manual_seed(SEED)
    bs = 128
    t0 = time.time()
    test_acc = 0.0
    epochs_done = 0
    for epoch in range(args.max_epochs):
        model.train()
        perm = torch.randperm(len(xtr), generator=gen)
        for i in range(0, len(xtr), bs):
            idx = perm[i:i + bs]
            loss = F.cross_entropy(model(xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
        epochs_done = epoch + 1
        test_acc = accuracy(model, xte, yte)
        print(f"epoch {epochs_done}: test acc {test_acc:.4f}  ({time.time() - t0:.0f}s)", flush=True)
        if epochs_done >= args.min_epochs and test_acc >= args.target:
            break
    if test_acc < args.target:
        print(f"WARNING: test accuracy {test_acc:.4f} below target {args.target}", file=sys.stderr)

    model.eval()
    eval_acc = accuracy(model, xte[:N_EVAL], yte[:N_EVAL])
    print(f"test acc (10k) {test_acc:.4f}; eval subset acc (first {N_EVAL}) {eval_acc:.4f}")

    os.makedirs(args.out_dir, exist_ok=True)
    example = xte[:4].clone()
    with torch.no_grad():
        traced = torch.jit.trace(model, example)
    pt_path = os.path.join(args.out_dir, "fashion_cnn.pt")
    traced.save(pt_path)

    # check the saved module
    m = torch.jit.load(pt_path)
    names = [(n, list(p.shape)) for n, p in m.named_parameters()]
    print("named_parameters:", names)
    assert [n for n, _ in names] == ["conv1.weight", "conv1.bias", "conv2.weight", "conv2.bias", "conv3.weight",
                                     "conv3.bias", "fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"], names
    assert [s[0] for n, s in names if n.endswith("weight")] == [32, 64, 64, 80, 10], names
    with torch.no_grad():
        diff = (m(xte[:N_EVAL]) - model(xte[:N_EVAL])).abs().max().item()
    print(f"max |traced - eager| on eval subset: {diff:g}")
    with torch.no_grad():
        eval_acc_traced = (m(xte[:N_EVAL]).argmax(1) == yte[:N_EVAL]).float().mean().item()

    # eval subset + licence: only (re)written when their bytes would change
    for fname, arr in (("eval-images-idx3-ubyte.gz", test_imgs[:N_EVAL]), ("eval-labels-idx1-ubyte.gz", test_lbls[:N_EVAL])):
        wrote = write_if_changed(os.path.join(args.out_dir, fname), idx_gz_bytes(arr))
        print(f"{fname}: {'written' if wrote else 'unchanged'}")

    lic_src = "/usr/share/doc/dataset-fashion-mnist/copyright"
    lic_body = (
        "Permission is hereby granted, free of charge, to any person obtaining a\n"
        "copy of this software and associated documentation files (the \"Software\"),\n"
        "to deal in the Software without restriction, including without limitation\n"
        "the rights to use, copy, modify, merge, publish, distribute, sublicense,\n"
        "and/or sell copies of the Software, and to permit persons to whom the\n"
        "Software is furnished to do so, subject to the following conditions:\n\n"
        "The above copyright notice and this permission notice shall be included\n"
        "in all copies or substantial portions of the Software.\n\n"
        "THE SOFTWARE IS PROVIDED \"AS IS\", WITHOUT WARRANTY OF ANY KIND, EXPRESS\n"
        "OR IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF\n"
        "MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT.\n"
        "IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY\n"
        "CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION OF CONTRACT,\n"
        "TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN CONNECTION WITH THE\n"
        "SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.\n"
    )
    if os.path.exists(lic_src):
        # take the Expat text from the Debian copyright file (drop the leading space, " ." -> blank line)
        text = open(lic_src, encoding="utf-8").read()
        block = text.split("License: Expat\n", 2)[-1]
        lines = []
        for ln in block.splitlines():
            if not ln.startswith(" "):
                break
            lines.append("" if ln.strip() == "." else ln[1:].rstrip())
        if lines:
            lic_body = "\n".join(lines) + "\n"
    lic_text = (
        "The evaluation images and labels (eval-images-idx3-ubyte.gz, eval-labels-idx1-ubyte.gz)\n"
        "are the first 1,000 examples of the Fashion-MNIST test set\n"
        "(https://github.com/zalandoresearch/fashion-mnist), and the demo model was trained on\n"
        "the Fashion-MNIST training set. Fashion-MNIST is distributed under the MIT License:\n\n"
        "The MIT License (MIT)\n\n"
        "Copyright (c) 2017 Zalando SE, https://tech.zalando.com\n\n" + lic_body
    )
    wrote = write_if_changed(os.path.join(args.out_dir, "LICENSE-fashion-mnist.txt"), lic_text.encode("utf-8"))
    print(f"LICENSE-fashion-mnist.txt: {'written' if wrote else 'unchanged'}")

    info = {
        "architecture": ARCH_TEXT,
        "input": {"dtype": "float32", "shape": ["N", 1, 28, 28], "range": [0.0, 1.0],
                  "normalisation_inside_model": {"mean": MEAN, "std": STD}},
        "named_parameters": [{"name": n, "shape": s} for n, s in names],
        "multiply_adds_per_image": macs,
        "multiply_adds_per_layer": {name: n for name, n, _ in mac_rows},
        "components": {"groups": [{"name": n, "size": s[0]} for n, s in names if n.endswith("weight") and len(s) >= 2][:-1],
                       "total": sum(s[0] for n, s in names if n.endswith("weight") and len(s) >= 2) - 10,
                       "excluded_head": "fc2.weight"},
        "test_accuracy_10k": round(test_acc, 4),
        "eval_subset_size": N_EVAL,
        "eval_subset_accuracy": round(eval_acc_traced, 4),
        "epochs": epochs_done,
        "optimizer": "Adam lr=1e-3 batch 128",
        "training_seed": SEED,
        "torch_version": torch.__version__,
        "numpy_version": np.__version__,
        "export": "torch.jit.trace on model.eval() (not frozen)",
    }
    with open(os.path.join(args.out_dir, "demo_model_info.json"), "w", encoding="utf-8") as f:
        json.dump(info, f, indent=2)
        f.write("\n")

    with open(os.path.join(args.out_dir, "README.md"), "w", encoding="utf-8") as f:
        f.write(
            "# COAR Workbench demo model\n\n"
            "`fashion_cnn.pt` is a TorchScript (traced, not frozen) CNN for Fashion-MNIST: input float32 (N,1,28,28) in [0,1] "
            "(normalisation inside the model), conv1 1->32, conv2 32->64, conv3 64->64 (3x3, stride 2, pad 1, ReLU; "
            "28x28 -> 14x14 -> 7x7 -> 4x4, no pooling), fc1 1024->80 (ReLU), head fc2 80->10; "
            "240 components (output filters/neurons, head excluded).\n"
            f"Cost: {macs:,} multiply-adds per image (conv/linear layers).\n"
            f"Test accuracy on the 10,000-image test set: {test_acc * 100:.2f}%; on the eval subset: {eval_acc_traced * 100:.1f}%.\n"
            "`eval-images-idx3-ubyte.gz` / `eval-labels-idx1-ubyte.gz` hold the first 1,000 test images/labels (IDX, gzipped); "
            "see `LICENSE-fashion-mnist.txt` (MIT, Zalando SE) and `demo_model_info.json`.\n"
            "Regenerate with `/usr/bin/python3 tools/train_demo_model.py` from the repository root "
            "(Debian packages python3-torch, python3-numpy, dataset-fashion-mnist).\n"
        )
    print("done in", round(time.time() - t0), "s")


if __name__ == "__main__":
    main()
