#!/usr/bin/env python3
"""Make the evaluation / editing test fixtures (org.coar.workbench.evaluation, .edit, .attributions).

Writes, in src/test/resources/eval/:

  linear.pt, linear_inputs.npy float32 (64, 16), linear_labels.npy int64 (64,)
      A two-class TorchScript model whose margin is EXACTLY linear in the keep-mask: two parallel
      linear branches A (10 outputs) and B (6 outputs) read x, their outputs are concatenated and
      the head (2 x 16, excluded from the components) maps them to logits; no nonlinearity. Row c
      of the branch weights is s_c * e_c (component c reads only feature c, scaled by s_c). With
      two classes, margin_j(mask) = sum_c mask_c * a[c, j] + const_j, where
          a[c, j] = (head[y_j, c] - head[1 - y_j, c]) * s_c * x[j, c]
      is the effect of keeping component c on example j (leave-one-out and gradient x parameter
      are both exactly a for this model).
      Example 0 is planted as the editing case: features 3 and 12 are large and push it to the
      wrong class; every other example has those features near 0. Ablating components 3 and 12
      fixes example 0 and leaves every other example correctly classified.
  linear_effects.npy float32 (16, 64)   a[c, j] above, from the model's weights in float64
  linear_constant.npy float32 (64,)     const_j: the margin with every component ablated
  linear_weight_norms.npy float32 (16,) the L2 norm of each component's weight row (= |s_c|)

  tiny_bn.pt, tiny_inputs.npy float32 (20, 1, 8, 8), tiny_labels.npy int64 (20,)
      A SCRIPTED (torch.jit.script, so train/eval mode is honoured at run time) CNN with
      BatchNorm and Dropout: conv1 (4 filters) - bn1 - relu - conv2 (6) - relu - flatten -
      dropout(0.5) - fc1 (8) - relu - head (3 classes). Components: conv1 (4), conv2 (6), fc1 (8).
      BatchNorm running statistics are set away from (0, 1) so eval and train mode differ.
  tiny_logits.npy float32 (20, 3)       logits in eval mode
  tiny_gxp_margin.npy float32 (18, 20)  gradient x parameter per component and example in eval
  tiny_gxp_loss.npy float32 (18, 20)    mode: sum over the component's weight slice of
                                        d(output_j)/d(w) * w, output = margin / cross-entropy loss

Run from the repository root:  /usr/bin/python3 tools/make_eval_fixtures.py
Deterministic (fixed seeds). Needs Debian's python3-torch and python3-numpy.
"""
import os

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

OUT = os.path.join("src", "test", "resources", "eval")


def save(name, array):
    """np.save in C order (the workbench reads C-order .npy only, as stores are)."""
    np.save(os.path.join(OUT, name), np.ascontiguousarray(array))


class Linear2(nn.Module):
    def __init__(self):
        super().__init__()
        self.a = nn.Linear(16, 10)
        self.b = nn.Linear(16, 6)
        self.head = nn.Linear(16, 2)

    def forward(self, x):
        return self.head(torch.cat([self.a(x), self.b(x)], dim=1))


def margins(logits, y):
    logits = logits.double()
    correct = logits.gather(1, y.view(-1, 1)).squeeze(1)
    other = logits.clone()
    other.scatter_(1, y.view(-1, 1), float("-inf"))
    return correct - other.max(1).values


