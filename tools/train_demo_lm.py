#!/usr/bin/env python3
"""Train the COAR Workbench's demo language model and write its files.

A 2-layer GPT-2 (tools/gpt2_model.py: Hugging Face module names, Conv1D weights (in, out)) at the
byte level (vocabulary 256, token = byte), 64 positions, width 64, 4 heads, trained on the licence
texts every Debian system has (/usr/share/common-licenses, package base-files), one of them held out
for evaluation. Components under --components reference-gpt2: 2 x (64 + 64 + 64 + 256) = 896.

Text: each licence's paragraphs (blank-line separated) with their whitespace runs collapsed to one
space, joined by newlines; Apache-2.0 is held out. Training: random 64-byte windows of the other
licences' text, AdamW, cross-entropy on every next byte.
Evaluation data: the held-out paragraphs cut into consecutive 64-byte pieces (a paragraph's last piece
shorter), those of at least 16 bytes, right-padded with byte 0 (NUL, which the text never holds), the
first 100 of them.

Makes, in src/main/resources/org/coar/workbench/demo/lm/:
  byte_gpt2.pt          TorchScript (scripted, not frozen): forward(input_ids (N, T) int64,
                        attention_mask (N, T) int64) -> logits (N, T, 256), T <= 64
  eval-tokens.npy       int64 (N, 64) byte ids, right-padded with 0
  eval-lengths.npy      int64 (N,) real bytes per sequence
  eval-text.txt         the evaluation sequences as text, one per line (for reading the examples)
  demo_lm_info.json     architecture, parameters, corpus, training settings and losses, torch version
  README.md             short description
Run from the repository root: /usr/bin/python3 tools/train_demo_lm.py   (python3-torch, python3-numpy)
Deterministic: torch.manual_seed(0), torch.set_num_threads(1); 10 to 20 minutes on one core.
"""
import json
import os
import re
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gpt2_model  # noqa: E402

LICENSES = "/usr/share/common-licenses"
HELD_OUT = "Apache-2.0"
OUT_DIR = os.path.join("src", "main", "resources", "org", "coar", "workbench", "demo", "lm")
CONTEXT, WIDTH, LAYERS, HEADS, VOCAB = 64, 64, 2, 4, 256
STEPS, BATCH, LR = 1500, 32, 3e-3
EVAL_SEQUENCES, MIN_EVAL_BYTES = 100, 16
SEED = 0


