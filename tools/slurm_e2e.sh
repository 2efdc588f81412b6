#!/usr/bin/env bash
# End-to-end test of cluster builds against a real SLURM (Debian's slurm-wlm and munge): starts a
# single-node cluster on loopback, submits a 4-task array filling one demo store, kills one task
# hard in the middle of its range, resubmits it, and checks that the store equals a single-process
# build with the same seed (masks bit for bit, margins within float16 rounding). Bounded in time;
# stops everything it started. Skips, saying why, only where SLURM cannot start.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d /tmp/coar-slurm-e2e.XXXXXX)"
pids=()
cleanup() {
  set +e
  [ -n "${SLURM_CONF:-}" ] && scancel --full --signal=KILL -u "$(id -un)" >/dev/null 2>&1
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null; done
  sleep 1
  for pid in "${pids[@]}"; do kill -9 "$pid" 2>/dev/null; done
  rm -rf "$work"
}
trap cleanup EXIT
skip() { echo "slurm e2e: SKIPPED: $*"; exit 0; }
fail() { echo "slurm e2e: FAILED: $*"; for f in "$work"/store/logs/*.out; do [ -f "$f" ] && { echo "== $f"; tail -20 "$f"; }; done; exit 1; }
waitfor() { # seconds, description, command...
  local limit=$1 what=$2; shift 2
  for _ in $(seq "$limit"); do "$@" && return 0; sleep 1; done
  fail "timed out after ${limit}s waiting for $what"
}

for cmd in slurmctld slurmd sbatch munged; do command -v "$cmd" >/dev/null || skip "$cmd not installed (apt-get install slurm-wlm munge)"; done
python3 -c "import numpy" 2>/dev/null || skip "python3 with numpy is needed to compare the stores (apt-get install python3-numpy)"

# munge with its own key and socket, so a system munged is neither needed nor disturbed.
mkdir -p "$work"/{munge,state,spool,log}
dd if=/dev/urandom of="$work/munge/key" bs=1024 count=1 status=none
chmod 700 "$work/munge"; chmod 400 "$work/munge/key"
munged --force --socket="$work/munge/sock" --key-file="$work/munge/key" --pid-file="$work/munge/pid" \
  --log-file="$work/munge/log" --seed-file="$work/munge/seed" || skip "munged did not start"
pids+=("$(cat "$work/munge/pid")")

port=$((20000 + RANDOM % 20000))
export SLURM_CONF="$work/slurm.conf"
cat > "$SLURM_CONF" <<CONF
ClusterName=coare2e
SlurmctldHost=localhost
SlurmUser=$(id -un)
SlurmdUser=$(id -un)
AuthType=auth/munge
AuthInfo=socket=$work/munge/sock
CredType=cred/munge
StateSaveLocation=$work/state
SlurmdSpoolDir=$work/spool
SlurmctldPidFile=$work/slurmctld.pid
SlurmdPidFile=$work/slurmd.pid
SlurmctldLogFile=$work/log/slurmctld.log
SlurmdLogFile=$work/log/slurmd.log
SlurmctldPort=$port
SlurmdPort=$((port + 1))
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
MpiDefault=none
KillWait=5
NodeName=localhost NodeAddr=127.0.0.1 CPUs=2 RealMemory=8000 State=UNKNOWN
PartitionName=e2e Nodes=localhost Default=YES MaxTime=INFINITE State=UP
CONF
slurmctld -c || skip "slurmctld did not start"
slurmd -c || skip "slurmd did not start"
sleep 1
pids+=("$(cat "$work/slurmctld.pid" 2>/dev/null)" "$(cat "$work/slurmd.pid" 2>/dev/null)")
node_idle() { sinfo -h -o %t 2>/dev/null | grep -q idle; }
for _ in $(seq 30); do node_idle && break; sleep 1; done
node_idle || skip "the SLURM node did not come up (see $work/log)"
echo "slurm e2e: single-node cluster up on 127.0.0.1:$port"

cd "$root"
./coar --version >/dev/null   # build once, before tasks start the launcher in parallel
demo="$root/src/main/resources/org/coar/workbench/demo"
# 120 rows per task: long enough (about 10-20 s per task on an idle machine) that task 1 is still
# running when the test sees its first rows and kills it.
rows=480
printf '{"num_models": %d, "schema": {"masks": {"dtype": "bool_", "shape": [240]}, "margins": {"dtype": "float16", "shape": [1000]}}}\n' $rows > "$work/spec.json"
./coar init --spec "$work/spec.json" --store "$work/store" >/dev/null
./coar init --spec "$work/spec.json" --store "$work/reference" >/dev/null
./coar slurm --store "$work/store" --tasks 4 --gpus-per-task 0 --cpus-per-task 1 \
  --model "$demo/fashion_cnn.pt" --data "$demo/eval-images-idx3-ubyte.gz" --alpha 0.05 --seed 7
job=$(sbatch --parsable "$work/store/coar-build.sbatch" | cut -d';' -f1)
echo "slurm e2e: submitted array job $job"

task1_busy() { grep -lsE '"slurm_task" ?: ?"1"' "$work"/store/tasks/*.json 2>/dev/null | xargs -r grep -hE '"rows_built" ?: ?([3-9]|[1-9][0-9])' >/dev/null; }
waitfor 300 "task 1 to build a few rows" task1_busy
scancel --full --signal=KILL "${job}_1" || fail "could not kill task 1 (did it finish before the kill? see squeue/sacct)"
echo "slurm e2e: killed task 1 mid-range"
job_gone() { [ -z "$(squeue -h -j "$job" 2>/dev/null)" ]; }
waitfor 600 "the array to finish" job_gone

incomplete=$(python3 - "$work/store" <<'PY'
import sys, numpy as np
done = np.load(sys.argv[1] + "/_completed.npy")
print(int((~done).sum()))
PY
)
[ "$incomplete" -gt 0 ] || fail "task 1 was killed but its whole range completed; the kill came too late to test anything"
echo "slurm e2e: $incomplete rows pending after the kill; resubmitting task 1"
job2=$(sbatch --parsable --array=1 "$work/store/coar-build.sbatch" | cut -d';' -f1)
job=$job2
waitfor 600 "the resubmitted task" job_gone

./coar build --store "$work/reference" --model "$demo/fashion_cnn.pt" --data "$demo/eval-images-idx3-ubyte.gz" \
  --alpha 0.05 --seed 7 --devices cpu >/dev/null 2>&1
python3 - "$work/store" "$work/reference" <<'PY' || fail "the cluster-built store differs from the single-process build"
import sys, numpy as np
a, b = sys.argv[1], sys.argv[2]
assert np.load(a + "/_completed.npy").all(), "not every row completed"
assert (np.load(a + "/masks.npy") == np.load(b + "/masks.npy")).all(), "masks differ"
x = np.load(a + "/margins.npy").astype(np.float64); y = np.load(b + "/margins.npy").astype(np.float64)
tol = np.maximum(np.abs(y) * 2.0 ** -10, 2.0 ** -14)   # one float16 rounding step
bad = np.abs(x - y) > tol
assert not bad.any(), f"{bad.sum()} margins differ beyond float16 rounding, max {np.abs(x - y).max()}"
print("slurm e2e: store equals the single-process build (masks bit for bit, margins within float16 rounding)")
PY
ls "$work"/store/claims | grep -q . && fail "claims left behind: $(ls "$work"/store/claims)"
"$root/coar" info "$work/store" | tail -8
echo "slurm e2e: PASSED"
