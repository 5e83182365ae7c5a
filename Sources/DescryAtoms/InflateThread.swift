import CZlib
import Glibc

/// Inflates a gzip file on a thread of its own into a short queue of blocks (at most `depth`
/// blocks of `blockBytes`, so memory stays bounded), while the reader parses what is already
/// inflated (issue 14: `.gz` inflated on its own thread). Only this thread touches the zlib
/// file until `stop()`; it publishes the compressed offset it has reached for size checks.
final class InflateThread {
    private let file: gzFile
    private let blockBytes: Int
    private let depth: Int
    private var queue: [(data: UnsafeMutablePointer<UInt8>, count: Int)] = []
    /// Bytes of the queue's first block already handed out.
    private var headUsed = 0
    private var finished = false
    private var failure: String?
    private var stopping = false
    private var compressedOffset = 0
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let changed = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private var thread: pthread_t?

    /// Starts inflating `file` (which the caller keeps open until `stop()` has returned).
    init?(file: gzFile, blockBytes: Int, depth: Int = 4) {
        self.file = file
        self.blockBytes = blockBytes
        self.depth = depth
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(changed, nil)
        let context = Unmanaged.passRetained(self).toOpaque()
        var tid = pthread_t()
        let rc = pthread_create(&tid, nil, { raw in
            guard let raw = raw else { return nil }
            let me = Unmanaged<InflateThread>.fromOpaque(raw).takeRetainedValue()
            me.produce()
            return nil
        }, context)
        guard rc == 0 else {
            Unmanaged<InflateThread>.fromOpaque(context).release()
            pthread_cond_destroy(changed)
            pthread_mutex_destroy(mutex)
            changed.deallocate()
            mutex.deallocate()
            return nil
        }
        thread = tid
    }

    deinit {
        for block in queue { block.data.deallocate() }
        pthread_cond_destroy(changed)
        pthread_mutex_destroy(mutex)
        changed.deallocate()
        mutex.deallocate()
    }

    /// Stops the thread and waits for it; call once, before closing the file.
    func stop() {
        pthread_mutex_lock(mutex)
        stopping = true
        pthread_cond_broadcast(changed)
        pthread_mutex_unlock(mutex)
        if let t = thread { pthread_join(t, nil) }
        thread = nil
    }

    private func produce() {
        while true {
            pthread_mutex_lock(mutex)
            while queue.count >= depth && !stopping { pthread_cond_wait(changed, mutex) }
            let stop = stopping
            pthread_mutex_unlock(mutex)
            if stop { return }
            let block = UnsafeMutablePointer<UInt8>.allocate(capacity: blockBytes)
            let got = gzread(file, block, UInt32(blockBytes))
            var message: String?
            if got <= 0 {
                var code: Int32 = 0
                let text = gzerror(file, &code)
                if got < 0 || (code != Z_OK && code != Z_STREAM_END) {
                    message = text.map { String(cString: $0) } ?? "unknown"
                }
            }
            let offset = Int(gzoffset(file))
            pthread_mutex_lock(mutex)
            compressedOffset = offset
            if got > 0 {
                queue.append((block, Int(got)))
            } else {
                block.deallocate()
                failure = message
                finished = true
            }
            pthread_cond_broadcast(changed)
            let done = finished
            pthread_mutex_unlock(mutex)
            if done { return }
        }
    }

    /// Copies up to `room` inflated bytes to `destination`, waiting for the thread when none is
    /// ready: the count (0 at the end of the file) or zlib's error message.
    func take(into destination: UnsafeMutablePointer<UInt8>, room: Int) -> (count: Int, error: String?) {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        while queue.isEmpty && !finished { pthread_cond_wait(changed, mutex) }
        guard let head = queue.first else { return (0, failure) }
        let n = min(room, head.count - headUsed)
        destination.update(from: head.data + headUsed, count: n)
        headUsed += n
        if headUsed == head.count {
            head.data.deallocate()
            queue.removeFirst()
            headUsed = 0
            pthread_cond_broadcast(changed)
        }
        return (n, nil)
    }

    /// Compressed bytes consumed so far, and inflated bytes queued but not yet taken.
    var progress: (compressedOffset: Int, queuedBytes: Int) {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return (compressedOffset, queue.reduce(0) { $0 + $1.count } - headUsed)
    }
}
