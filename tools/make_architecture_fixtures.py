#!/usr/bin/env python3
"""Fixtures for component presets and language models (issue 13).

1. src/test/resources/architectures/{resnet50,vit_b_16,gpt2_small}.json
   The parameters of the real architectures as libtorch lists them for the TorchScript model (every
   module's own parameters, in module order, tied weights listed under each name, as DJL reports them),
   and the component groups the reference's get_model_components selects on the eager model
   (MadryLab/modelcomponents: imagenet_resnet "conv" in the module name and nn.Conv2d; imagenet_vit
   nn.Linear weights and MultiheadAttention.in_proj_weight outside "heads"; gpt2_tinystories modules
   ending in attn.c_attn, attn.c_proj, mlp.c_fc, mlp.c_proj), decided by module type, not by name and
   shape as the Java presets do. Random weights (torchvision resnet50 / vit_b_16 with weights=None, and
   tools/gpt2_model.py's GPT-2-small shape): only names and shapes are recorded.

2. src/test/resources/lm/: a tiny GPT-2 (tools/gpt2_model.py: vocab 50, 16 positions, width 16, 2 layers,
   2 heads; weights drawn with std 0.4 so that logits differ clearly between tokens), scripted:
     tiny_gpt2.pt            forward(input_ids, attention_mask) -> logits (N, T, 50)
     tiny_gpt2_ids_only.pt   the same weights behind forward(input_ids) (a model that takes no mask)
     tokens.npy (int64 (7, 12)) token ids, right-padded with random ids (padding content must not matter)
     lengths.npy (int64 (7,)) and attention_mask.npy (int64 (7, 12)), the same padding two ways
     expected_{margin,logprob,loss}.npy (float32 (7,)) each example run ALONE, unpadded (batch of one,
         T = its length), mean over positions 0..L-2 of the next-token output, as the reference computes it
     gpt2_masks.npy (bool (3, p)) over the reference-gpt2 groups (p = 2 x (16+16+16+64) = 224):
         all kept, rng.random(p) < 0.9, rng.random(p) < 0.7 (np.random.default_rng(7), in that order)
     gpt2_margins.npy (float32 (3, 7)) margins of the model with weight[idx] = 0 for every ablated
         component (dim-0 slices of the (in, out) Conv1D weights, as the reference zeroes them), each
         example alone
     gpt2_gxp_margin.npy, gpt2_gxp_loss.npy (float32 (224, 7)) gradient x parameter per component and
         sequence: autograd of the sequence's mean next-token output (alone, unpadded; the margin's other
         logit taken at the largest non-true logit), summed over each component's weight row of grad * weight

Run from the repository root: /usr/bin/python3 tools/make_architecture_fixtures.py
Deterministic (torch.manual_seed(0)); needs Debian's python3-torch and python3-torchvision.
"""
import json
import os
import sys

import numpy as np
import torch
import torch.nn as nn
import torchvision

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gpt2_model  # noqa: E402

ARCH_DIR = os.path.join("src", "test", "resources", "architectures")
LM_DIR = os.path.join("src", "test", "resources", "lm")


def libtorch_parameters(module):
    """Every module's own parameters in module order, without dropping tied duplicates (as libtorch and DJL list them)."""
    out = []
    for prefix, sub in module.named_modules(remove_duplicate=False):
        for name, p in sub._parameters.items():
            if p is not None:
                out.append({"name": f"{prefix}.{name}" if prefix else name, "shape": list(p.shape)})
    return out


def reference_resnet(model):
    groups = []
    for name, module in model.named_modules():
        if "conv" in name:
            assert type(module) is nn.Conv2d
            groups.append((f"{name}.weight", module.out_channels))
    return groups


def reference_vit(model):
    groups = []
    for name, module in model.named_modules():
        if name.startswith("heads"):
            continue
        if isinstance(module, nn.Linear):
            groups.append((f"{name}.weight", module.weight.shape[0]))
        elif isinstance(module, nn.MultiheadAttention):
            groups.append((f"{name}.in_proj_weight", module.in_proj_weight.shape[0]))
    return groups


def write_architecture(name, model, reference, expected_total):
    total = sum(size for _, size in reference)
    assert total == expected_total, (name, total)
    doc = {
        "model": name,
        "parameters": libtorch_parameters(model),
        "reference_components": [{"name": n, "size": int(s)} for n, s in reference],
        "reference_total": total,
    }
    with open(os.path.join(ARCH_DIR, f"{name}.json"), "w", encoding="utf-8") as f:
        json.dump(doc, f, indent=None, separators=(",", ":"))
        f.write("\n")
    print(f"{name}: {len(doc['parameters'])} parameters, reference selects {total} components in {len(reference)} groups")


class IdsOnly(nn.Module):
    def __init__(self, lm):
        super().__init__()
        self.lm = lm

    def forward(self, input_ids):
        return self.lm(input_ids, torch.ones_like(input_ids))


