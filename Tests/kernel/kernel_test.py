#!/usr/bin/env python3
"""Drives `descry kernel` with the reference Jupyter client (jupyter_client's KernelManager and
BlockingKernelClient, as JupyterLab, nbclient and jupyter console do): kernelspec install,
kernel_info, execute (results, streams, errors, multi-line cells), completion, inspection,
is_complete, history, interrupts of a Lua loop and of a long Swift loop (message and signal
modes), stdin (io.read through input_request), display_data (display(x), plot figures), messages
with a bad or replayed signature (refused, logged, never run), restart and shutdown.
Usage: kernel_test.py [path/to/descry]. Ends with `N passed, N failed`."""
import base64
import json
import os
import shutil
import socket
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "cli"))
from cases import DESCRY, case, finish  # noqa: E402  (the shared runner of the CLI tests)
from jupyter_sandbox import install_kernelspec, jupyter_sandbox  # noqa: E402

try:
    from jupyter_client.blocking import BlockingKernelClient
    from jupyter_client.manager import KernelManager
    from jupyter_client.session import Session
except ImportError:
    print("jupyter_client is missing (scripts/setup --test installs it)")
    print("0 passed, 1 failed")
    sys.exit(1)

TMP, PREFIX = jupyter_sandbox(DESCRY, "kernel-test")
LOG = os.path.join(TMP, "kernel.log")


def install():
    install_kernelspec(DESCRY, PREFIX)


log_file = open(LOG, "w")
km = KernelManager(kernel_name="descry")
km.start_kernel(stderr=log_file)
kc = km.blocking_client()
kc.start_channels()
kc.wait_for_ready(timeout=30)


def collect(msg_id, timeout=20):
    """The iopub messages caused by request msg_id, up to its status idle."""
    out = []
    deadline = time.monotonic() + timeout
    while True:
        msg = kc.get_iopub_msg(timeout=max(0.1, deadline - time.monotonic()))
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            return out
        if msg["msg_type"] != "status":
            out.append(msg)


def run(code, timeout=20, **kw):
    """Executes code; returns (execute_reply content, iopub messages)."""
    msg_id = kc.execute(code, **kw)
    reply = kc.get_shell_msg(timeout=timeout)
    assert reply["parent_header"]["msg_id"] == msg_id
    return reply["content"], collect(msg_id, timeout)


def displayed(msgs):
    """The data of every display_data message among `msgs`."""
    return [m["content"]["data"] for m in msgs if m["msg_type"] == "display_data"]


def stream(msgs, name="stdout"):
    return "".join(m["content"]["text"] for m in msgs if m["msg_type"] == "stream" and m["content"]["name"] == name)


def result(msgs):
    found = [m["content"]["data"]["text/plain"] for m in msgs if m["msg_type"] == "execute_result"]
    return found[0] if found else None


def value(code):
    reply, msgs = run(code)
    assert reply["status"] == "ok", reply
    return result(msgs)


@case
def _():
    """kernel install --prefix writes kernel.json (argv = descry-kernel beside descry, signal interrupts), logo"""
    spec_dir = os.path.join(PREFIX, "share", "jupyter", "kernels", "descry")
    spec = json.load(open(os.path.join(spec_dir, "kernel.json")))
    launcher = os.path.join(os.path.dirname(os.path.realpath(DESCRY)), "descry-kernel")
    assert spec["argv"] == [launcher, "-f", "{connection_file}"], spec["argv"]
    assert spec["language"] == "lua" and spec["interrupt_mode"] == "signal"
    with open(os.path.join(spec_dir, "logo-64x64.png"), "rb") as f:
        assert f.read(8) == b"\x89PNG\r\n\x1a\n"


@case
def _():
    """kernel install --user follows JUPYTER_DATA_DIR; a bad option is an error (exit 1)"""
    subprocess.run([DESCRY, "kernel", "install", "--user"], check=True, capture_output=True)
    assert os.path.isfile(os.path.join(TMP, "data", "kernels", "descry", "kernel.json"))
    bad = subprocess.run([DESCRY, "kernel", "install", "--bogus"], capture_output=True, text=True)
    assert bad.returncode == 1 and "usage" in bad.stderr, bad


@case
def _():
    """kernel_info_reply: protocol 5.3, implementation descry, language lua"""
    kc.kernel_info()
    reply = kc.get_shell_msg(timeout=10)["content"]
    assert reply["protocol_version"] == "5.3", reply
    assert reply["implementation"] == "descry"
    assert reply["language_info"]["name"] == "lua" and reply["language_info"]["file_extension"] == ".lua"


