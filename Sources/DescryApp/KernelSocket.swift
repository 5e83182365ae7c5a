import CZmq
#if canImport(Glibc)
import Glibc
#endif

/// An error of the Jupyter kernel (connection file, sockets, messages), reported on the
/// kernel's log (its original standard error).
struct KernelError: Error, CustomStringConvertible {
    let description: String
    init(_ message: String) { description = message }
}

/// One ZeroMQ socket of the kernel (libzmq): bound to its endpoint, multipart messages sent and
/// received whole (ZeroMQ delivers all parts or none), interrupted system calls retried.
final class KernelSocket {
    let handle: UnsafeMutableRawPointer
    let endpoint: String

    /// A socket of `type` (ZMQ_ROUTER, ZMQ_PUB, ZMQ_REP) bound to `endpoint`; queued messages are
    /// kept `lingerMs` milliseconds at close. `listening`, when not -1, is a TCP socket already
    /// listening on `endpoint` (`KernelConnection.claimInherited`), which ZeroMQ then takes over
    /// (ZMQ_USE_FD) with the connections it has queued.
    init(context: UnsafeMutableRawPointer, type: Int32, endpoint: String, listening: Int32 = -1,
         lingerMs: Int32 = 1000) throws {
        guard let s = zmq_socket(context, type) else {
            throw KernelError("cannot create a socket: \(KernelSocket.lastError())")
        }
        handle = s
        self.endpoint = endpoint
        var linger = lingerMs
        _ = zmq_setsockopt(s, ZMQ_LINGER, &linger, MemoryLayout<Int32>.size)
        var fd = listening
        if fd >= 0, zmq_setsockopt(s, ZMQ_USE_FD, &fd, MemoryLayout<Int32>.size) != 0 {
            Glibc.close(fd)
        }
        if zmq_bind(s, endpoint) != 0 {
            let why = KernelSocket.lastError()
            zmq_close(s)
            throw KernelError("cannot bind \(endpoint): \(why)")
        }
    }

    static func lastError() -> String {
        String(cString: zmq_strerror(zmq_errno()))
    }

    /// Receives one multipart message; nil when the socket or its context is closed.
    func receive() -> [[UInt8]]? {
        var parts: [[UInt8]] = []
        while true {
            var msg = zmq_msg_t()
            zmq_msg_init(&msg)
            defer { zmq_msg_close(&msg) }
            if zmq_msg_recv(&msg, handle, 0) < 0 {
                if zmq_errno() == EINTR { continue }
                return nil
            }
            let size = zmq_msg_size(&msg)
            if size > 0, let data = zmq_msg_data(&msg) {
                parts.append(Array(UnsafeRawBufferPointer(start: data, count: size)))
            } else {
                parts.append([])
            }
            if zmq_msg_more(&msg) == 0 { return parts }
        }
    }

    /// Sends `parts` as one multipart message; false when the socket cannot send.
    @discardableResult
    func send(_ parts: [[UInt8]]) -> Bool {
        for (i, part) in parts.enumerated() {
            let flags: Int32 = i + 1 < parts.count ? ZMQ_SNDMORE : 0
            while true {
                let rc = part.withUnsafeBytes { zmq_send(handle, $0.baseAddress, $0.count, flags) }
                if rc >= 0 { break }
                if zmq_errno() == EINTR { continue }
                return false
            }
        }
        return true
    }

    /// Waits up to `timeoutMs` milliseconds (-1: forever) for a message; false on timeout or when
    /// a signal interrupted the wait.
    func waitReadable(timeoutMs: Int) -> Bool {
        var item = zmq_pollitem_t(socket: handle, fd: 0, events: Int16(ZMQ_POLLIN), revents: 0)
        return zmq_poll(&item, 1, timeoutMs) > 0 && (item.revents & Int16(ZMQ_POLLIN)) != 0
    }

    func close() {
        zmq_close(handle)
    }
}
