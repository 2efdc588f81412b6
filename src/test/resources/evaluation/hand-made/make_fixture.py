"""Writes this hand-made evaluation (format coar-workbench/evaluation/3): 3 methods, α 0.05 and 0.1,
4 runs per α, 5 examples. The values are chosen so that the tests can work out the charts by hand."""
import json
import numpy as np

alphas = [0.05, 0.1]
nan = float("nan")
correlations = {
    "coar": [[0.925, 0.97, 0.99, 0.85, nan], [0.905, 0.955, 0.985, 0.805, 0.61]],
    "leave_one_out": [[0.5, 0.7, 0.2, 0.65, 0.1], [0.45, 0.62, 0.15, 0.55, -0.3]],
    "weight_norm": [[0.3, 0.2, 0.1, 0.25, 0.15], [0.3, 0.2, 0.1, 0.25, 0.15]],
}
for key, values in correlations.items():
    np.save("correlation_%s.npy" % key, np.array(values, dtype=np.float32))

# outputs[alpha][run][example]: example 2 runs 1, 2, 3, 4 at α 0.05; example j otherwise 10 j + a small pattern.
pattern = np.array([0.5, 1.5, 1.0, 2.0])
for a, alpha in enumerate(alphas):
    actual = np.array([[10 * j + pattern[r] + a for j in range(5)] for r in range(4)], dtype=np.float32)
    coar = actual + np.array([[0.25, -0.25, 0.5, 0.0, 0.1]] * 4, dtype=np.float32) * np.array([[1], [-1], [1], [-1]])
    if a == 0:
        actual[:, 2] = [1, 2, 3, 4]
        coar[:, 2] = [1.5, 2.5, 2.5, 4.5]
    np.save("outputs_alpha_%s.npy" % alpha, actual)
    np.save("predicted_coar_alpha_%s.npy" % alpha, coar.astype(np.float32))
    np.save("predicted_leave_one_out_alpha_%s.npy" % alpha, (actual * 0.5).astype(np.float32))
    np.save("predicted_weight_norm_alpha_%s.npy" % alpha, (actual * 0 - 3).astype(np.float32))

names = {"coar": "COAR", "leave_one_out": "leave-one-out", "weight_norm": "weight norm"}

def summary(values):
    v = np.array(values, dtype=np.float32).astype(np.float64)
    d = np.sort(v[~np.isnan(v)])
    return {"mean": float(d.mean()), "median": float(np.median(d)), "q25": float(np.percentile(d, 25)),
            "q75": float(np.percentile(d, 75)), "min": float(d[0]), "max": float(d[-1]), "examples": int(d.size),
            "undefined": int(v.size - d.size)}

report = {
    "format": "coar-workbench/evaluation/3",
    "output": "margin", "components": 16, "examples": 5,
    "masks": {"store_seed": 7, "evaluation_seed": 5, "evaluation_seed_given": True, "runs_per_alpha": 4},
    "methods": [names[k] for k in correlations],
    "results": [{"alpha": alpha, "mask_seed": 100 + a,
                 "correlation": {names[k]: summary(v[a]) for k, v in correlations.items()}} for a, alpha in enumerate(alphas)],
    "store_rows_check": {"rows": 0, "in_sample": False, "rows_are": "no held-out rows",
                         "correlation": {"examples": 0, "undefined": 0}},
    "baselines": {},
    "scatter_example": 2,
    "files": {"figures": []},
}
with open("report.json", "w") as f:
    json.dump(report, f, indent=2)
