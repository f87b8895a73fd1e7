import Dispatch

// The weighted Gram matrix [X 1]ᵀW[X 1] of a design whose columns are
// mostly indicators, computed from weighted counts instead of a dense
// rank-k update: the Hessian of every Newton pass of the solver, and the
// Gram matrix of its collinearity check.
//
// Most of a lead-scoring design is one-hot: one column per level of a
// category, a missing-value indicator per column, a column per boolean,
// a cell per pair term. Such a column takes two values only, however it
// is standardised: x_j = a_j + c_j·δ_j with δ_j ∈ {0, 1}, a_j its more
// frequent value ("base") and c_j = b_j − a_j the step to the other one.
// With W = Σ w_i over the rows, and the sums over the rows where δ_j = 1
//
//     S_j = Σ w_i δ_ij,   T_je = Σ w_i δ_ij x_ie,   C_jk = Σ w_i δ_ij δ_ik,
//
// every entry that involves a two-valued column follows exactly from the
// dense block's column sums m_e = Σ w_i x_ie (e dense, or the intercept's
// column of ones, m = W):
//
//     Σ w x_j x_e = a_j m_e + c_j T_je                        (e dense or 1)
//     Σ w x_j x_k = a_j a_k W + a_j c_k S_k + c_j a_k S_j + c_j c_k C_jk
//     Σ w x_j²    = a_j² W + (2 a_j c_j + c_j²) S_j.
//
// Only the dense columns (numbers, spline terms, dates) and the intercept
// go through BLAS: per block, one dsyrk on the rows √w_i·[x_iD, 1]. A
// two-valued column contributes only on its rows with δ = 1, which
// choosing the base as the more frequent value makes at most half of
// them, and usually few: per row, the work is d²/2 for the dense part,
// (d + 1) per active indicator and one addition per pair of active
// indicators, instead of (p + 1)²/2 for the whole row. On the benchmark's
// design (58 columns, 12 of them dense, about 10 indicators active per
// row) that is about 290 multiply-adds per row instead of 1,770. tabmat
// (glum's matrix library) computes the blocks of a categorical matrix the
// same way: sandwich products from weighted counts.
//
// A design with no two-valued column is a dense design: the same scaled
// rows and the same dsyrk as before, bitwise. The structure is read from
// the data (`DesignStructure.detect`, one pass), not declared: a column is
// two-valued because it is, whatever made it.
//
// Accuracy. The sums above are the dense sums regrouped: C_jk, S_j and T_je
// are sums of w_i (times a dense value), with the affine terms added once
// at the end. Agreement with a naive dense [X 1]ᵀW[X 1] is to a few ulps
// of the largest term (WeightedGramTests checks 1e-12 relative), so a
// Newton step agrees to rounding and the fitted model to the solver's
// tolerance.

/// Which design columns are dense and which take at most two values, with
/// each two-valued column's base value and step.
public struct DesignStructure: Sendable, Equatable {
    /// p, the number of design columns.
    public let columns: Int
    /// Columns used as they are (three or more distinct values), ascending.
    public let dense: [Int]
    /// Columns with at most two distinct values, ascending, and for each
    /// its base a (the more frequent value; the smaller one on a tie) and
    /// step c (the other value minus a; 0 for a constant column).
    public let binary: [Int]
    public let base: [Double]
    public let step: [Double]

    public init(columns: Int, dense: [Int], binary: [Int], base: [Double], step: [Double]) {
        precondition(binary.count == base.count && base.count == step.count && dense.count + binary.count == columns)
        (self.columns, self.dense, self.binary, self.base, self.step) = (columns, dense, binary, base, step)
    }

    /// Copies the dense columns of rows `range` of a block (`x`,
    /// row-major with p columns) into `denseRows` (rows × d, indexed as in
    /// the block).
    func gatherDense(_ x: UnsafePointer<Double>, rows range: Range<Int>, into denseRows: UnsafeMutablePointer<Double>) {
        let p = columns, d = dense.count
        dense.withUnsafeBufferPointer { dense in
            for i in range {
                let row = x + i * p, dst = denseRows + i * d
                for e in 0..<d { dst[e] = row[dense[e]] }
            }
        }
    }

    /// Every column dense.
    public static func dense(columns p: Int) -> DesignStructure {
        DesignStructure(columns: p, dense: Array(0..<p), binary: [], base: [], step: [])
    }

