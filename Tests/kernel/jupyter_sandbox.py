"""A private Jupyter set-up for the kernel tests: a temporary folder whose prefix holds the descry
kernelspec (`descry kernel install --prefix`), with Jupyter's path, data and runtime folders
pointed into it, so the tests never read or write the user's own Jupyter configuration."""
import os
import subprocess
import tempfile


def jupyter_sandbox(descry, tag):
    """Creates the folder, installs the kernelspec and sets the environment; returns (folder, prefix)."""
    tmp = tempfile.mkdtemp(prefix=f"descry-{tag}-")
    prefix = os.path.join(tmp, "prefix")
    os.environ["JUPYTER_PATH"] = os.path.join(prefix, "share", "jupyter")
    os.environ["JUPYTER_DATA_DIR"] = os.path.join(tmp, "data")
    os.environ["JUPYTER_RUNTIME_DIR"] = os.path.join(tmp, "runtime")
    os.environ.pop("DESCRY_PATH", None)
    install_kernelspec(descry, prefix)
    return tmp, prefix


def install_kernelspec(descry, prefix):
    """`descry kernel install --prefix PREFIX` (raises if it fails)."""
    subprocess.run([descry, "kernel", "install", "--prefix", prefix], check=True, capture_output=True)
