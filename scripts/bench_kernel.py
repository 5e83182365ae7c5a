#!/usr/bin/env python3
"""`scripts/bench kernel`: the descry Jupyter kernel against IPython's kernel (ipykernel), in one
run, through jupyter_client (what every frontend uses): kernel start (process launch) to the
first execute_reply (median and worst of --starts, after one warm-up start per kernel whose time,
printed apart, includes jupyter_client's one-time set-up in this process: ~0.3 s before it even
launches the first kernel), and the round trip of an empty execute_request (send to
execute_reply, and to the status idle that ends its outputs; medians over --trips). Ratio
descry/ipykernel.
Usage: bench_kernel.py [path/to/descry] [--starts N] [--trips N]"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

from jupyter_client.manager import KernelManager

ap = argparse.ArgumentParser()
ap.add_argument("descry", nargs="?", default=".build/release/descry")
ap.add_argument("--starts", type=int, default=20)
ap.add_argument("--trips", type=int, default=300)
args = ap.parse_args()

tmp = tempfile.mkdtemp(prefix="descry-bench-kernel-")
prefix = os.path.join(tmp, "prefix")
subprocess.run([args.descry, "kernel", "install", "--prefix", prefix], check=True, capture_output=True)
os.environ["JUPYTER_PATH"] = os.path.join(prefix, "share", "jupyter")
os.environ["JUPYTER_RUNTIME_DIR"] = os.path.join(tmp, "runtime")


def wait_reply(kc, msg_id):
    while True:
        reply = kc.get_shell_msg(timeout=60)
        if reply["parent_header"].get("msg_id") == msg_id:
            return reply


def wait_idle(kc, msg_id):
    while True:
        msg = kc.get_iopub_msg(timeout=60)
        if (msg["parent_header"].get("msg_id") == msg_id and msg["msg_type"] == "status"
                and msg["content"]["execution_state"] == "idle"):
            return


def start_to_first_reply(name):
    km = KernelManager(kernel_name=name)
    t0 = time.perf_counter()
    km.start_kernel(stderr=subprocess.DEVNULL)
    kc = km.blocking_client()
    kc.start_channels()
    wait_reply(kc, kc.execute(""))
    dt = time.perf_counter() - t0
    kc.stop_channels()
    km.shutdown_kernel(now=True)
    return dt


def round_trips(name, n):
    km = KernelManager(kernel_name=name)
    km.start_kernel(stderr=subprocess.DEVNULL)
    kc = km.blocking_client()
    kc.start_channels()
    kc.wait_for_ready(timeout=60)
    for _ in range(20):  # warm-up
        msg_id = kc.execute("")
        wait_reply(kc, msg_id)
        wait_idle(kc, msg_id)
    to_reply, to_idle = [], []
    for _ in range(n):
        t0 = time.perf_counter()
        msg_id = kc.execute("")
        wait_reply(kc, msg_id)
        t1 = time.perf_counter()
        wait_idle(kc, msg_id)
        t2 = time.perf_counter()
        to_reply.append(t1 - t0)
        to_idle.append(t2 - t0)
    kc.stop_channels()
    km.shutdown_kernel(now=True)
    return statistics.median(to_reply), statistics.median(to_idle)


rows = {}
warm_up = {}
for name in ("descry", "python3"):
    warm_up[name] = start_to_first_reply(name)
    starts = [start_to_first_reply(name) for _ in range(args.starts)]
    reply, idle = round_trips(name, args.trips)
    rows[name] = (statistics.median(starts), max(starts), reply, idle)

print(f"kernel start → first execute_reply (median and worst of {args.starts}), "
      f"empty execute round trip (median of {args.trips})")
print(f"{'kernel':<22}{'start (ms)':>12}{'worst (ms)':>12}{'reply (ms)':>12}{'idle (ms)':>12}")
for name, label in (("descry", "descry kernel"), ("python3", "ipykernel")):
    s, w, r, i = rows[name]
    print(f"{label:<22}{s * 1e3:>12.1f}{w * 1e3:>12.1f}{r * 1e3:>12.3f}{i * 1e3:>12.3f}")
d, p = rows["descry"], rows["python3"]
print(f"{'ratio descry/ipykernel':<22}{d[0] / p[0]:>12.2f}{d[1] / p[1]:>12.2f}{d[2] / p[2]:>12.2f}{d[3] / p[3]:>12.2f}")
print(f"warm-up starts (not counted): descry {warm_up['descry'] * 1e3:.1f} ms, "
      f"ipykernel {warm_up['python3'] * 1e3:.1f} ms")
