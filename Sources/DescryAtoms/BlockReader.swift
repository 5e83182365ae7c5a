import CZlib
import Glibc

/// Reads a plain or gzip file through zlib in large blocks (1 MiB `gzread` calls; 4 MiB for a
/// plain file parsed on several threads) and hands out its lines in place, found with `memchr`:
/// no per-line library call, no copy. A line stays valid, and may be modified in place (the byte
/// after it included), until the next call. Memory is one block plus the longest line, which is
/// capped by the caller.
final class BlockReader {
    /// One result of `nextLine`.
    enum Line {
        /// `count` bytes at `start` (newline and carriage return removed); `newline` is false
        /// for a last line without a terminating newline.
        case line(start: UnsafeMutablePointer<UInt8>, count: Int, newline: Bool)
        case end
        /// The line being read is longer than the cap.
        case tooLong
        case readError(String)
    }

    /// Bytes per read of a gzip file (inflated blocks), or of a plain file parsed on one thread.
    static let blockBytes = 1 << 20
    /// Bytes per read of a plain file parsed on several threads: fewer, larger spans per
    /// hand-out to the workers (measured on 2 cores, 17-digit dump: 1101 against 1150 MB/s at
    /// 1 and 4 MiB); one thread keeps 1 MiB, which stays in its core's cache.
    static let parallelBlockBytes = 1 << 22
    /// Bytes per read (and per growth of the buffer): `blockBytes` or `parallelBlockBytes`.
    private let readBytes: Int
    /// Readable bytes after the buffer's end (zeros), so scanners may read 8 bytes at a time
    /// past any byte of a line (`FieldScanner`).
    static let padding = 16
    private let file: gzFile
    private var storage: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    /// Unread bytes are storage[start..<end]; storage[end] always exists (one spare byte).
    private var start = 0
    private var end = 0
    /// Bytes from `start` already searched for a newline without finding one.
    private var scanned = 0
    private var atEOF = false

    /// Inflates a gzip file on its own thread (nil for plain files, or when the thread could
    /// not be started: then this thread inflates).
    private var inflater: InflateThread?

    /// Wraps an open zlib file; the caller keeps ownership of `file` and closes it only after
    /// this reader is gone. Gzip input is inflated on a thread of its own.
    init(file: gzFile) {
        self.file = file
        readBytes = gzdirect(file) != 0 && availableCPUs() > 1 ? BlockReader.parallelBlockBytes : BlockReader.blockBytes
        capacity = readBytes + 1
        storage = BlockReader.allocate(capacity)
        if gzdirect(file) == 0 { inflater = InflateThread(file: file, blockBytes: BlockReader.blockBytes) }
    }

    deinit {
        inflater?.stop()
        storage.deallocate()
    }

    /// True when the file is not compressed (zlib reads it as is).
    var isPlain: Bool { gzdirect(file) != 0 }

    /// An upper bound on the text bytes not yet handed out, given the file's size on disk:
    /// exact for a plain file; for gzip, the compressed bytes left times zlib's largest
    /// expansion (1032) plus zlib's buffers; both plus what is buffered here. Nil on overflow.
    func remainingBytesBound(fileSize: Int) -> Int? {
        let buffered = end - start
        if let inflating = inflater {
            let (offset, queued) = inflating.progress
            let (bound, overflow) = max(0, fileSize - offset).multipliedReportingOverflow(by: 1032)
            return overflow ? nil : bound + (1 << 20) + queued + buffered
        }
        if gzdirect(file) != 0 { return max(0, fileSize - Int(gztell(file))) + buffered }
        let offset = Int(gzoffset(file))
        guard offset >= 0 else { return nil }
        let (bound, overflow) = max(0, fileSize - offset).multipliedReportingOverflow(by: 1032)
        return overflow ? nil : bound + (1 << 20) + buffered
    }

