#!/usr/bin/env python3
"""The reference setups' real architectures as TorchScript files, with a small evaluation set each,
for the opt-in check (tools/check_reference_architectures.sh) and the speed benchmark
(tools/bench_reference_models.sh). Random weights (seed 0): the checks compare margins and counts,
which need the architectures, not trained weights. Nothing here goes into the repository: the
files are large (ResNet-50 about 100 MB, ViT-B/16 about 330 MB, GPT-2 small about 500 MB).

Writes into --out DIR, for NAME in resnet50, vit_b_16, gpt2_small:
  NAME.pt            resnet50 / vit_b_16: torchvision (Debian's python3-torchvision) weights=None (ViT's head,
                     which torchvision starts at zero, drawn with std 0.02 so that margins are not all 0), traced
                     on (1, 3, 224, 224); gpt2_small: tools/gpt2_model.py at GPT-2 small's shape, scripted
  NAME.json          preset, parameters, forward FLOPs of the evaluation set (2 x multiply-adds of every conv,
                     linear / Conv1D and attention matmul), the evaluation set's description
  images.npy, labels.npy   --images float32 (N, 3, 224, 224) in ImageNet normalisation (smooth random images:
                     the check needs inputs, not photographs) and int64 labels (N,) in 0..999
  tokens.npy, lengths.npy  --sequences int64 (N, --tokens) GPT-2 token ids (uniform random), right-padded with
                     50256, and their lengths (the first full, the others shorter)
Run: /usr/bin/python3 tools/make_reference_models.py --out /tmp/coar-reference [--images 4] [--sequences 2] [--tokens 64]
"""
import argparse
import json
import os
import sys

import numpy as np
import torch
import torch.nn as nn
import torchvision

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gpt2_model  # noqa: E402


def count_flops(model, inputs):
    """2 x multiply-adds of Conv2d, Linear, HF Conv1D and attention matmuls in one forward pass."""
    total = [0]

    def conv(m, i, o):
        total[0] += o.numel() * (m.in_channels // m.groups) * m.kernel_size[0] * m.kernel_size[1]

    def linear(m, i, o):
        total[0] += o.numel() * m.in_features

    def conv1d(m, i, o):
        total[0] += o.numel() * m.weight.shape[0]

    def mha(m, i, o):  # q.k^T, attention.v, and in_proj / out_proj, which it applies with F.linear, not as modules
        out = o[0]  # the attention output has the query's shape (torchvision passes the inputs as keywords)
        n, t, d = (out.shape[0], out.shape[1], out.shape[2]) if m.batch_first else (out.shape[1], out.shape[0], out.shape[2])
        total[0] += 2 * n * t * t * d + 4 * n * t * d * d

    def gpt_attention(m, i, o):
        n, t, d = i[0].shape
        total[0] += 2 * n * t * t * d

    hooks = []
    for module in model.modules():
        if isinstance(module, nn.Conv2d):
            hooks.append(module.register_forward_hook(conv))
        elif isinstance(module, nn.Linear):
            hooks.append(module.register_forward_hook(linear))
        elif isinstance(module, gpt2_model.Conv1D):
            hooks.append(module.register_forward_hook(conv1d))
        elif isinstance(module, nn.MultiheadAttention):
            hooks.append(module.register_forward_hook(mha))
        elif isinstance(module, gpt2_model.Attention):
            hooks.append(module.register_forward_hook(gpt_attention))
    with torch.no_grad():
        model(*inputs)
    for h in hooks:
        h.remove()
    return 2 * total[0]


def smooth_images(n, rng):
    """Low-frequency random images in [0, 1], normalised with ImageNet's mean and std."""
    coarse = rng.random((n, 3, 7, 7)).astype(np.float32)
    images = torch.nn.functional.interpolate(torch.from_numpy(coarse), size=(224, 224), mode="bilinear", align_corners=False)
    mean = torch.tensor([0.485, 0.456, 0.406]).view(1, 3, 1, 1)
    std = torch.tensor([0.229, 0.224, 0.225]).view(1, 3, 1, 1)
    return ((images - mean) / std).numpy().astype(np.float32)


def write_info(out, name, preset, model, flops, data):
    info = {"model": name, "preset": preset, "eval_flops": flops, "data": data,
            "parameters": [{"name": n, "shape": list(p.shape)} for n, p in model.named_parameters()]}
    with open(os.path.join(out, f"{name}.json"), "w", encoding="utf-8") as f:
        json.dump(info, f, indent=1)
        f.write("\n")
    print(f"{name}: {sum(p.numel() for p in model.parameters()):,} parameters, {flops / 1e9:.2f} GFLOP per pass over the evaluation set")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", required=True)
    parser.add_argument("--images", type=int, default=4)
    parser.add_argument("--sequences", type=int, default=2)
    parser.add_argument("--tokens", type=int, default=64)
    parser.add_argument("--only", choices=["resnet50", "vit_b_16", "gpt2_small"], action="append")
    args = parser.parse_args()
    torch.manual_seed(0)
    torch.set_num_threads(2)
    os.makedirs(args.out, exist_ok=True)
    rng = np.random.default_rng(0)
    only = set(args.only or ["resnet50", "vit_b_16", "gpt2_small"])

    images = smooth_images(args.images, rng)
    labels = rng.integers(0, 1000, size=args.images).astype(np.int64)
    np.save(os.path.join(args.out, "images.npy"), images)
    np.save(os.path.join(args.out, "labels.npy"), labels)
    x = torch.from_numpy(images)
    image_data = f"{args.images} smooth random images (3, 224, 224), ImageNet-normalised; random labels"
    for name, make in (("resnet50", torchvision.models.resnet50), ("vit_b_16", torchvision.models.vit_b_16)):
        if name not in only:
            continue
        model = make(weights=None).eval()
        if name == "vit_b_16":
            # torchvision starts ViT's head at zero, which would make every logit and margin 0
            nn.init.normal_(model.heads.head.weight, std=0.02)
        # Traced with autograd on, so that nn.MultiheadAttention records its plain ops (reading
        # in_proj_weight as a parameter) rather than the fused fast path that no_grad selects.
        traced = torch.jit.trace(model, x[:1], check_trace=False)
        traced.save(os.path.join(args.out, f"{name}.pt"))
        with torch.no_grad():
            assert torch.allclose(traced(x), model(x), atol=1e-4)
        write_info(args.out, name, "reference-resnet" if name == "resnet50" else "reference-vit", model,
                   count_flops(model, (x,)), image_data)

    lengths = np.array([args.tokens] + [max(2, args.tokens - 7 * (j + 1)) for j in range(args.sequences - 1)], dtype=np.int64)
    ids = rng.integers(0, 50257, size=(args.sequences, args.tokens)).astype(np.int64)
    for j, length in enumerate(lengths):
        ids[j, length:] = 50256
    np.save(os.path.join(args.out, "tokens.npy"), ids)
    np.save(os.path.join(args.out, "lengths.npy"), lengths)
    if "gpt2_small" in only:
        gpt2 = gpt2_model.gpt2_small().eval()
        gpt2_model.to_torchscript(gpt2).save(os.path.join(args.out, "gpt2_small.pt"))
        mask = torch.from_numpy((np.arange(args.tokens)[None, :] < lengths[:, None]).astype(np.int64))
        write_info(args.out, "gpt2_small", "reference-gpt2", gpt2, count_flops(gpt2, (torch.from_numpy(ids), mask)),
                   f"{args.sequences} random GPT-2 token sequences of at most {args.tokens} tokens, lengths {lengths.tolist()}")


if __name__ == "__main__":
    main()
