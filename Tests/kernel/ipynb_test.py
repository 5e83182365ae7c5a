#!/usr/bin/env python3
"""Two formats, one lesson: every text notebook in notebooks-txt/ exported to .ipynb
(`descry notebook export --to ipynb`) is a valid nbformat 4 notebook (nbformat.validate) and
imports back (`descry notebook import`) byte for byte; nbclient executes each exported lesson
with the descry kernel, and the outputs it records match the lesson's expected outputs under
`notebook check`'s rules (`descry notebook compare`: tolerances, wildcards, setup and varies cells).
Usage: ipynb_test.py [path/to/descry] [lesson.txt ...]. Ends with `N passed, N failed`."""
import glob
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "cli"))
from cases import DESCRY, ROOT, case, finish  # noqa: E402  (the shared runner of the CLI tests)
from jupyter_sandbox import jupyter_sandbox  # noqa: E402

try:
    import nbformat
    from nbclient import NotebookClient
except ImportError:
    print("nbclient/nbformat are missing (scripts/setup --test installs them)")
    print("0 passed, 1 failed")
    sys.exit(1)

TMP, PREFIX = jupyter_sandbox(DESCRY, "ipynb-test")

lessons = sys.argv[2:] or sorted(p for p in glob.glob(os.path.join(ROOT, "notebooks-txt", "*.txt"))
                                 if os.path.basename(p) != "README.txt")


def descry(*args):
    return subprocess.run([DESCRY, *args], capture_output=True, text=True)


for lesson in lessons:
    name = os.path.basename(lesson)
    exported = os.path.join(TMP, name.replace(".txt", ".ipynb"))

    def round_trip(lesson=lesson, exported=exported):
        r = descry("notebook", "export", lesson, "--to", "ipynb", "-o", exported)
        assert r.returncode == 0, r.stderr
        nbformat.validate(nbformat.read(exported, as_version=4))
        back = os.path.join(TMP, "back-" + os.path.basename(lesson))
        r = descry("notebook", "import", exported, "-o", back)
        assert r.returncode == 0, r.stderr
        with open(lesson, "rb") as a, open(back, "rb") as b:
            assert a.read() == b.read(), f"{back} differs from {lesson}"
    round_trip.__doc__ = f"{name}: export to .ipynb (valid nbformat 4) and import give the text back exactly"
    case(round_trip)

    def executed(lesson=lesson, exported=exported):
        nb = nbformat.read(exported, as_version=4)
        folder = os.path.dirname(lesson)
        NotebookClient(nb, timeout=600, kernel_name="descry", allow_errors=True,
                       resources={"metadata": {"path": folder}}).execute()
        ran = os.path.join(TMP, "ran-" + os.path.basename(exported))
        nbformat.write(nb, ran)
        r = descry("notebook", "compare", lesson, ran)
        assert r.returncode == 0, (r.stdout + r.stderr)[-3000:]
    executed.__doc__ = f"{name}: nbclient runs it on the descry kernel; its outputs match the lesson's"
    case(executed)



@case
def _():
    """import of a notebook written in Jupyter (no descry metadata): `> `/`>> ` lines, outputs"""
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# Title\nsome prose"),
                nbformat.v4.new_code_cell("x = 1\n\nx + 1", outputs=[
                    nbformat.v4.new_output("stream", name="stdout", text="a\n\nb\n"),
                    nbformat.v4.new_output("execute_result", data={"text/plain": "2"}, execution_count=1)])]
    path = os.path.join(TMP, "authored.ipynb")
    nbformat.write(nb, path)
    r = descry("notebook", "import", path)
    assert r.returncode == 0, r.stderr
    with open(os.path.join(TMP, "authored.txt")) as f:
        assert f.read() == "# Title\nsome prose\n> x = 1\n>>\n>> x + 1\na\n<BLANKLINE>\nb\n2\n"


@case
def _():
    """numbered headings ("1. Data" over ---) export as Markdown headings ("1\\. Data"), import back"""
    text = "Title\n=====\n1. Data\n-------\nprose\n\n2) More\n=======\n12. not a heading\n> 1\n1\n"
    path = os.path.join(TMP, "numbered.txt")
    with open(path, "w") as f:
        f.write(text)
    assert descry("notebook", "export", path, "--to", "ipynb").returncode == 0
    exported = path.replace(".txt", ".ipynb")
    nb = nbformat.read(exported, as_version=4)
    assert nb.cells[0].source == "Title\n=====\n1\\. Data\n-------\nprose\n\n2\\) More\n=======\n12. not a heading", nb.cells[0]
    assert descry("notebook", "import", exported, "-o", path + ".back").returncode == 0
    with open(path + ".back") as f:
        assert f.read() == text
    nb.cells[0].source = nb.cells[0].source.replace("prose", "prose edited in Jupyter")
    nbformat.write(nb, exported)
    assert descry("notebook", "import", exported, "-o", path + ".edited").returncode == 0
    with open(path + ".edited") as f:
        assert f.read().startswith("Title\n=====\n1\\. Data\n-------\nprose edited in Jupyter\n"), "edits kept"


@case
def _():
    """bad input: a JSON file that is no notebook (exit 1, named), a bad command line (exit 2)"""
    path = os.path.join(TMP, "not-a-notebook.ipynb")
    with open(path, "w") as f:
        f.write('{"cells": 3}')
    r = descry("notebook", "import", path)
    assert r.returncode == 1 and "not-a-notebook.ipynb" in r.stderr, r
    r = descry("notebook", "export", "x.txt", "--to", "pdf")
    assert r.returncode == 2 and "usage" in r.stderr, r
    r = descry("notebook", "export", os.path.join(TMP, "missing.txt"), "--to", "ipynb")
    assert r.returncode == 1 and "missing.txt" in r.stderr, r


shutil.rmtree(TMP, ignore_errors=True)
finish()
