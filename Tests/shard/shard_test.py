"""`descry desc --shard i/n` and `descry merge` (issue 14): 1, 2, 3 and 7 shards of an 8-file
trajectory list merge into files byte-identical to a single-process run, which equals D̄ of
bs:trajectory on each file in order; overlapping, missing and mismatched parts are refused with
a clear message.  python3 Tests/shard/shard_test.py DESCRY"""
import filecmp
import json
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "cli"))
from cases import DESCRY, ROOT, case, finish  # noqa: E402

FIX = os.path.join(ROOT, "Tests", "DescryTestSupport", "Fixtures", "desc", "traj")
work = tempfile.mkdtemp()
PARAMS = ["--twojmax", "6", "--rcutfac", "4.7", "--average", "2"]


def make_inputs():
    """The three trajectory fixtures and five slices of frames of the first one."""
    paths = [os.path.join(FIX, n) for n in ("traj.lammpstrj", "traj_xsu.lammpstrj", "traj.lammpstrj.gz")]
    text = open(paths[0]).read()
    frames = ["ITEM: TIMESTEP" + f for f in text.split("ITEM: TIMESTEP")[1:]]
    for k, sl in enumerate([slice(0, 3), slice(3, 7), slice(1, 6), slice(6, 0, -1), slice(0, 7, 3)]):
        p = os.path.join(work, "slice%d.lammpstrj" % k)
        with open(p, "w") as f:
            f.write("".join(frames[sl]))
        paths.append(p)
    return paths


INPUTS = make_inputs()


def descry(*args, expect=0):
    r = subprocess.run([DESCRY, *args], cwd=work, capture_output=True, text=True, timeout=300)
    if r.returncode != expect:
        raise AssertionError("descry %s: exit %d (expected %d): %s" % (" ".join(args[:3]), r.returncode, expect, r.stderr.strip()))
    return r


def parts(n, params=PARAMS, inputs=None, tag=""):
    out = []
    for i in range(1, n + 1):
        p = os.path.join(work, "part%s_%d_of_%d.json" % (tag, i, n))
        descry("desc", *params, "--shard", "%d/%d" % (i, n), "--out", p, *(inputs or INPUTS))
        out.append(p)
    return out


descry("desc", *PARAMS, "--out", os.path.join(work, "direct"), *INPUTS)


@case
def direct_equals_api():
    """a single-process `descry desc` equals bs:trajectory per file, concatenated (npy bytes)"""
    script = os.path.join(work, "api.lua")
    with open(script, "w") as f:
        f.write("local bs = desc.bispectrum{twojmax = 6, rcutfac = 4.7}\nlocal rows = {}\n")
        f.write("for _, p in ipairs(arg) do local D = bs:trajectory(p, {average = 2})\n")
        f.write("  for r = 1, D:nrows() do for c = 1, D:ncols() do rows[#rows + 1] = D:get(r, c) end end end\n")
        f.write("la.save('api.npy', la.matrix(rows, #rows // bs:ncols(), bs:ncols()))\n")
    descry(script, *INPUTS)
    assert filecmp.cmp(os.path.join(work, "api.npy"), os.path.join(work, "direct.npy"), shallow=False), "direct.npy differs from the API's D"
    m = json.load(open(os.path.join(work, "direct.json")))
    assert [f["path"] for f in m["files"]] == INPUTS and len(m["timesteps"]) == sum(f["nrows"] for f in m["files"])


for n in (1, 2, 3, 7):
    def check(n=n):
        ps = parts(n)
        prefix = os.path.join(work, "merged%d" % n)
        descry("merge", "--out", prefix, *reversed(ps))
        assert filecmp.cmp(prefix + ".npy", os.path.join(work, "direct.npy"), shallow=False), "D differs"
        assert filecmp.cmp(prefix + ".json", os.path.join(work, "direct.json"), shallow=False), "manifest differs"
    check.__doc__ = "%d shard(s) merge byte-identical to the single-process run (D.npy and manifest)" % n
    case(check)

three = [os.path.join(work, "part_%d_of_3.json" % i) for i in (1, 2, 3)]
two = [os.path.join(work, "part_%d_of_2.json" % i) for i in (1, 2)]


def refused(args, message):
    r = descry("merge", "--out", os.path.join(work, "bad"), *args, expect=2)
    assert message in r.stderr, "expected '%s' in: %s" % (message, r.stderr.strip())
    assert not os.path.exists(os.path.join(work, "bad.npy")), "a refused merge wrote output"


@case
def missing_refused():
    """a missing shard is refused, naming it"""
    refused(three[:2], "missing shard(s) 3/3")


@case
def overlapping_refused():
    """the same shard twice is refused as overlapping"""
    refused(three + [three[1]], "shard 2/3 given twice")


@case
def mixed_splits_refused():
    """parts of a 2-way and a 3-way split are refused"""
    refused([two[0], three[1], three[2]], "parts of different splits")


@case
def mismatched_parameters_refused():
    """a part computed with other parameters is refused"""
    other = parts(3, params=["--twojmax", "6", "--rcutfac", "4.5", "--average", "2"], tag="p")
    refused([three[0], other[1], three[2]], "different parameters")


@case
def mismatched_inputs_refused():
    """a part over another input list is refused"""
    other = parts(3, inputs=INPUTS[::-1], tag="i")
    refused([three[0], other[1], three[2]], "different input files")


@case
def bad_shard_argument():
    """--shard 4/3 and --shard x are usage errors"""
    for bad in ("4/3", "0/2", "x"):
        r = descry("desc", *PARAMS, "--shard", bad, "--out", os.path.join(work, "x.json"), INPUTS[0], expect=2)
        assert "--shard expects i/n" in r.stderr, r.stderr


shutil.rmtree(work)
finish()
