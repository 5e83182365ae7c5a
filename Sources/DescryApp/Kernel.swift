import CZmq
import CLua
import LuaShim
import LuaBridge
import DescryLinalg
import DescryBindings
#if canImport(Glibc)
import Glibc
#endif

/// `descry kernel -f CONNECTION_FILE`: a Jupyter kernel (messaging protocol 5.3, ZeroMQ, HMAC-SHA256
/// signatures) running one descry Lua state, as IPython's kernel (ipykernel) runs Python. The
/// main thread owns the Lua state and the shell and stdin channels; background threads answer
/// the heartbeat, the control channel (interrupt, shutdown) and forward captured output. A
/// message whose signature does not verify is logged on the kernel's standard error and never
/// run; a Lua error is reported to the frontend and the kernel carries on.
final class Kernel {
    let wire: KernelWire
    let shell: KernelSocket
    let control: KernelSocket
    let stdin: KernelSocket
    let heartbeat: KernelSocket
    let publisher: KernelPublisher
    let output: KernelOutputCapture
    let state: LuaState
    /// The thread that runs Lua (interrupts are delivered to it as SIGINT).
    let mainThread = pthread_self()

    var executionCount = 0
    /// Executed cells (execution count, code) for `history_request`.
    var history: [(Int, String)] = []
    /// The execute request running now, and whether it allows `input_request`.
    var running: KernelMessage?
    var allowStdin = false
    /// Set by a failed cell with stop_on_error: queued execute requests are then aborted.
    var abortQueued = false

    init(connectionFile: String) throws {
        let connection = try KernelConnection(file: connectionFile)
        wire = KernelWire(key: connection.key)
        var context: UnsafeMutableRawPointer?
        // libzmq's I/O threads inherit a mask blocking SIGINT: Ctrl-C goes to the Lua thread.
        KernelThreads.withSigintBlocked { context = zmq_ctx_new() }
        guard let context else { throw KernelError("cannot create a ZeroMQ context") }
        let listening = connection.claimInherited()
        shell = try KernelSocket(context: context, type: ZMQ_ROUTER, endpoint: connection.endpoint(connection.shellPort),
                                 listening: listening[0])
        control = try KernelSocket(context: context, type: ZMQ_ROUTER, endpoint: connection.endpoint(connection.controlPort),
                                   listening: listening[1])
        stdin = try KernelSocket(context: context, type: ZMQ_ROUTER, endpoint: connection.endpoint(connection.stdinPort),
                                 listening: listening[2])
        heartbeat = try KernelSocket(context: context, type: ZMQ_REP, endpoint: connection.endpoint(connection.hbPort),
                                     listening: listening[3])
        let iopub = try KernelSocket(context: context, type: ZMQ_PUB, endpoint: connection.endpoint(connection.iopubPort),
                                     listening: listening[4])
        publisher = KernelPublisher(socket: iopub, wire: wire)
        output = try KernelOutputCapture(publisher: publisher)
        state = Environment.makeState(scriptDirectory: ".")
        Environment.preloadGlobals(state)
        installLuaSide()
    }

    /// Serves requests until a shutdown request (which ends the process) or a closed socket.
    func run() -> Int32 {
        Interrupts.install(state)
        ReplSettings.markBaseline(state)
        output.start()
        KernelThreads.start { [self] in serveHeartbeat() }
        KernelThreads.start { [self] in serveControl() }
        publisher.status("starting")
        while let frames = shell.receive() {
            handleShell(frames)
        }
        output.log("the shell channel closed")
        return 1
    }

    /// Sends a reply of `type` to `request` on `socket` (shell, control or stdin).
    func reply(_ request: KernelMessage, on socket: KernelSocket, _ type: String, _ content: JSONValue) {
        socket.send(wire.encode(type: type, content: content, parent: request, identities: request.identities))
    }

    private func handleShell(_ frames: [[UInt8]]) {
        guard let request = decode(frames, channel: "shell") else { return }
        serve(request)
    }

    /// The message in `frames`, or nil after logging why it was refused (bad or replayed
    /// signature, malformed frames): a refused message is never run.
    func decode(_ frames: [[UInt8]], channel: String) -> KernelMessage? {
        do {
            return try wire.decode(frames)
        } catch {
            output.log("\(channel): message refused: \(error)")
            return nil
        }
    }

