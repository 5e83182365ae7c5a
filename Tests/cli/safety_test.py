#!/usr/bin/env python3
"""Data safety of every writer (issue 9, hole 6) and of scripts/setup (hole 7), checked in
subprocesses as a user would meet them:
- a file-size limit (RLIMIT_FSIZE, `ulimit -f`) while la.save (npy), la.savecsv, atoms.write
  (dump, dump.gz, extxyz), json.save and plot.* replace an existing file: a Lua error (exit 1, not
  SIGXFSZ), the old file byte-for-byte intact, no temporary file left;
- a full disk (ENOSPC, a 256 KiB tmpfs in a private mount namespace; skipped where mounting is not
  allowed): the same;
- scripts/setup exits non-zero and does not say "built" when the build fails over an old binary.
Ends with `N passed, N failed[, N skipped]`."""
import os
import resource
import shutil
import subprocess
import tempfile

from cases import DESCRY, ROOT, case, finish

# name -> (file name, Lua statement writing about 1 MB to P)
WRITERS = {
    "la.save npy": ("m.npy", "la.save(P, la.rand(100000, 2))"),
    "la.savecsv": ("m.csv", "la.savecsv(P, la.rand(50000, 2))"),
    "la.save csv": ("n.csv", "la.save(P, la.rand(50000, 2))"),
    "atoms.write dump": ("a.lammpstrj", "atoms.write(P, F)"),
    "atoms.write dump.gz": ("a.lammpstrj.gz", "atoms.write(P, F)"),
    "atoms.write extxyz": ("a.xyz", "atoms.write(P, F)"),
    "json.save": ("v.json", "json.save(P, {x = la.rand(30000, 1)})"),
    "plot.lines svg": ("p.svg", "plot.lines{y = la.rand(20000, 1), file = P}"),
}
PRELUDE = ("local la, atoms, json, plot = require 'descry.la', require 'descry.atoms', "
           "require 'descry.json', require 'descry.plot'\n"
           "local P = arg[1]\n"
           "local F = atoms.frame{positions = la.rand(30000, 3) * 10, "
           "box = {lo = {0, 0, 0}, hi = {10, 10, 10}}}\n")
OLD = b"old content that must survive\n"


def limit_file_size(nbytes):
    def apply():
        resource.setrlimit(resource.RLIMIT_FSIZE, (nbytes, nbytes))
    return apply


def check_writer_under_limit(name, fname, stmt):
    with tempfile.TemporaryDirectory(ignore_cleanup_errors=True) as d:
        path = os.path.join(d, fname)
        with open(path, "wb") as f:
            f.write(OLD)
        script = os.path.join(d, "w.lua")
        with open(script, "w") as f:
            f.write(PRELUDE + stmt + "\n")
        r = subprocess.run([DESCRY, script, path], capture_output=True, text=True, timeout=120,
                           preexec_fn=limit_file_size(64 * 1024), cwd=d)
        assert r.returncode == 1, f"{name}: exit status {r.returncode} (a signal is negative), stderr {r.stderr!r}"
        assert "stack traceback" in r.stderr or "error" in r.stderr.lower() or "cannot" in r.stderr, r.stderr
        with open(path, "rb") as f:
            assert f.read() == OLD, f"{name}: the old file was changed"
        left = sorted(set(os.listdir(d)) - {fname, "w.lua"})
        assert not left, f"{name}: files left behind: {left}"
        return r.stderr


for _name, (_fname, _stmt) in WRITERS.items():
    def _t(name=_name, fname=_fname, stmt=_stmt):
        err = check_writer_under_limit(name, fname, stmt)
        if not name.startswith("plot"):   # gnuplot, a child process, reports its own failure
            assert "File too large" in err, err
    _t.__doc__ = f"{_name}: a file-size limit gives a Lua error; the old file is intact, no temporary left"
    case(_t)


