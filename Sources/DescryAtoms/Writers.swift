import CZlib
import DescryLinalg
import Glibc

/// Writes text to a file (".gz" suffix: gzip through zlib), throwing on failure.
public func writeText(_ text: String, to path: String, append: Bool = false) throws {
    if path.hasSuffix(".gz") {
        guard let f = gzopen(path, append ? "ab" : "wb") else { throw EngineError("\(path): cannot open for writing") }
        defer { gzclose(f) }
        var t = text
        let ok = t.withUTF8 { p in gzwrite(f, p.baseAddress, UInt32(p.count)) == Int32(p.count) || p.count == 0 }
        if !ok { throw EngineError("\(path): write failed") }
        return
    }
    guard let f = fopen(path, append ? "a" : "w") else {
        throw EngineError("\(path): cannot open for writing (\(String(cString: strerror(errno))))")
    }
    defer { fclose(f) }
    var t = text
    let n = t.withUTF8 { p in fwrite(p.baseAddress, 1, p.count, f) }
    if n != text.utf8.count { throw EngineError("\(path): write failed") }
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
