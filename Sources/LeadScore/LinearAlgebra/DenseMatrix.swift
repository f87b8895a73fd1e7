/// A dense matrix of doubles in row-major order: element (i, j) is at
/// `values[i * columns + j]`, so the leading dimension is `columns`.
///
/// Row-major suits the design matrix of a lead-scoring model: rows arrive one
/// lead at a time from a CSV file, and a block of consecutive rows is a
/// contiguous slice that BLAS can use directly.
public struct DenseMatrix: Sendable, Equatable {
    public let rows: Int
    public let columns: Int
    public var values: [Double]

    public init(rows: Int, columns: Int, repeating value: Double = 0) {
        precondition(rows >= 0 && columns >= 0)
        self.rows = rows
        self.columns = columns
        self.values = [Double](repeating: value, count: rows * columns)
    }

    public init(rows: Int, columns: Int, values: [Double]) {
        precondition(values.count == rows * columns, "DenseMatrix: \(values.count) values for \(rows)×\(columns)")
        self.rows = rows
        self.columns = columns
        self.values = values
    }

    /// Builds a matrix from an array of equally long rows.
    public init(rowArrays: [[Double]]) {
        let columns = rowArrays.first?.count ?? 0
        var values: [Double] = []
        values.reserveCapacity(rowArrays.count * columns)
        for row in rowArrays {
            precondition(row.count == columns, "DenseMatrix: ragged rows")
            values.append(contentsOf: row)
        }
        self.init(rows: rowArrays.count, columns: columns, values: values)
    }

    public subscript(i: Int, j: Int) -> Double {
        get { values[i * columns + j] }
        set { values[i * columns + j] = newValue }
    }

    /// The matrix with a column of ones appended as the last column: the
    /// intercept convention used throughout LeadScore (as in LIBLINEAR, the
    /// intercept is the last coordinate).
    public func appendingInterceptColumn() -> DenseMatrix {
        var out = DenseMatrix(rows: rows, columns: columns + 1)
        values.withUnsafeBufferPointer { src in
            out.values.withUnsafeMutableBufferPointer { dst in
                for i in 0..<rows {
                    let s = i * columns, d = i * (columns + 1)
                    for j in 0..<columns { dst[d + j] = src[s + j] }
                    dst[d + columns] = 1
                }
            }
        }
        return out
    }
}