@case
def _():
    """an expression's value is the execute_result (REPL pretty printer), counts increase"""
    r1, m1 = run("1 + 2")
    r2, m2 = run("{a = 1, b = 'x'}")
    assert result(m1) == "3", m1
    assert r2["execution_count"] == r1["execution_count"] + 1
    assert result(m2) == '{a = 1, b = "x"}', result(m2)
    assert [m["msg_type"] for m in m1] == ["execute_input", "execute_result"], m1


@case
def _():
    """print and io.write stream on stdout, io.stderr on stderr; `;` hides a line's value"""
    reply, msgs = run('print("hello", 42)\nio.write("no newline");\nio.stderr:write("careful\\n");')
    assert reply["status"] == "ok"
    assert stream(msgs) == "hello\t42\nno newline", repr(stream(msgs))
    assert stream(msgs, "stderr") == "careful\n"
    assert result(msgs) is None


@case
def _():
    """a cell runs like REPL lines: earlier expression lines print, the last one is the result"""
    reply, msgs = run("x = 10\nx\nfunction twice(v)\n  return 2 * v\nend\ntwice(x)")
    assert stream(msgs) == "10\n", repr(stream(msgs))
    assert result(msgs) == "20"


@case
def _():
    """top-level locals persist between cells, `_` is the last value, `;` hides a value"""
    run("local kept = 5")
    assert value("kept + 1") == "6"
    assert value("_ * 2") == "12"
    assert value("kept;") is None


@case
def _():
    """a runtime error is an `error` with ename, evalue and a traceback; the kernel carries on"""
    reply, msgs = run('print("before")\nerror("boom")\nprint("never")')
    assert reply["status"] == "error" and reply["ename"] == "LuaError", reply
    assert "boom" in reply["evalue"]
    assert any("stack traceback:" in line for line in reply["traceback"]), reply["traceback"]
    errors = [m for m in msgs if m["msg_type"] == "error"]
    assert len(errors) == 1 and errors[0]["content"]["evalue"] == reply["evalue"]
    assert stream(msgs) == "before\n"
    assert value("2 * 21") == "42"


@case
def _():
    """after a failed cell, execute requests already queued are aborted (stop_on_error), not run"""
    first = kc.execute("local t0 = os.clock() while os.clock() - t0 < 0.3 do end error('stop here')")
    queued = kc.execute("queued_ran = true")
    replies = {}
    for _ in range(2):
        r = kc.get_shell_msg(timeout=10)
        replies[r["parent_header"]["msg_id"]] = r["content"]["status"]
    waiting = {first, queued}
    while waiting:   # the aborted request's status messages come before the failed one's idle
        msg = kc.get_iopub_msg(timeout=10)
        if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            waiting.discard(msg["parent_header"].get("msg_id"))
    assert replies == {first: "error", queued: "aborted"}, replies
    assert value("queued_ran") == "nil"
    ids = {kc.execute("error('no stop')", stop_on_error=False), kc.execute("not_aborted = true")}
    statuses = sorted(kc.get_shell_msg(timeout=10)["content"]["status"] for _ in ids)
    while ids:
        msg = kc.get_iopub_msg(timeout=10)
        if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            ids.discard(msg["parent_header"].get("msg_id"))
    assert statuses == ["error", "ok"], statuses
    assert value("not_aborted") == "true"


@case
def _():
    """a syntax error and an unfinished chunk are SyntaxError with Lua's message"""
    reply, _ = run("x = = 1")
    assert reply["status"] == "error" and reply["ename"] == "SyntaxError", reply
    assert "unexpected symbol" in reply["evalue"], reply["evalue"]
    reply, _ = run("for i = 1, 3 do")
    assert reply["ename"] == "SyntaxError" and "<eof>" in reply["evalue"], reply


@case
def _():
    """complete_request: globals, module fields and userdata methods, with the cursor range"""
    kc.complete("x = la.ze", 9)
    reply = kc.get_shell_msg(timeout=10)["content"]
    assert "la.zeros" in reply["matches"], reply
    assert reply["cursor_start"] == 4 and reply["cursor_end"] == 9
    run("m = la.zeros(2, 3)")
    kc.complete("m:ro")
    reply = kc.get_shell_msg(timeout=10)["content"]
    assert "m:rows" in reply["matches"], reply
    kc.complete("whi")
    assert "while" in kc.get_shell_msg(timeout=10)["content"]["matches"]


