import Dispatch
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

// An encoded design kept in a file instead of memory, for training sets
// whose n × p design does not fit a memory budget.
//
// Format: the rows, row-major, as native-endian IEEE 754 Float64 (8·p bytes
// per row, no header: the row and column counts live in the `DesignCache`
// value). Written once, sequentially, through one reusable buffer of one
// partition block and write(2); then read any number of times, one block of
// `DesignPartition` at a time, with pread(2) into reusable buffers. The
// solver keeps only O(n) vectors and O(block) scratch, so a fit from the
// cache needs memory for a few doubles per row plus a few MiB, whatever p.
//
// While the solver works on one block, the next one is read on a second
// thread into a second buffer (double buffering), so that a disk read
// overlaps with the computation instead of adding to it. On the 679,062 × 58
// benchmark design (315 MB, read 8 times per fit) that made a fit whose
// file had to come from disk 15–20% faster (4.9 s against 5.7–6.2 s); with
// the file in the page cache a pread is a cheap copy into a buffer that
// then stays in cache, and a fit from the cache takes the time of the
// in-memory fit either way (1.28–1.32 s against 1.31 s). posix_fadvise
// WILLNEED hints instead of the thread were slower in both cases.
//
// Lifetime. The file is created (mkstemps, mode 0600) in the directory
// given, by default the system's temporary directory ($TMPDIR or /tmp),
// and its name is removed at once: the open descriptor keeps the contents
// until the writer is released unfinished or the `DesignCache` it became is
// released, and nothing is left behind however the process ends (Ctrl-C,
// kill -9, a crash). Every failure to create, write or
// read it is an `InputError` of kind `.io` naming the file and saying what
// to do.

/// Appends encoded design rows to a new cache file; `finish()` turns it
/// into a readable `DesignCache`.
public final class DesignCacheWriter {
    public let columns: Int
    /// Rows appended so far.
    public private(set) var rows = 0
    /// Where the cache file was created (its name is removed at once).
    public let path: String
    let directory: String
    private var fd: Int32
    /// One partition block of rows, flushed with write(2) when full.
    private let buffer: UnsafeMutablePointer<Double>
    private let bufferRows: Int
    private var buffered = 0
    private var finished = false

    /// Creates an empty cache file for rows of `columns` values in
    /// `directory` (default: the system's temporary directory).
    public init(columns: Int, directory: String? = nil) throws(InputError) {
        precondition(columns >= 0)
        let file = try CacheFile(prefix: "leadscore-design", suffix: ".f64", directory: directory, what: "the design cache file")
        self.columns = columns
        self.directory = file.directory
        fd = file.descriptor
        path = file.path
        bufferRows = DesignPartition.rowsPerBlock(columns: columns)
        buffer = .allocate(capacity: max(bufferRows * columns, 1))
        buffer.initialize(repeating: 0, count: max(bufferRows * columns, 1))
    }

    deinit {
        buffer.deallocate()
        if !finished { close(fd) }
    }

    /// Appends rows given row-major: `values.count` must be a multiple of
    /// `columns` (one or more whole rows).
    public func append(rows values: UnsafeBufferPointer<Double>) throws(InputError) {
        precondition(!finished, "DesignCacheWriter: append after finish()")
        guard columns > 0 else { return }
        precondition(values.count % columns == 0, "DesignCacheWriter: \(values.count) values are not whole rows of \(columns)")
        var next = 0
        let count = values.count / columns
        while next < count {
            let take = min(bufferRows - buffered, count - next)
            (buffer + buffered * columns).update(from: values.baseAddress! + next * columns, count: take * columns)
            buffered += take
            rows += take
            next += take
            if buffered == bufferRows { try flush() }
        }
    }

