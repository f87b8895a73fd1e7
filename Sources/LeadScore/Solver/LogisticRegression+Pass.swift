import Dispatch
import Foundation

// One pass over the design: the per-block work of a Newton iteration (η,
// the loss, and the gradient and Hessian), in the fixed blocks of
// `DesignPartition`, each split into two fixed halves on two threads. See
// the notes at the top of LogisticRegression.swift.
//
// The design's columns are read in two kinds (WeightedGram.swift): the
// dense columns D, copied per block into a contiguous rows × d scratch,
// and the two-valued columns x_j = a_j + c_j δ_j, read from the rows'
// lists of active indicators (δ_ij = 1). Every product with the design
// uses that split, so a pass reads the dense columns and the short lists,
// never the indicators' zeros:
//
//     η_i   = b + Σ_j β_j a_j  +  x_iDᵀβ_D  +  Σ_{j active in i} β_j c_j  (+ o_i)
//     g_D   = X_Dᵀ r,   g_j = a_j Σ_i r_i + c_j Σ_{i: j active} r_i,   g_b = Σ_i r_i
//     H     = [X 1]ᵀW[X 1] from `WeightedGram`.
//
// These are the dense sums regrouped (exactly so in exact arithmetic); the
// model agrees with a dense computation to the solver's tolerance.

extension LogisticRegression {
    /// Sums of the unpenalised derivatives over the rows, accumulated
    /// block by block in two slots (one per half of every block), added
    /// in `finish`: the gradient's dense part X_Dᵀr and each two-valued
    /// column's Σ_{i: active} r_i (`sums`, d + k entries a slot), Σ r_i,
    /// and [X 1]ᵀW[X 1] (`gram`); r_i = s_i(μ_i − y_i),
    /// w_i = s_i μ_i (1 − μ_i).
    final class Derivatives {
        let q: Int
        let gram: WeightedGram
        let sums: UnsafeMutablePointer<Double>
        let width: Int
        var sumResidual = 0.0
        init(compact: CompactDesign) {
            q = compact.structure.columns + 1
            gram = WeightedGram(compact: compact)
            width = max(compact.structure.dense.count + compact.structure.binary.count, 1)
            sums = .allocate(capacity: 2 * width)
            reset()
        }
        deinit {
            sums.deallocate()
        }
        func reset() {
            sums.initialize(repeating: 0, count: 2 * width)
            sumResidual = 0
            gram.reset()
        }
        func sums(slot: Int) -> UnsafeMutablePointer<Double> { sums + slot * width }
        /// g = [Xᵀr + λβ ; Σ r_i] and the full symmetric H = [X 1]ᵀW[X 1] +
        /// λ·diag(1, …, 1, 0) (the intercept is not penalised).
        func finish(theta: [Double], lambda: Double) -> (gradient: [Double], hessian: [Double]) {
            let p = q - 1, structure = gram.structure, d = structure.dense.count
            var g = [Double](repeating: 0, count: q)
            for (e, j) in structure.dense.enumerated() { g[j] = sums[e] + sums[width + e] }
            for (t, j) in structure.binary.enumerated() {
                g[j] = structure.base[t] * sumResidual + structure.step[t] * (sums[d + t] + sums[width + d + t])
            }
            g[p] = sumResidual
            for j in 0..<p { g[j] += lambda * theta[j] }
            var h = gram.matrix()
            for j in 0..<p { h[j * q + j] += lambda }
            return (g, h)
        }
    }

    /// The O(n) vectors of a fit (labels, weights, η at the current point
    /// and at a line-search trial), the rows' active indicators, and the
    /// O(block) scratch of a pass. No O(n·p) storage: the design stays
    /// wherever its source keeps it.
    final class Workspace {
        let n: Int
        let p: Int
        let compact: CompactDesign
        let y: UnsafeMutablePointer<Double>
        let s: UnsafeMutablePointer<Double>
        var eta: UnsafeMutablePointer<Double>
        var trialEta: UnsafeMutablePointer<Double>
        /// The block's dense columns x_iD, rowsPerBlock × d, when they are
        /// read from the design (`CompactDesign.forEachHalf` without the
        /// copy).
        let denseRows: UnsafeMutablePointer<Double>
        /// √w_i·[x_iD, 1] for one block, rowsPerBlock × (d + 1).
        let scaled: UnsafeMutablePointer<Double>
        /// r_i and √w_i for one block.
        let residual: UnsafeMutablePointer<Double>
        let sqrtWeight: UnsafeMutablePointer<Double>
        /// Rows of each slot's part of `scaled`, `residual` and
        /// `sqrtWeight`; slot 1's part follows slot 0's.
        let scratchRows: Int
        var current: Derivatives
        var trial: Derivatives
        /// o_i, a fixed term of each row's log-odds (η_i = x_iᵀβ + b + o_i);
        /// nil for none, which leaves every sum as it was without offsets.
        let offset: UnsafeMutablePointer<Double>?

