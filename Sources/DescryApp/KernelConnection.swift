import DescryLinalg
import KernelListen

/// The connection file a Jupyter frontend writes for a kernel it starts (jupyter_client's
/// `write_connection_file`): transport, address, the five ports, the signing key and scheme.
struct KernelConnection {
    let transport: String
    let ip: String
    let shellPort: Int
    let iopubPort: Int
    let stdinPort: Int
    let controlPort: Int
    let hbPort: Int
    let key: String

    init(file: String) throws {
        let text: String
        do {
            text = try readTextFile(file)
        } catch {
            throw KernelError("cannot read the connection file \(file): \(error)")
        }
        let json: JSONValue
        do {
            json = try JSONValue.parse(text)
        } catch {
            throw KernelError("\(file): not JSON: \(error)")
        }
        func port(_ name: String) throws -> Int {
            guard let v = json[name]?.doubleValue, v >= 1, v <= 65535, v == v.rounded() else {
                throw KernelError("\(file): \(name) must be a port number (1–65535)")
            }
            return Int(v)
        }
        transport = json["transport"]?.stringValue ?? "tcp"
        guard transport == "tcp" || transport == "ipc" else {
            throw KernelError("\(file): transport '\(transport)' is neither tcp nor ipc")
        }
        ip = json["ip"]?.stringValue ?? "127.0.0.1"
        shellPort = try port("shell_port")
        iopubPort = try port("iopub_port")
        stdinPort = try port("stdin_port")
        controlPort = try port("control_port")
        hbPort = try port("hb_port")
        key = json["key"]?.stringValue ?? ""
        let scheme = json["signature_scheme"]?.stringValue ?? "hmac-sha256"
        guard scheme == "hmac-sha256" else {
            throw KernelError("\(file): signature scheme '\(scheme)' is not supported (only hmac-sha256)")
        }
    }

    /// The sockets the `descry-kernel` launcher left listening on the shell, control, stdin,
    /// heartbeat and iopub ports (`kernel_listen.h`), in that order; -1 for a port it did not
    /// pre-bind (started as `descry kernel` directly, ipc transport, a host name). Inherited
    /// sockets not matching this connection are closed.
    func claimInherited() -> [Int32] {
        let ports = [shellPort, controlPort, stdinPort, hbPort, iopubPort]
        let fds: [Int32] = ports.map { transport == "tcp" ? descry_kernel_inherited_fd(ip, Int32($0)) : -1 }
        descry_kernel_inherited_release()
        return fds
    }

    /// The ZeroMQ endpoint of `port`: `tcp://ip:port`, or `ipc://ip-port` for the ipc transport.
    func endpoint(_ port: Int) -> String {
        transport == "ipc" ? "ipc://\(ip)-\(port)" : "tcp://\(ip):\(port)"
    }
}