    /// Appends one row of `columns` values.
    public func append(_ row: [Double]) throws(InputError) {
        precondition(row.count == columns, "DesignCacheWriter: a row of \(row.count) values for \(columns) columns")
        if columns == 0 {
            precondition(!finished, "DesignCacheWriter: append after finish()")
            rows += 1
            return
        }
        try row.withUnsafeBufferPointer { (r: UnsafeBufferPointer<Double>) throws(InputError) in try append(rows: r) }
    }

    /// Appends every row of `matrix` (which must have `columns` columns),
    /// e.g. a chunk of rows encoded by `FeatureEncoder`.
    public func append(_ matrix: DenseMatrix) throws(InputError) {
        precondition(matrix.columns == columns, "DesignCacheWriter: \(matrix.columns) columns for \(columns)")
        if columns == 0 {
            precondition(!finished, "DesignCacheWriter: append after finish()")
            rows += matrix.rows
            return
        }
        try matrix.values.withUnsafeBufferPointer { (all: UnsafeBufferPointer<Double>) throws(InputError) in try append(rows: all) }
    }

    /// Writes the buffered rows and returns the cache, which owns (and
    /// eventually removes) the file. The writer cannot be used afterwards.
    public func finish() throws(InputError) -> DesignCache {
        precondition(!finished, "DesignCacheWriter: finish() called twice")
        try flush()
        finished = true
        return DesignCache(descriptor: fd, path: path, directory: directory, rows: rows, columns: columns)
    }

    private func flush() throws(InputError) {
        let bytes = buffered * columns * MemoryLayout<Double>.stride
        let offset = (rows - buffered) * columns * MemoryLayout<Double>.stride
        buffered = 0
        var done = 0
        while done < bytes {
            let n = pwrite(fd, UnsafeRawPointer(buffer) + done, bytes - done, off_t(offset + done))
            if n < 0 && errno == EINTR { continue }
            if n <= 0 {
                let code = n < 0 ? errno : ENOSPC
                let reason = String(cString: strerror(code))
                let perMillion = Double(columns * MemoryLayout<Double>.stride) * 1e6 / 1_048_576
                throw InputError(
                    .io, at: InputLocation(file: path),
                    "cannot write the design cache after \(offset + done) bytes: \(reason).",
                    remedy: "Free disk space in \(directory) (the cache takes \(Int(perMillion.rounded(.up))) MiB per million rows) or put the cache in another directory with \(OptionKey.cacheDirectory.mention) (or TMPDIR), or raise \(OptionKey.memoryBudget.mention) if the design fits in memory.")
            }
            done += n
        }
    }
}

/// A design matrix stored in a file by `DesignCacheWriter`, read block by
/// block. Conforms to `DesignSource`, so `LogisticRegression.fit` works on
/// it as on a `DenseMatrix` holding the same rows, with the same result.
public final class DesignCache: DesignSource, @unchecked Sendable {
    public let rows: Int
    public let columns: Int
    /// Where the cache file was created (for messages; the file has no name
    /// and goes away when the cache is released).
    public let path: String
    let directory: String
    let fd: Int32

    /// Reads the next block on a second thread while the current one is
    /// processed (tests turn it off to check both paths). Measured on the
    /// 679,062 × 58 benchmark design (2.5 GiB read per fit): 15–20% faster
    /// when the file has to come from disk, within 3% (slower) when it is
    /// in the page cache.
    nonisolated(unsafe) static var prefetch = true

    init(descriptor: Int32, path: String, directory: String, rows: Int, columns: Int) {
        fd = descriptor
        self.path = path
        self.directory = directory
        self.rows = rows
        self.columns = columns
        #if os(Linux)
            _ = posix_fadvise(descriptor, 0, 0, POSIX_FADV_SEQUENTIAL)
        #endif
    }

    deinit {
        close(fd)
    }

    /// Size of the file in bytes.
    public var byteCount: Int { rows * columns * MemoryLayout<Double>.stride }

