#!/usr/bin/env python3
"""Make the regression test fixture: a store written by numpy in the reference layout, and numpy's own
least-squares answer for it.

Writes (relative to the repository root):
  src/test/resources/fit/numpy_store/masks.npy         bool_ (240, 24): keep-masks, keep probability 0.85;
                                                        component 5 is kept in every row (zero variance)
  src/test/resources/fit/numpy_store/test_margins.npy  float16 (240, 6): x @ W + offset + noise
  src/test/resources/fit/numpy_store/_completed.npy    bool_ (240,): True except rows 17, 60..79, 239
                                                        (those rows hold garbage, as unfinished rows may)
  src/test/resources/fit/regression_config.yaml         the reference COAR config layout (k: 1, manual_max_lambda: 0),
                                                        num_train 150, num_val 50
  src/test/resources/fit/numpy_expected.json            numpy.linalg.lstsq on the standardised design of the final
                                                        fit's rows (the first 200 completed rows: train + validation,
                                                        standardised with their mean and population std, constant
                                                        components dropped), with an intercept column:
                                                        {"mask_mean", "mask_std", "active", "weight" (active x examples),
                                                         "bias", "probe_rows", "probe_predictions" (rows x examples)}
                                                        probe rows are the completed rows not used for fitting.

Run from the repository root:  /usr/bin/python3 tools/make_fit_fixtures.py
Deterministic (seeded). Needs Debian's python3-numpy.
"""
import json
import os

import numpy as np

ROOT = os.path.join("src", "test", "resources", "fit")
rng = np.random.default_rng(2024)
rows, p, m = 240, 24, 6
x = rng.random((rows, p)) < 0.85
x[:, 5] = True
w_true = rng.normal(size=(p, m))
w_true[10:, :] *= 0.1
y = x @ w_true + 2.0 + 0.3 * rng.normal(size=(rows, m))
completed = np.ones(rows, dtype=bool)
completed[[17, 239]] = False
completed[60:80] = False
y[~completed] = np.nan  # unfinished rows must never be read
x[~completed] = rng.random((int((~completed).sum()), p)) < 0.5

store = os.path.join(ROOT, "numpy_store")
os.makedirs(store, exist_ok=True)
for name, dtype, shape, values in [("masks", np.bool_, (rows, p), x), ("test_margins", np.float16, (rows, m), y),
                                   ("_completed", np.bool_, (rows,), completed)]:
    path = os.path.join(store, name + ".npy")
    if os.path.exists(path):
        os.remove(path)
    mm = np.lib.format.open_memmap(path, mode="w+", dtype=dtype, shape=shape)
    mm[:] = values
    mm.flush()
    del mm

with open(os.path.join(ROOT, "regression_config.yaml"), "w") as f:
    f.write("""data:
  data_path: ~
  num_train: 150
  num_val: 50
cfg:
  out_dir: ~
  num_workers: 8
  k: 1
  batch_size: 10
  lr: 1e-3
  eps: 1e-4
  true_random: true
  manual_max_lambda: 0
early_stopping:
  check_every: 3
  eps: 1e-10
""")

# What the store holds (float16), read back as the fit reads it.
xs = np.load(os.path.join(store, "masks.npy")).astype(np.float64)
ys = np.load(os.path.join(store, "test_margins.npy")).astype(np.float64)
done = np.nonzero(np.load(os.path.join(store, "_completed.npy")))[0]
fit_rows = done[:200]
probe_rows = done[200:]
xf = xs[fit_rows]
mean = xf.mean(axis=0)
std = xf.std(axis=0)
active = np.nonzero(std > 0)[0]
z = (xf[:, active] - mean[active]) / std[active]
design = np.hstack([z, np.ones((len(z), 1))])
solution = np.linalg.lstsq(design, ys[fit_rows], rcond=None)[0]
weight, bias = solution[:-1], solution[-1]
zp = (xs[probe_rows][:, active] - mean[active]) / std[active]
pred = zp @ weight + bias

with open(os.path.join(ROOT, "numpy_expected.json"), "w") as f:
    json.dump({"numpy_version": np.__version__, "mask_mean": mean.tolist(), "mask_std": std.tolist(),
               "active": active.tolist(), "weight": weight.tolist(), "bias": bias.tolist(),
               "probe_rows": probe_rows.tolist(), "probe_predictions": pred.tolist()}, f, indent=1)
print("wrote", ROOT, "fit rows", len(fit_rows), "probe rows", len(probe_rows), "active", len(active))