def make_linear():
    rng = np.random.default_rng(5)
    m, p = 64, 16
    scale = rng.uniform(0.5, 2.0, size=p)
    model = Linear2()
    with torch.no_grad():
        eye = np.eye(p)
        w = eye * scale[:, None]
        model.a.weight.copy_(torch.from_numpy(w[:10]).float())
        model.b.weight.copy_(torch.from_numpy(w[10:]).float())
        model.a.bias.copy_(torch.from_numpy(rng.normal(0, 0.1, 10)).float())
        model.b.bias.copy_(torch.from_numpy(rng.normal(0, 0.1, 6)).float())
        head = rng.normal(0, 1, size=(2, p))
        # Components 3 and 12 vote strongly for class 1.
        head[:, 3] = [-1.5, 1.5]
        head[:, 12] = [-1.5, 1.5]
        model.head.weight.copy_(torch.from_numpy(head).float())
        model.head.bias.zero_()
    model.eval()

    x = rng.normal(0, 1, size=(m, p))
    x[:, [3, 12]] = rng.normal(0, 0.02, size=(m, 2))
    with torch.no_grad():
        logits = model(torch.from_numpy(x).float())
    y = logits.argmax(1).numpy().astype(np.int64)  # every example correctly classified ...
    # ... except example 0: it belongs to class 0 and its features 3 and 12 push it to class 1.
    x0 = x[0].copy()
    x0[[3, 12]] = 0
    with torch.no_grad():
        l0 = model(torch.from_numpy(x0[None]).float())[0]
    if l0[0] - l0[1] < 1.0:  # make class 0 clearly right without the planted features
        x0 = -x0
    x[0] = x0
    x[0, 3] = x[0, 12] = 3.0
    y[0] = 0
    x = x.astype(np.float32)
    xt = torch.from_numpy(x)
    yt = torch.from_numpy(y)

    traced = torch.jit.trace(model, xt[:2])
    path = os.path.join(OUT, "linear.pt")
    traced.save(path)
    loaded = torch.jit.load(path)
    with torch.no_grad():
        mg = margins(loaded(xt), yt).numpy()
    assert mg[0] < 0, mg[0]
    assert (mg[1:] > 0).all()

    # closed form, float64
    W = model.head.weight.detach().double().numpy()
    diff = W[y] - W[1 - y]                              # (m, p): head[y_j, c] - head[1-y_j, c]
    effects = (diff * scale[None, :] * x.astype(np.float64)).T  # (p, m)
    bias = np.concatenate([model.a.bias.detach().double().numpy(), model.b.bias.detach().double().numpy()])
    constant = (diff * bias[None, :]).sum(1) + (model.head.bias.detach().double().numpy()[y]
                                                 - model.head.bias.detach().double().numpy()[1 - y])
    # check against the traced model under random masks
    for seed in range(3):
        mask = np.random.default_rng(100 + seed).random(p) > 0.3
        m2 = torch.jit.load(path)
        params = dict(m2.named_parameters())
        with torch.no_grad():
            params["a.weight"][torch.from_numpy(np.nonzero(~mask[:10])[0])] = 0
            params["b.weight"][torch.from_numpy(np.nonzero(~mask[10:])[0])] = 0
            got = margins(m2(xt), yt).numpy()
        want = mask.astype(np.float64) @ effects + constant
        assert np.abs(got - want).max() < 1e-4, np.abs(got - want).max()
    # the planted edit: ablating 3 and 12 fixes example 0 and keeps the rest correct
    mask = np.ones(p, dtype=bool)
    mask[[3, 12]] = False
    after = mask.astype(np.float64) @ effects + constant
    assert (after > 0).all(), after.min()

    save("linear_inputs.npy", x)
    save("linear_labels.npy", y)
    save("linear_effects.npy", effects.astype(np.float32))
    save("linear_constant.npy", constant.astype(np.float32))
    save("linear_weight_norms.npy", np.abs(scale).astype(np.float32))
    print(f"linear: margins min {mg.min():.3f} (example 0: {mg[0]:.3f}), after the planted edit min {after.min():.3f}")


class TinyBN(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 4, 3, padding=1)
        self.bn1 = nn.BatchNorm2d(4)
        self.conv2 = nn.Conv2d(4, 6, 3, stride=2, padding=1)
        self.drop = nn.Dropout(0.5)
        self.fc1 = nn.Linear(6 * 4 * 4, 8)
        self.head = nn.Linear(8, 3)

    def forward(self, x):
        x = F.relu(self.bn1(self.conv1(x)))
        x = F.relu(self.conv2(x))
        x = self.drop(torch.flatten(x, 1))
        return self.head(F.relu(self.fc1(x)))


def output(logits, y, kind):
    if kind == "margin":
        return margins(logits, y)
    return F.cross_entropy(logits.double(), y, reduction="none")


def make_tiny():
    torch.manual_seed(3)
    model = TinyBN()
    with torch.no_grad():
        model.bn1.running_mean.copy_(torch.tensor([0.3, -0.2, 0.5, 0.1]))
        model.bn1.running_var.copy_(torch.tensor([0.5, 2.0, 1.5, 0.8]))
        model.bn1.weight.copy_(torch.tensor([1.2, 0.7, -0.9, 1.1]))
        model.bn1.bias.copy_(torch.tensor([0.1, -0.1, 0.2, 0.0]))
    model.eval()
    scripted = torch.jit.script(model)
    path = os.path.join(OUT, "tiny_bn.pt")
    scripted.save(path)

    gen = torch.Generator().manual_seed(4)
    x = torch.rand(20, 1, 8, 8, generator=gen)
    y = torch.randint(0, 3, (20,), generator=gen)
    loaded = torch.jit.load(path)
    loaded.eval()
    with torch.no_grad():
        logits = loaded(x)
    groups = ["conv1.weight", "conv2.weight", "fc1.weight"]
    for kind in ["margin", "loss"]:
        rows = []
        for j in range(len(x)):
            m = torch.jit.load(path)
            m.eval()
            params = dict(m.named_parameters())
            out = output(m(x[j:j + 1]), y[j:j + 1], kind)[0]
            grads = torch.autograd.grad(out, [params[g] for g in groups])
            rows.append(torch.cat([(g.double() * params[n].detach().double()).flatten(1).sum(1)
                                   for g, n in zip(grads, groups)]).numpy())
        gxp = np.stack(rows, axis=1).astype(np.float32)  # (components, examples)
        save(f"tiny_gxp_{kind}.npy", gxp)
    # train mode would give other logits: the Java side must keep eval mode while recording gradients
    loaded.train()
    with torch.no_grad():
        train_logits = loaded(x)
    assert (train_logits - logits).abs().max() > 1e-2
    save("tiny_inputs.npy", x.numpy().astype(np.float32))
    save("tiny_labels.npy", y.numpy().astype(np.int64))
    save("tiny_logits.npy", logits.numpy().astype(np.float32))
    print("tiny_bn parameters:", [(n, list(p.shape)) for n, p in loaded.named_parameters()])


def main():
    torch.set_num_threads(2)
    os.makedirs(OUT, exist_ok=True)
    make_linear()
    make_tiny()


if __name__ == "__main__":
    main()
