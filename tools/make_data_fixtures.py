#!/usr/bin/env python3
"""Make the evaluation-data test fixtures for org.coar.workbench.data, with numpy and Pillow.

Writes (relative to the repository root), everything under src/test/resources/data/:
  npy/inputs_uint8.npy        uint8 (7, 1, 2, 3), random            npy/labels_int64.npy  int64 (7,)
  npy/inputs_float64.npy      float64 (5, 3, 2, 2), random normal   npy/labels_uint8.npy  uint8 (5,)
  npy/expected_uint8.npy      float32: inputs_uint8.astype(float32) / 255, then [::3][:2]  (skip 3, limit 2)
  npy/expected_float64.npy    float32: inputs_float64.astype(float32), normalised
                              (x - MEAN[c]) / STD[c] in float32 like torchvision's Normalize
  images/folder/CLASS/...     an ImageFolder tree: PNG (RGB, L, LA, RGBA, 1-bit), GIF (palette), BMP,
                              one image in a nested subfolder; sizes from 5x5 to 20x11
  images/expected_<name>.npy  float32 (N, 3, H, W) as torchvision would produce with
                              ImageFolder(folder, Compose([Resize(r)?, CenterCrop(c)?, ToTensor()])):
                              Pillow decodes, convert("RGB"), Image.resize(BILINEAR) to torchvision's size,
                              center crop with torchvision's offsets (zero padding when the crop is larger)
  images/expected_labels.npy  int64 (N,) class indices in ImageFolder order
  images/expected.json        {"files": [...], "classes": [...], "cases": {name: {"resize": r|null, "crop": c|null}}}

Run from the repository root:  /usr/bin/python3 tools/make_data_fixtures.py
Deterministic (fixed seed). Needs Debian's python3-numpy and python3-pil (no torchvision: its
ImageFolder ordering, Resize size rule and CenterCrop offsets are restated below, with the
torchvision source lines they follow).
"""
import json
import os
import shutil

import numpy as np
from PIL import Image

ROOT = os.path.join("src", "test", "resources", "data")
NPY = os.path.join(ROOT, "npy")
IMAGES = os.path.join(ROOT, "images")
FOLDER = os.path.join(IMAGES, "folder")

MEAN = np.array([0.5, 0.25, -1.0], dtype=np.float32)
STD = np.array([0.5, 2.0, 0.125], dtype=np.float32)

# Java's DataSpec values for the cases below; the Java test reads them from expected.json.
CASES = {
    "resize8_crop6": {"resize": 8, "crop": 6},
    "crop5": {"resize": None, "crop": 5},
    "crop8": {"resize": None, "crop": 8},
}

IMG_EXTENSIONS = (".jpg", ".jpeg", ".png", ".ppm", ".bmp", ".pgm", ".tif", ".tiff", ".webp", ".gif")


def make_npy(rng):
    os.makedirs(NPY, exist_ok=True)
    x8 = rng.integers(0, 256, size=(7, 1, 2, 3), dtype=np.uint8)
    x8[0, 0, 0, :] = [0, 255, 128]  # the ends of the range, and a value that is not a multiple of 1/255 in binary
    y8 = np.array([3, 0, 9, 1, 1, 7, 2], dtype=np.int64)
    np.save(os.path.join(NPY, "inputs_uint8.npy"), x8)
    np.save(os.path.join(NPY, "labels_int64.npy"), y8)
    np.save(os.path.join(NPY, "expected_uint8.npy"), (x8.astype(np.float32) / np.float32(255))[::3][:2])

    x64 = rng.normal(size=(5, 3, 2, 2))
    y64 = np.array([4, 4, 0, 2, 255], dtype=np.uint8)
    np.save(os.path.join(NPY, "inputs_float64.npy"), x64)
    np.save(os.path.join(NPY, "labels_uint8.npy"), y64)
    normalised = (x64.astype(np.float32) - MEAN[:, None, None]) / STD[:, None, None]
    assert normalised.dtype == np.float32
    np.save(os.path.join(NPY, "expected_float64.npy"), normalised)


def save(image, *parts):
    path = os.path.join(FOLDER, *parts)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    image.save(path)


