import Dispatch
#if canImport(Glibc)
import Glibc
#endif

/// Hands out chunk indices 0..<total to worker threads one at a time (dynamic scheduling), so a
/// worker on a busier core simply takes fewer chunks. Results stay deterministic when each chunk
/// writes its own slot and slots are reduced in chunk order, whoever computed them.
public final class ChunkQueue {
    private let total: Int
    private var next = 0
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>

    public init(total: Int) {
        self.total = total
        mutex = .allocate(capacity: 1)
        pthread_mutex_init(mutex, nil)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    /// The next chunk index, or nil when all are taken.
    public func take() -> Int? {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        guard next < total else { return nil }
        next += 1
        return next - 1
    }
}

extension ChunkQueue {
    /// Runs `worker(queue)` on min(threads, chunks) workers sharing one queue of `chunks` chunk
    /// indices (on the calling thread alone when that is 1); each worker loops on `take()`.
    public static func perform(chunks: Int, threads: Int, _ worker: (ChunkQueue) -> Void) {
        let queue = ChunkQueue(total: chunks)
        let nt = Swift.max(1, Swift.min(threads, chunks))
        if nt == 1 {
            worker(queue)
        } else {
            DispatchQueue.concurrentPerform(iterations: nt) { _ in worker(queue) }
        }
    }
}
