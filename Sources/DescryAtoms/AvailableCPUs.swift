import Glibc

/// The number of CPUs this process may run on (its affinity mask, as `taskset` or a batch
/// scheduler's cpuset set it: `Cpus_allowed` in /proc/self/status), else the online CPUs; at
/// least 1. The text readers use it as their default thread count, so a reader pinned to one
/// core does not time-slice workers.
public func availableCPUs() -> Int {
    let online = max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
    guard let file = fopen("/proc/self/status", "r") else { return online }
    defer { fclose(file) }
    var line = [CChar](repeating: 0, count: 4096)
    while fgets(&line, Int32(line.count), file) != nil {
        let text = String(cString: line)
        guard text.hasPrefix("Cpus_allowed:") else { continue }
        // a hexadecimal mask in comma-separated groups of 32 bits
        var count = 0
        for c in text.dropFirst("Cpus_allowed:".count) {
            if let digit = c.hexDigitValue { count += digit.nonzeroBitCount }
        }
        return count > 0 ? count : online
    }
    return online
}
