#!/usr/bin/env python3
"""Check a COAR/datamodels-style store directory with numpy itself.

Opens every .npy file in DIR with numpy.load(path, mmap_mode='r') and prints its name, dtype and shape,
then the number of True entries in _completed.npy (if present).

With --expect-json FILE, compares against a JSON object
  {name: {"dtype": "...", "shape": [...], "rows": {"<row index>": [flat values in C order]}}}
(name is the file name without .npy) and exits 1 with a message on the first mismatch.
Values compare exactly (floats as float(x) of the stored element, bools as true/false).

Run:  /usr/bin/python3 tools/check_store_with_numpy.py DIR [--expect-json FILE]
Exit status: 0 = all files opened (and match), 1 = mismatch or unreadable file, 2 = usage error.
Needs Debian's python3-numpy. Deterministic; reads only.
"""
import argparse
import json
import math
import os
import sys

import numpy as np


def flat_values(a):
    a = np.asarray(a).reshape(-1)
    if a.dtype == np.bool_:
        return [bool(x) for x in a]
    if a.dtype.kind in "iu":
        return [int(x) for x in a]
    return [float(x) for x in a]


def same(x, y):
    """Exact comparison; bools only equal bools; floats also compare the sign of zero."""
    if isinstance(x, bool) or isinstance(y, bool):
        return isinstance(x, bool) and isinstance(y, bool) and x == y
    if isinstance(x, float) or isinstance(y, float):
        x, y = float(x), float(y)
        if math.isnan(x) or math.isnan(y):
            return math.isnan(x) and math.isnan(y)
        return x == y and math.copysign(1.0, x) == math.copysign(1.0, y)
    return x == y


def fail(msg):
    print("MISMATCH: " + msg, file=sys.stderr)
    sys.exit(1)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("dir")
    ap.add_argument("--expect-json")
    args = ap.parse_args()
    if not os.path.isdir(args.dir):
        print(f"not a directory: {args.dir}", file=sys.stderr)
        sys.exit(2)

    arrays = {}
    for fn in sorted(os.listdir(args.dir)):
        if not fn.endswith(".npy"):
            continue
        path = os.path.join(args.dir, fn)
        try:
            a = np.load(path, mmap_mode="r")
        except Exception as e:  # noqa: BLE001
            fail(f"{fn}: numpy cannot open it: {e}")
        arrays[fn[:-4]] = a
        print(f"{fn[:-4]}\t{a.dtype.name}\t{list(a.shape)}")
    if "_completed" in arrays:
        print(f"completed: {int(np.count_nonzero(arrays['_completed']))}")

    if args.expect_json:
        with open(args.expect_json, encoding="utf-8") as f:
            expected = json.load(f)
        for name, e in expected.items():
            if name not in arrays:
                fail(f"{name}.npy missing from {args.dir}")
            a = arrays[name]
            if "dtype" in e and a.dtype != np.dtype(e["dtype"]):
                fail(f"{name}: dtype {a.dtype.name}, expected {e['dtype']}")
            if "shape" in e and list(a.shape) != list(e["shape"]):
                fail(f"{name}: shape {list(a.shape)}, expected {e['shape']}")
            for row, vals in e.get("rows", {}).items():
                r = int(row)
                if not 0 <= r < a.shape[0]:
                    fail(f"{name}: row {r} out of range for shape {list(a.shape)}")
                got = flat_values(a[r])
                if len(got) != len(vals):
                    fail(f"{name}[{r}]: {len(got)} values, expected {len(vals)}")
                for i, (g, x) in enumerate(zip(got, vals)):
                    if not same(g, x):
                        fail(f"{name}[{r}] element {i}: {g!r}, expected {x!r}")
        print("OK: matches " + args.expect_json)


if __name__ == "__main__":
    main()