    /// Reads the structure from the rows (`CompactDesign`, one pass).
    /// The result depends on the values only.
    public static func detect<S: DesignSource>(_ x: S) throws(InputError) -> DesignStructure {
        try x.compactForm().structure
    }
}

/// Per column, the distinct values seen (up to two) and their counts, or
/// that there were more.
private final class SeenValues {
    static let denseKind: UInt8 = 3
    /// 0 no value yet, 1 one value, 2 two values, 3 dense.
    var kind: [UInt8]
    var first: [Double], second: [Double]
    var firstCount: [Int], secondCount: [Int]

    init(columns p: Int) {
        kind = [UInt8](repeating: 0, count: p)
        first = [Double](repeating: 0, count: p)
        second = first
        firstCount = [Int](repeating: 0, count: p)
        secondCount = firstCount
    }

    func observe(_ x: UnsafePointer<Double>, rows range: Range<Int>, columns p: Int) {
        for j in 0..<p where kind[j] != Self.denseKind {
            var (k, a, b, na, nb) = (kind[j], first[j], second[j], firstCount[j], secondCount[j])
            var i = range.lowerBound
            while i < range.upperBound {
                let v = x[i * p + j]
                if k != 0 && v == a {
                    na += 1
                } else if k == 2 && v == b {
                    nb += 1
                } else if k == 0 {
                    (k, a, na) = (1, v, 1)
                } else if k == 1 {
                    (k, b, nb) = (2, v, 1)
                } else {
                    k = Self.denseKind
                    break
                }
                i += 1
            }
            (kind[j], first[j], second[j], firstCount[j], secondCount[j]) = (k, a, b, na, nb)
        }
    }
}

/// The design as a fit reads it on every pass: for every row, its
/// two-valued columns at their other value (δ = 1), as indices into
/// `DesignStructure.binary`, ascending (row i's are
/// `active[start[i] ..< start[i + 1]]`), and, for a design held in memory
/// whose dense columns are at most half of it (or any, when asked to hold
/// all its values), a contiguous copy of those columns (n × d). Read once for a fit (one pass after
/// `DesignStructure.detect`; 8 bytes a row, 4 an active indicator, 8·d a
/// row for the copy), so that the passes of the fit visit only what is
/// there: the dense values and the short lists, never the indicators'
/// zeros, and (with the copy) not the design itself. On the benchmark's
/// design (679k rows, 58 columns, 5 dense, about 4 indicators active a
/// row) that is 66 bytes a row instead of 464.
///
/// With the copy (or no dense column), it holds every value of the design
/// exactly: a two-valued column's value is its base, or where the row
/// lists it, `listedValue` (the value itself, not base + step, which may
/// round). It is then a `DesignSource` of its own (`holdsAllValues`),
/// whose rows are rebuilt on demand: how training keeps its design in
/// memory (`EncodedDesign`, encoded straight into this form, never as the
/// dense n × p matrix).
public final class CompactDesign: @unchecked Sendable {
    public let structure: DesignStructure
    public let rows: Int
    public let start: [Int]
    public let active: [UInt32]
    /// Per two-valued column, its value where a row lists it, as the
    /// design holds it (which base + step may miss by a rounding); its
    /// base for a constant column.
    public let listedValue: [Double]
    /// The dense columns, rows × d, or nil when there are none or they
    /// are read from the design on every pass (a streamed design, or a
    /// mostly dense one not asked to hold all its values).
    public let denseCopy: [Double]?

