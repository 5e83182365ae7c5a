"""descry.mpi under `mpirun -n 2` and `-n 3` (MPICH hydra, oversubscribed is fine) and as a
singleton (issue 14): every collective on every kind of value, communicator split and errors
(collectives.lua); a rank's uncaught error aborts the job with its message within seconds;
bs:trajectory spread over ranks equals the serial result bit for bit for 1/2/3 ranks and
1/2/3 threads; `descry analyse` on a dump ensemble writes once (rank 0) and byte-identical
outputs for any rank/thread count; MPI disabled or its library missing.
  python3 Tests/mpi/mpi_test.py DESCRY"""
import filecmp
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "cli"))
from cases import DESCRY, ROOT, case, finish  # noqa: E402

HERE = os.path.join(ROOT, "Tests", "mpi")
MPIRUN = shutil.which("mpirun.mpich") or shutil.which("mpirun")
work = tempfile.mkdtemp(prefix="descry-mpi-")
# hydra: no core binding (2 cores run 3 ranks); a clean environment of launcher variables
BASE_ENV = {k: v for k, v in os.environ.items() if not k.startswith(("PMI_", "PMIX_", "DESCRY_MPI"))}


def run(args, ranks=None, env=None, timeout=120):
    cmd = [DESCRY, *args] if ranks is None else [MPIRUN, "-n", str(ranks), "-bind-to", "none", DESCRY, *args]
    e = dict(BASE_ENV, **(env or {}))
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=timeout, env=e)


def ok(r, what):
    assert r.returncode == 0, "%s: exit %d: %s%s" % (what, r.returncode, r.stdout[-2000:], r.stderr[-2000:])
    return r


def need_mpirun():
    assert MPIRUN, "mpirun not found: scripts/setup --test installs Debian's mpich"


@case
def singleton_collectives():
    """without mpirun: one rank, MPI loaded but not initialised, every collective works"""
    r = ok(run(["Tests/mpi/collectives.lua", "1"]), "singleton")
    assert "collectives ok: rank 0 of 1" in r.stdout, r.stdout
    r = ok(run(["-e", "local m = require 'descry.mpi' print(m.library, m.initialized, m.world:size())"]), "fields")
    assert r.stdout.split() == ["libmpich.so.12", "false", "1"], r.stdout


@case
def no_mpi_library():
    """no MPI library (DESCRY_MPI=0): a one-rank world saying so; a bad DESCRY_MPI_LIBRARY is an error"""
    r = ok(run(["Tests/mpi/collectives.lua", "1"], env={"DESCRY_MPI": "0"}), "DESCRY_MPI=0")
    assert "collectives ok: rank 0 of 1" in r.stdout, r.stdout
    r = ok(run(["-e", "local m = require 'descry.mpi' print(m.library, m.note)"], env={"DESCRY_MPI": "0"}), "fields")
    assert r.stdout.startswith("nil\tMPI disabled"), r.stdout
    r = run(["-e", "require 'descry.mpi'"], env={"DESCRY_MPI_LIBRARY": "/nonexistent/libmpich.so"})
    assert r.returncode != 0 and "cannot load DESCRY_MPI_LIBRARY=/nonexistent/libmpich.so" in r.stderr, r.stderr


@case
def singleton_init():
    """DESCRY_MPI=1 without a launcher: an initialised MPI singleton (size 1)"""
    r = ok(run(["Tests/mpi/collectives.lua", "1"], env={"DESCRY_MPI": "1"}), "singleton init")
    assert "collectives ok: rank 0 of 1" in r.stdout, r.stdout
    r = ok(run(["-e", "print(require('descry.mpi').initialized)"], env={"DESCRY_MPI": "1"}), "initialized")
    assert r.stdout.strip() == "true", r.stdout


for n in (2, 3):
    def collectives(n=n):
        need_mpirun()
        r = ok(run(["Tests/mpi/collectives.lua", str(n)], ranks=n), "collectives")
        for k in range(n):
            assert "collectives ok: rank %d of %d" % (k, n) in r.stdout, r.stdout
    collectives.__doc__ = "mpirun -n %d: every collective on every kind, split, mismatches and bad values raise on every rank" % n
    case(collectives)


