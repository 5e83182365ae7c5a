"""Shared by the fixture generators (scripts/gen_*.py): writing a fixture atomically."""
import json
import os


def write_json_atomic(path, obj):
    """Writes obj as compact JSON (NaN refused) to path through a temporary file in the same
    directory, fsync and rename, then prints the size written."""
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        json.dump(obj, f, separators=(",", ":"), allow_nan=False)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
    print("wrote %s (%d bytes)" % (path, os.path.getsize(path)))
