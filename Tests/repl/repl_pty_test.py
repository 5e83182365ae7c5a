#!/usr/bin/env python3
"""Drives the real `descry` REPL through a pseudo-terminal (pexpect) and checks what a person
sees: auto-print, pretty tables, continuation prompts, completion (globals, fields, userdata
methods, file names in strings), help, %time, Ctrl-C interrupting a loop (the first Ctrl-C, within
0.5 s, also in loops that allocate matrices, frames or neighbour lists) and clearing a line,
persistent history, Ctrl-D exit. Ends with `N passed, N failed`."""
import os
import sys
import tempfile
import traceback

import pexpect

DESCRY = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else ".build/release/descry")
PROMPT = "\r\n> "
# The prompt after Ctrl-C stopped a computation. The pty echoes the typed ^C from a kernel work
# queue, so under load the echo can land after the traceback, just before the prompt.
PROMPT_AFTER_INTERRUPT = r"\r\n(\^C)?> "
results = []


INPUTRC = tempfile.NamedTemporaryFile("w", prefix="descry-inputrc-", delete=False)
INPUTRC.write("set enable-bracketed-paste off\n")
INPUTRC.close()


def spawn(history, extra_env=None):
    env = dict(os.environ, DESCRY_HISTORY=history, TERM="xterm", INPUTRC=INPUTRC.name, NO_COLOR="1")
    env.update(extra_env or {})
    child = pexpect.spawn(DESCRY, [], env=env, encoding="utf-8", timeout=10, dimensions=(40, 200))
    child.expect_exact("> ")
    return child


def case(name, repl=True):
    """Runs fn(child, history) on a fresh REPL (or fn(None, history) when repl is False)."""
    def wrap(fn):
        hist = tempfile.mktemp(prefix="descry-hist-")
        child = None
        try:
            child = spawn(hist) if repl else None
            fn(child, hist)
            results.append((name, True, ""))
            print("ok   " + name)
        except Exception as e:  # noqa: BLE001 - report every failure
            detail = "".join(traceback.format_exception_only(type(e), e)).strip().splitlines()[0]
            if child is not None:
                detail += "\n    screen: " + repr((child.before or "")[-300:])
            results.append((name, False, detail))
            print("FAIL " + name + "\n    " + detail)
        finally:
            if child is not None and child.isalive():
                child.terminate(force=True)
            if os.path.exists(hist):
                os.unlink(hist)
        return fn
    return wrap


@case("auto-print of an expression")
def _(c, h):
    c.sendline("1+1")
    c.expect_exact("2" + PROMPT)
    c.sendline("'a', 2.5, nil")
    c.expect_exact('"a"\t2.5\tnil' + PROMPT)


@case("pretty-printed table with sorted keys")
def _(c, h):
    c.sendline("{b = 1, a = {2, 3}}")
    c.expect_exact("{a = {2, 3}, b = 1}" + PROMPT)


@case("continuation prompt for an incomplete chunk")
def _(c, h):
    c.sendline("for i = 1, 2 do")
    c.expect_exact(">> ")
    c.sendline("  print(i * 10)")
    c.expect_exact(">> ")
    c.sendline("end")
    c.expect_exact("10\r\n20" + PROMPT)


@case("syntax and runtime errors are reported and the REPL goes on")
def _(c, h):
    c.sendline("x = = 1")
    c.expect_exact("stdin:1: unexpected symbol near '='")
    c.sendline("error('boom')")
    c.expect_exact("stdin:1: boom")
    c.sendline("core.fail(1)")
    c.expect_exact("bad argument #1 to 'core.fail' (string expected, got number)")
    c.sendline("40 + 2")
    c.expect_exact("42" + PROMPT)


@case("tab completion of a global and a module field")
def _(c, h):
    c.send("coll\t")
    c.expect_exact("collectgarbage")
    c.sendline("")
    c.expect_exact(PROMPT)
    c.send("core.cl\t")
    c.expect_exact("core.clock")
    c.sendline("() > 0")
    c.expect_exact("true" + PROMPT)


