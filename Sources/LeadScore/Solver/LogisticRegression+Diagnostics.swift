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

    /// `collinearColumns(design:weights:)` for any design source; `compact`
    /// is the design's compact form if read already.
    static func collinearColumns<S: DesignSource>(design x: S, weights s: [Double], compact: CompactDesign? = nil) throws(InputError) -> [Int] {
        guard x.columns > 0 else { return [] }
        return dependentColumns(gram: try weightedGram(x, weights: s, compact: compact), columns: x.columns)
    }

    /// [X 1]ᵀS[X 1] (full, symmetric): the design's structure
    /// (`DesignStructure.detect`), then one pass of `WeightedGram` with
    /// w_i = s_i. As in `pass`: each block split into two fixed halves on
    /// two threads, each with its own scratch and its own single-threaded
    /// dsyrk into its own slot, the two added at the end; the Gram matrix
    /// (and so the notice of collinear columns) does not depend on the
    /// number of cores.
    static func weightedGram<S: DesignSource>(_ x: S, weights s: [Double], compact: CompactDesign? = nil) throws(InputError) -> [Double] {
        let p = x.columns
        precondition(s.count == x.rows)
        let design: CompactDesign
        if let compact { design = compact } else { design = try x.compactForm() }
        let gram = WeightedGram(compact: design)
        let rows = DesignPartition.rowsPerBlock(columns: p)
        let denseRows = UnsafeMutablePointer<Double>.allocate(capacity: rows * max(design.structure.dense.count, 1))
        // Per-block scratch, one copy per slot: the two threads may be on
        // different blocks.
        let scaled = UnsafeMutablePointer<Double>.allocate(capacity: 2 * rows * gram.scaledColumns)
        let roots = UnsafeMutablePointer<Double>.allocate(capacity: 2 * rows)
        defer {
            denseRows.deallocate()
            scaled.deallocate()
            roots.deallocate()
        }
        try s.withUnsafeBufferPointer { (weights: UnsafeBufferPointer<Double>) throws(InputError) in
            let shared = UncheckedSendable((gram: gram, denseRows: denseRows, scaled: scaled, roots: roots, weights: weights))
            try BLAS.withOneThread { () throws(InputError) in
                try design.forEachHalf(of: x, scratch: denseRows) { _, first, range, dense, k in
                    let (gram, _, scaled, roots, weights) = shared.value
                    let (r, a) = (roots + k * rows, scaled + k * rows * gram.scaledColumns)
                    for i in range { r[i] = weights[first + i].squareRoot() }
                    gram.accumulate(denseRows: dense, rows: range, firstRow: first, sqrtWeights: r, scaled: a, slot: k)
                }
            }
        }
        return gram.matrix()
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
