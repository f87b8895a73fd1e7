import Dispatch

// Where the solver reads the design matrix from: in memory (`DenseMatrix`,
// or the compact form that holds every value, `CompactDesign`), encoded
// on demand (`EncodedDesign`), or streamed from a file (`DesignCache`),
// always in the same blocks of consecutive rows.
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
    /// Whether `withRows` may be called: the rows are held in memory or
    /// computed on demand (`CompactDesign`, `EncodedDesign`), and can be
    /// read in any order, from any thread. A source streamed from a file
    /// is read by `forEachBlock` only, again on every pass.
    var readsAnyRows: Bool { get }
    /// Calls `body` with rows `range` (row-major, `columns` doubles a
    /// row): a pointer into the source's own storage, or `scratch` (room
    /// for `range.count` rows) filled with them. Only when `readsAnyRows`.
    func withRows(_ range: Range<Int>, scratch: UnsafeMutablePointer<Double>, _ body: (UnsafePointer<Double>) -> Void)
}

extension DesignSource {
    public var readsAnyRows: Bool { false }

    public func withRows(_ range: Range<Int>, scratch: UnsafeMutablePointer<Double>, _ body: (UnsafePointer<Double>) -> Void) {
        preconditionFailure("\(Self.self) is read block by block only")
    }
}

extension DesignSource {
    /// `forEachBlock` of a source that reads any rows: each block of
    /// `DesignPartition` from `withRows`, into one buffer.
    func forEachBlockOfRows(_ body: (DesignBlock) -> Void) {
        precondition(readsAnyRows, "\(Self.self): these rows cannot be read (a compact form without its dense columns)")
        let p = columns
        let buffer = UnsafeMutablePointer<Double>.allocate(capacity: max(DesignPartition.rowsPerBlock(columns: p) * p, 1))
        defer { buffer.deallocate() }
        for range in DesignPartition.blocks(rows: rows, columns: p) {
            withRows(range, scratch: buffer) { values in
                let all = p == 0 ? UnsafeBufferPointer<Double>(start: nil, count: 0) : UnsafeBufferPointer(start: values, count: range.count * p)
                body(DesignBlock(firstRow: range.lowerBound, rows: range.count, columns: p, values: all))
            }
        }
    }
}

/// How the readers that visit every row once split the rows between two
/// threads, so that all of them split alike.
public enum DesignHalves {
    /// Rows read at a time by each thread from a source that reads any
    /// rows (`withRows`): 1024 rows of the benchmark's 58 columns are
    /// 464 KiB, which an encoded source writes and the reader reads
    /// again while they are in the core's L2 cache.
    public static let chunkRows = 1024

    /// The first of the two halves of `m` rows: the first `split(m)`
    /// rows (a multiple of 8, so that no cache line of one-byte flags is
    /// written by both threads), and the rest.
    public static func split(_ m: Int) -> Int { min((m / 2 + 7) / 8 * 8, m) }

    /// Half `k` (0 or 1) of `m` rows.
    public static func half(_ k: Int, of m: Int) -> Range<Int> {
        k == 0 ? 0..<split(m) : split(m)..<m
    }
}

extension DesignSource {
    /// Every row once, on two threads: `body(values, firstRow, count, k)`
    /// with rows `firstRow ..< firstRow + count` at `values`, thread k
    /// taking half k.
    ///   - A source that reads any rows: its rows in two halves
    ///     (`DesignHalves`), each thread reading its own `chunkRows` at
    ///     a time, in order; one hand-over for all the rows. `firstBlock`,
    ///     when given, first gets the rows of the partition's first block
    ///     on the calling thread; `joined` is called once, at the end.
    ///   - A streamed source: each block in two halves as it comes (a
    ///     hand-over per block), `firstBlock` with the first block before
    ///     its halves, `joined` after each block's halves.
    /// Each thread sees the rows of its halves in row order.
    public func forEachRowInHalves(
        firstBlock: ((_ values: UnsafePointer<Double>, _ rows: Int) -> Void)? = nil,
        _ body: @escaping @Sendable (_ values: UnsafePointer<Double>, _ firstRow: Int, _ count: Int, _ half: Int) -> Void,
        joined: () -> Void = {}
    ) throws(InputError) {
        let n = rows, p = columns
        guard n > 0, p > 0 else { return }
        if readsAnyRows {
            let head = min(DesignPartition.rowsPerBlock(columns: p), n)
            let scratch = UnsafeMutablePointer<Double>.allocate(capacity: max(head, 2 * DesignHalves.chunkRows) * p)
            defer { scratch.deallocate() }
            if let firstBlock { withRows(0..<head, scratch: scratch) { firstBlock($0, head) } }
            let shared = UncheckedSendable((source: self, scratch: scratch))
            DispatchQueue.concurrentPerform(iterations: 2) { k in
                let (source, scratch) = shared.value
                let range = DesignHalves.half(k, of: n), own = scratch + k * DesignHalves.chunkRows * p
                for start in stride(from: range.lowerBound, to: range.upperBound, by: DesignHalves.chunkRows) {
                    let chunk = start..<min(start + DesignHalves.chunkRows, range.upperBound)
                    source.withRows(chunk, scratch: own) { body($0, chunk.lowerBound, chunk.count, k) }
                }
            }
            joined()
            return
        }
        try forEachBlock { block in
            let values = UncheckedSendable(block.values.baseAddress!)
            if block.firstRow == 0 { firstBlock?(values.value, block.rows) }
            let (first, m) = (block.firstRow, block.rows)
            DispatchQueue.concurrentPerform(iterations: 2) { k in
                let range = DesignHalves.half(k, of: m)
                body(values.value + range.lowerBound * p, first + range.lowerBound, range.count, k)
            }
            joined()
        }
    }
}

extension DenseMatrix: DesignSource {
    public var readsAnyRows: Bool { true }

    /// A slice of `values`; nothing is copied.
    public func withRows(_ range: Range<Int>, scratch: UnsafeMutablePointer<Double>, _ body: (UnsafePointer<Double>) -> Void) {
        values.withUnsafeBufferPointer { body($0.baseAddress! + range.lowerBound * columns) }
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
