#!/usr/bin/env python3
"""Make the numpy .npy test fixtures for the COAR Workbench Java .npy reader/writer.

Writes (relative to the repository root):
  src/test/resources/npy/<dtype>_2x3.npy          one 2x3 array per dtype (bool_ -> bool_2x3.npy, uint8, int8, int16, int32,
                                                   int64, float16, float32, float64), np.save (header v1.0)
  src/test/resources/npy/float16_extra_2x3.npy    float16 subnormals, -0.0, min normal, -65504, 1+2^-10
  src/test/resources/npy/v1_float32.npy, v2_float32.npy, v3_float32.npy
                                                   float32 (4,5) arange(20)*0.5 with header versions 1.0/2.0/3.0
  src/test/resources/npy/scalar_rows.npy           float32 shape (5,)
  src/test/resources/npy/multi_d.npy               int32 shape (3,2,4) arange
  src/test/resources/npy/empty_rows.npy            float32 shape (0,3)
  src/test/resources/npy/bad_*.npy                 files the Java reader must refuse (Fortran order, big-endian,
                                                   object/pickle, structured dtype, truncated data, not .npy)
  src/test/resources/npy/expected_values.json      {filename: {dtype, shape, values (flat, C order)}} for the good files
  src/test/resources/store/spec_small.json         {"num_models": 6, schema masks bool_[7], margins float16[3]}
  src/test/resources/store/spec_test.json          the reference COAR/datamodels test spec (100 models)
  src/test/resources/store/numpy_store/            store made like datamodels' initialize_store.py, rows 1 and 4
                                                   filled like its worker (then _completed[row] = True)
  src/test/resources/store/numpy_store_expected.json
                                                   {name: {dtype, shape, rows: {row: flat values}}} for the filled rows
                                                   (the format tools/check_store_with_numpy.py --expect-json reads)

Run from the repository root:  /usr/bin/python3 tools/make_npy_fixtures.py
Deterministic (no randomness). Needs Debian's python3-numpy.
"""
import json
import os
import shutil

import numpy as np

NPY_DIR = os.path.join("src", "test", "resources", "npy")
STORE_RES = os.path.join("src", "test", "resources", "store")

VALUES = {
    "bool_": [[True, False, True], [False, False, True]],
    "uint8": [[0, 255, 1], [128, 127, 42]],
    "int8": [[-128, 127, -1], [0, 1, -42]],
    "int16": [[-32768, 32767, -1], [0, 1, -12345]],
    "int32": [[-2147483648, 2147483647, -1], [0, 1, -123456789]],
    "int64": [[-9223372036854775808, 9223372036854775807, -1], [0, 1, -1234567890123]],
    "float16": [[0.5, -2.25, 65504.0], [1e-4, 0.0, 3.140625]],
    "float32": [[0.1, -1.5, 3.4028234663852886e38], [1.1754943508222875e-38, -0.0, 1.401298464324817e-45]],
    "float64": [[0.1, -2.5, 1.7976931348623157e308], [5e-324, -1e-300, 3.141592653589793]],
}


def to_json_values(arr):
    flat = arr.reshape(-1)
    if arr.dtype == np.bool_:
        return [bool(x) for x in flat]
    if arr.dtype.kind in "iu":
        return [int(x) for x in flat]
    return [float(x) for x in flat]


def entry(arr):
    return {"dtype": arr.dtype.name, "shape": list(arr.shape), "values": to_json_values(arr)}