        init(labels: [Double], weights: [Double], compact: CompactDesign, offsets: [Double]? = nil) {
            n = labels.count
            self.compact = compact
            let structure = compact.structure, p = structure.columns, d = structure.dense.count
            self.p = p
            let blockRows = DesignPartition.rowsPerBlock(columns: p)
            y = .allocate(capacity: max(n, 1))
            s = .allocate(capacity: max(n, 1))
            eta = .allocate(capacity: max(n, 1))
            trialEta = .allocate(capacity: max(n, 1))
            _ = UnsafeMutableBufferPointer(start: y, count: n).initialize(from: labels)
            _ = UnsafeMutableBufferPointer(start: s, count: n).initialize(from: weights)
            eta.initialize(repeating: 0, count: n)
            trialEta.initialize(repeating: 0, count: n)
            denseRows = .allocate(capacity: blockRows * max(d, 1))
            // Per-block scratch, one copy per slot (`scratchRows`): the two
            // threads may be on different blocks.
            scaled = .allocate(capacity: 2 * blockRows * (d + 1))
            residual = .allocate(capacity: 2 * blockRows)
            sqrtWeight = .allocate(capacity: 2 * blockRows)
            scratchRows = blockRows
            current = Derivatives(compact: compact)
            trial = Derivatives(compact: compact)
            offset = offsets.map { o in
                let buffer = UnsafeMutablePointer<Double>.allocate(capacity: max(o.count, 1))
                _ = UnsafeMutableBufferPointer(start: buffer, count: o.count).initialize(from: o)
                return buffer
            }
        }

        deinit {
            for buffer in [y, s, eta, trialEta, denseRows, scaled, residual, sqrtWeight] { buffer.deallocate() }
            offset?.deallocate()
        }
    }

    /// One pass over the rows of `x`, block by block:
    ///   - if `theta` is given, η_i ← x_iᵀβ + b (+ o_i with offsets) into
    ///     `eta` (the formula at the top of this file: dgemv on the dense
    ///     columns, the active indicators' β_j c_j), else `eta` holds η
    ///     already;
    ///   - if `loss`, returns Σ s_i ℓ(y_i, η_i) (summed per block, then over
    ///     blocks), else 0;
    ///   - if `derivatives` is given, it is reset and receives, per block
    ///     while the block is in cache: [X 1]ᵀW[X 1] (`WeightedGram`), X_Dᵀr
    ///     (dgemv transposed on the dense columns), each indicator's
    ///     Σ_{active} r_i, and Σ r_i.
    /// Every block is processed by the same calls whatever the source, so
    /// the sums are the same bitwise.
    static func pass<S: DesignSource>(
        _ x: S, predicting theta: [Double]?, into eta: UnsafeMutablePointer<Double>, loss wantLoss: Bool,
        derivatives: Derivatives?, work: Workspace
    ) throws(FitError) -> Double {
        derivatives?.reset()
        var loss = 0.0
        var sumR = 0.0
        let coefficients = theta.map { LinearPart(theta: $0, structure: work.compact.structure) }
        // Each block is split into two fixed halves, run on two threads:
        // each half computes its η, its per-row work (one exp, a log1p for
        // the loss, r_i and √w_i) and its own sums into its own
        // accumulators (BLAS itself on one thread, see `fitSource`), and
        // its loss and Σ r into the block's partial sums. The halves' sums
        // are added in a fixed order, so the result is the same whatever
        // the number of cores.
        let blocks = DesignPartition.blocks(rows: work.n, columns: work.p).count
        let partials = UnsafeMutablePointer<Double>.allocate(capacity: max(4 * blocks, 1))
        defer { partials.deallocate() }
        partials.initialize(repeating: 0, count: max(4 * blocks, 1))
        let shared = UncheckedSendable((work: work, eta: eta, partials: partials, derivatives: derivatives, theta: coefficients))
        do {
            try work.compact.forEachHalf(of: x, scratch: work.denseRows) { b, first, range, dense, slot in
                let (work, eta, partials, derivatives, theta) = shared.value
                let kernel = RowKernel(
                    firstRow: first, dense: dense, work: work, eta: eta + first, loss: wantLoss, derivatives: derivatives, theta: theta)
                kernel.run(range, slot: slot, partial: partials + 4 * b)
            }
        } catch {
            throw .input(error)
        }
        for b in 0..<blocks {
            loss += partials[4 * b] + partials[4 * b + 2]
            if derivatives != nil { sumR += partials[4 * b + 1] + partials[4 * b + 3] }
        }
        derivatives?.sumResidual = sumR
        return loss
    }

    /// θ split as the pass uses it: β on the dense columns, each
    /// two-valued column's β_j c_j, and b + Σ_j β_j a_j.
    struct LinearPart {
        let dense: [Double]
        let step: [Double]
        let constant: Double
        init(theta: [Double], structure: DesignStructure) {
            let p = structure.columns
            dense = structure.dense.map { theta[$0] }
            step = structure.binary.indices.map { theta[structure.binary[$0]] * structure.step[$0] }
            var constant = theta[p]
            for (t, j) in structure.binary.enumerated() { constant += theta[j] * structure.base[t] }
            self.constant = constant
        }
    }