def make_image_folder(rng):
    shutil.rmtree(FOLDER, ignore_errors=True)

    def rgb(w, h):
        return Image.fromarray(rng.integers(0, 256, size=(h, w, 3), dtype=np.uint8), "RGB")

    def gray(w, h):
        return Image.fromarray(rng.integers(0, 256, size=(h, w), dtype=np.uint8), "L")

    # Class names sort as airplane < bird < cat; files are listed out of order on purpose.
    save(rgb(12, 9), "cat", "b.png")
    save(rgb(7, 10), "cat", "a.png")
    save(rgb(16, 16), "cat", "nested", "a.png")
    save(gray(20, 11), "airplane", "gray.png")
    save(Image.fromarray(rng.integers(0, 256, size=(6, 9, 2), dtype=np.uint8), "LA"), "airplane", "gray_alpha.png")
    save(rgb(9, 6).quantize(colors=16), "bird", "palette.gif")
    save(rgb(5, 5), "bird", "small.bmp")
    save(Image.fromarray(rng.integers(0, 256, size=(8, 13, 4), dtype=np.uint8), "RGBA"), "bird", "rgba.png")
    save(Image.fromarray(rng.integers(0, 2, size=(7, 6), dtype=np.uint8) * 255, "L").convert("1"), "bird", "z_bits.png")
    with open(os.path.join(FOLDER, "bird", "notes.txt"), "w") as notes:
        notes.write("not an image: ImageFolder ignores files without an image extension\n")


def image_folder_samples(root):
    # torchvision.datasets.folder.find_classes / make_dataset
    classes = sorted(entry.name for entry in os.scandir(root) if entry.is_dir())
    samples = []
    for index, name in enumerate(classes):
        for folder, _, names in sorted(os.walk(os.path.join(root, name), followlinks=True)):
            for file_name in sorted(names):
                if file_name.lower().endswith(IMG_EXTENSIONS):
                    samples.append((os.path.join(folder, file_name), index))
    return classes, samples


def resize(image, size):
    # torchvision.transforms.functional._compute_resized_output_size, then PIL's resize
    w, h = image.size
    short, long = (w, h) if w <= h else (h, w)
    new_short, new_long = size, int(size * long / short)
    new_w, new_h = (new_short, new_long) if w <= h else (new_long, new_short)
    if (new_w, new_h) == (w, h):
        return image
    return image.resize((new_w, new_h), Image.BILINEAR)


def center_crop(chw, crop):
    # torchvision.transforms.functional.center_crop: zero padding when the crop is larger, then round()
    _, h, w = chw.shape
    if crop > w or crop > h:
        pad_l = (crop - w) // 2 if crop > w else 0
        pad_t = (crop - h) // 2 if crop > h else 0
        pad_r = (crop - w + 1) // 2 if crop > w else 0
        pad_b = (crop - h + 1) // 2 if crop > h else 0
        chw = np.pad(chw, ((0, 0), (pad_t, pad_b), (pad_l, pad_r)))
        _, h, w = chw.shape
    top = int(round((h - crop) / 2.0))
    left = int(round((w - crop) / 2.0))
    return chw[:, top:top + crop, left:left + crop]


def make_expected():
    classes, samples = image_folder_samples(FOLDER)
    cases = {}
    for name, case in CASES.items():
        tensors = []
        for path, _ in samples:
            image = Image.open(path).convert("RGB")
            if case["resize"] is not None:
                image = resize(image, case["resize"])
            chw = np.asarray(image, dtype=np.float32).transpose(2, 0, 1) / np.float32(255)  # ToTensor
            if case["crop"] is not None:
                chw = center_crop(chw, case["crop"])
            tensors.append(chw)
        np.save(os.path.join(IMAGES, "expected_" + name + ".npy"), np.stack(tensors).astype(np.float32))
        cases[name] = case
    np.save(os.path.join(IMAGES, "expected_labels.npy"), np.array([label for _, label in samples], dtype=np.int64))
    with open(os.path.join(IMAGES, "expected.json"), "w") as out:
        json.dump({"files": [os.path.relpath(path, FOLDER) for path, _ in samples], "classes": classes, "cases": cases},
                  out, indent=2)
        out.write("\n")


def main():
    rng = np.random.default_rng(20240611)
    make_npy(rng)
    make_image_folder(rng)
    make_expected()


if __name__ == "__main__":
    main()
