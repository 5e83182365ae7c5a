"""Shared runner of the Python command-line tests (cli_test.py, safety_test.py): the `descry`
binary under test (argv[1]), the repository root, a `@case` decorator that runs a check at once
and prints `ok`/`FAIL`/`skip` with its docstring, and `finish()`, which prints
`N passed, N failed[, N skipped]` and exits non-zero on any failure."""
import os
import sys
import traceback

DESCRY = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else ".build/release/descry")
ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
results = []
skipped = []


def case(fn):
    """Runs fn() now; a return value of "skip" counts it as skipped, an exception as failed."""
    try:
        r = fn()
        if r == "skip":
            skipped.append(fn.__doc__)
            print("skip " + fn.__doc__)
            return fn
        results.append(True)
        print("ok   " + fn.__doc__)
    except Exception as e:  # noqa: BLE001
        results.append(False)
        print("FAIL " + (fn.__doc__ or fn.__name__) + "\n    " +
              "".join(traceback.format_exception_only(type(e), e)).strip())
    return fn


def finish():
    """Prints the summary line and exits 0 when every case passed (skipped ones aside)."""
    passed = sum(results)
    line = f"{passed} passed, {len(results) - passed} failed"
    if skipped:
        line += f", {len(skipped)} skipped"
    print(line)
    sys.exit(0 if passed == len(results) else 1)