    /// Reads the design's structure and its compact form in one pass over
    /// the rows (`DesignStructure.detect` is this pass's structure).
    ///
    /// The pass, on two threads (`DesignSource.forEachRowInHalves`): a
    /// design in memory or encoded on demand split in two halves of all
    /// its rows, each thread reading its own a chunk at a time (one
    /// hand-over; per block, the 300 hand-overs of the benchmark's
    /// 679k-row design took 14 of its 32 ms), a streamed one each block in
    /// two halves as it comes; the halves' lists joined in row order, so
    /// both give the same lists:
    ///   - the first block decides which columns are dense (three distinct
    ///     values among its rows); the others are candidates, each
    ///     compared with its more frequent value in the first block;
    ///   - every row: its dense columns copied (when kept), and the
    ///     candidates whose value differs from that base listed;
    ///     each half counts them and keeps the other value it met;
    ///   - a candidate that meets a third value later is dense after all,
    ///     and the pass is made again with it dense (rare: a column of
    ///     many values shows three in the first block);
    ///   - a candidate listed on more than half of the rows (or on half,
    ///     with the smaller value off the list) takes the other value as
    ///     its base: its list is complemented row by row, in memory.
    /// So a two-valued column's base is its more frequent value, the
    /// smaller one on a tie, whatever the first block holds.
    ///
    /// With `holdingAllValues`, a source that reads any rows keeps its
    /// dense columns however many they are, so that the compact form
    /// holds the whole design (`holdsAllValues`) and the source can go.
    public convenience init<S: DesignSource>(_ x: S, holdingAllValues: Bool = false) throws(InputError) {
        let n = x.rows, p = x.columns
        var dense: [Int]? = nil
        while true {
            let attempt = try Pass(x, dense: dense, holdingAllValues: holdingAllValues)
            if attempt.lateDense.isEmpty {
                self.init(attempt, rows: n, columns: p)
                return
            }
            dense = (attempt.dense + attempt.lateDense).sorted()
        }
    }

    private init(_ pass: Pass, rows n: Int, columns p: Int) {
        rows = n
        let k = pass.candidates.count
        var base = pass.provisional, step = [Double](repeating: 0, count: k)
        var flipped = [Bool](repeating: false, count: k)
        for t in 0..<k where pass.hasOther[t] {
            let listed = pass.counts[t], unlisted = n - listed
            let (a, b) = (pass.provisional[t], pass.other[t])
            flipped[t] = listed > unlisted || (listed == unlisted && b < a)
            (base[t], step[t]) = flipped[t] ? (b, a - b) : (a, b - a)
        }
        listedValue = (0..<k).map { t in !pass.hasOther[t] ? base[t] : flipped[t] ? pass.provisional[t] : pass.other[t] }
        structure = DesignStructure(columns: p, dense: pass.dense, binary: pass.candidates, base: base, step: step)
        denseCopy = pass.copy
        let flips = (0..<k).filter { flipped[$0] }.map(UInt32.init)
        if flips.isEmpty {
            (start, active) = (pass.start, pass.columns)
            return
        }
        // Complement the flipped columns' lists: per row, the merge of its
        // unflipped entries and the flipped columns it does not list.
        var start = [Int](repeating: 0, count: n + 1), columns: [UInt32] = []
        columns.reserveCapacity(pass.columns.count)
        for i in 0..<n {
            let listed = pass.columns[pass.start[i]..<pass.start[i + 1]]
            var f = 0
            for j in listed {
                while f < flips.count && flips[f] < j {
                    columns.append(flips[f])
                    f += 1
                }
                if f < flips.count && flips[f] == j {
                    f += 1
                } else {
                    columns.append(j)
                }
            }
            while f < flips.count {
                columns.append(flips[f])
                f += 1
            }
            start[i + 1] = columns.count
        }
        (self.start, self.active) = (start, columns)
    }

    /// One pass of `init(_:)`: with `dense` nil, the first block decides
    /// the dense columns.
    private struct Pass {
        var dense: [Int] = [], candidates: [Int] = []
        var provisional: [Double] = [], other: [Double] = [], hasOther: [Bool] = [], counts: [Int] = []
        var lateDense: [Int] = []
        var start: [Int] = [], columns: [UInt32] = []
        var copy: [Double]? = nil

