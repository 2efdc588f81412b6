"""A GPT-2 language model with Hugging Face's module names and layouts, in plain PyTorch.

transformers is not installed here (and the workbench must not need it), so the tools that make
GPT-2-shaped models for tests, the LM demo and benchmarks build them from this file. What matters
for COAR is what the reference (MadryLab/modelcomponents, gpt2_tinystories) sees of HF's
GPT2LMHeadModel, and that is reproduced exactly:
  - parameter names: transformer.wte / wpe / h.{i}.{ln_1, attn.c_attn, attn.c_proj, ln_2, mlp.c_fc,
    mlp.c_proj} / ln_f, lm_head (tied to wte);
  - Conv1D layers whose weight is stored (in_features, out_features) and applied as x @ W + b, so
    the reference's weight[idx] = 0 zeroes an *input* row (weight.shape[0] components per layer);
  - the computation: pre-LayerNorm blocks, causal self-attention with the attention mask added as
    (1 - mask) * finfo.min to the scores, gelu with the tanh approximation ("gelu_new").
forward(input_ids (N, T) int64, attention_mask (N, T) int64) returns logits (N, T, vocab).
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


class Conv1D(nn.Module):
    """HF's Conv1D: a linear layer whose weight is (in, out)."""

    def __init__(self, nf: int, nx: int):
        super().__init__()
        self.nf = nf
        self.weight = nn.Parameter(torch.empty(nx, nf))
        self.bias = nn.Parameter(torch.zeros(nf))
        nn.init.normal_(self.weight, std=0.02)

    def forward(self, x):  # x: (N, T, in)
        out = torch.addmm(self.bias, x.reshape(-1, x.size(-1)), self.weight)
        return out.view(x.size(0), x.size(1), self.nf)


class Attention(nn.Module):
    def __init__(self, d_model: int, n_head: int, n_ctx: int):
        super().__init__()
        self.n_head = n_head
        self.head_dim = d_model // n_head
        self.c_attn = Conv1D(3 * d_model, d_model)
        self.c_proj = Conv1D(d_model, d_model)
        self.register_buffer("bias", torch.tril(torch.ones(n_ctx, n_ctx, dtype=torch.bool)).view(1, 1, n_ctx, n_ctx),
                             persistent=False)

    def forward(self, x, additive_mask):
        n, t, d = x.shape
        q, k, v = self.c_attn(x).split(d, dim=2)
        q = q.view(n, t, self.n_head, self.head_dim).transpose(1, 2)
        k = k.view(n, t, self.n_head, self.head_dim).transpose(1, 2)
        v = v.view(n, t, self.n_head, self.head_dim).transpose(1, 2)
        scores = torch.matmul(q, k.transpose(-1, -2)) / math.sqrt(self.head_dim)
        causal = self.bias[:, :, :t, :t]
        # -3.4e38 is torch.finfo(torch.float32).min, which TorchScript cannot call
        scores = torch.where(causal, scores, torch.full_like(scores, -3.4028234663852886e38))
        scores = scores + additive_mask
        weights = torch.softmax(scores, dim=-1)
        out = torch.matmul(weights, v).transpose(1, 2).reshape(n, t, d)
        return self.c_proj(out)


class MLP(nn.Module):
    def __init__(self, d_model: int):
        super().__init__()
        self.c_fc = Conv1D(4 * d_model, d_model)
        self.c_proj = Conv1D(d_model, 4 * d_model)

    def forward(self, x):
        return self.c_proj(F.gelu(self.c_fc(x), approximate="tanh"))


class Block(nn.Module):
    def __init__(self, d_model: int, n_head: int, n_ctx: int):
        super().__init__()
        self.ln_1 = nn.LayerNorm(d_model, eps=1e-5)
        self.attn = Attention(d_model, n_head, n_ctx)
        self.ln_2 = nn.LayerNorm(d_model, eps=1e-5)
        self.mlp = MLP(d_model)

    def forward(self, x, additive_mask):
        x = x + self.attn(self.ln_1(x), additive_mask)
        return x + self.mlp(self.ln_2(x))


