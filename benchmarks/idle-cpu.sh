#!/usr/bin/env bash
# Idle CPU of the local durable cluster: starts it (deploy/local/cluster up, with the caller's CP_* settings), waits
# IDLE_WAIT seconds (300) with no request, then prints the CPU time of the three silos over IDLE_WINDOW seconds (60),
# that of their four busiest threads, and the wake-ups per silo of the threads that wake most (voluntary context
# switches), all read from /proc. Threads are read every 2 s, so that one which ends within the window (the JIT's
# tiering thread ends after a few idle seconds and starts again on demand) is still counted. Stops the cluster at the end.
# Why 300 s: for the first minutes after a start the runtime is still compiling the silos' periodic paths again at
# its optimizing tier (tiered JIT: 0.7 s of CPU in the minute after 120 s, 0.1 s after 300 s); that is the end of
# the start, not what an idle cluster costs (docs/benchmarks.md, "An idle cluster, measured after its start").
# Code run every 5 s, 10 s, 15 s… reaches that tier about 60 calls later (dynamic PGO compiles it twice), so smaller
# bursts come back at about 300 s, 600 s, 900 s: IDLE_WAIT=420 IDLE_WINDOW=600 gives a settled figure
# (docs/benchmarks.md, "An idle cluster over twenty minutes").
# usage: CP_SILO_BIN=… CP_FLEET_BIN=… benchmarks/idle-cpu.sh LABEL
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cluster=$root/deploy/local/cluster
"$cluster" down --purge >/dev/null 2>&1 || true
"$cluster" up >/dev/null
trap '"$cluster" down --purge >/dev/null 2>&1' EXIT
sleep "${IDLE_WAIT:-300}"
pids=$(cat "${CP_CLUSTER_DIR:-$root/.local/cluster}"/pids/silo-?.pid)
python3 - "${1:-idle}" "${IDLE_WINDOW:-60}" $pids <<'PY'
import os, re, sys, time
label, window, pids = sys.argv[1], float(sys.argv[2]), sys.argv[3:]
tick = os.sysconf('SC_CLK_TCK')
def snap():
    cpu, wakes, used = 0, {}, {}
    for pid in pids:
        stat = open(f'/proc/{pid}/stat').read()
        fields = stat[stat.rindex(')') + 2:].split()
        cpu += int(fields[11]) + int(fields[12])
        for task in os.listdir(f'/proc/{pid}/task'):
            try:
                name = re.sub(r'\d+', '', open(f'/proc/{pid}/task/{task}/comm').read().strip())
                status = open(f'/proc/{pid}/task/{task}/status').read()
                wakes[(pid, task, name)] = int(re.search(r'voluntary_ctxt_switches:\s+(\d+)', status).group(1))
                task_stat = open(f'/proc/{pid}/task/{task}/stat').read()
                task_fields = task_stat[task_stat.rindex(')') + 2:].split()
                used[(pid, task, name)] = int(task_fields[11]) + int(task_fields[12])
            except (OSError, AttributeError):
                pass
    return cpu, wakes, used
def add(totals, after, before):
    # Per thread name, what each thread seen at the later read used since the earlier one (all of it if it started between).
    for key, value in after.items():
        totals[key[2]] = totals.get(key[2], 0) + value - before.get(key, 0)
start = time.time(); cpu0, wakes_prev, used_prev = snap(); wakes, used = {}, {}
while time.time() - start < window:
    time.sleep(2)
    cpu1, wakes_now, used_now = snap()
    add(wakes, wakes_now, wakes_prev); add(used, used_now, used_prev)
    wakes_prev, used_prev = wakes_now, used_now
elapsed = time.time() - start
ordered = lambda totals: sorted(totals.items(), key=lambda kv: -kv[1])
busiest = ', '.join(f'{name} {count / elapsed / len(pids):.0f}/s' for name, count in ordered(wakes)[:3])
# The JIT's tiering thread (.NET Tiered Com) shows here while it still compiles after a start: not idle work.
threads = ', '.join(f'{name} {ticks / tick:.2f} s' for name, ticks in ordered(used)[:4])
seconds = (cpu1 - cpu0) / tick
print(f'{label}: {seconds:.2f} s CPU in {elapsed:.0f} s = {100 * seconds / elapsed:.1f} % of a core ({len(pids)} silos); '
      f'by thread: {threads}; wake-ups per silo: {busiest}; load {open("/proc/loadavg").read().split()[0]}')
PY
