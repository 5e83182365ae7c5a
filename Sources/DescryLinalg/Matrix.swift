/// A dense Float64 matrix stored row-major (C order, numpy's default): element (i, j),
/// 0-based, is `data[i * cols + j]`. Rows are samples, columns are features (as scikit-learn).
/// Value semantics (copy-on-write through the `data` array).
public struct Matrix: Equatable {
    public private(set) var rows: Int
    public private(set) var cols: Int
    public var data: [Double]

    /// A `rows × cols` matrix filled with `value`.
    public init(rows: Int, cols: Int, repeating value: Double = 0) {
        precondition(rows >= 0 && cols >= 0, "Matrix: negative shape")
        self.rows = rows
        self.cols = cols
        self.data = [Double](repeating: value, count: rows * cols)
    }

    /// Wraps row-major `data` of length `rows * cols`.
    public init(rows: Int, cols: Int, data: [Double]) {
        precondition(rows >= 0 && cols >= 0 && data.count == rows * cols, "Matrix: data does not fit shape")
        self.rows = rows
        self.cols = cols
        self.data = data
    }

    /// Number of elements.
    @inline(__always) public var count: Int { rows * cols }

    /// Shape as `"rows×cols"`, for error messages.
    public var shapeDescription: String { "\(rows)×\(cols)" }

    /// Element (i, j), 0-based.
    @inline(__always) public subscript(i: Int, j: Int) -> Double {
        get { data[i * cols + j] }
        set { data[i * cols + j] = newValue }
    }

    /// Reinterprets the shape without moving data (row-major order kept).
    public mutating func reshape(rows r: Int, cols c: Int) {
        precondition(r * c == count, "Matrix.reshape: size mismatch")
        rows = r
        cols = c
    }
}

/// A failure in an engine computation or file operation, with a message fit for a user:
/// Lua bindings turn it into a catchable Lua error prefixed by the function name.
public struct EngineError: Error, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