@case("tab completion after the ?/?? help shorthands")
def _(c, h):
    c.send("?core.cl\t")
    c.expect_exact("?core.clock")
    c.sendline("")
    c.expect_exact("Monotonic wall-clock time")
    c.expect_exact(PROMPT)


@case("tab completion of a userdata method (through the metatable's __index)")
def _(c, h):
    c.sendline("f = io.stdout")
    c.expect_exact(PROMPT)
    c.send("f:wri\t")
    c.expect_exact("f:write")
    c.sendline("('hello\\n')")
    c.expect_exact("hello")


@case("tab completion of a Swift userdata method (la matrix)")
def _(c, h):
    c.sendline("m = la.zeros(2, 3)")
    c.expect_exact(PROMPT)
    c.send("m:transp\t")
    c.expect_exact("m:transpose")
    c.sendline("():shape()")
    c.expect_exact("3\t2" + PROMPT)


@case("tab completion of file names inside a string literal")
def _(c, h):
    d = tempfile.mkdtemp(prefix="descry-compl-")
    open(os.path.join(d, "unique_dump_name.lammpstrj"), "w").close()
    c.sendline("x = 1")
    c.expect_exact(PROMPT)
    c.send('p = "' + d + "/uniq\t")
    c.expect_exact("unique_dump_name.lammpstrj")
    c.sendline("")
    c.expect_exact(PROMPT)


@case("help(f) and ?f print docstrings")
def _(c, h):
    c.sendline("help(core.clock)")
    c.expect_exact("Monotonic wall-clock time")
    c.sendline("?core.doc")
    c.expect_exact("The docstring attached to value v")


@case("%time and time() report wall time")
def _(c, h):
    c.sendline("%time 6 * 7")
    c.expect(r"time: [0-9.]+ (µs|ms|s)")
    c.expect_exact("42" + PROMPT)
    c.sendline("time(function() return 'x' end)")
    c.expect_exact('time: ')
    c.expect_exact('"x"' + PROMPT)


@case("Ctrl-C interrupts a running computation and returns to the prompt")
def _(c, h):
    c.sendline("while true do end")
    import time
    time.sleep(0.5)
    c.sendintr()
    c.expect_exact("interrupted!")
    c.expect(PROMPT_AFTER_INTERRUPT)
    c.sendline("1 + 2")
    c.expect_exact("3" + PROMPT)


@case("Ctrl-C interrupts a long Swift computation (bagged VAR) and returns to the prompt")
def _(c, h):
    c.sendline("t = {} for i = 1, 40 do t[i] = la.randn(400, 30) end")
    c.expect_exact(PROMPT)
    c.sendline("bag = var.bagged(t, 3, {subsets = 100000, coverage = 0.3})")
    import time
    time.sleep(1.0)
    c.sendintr()
    c.expect_exact("interrupted", timeout=10)
    c.expect(PROMPT_AFTER_INTERRUPT)
    c.sendline("2 * 21")
    c.expect_exact("42" + PROMPT)


def first_ctrl_c_wins(c, setup, loop, cleanup=(), run_for=0.7, within=0.5):
    """Runs `loop` (a never-ending allocation-heavy loop) after the `setup` lines, presses Ctrl-C
    ONCE, and requires the interrupt error within `within` seconds and a live REPL after."""
    import time
    for line in setup:
        c.sendline(line)
        c.expect_exact(PROMPT)
    c.sendline(loop)
    time.sleep(run_for)
    c.sendintr()
    t0 = time.monotonic()
    c.expect("interrupted", timeout=within)
    dt = time.monotonic() - t0
    c.expect(PROMPT_AFTER_INTERRUPT, timeout=5)
    c.sendline("2 * 21")
    c.expect_exact("42" + PROMPT)
    for line in cleanup:
        c.sendline(line)
        c.expect_exact(PROMPT)
    assert dt <= within, f"interrupted after {dt:.2f} s"


