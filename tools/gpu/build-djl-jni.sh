#!/usr/bin/env bash
# Builds DJL's PyTorch JNI bridge (libdjl_torch.so) from its source against a libtorch that has
# headers (a pip/conda torch package, or libtorch from pytorch.org), so that DJL can run that
# libtorch through PYTORCH_LIBRARY_PATH when no prebuilt bridge exists for its version.
#
#   tools/gpu/build-djl-jni.sh --src DJL_SRC --torch TORCH_DIR --out FILE [--include DIR]... [--libdir DIR]
#   tools/gpu/build-djl-jni.sh --check --src DJL_SRC --include DIR...   (compile only: do the sources fit these headers?)
#
# DJL_SRC is the folder tools/gpu/prepare-bundle.sh fills: DJL's native sources at the DJL version
# the workbench uses (engines/pytorch/pytorch-native/src/main/native, api/src/main/native), the JNI
# header generated from that version's PyTorchLibrary.java (jni-header/) and the JDK's jni.h
# (jni-include/). TORCH_DIR is the torch package folder (with include/ and lib/); --include and
# --libdir override its layout (e.g. Debian's libtorch-dev: --include /usr/include --include
# /usr/include/torch/csrc/api/include --libdir /usr/lib/x86_64-linux-gnu). No CMake: one g++ per
# source file, in parallel, then one link. The bridge is built without USE_CUDA: CUDA kernels come
# from libtorch_cuda, which DJL loads; the flag only adds a separate-stream option and emptyCache.
set -euo pipefail

src="" torch="" out="" libdir="" abi="" check=""
includes=()
while [ $# -gt 0 ]; do
  case "$1" in
    --src) src="$2"; shift 2 ;;
    --torch) torch="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --include) includes+=("$2"); shift 2 ;;
    --libdir) libdir="$2"; shift 2 ;;
    --abi) abi="$2"; shift 2 ;;
    --check) check=1; shift ;;
    *) echo "build-djl-jni: unknown argument $1" >&2; exit 2 ;;
  esac
done
if [ -z "$src" ] || { [ -z "$out" ] && [ -z "$check" ]; } || { [ -z "$torch" ] && [ ${#includes[@]} -eq 0 ]; }; then
  echo "usage: build-djl-jni.sh --src DJL_SRC --torch TORCH_DIR --out FILE [--include DIR]... [--libdir DIR] [--abi 0|1]" >&2
  exit 2
fi
if [ ${#includes[@]} -eq 0 ]; then
  includes=("$torch/include" "$torch/include/torch/csrc/api/include")
fi
libdir="${libdir:-$torch/lib}"
native="$src/engines/pytorch/pytorch-native/src/main/native"
needs=("$native" "$src/api/src/main/native/djl/utils.h" "$src/jni-header" "$src/jni-include/jni.h")
[ -n "$check" ] || needs+=("$libdir/libtorch.so")
for need in "${needs[@]}"; do
  if [ ! -e "$need" ]; then
    echo "build-djl-jni: $need is missing" >&2
    exit 1
  fi
done

# The C++ ABI libtorch was built with: TorchConfig.cmake says it; else ask the torch package.
if [ -z "$abi" ]; then
  config="$(find "$libdir/.." "$libdir" -maxdepth 5 -name TorchConfig.cmake 2>/dev/null | head -1 || true)"
  if [ -n "$config" ] && grep -q "_GLIBCXX_USE_CXX11_ABI=" "$config"; then
    abi="$(grep -o "_GLIBCXX_USE_CXX11_ABI=[01]" "$config" | head -1 | cut -d= -f2)"
  elif [ -n "$torch" ] && python3 -c "import torch" 2>/dev/null; then
    abi="$(python3 -c "import torch; print(int(torch._C._GLIBCXX_USE_CXX11_ABI))")"
  else
    abi=1
  fi
fi

# libtorch 1.13 to 2.1 need DJL's V1_13_X switch (c10::variant instead of std::variant).
version_h="$(for d in "${includes[@]}"; do
  grep -l "#define TORCH_VERSION_MAJOR" "$d/torch/headeronly/version.h" "$d/torch/csrc/api/include/torch/version.h" 2>/dev/null
done | head -1 || true)"
defines=()
if [ -n "$version_h" ]; then
  major="$(sed -n 's/^#define TORCH_VERSION_MAJOR \([0-9]*\).*/\1/p' "$version_h")"
  minor="$(sed -n 's/^#define TORCH_VERSION_MINOR \([0-9]*\).*/\1/p' "$version_h")"
  echo "build-djl-jni: libtorch headers $major.$minor, C++11 ABI $abi"
  if [ "$major" = 1 ] || { [ "$major" = 2 ] && [ "${minor:-9}" -le 1 ]; }; then
    defines+=("-DV1_13_X")
  fi
fi

# DJL's sources are C++17; libtorch's headers ask for C++20 since they say so in ATen.h.
standard=c++17
for d in "${includes[@]}"; do
  if grep -qs "C++20 or later" "$d/ATen/ATen.h"; then
    standard=c++20
  fi
done

work="$(mktemp -d "${TMPDIR:-/tmp}/djl-jni.XXXXXX")"
trap 'rm -rf "$work"' EXIT
flags=("-std=$standard" -O2 -fPIC -w "-D_GLIBCXX_USE_CXX11_ABI=$abi" "${defines[@]}"
       -I"$src/jni-header" -I"$src/jni-include" -I"$src/jni-include/linux" -I"$src/api/src/main/native" -I"$native")
for d in "${includes[@]}"; do flags+=(-I"$d"); done
echo "build-djl-jni: compiling as $standard"
start=$(date +%s)
# One compiler per core; each source file is independent.
jobs="$(nproc)" running=0 failed=0
for file in "$native"/*.cc; do
  if [ -n "$check" ]; then
    g++ "${flags[@]}" -fsyntax-only "$file" &
  else
    g++ "${flags[@]}" -c "$file" -o "$work/$(basename "$file" .cc).o" &
  fi
  running=$((running + 1))
  if [ "$running" -ge "$jobs" ]; then
    wait -n || failed=1
    running=$((running - 1))
  fi
done
while [ "$running" -gt 0 ]; do
  wait -n || failed=1
  running=$((running - 1))
done
if [ "$failed" != 0 ]; then
  echo "build-djl-jni: compiling DJL's sources against these headers failed (errors above)" >&2
  exit 1
fi
if [ -n "$check" ]; then
  echo "build-djl-jni: DJL's sources compile against these headers ($(( $(date +%s) - start )) s)"
  exit 0
fi
libs=(-ltorch -ltorch_cpu -lc10)
g++ -shared -o "$out.tmp" "$work"/*.o -L"$libdir" -Wl,-rpath,'$ORIGIN' -Wl,--no-as-needed "${libs[@]}"
mv "$out.tmp" "$out"
echo "build-djl-jni: built $out in $(( $(date +%s) - start )) s"