@case
def enospc():
    """every writer on a full disk (ENOSPC): a Lua error, the old file intact, no temporary left"""
    if os.geteuid() != 0 or shutil.which("unshare") is None:
        return "skip"
    probe = subprocess.run(["unshare", "-m", "sh", "-c", "mount -t tmpfs -o size=64k tmpfs /mnt"],
                           capture_output=True)
    if probe.returncode != 0:
        return "skip"
    with tempfile.TemporaryDirectory(ignore_cleanup_errors=True) as d:
        mnt = os.path.join(d, "disk")
        os.mkdir(mnt)
        lines = []
        for name, (fname, stmt) in WRITERS.items():
            with open(os.path.join(d, fname + ".lua"), "w") as f:
                f.write(PRELUDE + stmt + "\n")
            p = os.path.join(mnt, fname)
            lines.append(f"printf 'old content that must survive\\n' > '{p}'; "
                         f"'{DESCRY}' '{d}/{fname}.lua' '{p}' >/dev/null 2>&1; echo \"{name}|$?\"; "
                         f"cat '{p}' | od -c | head -2 | tr -d '\\n'; echo; ls -A '{mnt}' | tr '\\n' ' '; echo; rm -f '{p}'")
        script = f"mount -t tmpfs -o size=256k tmpfs '{mnt}' || exit 99\n" + "\n".join(lines) + "\n"
        r = subprocess.run(["unshare", "-m", "sh", "-c", script], capture_output=True, text=True, timeout=600)
        assert r.returncode != 99, "mount failed"
        out = r.stdout.splitlines()
        assert len(out) == 3 * len(WRITERS), r.stdout + r.stderr
        expect_od = subprocess.run(["sh", "-c", "printf 'old content that must survive\\n' | od -c | head -2 | tr -d '\\n'"],
                                   capture_output=True, text=True).stdout
        for k, (name, (fname, _)) in enumerate(WRITERS.items()):
            label, rc = out[3 * k].split("|")
            assert rc == "1", f"{label}: exit status {rc}"
            assert out[3 * k + 1] == expect_od, f"{label}: old file changed: {out[3 * k + 1]}"
            assert out[3 * k + 2].split() == [fname], f"{label}: files left: {out[3 * k + 2]}"


@case
def writers_leave_nothing_behind():
    """successful writes replace the file, keep its permissions and leave no temporary file"""
    with tempfile.TemporaryDirectory(ignore_cleanup_errors=True) as d:
        for name, (fname, stmt) in WRITERS.items():
            path = os.path.join(d, fname)
            with open(path, "wb") as f:
                f.write(OLD)
            os.chmod(path, 0o640)
            script = os.path.join(d, "w.lua")
            with open(script, "w") as f:
                f.write(PRELUDE + stmt.replace("100000", "10").replace("50000", "10").replace("30000", "10")
                        .replace("20000", "10") + "\n")
            r = subprocess.run([DESCRY, script, path], capture_output=True, text=True, timeout=120, cwd=d)
            assert r.returncode == 0, f"{name}: {r.stderr}"
            with open(path, "rb") as f:
                assert f.read() != OLD, f"{name}: not replaced"
            assert os.stat(path).st_mode & 0o777 == 0o640, f"{name}: permissions {oct(os.stat(path).st_mode)}"
            left = sorted(set(os.listdir(d)) - {fname, "w.lua"})
            assert not left, f"{name}: files left behind: {left}"
            os.remove(path)


@case
def setup_fails_when_build_fails():
    """scripts/setup exits non-zero without 'built' when swift build fails over an old binary"""
    with tempfile.TemporaryDirectory(ignore_cleanup_errors=True) as d:
        os.makedirs(os.path.join(d, "scripts"))
        shutil.copy(os.path.join(ROOT, "scripts", "setup"), os.path.join(d, "scripts", "setup"))
        os.makedirs(os.path.join(d, ".build", "release"))
        old = os.path.join(d, ".build", "release", "descry")
        with open(old, "w") as f:
            f.write("#!/bin/sh\necho old binary\n")
        os.chmod(old, 0o755)
        os.makedirs(os.path.join(d, "bin"))
        fake = os.path.join(d, "bin", "swift")
        with open(fake, "w") as f:
            f.write("#!/bin/sh\necho 'error: something does not compile' >&2\nexit 1\n")
        os.chmod(fake, 0o755)
        env = dict(os.environ)
        env["PATH"] = os.path.join(d, "bin") + os.pathsep + env["PATH"]
        r = subprocess.run(["bash", os.path.join(d, "scripts", "setup")], capture_output=True, text=True,
                           env=env, timeout=300)
        assert r.returncode != 0, f"exit status 0: {r.stdout} {r.stderr}"
        assert "setup: built" not in r.stdout, r.stdout
        assert "build failed" in r.stderr, r.stderr


finish()