@case
def _():
    """inside a string literal, completion offers file names (directories with /)"""
    os.makedirs(os.path.join(TMP, "files", "sub"), exist_ok=True)
    for name in ("data_a.csv", "data_b.npy", ".hidden"):
        open(os.path.join(TMP, "files", name), "w").close()
    code = 'x = la.load("' + os.path.join(TMP, "files") + "/"
    kc.complete(code + "da")
    reply = kc.get_shell_msg(timeout=10)["content"]
    base = os.path.join(TMP, "files") + "/"
    assert reply["matches"] == [base + "data_a.csv", base + "data_b.npy"], reply
    assert reply["cursor_start"] == len('x = la.load("') and reply["cursor_end"] == len(code) + 2
    kc.complete(code)
    assert base + "sub/" in kc.get_shell_msg(timeout=10)["content"]["matches"]
    kc.complete('s = "a" .. la.ze')
    assert "la.zeros" in kc.get_shell_msg(timeout=10)["content"]["matches"]


@case
def _():
    """a missing or bad connection file, or no -f: an error message and a non-zero exit"""
    r = subprocess.run([DESCRY, "kernel", "-f", os.path.join(TMP, "missing.json")], capture_output=True, text=True)
    assert r.returncode == 1 and "missing.json" in r.stderr, r
    bad = os.path.join(TMP, "bad.json")
    with open(bad, "w") as f:
        f.write('{"shell_port": 0}')
    r = subprocess.run([DESCRY, "kernel", "-f", bad], capture_output=True, text=True)
    assert r.returncode == 1 and "shell_port" in r.stderr, r
    r = subprocess.run([DESCRY, "kernel"], capture_output=True, text=True)
    assert r.returncode == 2 and "usage" in r.stderr, r


@case
def _():
    """the descry-kernel launcher: descry's own errors for a missing or bad file (exit 1), usage (exit 2)"""
    launcher = os.path.join(os.path.dirname(os.path.realpath(DESCRY)), "descry-kernel")
    r = subprocess.run([launcher, "-f", os.path.join(TMP, "missing.json")], capture_output=True, text=True)
    assert r.returncode == 1 and "cannot read the connection file" in r.stderr, r
    bad = os.path.join(TMP, "bad.json")
    with open(bad, "w") as f:
        f.write('{"shell_port": 0}')
    r = subprocess.run([launcher, "-f", bad], capture_output=True, text=True)
    assert r.returncode == 1 and "shell_port must be a port number" in r.stderr, r
    r = subprocess.run([launcher], capture_output=True, text=True)
    assert r.returncode == 2 and "usage" in r.stderr, r


def listening_sockets(n):
    """n TCP sockets listening on free ports of 127.0.0.1."""
    out = []
    for _ in range(n):
        s = socket.socket()
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("127.0.0.1", 0))
        s.listen(100)
        out.append(s)
    return out


def write_connection(path, ports):
    names = ("shell_port", "iopub_port", "stdin_port", "control_port", "hb_port")
    info = dict(zip(names, ports), ip="127.0.0.1", transport="tcp", key="a-test-key",
                signature_scheme="hmac-sha256", kernel_name="descry")
    with open(path, "w") as f:
        json.dump(info, f)


def client_of(path):
    client = BlockingKernelClient(connection_file=path)
    client.load_connection_file()
    client.start_channels()
    return client


def socket_inodes(pid):
    links = (os.readlink(f"/proc/{pid}/fd/{fd}") for fd in os.listdir(f"/proc/{pid}/fd"))
    return {int(link[len("socket:["):-1]) for link in links if link.startswith("socket:[")}


@case
def _():
    """inherited listening sockets (descry-kernel's): a request sent before descry starts is answered"""
    # descry holds those very sockets; children and Lua never see them (close-on-exec, variable unset)
    socks = listening_sockets(5)
    path = os.path.join(TMP, "inherited.json")
    write_connection(path, [s.getsockname()[1] for s in socks])
    client = client_of(path)
    early = client.kernel_info()
    fds = [s.fileno() for s in socks]
    env = dict(os.environ, DESCRY_KERNEL_LISTENING=",".join(map(str, fds)))
    proc = subprocess.Popen([DESCRY, "kernel", "-f", path], env=env, pass_fds=fds, stderr=subprocess.PIPE)
    try:
        reply = client.get_shell_msg(timeout=20)
        assert reply["parent_header"]["msg_id"] == early and reply["msg_type"] == "kernel_info_reply", reply
        assert {os.fstat(fd).st_ino for fd in fds} <= socket_inodes(proc.pid)
        code = 'os.getenv("DESCRY_KERNEL_LISTENING"), io.popen("ls -l /proc/self/fd/"):read("a"):find("socket")'
        client.execute(code)
        reply = client.get_shell_msg(timeout=20)
        assert reply["content"]["status"] == "ok", reply
        while (msg := client.get_iopub_msg(timeout=20))["msg_type"] != "execute_result":
            pass
        assert msg["content"]["data"]["text/plain"] == "nil\tnil", msg["content"]
    finally:
        client.stop_channels()
        proc.kill()
        proc.wait()
        for s in socks:
            s.close()


