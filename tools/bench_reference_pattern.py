#!/usr/bin/env python3
"""Times the reference's way of building rows (make_dataset.py's get_masked_model + evaluate) on a
model from tools/make_reference_models.py, as the yardstick of `coar bench ablation --model`:
for every ablated model, copy.deepcopy of the eager model, weight[idx] = 0 for the ablated
components of the reference's selection (get_model_components, by module type), then the margins
on the evaluation set in one batch (token data: the padded batch, then each sequence's mean
next-token margin over its own positions, as the GPT-2 setup does). Also times a plain forward
pass over the same set, for GFLOP/s. Prints one JSON line.

Run: /usr/bin/python3 tools/bench_reference_pattern.py --work /tmp/coar-reference --model resnet50 [--examples 4] [--models 4] [--threads 2]
"""
import argparse
import copy
import json
import os
import sys
import time

import numpy as np
import torch
import torchvision

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gpt2_model  # noqa: E402
import make_architecture_fixtures as fixtures  # noqa: E402


def eager(name, work):
    """The eager model with the TorchScript file's weights (the reference deep-copies eager modules)."""
    model = {"resnet50": lambda: torchvision.models.resnet50(weights=None),
             "vit_b_16": lambda: torchvision.models.vit_b_16(weights=None),
             "gpt2_small": gpt2_model.gpt2_small}[name]().eval()
    scripted = torch.jit.load(os.path.join(work, f"{name}.pt"))
    # TorchScript keeps non-persistent buffers (GPT-2's causal mask) in its state_dict; the eager model makes its own
    model.load_state_dict({k: v for k, v in scripted.state_dict().items() if k in model.state_dict()})
    return model


def groups_of(name, model):
    if name == "resnet50":
        return fixtures.reference_resnet(model)
    if name == "vit_b_16":
        return fixtures.reference_vit(model)
    return gpt2_model.reference_components(model)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--work", required=True)
    parser.add_argument("--model", required=True, choices=["resnet50", "vit_b_16", "gpt2_small"])
    parser.add_argument("--examples", type=int, default=None, help="the first N evaluation examples (default: all)")
    parser.add_argument("--models", type=int, default=4)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--alpha", type=float, default=0.05)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    model = eager(args.model, args.work)
    groups = groups_of(args.model, model)
    total = sum(size for _, size in groups)
    rng = np.random.default_rng(0)

    if args.model == "gpt2_small":
        ids = torch.from_numpy(np.load(os.path.join(args.work, "tokens.npy"))[:args.examples])
        lengths = np.load(os.path.join(args.work, "lengths.npy"))[:args.examples]
        width = int(lengths.max())
        ids = ids[:, :width]
        mask = (torch.arange(width)[None, :] < torch.from_numpy(lengths)[:, None]).long()

        def evaluate(m):
            with torch.no_grad():
                return gpt2_model.next_token_outputs(m(ids, mask), ids, lengths)[0]
    else:
        images = torch.from_numpy(np.load(os.path.join(args.work, "images.npy"))[:args.examples])
        labels = torch.from_numpy(np.load(os.path.join(args.work, "labels.npy"))[:args.examples])

        def evaluate(m):
            with torch.no_grad():
                logits = m(images)
            rng_ = torch.arange(len(labels))
            true = logits[rng_, labels]
            logits[rng_, labels] = -float("inf")
            return true - logits.max(1).values

    evaluate(model)  # warm-up
    start = time.perf_counter()
    for _ in range(args.models):
        evaluate(model)
    plain = (time.perf_counter() - start) / args.models

    copy_seconds = 0.0
    start = time.perf_counter()
    for _ in range(args.models):
        keep = rng.random(total) >= args.alpha
        t = time.perf_counter()
        ablated = copy.deepcopy(model)
        gpt2_model.ablate_rows(ablated, groups, keep)
        copy_seconds += time.perf_counter() - t
        evaluate(ablated)
        del ablated
    reference = (time.perf_counter() - start) / args.models
    print(json.dumps({"model": args.model, "components": total, "examples": int(args.examples or -1), "threads": args.threads,
                      "torch": torch.__version__, "plain_models_per_s": 1 / plain, "reference_models_per_s": 1 / reference,
                      "copy_and_zero_seconds": copy_seconds / args.models, "models_timed": args.models}))


if __name__ == "__main__":
    main()
