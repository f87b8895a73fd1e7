import Foundation
import XCTest

@testable import LeadScore

/// The file-backed design (DesignCache) against the in-memory one: the same
/// blocks, the same calls, so the same model bit for bit; and its I/O
/// failures as InputError(.io).
final class DesignCacheTests: XCTestCase {
    /// A seeded design of one-hot blocks and Gaussian columns with labels
    /// from a known logistic model: 3 full blocks and a partial one.
    static func design(columns p: Int = 30, seed: UInt64 = 7) -> (x: DenseMatrix, y: [Double], w: [Double]) {
        let blockRows = DesignPartition.rowsPerBlock(columns: p)
        let n = 3 * blockRows + 1_001
        var g = SeededGenerator(seed: seed)
        var x = DenseMatrix(rows: n, columns: p)
        var y = [Double](repeating: 0, count: n)
        var w = [Double](repeating: 0, count: n)
        let oneHot = 2 * (p / 4)
        for i in 0..<n {
            // Two categorical variables of oneHot / 2 levels each (first level dropped).
            let a = g.index(below: oneHot / 2 + 1), b = g.index(below: oneHot / 2 + 1)
            if a > 0 { x[i, a - 1] = 1 }
            if b > 0 { x[i, oneHot / 2 + b - 1] = 1 }
            var eta = -1.0 + 0.3 * Double(a % 3) - 0.2 * Double(b % 2)
            for j in oneHot..<p {
                // Box–Muller.
                let u1 = max(g.uniform(), 1e-300), u2 = g.uniform()
                let z = (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
                x[i, j] = z
                eta += 0.1 * Double(j % 5 - 2) * z
            }
            y[i] = g.uniform() < sigmoid(eta) ? 1 : 0
            w[i] = 0.5 + g.uniform()
        }
        return (x, y, w)
    }

    static func cache(_ x: DenseMatrix, directory: String? = nil) throws -> DesignCache {
        let writer = try DesignCacheWriter(columns: x.columns, directory: directory)
        // Row by row, so that writes and blocks do not line up with the input.
        for i in 0..<x.rows { try writer.append(Array(x.values[i * x.columns..<(i + 1) * x.columns])) }
        return try writer.finish()
    }

    func testPartitionIsFixedByColumnsAndCoversTheRows() {
        for p in [0, 1, 3, 30, 58, 200, 5_000] {
            let size = DesignPartition.rowsPerBlock(columns: p)
            XCTAssertEqual(size % 64, 0)
            XCTAssertGreaterThanOrEqual(size, 64)
            if p >= 30 && p <= 200 {
                XCTAssertLessThanOrEqual(size * (p + 1) * 8, DesignPartition.targetBytes)
                XCTAssertGreaterThan(size * (p + 1) * 8, DesignPartition.targetBytes / 2)
            }
            for n in [0, 1, size, size + 1, 5 * size - 3] {
                let blocks = DesignPartition.blocks(rows: n, columns: p)
                XCTAssertEqual(blocks.map(\.count).reduce(0, +), n)
                XCTAssertTrue(blocks.dropLast().allSatisfy { $0.count == size })
                XCTAssertEqual(blocks.first?.lowerBound ?? 0, 0)
                XCTAssertTrue(zip(blocks, blocks.dropFirst()).allSatisfy { $0.upperBound == $1.lowerBound })
            }
        }
    }

    func testCacheReturnsTheRowsInTheSameBlocks() throws {
        let (x, _, _) = Self.design(columns: 12)
        let cache = try Self.cache(x)
        XCTAssertEqual(cache.rows, x.rows)
        XCTAssertEqual(cache.columns, x.columns)
        XCTAssertEqual(cache.byteCount, x.rows * x.columns * 8)
        for prefetch in [true, false] {
            DesignCache.prefetch = prefetch
            defer { DesignCache.prefetch = true }
            var memory: [(Int, Int, [Double])] = [], file: [(Int, Int, [Double])] = []
            x.forEachBlock { memory.append(($0.firstRow, $0.rows, Array($0.values))) }
            try cache.forEachBlock { file.append(($0.firstRow, $0.rows, Array($0.values))) }
            XCTAssertEqual(memory.count, 4)
            XCTAssertEqual(file.count, memory.count)
            for (a, b) in zip(memory, file) {
                XCTAssertEqual(a.0, b.0)
                XCTAssertEqual(a.1, b.1)
                XCTAssertTrue(a.2 == b.2, "block at row \(a.0) differs")
            }
        }
    }

    /// The acceptance test of the out-of-core fit: identical coefficients,
    /// standard errors, covariance, iterations and objective, bitwise.
    func testOutOfCoreFitEqualsInMemoryFitBitwise() throws {
        let (x, y, w) = Self.design()
        let cache = try Self.cache(x)
        let cases: [(SolverOptions, [Double]?)] = [
            (SolverOptions(l2: 1), nil),
            (SolverOptions(l2: 0), nil),
            (SolverOptions(l2: 0.1, classWeight: .balanced), w),
        ]
        for (options, weights) in cases {
            let memory = try LogisticRegression.fit(design: x, labels: y, weights: weights, options: options)
            for prefetch in [true, false] {
                DesignCache.prefetch = prefetch
                defer { DesignCache.prefetch = true }
                let file = try LogisticRegression.fit(design: cache, labels: y, weights: weights, options: options)
                let label = "l2 \(options.l2) \(options.classWeight) weighted \(weights != nil) prefetch \(prefetch)"
                XCTAssertTrue(memory.converged, label)
                XCTAssertEqual(file.iterations, memory.iterations, label)
                XCTAssertEqual(file.stopReason, memory.stopReason, label)
                XCTAssertEqual(file.coefficients, memory.coefficients, label)
                XCTAssertEqual(file.intercept, memory.intercept, label)
                XCTAssertEqual(file.standardErrors, memory.standardErrors, label)
                XCTAssertEqual(file.covariance, memory.covariance, label)
                XCTAssertEqual(file.objective, memory.objective, label)
                XCTAssertEqual(file.gradientNorm, memory.gradientNorm, label)
            }
        }
    }

    /// The compact form reads an in-memory design in two halves of all its
    /// rows and a streamed one block by block: the same structure and the
    /// same lists, on WeightedGramTests' design (over several blocks: a
    /// column with a third value in its last row, read again as dense; a
    /// column whose base is not the first block's more frequent value).
    func testCompactDesignOfTheCacheEqualsInMemory() throws {
        for n in [3, DesignPartition.rowsPerBlock(columns: 9) + 7, 2 * DesignPartition.rowsPerBlock(columns: 9) + 1_001] {
            let (x, _) = WeightedGramTests.design(rows: n)
            let memory = try CompactDesign(x)
            let file = try CompactDesign(try Self.cache(x))
            XCTAssertEqual(file.structure, memory.structure, "n \(n)")
            XCTAssertEqual(file.start, memory.start, "n \(n)")
            XCTAssertEqual(file.active, memory.active, "n \(n)")
            // The lists are the rows' values other than the bases, row by row.
            for i in [0, n / 2, n - 1] {
                let listed = memory.active[memory.start[i]..<memory.start[i + 1]].map { memory.structure.binary[Int($0)] }
                let differing = memory.structure.binary.indices.filter { x[i, memory.structure.binary[$0]] != memory.structure.base[$0] }
                XCTAssertEqual(listed, differing.map { memory.structure.binary[$0] }, "n \(n) row \(i)")
            }
        }
    }

    func testLinearPredictorAndCollinearityOnTheCache() throws {
        var (x, y, _) = Self.design(columns: 10)
        // Column 9 := column 7 − column 8: an exact linear dependence.
        for i in 0..<x.rows { x[i, 9] = x[i, 7] - x[i, 8] }
        let cache = try Self.cache(x)
        let s = [Double](repeating: 1, count: x.rows)
        XCTAssertEqual(try LogisticRegression.collinearColumns(design: cache, weights: s), LogisticRegression.collinearColumns(design: x, weights: s))
        XCTAssertEqual(LogisticRegression.collinearColumns(design: x, weights: s).count, 1)
        XCTAssertThrowsError(try LogisticRegression.fit(design: cache, labels: y, options: SolverOptions(l2: 0))) {
            guard case FitError.design(.collinear(let columns)) = $0 else { return XCTFail("\($0)") }
            XCTAssertEqual(columns.count, 1)
        }
        // The log-odds of every row, from memory, from the cache and from
        // the compact form's rebuilt rows: the same bits.
        let predictor = LinearPredictor(intercept: -0.4, coefficients: (0..<x.columns).map { 0.1 * Double($0) - 0.3 })
        let a = try predictor.logOdds(design: x), b = try predictor.logOdds(design: cache)
        let c = try predictor.logOdds(design: CompactDesign(x, holdingAllValues: true))
        XCTAssertEqual(a.map(\.bitPattern), b.map(\.bitPattern))
        XCTAssertEqual(a.map(\.bitPattern), c.map(\.bitPattern))
        for i in 0..<x.rows { XCTAssertEqual(a[i], predictor.logOdds(features: (0..<x.columns).map { x[i, $0] })) }
    }

    /// The cache file has no name from the moment it is created, so an
    /// interrupted or killed run leaves nothing in the directory; it holds
    /// its rows (48 bytes here) until released.
    func testFileHasNoNameToLeaveBehind() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("leadscore-cache-test-\(getpid())").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let writer = try DesignCacheWriter(columns: 2, directory: dir)
        XCTAssertTrue(writer.path.hasPrefix(dir + "/"))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir), [])
        for row in [[1.0, 2], [3, 4], [5, 6]] { try writer.append(row) }
        let cache = try writer.finish()
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir), [])
        var info = stat()
        XCTAssertEqual(fstat(cache.fd, &info), 0)
        XCTAssertEqual(Int(info.st_size), 48)
        XCTAssertEqual(info.st_nlink, 0)
    }

    func testMissingDirectoryIsAnIOError() {
        XCTAssertThrowsError(try DesignCacheWriter(columns: 3, directory: "/nonexistent-leadscore-dir/sub")) {
            let e = $0 as? InputError
            XCTAssertEqual(e?.kind, .io)
            XCTAssertEqual(e?.location?.file, "/nonexistent-leadscore-dir/sub")
            XCTAssertFalse(e?.remedy.isEmpty ?? true)
        }
    }

    /// A cache file cut short behind the cache's back: reading fails with
    /// .io naming the file, and so does a fit on it.
    func testTruncatedFileIsAnIOError() throws {
        let (x, y, _) = Self.design(columns: 8)
        let cache = try Self.cache(x)
        XCTAssertEqual(ftruncate(cache.fd, off_t(cache.byteCount / 2)), 0)
        for prefetch in [true, false] {
            DesignCache.prefetch = prefetch
            defer { DesignCache.prefetch = true }
            XCTAssertThrowsError(try cache.forEachBlock { _ in }) {
                let e = $0 as? InputError
                XCTAssertEqual(e?.kind, .io)
                XCTAssertEqual(e?.location?.file, cache.path)
            }
            XCTAssertThrowsError(try LogisticRegression.fit(design: cache, labels: y)) {
                guard case FitError.input(let e) = $0 else { return XCTFail("\($0)") }
                XCTAssertEqual(e.kind, .io)
                XCTAssertTrue(e.description.contains(cache.path))
            }
        }
    }

    /// A write that fails (here: the file-size limit, EFBIG, standing in
    /// for a full disk) is an .io error that says what to do.
    func testFailedWriteIsAnIOError() throws {
        var old = rlimit()
        XCTAssertEqual(getrlimit(RLIMIT_FSIZE_VALUE, &old), 0)
        let previousHandler = signal(SIGXFSZ, SIG_IGN)
        var limited = old
        limited.rlim_cur = 64 * 1024
        XCTAssertEqual(setrlimit(RLIMIT_FSIZE_VALUE, &limited), 0)
        defer {
            _ = setrlimit(RLIMIT_FSIZE_VALUE, &old)
            signal(SIGXFSZ, previousHandler)
        }
        let writer = try DesignCacheWriter(columns: 16)
        var caught: InputError?
        do {
            for _ in 0..<100_000 { try writer.append([Double](repeating: 1, count: 16)) }
            _ = try writer.finish()
        } catch {
            caught = error
        }
        XCTAssertEqual(caught?.kind, .io)
        XCTAssertEqual(caught?.location?.file, writer.path)
        XCTAssertTrue(caught?.remedy.contains("Free disk space") ?? false, caught?.description ?? "")
    }
}

#if canImport(Glibc)
    private let RLIMIT_FSIZE_VALUE = __rlimit_resource_t(RLIMIT_FSIZE.rawValue)
#else
    private let RLIMIT_FSIZE_VALUE = RLIMIT_FSIZE
#endif