@case
def _():
    """without the launcher (`descry kernel -f FILE` as older kernelspecs run it) descry binds itself"""
    socks = listening_sockets(5)
    ports = [s.getsockname()[1] for s in socks]
    for s in socks:
        s.close()
    path = os.path.join(TMP, "direct.json")
    write_connection(path, ports)
    proc = subprocess.Popen([DESCRY, "kernel", "-f", path], stderr=subprocess.PIPE)
    client = client_of(path)
    try:
        client.wait_for_ready(timeout=20)
        client.execute("6 * 7")
        assert client.get_shell_msg(timeout=20)["content"]["status"] == "ok"
    finally:
        client.stop_channels()
        proc.kill()
        proc.wait()


@case
def _():
    """inspect_request gives what ?name prints (the docstring); an unknown name is not found"""
    _, msgs = run("?la.zeros")
    printed = stream(msgs).rstrip("\n")
    assert "la.zeros" in printed
    kc.inspect("y = la.zeros(3)", 8)
    reply = kc.get_shell_msg(timeout=10)["content"]
    assert reply["found"] is True, reply
    assert reply["data"]["text/plain"] == printed, (reply["data"]["text/plain"], printed)
    kc.inspect("no_such_thing", 3)
    assert kc.get_shell_msg(timeout=10)["content"]["found"] is False


@case
def _():
    """is_complete_request: the REPL's continuation rule (complete, incomplete, invalid)"""
    def status(code):
        kc.is_complete(code)
        return kc.get_shell_msg(timeout=10)["content"]["status"]
    assert status("x = 1") == "complete"
    assert status("for i = 1, 3 do") == "incomplete"
    assert status("for i = 1, 3 do\n  print(i)\nend") == "complete"
    assert status('s = "open') == "incomplete"   # the REPL waits for more, as lua.c does
    assert status("x = )") == "invalid"
    assert status("x = = 1") == "invalid"


@case
def _():
    """history_request tail gives the last cells, search a glob over them"""
    run("hist_a = 1")
    run("hist_b = 2")
    kc.history(hist_access_type="tail", n=2)
    entries = kc.get_shell_msg(timeout=10)["content"]["history"]
    assert [e[2] for e in entries] == ["hist_a = 1", "hist_b = 2"], entries
    kc.history(hist_access_type="search", pattern="hist_*")
    entries = kc.get_shell_msg(timeout=10)["content"]["history"]
    assert [e[2] for e in entries] == ["hist_a = 1", "hist_b = 2"], entries


def interrupted_within(code, interrupt, within):
    msg_id = kc.execute(code)
    time.sleep(0.7)
    t0 = time.monotonic()
    interrupt()
    reply = kc.get_shell_msg(timeout=within + 5)
    dt = time.monotonic() - t0
    assert reply["parent_header"]["msg_id"] == msg_id
    collect(msg_id)
    assert reply["content"]["status"] == "error", reply["content"]
    assert reply["content"]["ename"] == "Interrupted", reply["content"]
    assert dt <= within, f"interrupted after {dt:.2f} s"
    assert value("2 * 21") == "42"


def interrupt_message():
    kc.control_channel.send(kc.session.msg("interrupt_request", {}))
    reply = kc.control_channel.get_msg(timeout=5)
    assert reply["msg_type"] == "interrupt_reply" and reply["content"]["status"] == "ok"


@case
def _():
    """interrupt_request (message mode) stops `while true do end` within 0.5 s"""
    interrupted_within("while true do end", interrupt_message, 0.5)


@case
def _():
    """SIGINT (signal mode, KernelManager.interrupt_kernel) stops `while true do end` within 0.5 s"""
    interrupted_within("while true do end", km.interrupt_kernel, 0.5)


@case
def _():
    """both modes stop a long Swift loop (var.bagged) within 2 s"""
    run("t = {} for i = 1, 40 do t[i] = la.randn(400, 30) end")
    interrupted_within("bag = var.bagged(t, 3, {subsets = 100000, coverage = 0.3})", km.interrupt_kernel, 2.0)
    interrupted_within("bag = var.bagged(t, 3, {subsets = 100000, coverage = 0.3})", interrupt_message, 2.0)