def paragraphs(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        text = f.read()
    out = []
    for block in re.split(r"\n\s*\n", text):
        flat = re.sub(r"\s+", " ", block).strip()
        if flat:
            out.append(flat.encode("ascii", errors="replace"))
    return out


def corpus():
    names = sorted(n for n in os.listdir(LICENSES) if os.path.isfile(os.path.join(LICENSES, n))
                   and not os.path.islink(os.path.join(LICENSES, n)))
    train = [p for n in names if n != HELD_OUT for p in paragraphs(os.path.join(LICENSES, n))]
    held_out = paragraphs(os.path.join(LICENSES, HELD_OUT))
    return names, b"\n".join(train), held_out


def evaluation_set(held_out):
    chunks = [p[i:i + CONTEXT] for p in held_out for i in range(0, len(p), CONTEXT)]
    seqs = [c for c in chunks if len(c) >= MIN_EVAL_BYTES][:EVAL_SEQUENCES]
    ids = np.zeros((len(seqs), CONTEXT), dtype=np.int64)
    lengths = np.array([len(s) for s in seqs], dtype=np.int64)
    for j, s in enumerate(seqs):
        ids[j, :len(s)] = np.frombuffer(s, dtype=np.uint8)
    return seqs, ids, lengths


def mean_loss(model, ids, lengths):
    with torch.no_grad():
        x = torch.from_numpy(ids)
        mask = (torch.arange(CONTEXT)[None, :] < torch.from_numpy(lengths)[:, None]).long()
        logits = model(x, mask)
        margins, logprobs, _ = gpt2_model.next_token_outputs(logits, x, lengths)
    return float(-logprobs.mean()), float(margins.mean()), float((margins > 0).float().mean())


def main():
    torch.manual_seed(SEED)
    torch.set_num_threads(1)
    os.makedirs(OUT_DIR, exist_ok=True)
    names, train_text, held_out = corpus()
    data = torch.from_numpy(np.frombuffer(train_text, dtype=np.uint8).astype(np.int64))
    seqs, eval_ids, eval_lengths = evaluation_set(held_out)
    print(f"training text: {len(train_text):,} bytes from {len(names) - 1} licences; evaluation: {len(seqs)} sequences "
          f"of {HELD_OUT} ({int(eval_lengths.sum()):,} bytes)")

    model = gpt2_model.GPT2LMHeadModel(vocab=VOCAB, n_ctx=CONTEXT, d_model=WIDTH, n_layer=LAYERS, n_head=HEADS)
    optimiser = torch.optim.AdamW(model.parameters(), lr=LR, weight_decay=0.01)
    schedule = torch.optim.lr_scheduler.OneCycleLR(optimiser, max_lr=LR, total_steps=STEPS, pct_start=0.1)
    generator = torch.Generator().manual_seed(SEED)
    ones = torch.ones(BATCH, CONTEXT, dtype=torch.long)
    started = time.time()
    history = []
    for step in range(1, STEPS + 1):
        model.train()
        starts = torch.randint(0, len(data) - CONTEXT - 1, (BATCH,), generator=generator)
        window = torch.stack([data[s:s + CONTEXT + 1] for s in starts.tolist()])
        logits = model(window[:, :-1], ones)
        loss = F.cross_entropy(logits.reshape(-1, VOCAB), window[:, 1:].reshape(-1))
        optimiser.zero_grad()
        loss.backward()
        optimiser.step()
        schedule.step()
        if step % 250 == 0 or step == STEPS:
            model.eval()
            eval_loss, eval_margin, eval_positive = mean_loss(model, eval_ids, eval_lengths)
            history.append({"step": step, "train_loss": round(loss.item(), 4), "eval_loss": round(eval_loss, 4),
                            "eval_mean_margin": round(eval_margin, 4), "eval_positive_margin_share": round(eval_positive, 4)})
            print(f"step {step}: train loss {loss.item():.3f}, held-out loss {eval_loss:.3f} nats/byte "
                  f"({eval_loss / np.log(2):.2f} bits), mean margin {eval_margin:.3f}, "
                  f"sequences with positive margin {eval_positive:.2%} ({time.time() - started:.0f} s)")
    model.eval()
    scripted = gpt2_model.to_torchscript(model)
    path = os.path.join(OUT_DIR, "byte_gpt2.pt")
    scripted.save(path)
    loaded = torch.jit.load(path)
    with torch.no_grad():
        x = torch.from_numpy(eval_ids[:8])
        mask = (torch.arange(CONTEXT)[None, :] < torch.from_numpy(eval_lengths[:8])[:, None]).long()
        difference = (loaded(x, mask) - model(x, mask)).abs().max().item()
    print(f"TorchScript max |scripted - eager| logits: {difference:.3g}")
    np.save(os.path.join(OUT_DIR, "eval-tokens.npy"), eval_ids)
    np.save(os.path.join(OUT_DIR, "eval-lengths.npy"), eval_lengths)
    with open(os.path.join(OUT_DIR, "eval-text.txt"), "w", encoding="ascii") as f:
        for s in seqs:
            f.write(s.decode("ascii") + "\n")

    groups = gpt2_model.reference_components(model)
    info = {
        "architecture": f"GPT-2 (HF module names, Conv1D weights (in, out)), {LAYERS} layers, width {WIDTH}, {HEADS} heads, "
                        f"{CONTEXT} positions, byte vocabulary {VOCAB}, lm_head tied to transformer.wte",
        "input": "forward(input_ids int64 (N, T), attention_mask int64 (N, T)) -> logits float32 (N, T, 256), T <= 64",
        "tokenizer": "bytes: token id = byte value (ASCII text); padding id 0 (NUL)",
        "corpus": {"source": f"{LICENSES} (Debian package base-files)", "training_files": [n for n in names if n != HELD_OUT],
                   "held_out": HELD_OUT, "training_bytes": len(train_text),
                   "preprocessing": "paragraphs split at blank lines, whitespace runs collapsed to one space, joined by newlines"},
        "evaluation_data": {"sequences": len(seqs), "rule": f"{HELD_OUT}'s paragraphs cut into consecutive {CONTEXT}-byte pieces, "
                            f"those of at least {MIN_EVAL_BYTES} bytes, the first {EVAL_SEQUENCES}, right-padded with 0", "total_bytes": int(eval_lengths.sum())},
        "training": {"steps": STEPS, "batch": BATCH, "window": CONTEXT + 1, "optimiser": "AdamW weight_decay 0.01",
                     "schedule": f"one-cycle, max lr {LR}", "seed": SEED, "seconds": round(time.time() - started, 1)},
        "history": history,
        "reference_gpt2_components": {"groups": [{"name": n, "size": s} for n, s in groups], "total": sum(s for _, s in groups)},
        "parameters": sum(p.numel() for p in model.parameters()),
        "torch_version": torch.__version__,
    }
    with open(os.path.join(OUT_DIR, "demo_lm_info.json"), "w", encoding="utf-8") as f:
        json.dump(info, f, indent=1)
        f.write("\n")
    final = history[-1]
    with open(os.path.join(OUT_DIR, "README.md"), "w", encoding="utf-8") as f:
        f.write(f"""# COAR Workbench demo language model

`byte_gpt2.pt` is a TorchScript (scripted, not frozen) {LAYERS}-layer GPT-2 with Hugging Face's module names
(`transformer.h.N.attn.c_attn`, ..., Conv1D weights stored (in, out)) over bytes: `forward(input_ids, attention_mask)`
with int64 (N, T), T <= {CONTEXT}, returns logits (N, T, 256). Trained by `tools/train_demo_lm.py` on the licence texts
in `/usr/share/common-licenses` (Debian's base-files) except {HELD_OUT}; {info['parameters']:,} parameters.
`--components reference-gpt2` selects {info['reference_gpt2_components']['total']} components.
`eval-tokens.npy` (int64 (N, {CONTEXT}), right-padded with 0) and `eval-lengths.npy` (int64 (N,)) hold {len(seqs)}
held-out sequences: {HELD_OUT}'s paragraphs (the Apache License 2.0, whose text may be copied verbatim) cut into
{CONTEXT}-byte pieces; `eval-text.txt` has them as text. Held-out loss {final['eval_loss']:.3f} nats/byte, mean next-byte
margin {final['eval_mean_margin']:.3f}.
""")
    print(f"wrote {OUT_DIR}: {info['parameters']:,} parameters, {info['reference_gpt2_components']['total']} reference-gpt2 components")


if __name__ == "__main__":
    main()
