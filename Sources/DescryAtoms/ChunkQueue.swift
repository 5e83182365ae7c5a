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