@case
def _():
    """io.read asks the frontend (input_request) and returns the typed line; "n" gives a number"""
    msg_id = kc.execute('line = io.read()\nnum = io.read("n")\nprint(line, num + 1)', allow_stdin=True)
    for typed in ("hello there", "41"):
        request = kc.get_stdin_msg(timeout=10)
        assert request["msg_type"] == "input_request", request
        kc.input(typed)
    reply = kc.get_shell_msg(timeout=10)
    assert reply["content"]["status"] == "ok", reply["content"]
    assert stream(collect(msg_id)) == "hello there\t42\n"


@case
def _():
    """io.read without allow_stdin is a Lua error, not a hang"""
    reply, _ = run("io.read()", allow_stdin=False)
    assert reply["status"] == "error" and "allow_stdin" in reply["evalue"], reply


@case
def _():
    """an interrupt ends a wait for input"""
    msg_id = kc.execute("io.read()", allow_stdin=True)
    assert kc.get_stdin_msg(timeout=10)["msg_type"] == "input_request"
    km.interrupt_kernel()
    reply = kc.get_shell_msg(timeout=5)["content"]
    collect(msg_id)
    assert reply["status"] == "error" and "interrupted" in reply["evalue"], reply
    assert value("1") == "1"


@case
def _():
    """display(matrix) sends display_data with text/plain and an HTML table"""
    reply, msgs = run("display(la.matrix({{1, 2}, {3, 4.5}}))")
    shown = displayed(msgs)
    assert reply["status"] == "ok" and len(shown) == 1, msgs
    assert "<table>" in shown[0]["text/html"] and "<td>4.5</td>" in shown[0]["text/html"], shown[0]
    assert "4.5" in shown[0]["text/plain"]


@case
def _():
    """a plot without `file` is display_data with a PNG and an SVG"""
    reply, msgs = run("plot.lines{x = {1, 2, 3}, y = {{1, 4, 9}}, labels = {'y'}}", timeout=60)
    assert reply["status"] == "ok", reply
    shown = displayed(msgs)
    assert len(shown) == 1, msgs
    assert base64.b64decode(shown[0]["image/png"])[:8] == b"\x89PNG\r\n\x1a\n"
    assert "<svg" in shown[0]["image/svg+xml"]


@case
def _():
    """a figure's `size` without `file` counts characters: text/plain 70×16, the PNG at 640×440 pixels"""
    reply, msgs = run("plot.lines{x = {1, 2, 3}, y = {{1, 4, 9}}, size = {70, 16}}", timeout=60)
    assert reply["status"] == "ok", reply
    shown = displayed(msgs)
    png = base64.b64decode(shown[0]["image/png"])
    assert (int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")) == (640, 440)
    text = shown[0]["text/plain"].replace("\f", "").rstrip("\n").split("\n")
    assert len(text) == 16 and max(map(len, text)) == 70, text


def send_raw(session, code):
    msg = session.msg("execute_request", {"code": code, "silent": False, "store_history": True,
                                          "user_expressions": {}, "allow_stdin": False, "stop_on_error": True})
    frames = session.serialize(msg)
    kc.shell_channel.socket.send_multipart(frames)
    return frames


@case
def _():
    """a message signed with the wrong key is refused and logged, never executed"""
    bad = Session(key=b"not-the-key", username="intruder")
    send_raw(bad, "intruder_ran = true")
    time.sleep(0.5)
    assert value("intruder_ran") == "nil"
    log_file.flush()
    assert "invalid signature" in open(LOG).read()


@case
def _():
    """a replayed message (same signature) is refused: the code runs once"""
    frames = send_raw(kc.session, "replays = (replays or 0) + 1")
    kc.get_shell_msg(timeout=10)
    kc.shell_channel.socket.send_multipart(frames)
    time.sleep(0.5)
    assert value("replays") == "1"
    assert "duplicate signature" in open(LOG).read()


@case
def _():
    """restart: a fresh Lua state on the same connection"""
    run("survivor = 1")
    km.restart_kernel(now=False)
    kc.wait_for_ready(timeout=30)
    assert value("survivor") == "nil"
    assert value("la.zeros(1, 1):nrows()") == "1"


@case
def _():
    """shutdown_request ends the process with status 0"""
    kc.shutdown()
    reply = kc.control_channel.get_msg(timeout=10)
    assert reply["msg_type"] == "shutdown_reply", reply
    proc = km.provisioner.process
    deadline = time.monotonic() + 5
    while proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert proc.poll() == 0, proc.poll()


kc.stop_channels()
if km.is_alive():
    km.shutdown_kernel(now=True)
log_file.close()
shutil.rmtree(TMP, ignore_errors=True)
finish()