    /// After a failed cell with `stop_on_error`, the execute requests already waiting are
    /// answered `aborted` without running (as ipykernel does: "Run all" stops at the first
    /// failing cell); other requests waiting are served. Runs before the failed cell's status
    /// idle, so a client that waits for idle before its next request is never aborted.
    private func abortQueuedExecutes() {
        while shell.waitReadable(timeoutMs: 0), let frames = shell.receive() {
            guard let queued = try? wire.decode(frames) else {
                output.log("shell: message refused while aborting: bad signature or frames")
                continue
            }
            guard queued.type == "execute_request" else {
                serve(queued)
                continue
            }
            publisher.setParent(queued)
            publisher.status("busy")
            reply(queued, on: shell, "execute_reply", .object([("status", .string("aborted"))]))
            publisher.status("idle")
        }
    }

    private func serve(_ request: KernelMessage) {
        // an interrupt that arrived while idle is dropped (as ipykernel does)
        _ = descry_interrupt_delivered(state.L)
        publisher.setParent(request)
        publisher.status("busy")
        switch request.type {
        case "kernel_info_request":
            reply(request, on: shell, "kernel_info_reply", KernelInfo.content)
        case "execute_request":
            execute(request)
        case "complete_request":
            reply(request, on: shell, "complete_reply", complete(request))
        case "inspect_request":
            reply(request, on: shell, "inspect_reply", inspect(request))
        case "is_complete_request":
            reply(request, on: shell, "is_complete_reply", isComplete(request))
        case "history_request":
            reply(request, on: shell, "history_reply", historyReply(request))
        case "comm_info_request":
            reply(request, on: shell, "comm_info_reply", .object([("status", .string("ok")), ("comms", .object([]))]))
        case "shutdown_request":
            shutdown(request, on: shell)
        default:
            output.log("shell: unknown message type '\(request.type)' ignored")
        }
        output.flush()
        if abortQueued {
            abortQueued = false
            abortQueuedExecutes()
            publisher.setParent(request)
        }
        publisher.status("idle")
    }

    private func serveHeartbeat() {
        while let ping = heartbeat.receive() {
            heartbeat.send(ping)
        }
    }

    private func serveControl() {
        while let frames = control.receive() {
            guard let request = decode(frames, channel: "control") else { continue }
            switch request.type {
            case "kernel_info_request":
                reply(request, on: control, "kernel_info_reply", KernelInfo.content)
            case "interrupt_request":
                // the same path as Ctrl-C and signal-mode interrupts: SIGINT to the Lua thread
                pthread_kill(mainThread, SIGINT)
                reply(request, on: control, "interrupt_reply", .object([("status", .string("ok"))]))
            case "shutdown_request":
                shutdown(request, on: control)
            default:
                output.log("control: unknown message type '\(request.type)' ignored")
            }
        }
    }

    /// Replies, then ends the process (a restart is the frontend starting a new kernel).
    /// libzmq sends queued messages from its I/O thread; 50 ms leaves it time to do so.
    private func shutdown(_ request: KernelMessage, on socket: KernelSocket) {
        let restart = request["restart"] ?? .bool(false)
        let content = JSONValue.object([("status", .string("ok")), ("restart", restart)])
        reply(request, on: socket, "shutdown_reply", content)
        publisher.publish("shutdown_reply", content, parent: request)
        output.flush()
        usleep(50_000)
        _exit(0)
    }
}

/// The `kernel_info_reply` content (protocol 5.3, "Kernel info").
enum KernelInfo {
    static let content = JSONValue.object([
        ("status", .string("ok")),
        ("protocol_version", .string(KernelWire.protocolVersion)),
        ("implementation", .string("descry")),
        ("implementation_version", .string(descryVersion)),
        ("language_info", .object([
            ("name", .string("lua")),
            ("version", .string("5.4")),
            ("mimetype", .string("text/x-lua")),
            ("file_extension", .string(".lua")),
            ("pygments_lexer", .string("lua")),
            ("codemirror_mode", .string("lua")),
        ])),
        ("banner", .string("descry \(descryVersion) (Lua 5.4, Swift) — help(), ?name for docs")),
        ("help_links", .array([])),
        ("debugger", .bool(false)),
    ])
}
