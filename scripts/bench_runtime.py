#!/usr/bin/env python3
"""Runtime benchmarks: start-up to exit of `descry -e 'print(1)'` vs `lua5.4 -e 'print(1)'`
(median of 41 runs), and the cost of one call from Lua into a trivial Swift-implemented function
(core.nop) vs a trivial C function (core.cnop, and lua5.4's coroutine.running) in a loop (median of 7
runs of 10^7 calls, empty-loop time subtracted)."""
import os
import shutil
import statistics
import subprocess
import sys
import time

descry = sys.argv[1] if len(sys.argv) > 1 else ".build/release/descry"
lua = shutil.which("lua5.4")


def startup(cmd, n=41):
    ts = []
    for _ in range(n):
        t0 = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, check=True)
        ts.append(time.perf_counter() - t0)
    return statistics.median(ts)




def call_cost(cmd, fn):
    code = f"""
local f, N = {fn}, 10000000
local clock = os.clock
local t0 = clock(); for i = 1, N do end; local bare = clock() - t0
local xs = {{}}
for r = 1, 7 do
  local t1 = clock(); for i = 1, N do f() end; xs[r] = (clock() - t1 - bare) / N * 1e9
end
table.sort(xs)
print(xs[4])
"""
    out = subprocess.run(cmd + ["-e", code], capture_output=True, text=True, check=True).stdout
    return float(out.strip())


print("== runtime: start-up (median of 41 runs)")
d = startup([descry, "-e", "print(1)"])
print(f"  descry -e 'print(1)'  {d * 1e3:7.2f} ms")
if lua:
    l = startup([lua, "-e", "print(1)"])
    print(f"  lua5.4 -e 'print(1)'  {l * 1e3:7.2f} ms   ratio descry/lua5.4 = {d / l:.1f}")
print("== runtime: one call from Lua (ns, median of 7 x 1e7 calls, bare loop subtracted)")
sw = call_cost([descry], "core.nop")
cc = call_cost([descry], "core.cnop")
print(f"  Swift function core.nop     {sw:6.1f} ns")
print(f"  C function core.cnop        {cc:6.1f} ns   ratio Swift/C = {sw / cc:.2f}")
if lua:
    lc = call_cost([lua], "coroutine.running")
    print(f"  lua5.4 coroutine.running {lc:6.1f} ns")
