#!/usr/bin/env python3
"""Make the small TorchScript models that the robustness tests feed to 'coar build' (issue 14).

Each takes the demo's Fashion-MNIST input (N, 1, 28, 28) and has the same two layers, seeded alike:
fc1 = Linear(784, 16) (16 components), fc2 = Linear(16, 10) (the head). They differ only in what
forward returns, or in how it fails:

  logits.pt          logits (N, 10): the plain model the others are compared with
  tuple_out.pt       (hidden (N, 16), logits (N, 10)): logits are element 1
  dict_out.pt        {"hidden": hidden, "logits": logits}
  none_out.pt        None
  fewer_rows.pt      logits of the first example only, (1, 10), whatever the batch
  odd_batch_fails.pt logits, but raises ValueError("odd batches are not supported") on a batch of odd size > 1
  no_params.pt       a module with no parameters at all (never frozen): x.flatten(1)[:, :10]

Run from the repository root: /usr/bin/python3 tools/make_robustness_fixtures.py
Deterministic: torch.manual_seed(0).
"""
import os
from typing import Dict, Optional, Tuple

import torch
import torch.nn as nn

OUT_DIR = os.path.join("src", "test", "resources", "robustness")


class Base(nn.Module):
    def __init__(self):
        super().__init__()
        torch.manual_seed(0)
        self.fc1 = nn.Linear(784, 16)
        self.fc2 = nn.Linear(16, 10)

    def hidden(self, x):
        return torch.relu(self.fc1(x.flatten(1)))


class Logits(Base):
    def forward(self, x):
        return self.fc2(self.hidden(x))


class TupleOut(Base):
    def forward(self, x) -> Tuple[torch.Tensor, torch.Tensor]:
        h = self.hidden(x)
        return h, self.fc2(h)


class DictOut(Base):
    def forward(self, x) -> Dict[str, torch.Tensor]:
        h = self.hidden(x)
        return {"hidden": h, "logits": self.fc2(h)}


class NoneOut(Base):
    def forward(self, x) -> Optional[torch.Tensor]:
        self.fc2(self.hidden(x))
        return None


class FewerRows(Base):
    def forward(self, x):
        return self.fc2(self.hidden(x))[:1]


class OddBatchFails(Base):
    def forward(self, x):
        if x.shape[0] > 1 and x.shape[0] % 2 == 1:
            raise ValueError("odd batches are not supported")
        return self.fc2(self.hidden(x))


class NoParams(nn.Module):
    def forward(self, x):
        return x.flatten(1)[:, :10]


def main():
    os.makedirs(OUT_DIR, exist_ok=True)
    models = {"logits": Logits(), "tuple_out": TupleOut(), "dict_out": DictOut(), "none_out": NoneOut(),
              "fewer_rows": FewerRows(), "odd_batch_fails": OddBatchFails(), "no_params": NoParams()}
    reference = models["logits"].state_dict()
    x = torch.rand(4, 1, 28, 28)
    for name, model in models.items():
        model.eval()
        if name != "no_params":
            for key, value in model.state_dict().items():
                assert torch.equal(value, reference[key]), (name, key)
        scripted = torch.jit.script(model)
        path = os.path.join(OUT_DIR, name + ".pt")
        torch.jit.save(scripted, path)
        out = torch.jit.load(path)(x)
        summary = type(out).__name__ if not isinstance(out, torch.Tensor) else tuple(out.shape)
        print(f"{path}: {sum(p.numel() for p in model.parameters())} parameters, forward on (4, 1, 28, 28) -> {summary}")


if __name__ == "__main__":
    main()