def alone_outputs(model, ids, lengths):
    margins, logprobs = [], []
    with torch.no_grad():
        for j, length in enumerate(lengths):
            x = ids[j:j + 1, :length]
            logits = model(x, torch.ones_like(x))
            m, lp, _ = gpt2_model.next_token_outputs(logits, x, [length])
            margins.append(m.item())
            logprobs.append(lp.item())
    margins = np.array(margins, dtype=np.float32)
    logprobs = np.array(logprobs, dtype=np.float32)
    return margins, logprobs, -logprobs


def make_lm_fixtures():
    os.makedirs(LM_DIR, exist_ok=True)
    torch.manual_seed(0)
    model = gpt2_model.GPT2LMHeadModel(vocab=50, n_ctx=16, d_model=16, n_layer=2, n_head=2).eval()
    with torch.no_grad():
        for name, p in model.named_parameters():
            if not name.endswith("bias"):
                p.normal_(0, 0.4)
            else:
                p.normal_(0, 0.1)
    scripted = gpt2_model.to_torchscript(model)
    scripted.save(os.path.join(LM_DIR, "tiny_gpt2.pt"))
    torch.jit.script(IdsOnly(model)).save(os.path.join(LM_DIR, "tiny_gpt2_ids_only.pt"))

    rng = np.random.default_rng(7)
    n, t = 7, 12
    lengths = np.array([12, 5, 2, 9, 12, 3, 7], dtype=np.int64)
    ids = rng.integers(0, 50, size=(n, t)).astype(np.int64)  # the padding holds random ids too
    mask = (np.arange(t)[None, :] < lengths[:, None]).astype(np.int64)
    np.save(os.path.join(LM_DIR, "tokens.npy"), ids)
    np.save(os.path.join(LM_DIR, "lengths.npy"), lengths)
    np.save(os.path.join(LM_DIR, "attention_mask.npy"), mask)
    ids_t = torch.from_numpy(ids)
    margin, logprob, loss = alone_outputs(model, ids_t, lengths)
    np.save(os.path.join(LM_DIR, "expected_margin.npy"), margin)
    np.save(os.path.join(LM_DIR, "expected_logprob.npy"), logprob)
    np.save(os.path.join(LM_DIR, "expected_loss.npy"), loss)
    print("tiny LM margins", margin.round(3).tolist(), "logprobs", logprob.round(3).tolist())

    groups = gpt2_model.reference_components(model)
    p = sum(s for _, s in groups)
    mask_rng = np.random.default_rng(7)
    masks = np.stack([np.ones(p, dtype=bool), mask_rng.random(p) < 0.9, mask_rng.random(p) < 0.7])
    margins = np.zeros((len(masks), n), dtype=np.float32)
    import copy
    for i, keep in enumerate(masks):
        ablated = copy.deepcopy(model)
        gpt2_model.ablate_rows(ablated, groups, keep)
        margins[i] = alone_outputs(ablated, ids_t, lengths)[0]
    params = dict(model.named_parameters())
    for kind in ("margin", "loss"):
        scores = np.zeros((p, n), dtype=np.float32)
        for j, length in enumerate(lengths):
            model.zero_grad()
            x = ids_t[j:j + 1, :length]
            logits = model(x, torch.ones_like(x))[0, :length - 1]
            y = x[0, 1:length]
            rng = torch.arange(length - 1)
            if kind == "margin":
                masked = logits.detach().clone()
                masked[rng, y] = -float("inf")
                out = (logits[rng, y] - logits[rng, masked.argmax(1)]).mean()
            else:
                out = -torch.log_softmax(logits, 1)[rng, y].mean()
            out.backward()
            offset = 0
            for name, size in groups:
                w = params[name]
                scores[offset:offset + size, j] = (w.grad.double() * w.detach().double()).reshape(size, -1).sum(1).numpy()
                offset += size
        np.save(os.path.join(LM_DIR, f"gpt2_gxp_{kind}.npy"), scores)
    np.save(os.path.join(LM_DIR, "gpt2_masks.npy"), masks)
    np.save(os.path.join(LM_DIR, "gpt2_margins.npy"), margins)
    print(f"tiny LM: {p} reference-gpt2 components; kept per mask {masks.sum(1).tolist()}; "
          f"mean margin per mask {margins.mean(1).round(4).tolist()}")


def main():
    torch.manual_seed(0)
    torch.set_num_threads(2)
    os.makedirs(ARCH_DIR, exist_ok=True)
    resnet = torchvision.models.resnet50(weights=None).eval()
    write_architecture("resnet50", resnet, reference_resnet(resnet), 22_720)
    vit = torchvision.models.vit_b_16(weights=None).eval()
    write_architecture("vit_b_16", vit, reference_vit(vit), 82_944)
    gpt2 = gpt2_model.gpt2_small().eval()
    write_architecture("gpt2_small", gpt2, gpt2_model.reference_components(gpt2), 64_512)
    make_lm_fixtures()


if __name__ == "__main__":
    main()
