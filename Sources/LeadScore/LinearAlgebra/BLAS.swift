// The only file that talks to OpenBLAS and LAPACKE. Everything else in
// LeadScore calls these Swift wrappers, which convert `Int` to the C
// `blasint` / `lapack_int` (Int32), and turn LAPACK `info` codes into
// `LinearAlgebraError` values with a sentence a user can act on.
//
// Storage: all matrices are row-major (`CblasRowMajor`,
// `LAPACK_ROW_MAJOR`); the leading dimension of an r×c matrix is c.

import Foundation
import _CBLAS
import _CLAPACKE

/// A factorisation failed. `column` is the 0-based index of the first
/// coordinate at which the matrix stopped being positive definite.
public enum LinearAlgebraError: Error, Equatable, Sendable {
    case notPositiveDefinite(column: Int)
    case lapackFailure(routine: String, info: Int)
}

@inline(__always) private func int32(_ n: Int) -> Int32 {
    precondition(n <= Int(Int32.max), "dimension \(n) exceeds the 32-bit BLAS interface")
    return Int32(n)
}

/// OpenBLAS's own worker threads, for a process whose parallel work is
/// all LeadScore's (the `leadscore` tool).
public enum OpenBLASThreads {
    /// Makes OpenBLAS run every call on its caller's thread for the rest
    /// of the process, and stops its worker threads.
    ///
    /// LeadScore never needs them: the fit calls OpenBLAS on one thread
    /// from each of two threads of its own (`BLAS.withOneThread`), and its
    /// other BLAS work is a few small factorisations. Idle, they are not
    /// free: OpenBLAS (pthreads build) starts them when it is loaded, and
    /// each spins, yielding, for 2²⁸ cycles (about 0.1 s) before it
    /// sleeps, again after every call that used it. On a two-core machine
    /// that takes a core from the process's first 0.1 s, its reading of
    /// the CSV: the benchmark's 1M-row training read in 0.29–0.31 s with
    /// them and 0.245 s without (`train --timings`, three runs each, the
    /// second with OPENBLAS_NUM_THREADS=1).
    ///
    /// Process-wide, so a library does not decide it for a process it
    /// shares with other code: the tool calls it first thing. The workers
    /// are stopped by OpenBLAS's own `blas_thread_shutdown_` (found at run
    /// time: builds without a thread pool do not have it); a later call
    /// asking for more threads would start them again.
    public static func stop() {
        openblas_set_num_threads(1)
        guard let symbol = dlsym(nil, "blas_thread_shutdown_") else { return }
        _ = unsafeBitCast(symbol, to: (@convention(c) () -> Int32).self)()
    }
}

enum BLAS {
    /// Runs `body` with OpenBLAS on one thread, then restores its thread
    /// count. The solver splits each block of rows between two threads of
    /// its own, each with its own BLAS calls and sums, so that its result
    /// does not depend on how many threads OpenBLAS would use (a dsyrk split
    /// across threads adds in another order). The setting is process-wide:
    /// other BLAS work running meanwhile in the same process also uses one
    /// thread.
    ///
    /// Sections may overlap (fits of cross-validation folds run on two
    /// threads, each in its own section): the count is set to one when the
    /// first section begins and restored only when the last one ends, so a
    /// section that ends never hands OpenBLAS's threads (and their
    /// rounding) to another still running.
    static func withOneThread<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> T {
        OneThreadSections.enter()
        defer { OneThreadSections.leave() }
        return try body()
    }

    /// The sections of `withOneThread` open in the process, and the thread
    /// count to restore when the last one ends.
    private enum OneThreadSections {
        private static let lock = NSLock()
        nonisolated(unsafe) private static var open = 0
        nonisolated(unsafe) private static var previous: Int32 = 1

        static func enter() {
            lock.lock()
            defer { lock.unlock() }
            if open == 0 {
                previous = openblas_get_num_threads()
                if previous != 1 { openblas_set_num_threads(1) }
            }
            open += 1
        }

        static func leave() {
            lock.lock()
            defer { lock.unlock() }
            open -= 1
            if open == 0, previous != 1 { openblas_set_num_threads(previous) }
        }
    }

    /// y ← alpha·A·x + beta·y for a row-major `rows`×`columns` block A
    /// starting at `a` (dgemv, no transpose).
    static func gemv(
        rows: Int, columns: Int, alpha: Double, a: UnsafePointer<Double>,
        x: UnsafePointer<Double>, beta: Double, y: UnsafeMutablePointer<Double>
    ) {
        guard rows > 0, columns > 0 else { return }
        cblas_dgemv(
            CblasRowMajor, CblasNoTrans, int32(rows), int32(columns), alpha, a, int32(columns),
            x, 1, beta, y, 1)
    }

