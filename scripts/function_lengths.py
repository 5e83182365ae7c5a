#!/usr/bin/env python3
"""Lists Swift functions (func, init, deinit, subscripts, computed properties are not counted)
longer than a limit, by brace matching (strings and comments skipped).

Usage: python3 scripts/function_lengths.py [--max 80] DIR_OR_FILE...   (exit 1 when any is longer)
"""
import argparse
import os
import re
import sys

DECL = re.compile(r'^\s*(?:@[\w()]+\s+)*(?:(?:public|private|internal|fileprivate|static|final|override|'
                  r'mutating|convenience|required|@inline\(__always\)|@discardableResult)\s+)*'
                  r'(func\s+[^\s(<]+|init[?!]?\s*[(<]|deinit\b)')


def strip(line, state):
    """Removes string literals and comments; state tracks multi-line strings/comments."""
    out = []
    i = 0
    while i < len(line):
        open_kind = next((k for k in ("block", "multi") if state[k]), None)
        if open_kind:
            end = "*/" if open_kind == "block" else '"""'
            j = line.find(end, i)
            if j < 0:
                return "".join(out)
            state[open_kind] = False
            i = j + len(end)
            continue
        if line.startswith("//", i):
            break
        if line.startswith("/*", i):
            state["block"] = True
            i += 2
            continue
        if line.startswith('"""', i):
            state["multi"] = True
            i += 3
            continue
        if line[i] == '"':
            j = i + 1
            while j < len(line) and line[j] != '"':
                j += 2 if line[j] == "\\" else 1
            i = j + 1
            continue
        out.append(line[i])
        i += 1
    return "".join(out)


def functions(path):
    lines = open(path, encoding="utf-8").read().splitlines()
    state = {"block": False, "multi": False}
    code = [strip(l, state) for l in lines]
    for n, l in enumerate(code):
        m = DECL.match(l)
        if not m:
            continue
        depth, started = 0, False
        for k in range(n, len(code)):
            for ch in code[k]:
                if ch == "{":
                    depth += 1
                    started = True
                elif ch == "}":
                    depth -= 1
            if started and depth <= 0:
                yield m.group(1).strip(" (<"), n + 1, k - n + 1
                break


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--max", type=int, default=80)
    ap.add_argument("paths", nargs="+")
    args = ap.parse_args()
    files = []
    for p in args.paths:
        if os.path.isdir(p):
            files += sorted(os.path.join(p, f) for f in os.listdir(p) if f.endswith(".swift"))
        else:
            files.append(p)
    long = [(length, f, line, name) for f in files for name, line, length in functions(f) if length > args.max]
    for length, f, line, name in sorted(long, reverse=True):
        print(f"{f}:{line}: {name} is {length} lines (> {args.max})")
    print(f"function_lengths: {len(long)} functions over {args.max} lines in {len(files)} files")
    return 1 if long else 0


if __name__ == "__main__":
    sys.exit(main())
