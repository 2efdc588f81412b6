#!/usr/bin/env python3
"""Reference points for the regression benchmark (docs/BENCHMARKS.md, "Regression").

  lstsq STORE   numpy.linalg.lstsq (Debian's python3-numpy, as installed) on subsets of the benchmark store:
                rows n in {4000, 8000} x outputs m in {500, 1000}, all 2,304 components, standardised masks plus an
                intercept column, exactly the problem 'coar fit --solver ols' solves. Prints each time and the
                extrapolation to the full store from the model t = n * (alpha + beta * m) fitted to the points
                (p fixed; lstsq's SVD costs ~ n*p^2 and applying it ~ n*p*m).

  saga          The reference's solver, MadryLab/fast_l1 regressor.train_saga, re-implemented line by line in
                numpy float32 (SAGA steps with the gradient table, the glmnet-style inner stopping rule checked every
                epoch, lambda steps every early_stopping.check_every epochs, then the refit on train + validation
                rows that run_regression.py does), driven as the COAR configs drive it (k = 1, manual_max_lambda = 0,
                lr = 1e-3, early_stopping eps = 1e-10, check_every = 3, random batch order). It runs on a synthetic
                problem scaled down 10x in rows, components and batch size (4,500 + 500 rows, 230 components, batch
                250: the same rows/components ratio, components/batch ratio and batches per epoch as the CIFAR
                config), so epochs-to-stop carry over; it prints the epochs, the accuracy reached against the exact
                least-squares answer, and seconds per epoch here.

Run from the repository root: /usr/bin/python3 tools/bench_fit_reference.py lstsq /tmp/coar-bench-store
                              /usr/bin/python3 tools/bench_fit_reference.py saga [--examples 50] [--max-epochs 3000]
Deterministic (seeded). Needs Debian's python3-numpy. Reads only.
"""
import argparse
import json
import time

import numpy as np


def standardised_design(x):
    mean = x.mean(axis=0)
    std = x.std(axis=0)
    z = (x - mean) / np.where(std > 0, std, 1)
    return np.hstack([z, np.ones((len(z), 1))])


def lstsq(store):
    masks = np.load(store + "/masks.npy", mmap_mode="r")
    margins = np.load(store + "/margins.npy", mmap_mode="r")
    points = []
    for n, m in [(4000, 500), (8000, 500), (4000, 1000)]:
        x = np.asarray(masks[:n], dtype=np.float64)
        y = np.asarray(margins[:n, :m], dtype=np.float64)
        a = standardised_design(x)
        t = time.perf_counter()
        np.linalg.lstsq(a, y, rcond=None)
        seconds = time.perf_counter() - t
        points.append((n, m, seconds))
        print(json.dumps({"n": n, "m": m, "p": masks.shape[1], "seconds": round(seconds, 2)}), flush=True)
    # Leading flop counts of LAPACK dgelsd for n >> p (k = p + 1 columns): QR of A, Q^T B, SVD of R, applying it to B.
    def flops(n, m, k=masks.shape[1] + 1):
        return (2 * n * k * k - 2 * k ** 3 / 3) + (4 * n * k * m - 2 * k * k * m) + 8 / 3 * k ** 3 + 4 * k * k * m
    rates = [flops(n, m) / t for n, m, t in points]
    full_n, full_m = masks.shape[0], margins.shape[1]
    full = flops(full_n, full_m)
    print(json.dumps({"model": "seconds = dgelsd leading flops / rate measured at each point",
                      "rates_gflops": [round(r / 1e9, 2) for r in rates],
                      "full": {"n": full_n, "m": full_m, "flops": full},
                      "extrapolated_full_seconds": {"at_slowest_rate": full / min(rates), "at_fastest_rate": full / max(rates)},
                      "memory_note": "the full problem in float64 also needs Y (n x m) = %.1f GB and A = %.1f GB in memory"
                                     % (full_n * full_m * 8 / 1e9, full_n * (masks.shape[1] + 1) * 8 / 1e9)}), flush=True)


def soft_threshold(w, t):
    return np.sign(w) * np.maximum(np.abs(w) - t, 0)