ALLOCATING_LOOPS = [
    # (what, setup lines, loop[, cleanup lines])
    ("la.randn", [], "while true do local x = la.randn(200, 200) end"),
    ("matrix product x*x", ["x = la.randn(200, 200)"], "while true do local y = x * x end"),
    ("elementwise sum x+x", ["x = la.randn(200, 200)"], "while true do local y = x + x end"),
    ("la.matmul", ["x = la.randn(200, 200)"], "while true do local y = la.matmul(x, x) end"),
    ("cumulative sums", ["x = la.randn(200, 200)"], "while true do local s = la.cumsum(x, 1) end"),
    ("frames streamed from a dump",
     ["fr = atoms.frame{positions = la.rand(4000, 3) * 30, box = {lo = {0, 0, 0}, hi = {30, 30, 30}}}",
      "p = os.tmpname()", "atoms.write(p, {fr, fr, fr, fr})"],
     "while true do local t = atoms.open(p) for f in t.next, t do end end", ["os.remove(p)"]),
    ("neighbour lists",
     ["fr = atoms.frame{positions = la.rand(2000, 3) * 20, box = {lo = {0, 0, 0}, hi = {20, 20, 20}}}"],
     "while true do local nl = fr:neighbors(4) end"),
    ("with a pcall inside the loop swallowing the first error",
     ["x = la.randn(200, 200)"],
     "while true do pcall(function() for i = 1, 50 do local y = x + x end end) end"),
]

for _title, _setup, _loop, *_cleanup in ALLOCATING_LOOPS:
    case(f"the first Ctrl-C interrupts a loop allocating {_title} within 0.5 s")(
        lambda c, h, s=_setup, l=_loop, k=tuple(*_cleanup): first_ctrl_c_wins(c, s, l, k))


@case("Ctrl-C at the prompt clears the line")
def _(c, h):
    c.send("this is not lua")
    c.sendintr()
    c.expect_exact("^C")
    c.sendline("2 + 3")
    c.expect_exact("5" + PROMPT)


@case("history is written to DESCRY_HISTORY and read back")
def _(c, h):
    c.sendline("history_marker = 4242")
    c.expect_exact(PROMPT)
    c.sendeof()
    c.expect(pexpect.EOF)
    with open(h) as f:
        assert "history_marker = 4242" in f.read(), "history file lacks the line"
    c2 = spawn(h)
    c2.send("\x1b[A")  # up arrow recalls the previous session's line
    c2.expect_exact("history_marker = 4242")
    c2.terminate(force=True)


@case("Ctrl-D exits with status 0")
def _(c, h):
    c.sendeof()
    c.expect(pexpect.EOF)
    c.close()
    assert c.exitstatus == 0, f"exit status {c.exitstatus}"


@case("floats print as the shortest text that round-trips, integers as integers")
def _(c, h):
    c.sendline("0.1 + 0.2")
    c.expect_exact("0.30000000000000004" + PROMPT)
    c.sendline("2^53, 2^53 // 1 | 0, 1/3, 1e300, 100.0")
    c.expect_exact("9007199254740992.0\t9007199254740992\t0.3333333333333333\t1e+300\t100.0" + PROMPT)


PASTE_RC = tempfile.NamedTemporaryFile("w", prefix="descry-inputrc-paste-", delete=False)
PASTE_RC.write("set enable-bracketed-paste on\n")
PASTE_RC.close()
ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def paste(c, text):
    """Pastes text as a terminal does with bracketed paste on, then presses Enter."""
    c.send("\x1b[200~" + text + "\x1b[201~")
    c.send("\r")


@case("bracketed paste of a block runs it as one chunk and prints the last expression")
def _(c, h):
    c.terminate(force=True)
    c = spawn(h, {"INPUTRC": PASTE_RC.name})
    paste(c, "x = 20\nlocal y = 1\nx + y + 1\n")
    c.expect_exact("\r22\r\n")
    paste(c, "function sq(v)\n  return v * v\nend\nsq(7)\n")
    c.expect_exact("\r49\r\n")
    c.terminate(force=True)