    /// The per-row work of a pass on rows `range` of one block (indices
    /// within the block): the block's dense columns copied, η if `theta`,
    /// Σ s_i ℓ_i if `loss`, and if `derivatives` r_i = s_i(μ_i − y_i) and
    /// √w_i with w_i = s_i μ_i (1 − μ_i), then the rows' [X 1]ᵀW[X 1]
    /// (`WeightedGram.accumulate`), X_Dᵀr, the indicators' Σ r_i and
    /// Σ r_i. The two sums go to `partial[2·slot]` and
    /// `partial[2·slot + 1]` (the block's partial sums).
    struct RowKernel: @unchecked Sendable {
        let d: Int
        /// The design row of the block's row 0, and the block's dense
        /// columns (rows × d).
        let firstRow: Int
        let xd: UnsafePointer<Double>
        let work: Workspace
        /// η of the block's rows.
        let eta: UnsafeMutablePointer<Double>
        let loss: Bool
        let accumulators: Derivatives?
        /// The coefficients when η is to be computed first, nil when `eta`
        /// holds it.
        let theta: LinearPart?

        init(
            firstRow: Int, dense: UnsafePointer<Double>, work: Workspace, eta: UnsafeMutablePointer<Double>, loss: Bool, derivatives: Derivatives?,
            theta: LinearPart?
        ) {
            d = work.compact.structure.dense.count
            self.firstRow = firstRow
            xd = dense
            self.work = work
            self.eta = eta
            self.loss = loss
            accumulators = derivatives
            self.theta = theta
        }

        func run(_ range: Range<Int>, slot: Int, partial: UnsafeMutablePointer<Double>) {
            guard !range.isEmpty else {
                (partial[2 * slot], partial[2 * slot + 1]) = (0, 0)
                return
            }
            let y = work.y + firstRow, s = work.s + firstRow
            let offset = work.offset.map { $0 + firstRow }
            let lo = range.lowerBound, rows = range.count
            let rowsPerSlot = work.scratchRows * slot
            let residual = work.residual + rowsPerSlot, sqrtWeight = work.sqrtWeight + rowsPerSlot
            let scaled = work.scaled + rowsPerSlot * (d + 1)
            work.compact.start.withUnsafeBufferPointer { start in
                work.compact.active.withUnsafeBufferPointer { columns in
                    if let theta {
                        for i in range { eta[i] = theta.constant + (offset?[i] ?? 0) }
                        if d > 0 {
                            theta.dense.withUnsafeBufferPointer { beta in
                                BLAS.gemv(rows: rows, columns: d, alpha: 1, a: xd + lo * d, x: beta.baseAddress!, beta: 1, y: eta + lo)
                            }
                        }
                        theta.step.withUnsafeBufferPointer { step in
                            for i in range {
                                var v = eta[i]
                                for a in start[firstRow + i]..<start[firstRow + i + 1] { v += step[Int(columns[a])] }
                                eta[i] = v
                            }
                        }
                    }
                    var sumLoss = 0.0, sumR = 0.0
                    if let derivatives = accumulators {
                        for i in range {
                            let mu: Double, complement: Double
                            if loss {
                                let v = logisticLossAndProbabilities(label: y[i], logOdds: eta[i])
                                sumLoss += s[i] * v.loss
                                (mu, complement) = (v.mu, v.complement)
                            } else {
                                (mu, complement) = LogisticRegression.probabilities(logOdds: eta[i])
                            }
                            // r = s(μ − y) = s((1 − y)μ − y(1 − μ)): exact in μ and
                            // 1 − μ, without cancellation for y ∈ {0, 1}.
                            let ri = s[i] * ((1 - y[i]) * mu - y[i] * complement)
                            residual[i] = ri
                            sqrtWeight[i] = (s[i] * mu * complement).squareRoot()
                            sumR += ri
                        }
                        let sums = derivatives.sums(slot: slot)
                        // X_Dᵀr by dgemv; each indicator's Σ r_i in the
                        // Gram matrix's own loop over the active indicators.
                        derivatives.gram.accumulate(
                            denseRows: xd, rows: range, firstRow: firstRow, sqrtWeights: sqrtWeight, scaled: scaled, slot: slot,
                            residuals: (UnsafePointer(residual), sums + d))
                        if d > 0 {
                            BLAS.gemvTransposed(rows: rows, columns: d, alpha: 1, a: xd + lo * d, x: residual + lo, beta: 1, y: sums)
                        }
                    } else if loss {
                        for i in range { sumLoss += s[i] * logisticLoss(label: y[i], logOdds: eta[i]) }
                    }
                    partial[2 * slot] = sumLoss
                    partial[2 * slot + 1] = sumR
                }
            }
        }
    }

    /// μ = σ(η) and 1 − μ, each without cancellation (see
    /// `logisticLossAndProbabilities`).
    @inline(__always)
    static func probabilities(logOdds eta: Double) -> (mu: Double, complement: Double) {
        let e = exp(-abs(eta))
        let d = 1 + e
        let inv = 1 / d, small = e / d
        return eta >= 0 ? (inv, small) : (small, inv)
    }
}
