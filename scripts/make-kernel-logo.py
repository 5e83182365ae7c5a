#!/usr/bin/env python3
"""Writes stdlib/descry/jupyter-logo-64x64.png, the logo `descry kernel install` copies into the
kernelspec: a dark disc with five bars of a spectrum (the descriptors' bispectrum components).
Python standard library only (zlib + struct: PNG, RFC 2083). Usage: scripts/make-kernel-logo.py"""
import os
import struct
import zlib

SIZE = 64
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "stdlib", "descry", "jupyter-logo-64x64.png")


def pixel(x, y):
    cx = cy = (SIZE - 1) / 2
    r = ((x - cx) ** 2 + (y - cy) ** 2) ** 0.5
    if r > 31.5:
        return (0, 0, 0, 0)
    heights = [14, 30, 22, 38, 26]
    for k, h in enumerate(heights):
        left = 12 + 8 * k
        if left <= x < left + 6 and 50 - h <= y < 50:
            return (255, 196, 64, 255) if k == 3 else (240, 240, 240, 255)
    return (28, 52, 96, 255)


def chunk(kind, data):
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)


rows = b"".join(b"\x00" + b"".join(bytes(pixel(x, y)) for x in range(SIZE)) for y in range(SIZE))
png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", SIZE, SIZE, 8, 6, 0, 0, 0))
       + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b""))
with open(OUT + ".tmp", "wb") as f:
    f.write(png)
os.replace(OUT + ".tmp", OUT)
print(f"wrote {OUT} ({len(png)} bytes)")