@case("a pasted notebook excerpt (transcript with output lines) runs only its code")
def _(c, h):
    c.terminate(force=True)
    c = spawn(h, {"INPUTRC": PASTE_RC.name})
    with open(os.path.join(ROOT, "notebooks-txt", "00-tour.txt")) as f:
        text = f.read()
    start = text.index("> 7 // 2")
    excerpt = text[start:text.index("2. Tables are pretty-printed")].rstrip("\n") + "\n"
    assert "3\t3.5\t\"1\"" in excerpt and "> print(\"x is\", x)" in excerpt, excerpt
    paste(c, excerpt)
    c.expect_exact('3\t3.5\t"1"\r\n3.141592653589793\r\n')
    c.expect_exact("x is\t1024.0\r\n")
    paste(c, "> for i = 1, 2 do\n>>   print(i * 10)\n>> end\n10\n20\n> x + 1\n1025.0\n")
    c.expect_exact("10\r\n20\r\n1025.0\r\n")
    c.terminate(force=True)


@case("a transcript line typed or pasted without bracketed paste drops its prompt")
def _(c, h):
    c.sendline("> 6 * 7")
    c.expect_exact("42" + PROMPT)


@case("_ holds the last printed value; a trailing ; prints nothing")
def _(c, h):
    c.sendline("40 + 2")
    c.expect_exact("42" + PROMPT)
    c.sendline("_ * 2")
    c.expect_exact("84" + PROMPT)
    c.sendline("m = la.ones(2, 3);")
    c.expect_exact(PROMPT)
    c.sendline("la.ones(2, 2);")
    c.expect_exact(PROMPT)
    c.sendline("_")
    c.expect_exact("84" + PROMPT)
    c.sendline("{1, 2}  -- comment;")
    c.expect_exact("{1, 2}" + PROMPT)


@case("local at the prompt stays visible to later prompts; block locals stay local")
def _(c, h):
    c.sendline("local a = 5")
    c.expect_exact(PROMPT)
    c.sendline("a * 2")
    c.expect_exact("10" + PROMPT)
    c.sendline("local function twice(v) return 2 * v end")
    c.expect_exact(PROMPT)
    c.sendline("local p, q <const> = twice(3)")
    c.expect_exact(PROMPT)
    c.sendline("p, q")
    c.expect_exact("6\tnil" + PROMPT)
    c.sendline("do local hidden = 1 end")
    c.expect_exact(PROMPT)
    c.sendline("hidden")
    c.expect_exact("nil" + PROMPT)
    c.sendline("local s = 'local x = 1'")
    c.expect_exact(PROMPT)
    c.sendline("s")
    c.expect_exact('"local x = 1"' + PROMPT)


@case("%who and whos() list the user's globals with type and shape")
def _(c, h):
    c.sendline("%who")
    c.expect_exact("whos: no globals of yours yet" + PROMPT)
    c.sendline("X = la.zeros(3, 4); n = 7; name = 'Pt'; list = {1, 2, 3}")
    c.expect_exact(PROMPT)
    c.sendline("%who")
    c.expect(r"name +type +shape / value\r\n")
    c.expect(r"X +la\.matrix +3×4\r\n")
    c.expect(r"list +table +3 items\r\n")
    c.expect(r"n +integer +7\r\n")
    c.expect(r"name +string +2 bytes")
    c.expect_exact(PROMPT)
    c.sendline("whos()")
    c.expect(r"X +la\.matrix +3×4")