    /// Calls `body` for each block of `DesignPartition`, in order, each read
    /// with pread(2) into one of two reusable buffers of one block.
    public func forEachBlock(_ body: (DesignBlock) -> Void) throws(InputError) {
        let blocks = DesignPartition.blocks(rows: rows, columns: columns)
        guard !blocks.isEmpty else { return }
        let capacity = max(DesignPartition.rowsPerBlock(columns: columns) * columns, 1)
        let buffers = [UnsafeMutablePointer<Double>.allocate(capacity: capacity), .allocate(capacity: capacity)]
        defer { buffers.forEach { $0.deallocate() } }
        if columns == 0 {
            for range in blocks {
                body(DesignBlock(firstRow: range.lowerBound, rows: range.count, columns: 0, values: UnsafeBufferPointer(start: nil, count: 0)))
            }
            return
        }
        func block(_ k: Int) -> DesignBlock {
            let range = blocks[k]
            return DesignBlock(
                firstRow: range.lowerBound, rows: range.count, columns: columns,
                values: UnsafeBufferPointer(start: buffers[k % 2], count: range.count * columns))
        }
        if !Self.prefetch {
            for k in blocks.indices {
                if let code = read(blocks[k], into: buffers[k % 2]) { throw readError(blocks[k], code) }
                body(block(k))
            }
            return
        }
        // Double buffering: block k + 1 is read into the other buffer while
        // `body` works on block k; the reader never touches the buffer in use.
        let reader = Reader(cache: self)
        let queue = DispatchQueue(label: "leadscore.design-cache.read")
        func schedule(_ k: Int) {
            let range = blocks[k], target = UnsafeMutableRawPointer(buffers[k % 2])
            let job = ReadJob(range: range, target: target)
            queue.async { reader.run(job) }
        }
        schedule(0)
        for k in blocks.indices {
            reader.done.wait()
            if let code = reader.failure { throw readError(blocks[k], code) }
            if k + 1 < blocks.count { schedule(k + 1) }
            body(block(k))
        }
    }

    /// pread(2) of the rows `range` into `target`; an errno on failure (EIO
    /// for a file shorter than expected).
    fileprivate func read(_ range: Range<Int>, into target: UnsafeMutableRawPointer) -> Int32? {
        let stride = columns * MemoryLayout<Double>.stride
        let bytes = range.count * stride, offset = range.lowerBound * stride
        var done = 0
        while done < bytes {
            let n = pread(fd, target + done, bytes - done, off_t(offset + done))
            if n < 0 && errno == EINTR { continue }
            if n < 0 { return errno }
            if n == 0 { return EIO }
            done += n
        }
        return nil
    }

    private func read(_ range: Range<Int>, into target: UnsafeMutablePointer<Double>) -> Int32? {
        read(range, into: UnsafeMutableRawPointer(target))
    }

    private func readError(_ range: Range<Int>, _ code: Int32) -> InputError {
        let reason = code == EIO ? "an input/output error or a file shorter than written" : String(cString: strerror(code))
        return InputError(
            .io, at: InputLocation(file: path),
            "cannot read rows \(range.lowerBound + 1)–\(range.upperBound) of the design cache: \(reason).",
            remedy: "Make sure nothing else modifies or removes files in \(directory) during training, and train again; if the disk is failing, put the cache in another directory with \(OptionKey.cacheDirectory.mention) (or TMPDIR), or raise \(OptionKey.memoryBudget.mention) if the design fits in memory.")
    }
}

private struct ReadJob: @unchecked Sendable {
    let range: Range<Int>
    let target: UnsafeMutableRawPointer
}

/// The background side of double buffering: runs one read at a time on a
/// serial queue and signals `done` after each.
private final class Reader: @unchecked Sendable {
    let cache: DesignCache
    let done = DispatchSemaphore(value: 0)
    /// The errno of the first failed read, written before `done` is
    /// signalled and read after it is waited for.
    var failure: Int32?

    init(cache: DesignCache) { self.cache = cache }

    func run(_ job: ReadJob) {
        if failure == nil { failure = cache.read(job.range, into: job.target) }
        done.signal()
    }
}
