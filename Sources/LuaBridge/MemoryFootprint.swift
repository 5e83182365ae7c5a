/// Estimates the heap bytes a Swift value holds (array buffers and, recursively, what their
/// elements and stored properties hold), by reflection, so that every userdata type can report
/// its memory to Lua's collector without writing a size function. Arrays of trivial elements
/// (numbers, SIMD vectors) cost O(1): capacity × stride, without visiting the elements.
public enum MemoryFootprint {
    /// Heap bytes reachable from `value` (class instances counted once).
    public static func bytes(of value: Any) -> Int {
        var seen = Set<ObjectIdentifier>()
        return bytes(of: value, depth: 0, seen: &seen)
    }

    /// Heap bytes of the buffer of `array` (its elements' own heap memory not included).
    public static func buffer<T>(_ array: [T]) -> Int {
        array.capacity &* MemoryLayout<T>.stride
    }

    static let maxDepth = 8
    /// Elements visited per collection; beyond, the mean of those visited is extrapolated.
    static let sampledElements = 64

    static func bytes(of value: Any, depth: Int, seen: inout Set<ObjectIdentifier>) -> Int {
        guard depth < maxDepth else { return 0 }
        if let c = value as? any HeapCollection {
            return c.heapBytes(depth: depth, seen: &seen)
        }
        if let s = value as? String {
            return s.utf8.count > 15 ? s.utf8.count : 0
        }
        let mirror = Mirror(reflecting: value)
        var total = 0
        if mirror.displayStyle == .class {
            let id = ObjectIdentifier(value as AnyObject)
            guard seen.insert(id).inserted else { return 0 }
            total &+= 16
        }
        if mirror.displayStyle == .optional {
            return mirror.children.first.map { bytes(of: $0.value, depth: depth, seen: &seen) } ?? 0
        }
        var m: Mirror? = mirror
        while let current = m {
            for child in current.children {
                total &+= bytes(of: child.value, depth: depth + 1, seen: &seen)
            }
            m = current.superclassMirror
        }
        return total
    }
}

/// A collection whose heap buffer `MemoryFootprint` measures directly.
protocol HeapCollection {
    func heapBytes(depth: Int, seen: inout Set<ObjectIdentifier>) -> Int
}

extension Array: HeapCollection {
    func heapBytes(depth: Int, seen: inout Set<ObjectIdentifier>) -> Int {
        var total = MemoryFootprint.buffer(self)
        guard !_isPOD(Element.self), !isEmpty else { return total }
        let sample = Swift.min(count, MemoryFootprint.sampledElements)
        var sampled = 0
        for e in prefix(sample) {
            sampled &+= MemoryFootprint.bytes(of: e, depth: depth + 1, seen: &seen)
        }
        total &+= sampled / sample * count
        return total
    }
}

extension ContiguousArray: HeapCollection {
    func heapBytes(depth: Int, seen: inout Set<ObjectIdentifier>) -> Int {
        capacity &* MemoryLayout<Element>.stride
    }
}

extension Dictionary: HeapCollection {
    func heapBytes(depth: Int, seen: inout Set<ObjectIdentifier>) -> Int {
        capacity &* (MemoryLayout<Key>.stride &+ MemoryLayout<Value>.stride &+ 1)
    }
}

extension Set: HeapCollection {
    func heapBytes(depth: Int, seen: inout Set<ObjectIdentifier>) -> Int {
        capacity &* (MemoryLayout<Element>.stride &+ 1)
    }
}
