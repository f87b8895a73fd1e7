import Foundation
import XCTest

@testable import LeadScore

/// The compact form as a design of its own: rows rebuilt from it are the
/// design's, bit for bit, and a compact form is kept whole only when it
/// can be.
final class CompactDesignRowsTests: XCTestCase {
    /// Every value of `x` through `forEachBlock` and one `withRows` range,
    /// compared bit for bit.
    static func assertRebuilds(_ compact: CompactDesign, _ x: DenseMatrix, _ label: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertTrue(compact.holdsAllValues, label, file: file, line: line)
        XCTAssertEqual(compact.rows, x.rows, label, file: file, line: line)
        XCTAssertEqual(compact.columns, x.columns, label, file: file, line: line)
        var rebuilt: [UInt64] = []
        compact.forEachBlock { block in rebuilt += block.values.map(\.bitPattern) }
        XCTAssertEqual(rebuilt.count, x.values.count, label, file: file, line: line)
        XCTAssertTrue(rebuilt == x.values.map(\.bitPattern), "\(label): the rebuilt blocks differ from the design", file: file, line: line)
        let range = x.rows / 3..<min(x.rows, x.rows / 3 + 777)
        let scratch = UnsafeMutablePointer<Double>.allocate(capacity: max(range.count * x.columns, 1))
        defer { scratch.deallocate() }
        compact.withRows(range, scratch: scratch) { values in
            let got = (0..<range.count * x.columns).map { values[$0].bitPattern }
            let want = x.values[range.lowerBound * x.columns..<range.upperBound * x.columns].map(\.bitPattern)
            XCTAssertTrue(got == want, "\(label): rows \(range) differ", file: file, line: line)
        }
    }

    func testRebuiltRowsAreTheDesign() throws {
        // WeightedGramTests' design: a column with a third value in its last
        // row (a second pass), a column whose base is not the first block's
        // more frequent value (complemented lists), a constant column.
        for n in [1, 3, DesignPartition.rowsPerBlock(columns: 9) + 7, 2 * DesignPartition.rowsPerBlock(columns: 9) + 1_001] {
            let (x, _) = WeightedGramTests.design(rows: n)
            Self.assertRebuilds(try CompactDesign(x), x, "n \(n)")
        }
    }

    /// A two-valued column whose other value is not its base plus the
    /// step in floating point: the rows keep the value itself.
    func testListedValueIsTheValueNotBasePlusStep() throws {
        let (a, b) = (1e16, 3.0)
        XCTAssertNotEqual(a + (b - a), b, "the case needs a step that rounds")
        let n = 5_000
        var x = DenseMatrix(rows: n, columns: 3)
        var g = SeededGenerator(seed: 5)
        for i in 0..<n {
            x[i, 0] = g.uniform()
            x[i, 1] = i % 7 == 0 ? b : a
            x[i, 2] = i % 5 == 0 ? a : b
        }
        let compact = try CompactDesign(x)
        XCTAssertEqual(compact.structure.binary, [1, 2])
        XCTAssertEqual(compact.structure.base, [a, b], "each column's more frequent value")
        XCTAssertEqual(compact.listedValue, [b, a])
        Self.assertRebuilds(compact, x, "rounding step")
    }

    /// Mostly dense: by default the fit reads the dense columns from the
    /// design (no copy), so the rows cannot be rebuilt; asked to hold all
    /// values, the compact form keeps them and is the design.
    func testMostlyDenseDesignIsHeldWhenAsked() throws {
        let n = DesignPartition.rowsPerBlock(columns: 4) + 300
        var x = DenseMatrix(rows: n, columns: 4)
        var g = SeededGenerator(seed: 6)
        for i in 0..<n {
            for j in 0..<3 { x[i, j] = g.uniform() }
            x[i, 3] = g.uniform() < 0.2 ? 1 : 0
        }
        let plain = try CompactDesign(x)
        XCTAssertEqual(plain.structure.dense, [0, 1, 2])
        XCTAssertFalse(plain.holdsAllValues)
        XCTAssertFalse(plain.readsAnyRows)
        let held = try CompactDesign(x, holdingAllValues: true)
        XCTAssertEqual(held.structure, plain.structure)
        XCTAssertEqual(held.start, plain.start)
        XCTAssertEqual(held.active, plain.active)
        Self.assertRebuilds(held, x, "mostly dense")
        // Read again from its own rows, it is itself.
        let again = try CompactDesign(held, holdingAllValues: true)
        XCTAssertEqual(again.structure, held.structure)
        XCTAssertEqual(again.start, held.start)
        XCTAssertEqual(again.active, held.active)
        XCTAssertEqual(again.listedValue, held.listedValue)
        XCTAssertEqual(again.denseCopy, held.denseCopy)
    }

    /// A streamed design keeps no copy, whatever is asked: it is read
    /// from its file on every pass.
    func testStreamedDesignKeepsNoCopy() throws {
        let (x, _) = WeightedGramTests.design(rows: DesignPartition.rowsPerBlock(columns: 9) + 7)
        let streamed = try CompactDesign(try DesignCacheTests.cache(x), holdingAllValues: true)
        XCTAssertNil(streamed.denseCopy)
        XCTAssertFalse(streamed.holdsAllValues)
        let memory = try CompactDesign(x)
        XCTAssertEqual(streamed.structure, memory.structure)
        XCTAssertEqual(streamed.active, memory.active)
    }

    /// Fitted from the compact form as its own design, the model is the
    /// design's, bit for bit: with dense columns (read from the copy) and
    /// with none (the design not read at all).
    func testFitOnTheCompactFormIsTheFitOnTheDesign() throws {
        let n = 2 * DesignPartition.rowsPerBlock(columns: 9) + 1_001
        let (mixed, _) = WeightedGramTests.design(rows: n)
        var indicators = DenseMatrix(rows: n, columns: 6)
        var g = SeededGenerator(seed: 8)
        for i in 0..<n {
            let level = Int(g.uniform() * 4)
            for l in 1..<4 { indicators[i, l - 1] = level == l ? 1 : 0 }
            for j in 3..<6 { indicators[i, j] = g.uniform() < 0.2 * Double(j - 2) ? 1 : 0 }
        }
        for (name, x) in [("mixed", mixed), ("indicators only", indicators)] {
            let y = (0..<n).map { i in g.uniform() < 1 / (1 + exp(-(0.3 * x[i, 0] - 0.5 * x[i, 2]))) ? 1.0 : 0.0 }
            let compact = try CompactDesign(x, holdingAllValues: true)
            XCTAssertEqual(compact.structure.dense.isEmpty, name == "indicators only", name)
            // Newton (L2), and coordinate descent (elastic net).
            var elastic = SolverOptions(l2: 0.02)
            elastic.l1Ratio = 0.5
            for options in [SolverOptions(l2: 0.5), elastic] {
                let a = try LogisticRegression.fit(design: x, labels: y, options: options)
                let b = try LogisticRegression.fit(design: compact, labels: y, options: options)
                XCTAssertTrue(a.converged, name)
                XCTAssertEqual(a.coefficients.map(\.bitPattern), b.coefficients.map(\.bitPattern), "\(name), l1 ratio \(options.l1Ratio)")
                XCTAssertEqual(a.intercept.bitPattern, b.intercept.bitPattern, name)
                XCTAssertEqual(a.iterations, b.iterations, name)
            }
        }
    }
}
