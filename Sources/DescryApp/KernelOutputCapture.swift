import DescryLinalg
#if canImport(Glibc)
import Glibc
#endif

/// Sends what the kernel process writes on file descriptors 1 and 2 — Lua's print and io.write,
/// descry's own messages, child processes such as gnuplot or `!cmd` — to the frontend as
/// `stream` messages (stdout/stderr), as ipykernel does with its captured descriptors: both
/// become pipes, drained by a thread while code runs and once more before each reply.
final class KernelOutputCapture {
    private struct Stream {
        let readFD: Int32
        let name: String
        /// Bytes of an incomplete UTF-8 sequence held for the next read.
        var pending: [UInt8] = []
    }

    private let publisher: KernelPublisher
    private var streams: [Stream] = []
    /// A copy of the original standard error, for the kernel's log.
    let logFD: Int32

    init(publisher: KernelPublisher) throws {
        self.publisher = publisher
        logFD = dup(2)
        for (target, name) in [(Int32(1), "stdout"), (Int32(2), "stderr")] {
            var fds: [Int32] = [0, 0]
            guard pipe(&fds) == 0, dup2(fds[1], target) >= 0 else {
                throw KernelError("cannot capture \(name): \(String(cString: strerror(errno)))")
            }
            close(fds[1])
            _ = fcntl(fds[0], F_SETFL, fcntl(fds[0], F_GETFL) | O_NONBLOCK)
            _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
            streams.append(Stream(readFD: fds[0], name: name))
        }
        setvbuf(stdout, nil, _IOLBF, 0)
        setvbuf(stderr, nil, _IONBF, 0)
    }

    /// Writes a line on the kernel's log (the standard error the kernel was started with).
    func log(_ line: String) {
        let text = "descry kernel: " + line + "\n"
        text.withCString { p in _ = write(logFD, p, strlen(p)) }
    }

    /// Starts the thread that forwards output while code runs.
    func start() {
        KernelThreads.start { [self] in
            var fds = streams.map { pollfd(fd: $0.readFD, events: Int16(POLLIN), revents: 0) }
            while true {
                if poll(&fds, nfds_t(fds.count), -1) < 0 && errno != EINTR { return }
                drain()
            }
        }
    }

    /// Publishes everything written so far (C buffers flushed first): called before results,
    /// errors and replies, so outputs arrive in the order the code wrote them.
    func flush() {
        fflush(stdout)
        fflush(stderr)
        drain()
    }

    private func drain() {
        publisher.lock.locked {
            for k in streams.indices {
                let bytes = readAvailable(streams[k].readFD)
                if bytes.isEmpty { continue }
                let (text, rest) = Self.completeUTF8(streams[k].pending + bytes)
                streams[k].pending = rest
                if text.isEmpty { continue }
                publisher.publishLocked("stream", .object([
                    ("name", .string(streams[k].name)),
                    ("text", .string(String(decoding: text, as: UTF8.self))),
                ]))
            }
        }
    }

    private func readAvailable(_ fd: Int32) -> [UInt8] {
        var out: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        // at most 1 MiB per message, so a writer that never stops cannot hold the lock forever
        while out.count < 1 << 20 {
            let n = read(fd, &buffer, buffer.count)
            if n > 0 {
                out += buffer[0..<n]
                continue
            }
            if n < 0 && errno == EINTR { continue }
            return out
        }
        return out
    }

    /// Splits `bytes` before a trailing incomplete UTF-8 sequence (kept for the next read).
    static func completeUTF8(_ bytes: [UInt8]) -> ([UInt8], [UInt8]) {
        var start = bytes.count
        var back = 0
        while start > 0 && back < 4 && (bytes[start - 1] & 0xc0) == 0x80 {
            start -= 1
            back += 1
        }
        guard start > 0 else { return (bytes, []) }
        let lead = bytes[start - 1]
        let length = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1
        if length > 1 && back + 1 < length {
            return (Array(bytes[..<(start - 1)]), Array(bytes[(start - 1)...]))
        }
        return (bytes, [])
    }
}
