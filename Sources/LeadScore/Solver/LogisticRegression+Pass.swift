import Dispatch
import Foundation

// One pass over the design: the per-block work of a Newton iteration (η,
// the loss, and the gradient and Hessian), in the fixed blocks of
// `DesignPartition`, each split into two fixed halves on two threads. See
// the notes at the top of LogisticRegression.swift.

extension LogisticRegression {
    /// Sums of the unpenalised derivatives over the rows, accumulated
    /// block by block: `gradient` = [Xᵀr ; Σ r_i] (q entries) and `upper`
    /// the upper triangle of [X 1]ᵀW[X 1] (q×q, row-major), r_i = s_i(μ_i −
    /// y_i), w_i = s_i μ_i (1 − μ_i).
    final class Derivatives {
        let q: Int
        /// Accumulators of the two halves of every block (slot 0 and slot
        /// 1), added in `finish`: Xᵀr (q entries each, the last is Σ r_i)
        /// and the upper triangle of [X 1]ᵀW[X 1] (q × q each).
        let gradient: UnsafeMutablePointer<Double>
        let upper: UnsafeMutablePointer<Double>
        init(q: Int) {
            self.q = q
            gradient = .allocate(capacity: 2 * q)
            upper = .allocate(capacity: 2 * q * q)
            reset()
        }
        deinit {
            gradient.deallocate()
            upper.deallocate()
        }
        func reset() {
            gradient.initialize(repeating: 0, count: 2 * q)
            upper.initialize(repeating: 0, count: 2 * q * q)
        }
        func gradient(slot: Int) -> UnsafeMutablePointer<Double> { gradient + slot * q }
        func upper(slot: Int) -> UnsafeMutablePointer<Double> { upper + slot * q * q }
        /// g = [Xᵀr + λβ ; Σ r_i] and the full symmetric H = [X 1]ᵀW[X 1] +
        /// λ·diag(1, …, 1, 0) (the intercept is not penalised).
        func finish(theta: [Double], lambda: Double) -> (gradient: [Double], hessian: [Double]) {
            let p = q - 1
            var g = (0..<q).map { gradient[$0] + gradient[q + $0] }
            for j in 0..<p { g[j] += lambda * theta[j] }
            var h = LogisticRegression.symmetricSum(ofHalves: upper, order: q)
            for j in 0..<p { h[j * q + j] += lambda }
            return (g, h)
        }
    }

    /// The O(n) vectors of a fit (labels, weights, η at the current point
    /// and at a line-search trial) and the O(block) scratch of a pass. No
    /// O(n·p) storage: the design stays wherever its source keeps it.
    final class Workspace {
        let n: Int
        let p: Int
        let y: UnsafeMutablePointer<Double>
        let s: UnsafeMutablePointer<Double>
        var eta: UnsafeMutablePointer<Double>
        var trialEta: UnsafeMutablePointer<Double>
        /// √w_i·[x_i, 1] for one block, rowsPerBlock × (p + 1).
        let scaled: UnsafeMutablePointer<Double>
        /// r_i for one block.
        let residual: UnsafeMutablePointer<Double>
        /// Sums of the two halves of a block: loss, Σ r (per half).
        let partial: UnsafeMutablePointer<Double>
        var current: Derivatives
        var trial: Derivatives
        /// o_i, a fixed term of each row's log-odds (η_i = x_iᵀβ + b + o_i);
        /// nil for none, which leaves every sum as it was without offsets.
        let offset: UnsafeMutablePointer<Double>?

        init(labels: [Double], weights: [Double], columns p: Int, offsets: [Double]? = nil) {
            n = labels.count
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
            scaled = .allocate(capacity: blockRows * (p + 1))
            residual = .allocate(capacity: blockRows)
            partial = .allocate(capacity: 4)
            current = Derivatives(q: p + 1)
            trial = Derivatives(q: p + 1)
            offset = offsets.map { o in
                let buffer = UnsafeMutablePointer<Double>.allocate(capacity: max(o.count, 1))
                _ = UnsafeMutableBufferPointer(start: buffer, count: o.count).initialize(from: o)
                return buffer
            }
        }

        deinit {
            for buffer in [y, s, eta, trialEta, scaled, residual, partial] { buffer.deallocate() }
            offset?.deallocate()
        }
    }

