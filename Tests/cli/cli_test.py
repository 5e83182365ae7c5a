#!/usr/bin/env python3
"""Checks the `descry` command line as a user meets it: the lua-style script runner (`arg`,
`...`, -e, -l, -i, -, --), shebang scripts, error exit status and traceback, --version/--help,
module search next to the script and through DESCRY_PATH, `descry test` failure reports with
file:line, `descry notebook check` diffs and `notebook run` write-back, scripts/install.
Ends with `N passed, N failed`."""
import json
import os
import shutil
import subprocess
import tempfile

from cases import DESCRY, ROOT, case, finish


def run(args, stdin=None, env=None, cwd=None):
    e = dict(os.environ)
    e.update(env or {})
    return subprocess.run([DESCRY] + args, input=stdin, capture_output=True, text=True,
                          env=e, cwd=cwd, timeout=60)


def write(path, text, mode=0o644):
    with open(path, "w") as f:
        f.write(text)
    os.chmod(path, mode)


@case
def script_args():
    """script receives arg table and ... as lua.c does"""
    d = tempfile.mkdtemp()
    write(f"{d}/s.lua", "print(arg[0], arg[1], arg[2], #arg, select('#', ...), ...)\nprint(arg[-1] ~= nil)")
    r = run([f"{d}/s.lua", "a", "b c"])
    assert r.returncode == 0, r.stderr
    assert r.stdout == f"{d}/s.lua\ta\tb c\t2\t2\ta\tb c\ntrue\n", repr(r.stdout)


@case
def exec_and_require():
    """-e runs code, -l requires a module into a global, several in order"""
    r = run(["-l", "p=descry.pretty", "-e", "x = 5", "-e", "print(p.format({x, x + 1}))"])
    assert r.returncode == 0 and r.stdout == "{5, 6}\n", (r.stdout, r.stderr)


@case
def stdin_script():
    """'-' and a non-terminal stdin run stdin as a script"""
    r = run(["-"], stdin="print(1 + 2)")
    assert r.stdout == "3\n", r.stdout
    r = run([], stdin="print('piped')")
    assert r.stdout == "piped\n", r.stdout


@case
def uncaught_error():
    """an uncaught error prints message and traceback with file:line, exit status 1"""
    d = tempfile.mkdtemp()
    write(f"{d}/bad.lua", "local function f()\n  core.fail('broken input')\nend\nf()\n")
    r = run([f"{d}/bad.lua"])
    assert r.returncode == 1, r.returncode
    assert f"descry: {d}/bad.lua:2: core.fail: broken input" in r.stderr, r.stderr
    assert "stack traceback:" in r.stderr and f"{d}/bad.lua:4: in main chunk" in r.stderr, r.stderr
    r = run(["-e", "x = = 1"])
    assert r.returncode == 1 and "unexpected symbol" in r.stderr, r.stderr


@case
def shebang():
    """#!/usr/bin/env descry scripts run directly"""
    d = tempfile.mkdtemp()
    os.symlink(DESCRY, f"{d}/descry")
    write(f"{d}/hello", "#!/usr/bin/env descry\nprint('hello from ' .. arg[0])\n", 0o755)
    env = dict(os.environ, PATH=d + ":" + os.environ["PATH"])
    r = subprocess.run([f"{d}/hello"], capture_output=True, text=True, env=env, timeout=30)
    assert r.returncode == 0 and r.stdout == f"hello from {d}/hello\n", (r.stdout, r.stderr)


@case
def version_help():
    """--version and --help print and exit 0; unknown options fail"""
    r = run(["--version"])
    assert r.returncode == 0 and r.stdout.startswith("descry 0."), r.stdout
    r = run(["--help"])
    assert r.returncode == 0 and "usage: descry" in r.stdout and "notebook check" in r.stdout
    r = run(["--bogus"])
    assert r.returncode == 1 and "unrecognized option '--bogus'" in r.stderr


