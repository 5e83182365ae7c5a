import DescryLinalg

/// The kernel's iopub channel (protocol 5.3, "Messages on the IOPub channel"): status,
/// execute_input, stream, execute_result, display_data, error. Shared by the main thread and
/// the output thread, so every send holds the lock; `parent` is the request being handled.
final class KernelPublisher {
    private let socket: KernelSocket
    private let wire: KernelWire
    let lock = KernelLock()
    /// The request whose outputs are being published (set by the main thread under `lock`).
    private var parent: KernelMessage?

    init(socket: KernelSocket, wire: KernelWire) {
        self.socket = socket
        self.wire = wire
    }

    /// Makes `message` the parent of the messages published from now on.
    func setParent(_ message: KernelMessage?) {
        lock.locked { parent = message }
    }

    /// Publishes a message of `type` (topic `kernel.<session>.<type>`) caused by `parent`
    /// (default: the request set by `setParent`).
    func publish(_ type: String, _ content: JSONValue, parent: KernelMessage? = nil) {
        lock.locked { publishLocked(type, content, parent: parent) }
    }

    /// Publishes with the lock already held (the output thread batches under it).
    func publishLocked(_ type: String, _ content: JSONValue, parent explicit: KernelMessage? = nil) {
        let topic = Array("kernel.\(wire.session).\(type)".utf8)
        let frames = wire.encode(type: type, content: content, parent: explicit ?? parent, identities: [topic])
        socket.send(frames)
    }

    /// `status` busy/idle/starting.
    func status(_ state: String) {
        publish("status", .object([("execution_state", .string(state))]))
    }
}