    /// The next line; lines longer than `maxBytes` are refused (`.tooLong`) before the buffer
    /// grows past `maxBytes` plus one block.
    func nextLine(maxBytes: Int) -> Line {
        while true {
            let searchFrom = start + scanned
            if let nl = memchr(storage + searchFrom, 10, end - searchFrom) {
                let at = nl.assumingMemoryBound(to: UInt8.self) - storage
                // a read may bring a whole over-long line at once
                if at - start > maxBytes { return .tooLong }
                return take(upTo: at, newline: true)
            }
            scanned = end - start
            if scanned > maxBytes { return .tooLong }
            if atEOF {
                if start == end { return .end }
                return take(upTo: end, newline: false)
            }
            if let failure = refill() { return .readError(failure) }
        }
    }

    /// One result of `completeLines`.
    enum Span {
        /// `count` ≥ 1 bytes of complete lines at `base`, the last byte a newline; at least
        /// `padding` readable bytes follow.
        case lines(base: UnsafeMutablePointer<UInt8>, count: Int)
        /// Only a last line without a newline is left (read it with `nextLine`).
        case unterminated
        case end
        case tooLong
        case readError(String)
    }

    /// All complete lines buffered at the read position, reading more when none is complete
    /// (lines longer than `maxBytes` refused as in `nextLine`). They stay in place, and may be
    /// modified in place, until `consume` or the next read; lines keep their newline and
    /// carriage return.
    func completeLines(maxBytes: Int) -> Span {
        while true {
            var last = end - 1
            let floor = start + scanned
            while last >= floor && storage[last] != 10 { last -= 1 }
            if last >= floor { return .lines(base: storage + start, count: last + 1 - start) }
            scanned = end - start
            if scanned > maxBytes { return .tooLong }
            if atEOF { return start == end ? .end : .unterminated }
            if let failure = refill() { return .readError(failure) }
        }
    }

    /// Moves the read position `bytes` bytes on (whole lines of `completeLines`).
    func consume(_ bytes: Int) {
        start += bytes
        scanned = 0
    }

    /// `capacity` bytes followed by `padding` zeros.
    private static func allocate(_ capacity: Int) -> UnsafeMutablePointer<UInt8> {
        let p = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity + padding)
        (p + capacity).initialize(repeating: 0, count: padding)
        return p
    }

    /// Hands out storage[start..<at] (without a trailing carriage return) and moves past `at`.
    private func take(upTo at: Int, newline: Bool) -> Line {
        var count = at - start
        let line = storage + start
        if count > 0 && line[count - 1] == 13 { count -= 1 }
        start = newline ? at + 1 : at
        scanned = 0
        return .line(start: line, count: count, newline: newline)
    }

    /// Moves the unread bytes to the front, grows the buffer when a line fills it, and reads
    /// one more block; nil on success (or end of file), else zlib's message.
    private func refill() -> String? {
        if start > 0 {
            if end > start { memmove(storage, storage + start, end - start) }
            end -= start
            start = 0
        }
        if capacity - 1 - end < readBytes / 2 {
            let grown = BlockReader.allocate(capacity + readBytes)
            grown.update(from: storage, count: end)
            storage.deallocate()
            storage = grown
            capacity += readBytes
        }
        let room = min(capacity - 1 - end, Int(Int32.max))
        if let inflating = inflater {
            let (got, failure) = inflating.take(into: storage + end, room: room)
            if let message = failure { return message }
            if got == 0 { atEOF = true }
            end += got
            return nil
        }
        let got = gzread(file, storage + end, UInt32(room))
        if got < 0 {
            var code: Int32 = 0
            let message = gzerror(file, &code)
            return message.map { String(cString: $0) } ?? "unknown"
        }
        if got == 0 {
            var code: Int32 = 0
            let message = gzerror(file, &code)
            if code != Z_OK && code != Z_STREAM_END { return message.map { String(cString: $0) } ?? "unknown" }
            atEOF = true
        }
        end += Int(got)
        return nil
    }
}