    /// One pass over the rows of `x`, block by block:
    ///   - if `theta` is given, η_i ← x_iᵀβ + b (+ o_i with offsets; dgemv
    ///     on the block) into `eta`, else `eta` holds η already;
    ///   - if `loss`, returns Σ s_i ℓ(y_i, η_i) (summed per block, then over
    ///     blocks), else 0;
    ///   - if `derivatives` is given, it is reset and receives, per block
    ///     while the block is in cache, with A the block of √w_i·[x_i, 1]:
    ///     AᵀA (one dsyrk: XᵀWX, XᵀW1 and Σ w_i together) and Xᵀr (dgemv
    ///     transposed on the raw block), Σ r_i.
    /// Every block is processed by the same calls whatever the source, so
    /// the sums are the same bitwise.
    static func pass<S: DesignSource>(
        _ x: S, predicting theta: [Double]?, into eta: UnsafeMutablePointer<Double>, loss wantLoss: Bool,
        derivatives: Derivatives?, work: Workspace
    ) throws(FitError) -> Double {
        let p = x.columns
        let y = work.y, s = work.s, a = work.scaled, r = work.residual, partial = work.partial
        derivatives?.reset()
        var loss = 0.0
        var sumR = 0.0
        let intercept = theta?[p] ?? 0
        let beta = theta.map { Array($0[0..<p]) } ?? []
        do {
            try x.forEachBlock { block in
                let m = block.rows, first = block.firstRow
                // (No rows to read when p = 0: any valid pointer will do.)
                let xb = block.values.baseAddress ?? UnsafePointer(a)
                let e = eta + first
                // Each block is split into two fixed halves, run on two
                // threads: each half computes its η (dgemv), its per-row
                // work (one exp, a log1p for the loss, the scaled rows) and
                // its own dsyrk and dgemv-T into its own accumulators (BLAS
                // itself on one thread, see `fitSource`). The halves' sums
                // are added in a fixed order, so the result is the same
                // whatever the number of cores.
                let kernel = RowKernel(
                    p: p, x: xb, eta: e, y: y + first, s: s + first, scaled: a, residual: r,
                    partial: partial, loss: wantLoss, derivatives: derivatives,
                    theta: theta == nil ? nil : (beta, intercept), offset: work.offset.map { $0 + first })
                let half = (m / 2 + 7) / 8 * 8
                DispatchQueue.concurrentPerform(iterations: 2) { k in
                    kernel.run(k == 0 ? 0..<min(half, m) : min(half, m)..<m, slot: k)
                }
                let blockLoss = partial[0] + partial[2]
                if derivatives != nil { sumR += partial[1] + partial[3] }
                loss += blockLoss
            }
        } catch {
            throw .input(error)
        }
        if let d = derivatives {
            d.gradient(slot: 0)[p] = sumR
            d.gradient(slot: 1)[p] = 0
        }
        return loss
    }

    /// The per-row work of a pass on rows `range` of one block (indices
    /// within the block): Σ s_i ℓ_i if `loss`, and if `derivatives`
    /// r_i = s_i(μ_i − y_i), the scaled row √w_i·[x_i, 1] with
    /// w_i = s_i μ_i (1 − μ_i), and Σ r_i. The two sums go to
    /// `partial[2·slot]` and `partial[2·slot + 1]`.
    struct RowKernel: @unchecked Sendable {
        let p: Int
        let x: UnsafePointer<Double>
        let eta: UnsafeMutablePointer<Double>
        let y: UnsafePointer<Double>, s: UnsafePointer<Double>
        let scaled: UnsafeMutablePointer<Double>, residual: UnsafeMutablePointer<Double>
        let partial: UnsafeMutablePointer<Double>
        let loss: Bool
        let accumulators: Derivatives?
        var derivatives: Bool { accumulators != nil }
        /// β and b when η is to be computed first, nil when `eta` holds it.
        let theta: (beta: [Double], intercept: Double)?
        /// The block's offsets o_i, or nil.
        let offset: UnsafePointer<Double>?

        init(
            p: Int, x: UnsafePointer<Double>, eta: UnsafeMutablePointer<Double>,
            y: UnsafeMutablePointer<Double>, s: UnsafeMutablePointer<Double>, scaled: UnsafeMutablePointer<Double>,
            residual: UnsafeMutablePointer<Double>, partial: UnsafeMutablePointer<Double>, loss: Bool,
            derivatives: Derivatives?, theta: (beta: [Double], intercept: Double)?, offset: UnsafeMutablePointer<Double>? = nil
        ) {
            self.offset = offset.map { UnsafePointer($0) }
            (self.p, self.x, self.eta) = (p, x, eta)
            (self.y, self.s) = (UnsafePointer(y), UnsafePointer(s))
            (self.scaled, self.residual, self.partial) = (scaled, residual, partial)
            (self.loss, self.accumulators, self.theta) = (loss, derivatives, theta)
        }

        func run(_ range: Range<Int>, slot: Int) {
            let q = p + 1
            var sumLoss = 0.0, sumR = 0.0
            if let theta, !range.isEmpty {
                if let offset {
                    for i in range { eta[i] = theta.intercept + offset[i] }
                } else {
                    for i in range { eta[i] = theta.intercept }
                }
                if p > 0 {
                    theta.beta.withUnsafeBufferPointer { bp in
                        BLAS.gemv(rows: range.count, columns: p, alpha: 1, a: x + range.lowerBound * p, x: bp.baseAddress!, beta: 1, y: eta + range.lowerBound)
                    }
                }
            }
            defer {
                if let d = accumulators, !range.isEmpty {
                    BLAS.syrkTransposed(rows: range.count, columns: q, alpha: 1, a: scaled + range.lowerBound * q, beta: 1, c: d.upper(slot: slot))
                    if p > 0 {
                        BLAS.gemvTransposed(
                            rows: range.count, columns: p, alpha: 1, a: x + range.lowerBound * p, x: residual + range.lowerBound,
                            beta: 1, y: d.gradient(slot: slot))
                    }
                }
            }
            if !derivatives {
                if loss {
                    for i in range { sumLoss += s[i] * logisticLoss(label: y[i], logOdds: eta[i]) }
                }
            } else {
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
                    let sw = (s[i] * mu * complement).squareRoot()
                    residual[i] = ri
                    sumR += ri
                    let src = x + i * p, dst = scaled + i * q
                    for j in 0..<p { dst[j] = sw * src[j] }
                    dst[p] = sw
                }
            }
            partial[2 * slot] = sumLoss
            partial[2 * slot + 1] = sumR
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
