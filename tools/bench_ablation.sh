#!/usr/bin/env bash
# Side-by-side ablation benchmark on the demo, in one run: the workbench's engine as configured
# by default, the reference's execution pattern on the same engine, and the reference Python
# approach (deep copy + zero + evaluate) on Debian's PyTorch. Prints machine details first.
set -euo pipefail
cd "$(dirname "$0")/.."
echo "## machine"; lscpu | grep -E "Model name|^CPU\(s\)"; free -g | sed -n 2p; uptime
echo "## workbench: one single-threaded replica per core, batch 100 (the default)"
./coar bench ablation --rows 10 --rounds 6 --build-rows 300
echo "## workbench engine, reference pattern: one replica with 2-thread ops, batch 1000"
COAR_JAVA_OPTS="-Dai.djl.pytorch.num_threads=2" ./coar bench ablation --workers 1 --batch-size 1000 --rows 10 --rounds 6 --build-rows 100
echo "## reference (PyTorch deepcopy + zero + eval), 2 threads"
for bs in 1000 100; do /usr/bin/python3 tools/bench_reference_build.py --models 40 --threads 2 --batch-size "$bs"; done