    /// y ← alpha·Aᵀ·x + beta·y for a row-major `rows`×`columns` block A
    /// (dgemv, transpose): y has `columns` entries, x has `rows`.
    static func gemvTransposed(
        rows: Int, columns: Int, alpha: Double, a: UnsafePointer<Double>,
        x: UnsafePointer<Double>, beta: Double, y: UnsafeMutablePointer<Double>
    ) {
        guard columns > 0 else { return }
        if rows == 0 {
            // BLAS leaves y untouched when there is nothing to add; apply beta ourselves.
            for j in 0..<columns { y[j] *= beta }
            return
        }
        cblas_dgemv(
            CblasRowMajor, CblasTrans, int32(rows), int32(columns), alpha, a, int32(columns),
            x, 1, beta, y, 1)
    }

    /// C ← alpha·AᵀA + beta·C on the upper triangle of the p×p matrix C,
    /// where A is a row-major `rows`×p block (dsyrk with trans = T).
    /// The lower triangle of C is not referenced.
    static func syrkTransposed(
        rows: Int, columns p: Int, alpha: Double, a: UnsafePointer<Double>,
        beta: Double, c: UnsafeMutablePointer<Double>
    ) {
        guard p > 0 else { return }
        cblas_dsyrk(
            CblasRowMajor, CblasUpper, CblasTrans, int32(p), int32(rows), alpha, a, int32(p),
            beta, c, int32(p))
    }

    /// Cholesky factorisation A = UᵀU of the upper triangle of a p×p
    /// symmetric positive-definite matrix, in place (dpotrf).
    static func choleskyFactor(_ a: inout [Double], order p: Int) throws(LinearAlgebraError) {
        let info = a.withUnsafeMutableBufferPointer {
            LAPACKE_dpotrf(LAPACK_ROW_MAJOR, Int8(UInt8(ascii: "U")), int32(p), $0.baseAddress, int32(p))
        }
        if info > 0 { throw .notPositiveDefinite(column: Int(info) - 1) }
        if info < 0 { throw .lapackFailure(routine: "dpotrf", info: Int(info)) }
    }

    /// Solves A·x = b given the Cholesky factor from `choleskyFactor`
    /// (dpotrs); b is overwritten with x.
    static func choleskySolve(factor: [Double], order p: Int, _ b: inout [Double]) throws(LinearAlgebraError) {
        let info = factor.withUnsafeBufferPointer { f in
            b.withUnsafeMutableBufferPointer { x in
                LAPACKE_dpotrs(
                    LAPACK_ROW_MAJOR, Int8(UInt8(ascii: "U")), int32(p), 1, f.baseAddress, int32(p),
                    x.baseAddress, 1)
            }
        }
        if info != 0 { throw .lapackFailure(routine: "dpotrs", info: Int(info)) }
    }

    /// The inverse of A from its Cholesky factor (dpotri), returned as a
    /// full symmetric p×p matrix (both triangles filled).
    static func choleskyInverse(factor: [Double], order p: Int) throws(LinearAlgebraError) -> [Double] {
        var inv = factor
        let info = inv.withUnsafeMutableBufferPointer {
            LAPACKE_dpotri(LAPACK_ROW_MAJOR, Int8(UInt8(ascii: "U")), int32(p), $0.baseAddress, int32(p))
        }
        if info > 0 { throw .notPositiveDefinite(column: Int(info) - 1) }
        if info < 0 { throw .lapackFailure(routine: "dpotri", info: Int(info)) }
        for i in 0..<p {
            for j in 0..<i { inv[i * p + j] = inv[j * p + i] }
        }
        return inv
    }

    /// Pivoted Cholesky with rank detection (dpstrf) on a copy of the upper
    /// triangle of a p×p positive semi-definite matrix. Returns the numerical
    /// rank and the pivot order (0-based): the first `rank` entries are the
    /// columns kept, the rest are (near-)linear combinations of them.
    /// `tolerance` is LAPACK's: a pivot below it counts as zero.
    static func pivotedCholeskyRank(_ a: [Double], order p: Int, tolerance: Double) throws(LinearAlgebraError) -> (rank: Int, pivots: [Int]) {
        var work = a
        var piv = [Int32](repeating: 0, count: p)
        var rank: Int32 = 0
        let info = work.withUnsafeMutableBufferPointer { w in
            piv.withUnsafeMutableBufferPointer { pv in
                LAPACKE_dpstrf(
                    LAPACK_ROW_MAJOR, Int8(UInt8(ascii: "U")), int32(p), w.baseAddress, int32(p),
                    pv.baseAddress, &rank, tolerance)
            }
        }
        if info < 0 { throw .lapackFailure(routine: "dpstrf", info: Int(info)) }
        // info > 0 means rank deficient, which is what we are asking about.
        return (Int(rank), piv.map { Int($0) - 1 })
    }

    /// Number of threads OpenBLAS uses.
    static var threads: Int { Int(openblas_get_num_threads()) }
}