        init<S: DesignSource>(_ x: S, dense given: [Int]?, holdingAllValues: Bool) throws(InputError) {
            let n = x.rows, p = x.columns
            start = [Int](repeating: 0, count: n + 1)
            guard n > 0, p > 0 else {
                dense = Array(0..<p)
                return
            }
            let halves = [HalfState(), HalfState()]
            var copying = false
            var columns: [UInt32] = []
            let anyRows = x.readsAnyRows
            // What the halves read by, decided from the first block: which
            // columns are dense, the candidates and their provisional
            // bases (the more frequent value in the first block, the
            // smaller on a tie); whether the dense columns are copied, and
            // room for the lists.
            let layout = Layout()
            func decide(_ values: UnsafePointer<Double>, rows head: Int) {
                let seen = SeenValues(columns: p)
                seen.observe(values, rows: 0..<head, columns: p)
                let dense = given ?? (0..<p).filter { seen.kind[$0] == SeenValues.denseKind }
                let isDense = Set(dense)
                let candidates = (0..<p).filter { !isDense.contains($0) }
                let provisional = candidates.map { j in
                    let (a, b, na, nb) = (seen.first[j], seen.second[j], seen.firstCount[j], seen.secondCount[j])
                    return seen.kind[j] == 2 && (nb > na || (nb == na && b < a)) ? b : a
                }
                (layout.dense, layout.candidates, layout.base) = (dense, candidates, provisional)
                for h in halves { h.prepare(candidates: candidates.count) }
                copying = anyRows && !dense.isEmpty && (holdingAllValues || 2 * dense.count <= p)
                if anyRows {
                    // Room for the lists at the first block's rate and an
                    // eighth more, the first half's for both (its list
                    // becomes the design's, the second appended): grown by
                    // doubling instead, they touched about twice their
                    // memory. A list that outgrows its room grows as before.
                    var listed = 0
                    for i in 0..<head {
                        for (t, j) in candidates.enumerated() where values[i * p + j] != provisional[t] { listed += 1 }
                    }
                    let perRow = Double(listed) / Double(head) * 1.125
                    halves[0].list.reserveCapacity(Int(perRow * Double(n)) + 1024)
                    halves[1].list.reserveCapacity(Int(perRow * Double(n - DesignHalves.split(n))) + 1024)
                }
            }
            // The halves' lists in row order: the first is taken, not
            // copied (a source that reads any rows: half of all its
            // entries, 55 MB at 10M rows).
            func join() {
                if columns.isEmpty {
                    swap(&columns, &halves[0].list)
                } else {
                    columns.append(contentsOf: halves[0].list)
                }
                columns.append(contentsOf: halves[1].list)
                for h in halves { h.list.removeAll(keepingCapacity: true) }
            }
            // A source that reads any rows is decided on before the pass
            // (and may keep a copy, which needs the dense columns'
            // count); a streamed one as its first block comes.
            if anyRows {
                let head = min(DesignPartition.rowsPerBlock(columns: p), n)
                let scratch = UnsafeMutablePointer<Double>.allocate(capacity: head * p)
                defer { scratch.deallocate() }
                x.withRows(0..<head, scratch: scratch) { decide($0, rows: head) }
            }
            // Not cleared: the halves write every value, and so touch its
            // new pages first on their own two threads.
            let copied = copying ? n * layout.dense.count : 0
            var copyBuffer = [Double](unsafeUninitializedCapacity: copied) { _, initialized in initialized = copied }
            try copyBuffer.withUnsafeMutableBufferPointer { (copyAll: inout UnsafeMutableBufferPointer<Double>) throws(InputError) in
                layout.copy = copying ? copyAll.baseAddress : nil
                try start.withUnsafeMutableBufferPointer { (rowCounts: inout UnsafeMutableBufferPointer<Int>) throws(InputError) in
                    let rowCounts = UncheckedSendable(rowCounts.baseAddress!)
                    try x.forEachRowInHalves(
                        firstBlock: anyRows ? nil : { values, head in decide(values, rows: head) },
                        { values, first, count, h in
                            halves[h].read(values, rows: 0..<count, firstRow: first, columns: p, layout: layout, rowCounts: rowCounts.value)
                        },
                        joined: join)
                }
            }
            (dense, candidates, provisional) = (layout.dense, layout.candidates, layout.base)
            for i in 0..<n { start[i + 1] += start[i] }
            self.columns = columns
            copy = copying ? copyBuffer : nil
            // The two halves' findings together.
            let k = candidates.count
            other = [Double](repeating: 0, count: k)
            hasOther = [Bool](repeating: false, count: k)
            counts = [Int](repeating: 0, count: k)
            let (a, b) = (halves[0], halves[1])
            for t in 0..<k {
                let third = a.state[t] == 2 || b.state[t] == 2 || (a.state[t] == 1 && b.state[t] == 1 && a.other[t] != b.other[t])
                if third {
                    lateDense.append(candidates[t])
                    continue
                }
                hasOther[t] = a.state[t] == 1 || b.state[t] == 1
                other[t] = a.state[t] == 1 ? a.other[t] : b.other[t]
                counts[t] = a.count[t] + b.count[t]
            }
        }
    }

    /// The columns and bases a pass reads the rows by, and its copy's
    /// storage (nil when the dense columns are not copied): set before
    /// the halves are read, then only read.
    private final class Layout: @unchecked Sendable {
        var dense: [Int] = [], candidates: [Int] = [], base: [Double] = []
        var copy: UnsafeMutablePointer<Double>? = nil
    }