@case("reload(mod) loads an edited module again and updates globals")
def _(c, h):
    d = tempfile.mkdtemp(prefix="descry-reload-")
    with open(os.path.join(d, "rmod.lua"), "w") as f:
        f.write("return {v = 1}\n")
    c.sendline(f"package.path = '{d}/?.lua;' .. package.path")
    c.expect_exact(PROMPT)
    c.sendline("rmod = require 'rmod'")
    c.expect_exact(PROMPT)
    c.sendline("rmod.v")
    c.expect_exact("1" + PROMPT)
    with open(os.path.join(d, "rmod.lua"), "w") as f:
        f.write("return {v = 2}\n")
    c.sendline("reload('rmod').v, rmod.v")
    c.expect_exact("2\t2" + PROMPT)


@case("%timeit reports min and median over automatic repeats")
def _(c, h):
    c.sendline("%timeit math.sqrt(2)")
    c.expect(r"timeit: [0-9.]+ (ns|µs) min, [0-9.]+ (ns|µs) median per loop \(7 runs × [0-9]+ loops\)")
    c.expect_exact(PROMPT)
    c.sendline("r = timeit(function() end, {['repeat'] = 3, number = 10})")
    c.expect_exact("(3 runs × 10 loops)")
    c.expect_exact(PROMPT)
    c.sendline("r.runs, r.loops, r.min <= r.median")
    c.expect_exact("3\t10\ttrue" + PROMPT)


@case("!cmd runs a shell command; nothing else reaches the shell")
def _(c, h):
    c.sendline("!echo shell-$((6*7))")
    c.expect_exact("shell-42" + PROMPT)
    c.sendline("!exit 3")
    c.expect_exact("exit 3" + PROMPT)
    c.sendline("'!echo no'")
    c.expect_exact('"!echo no"' + PROMPT)


@case("help search covers every module of the registry, loaded or not (descry.dataset)")
def _(c, h):
    c.sendline('help("manifest")')
    c.expect_exact("dataset.open(dir)")
    c.expect_exact(PROMPT)


@case("help: apropos search, ?m:f and ?m.f, what was nil, ??f source view")
def _(c, h):
    c.sendline('help("cholesky")')
    c.expect_exact("la.cholesky(A)")
    c.expect_exact(PROMPT)
    c.sendline("m = la.zeros(2, 2)")
    c.expect_exact(PROMPT)
    c.sendline("?m:sum")
    c.expect_exact("m:sum([axis])")
    c.expect_exact(PROMPT)
    c.sendline("?m.sum")
    c.expect_exact("m:sum([axis])")
    c.expect_exact(PROMPT)
    c.sendline("?la.svdx")
    c.expect_exact("help: la.svdx is nil: la has no field 'svdx'" + PROMPT)
    c.sendline("help(m.svdx)")
    c.expect_exact("help: 'm.svdx' is nil")
    c.expect_exact(PROMPT)
    c.sendline("?nosuch.f")
    c.expect_exact("attempt to index a nil value (global 'nosuch')")
    c.expect_exact(PROMPT)
    c.sendline("??pp")
    c.expect(r"defined in \S+pretty\.lua:[0-9]+-[0-9]+\r\n")
    c.expect(r" +[0-9]+  function M\.print\(\.\.\.\)")
    c.expect_exact(PROMPT)
    c.sendline("??print")
    c.expect_exact("no Lua source" + PROMPT)
    c.sendline("??plot.lines")                  # plot's own source, also with inline figures on
    c.expect(r"defined in \S+plot\.lua:[0-9]+-[0-9]+")
    c.expect_exact(PROMPT)


PAGER_SCRIPT = tempfile.NamedTemporaryFile("w", prefix="descry-pager-", suffix=".sh", delete=False)
PAGER_SCRIPT.write("#!/bin/sh\nn=$(wc -l)\necho \"PAGER got $n lines\"\n")
PAGER_SCRIPT.close()
os.chmod(PAGER_SCRIPT.name, 0o755)


