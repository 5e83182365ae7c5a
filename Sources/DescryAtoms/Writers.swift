import CZlib
import DescryLinalg
import Glibc

/// Writes text to a file (".gz" suffix: gzip through zlib) atomically: a replacing write goes
/// through a synced temporary file and a rename, an appending write is truncated back on failure
/// (`AtomicFile`), so a full disk or a file-size limit never destroys the previous file.
public func writeText(_ text: String, to path: String, append: Bool = false) throws {
    let body: (Int32) throws -> Void = { fd in
        if path.hasSuffix(".gz") { try gzipWrite(text, fd: fd, path: path) } else {
            try AtomicFile.writeAll(fd, Array(text.utf8), path: path)
        }
    }
    if append { try AtomicFile.append(path, body) } else { try AtomicFile.replace(path, body) }
}

/// Writes `text` gzip-compressed (one gzip member) to descriptor `fd`, which stays open.
private func gzipWrite(_ text: String, fd: Int32, path: String) throws {
    let copy = dup(fd)
    guard copy >= 0, let g = gzdopen(copy, "wb") else {
        if copy >= 0 { close(copy) }
        throw AtomicFile.failure(path, "cannot compress")
    }
    var t = text
    let wrote = t.withUTF8 { p -> Bool in
        var done = 0
        while done < p.count {   // gzwrite takes at most 2³¹ − 1 bytes per call
            let n = min(p.count - done, 1 << 30)
            guard gzwrite(g, p.baseAddress! + done, UInt32(n)) == Int32(n) else { return false }
            done += n
        }
        return true
    }
    let closed = gzclose(g) == Z_OK
    guard wrote, closed else { throw AtomicFile.failure(path, "cannot write") }
}

/// The LAMMPS `dump custom` text of one frame: `id type x y z` (+ ix iy iz when present, + extra
/// columns), full precision; triclinic boxes as tilt-extended `BOX BOUNDS xy xz yz`.
public func dumpText(_ f: Frame) -> String {
    var s = "ITEM: TIMESTEP\n\(f.timestep)\nITEM: NUMBER OF ATOMS\n\(f.count)\n"
    let flags = f.box.periodic.map { $0 ? "pp" : "ff" }.joined(separator: " ")
    let (lo, hi) = f.box.dumpBounds
    if f.box.isTriclinic {
        s += "ITEM: BOX BOUNDS xy xz yz \(flags)\n"
        s += "\(fmt(lo.x)) \(fmt(hi.x)) \(fmt(f.box.xy))\n\(fmt(lo.y)) \(fmt(hi.y)) \(fmt(f.box.xz))\n\(fmt(lo.z)) \(fmt(hi.z)) \(fmt(f.box.yz))\n"
    } else {
        s += "ITEM: BOX BOUNDS \(flags)\n\(fmt(lo.x)) \(fmt(hi.x))\n\(fmt(lo.y)) \(fmt(hi.y))\n\(fmt(lo.z)) \(fmt(hi.z))\n"
    }
    let img = f.images != nil && !f.unwrapped
    let pn = f.unwrapped ? "xu yu zu" : "x y z"
    s += "ITEM: ATOMS id type \(pn)\(img ? " ix iy iz" : "")\(f.columns.map { " " + $0.name }.joined())\n"
    for i in 0..<f.count {
        let p = f.positions[i]
        s += "\(f.ids[i]) \(f.types[i]) \(fmt(p.x)) \(fmt(p.y)) \(fmt(p.z))"
        if img, let im = f.images?[i] { s += " \(im.x) \(im.y) \(im.z)" }
        for c in f.columns { s += " \(fmt(c.values[i]))" }
        s += "\n"
    }
    return s
}