class GPT2Model(nn.Module):
    def __init__(self, vocab: int, n_ctx: int, d_model: int, n_layer: int, n_head: int):
        super().__init__()
        self.wte = nn.Embedding(vocab, d_model)
        self.wpe = nn.Embedding(n_ctx, d_model)
        self.h = nn.ModuleList([Block(d_model, n_head, n_ctx) for _ in range(n_layer)])
        self.ln_f = nn.LayerNorm(d_model, eps=1e-5)
        nn.init.normal_(self.wte.weight, std=0.02)
        nn.init.normal_(self.wpe.weight, std=0.01)

    def forward(self, input_ids, attention_mask):
        t = input_ids.size(1)
        positions = torch.arange(t, device=input_ids.device).unsqueeze(0)
        x = self.wte(input_ids) + self.wpe(positions)
        mask = attention_mask[:, None, None, :].to(x.dtype)
        additive_mask = (1.0 - mask) * -3.4028234663852886e38
        for block in self.h:
            x = block(x, additive_mask)
        return self.ln_f(x)


class GPT2LMHeadModel(nn.Module):
    def __init__(self, vocab: int = 50257, n_ctx: int = 1024, d_model: int = 768, n_layer: int = 12, n_head: int = 12):
        super().__init__()
        self.transformer = GPT2Model(vocab, n_ctx, d_model, n_layer, n_head)
        self.lm_head = nn.Linear(d_model, vocab, bias=False)
        self.lm_head.weight = self.transformer.wte.weight

    def forward(self, input_ids, attention_mask):
        return self.lm_head(self.transformer(input_ids, attention_mask))


def gpt2_small():
    """GPT-2 small's shape: 12 layers, 768 wide, 12 heads, 50,257 tokens, 1,024 positions."""
    return GPT2LMHeadModel()


def reference_components(model):
    """The reference's gpt2_tinystories get_model_components: modules whose name ends with one of the
    four suffixes, weight.shape[0] components each, in named_modules() order."""
    suffixes = ["attn.c_attn", "attn.c_proj", "mlp.c_fc", "mlp.c_proj"]
    return [(f"{k}.weight", int(v.weight.shape[0])) for k, v in model.named_modules() if any(k.endswith(s) for s in suffixes)]


def to_torchscript(model, max_len: int = 8):
    """Scripted (not traced), so that any sequence length up to n_ctx runs, and the weights stay parameters."""
    model = model.eval()
    scripted = torch.jit.script(model)
    ids = torch.zeros(2, max_len, dtype=torch.long)
    mask = torch.ones(2, max_len, dtype=torch.long)
    with torch.no_grad():
        assert torch.allclose(scripted(ids, mask), model(ids, mask), atol=1e-5)
    return scripted


def ablate_rows(model, groups, keep):
    """Zero weight[idx] (dim 0) of every ablated component, group by group, as the reference does (any model)."""
    params = dict(model.named_parameters())
    offset = 0
    with torch.no_grad():
        for name, size in groups:
            idx = (~keep[offset:offset + size]).nonzero()[0]
            if len(idx):
                params[name][torch.as_tensor(idx)] = 0
            offset += size
    assert offset == len(keep)


def next_token_outputs(logits, ids, lengths):
    """Per example, over positions 0..L-2 predicting tokens 1..L-1 (the reference's slicing for right padding):
    mean margin (true logit minus the largest other), mean log-probability and mean loss, in float32."""
    margins, logprobs = [], []
    for j, length in enumerate(lengths):
        length = int(length)
        lg = logits[j, :length - 1].float()
        y = ids[j, 1:length]
        rng = torch.arange(len(lg))
        true = lg[rng, y]
        other = lg.clone()
        other[rng, y] = -float("inf")
        margins.append((true - other.max(1).values).mean().item())
        logprobs.append(torch.log_softmax(lg, 1)[rng, y].mean().item())
    margins = torch.tensor(margins)
    logprobs = torch.tensor(logprobs)
    return margins, logprobs, -logprobs
