import Foundation
import XCTest

@testable import LeadScore

/// The design's structure (which columns take two values) and the weighted
/// Gram matrix built from weighted counts, against the plain dense sums
/// Σ_i w_i x_ij x_ik computed here row by row.
final class WeightedGramTests: XCTestCase {
    /// n rows over several blocks: column 0 Gaussian; 1–3 a standardised
    /// one-hot of four levels (level 0 the reference, so the three
    /// columns are never on together); 4 constant; 5 two values with equal
    /// counts; 6 two values whose larger one is the more frequent; 7 two
    /// values until the last row, which has a third; 8 a 0/1 column.
    static func design(rows n: Int, seed: UInt64 = 11) -> (x: DenseMatrix, w: [Double]) {
        var g = SeededGenerator(seed: seed)
        let p = 9
        var x = DenseMatrix(rows: n, columns: p)
        var w = [Double](repeating: 0, count: n)
        let shares = [0.55, 0.25, 0.15, 0.05]
        // The standardised values of level indicators (population SD).
        let standardised = shares.dropFirst().map { m in (off: -m / (m * (1 - m)).squareRoot(), on: (1 - m) / (m * (1 - m)).squareRoot()) }
        for i in 0..<n {
            let u1 = max(g.uniform(), 1e-300), u2 = g.uniform()
            x[i, 0] = (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
            let u = g.uniform()
            let level = u < 0.55 ? 0 : u < 0.8 ? 1 : u < 0.95 ? 2 : 3
            for l in 1...3 { x[i, l] = level == l ? standardised[l - 1].on : standardised[l - 1].off }
            x[i, 4] = 2.5
            x[i, 5] = i % 2 == 0 ? 3 : -1
            x[i, 6] = i % 3 == 0 ? -0.25 : 4
            x[i, 7] = i == n - 1 ? 0.5 : (g.uniform() < 0.3 ? 1 : -2)
            x[i, 8] = g.uniform() < 0.1 ? 1 : 0
            w[i] = 0.25 + 2 * g.uniform()
        }
        return (x, w)
    }

    func testStructureIsReadFromTheValues() throws {
        let n = 2 * DesignPartition.rowsPerBlock(columns: 9) + 1_001
        let (x, _) = Self.design(rows: n)
        let s = try DesignStructure.detect(x)
        XCTAssertEqual(s.dense, [0, 7], "the Gaussian column and the column with a third value in its last row")
        XCTAssertEqual(s.binary, [1, 2, 3, 4, 5, 6, 8])
        // Base: the more frequent value (the off value of a level, the
        // constant, -1 on a tie of counts, 4 the more frequent, 0).
        for (k, column) in [1, 2, 3].enumerated() {
            let values = Set((0..<n).map { x[$0, column] })
            let off = values.min()!, on = values.max()!
            XCTAssertEqual(s.base[k], off, "level column \(column): the off value is the more frequent")
            XCTAssertEqual(s.step[k], on - off)
        }
        XCTAssertEqual(s.base[3], 2.5)
        XCTAssertEqual(s.step[3], 0)
        XCTAssertEqual(n % 2, 1, "the test expects an odd n: 3 then one more than -1")
        XCTAssertEqual(s.base[4], 3, "3 is on the even rows, one more of them for an odd n")
        XCTAssertEqual(s.step[4], -4)
        XCTAssertEqual(s.base[5], 4)
        XCTAssertEqual(s.step[5], -4.25)
        XCTAssertEqual(s.base[6], 0)
        XCTAssertEqual(s.step[6], 1)

        // A tie of counts takes the smaller value as the base.
        let tie = DenseMatrix(rows: 4, columns: 1, values: [5, -3, 5, -3])
        let t = try DesignStructure.detect(tie)
        XCTAssertEqual(t.base, [-3])
        XCTAssertEqual(t.step, [8])
    }

    func testGramEqualsTheDenseSums() throws {
        let n = 2 * DesignPartition.rowsPerBlock(columns: 9) + 777
        let (x, w) = Self.design(rows: n)
        let gram = try LogisticRegression.weightedGram(x, weights: w)
        let p = x.columns, q = p + 1
        // Σ_i w_i x_ij x_ik, and Σ_i w_i |x_ij x_ik| as the scale of its
        // rounding error.
        var sum = [Double](repeating: 0, count: q * q), scale = sum
        for i in 0..<n {
            let row = (0..<p).map { x[i, $0] } + [1]
            for j in 0..<q {
                for k in 0..<q {
                    sum[j * q + k] += w[i] * row[j] * row[k]
                    scale[j * q + k] += w[i] * abs(row[j] * row[k])
                }
            }
        }
        XCTAssertEqual(gram.count, q * q)
        for j in 0..<q {
            for k in 0..<q {
                XCTAssertEqual(gram[j * q + k], sum[j * q + k], accuracy: 1e-12 * scale[j * q + k], "entry (\(j), \(k))")
            }
        }
    }

    /// More than 64 two-valued columns, in consecutive columns that are
    /// read four at a time from an odd start, so that four columns
    /// straddle two words of a row's bits (61 to 64).
    func testManyIndicatorColumns() throws {
        var g = SeededGenerator(seed: 5)
        let n = 3_000, levels = 80, p = 2 + levels
        var x = DenseMatrix(rows: n, columns: p)
        var w = [Double](repeating: 0, count: n)
        for i in 0..<n {
            x[i, 0] = g.uniform() < 0.3 ? 1 : 0
            x[i, 1] = g.uniform() * 10
            let level = g.index(below: levels + 1)
            if level > 0 { x[i, 1 + level] = 1 }
            w[i] = 0.5 + g.uniform()
        }
        let s = try DesignStructure.detect(x)
        XCTAssertEqual(s.dense, [1])
        XCTAssertEqual(s.binary, [0] + Array(2..<p))
        let gram = try LogisticRegression.weightedGram(x, weights: w)
        let q = p + 1
        for j in 0..<q {
            for k in 0..<q {
                var sum = 0.0, scale = 0.0
                for i in 0..<n {
                    let v = w[i] * (j < p ? x[i, j] : 1) * (k < p ? x[i, k] : 1)
                    sum += v
                    scale += abs(v)
                }
                XCTAssertEqual(gram[j * q + k], sum, accuracy: 1e-12 * max(scale, 1), "entry (\(j), \(k))")
            }
        }
    }

    /// A design with no two-valued column takes the dense road alone: the
    /// Gram matrix is symmetric and equals the dense sums.
    func testAllDenseDesign() throws {
        var g = SeededGenerator(seed: 3)
        let n = 5_000, p = 4
        let x = DenseMatrix(rows: n, columns: p, values: (0..<(n * p)).map { _ in g.uniform() })
        let w = [Double](repeating: 1, count: n)
        XCTAssertEqual(try DesignStructure.detect(x), .dense(columns: p))
        let gram = try LogisticRegression.weightedGram(x, weights: w)
        for j in 0...p {
            for k in 0...p {
                var s = 0.0
                for i in 0..<n { s += (j < p ? x[i, j] : 1) * (k < p ? x[i, k] : 1) }
                XCTAssertEqual(gram[j * (p + 1) + k], s, accuracy: 1e-12 * Double(n))
            }
        }
    }
}