@case
def interactive_after_script():
    """-i runs the script, then the REPL (reading the remaining input)"""
    d = tempfile.mkdtemp()
    write(f"{d}/setup.lua", "answer = 42\n")
    r = run(["-i", f"{d}/setup.lua"], stdin="answer + 1\n")
    assert r.returncode == 0 and "43" in r.stdout, (r.stdout, r.stderr)


@case
def user_modules_next_to_script():
    """require finds modules next to the script; DESCRY_PATH overrides the stdlib path"""
    d = tempfile.mkdtemp()
    write(f"{d}/mymod.lua", "return {value = 7}\n")
    write(f"{d}/main.lua", "print(require('mymod').value)\n")
    r = run([f"{d}/main.lua"], cwd="/")
    assert r.stdout == "7\n", (r.stdout, r.stderr)
    r = run(["-e", "print(require('descry.pretty') ~= nil)"], env={"DESCRY_PATH": "/nonexistent"})
    assert "cannot load the stdlib" in r.stderr, r.stderr


@case
def lua_test_runner_reports():
    """descry test reports failures with file:line and ends with N passed, N failed"""
    d = tempfile.mkdtemp()
    write(f"{d}/demo_test.lua", "local T = require 'descry.test'\n"
          "T.test('good', function() T.eq(1, 1) end)\n"
          "T.test('bad', function()\n  T.near(1.0, 1.5, 1e-6)\nend)\n"
          "T.test('raises', function() T.raises(function() error('x') end, 'x') end)\n")
    r = run(["test", d])
    assert r.returncode == 1, r.returncode
    assert f"{d}/demo_test.lua:4: not near" in r.stdout, r.stdout
    assert r.stdout.strip().splitlines()[-1] == "2 passed, 1 failed", r.stdout


@case
def notebook_check_and_run():
    """notebook check shows a diff and fails; notebook run writes outputs back"""
    d = tempfile.mkdtemp()
    nb = f"{d}/nb.txt"
    write(nb, "Prose line.\n\n> 1 + 1\n3\n\n%% tolerance 1e-6\n> 1/3\n0.3333334\n\n> print('a')\n>> print('')\n")
    r = run(["notebook", "check", nb])
    assert r.returncode == 1 and f"{nb}:3: output differs" in r.stdout and "  - 3" in r.stdout \
        and "  + 2" in r.stdout, r.stdout
    assert r.stdout.strip().splitlines()[-1] == "1 passed, 2 failed", r.stdout
    r = run(["notebook", "run", nb])
    assert r.returncode == 0, r.stdout
    text = open(nb).read()
    assert text == "Prose line.\n\n> 1 + 1\n2\n\n%% tolerance 1e-6\n> 1/3\n0.3333334\n\n> print('a')\n>> print('')\na\n<BLANKLINE>\n", repr(text)
    r = run(["notebook", "check", nb])
    assert r.returncode == 0, r.stdout


@case
def notebook_setup_and_timeout():
    """%% setup cells run uncompared (fail on error); %% timeout stops a runaway cell"""
    d = tempfile.mkdtemp()
    nb = f"{d}/nb.txt"
    text = "%% setup\n> x = 20; print('not compared')\n\n> x + 1\n21\n\n%% timeout 0.3\n> while true do end\n"
    write(nb, text)
    r = run(["notebook", "check", nb])
    assert r.returncode == 1 and f"{nb}:8: cell timed out after 0.3 s" in r.stdout, r.stdout
    assert r.stdout.strip().splitlines()[-1] == "2 passed, 1 failed", r.stdout
    r = run(["notebook", "run", nb])
    assert r.returncode == 1 and "timed out" in r.stderr and open(nb).read() == text, (r.stdout, r.stderr)
    write(nb, "%% setup\n> x = 20; print('kept out')\n\n> x + 1\n")
    r = run(["notebook", "run", nb])
    assert r.returncode == 0, r.stdout + r.stderr
    assert open(nb).read() == "%% setup\n> x = 20; print('kept out')\n\n> x + 1\n21\n", open(nb).read()
    write(nb, "%% setup\n> error('setup broke')\n\n> 1\n1\n")
    r = run(["notebook", "check", nb])
    assert r.returncode == 1 and "setup cell failed" in r.stdout and "setup broke" in r.stdout, r.stdout
    r = run(["notebook", "check", nb])
    r = run(["notebook", "run", nb])
    assert r.returncode == 1 and open(nb).read() == "%% setup\n> error('setup broke')\n\n> 1\n1\n"


