import DescryLinalg
#if canImport(Glibc)
import Glibc
#endif

/// A Jupyter message as the kernel sees it (messaging protocol 5.3, "General Message Format"):
/// the routing identities of its sender, then header, parent header, metadata and content.
struct KernelMessage {
    var identities: [[UInt8]]
    var header: JSONValue
    var parentHeader: JSONValue
    var metadata: JSONValue
    var content: JSONValue

    var type: String { header["msg_type"]?.stringValue ?? "" }

    /// Member `key` of the content (nil when absent).
    subscript(key: String) -> JSONValue? { content[key] }
}

/// The wire form of Jupyter messages (protocol 5.3, "The Wire Protocol"): identities, the
/// `<IDS|MSG>` delimiter, the HMAC-SHA256 signature (hex) of the four JSON frames, the four JSON
/// frames, extra binary buffers. A message whose signature does not match, or which replays a
/// signature already seen, is refused before anything reads its content.
final class KernelWire {
    static let delimiter = Array("<IDS|MSG>".utf8)
    static let protocolVersion = "5.3"

    private let signer: HMACSHA256?
    let session = KernelWire.uuid()
    private var seenSignatures = Set<String>()
    private let lock = KernelLock()

    /// `key` empty: messages are neither signed nor checked (the protocol's "no key").
    init(key: String) {
        signer = key.isEmpty ? nil : HMACSHA256(key: Array(key.utf8))
    }

    /// Parses and checks the frames of a received message.
    func decode(_ frames: [[UInt8]]) throws -> KernelMessage {
        guard let d = frames.firstIndex(of: Self.delimiter) else {
            throw KernelError("message without the <IDS|MSG> delimiter")
        }
        guard frames.count >= d + 6 else { throw KernelError("message with fewer than 5 frames after <IDS|MSG>") }
        let signature = String(decoding: frames[d + 1], as: UTF8.self)
        let signed = Array(frames[(d + 2)...(d + 5)])
        if let signer {
            let expected = Array(signer.hexCode(signed).utf8)
            guard HMACSHA256.constantTimeEqual(expected, frames[d + 1]) else {
                throw KernelError("invalid signature")
            }
            let fresh = lock.locked { seenSignatures.insert(signature).inserted }
            guard fresh else { throw KernelError("duplicate signature (replayed message)") }
        }
        let json = try signed.map { try JSONValue.parse(bytes: $0) }
        return KernelMessage(identities: Array(frames[..<d]), header: json[0], parentHeader: json[1],
                             metadata: json[2], content: json[3])
    }

    /// The frames of a new message of `type` replying to (or caused by) `parent`.
    func encode(type: String, content: JSONValue, parent: KernelMessage?, identities: [[UInt8]],
                metadata: JSONValue = .object([])) -> [[UInt8]] {
        let header = JSONValue.object([
            ("msg_id", .string(Self.uuid())),
            ("session", .string(session)),
            ("username", .string("descry")),
            ("date", .string(Self.timestamp())),
            ("msg_type", .string(type)),
            ("version", .string(Self.protocolVersion)),
        ])
        let json = [header, parent?.header ?? .object([]), metadata, content].map {
            Array($0.serialized().utf8)
        }
        let signature = signer.map { Array($0.hexCode(json).utf8) } ?? []
        return identities + [Self.delimiter, signature] + json
    }

    /// A random (version 4) UUID in its 8-4-4-4-12 hexadecimal form.
    static func uuid() -> String {
        var bytes = (0..<16).map { _ in UInt8.random(in: 0...255) }
        bytes[6] = (bytes[6] & 0x0f) | 0x40
        bytes[8] = (bytes[8] & 0x3f) | 0x80
        let hex = SHA256.hex(bytes)
        let cuts = [8, 12, 16, 20]
        var out = ""
        for (i, c) in hex.enumerated() {
            if cuts.contains(i) { out += "-" }
            out.append(c)
        }
        return out
    }

    /// The current UTC time in ISO 8601 with microseconds (`2026-11-27T09:30:00.123456Z`).
    static func timestamp() -> String {
        var tv = timeval()
        gettimeofday(&tv, nil)
        var t = tv.tv_sec
        var parts = tm()
        gmtime_r(&t, &parts)
        func pad(_ v: Int, _ width: Int) -> String {
            let s = String(v)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        return "\(pad(Int(parts.tm_year) + 1900, 4))-\(pad(Int(parts.tm_mon) + 1, 2))-\(pad(Int(parts.tm_mday), 2))"
            + "T\(pad(Int(parts.tm_hour), 2)):\(pad(Int(parts.tm_min), 2)):\(pad(Int(parts.tm_sec), 2))"
            + ".\(pad(Int(tv.tv_usec), 6))Z"
    }
}
