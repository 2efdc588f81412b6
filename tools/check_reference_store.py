#!/usr/bin/env python3
"""Recomputes a workbench store's outputs in PyTorch from its stored masks, independently of the
workbench: the model from run.json loaded with torch.jit.load, every ablated component's weight
slice along dim 0 zeroed (weight[idx] = 0, as the reference's get_masked_model does; for HF Conv1D,
whose weight is (in, out), that is an input row), the evaluation data run one example at a time
(images: the margin of the logits; token sequences: unpadded, the mean next-token margin over
positions 0..L-2, as the reference's gpt2_tinystories evaluate does).

Passes when every completed row's stored float16 output equals the recomputation rounded to
float16, give or take one float16 step at that magnitude (float32 arithmetic in libtorch 2.7 and
in Debian's torch differs in the last bits). Prints one JSON line; exit status 1 on a mismatch.
Run: /usr/bin/python3 tools/check_reference_store.py STORE [--rows 3]
"""
import argparse
import json
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gpt2_model  # noqa: E402


def image_margins(model, inputs, labels):
    out = []
    with torch.no_grad():
        for j in range(len(labels)):
            logits = model(torch.from_numpy(inputs[j:j + 1])).float()[0]
            other = logits.clone()
            other[labels[j]] = -float("inf")
            out.append((logits[labels[j]] - other.max()).item())
    return np.array(out)


def token_margins(model, ids, lengths):
    out = []
    with torch.no_grad():
        for j, length in enumerate(lengths):
            x = torch.from_numpy(ids[j:j + 1, :length])
            logits = model(x, torch.ones_like(x))
            out.append(gpt2_model.next_token_outputs(logits, x, [length])[0].item())
    return np.array(out)


def float16_step(values):
    magnitude = np.maximum(np.abs(values), 2.0 ** -14)
    return 2.0 ** (np.floor(np.log2(magnitude)) - 10)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("store")
    parser.add_argument("--rows", type=int, default=3)
    args = parser.parse_args()
    torch.set_num_threads(2)
    with open(os.path.join(args.store, "run.json"), encoding="utf-8") as f:
        run = json.load(f)
    with open(os.path.join(args.store, "components.json"), encoding="utf-8") as f:
        groups = [(g["name"], g["size"]) for g in json.load(f)]
    masks = np.load(os.path.join(args.store, f"{run['mask_array']}.npy"), mmap_mode="r")
    stored = np.load(os.path.join(args.store, f"{run['output_array']}.npy"), mmap_mode="r")
    completed = np.load(os.path.join(args.store, "_completed.npy"))
    data = run["data"]
    if data.get("format") == "tokens":
        ids = np.load(data["path"])
        lengths = np.load(data["attention_mask"]) if data.get("attention_mask") else np.full(len(ids), ids.shape[1])
        if lengths.ndim == 2:
            lengths = lengths.sum(1)
        evaluate = lambda m: token_margins(m, ids, lengths)  # noqa: E731
    else:
        inputs = np.load(data["path"]).astype(np.float32)
        labels = np.load(data["labels"]).astype(np.int64)
        evaluate = lambda m: image_margins(m, inputs, labels)  # noqa: E731

    model = torch.jit.load(run["model"]).eval()
    params = dict(model.named_parameters())
    originals = {name: params[name].detach().clone() for name, _ in groups}
    assert sum(size for _, size in groups) == masks.shape[1]
    worst_steps, worst_abs, rows = 0.0, 0.0, []
    for row in np.flatnonzero(completed)[:args.rows]:
        keep = np.asarray(masks[row], dtype=bool)
        offset = 0
        with torch.no_grad():
            for name, size in groups:
                params[name].copy_(originals[name])
                idx = np.flatnonzero(~keep[offset:offset + size])
                if len(idx):
                    params[name][torch.from_numpy(idx)] = 0
                offset += size
        ours = evaluate(model)
        theirs = np.asarray(stored[row], dtype=np.float64)
        difference = np.abs(theirs - ours.astype(np.float16).astype(np.float64))
        worst_steps = max(worst_steps, float((difference / float16_step(ours)).max()))
        worst_abs = max(worst_abs, float(np.abs(theirs - ours).max()))
        rows.append({"row": int(row), "ablated": int((~keep).sum()), "mean_output": float(ours.mean())})
    ok = worst_steps <= 1.0 and len(rows) > 0
    print(json.dumps({"store": args.store, "model": run["model"], "rows_checked": len(rows), "rows": rows,
                      "max_abs_difference": worst_abs, "max_difference_in_float16_steps": worst_steps, "ok": ok}))
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