@case
def require_dotted_like_lua54():
    """-l with dotted module names and -l g=mod behave as lua5.4 (global named after the module)"""
    d = tempfile.mkdtemp()
    os.makedirs(f"{d}/a")
    write(f"{d}/a/b.lua", "return {n = 1}\n")
    probe = "print(type(_G['a.b']), a, x and x.n)"
    r = run(["-l", "a.b", "-l", "x=a.b", "-e", probe], cwd=d, env={"LUA_PATH": "./?.lua;;"})
    assert r.returncode == 0 and r.stdout == "table\tnil\t1\n", (r.stdout, r.stderr)
    r = run(["-l", "descry.la", "-e", "print(_G['descry.la'].zeros(1, 2):shape())"])
    assert r.returncode == 0 and r.stdout == "1\t2\n", (r.stdout, r.stderr)
    lua = shutil.which("lua5.4")
    if lua:
        ref = subprocess.run([lua, "-l", "a.b", "-l", "x=a.b", "-e", probe], capture_output=True,
                             text=True, cwd=d)
        assert ref.stdout == "table\tnil\t1\n", ref.stdout


@case
def install_prefix():
    """scripts/install PREFIX gives a descry that finds its stdlib"""
    d = tempfile.mkdtemp()
    r = subprocess.run([f"{ROOT}/scripts/install", d], capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    r = subprocess.run([f"{d}/bin/descry", "-e", "print(require('descry.pretty').format({1}))"],
                       capture_output=True, text=True, cwd="/", timeout=30)
    assert r.stdout == "{1}\n" and r.stderr == "", (r.stdout, r.stderr)
    # the installed kernelspec starts the installed launcher
    r = subprocess.run([f"{d}/bin/descry", "kernel", "install", "--prefix", f"{d}/jupyter"], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    with open(f"{d}/jupyter/share/jupyter/kernels/descry/kernel.json") as f:
        assert json.load(f)["argv"][0] == os.path.realpath(f"{d}/bin/descry-kernel"), "kernel.json argv"


@case
def main_job():
    """main job wrapper: scripts/main.lua runs descry analyse on the bundled ensemble"""
    d = tempfile.mkdtemp()
    r = subprocess.run([DESCRY, "scripts/main.lua", "--out", f"{d}/pt", "--only", "estimators"], capture_output=True,
                       text=True, cwd=ROOT, timeout=300)
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("# Pt nanoparticles"), r.stdout[:100]
    assert "## 1. Linear estimators on held-out trajectories" in r.stdout, r.stdout
    assert os.path.exists(f"{d}/pt/report.md") and os.path.exists(f"{d}/pt/manifest.json")
    r = subprocess.run([DESCRY, "scripts/main.lua", "--stride", "x"], capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 2 and "unknown option '--stride'" in r.stderr, r.stderr
    assert "stack traceback" not in r.stderr, r.stderr


@case
def lammps_input():
    """lammps-input prints the exact input the LAMMPS fixtures ran; --help; bad options exit 2"""
    fx = os.path.join(ROOT, "Tests", "DescryTestSupport", "Fixtures", "lammpsinput")
    with open(os.path.join(fx, "args.txt")) as f:
        args = f.read().split()
    with open(os.path.join(fx, "input.lmp")) as f:
        expected = f.read()
    r = run(["lammps-input"] + args)
    assert r.returncode == 0 and r.stderr == "", r.stderr
    assert r.stdout == expected, "descry lammps-input no longer prints the input LAMMPS ran (rerun scripts/gen_lammps_input_fixtures.py)"
    r = run(["lammps-input", "--help"])
    assert r.returncode == 0 and "--average-positions" in r.stdout and "compute reduce sum" in r.stdout, r.stdout
    for bad, message in [(["--twojmax", "x"], "--twojmax: 'x' is not an integer"),
                         (["--nfreq", "7", "--nevery", "2"], "Nfreq a multiple of Nevery"),
                         (["--output", "a b"], "without spaces"),
                         (["--radelem", "0.5,0.4", "--types", "1"], "than types"),
                         (["--frobnicate", "1"], "unknown option '--frobnicate'")]:
        r = run(["lammps-input"] + bad)
        assert r.returncode == 2 and message in r.stderr and r.stdout == "", (bad, r.stderr)


# Digest printed by scripts/yield-figures.lua on data/al-yield-300K (sum of the held-out stress R²
# table, TwoNN window estimates / 100 and M(D̄) at yield / 100); regenerate with the script.
YIELD_DIGEST = 11.139696


def png_size(path):
    """(width, height) from a PNG header."""
    with open(path, "rb") as f:
        head = f.read(24)
    assert head[:8] == b"\x89PNG\r\n\x1a\n", path
    return int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")


@case
def yield_job():
    """yielding job (Figs. 1 and 3): report sections, figures written with their sizes, data digest"""
    d = tempfile.mkdtemp()
    r = subprocess.run([DESCRY, "scripts/yield-figures.lua", "--out", d], capture_output=True, text=True,
                       cwd=ROOT, timeout=600)
    assert r.returncode == 0, r.stderr
    for section in ["1a. Stress of X̄", "pressure p = −tr σ/3", "1b. Scalar estimators", "Shockley",
                    "2. VAR forecasts", "window pre-yield", "window spanning", "coverage of the 90% band",
                    "3. Resampling", "4. PCA of the ensemble mean", "TwoNN  before yield", "DANCo  before yield"]:
        assert section in r.stdout, section + " missing from the report"
    idline = next(l for l in r.stdout.splitlines() if "TwoNN  before yield" in l)
    assert "after –" not in idline, idline  # windows after yield exist (a late-yielding crystal is left out)
    assert png_size(f"{d}/yield-fig3.png") == (1800, 1200)
    assert os.path.getsize(f"{d}/yield-fig3.png") > 50000
    assert png_size(f"{d}/yield-fig1-stress.png")[0] > 0
    assert os.path.getsize(f"{d}/yield-fig1-stress.png") > 20000
    digest = float(next(l for l in r.stdout.splitlines() if l.startswith("digest ")).split()[1])
    assert YIELD_DIGEST is not None and abs(digest - YIELD_DIGEST) <= 1e-4 * abs(YIELD_DIGEST), digest
    r = subprocess.run([DESCRY, "scripts/yield-figures.lua", "--order", "9"], capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 2 and "0 ≤ --order ≤ 5" in r.stderr, r.stderr
    r = subprocess.run([DESCRY, "scripts/yield-figures.lua", "--data", "/nonexistent"], capture_output=True,
                       text=True, cwd=ROOT)
    assert r.returncode == 1 and "cannot read the dataset in '/nonexistent'" in r.stderr, r.stderr



@case
def yield_study():
    """yielding study (why P = 5, localisation and the ID collapse do not reproduce): runs, today's numbers"""
    r = subprocess.run([DESCRY, "scripts/yield-study.lua"], capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    row = next(l for l in lines if l.startswith("D̄             6     0.5  whole 30 ps"))
    assert row.split()[7:9] == ["3", "2"], row  # AIC 3, BIC 2: never P = 5 by BIC
    assert "(left out, < 8 V̄ snapshots after yield: member 9)" in r.stdout
    assert "TwoNN of 360 random states of all 12 crystals (D̄ ⊕ V̄), 5 draws: 4.11 4.11 4.11 4.11 4.11" in r.stdout


finish()
