#!/usr/bin/env bash
# Installs NVIDIA's CUDA 13 runtime, cuBLAS and cuSOLVER pip wheels (and cuSOLVER's cuSPARSE and
# nvJitLink) into target/cuda-libs/site-packages, where CudaRuntimeTest finds them: the FFM bindings
# are then tested against the real libraries (they load, report versions, and without a GPU refuse
# with the reason). About 1 GB unpacked; CI leaves it out and the test skips, saying so.
# Usage: tools/cuda_libs_for_tests.sh [PYTHON (default python3)]
set -euo pipefail
cd "$(dirname "$0")/.."
python=${1:-python3}
"$python" -m pip install --quiet --no-deps --target target/cuda-libs/site-packages \
  nvidia-cuda-runtime nvidia-cublas nvidia-cusolver nvidia-cusparse nvidia-nvjitlink
ls target/cuda-libs/site-packages/nvidia/*/lib/