def main():
    os.makedirs(NPY_DIR, exist_ok=True)
    expected = {}

    # 1. one file per dtype
    for name, vals in VALUES.items():
        arr = np.array(vals, dtype=getattr(np, name))
        fn = f"{name.rstrip('_')}_2x3.npy"  # bool_ -> bool_2x3.npy
        np.save(os.path.join(NPY_DIR, fn), arr)
        expected[fn] = entry(arr)
    extra = np.array([[2.0 ** -24, -(2.0 ** -15), -0.0], [2.0 ** -14, -65504.0, 1.0 + 2.0 ** -10]], dtype=np.float16)
    np.save(os.path.join(NPY_DIR, "float16_extra_2x3.npy"), extra)
    expected["float16_extra_2x3.npy"] = entry(extra)

    # 2. header versions
    arr = (np.arange(20, dtype=np.float32) * np.float32(0.5)).reshape(4, 5)
    for v in (1, 2, 3):
        fn = f"v{v}_float32.npy"
        with open(os.path.join(NPY_DIR, fn), "wb") as f:
            np.lib.format.write_array(f, arr, version=(v, 0))
        expected[fn] = entry(arr)

    # 3. shapes
    shapes = {
        "scalar_rows.npy": np.array([1.5, -2.0, 0.25, 100.0, -0.125], dtype=np.float32),
        "multi_d.npy": np.arange(24, dtype=np.int32).reshape(3, 2, 4),
        "empty_rows.npy": np.zeros((0, 3), dtype=np.float32),
    }
    for fn, a in shapes.items():
        np.save(os.path.join(NPY_DIR, fn), a)
        expected[fn] = entry(a)

    # 4. bad files
    np.save(os.path.join(NPY_DIR, "bad_fortran.npy"),
            np.asfortranarray(np.arange(12, dtype=np.float32).reshape(3, 4)))
    np.save(os.path.join(NPY_DIR, "bad_bigendian.npy"), np.arange(6, dtype=">f4").reshape(2, 3))
    obj = np.empty(3, dtype=object)
    obj[:] = ["a", 1, None]
    np.save(os.path.join(NPY_DIR, "bad_object.npy"), obj, allow_pickle=True)
    st = np.zeros(4, dtype=[("a", "<i4"), ("b", "<f4")])
    st["a"] = [1, 2, 3, 4]
    st["b"] = [0.5, 1.5, 2.5, 3.5]
    np.save(os.path.join(NPY_DIR, "bad_structured.npy"), st)
    trunc_path = os.path.join(NPY_DIR, "bad_truncated.npy")
    np.save(trunc_path, np.arange(1000, dtype=np.float32).reshape(100, 10))
    size = os.path.getsize(trunc_path)
    with open(trunc_path, "r+b") as f:
        f.truncate(size - 100)
    with open(os.path.join(NPY_DIR, "bad_not_npy.npy"), "w", encoding="ascii") as f:
        f.write("hello, this is not numpy\n")

    with open(os.path.join(NPY_DIR, "expected_values.json"), "w", encoding="utf-8") as f:
        json.dump(expected, f, indent=1)
        f.write("\n")

    # 5. a store as made by COAR/datamodels initialize_store.py + worker writes
    os.makedirs(STORE_RES, exist_ok=True)
    spec_small = {"num_models": 6, "schema": {"masks": {"dtype": "bool_", "shape": [7]},
                                              "margins": {"dtype": "float16", "shape": [3]}}}
    spec_small_path = os.path.join(STORE_RES, "spec_small.json")
    with open(spec_small_path, "w", encoding="utf-8") as f:
        json.dump(spec_small, f, indent=4)
        f.write("\n")

    store_dir = os.path.join(STORE_RES, "numpy_store")
    if os.path.isdir(store_dir):
        shutil.rmtree(store_dir)
    os.makedirs(store_dir)
    spec = json.load(open(spec_small_path, encoding="utf-8"))
    num_models = spec["num_models"]
    for key, meta in spec["schema"].items():
        mm = np.lib.format.open_memmap(os.path.join(store_dir, f"{key}.npy"), mode="w+",
                                       dtype=getattr(np, meta["dtype"]), shape=(num_models, *meta["shape"]))
        mm.flush()
        del mm
    mm = np.lib.format.open_memmap(os.path.join(store_dir, "_completed.npy"), mode="w+",
                                   dtype=bool, shape=(num_models,))
    mm.flush()
    del mm

    # worker: open r+, write the row of each key, then mark completed, flush
    rows = {
        1: {"masks": np.array([True, False, True, True, False, False, True]),
            "margins": np.array([1.5, -0.25, 3.140625], dtype=np.float16)},
        4: {"masks": np.array([False, True, True, False, True, True, False]),
            "margins": np.array([-7.0, 0.0009765625, 65504.0], dtype=np.float16)},
    }
    store_expected = {k: {"dtype": np.dtype(getattr(np, m["dtype"])).name,
                          "shape": [num_models, *m["shape"]], "rows": {}} for k, m in spec["schema"].items()}
    store_expected["_completed"] = {"dtype": "bool", "shape": [num_models], "rows": {}}
    for row, data in rows.items():
        for key, value in data.items():
            mm = np.load(os.path.join(store_dir, f"{key}.npy"), mmap_mode="r+")
            mm[row] = value
            mm.flush()
            store_expected[key]["rows"][str(row)] = to_json_values(np.asarray(mm[row]))
            del mm
        comp = np.load(os.path.join(store_dir, "_completed.npy"), mmap_mode="r+")
        comp[row] = True
        comp.flush()
        del comp
        store_expected["_completed"]["rows"][str(row)] = [True]
    with open(os.path.join(STORE_RES, "numpy_store_expected.json"), "w", encoding="utf-8") as f:
        json.dump(store_expected, f, indent=2)
        f.write("\n")

    # 6. the reference test spec
    spec_test = {"num_models": 100, "schema": {"masks": {"dtype": "bool_", "shape": [2304]},
                                               "test_margins": {"dtype": "float16", "shape": [10000]}}}
    with open(os.path.join(STORE_RES, "spec_test.json"), "w", encoding="utf-8") as f:
        json.dump(spec_test, f, indent=4)
        f.write("\n")

    # self-check: every good file loads back to the expected values
    for fn, e in expected.items():
        a = np.load(os.path.join(NPY_DIR, fn))
        assert a.dtype.name == e["dtype"] and list(a.shape) == e["shape"], fn
        assert to_json_values(a) == e["values"], fn
    print(f"wrote {len(expected)} good .npy files, 6 bad ones, and the store in {store_dir}")


if __name__ == "__main__":
    main()