@case("long values and help go through $PAGER on a terminal; short ones and pipes do not")
def _(c, h):
    c.terminate(force=True)
    c = spawn(h, {"PAGER": PAGER_SCRIPT.name})
    c.sendline("la.zeros(100, 1)")
    c.expect_exact("PAGER got 101 lines" + PROMPT)
    c.sendline("la.zeros(3, 1)")
    c.expect_exact("[[0.]" )
    c.expect_exact(PROMPT)
    c.sendline('help("matrix")')
    c.expect(r"PAGER got [0-9]+ lines")
    c.terminate(force=True)
    c = spawn(h, {"PAGER": "/nonexistent/pager"})      # a pager that cannot run: print instead
    c.sendline("la.zeros(100, 1)")
    c.expect_exact(" [0.]]" + PROMPT)
    c.terminate(force=True)
    import subprocess
    r = subprocess.run([DESCRY, "-e", "require('descry.repl').show(la.zeros(100, 1))"],
                       capture_output=True, text=True, env=dict(os.environ, PAGER=PAGER_SCRIPT.name))
    assert "PAGER" not in r.stdout and r.stdout.count("\n") == 101, r.stdout[-200:]


@case("colour: prompt, numbers, strings, errors on a terminal; none with NO_COLOR or in pipes")
def _(c, h):
    c.terminate(force=True)
    env = {"NO_COLOR": ""}
    c = spawn(h, env)
    c.sendline("42, 'hi', nil")
    c.expect_exact("\x1b[36m42\x1b[0m\t\x1b[32m\"hi\"\x1b[0m\t\x1b[35mnil\x1b[0m")
    c.expect_exact("\x1b[1;32m> \x1b[0m")
    c.sendline("error('boom')")
    c.expect_exact("\x1b[31mstdin:1: boom")
    c.terminate(force=True)
    c = spawn(h, {"NO_COLOR": "1"})
    c.sendline("42, 'hi'")
    c.expect_exact('42\t"hi"' + PROMPT)
    assert "\x1b[3" not in c.before, repr(c.before)
    c.terminate(force=True)
    import subprocess
    r = subprocess.run([DESCRY, "-i"], input="42, 'hi'\nerror('x')\n", capture_output=True, text=True,
                       env=dict(os.environ, TERM="xterm"))
    assert "\x1b[" not in r.stdout + r.stderr, repr(r.stdout + r.stderr)


@case("figures draw inline with the kitty protocol or sixel when selected; text otherwise")
def _(c, h):
    import shutil
    if not shutil.which("gnuplot"):
        raise RuntimeError("gnuplot missing (scripts/setup --test installs it)")
    c.terminate(force=True)
    c = spawn(h, {"DESCRY_GRAPHICS": "kitty"})
    c.sendline("plot.lines{y = {1, 4, 9}}")
    c.expect_exact("\x1b_Gf=100,a=T,m=1;iVBORw0KGgo")   # a PNG (base64 of its signature) follows
    c.expect_exact("m=0;")
    c.expect_exact("\x1b\\\r\n> ")
    c.terminate(force=True)
    c = spawn(h, {"DESCRY_GRAPHICS": "sixel"})
    c.sendline("plot.lines{y = {1, 4, 9}}")
    c.expect_exact('\x1bPq"1;1;640;440')                  # sixel data (gnuplot sixelgd)
    c.expect_exact("\x1b\\")
    c.expect_exact(PROMPT[2:])
    c.terminate(force=True)
    c = spawn(h, {"DESCRY_GRAPHICS": "", "TERM": "xterm"})
    c.sendline("plot.lines{y = {1, 4, 9}}")
    c.expect_exact(PROMPT[2:])
    assert "\x1b_G" not in c.before and "\x1bPq" not in c.before and "*" in c.before, repr(c.before[-300:])
    c.sendline("require('descry.inline').detect()")
    c.expect_exact('"text"' + PROMPT)


