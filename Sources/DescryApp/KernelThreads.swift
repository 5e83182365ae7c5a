#if canImport(Glibc)
import Glibc
#endif

/// A POSIX mutex (the kernel's threads share the iopub socket and the output pipes).
final class KernelLock {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)

    init() { pthread_mutex_init(mutex, nil) }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    func locked<T>(_ body: () throws -> T) rethrows -> T {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body()
    }
}

/// Background threads of the kernel (heartbeat, control, output capture). SIGINT is blocked in
/// them, so Ctrl-C and `interrupt_request`'s signal reach the main thread, which runs Lua.
enum KernelThreads {
    private final class Body {
        let run: () -> Void
        init(_ run: @escaping () -> Void) { self.run = run }
    }

    /// Runs `body` on a new detached thread.
    static func start(_ body: @escaping () -> Void) {
        let box = Unmanaged.passRetained(Body(body)).toOpaque()
        withSigintBlocked {
            var thread: pthread_t = 0
            let rc = pthread_create(&thread, nil, { p in
                Unmanaged<Body>.fromOpaque(p!).takeRetainedValue().run()
                return nil
            }, box)
            if rc == 0 { pthread_detach(thread) }
        }
    }

    /// Runs `body` with SIGINT blocked in this thread (threads created meanwhile inherit it).
    static func withSigintBlocked(_ body: () -> Void) {
        var blocked = sigset_t()
        var old = sigset_t()
        sigemptyset(&blocked)
        sigaddset(&blocked, SIGINT)
        pthread_sigmask(SIG_BLOCK, &blocked, &old)
        body()
        pthread_sigmask(SIG_SETMASK, &old, nil)
    }
}