    /// What one half of every block found: per candidate, its other value
    /// (state 1), or a third value (state 2), and how many rows list it;
    /// the block's list of active candidates.
    private final class HalfState: @unchecked Sendable {
        var state: [UInt8] = [], other: [Double] = [], count: [Int] = []
        var list: [UInt32] = []

        func prepare(candidates k: Int) {
            state = [UInt8](repeating: 0, count: k)
            other = [Double](repeating: 0, count: k)
            count = [Int](repeating: 0, count: k)
        }

        func read(
            _ values: UnsafePointer<Double>, rows range: Range<Int>, firstRow first: Int, columns p: Int, layout: Layout,
            rowCounts: UnsafeMutablePointer<Int>
        ) {
            let copy = layout.copy
            // A local list (not the property, whose every access the
            // runtime would check), taken out and put back, appended to.
            var list = self.list
            self.list = []
            defer { self.list = list }
            let d = layout.dense.count, k = layout.candidates.count
            let wordCount = (k + 63) / 64
            let words = UnsafeMutablePointer<UInt64>.allocate(capacity: max(wordCount, 1))
            defer { words.deallocate() }
            // The candidates compared with their bases together: 8 or 4 in
            // consecutive columns (most of a one-hot design), else one.
            var groups: [(t: Int, width: Int)] = []
            var g = 0
            while g < k {
                func consecutive(_ width: Int) -> Bool {
                    g + width <= k && layout.candidates[g + width - 1] == layout.candidates[g] + width - 1
                }
                let width = consecutive(8) ? 8 : consecutive(4) ? 4 : 1
                groups.append((g, width))
                g += width
            }
            layout.dense.withUnsafeBufferPointer { dense in
                layout.candidates.withUnsafeBufferPointer { candidates in
                    layout.base.withUnsafeBufferPointer { base in
                        state.withUnsafeMutableBufferPointer { state in
                            other.withUnsafeMutableBufferPointer { other in
                                count.withUnsafeMutableBufferPointer { count in
                                    groups.withUnsafeBufferPointer { groups in
                                        for i in range {
                                            let row = values + i * p
                                            if let copy {
                                                let dst = copy + (first + i) * d
                                                for e in 0..<d { dst[e] = row[dense[e]] }
                                            }
                                            let before = list.count
                                            // The candidates that differ from their base, as
                                            // bits, a group at a time; then the set bits in
                                            // order. (Branches only per set bit.)
                                            CompactDesign.differing(row, candidates: candidates, base: base, groups: groups, into: words, words: wordCount)
                                            for w in 0..<wordCount {
                                                var m = words[w]
                                                while m != 0 {
                                                    let u = w * 64 + m.trailingZeroBitCount
                                                    m &= m &- 1
                                                    if CompactDesign.listed(u, row[candidates[u]], state, other, count) { list.append(UInt32(u)) }
                                                }
                                            }
                                            rowCounts[first + i + 1] = list.count - before
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// Sets bit t of `bits` (`words` 64-bit words) for each candidate t
    /// whose value in `row` differs from its base, a group at a time:
    /// 8 or 4 candidates in consecutive columns compared together.
    @inline(__always)
    private static func differing(
        _ row: UnsafePointer<Double>, candidates: UnsafeBufferPointer<Int>, base: UnsafeBufferPointer<Double>,
        groups: UnsafeBufferPointer<(t: Int, width: Int)>, into bits: UnsafeMutablePointer<UInt64>, words: Int
    ) {
        for w in 0..<words { bits[w] = 0 }
        for (t, width) in groups {
            let v = UnsafeRawPointer(row + candidates[t]), b = UnsafeRawPointer(base.baseAddress! + t)
            let found: UInt64
            if width == 8 {
                let differs = v.loadUnaligned(as: SIMD8<Double>.self) .!= b.loadUnaligned(as: SIMD8<Double>.self)
                found = SIMD8<UInt64>(repeating: 0).replacing(with: SIMD8<UInt64>(1, 2, 4, 8, 16, 32, 64, 128), where: differs).wrappedSum()
            } else if width == 4 {
                let differs = v.loadUnaligned(as: SIMD4<Double>.self) .!= b.loadUnaligned(as: SIMD4<Double>.self)
                found = SIMD4<UInt64>(repeating: 0).replacing(with: SIMD4<UInt64>(1, 2, 4, 8), where: differs).wrappedSum()
            } else {
                found = row[candidates[t]] != base[t] ? 1 : 0
            }
            let offset = t & 63
            bits[t >> 6] |= found << UInt64(offset)
            if offset + width > 64 { bits[(t >> 6) + 1] |= found >> UInt64(64 - offset) }
        }
    }

    /// A candidate's value `v` that differs from its base: whether the
    /// row lists it (its other value, counted), or not (a third value: the
    /// column is dense).
    @inline(__always)
    private static func listed(
        _ t: Int, _ v: Double, _ state: UnsafeMutableBufferPointer<UInt8>, _ other: UnsafeMutableBufferPointer<Double>,
        _ count: UnsafeMutableBufferPointer<Int>
    ) -> Bool {
        if state[t] == 1 && v == other[t] {
            count[t] += 1
            return true
        }
        if state[t] == 0 {
            (state[t], other[t], count[t]) = (1, v, 1)
            return true
        }
        state[t] = 2
        return false
    }

    /// The halves of the blocks of `DesignPartition`, on two threads:
    /// `body(block, firstRow, range, dense, slot)` for each block (its
    /// index, its first design row), each half of it (`range`, rows within
    /// the block; slot 0 the first half, slot 1 the second), with the
    /// block's dense rows (rows × d, indexed within the block): a slice of
    /// the copy, or gathered from the design `x` into `scratch`. Each slot
    /// sees its halves in block order, so sums kept per slot are the same
    /// bitwise either way. With the copy, each thread runs through all
    /// its halves at once (one hand-over per pass instead of one per
    /// block); gathering, the blocks come one by one from the design.
    func forEachHalf<S: DesignSource>(
        of x: S, scratch: UnsafeMutablePointer<Double>,
        _ body: @escaping @Sendable (_ block: Int, _ firstRow: Int, _ range: Range<Int>, _ dense: UnsafePointer<Double>, _ slot: Int) -> Void
    ) throws(InputError) {
        let structure = self.structure, d = structure.dense.count
        // With the copy, or no dense column at all, the design is not read.
        if denseCopy != nil || d == 0 {
            let blocks = DesignPartition.blocks(rows: rows, columns: structure.columns)
            (denseCopy ?? []).withUnsafeBufferPointer { all in
                let base = UncheckedSendable(all.baseAddress.map(UnsafePointer.init) ?? UnsafePointer(scratch))
                DispatchQueue.concurrentPerform(iterations: 2) { k in
                    for (b, range) in blocks.enumerated() {
                        body(b, range.lowerBound, DesignHalves.half(k, of: range.count), base.value + range.lowerBound * d, k)
                    }
                }
            }
            return
        }
        var b = 0
        try x.forEachBlock { block in
            let m = block.rows, first = block.firstRow, index = b
            let shared = UncheckedSendable((values: block.values.baseAddress, scratch: scratch))
            DispatchQueue.concurrentPerform(iterations: 2) { k in
                let range = DesignHalves.half(k, of: m)
                if d > 0 { structure.gatherDense(shared.value.values!, rows: range, into: shared.value.scratch) }
                body(index, first, range, UnsafePointer(shared.value.scratch), k)
            }
            b += 1
        }
    }
}

/// Accumulates [X 1]ᵀW[X 1] (the notes above) in two slots, one per half
/// of every block, added in a fixed order by `matrix()`.
final class WeightedGram {
    let structure: DesignStructure
    /// The rows' active indicators, read once for the fit.
    let compact: CompactDesign
    /// p + 1: the order of the full matrix (the intercept last).
    let order: Int
    /// d + 1: the dense columns and the intercept's column of ones.
    let denseOrder: Int
    /// The number of two-valued columns.
    let indicators: Int
    private let slotSize: Int
    /// Per slot: the upper triangle of the dense block (denseOrder²), then
    /// T (indicators × denseOrder; its last column is S), then the upper
    /// triangle of C (indicators²).
    private let storage: UnsafeMutablePointer<Double>

    init(compact: CompactDesign) {
        self.compact = compact
        structure = compact.structure
        order = structure.columns + 1
        denseOrder = structure.dense.count + 1
        indicators = structure.binary.count
        slotSize = denseOrder * denseOrder + indicators * denseOrder + indicators * indicators
        storage = .allocate(capacity: 2 * slotSize)
        reset()
    }

    deinit {
        storage.deallocate()
    }

    func reset() { storage.initialize(repeating: 0, count: 2 * slotSize) }

    /// Doubles of scratch `accumulate` needs per row of a block.
    var scaledColumns: Int { denseOrder }

    /// Adds rows `range` of a block (its dense columns in `denseRows`,
    /// rows × d as `gatherDense` writes them; its row 0 is design row
    /// `firstRow`) with weights w_i = sqrtWeights[i]² into `slot`;
    /// `scaled` is scratch of at least range.upperBound × denseOrder
    /// doubles (rows indexed as in the block). With `residuals` (r_i
    /// indexed as in the block, and k sums), each indicator's sum of r_i
    /// over its active rows is added too, in the same loop (the gradient's
    /// part for the two-valued columns).
    func accumulate(
        denseRows: UnsafePointer<Double>, rows range: Range<Int>, firstRow: Int, sqrtWeights: UnsafePointer<Double>,
        scaled: UnsafeMutablePointer<Double>, slot: Int,
        residuals: (values: UnsafePointer<Double>, sums: UnsafeMutablePointer<Double>)? = nil
    ) {
        guard !range.isEmpty else { return }
        let d = denseOrder - 1, qd = denseOrder, k = indicators
        let slotStart = storage + slot * slotSize
        let t = slotStart + qd * qd, c = t + k * qd
        compact.start.withUnsafeBufferPointer { start in
            compact.active.withUnsafeBufferPointer { columns in
                for i in range {
                    let row = denseRows + i * d, sw = sqrtWeights[i], dst = scaled + i * qd
                    for e in 0..<d { dst[e] = sw * row[e] }
                    dst[d] = sw
                    let lo = start[firstRow + i], hi = start[firstRow + i + 1]
                    guard lo < hi else { continue }
                    let w = sw * sw
                    for a in lo..<hi {
                        let j = Int(columns[a]), tj = t + j * qd
                        for e in 0..<qd { tj[e] += sw * dst[e] }
                        let cj = c + j * k
                        for b in (a + 1)..<hi { cj[Int(columns[b])] += w }
                        if let residuals { residuals.sums[j] += residuals.values[i] }
                    }
                }
            }
        }
        BLAS.syrkTransposed(rows: range.count, columns: qd, alpha: 1, a: scaled + range.lowerBound * qd, beta: 1, c: slotStart)
    }

    /// The full symmetric (p + 1) × (p + 1) matrix [X 1]ᵀW[X 1], row-major,
    /// intercept last: the two slots added, then the formulas above.
    func matrix() -> [Double] {
        let q = order, qd = denseOrder, d = qd - 1, k = indicators, p = q - 1
        var sum = [Double](repeating: 0, count: slotSize)
        for e in 0..<slotSize { sum[e] = storage[e] + storage[slotSize + e] }
        // The dense block's upper triangle, read symmetrically.
        func g(_ e: Int, _ f: Int) -> Double { e <= f ? sum[e * qd + f] : sum[f * qd + e] }
        let tOffset = qd * qd, cOffset = tOffset + k * qd
        // Position of each design column in the full matrix: dense
        // position e is column dense[e], position d the intercept (p).
        let densePosition = structure.dense + [p]
        var h = [Double](repeating: 0, count: q * q)
        for e in 0..<qd {
            for f in e..<qd {
                let v = g(e, f)
                h[densePosition[e] * q + densePosition[f]] = v
                h[densePosition[f] * q + densePosition[e]] = v
            }
        }
        let totalWeight = g(d, d)
        let (binary, a, c) = (structure.binary, structure.base, structure.step)
        for j in 0..<k {
            let row = tOffset + j * qd, sj = sum[row + d]
            for e in 0..<qd {
                let v = a[j] * g(e, d) + c[j] * sum[row + e]
                h[binary[j] * q + densePosition[e]] = v
                h[densePosition[e] * q + binary[j]] = v
            }
            h[binary[j] * q + binary[j]] = a[j] * a[j] * totalWeight + (2 * a[j] * c[j] + c[j] * c[j]) * sj
            for l in (j + 1)..<k {
                let sl = sum[tOffset + l * qd + d]
                let v = a[j] * a[l] * totalWeight + a[j] * c[l] * sl + c[j] * a[l] * sj + c[j] * c[l] * sum[cOffset + j * k + l]
                h[binary[j] * q + binary[l]] = v
                h[binary[l] * q + binary[j]] = v
            }
        }
        return h
    }
}