def train_saga(weight, bias, x, y, batch, rng, *, lr, start_lams, lam_decay, num_lambdas, val=None,
               early_stop_freq=3, early_stop_eps=1e-10, update_bias=True, min_lams_to_try=10, max_epochs=None):
    """fast_l1.regressor.train_saga, in numpy; returns (best_lambdas, epochs, stopped_by_its_own_rule).
    max_epochs is a safety cap the reference does not have; hitting it is reported."""
    n, m = y.shape
    num_lambdas += 1
    lam = np.zeros(m, np.float32)
    w_grad_avg = np.zeros_like(weight)
    b_grad_avg = np.zeros_like(bias)
    a_table = np.zeros((n, m), np.float32)
    still = np.ones(m, bool)
    last_mse = np.full(m, np.inf, np.float32)
    best_mse = np.full(m, np.inf, np.float32)
    lambdas_done = np.zeros(m, np.int64)
    best_lambdas = np.zeros(m, np.float32)
    mu = x.mean(axis=0)
    sig = np.sqrt((x ** 2).mean(axis=0) - mu ** 2)
    t = 0
    while True:
        keep = np.nonzero(still)[0]  # the reference computes only on examples still optimising
        prev_w = weight.copy()
        order = rng.permutation(n)
        for start in range(0, n - batch + 1, batch):  # drop_last=True
            idx = order[start:start + batch]
            xb = (x[idx] - mu) / (sig + 1e-32)
            a_prev = a_table[np.ix_(idx, keep)]
            residual = xb @ weight[:, keep] + bias[keep] - y[np.ix_(idx, keep)]
            residual -= a_prev
            w_saga = xb.T @ residual / batch + w_grad_avg[:, keep]
            b_saga = residual.sum(axis=0) / batch + b_grad_avg[keep]
            weight[:, keep] -= lr * w_saga
            if update_bias:
                bias[keep] -= lr * b_saga
            residual += a_prev
            a_table[np.ix_(idx, keep)] = residual
            w_grad_avg[:, keep] = (1 - batch / n) * w_grad_avg[:, keep] + (batch / n) * w_saga
            b_grad_avg[keep] = (1 - batch / n) * b_grad_avg[keep] + (batch / n) * b_saga
            weight[:, keep] = soft_threshold(weight[:, keep], lr * lam[keep])
        deltas = (((prev_w - weight) ** 2) * (sig ** 2)[:, None]).max(axis=0)
        done = deltas < early_stop_eps
        if t % early_stop_freq == early_stop_freq - 1:
            lambdas_done += done & still
            new_fin = lambdas_done == num_lambdas
            if val is not None:
                xv, yv = val
                zv = (xv - mu) / (sig + 1e-32)
                new_mse = ((zv @ weight + bias - yv) ** 2).mean(axis=0)
                got_worse = (new_mse > last_mse) & (lambdas_done >= min_lams_to_try) & ((weight != 0).sum(axis=0) > 1)
                improve = (new_mse <= best_mse) & done
                best_lambdas = np.where(improve, lam, best_lambdas)
                best_mse = np.where(improve, new_mse, best_mse)
            else:
                got_worse = np.zeros(m, bool)
                new_mse = None
            got_worse &= done
            new_fin |= got_worse
            new_fin &= still
            still[new_fin] = False
            last_mse[done] = new_mse[done] if new_mse is not None else 0
            done &= still
            lam[done & (lambdas_done == 1)] = start_lams[done & (lambdas_done == 1)]
            lam[done & (lambdas_done > 1)] *= lam_decay
        t += 1
        if not still.any():
            return best_lambdas, t, True
        if max_epochs is not None and t >= max_epochs:
            return best_lambdas, t, False


def saga(examples, max_epochs):
    rng = np.random.default_rng(7)
    n_train, n_val, p, batch = 4500, 500, 230, 250
    n = n_train + n_val
    x = (rng.random((n, p)) < 0.9).astype(np.float32)
    w_true = rng.normal(scale=np.sqrt(3 / (p * 0.09)), size=(p, examples)).astype(np.float32)
    y = (x @ w_true + 5 + rng.normal(size=(n, examples))).astype(np.float32)

    weight = np.zeros((p, examples), np.float32)
    bias = np.zeros(examples, np.float32)
    t0 = time.perf_counter()
    best_lam, epochs_train, converged_train = train_saga(weight, bias, x[:n_train], y[:n_train], batch, rng, lr=1e-3,
                                        start_lams=np.zeros(examples, np.float32), lam_decay=np.exp(np.log(1e-4) / 1),
                                        num_lambdas=1, val=(x[n_train:], y[n_train:]), max_epochs=max_epochs)
    t1 = time.perf_counter()
    _, epochs_refit, converged_refit = train_saga(weight, bias, x, y, batch, rng, lr=1e-3, start_lams=best_lam,
                                                  lam_decay=1.0, num_lambdas=1, max_epochs=max_epochs)
    t2 = time.perf_counter()

    # The exact answer: least squares on all rows, standardised with their own mean and std (as the refit's stats are).
    a = standardised_design(x.astype(np.float64))
    exact = np.linalg.lstsq(a, y.astype(np.float64), rcond=None)[0]
    err = np.abs(weight - exact[:-1]).max(axis=0) / np.abs(exact[:-1]).max(axis=0)
    pred_saga = a[:, :-1] @ weight + bias
    pred_exact = a @ exact
    r2 = lambda pred: 1 - ((y - pred) ** 2).sum(axis=0) / ((y - y.mean(axis=0)) ** 2).sum(axis=0)
    print(json.dumps({
        "problem": {"train": n_train, "val": n_val, "components": p, "examples": examples, "batch": batch},
        "epochs": {"train_path": epochs_train, "refit": epochs_refit, "total": epochs_train + epochs_refit,
                   "stopped_by_own_rule": {"train_path": converged_train, "refit": converged_refit}},
        "seconds": {"train_path": round(t1 - t0, 2), "refit": round(t2 - t1, 2)},
        "seconds_per_epoch": round((t2 - t0) / (epochs_train + epochs_refit), 4),
        "weight_error_vs_exact_relative": {"median": float(np.median(err)), "max": float(err.max())},
        "in_sample_r2": {"saga_median": float(np.median(r2(pred_saga))), "exact_median": float(np.median(r2(pred_exact)))},
    }), flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="what", required=True)
    p = sub.add_parser("lstsq")
    p.add_argument("store")
    s = sub.add_parser("saga")
    s.add_argument("--examples", type=int, default=50)
    s.add_argument("--max-epochs", type=int, default=3000)
    args = parser.parse_args()
    if args.what == "lstsq":
        lstsq(args.store)
    else:
        saga(args.examples, args.max_epochs)


if __name__ == "__main__":
    main()
