import Dispatch
import Foundation

// What the solver checks in a design besides fitting it: exact
// collinearity (a pivoted Cholesky of the weighted Gram matrix) and
// (quasi-)complete separation (coefficients that run off with standard
// errors larger still).

extension LogisticRegression {
    /// Columns that are numerically linear combinations of the others and
    /// the intercept: pivoted Cholesky (dpstrf) of the weighted Gram matrix
    /// of [X 1] scaled to unit diagonal, with tolerance 1e-9 · (p + 1).
    /// Columns with zero variance are reported too.
    static func collinearColumns(design x: DenseMatrix, weights s: [Double]) -> [Int] {
        guard x.columns > 0 else { return [] }
        do {
            return dependentColumns(gram: try weightedGram(x, weights: s), columns: x.columns)
        } catch {
            preconditionFailure("an in-memory design cannot fail to read: \(error)")
        }
    }

    /// `collinearColumns(design:weights:)` for any design source.
    static func collinearColumns<S: DesignSource>(design x: S, weights s: [Double]) throws(InputError) -> [Int] {
        guard x.columns > 0 else { return [] }
        return dependentColumns(gram: try weightedGram(x, weights: s), columns: x.columns)
    }

    /// [X 1]ᵀS[X 1] (full, symmetric) in one pass: dsyrk on the blocks of
    /// √s_i·[x_i, 1].
    static func weightedGram<S: DesignSource>(_ x: S, weights s: [Double]) throws(InputError) -> [Double] {
        let p = x.columns, q = p + 1
        precondition(s.count == x.rows)
        // As in `pass`: each block split into two fixed halves on two
        // threads, each with its own scaled rows and its own single-threaded
        // dsyrk into its own sum, the two sums added at the end; the Gram
        // matrix (and so the notice of collinear columns) does not depend on
        // the number of cores.
        let c = UnsafeMutablePointer<Double>.allocate(capacity: 2 * q * q)
        c.initialize(repeating: 0, count: 2 * q * q)
        let a = UnsafeMutablePointer<Double>.allocate(capacity: DesignPartition.rowsPerBlock(columns: p) * q)
        defer {
            c.deallocate()
            a.deallocate()
        }
        try s.withUnsafeBufferPointer { (weights: UnsafeBufferPointer<Double>) throws(InputError) in
            let shared = UncheckedSendable((c: c, a: a, s: weights))
            try BLAS.withOneThread { () throws(InputError) in
                try x.forEachBlock { block in
                    let xb = UncheckedSendable(block.values.baseAddress ?? UnsafePointer(a))
                    let m = block.rows, first = block.firstRow
                    let half = (m / 2 + 7) / 8 * 8
                    DispatchQueue.concurrentPerform(iterations: 2) { k in
                        let range = k == 0 ? 0..<min(half, m) : min(half, m)..<m
                        guard !range.isEmpty else { return }
                        let (c, a, s) = shared.value
                        for i in range {
                            let sw = s[first + i].squareRoot()
                            for j in 0..<p { a[i * q + j] = sw * xb.value[i * p + j] }
                            a[i * q + p] = sw
                        }
                        BLAS.syrkTransposed(rows: range.count, columns: q, alpha: 1, a: a + range.lowerBound * q, beta: 1, c: c + k * q * q)
                    }
                }
            }
        }
        return symmetricSum(ofHalves: c, order: q)
    }

    /// The full symmetric q × q matrix whose upper triangle is the sum of
    /// the two halves' upper triangles, `halves[0 ..< q²]` + `halves[q² ..< 2q²]`
    /// (added in that order, so the result does not depend on the threads).
    static func symmetricSum(ofHalves halves: UnsafePointer<Double>, order q: Int) -> [Double] {
        var m = [Double](repeating: 0, count: q * q)
        for i in 0..<q {
            for j in i..<q {
                let v = halves[i * q + j] + halves[q * q + i * q + j]
                m[i * q + j] = v
                m[j * q + i] = v
            }
        }
        return m
    }

    /// The columns a pivoted Cholesky of the Gram matrix of [X 1] (scaled
    /// to unit diagonal) finds dependent, and the constant columns.
    static func dependentColumns(gram raw: [Double], columns p: Int) -> [Int] {
        let q = p + 1
        var gram = raw
        let d = (0..<q).map { gram[$0 * q + $0] }
        var dependent: [Int] = []
        for j in 0..<q {
            for k in 0..<q {
                let scale = (d[j] * d[k]).squareRoot()
                gram[j * q + k] = scale > 0 ? gram[j * q + k] / scale : 0
            }
        }
        // Constant columns (zero weighted variance) duplicate the intercept;
        // the pivoting below might drop the intercept instead of them.
        let total = d[p]
        for j in 0..<p {
            let mean = raw[j * q + p] / total
            let variance = d[j] / total - mean * mean
            if d[j] == 0 || variance <= 1e-12 * d[j] / total { dependent.append(j); gram[j * q + j] = 1 }
        }
        guard let (rank, pivots) = try? BLAS.pivotedCholeskyRank(gram, order: q, tolerance: 1e-9 * Double(q)) else { return dependent }
        if rank < q {
            for k in pivots[rank...] where k < p && !dependent.contains(k) { dependent.append(k) }
            if dependent.isEmpty, let k = pivots[rank...].first(where: { $0 < p }) { dependent.append(k) }
        }
        return dependent.sorted()
    }

    /// Under (quasi-)complete separation the unpenalised likelihood keeps
    /// rising as the separating coefficients grow, so Newton's method walks
    /// them up by about one unit per iteration while the curvature in their
    /// direction vanishes like e^(−β). At the point where the gradient test
    /// stops it, such a coefficient is large (|β| > 10: an odds ratio above
    /// 20,000) yet has a standard error ten times larger still (|z| < 0.1),
    /// which a finite maximum of a well-posed fit does not produce. Those
    /// columns are returned. Without standard errors (a singular Hessian),
    /// the columns with |β| > 10 are returned.
    static func separatedColumns(theta: [Double], standardErrors se: [Double]?, p: Int) -> [Int] {
        (0..<p).filter { j in
            abs(theta[j]) > 10 && (se.map { !($0[j] <= 10 * abs(theta[j])) } ?? true)
        }
    }
}