@case("la.printoptions changes how matrices print at the prompt")
def _(c, h):
    c.sendline("m = la.matrix{{1/3, 2}}")
    c.expect_exact(PROMPT)
    c.sendline("m")
    c.expect_exact("[[0.33333333 2.        ]]" + PROMPT)
    c.sendline("la.printoptions{precision = 3};")
    c.expect_exact(PROMPT)
    c.sendline("m")
    c.expect_exact("[[0.333 2.   ]]" + PROMPT)


@case("errors from stdlib Lua name the line typed at the prompt, not the stdlib")
def _(c, h):
    c.sendline("plot.lines{x = {1, 2}}")
    c.expect_exact("stdin:1: plot.lines: option 'y' is required")
    c.expect_exact(PROMPT)
    c.sendline("time(3)")
    c.expect_exact("stdin:1: bad argument #1 to 'time' (function expected, got number)")
    c.expect_exact(PROMPT)
    assert "plot.lua" not in c.before.split("stack traceback")[0], repr(c.before)


@case("notebook run on a terminal: %% setup cells uncompared, %% timeout stops a cell", repl=False)
def _(c, h):
    d = tempfile.mkdtemp(prefix="descry-nb-")
    nb = os.path.join(d, "s.txt")
    text = "%% setup\n> base = 40\n\n> base + 2\n\n%% timeout 0.5\n> while true do end\n"
    with open(nb, "w") as f:
        f.write(text)
    child = pexpect.spawn(DESCRY, ["notebook", "check", nb], encoding="utf-8", timeout=10)
    child.expect_exact(nb + ":4: output differs")      # the expected output of `base + 2` is empty
    child.expect_exact("+ 42")
    child.expect_exact(nb + ":7: cell timed out after 0.5 s")
    child.expect_exact("1 passed, 2 failed")
    child.expect(pexpect.EOF)
    child = pexpect.spawn(DESCRY, ["notebook", "run", nb], encoding="utf-8", timeout=10)
    child.expect_exact("cell timed out after 0.5 s; " + nb + " left unchanged")
    child.expect(pexpect.EOF)
    with open(nb) as f:
        assert f.read() == text


NOTEBOOK_LOOP = "Prose.\n\n> print('first cell')\n\n> while true do end\n\n> 1 + 1\n"


@case("Ctrl-C during `notebook run` stops it, leaves the file untouched, exits 130", repl=False)
def _(c, h):
    import time
    d = tempfile.mkdtemp(prefix="descry-nb-")
    nb = os.path.join(d, "loop.txt")
    with open(nb, "w") as f:
        f.write(NOTEBOOK_LOOP)
    for command in ["run", "check"]:
        child = pexpect.spawn(DESCRY, ["notebook", command, nb], encoding="utf-8", timeout=10)
        time.sleep(0.8)
        child.sendintr()
        child.expect_exact("interrupted; " + nb + " left unchanged")
        child.expect(pexpect.EOF)
        child.close()
        assert child.exitstatus == 130, f"{command}: exit status {child.exitstatus}"
        with open(nb) as f:
            assert f.read() == NOTEBOOK_LOOP, command + " changed the notebook"
        assert os.listdir(d) == ["loop.txt"], os.listdir(d)


@case("`notebook run` on a terminal shows per-cell progress; none when piped", repl=False)
def _(c, h):
    d = tempfile.mkdtemp(prefix="descry-nb-")
    nb = os.path.join(d, "p.txt")
    with open(nb, "w") as f:
        f.write("> 1\n\n%% timeout 1\n> while true do end\n\n> 2\n")
    child = pexpect.spawn(DESCRY, ["notebook", "run", nb], encoding="utf-8", timeout=10)
    child.expect_exact("[2/3] " + nb + ":4  while true do end")
    child.sendintr()
    child.expect(pexpect.EOF)
    import subprocess
    r = subprocess.run([DESCRY, "notebook", "check", nb], capture_output=True, text=True)
    assert "[1/3]" not in r.stdout + r.stderr, r.stderr


passed = sum(1 for r in results if r[1])
print(f"{passed} passed, {len(results) - passed} failed")
sys.exit(0 if passed == len(results) else 1)