for n in (2, 3):
    def abort(n=n):
        need_mpirun()
        script = os.path.join(work, "fail.lua")
        with open(script, "w") as f:
            f.write("local mpi = require 'descry.mpi'\n"
                    "local function deep() error('disk full on the last rank') end\n"
                    "if mpi.rank() == mpi.size() - 1 then deep() end\n"
                    "mpi.barrier()\nprint('not reached')\n")
        t0 = time.monotonic()
        r = run([script], ranks=n, timeout=30)
        took = time.monotonic() - t0
        seen = "exit %d after %.1f s; stdout %r; stderr %r" % (r.returncode, took, r.stdout[-1000:], r.stderr[-2000:])
        assert r.returncode != 0, seen
        assert took < 10, seen
        assert "not reached" not in r.stdout, seen
        err = r.stderr
        assert "descry: rank %d of %d: %s:2: disk full on the last rank" % (n - 1, n, script) in err, seen
        assert "stack traceback:" in err and "in local 'deep'" in err, seen
        assert "aborting the MPI job" in err, seen
    abort.__doc__ = "mpirun -n %d: an error on the last rank aborts the job (its rank, message, traceback) within 10 s" % n
    case(abort)


TRAJ = {}


@case
def trajectory_serial_threads():
    """bs:trajectory of an 8-file trajectory: the same bits on 1, 2 and 3 threads (no MPI)"""
    for t in (1, 2, 3):
        out = os.path.join(work, "traj-serial-t%d.txt" % t)
        ok(run(["Tests/mpi/trajectory.lua", out, str(t), "serial"]), "serial %d threads" % t)
        TRAJ[("serial", t)] = out
    a = open(TRAJ[("serial", 1)]).read()
    assert len(a.splitlines()) == 24, len(a.splitlines())
    for t in (2, 3):
        assert filecmp.cmp(TRAJ[("serial", 1)], TRAJ[("serial", t)], shallow=False), "%d threads differ" % t


for n, t in ((1, 1), (2, 1), (2, 2), (3, 1), (3, 2)):
    def trajectory(n=n, t=t):
        need_mpirun()
        out = os.path.join(work, "traj-mpi-n%d-t%d.txt" % (n, t))
        ok(run(["Tests/mpi/trajectory.lua", out, str(t), "comm"], ranks=n), "mpirun")
        assert filecmp.cmp(TRAJ[("serial", 1)], out, shallow=False), "differs from the serial run"
    trajectory.__doc__ = "mpirun -n %d, %d thread(s): distributed D̄ and V̄ of the 8-file trajectory equal the serial ones bit for bit" % (n, t)
    case(trajectory)


ENS = os.path.join(work, "ens")
os.makedirs(ENS)
ok(run([os.path.join(HERE, "make_dump_ensemble.lua"), ENS]), "make_dump_ensemble")
VOLATILE = ("command", "runtime_s", "started_utc")


def analyse(ranks, description="e.lua", tag=""):
    out = os.path.join(ENS, "out-%s%s" % (ranks or "serial", tag))
    r = ok(run(["analyse", os.path.join(ENS, description), "--out", out], ranks=ranks), "analyse")
    return out, r


def manifest(out):
    m = json.load(open(os.path.join(out, "manifest.json")))
    for k in VOLATILE:
        m.pop(k, None)
    return m


SERIAL_OUT, SERIAL_RUN = analyse(None)


for n in (2, 3):
    def analyse_ranks(n=n):
        need_mpirun()
        before = set(os.listdir(ENS))
        out, r = analyse(n)
        made = set(os.listdir(ENS)) - before
        assert made == {os.path.basename(out)}, "left behind: %s" % sorted(made)
        assert r.stdout == SERIAL_RUN.stdout, "the report on stdout differs (or is printed more than once)"
        assert r.stderr.count("done in") == 1, r.stderr
        files = sorted(os.listdir(SERIAL_OUT))
        assert sorted(os.listdir(out)) == files, (files, os.listdir(out))
        for f in files:
            if f != "manifest.json":
                assert filecmp.cmp(os.path.join(SERIAL_OUT, f), os.path.join(out, f), shallow=False), f + " differs"
        assert manifest(out) == manifest(SERIAL_OUT), "manifest.json differs beyond command, runtimes and date"
    analyse_ranks.__doc__ = "mpirun -n %d descry analyse (D̄, V̄ from dumps): one output folder, files byte-identical to the singleton run" % n
    case(analyse_ranks)


@case
def analyse_threads():
    """descry analyse with D̄ on 3 threads (singleton and mpirun -n 2): outputs byte-identical to 1 thread"""
    need_mpirun()
    for ranks in (None, 2):
        out, _ = analyse(ranks, "e_t3.lua", "-t3")
        for f in sorted(os.listdir(SERIAL_OUT)):
            if f == "manifest.json":
                continue
            a = open(os.path.join(SERIAL_OUT, f), "rb").read()
            b = open(os.path.join(out, f), "rb").read()
            if f == "report.md":  # the report names the description file
                b = b.replace(b"e_t3.lua", b"e.lua")
            assert a == b, "%s differs (%s ranks)" % (f, ranks)


shutil.rmtree(work, ignore_errors=True)
finish()
