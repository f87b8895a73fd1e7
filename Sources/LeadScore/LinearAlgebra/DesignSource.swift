// Where the solver reads the design matrix from: in memory (`DenseMatrix`)
// or streamed from a file (`DesignCache`), always in the same blocks of
// consecutive rows.
//
// Every pass of the solver (LogisticRegression.swift) visits the rows
// block by block, and every block is handled by the same BLAS calls on the
// same numbers; floating-point sums are accumulated block by block in the
// same order. A model therefore depends only on the data, not on where the
// rows are stored: an in-memory and an out-of-core fit of the same design
// are bitwise identical. That holds only if every source cuts the rows at
// the same places, so the partition is fixed here, once, as a function of
// the number of columns alone (`DesignPartition`), and sources do not
// choose it.

/// One block of consecutive design rows, row-major: element (i, j) of the
/// block, which is design row `firstRow + i`, is `values[i * columns + j]`.
/// `values` is valid only during the call that receives the block.
public struct DesignBlock {
    public let firstRow: Int
    public let rows: Int
    public let columns: Int
    /// rows × columns doubles; `baseAddress` may be nil when that is 0.
    public let values: UnsafeBufferPointer<Double>

    public init(firstRow: Int, rows: Int, columns: Int, values: UnsafeBufferPointer<Double>) {
        precondition(values.count == rows * columns, "DesignBlock: \(values.count) values for \(rows)×\(columns)")
        self.firstRow = firstRow
        self.rows = rows
        self.columns = columns
        self.values = values
    }
}

/// The fixed partition of design rows into blocks.
///
/// Block size. The solver's main pass forms, per block, the scaled copy
/// √w_i·[x_i, 1] (rows × (p + 1) doubles) next to the raw rows and calls
/// dsyrk and dgemv on them, so the raw block, the scaled block and
/// dsyrk's packed panels should stay in the L2/L3 caches while they are
/// used: a block of about 1 MiB (`targetBytes`) does that on current x86
/// and ARM cores (L2 of 1–2 MiB per core), and is large enough that the
/// per-call overhead of BLAS (thread start-up, packing) is negligible
/// (measured on the 679,062 × 58 benchmark design, 2 cores: 0.5–2 MiB
/// blocks are within noise of each other, 256 KiB blocks about 25% and
/// 4 MiB blocks about 10% slower).
/// The row count is a multiple of 64 and depends only on the number of
/// columns, never on the number of rows, so results depend on the data
/// alone.
public enum DesignPartition {
    /// Target size of one block of the scaled design [X 1], in bytes.
    public static let targetBytes = 1 << 20

    /// Rows per block for a design of `columns` columns (the last block of
    /// a design may be shorter).
    public static func rowsPerBlock(columns: Int) -> Int {
        let rowBytes = MemoryLayout<Double>.stride * (columns + 1)
        let rows = targetBytes / rowBytes
        return min(max(64, rows - rows % 64), 1 << 16)
    }

    /// The row ranges of the blocks of an n-row design, in order.
    public static func blocks(rows n: Int, columns: Int) -> [Range<Int>] {
        let size = rowsPerBlock(columns: columns)
        return stride(from: 0, to: n, by: size).map { $0..<min($0 + size, n) }
    }
}

/// A design matrix (n × p, no intercept column) that the solver reads in
/// the blocks of `DesignPartition`.
public protocol DesignSource {
    var rows: Int { get }
    var columns: Int { get }
    /// Calls `body` once for each block of `DesignPartition.blocks(rows:
    /// columns:)`, in order. Throws `InputError(.io, ...)` when the rows
    /// cannot be read (a file-backed source); then `body` may have been
    /// called for some blocks only.
    func forEachBlock(_ body: (DesignBlock) -> Void) throws(InputError)
    /// A source held in memory (a `DenseMatrix`) calls `body` once with
    /// all its rows as one block and returns true: a reader that visits
    /// each row once may split them as it likes, and a fit may keep a
    /// compact copy of them beside (`CompactDesign`). A source streamed
    /// from a file returns false and does not call it; it is read block by
    /// block, again on every pass.
    func withAllRows(_ body: (DesignBlock) -> Void) -> Bool
}

extension DesignSource {
    public func withAllRows(_ body: (DesignBlock) -> Void) -> Bool { false }

    /// Every row once, in as few blocks as the source has: `body` once
    /// with all the rows of a source in memory (`withAllRows`; `allRows`
    /// true), else with each block in order (`forEachBlock`; false).
    public func forAllRowsOrEachBlock(_ body: (_ block: DesignBlock, _ allRows: Bool) -> Void) throws(InputError) {
        if !withAllRows({ body($0, true) }) { try forEachBlock { body($0, false) } }
    }
}

extension DenseMatrix: DesignSource {
    public func withAllRows(_ body: (DesignBlock) -> Void) -> Bool {
        values.withUnsafeBufferPointer { all in body(DesignBlock(firstRow: 0, rows: rows, columns: columns, values: all)) }
        return true
    }

    /// The blocks are slices of `values`; nothing is copied.
    public func forEachBlock(_ body: (DesignBlock) -> Void) {
        values.withUnsafeBufferPointer { all in
            for range in DesignPartition.blocks(rows: rows, columns: columns) {
                let slice = columns == 0
                    ? UnsafeBufferPointer<Double>(start: nil, count: 0)
                    : UnsafeBufferPointer(rebasing: all[range.lowerBound * columns..<range.upperBound * columns])
                body(DesignBlock(firstRow: range.lowerBound, rows: range.count, columns: columns, values: slice))
            }
        }
    }
}
