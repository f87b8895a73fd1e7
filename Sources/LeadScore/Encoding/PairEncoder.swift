import Foundation

// Pair terms (interactions): a small table of log-odds adjustments over
// the cells of two model columns, as in an explainable boosting machine's
// pairwise terms (Lou, Caruana, Gehrke & Hooker, "Accurate intelligible
// models with pairwise interactions", KDD 2013), fitted here jointly with
// the main effects by the one penalised logistic regression.
//
// The rule, in one sentence: a pair's cells are the full cross of its two
// columns' cells (every level of a category as its main effect has them,
// a boolean's false and true, a number's or date's training quartiles),
// and a cell with fewer than 10 training rows (`minimumRowsOfACell`) gets
// no feature: its leads keep the main effects alone, as the reference
// cells' leads do.
// Why every level: a fixed number of the most frequent levels (4 before
// format 11) merges frequent levels of a many-levelled column into the
// reference while it keeps rare crosses of a few-levelled one; the
// category's own minimum count (`minCategoryCount`, pooling into
// "(other)") already bounds its levels, and the screen's degrees of
// freedom (S − 2d) and one-standard-error rule (Trainer+Interactions.swift)
// weigh a larger table against its gain. Why 10 rows: a cell's
// coefficient rests on its rows alone, and the rule of thumb of about ten
// observations per estimated parameter (Harrell, Regression Modeling
// Strategies, 2nd ed., §4.4, which counts events; here rows, because the
// L2 penalty already shrinks a sparse cell toward 0, see below) keeps a
// coefficient from being spent on a handful of leads or on none (an empty
// cell kept a feature held at 0 by the penalty before format 11). It is
// not the category minimum (30): cells of 10 to 29 rows carry real
// adjustments. Measured (5-fold CV AUC of `benchmarks/accuracy.py` with
// `--splines auto --interactions auto --cv 5`, the same folds; every
// level and this rule against the alternatives): Leads X Education 0.9263
// (4 levels, no minimum: 0.9255; every level, no minimum: 0.9264; minimum
// 30: 0.9248), CoIL Caravan 0.7580 (no minimum: 0.7569; minimum 30:
// 0.7586); deciles instead of quartiles: 0.9255 on Leads, so quartiles
// stay.
//
// Each side of a pair cuts its column into cells:
//   - categorical: the column's encoder's reference level is cell 0, its
//     other levels (as the encoder orders them, with "(other)" and
//     "(missing)" when it has them) cells 1, 2, …; a value unseen in
//     training is in the cell of the level the column's encoder reads it
//     as ("(other)" or the reference). Cards of format 8 to 10 may list
//     fewer levels (`levels`): the others are in cell 0;
//   - boolean: cell 0 false, cell 1 true; a missing value is in cell 0, as
//     the column's own feature reads it as 0 (its missing indicator, when
//     the column has one, carries the missing main effect);
//   - numeric or date: bins of the training values at their quartiles
//     (`binEdges`): cell i holds edges[i−1] < x ≤ edges[i]; edges that tie
//     (a count that is mostly 0) are kept once, so a side has 2 to 4 bins.
//     x is the value as read (a date: the days before the as-of day), before
//     any log1p: bins do not depend on a monotone transform. A missing value
//     is in the bin of the column's training median, the value its numeric
//     feature imputes.
//
// Coding: treatment (reference) coding on both sides. The pair has one
// feature per cell (i, j) with i ≥ 1 and j ≥ 1 and at least
// `minimumCellRows` training rows (every such cell when the card has no
// `minimumCellRows`), an indicator 1 when the lead is in that cell, else
// 0, named "A × B: a, b", laid row-major (i first). Cells of row 0 or
// column 0 get none, so the table is identifiable beside the main effects
// (the sum over the cells of any row or column of indicators would
// otherwise equal a main effect's indicator); a rare cell gets none, so
// its adjustment is 0, as a reference cell's (the rare cell is merged into
// the reference: no coefficient rests on a handful of leads, and a cell
// without training rows has no coefficient fixed at 0 by the penalty).
// The pair's contribution to a lead's log-odds is the coefficient of its
// one active cell, 0 in row or column 0 and in a rare cell.
//
// The indicators are not standardised: the model's L2 penalty λ/2 β² acts
// on each cell's coefficient in log-odds as it acts on a standardised
// feature's coefficient per standard deviation, so a rare cell (whose
// indicator varies little) is shrunk relatively more toward 0, i.e. toward
// the main effects alone.

/// One side of a pair term: a model column and its cells.
public struct PairSide: Codable, Sendable, Equatable {
    /// The model column (an encoder column of the model).
    public var column: String
    /// The cells' names, cell 0 (the reference) first.
    public var cells: [String]
    /// Numeric and date columns: the upper edges of cells 0 … n−2, in
    /// increasing order (x ≤ edges[0] is cell 0; x above the last edge is
    /// the last cell). nil for other columns.
    public var edges: [Double]? = nil
    /// Categorical columns: the levels of the column's encoder that have a
    /// cell of their own, cells 1, 2, … in order; every other value is in
    /// cell 0. nil for other columns.
    public var levels: [String]? = nil

    public var cellCount: Int { cells.count }
}

/// A pair term of two model columns (see the comment above).
public struct PairEncoder: Codable, Sendable, Equatable {
    public var first: PairSide
    public var second: PairSide
    /// Training rows of each cell, row-major: `counts[i * second.cellCount + j]`.
    public var counts: [Int]
    /// A cell (i ≥ 1, j ≥ 1) with fewer training rows (`counts`) than this
    /// has no feature: it is merged into the reference cells (see the
    /// comment above). nil (absent from the model file) when no cell is
    /// that rare, and in cards of format 8 to 10: every cell off row and
    /// column 0 has a feature. Format 11 added it.
    public var minimumCellRows: Int? = nil

    /// A numeric or date side is cut at its training quartiles: at most 4
    /// bins.
    public static let maximumBins = 4
    /// A cell needs this many training rows for a feature of its own (see
    /// the comment above); `FeatureEncoder.fitPairs` records it in
    /// `minimumCellRows` of a pair that has a rarer cell.
    public static let minimumRowsOfACell = 10

    /// "A × B", the pair's name in reasons, reports and the model card's
    /// feature `column`.
    public var name: String { "\(first.column) \u{D7} \(second.column)" }

    /// Whether cell (i, j) has a feature: off row and column 0, and with at
    /// least `minimumCellRows` training rows when the pair has that rule (a
    /// cell without a count, in a damaged card, has none).
    public func hasFeature(_ i: Int, _ j: Int) -> Bool {
        guard i >= 1, j >= 1 else { return false }
        guard let minimum = minimumCellRows else { return true }
        let c = i * second.cellCount + j
        return c < counts.count && counts[c] >= minimum
    }

    /// The feature (from the pair's first) of each cell, row-major
    /// (`counts` order), −1 for a cell without one: the cells with a
    /// feature numbered in row-major order.
    public var cellFeatures: [Int] {
        var features = [Int](repeating: -1, count: first.cellCount * second.cellCount), k = 0
        for i in 1..<first.cellCount {
            for j in 1..<second.cellCount where hasFeature(i, j) {
                features[i * second.cellCount + j] = k
                k += 1
            }
        }
        return features
    }

    public var featureCount: Int {
        var k = 0
        for i in 1..<first.cellCount {
            for j in 1..<second.cellCount where hasFeature(i, j) { k += 1 }
        }
        return k
    }

    /// The feature (from the pair's first) of cell (i, j), nil for a cell of
    /// row or column 0 or a rare cell (`hasFeature`).
    public func feature(_ i: Int, _ j: Int) -> Int? {
        let f = cellFeatures[i * second.cellCount + j]
        return f >= 0 ? f : nil
    }

    public var featureNames: [String] {
        var names: [String] = []
        for i in 1..<first.cellCount {
            for j in 1..<second.cellCount where hasFeature(i, j) { names.append("\(name): \(first.cells[i]), \(second.cells[j])") }
        }
        return names
    }

    /// The training rows of cell (i, j).
    public func count(_ i: Int, _ j: Int) -> Int { counts[i * second.cellCount + j] }
}

extension PairSide {
    /// The cells of `encoder`'s column on the training rows, from the
    /// values each row has: `values` (numbers as read, NaN when missing)
    /// for a numeric or date column, `active` (the categorical encoder's
    /// active feature, −1 for the reference) for a categorical one. nil
    /// when fewer than two cells result.
    static func fit(encoder: ColumnEncoder, values: [Double], active: [Int]) -> PairSide? {
        switch encoder {
        case .numeric, .date:
            let edges = binEdges(values.filter { !$0.isNaN })
            guard !edges.isEmpty else { return nil }
            return PairSide(column: encoder.column, cells: binNames(edges), edges: edges)
        case .boolean(let e):
            return PairSide(column: e.column, cells: ["false", "true"])
        case .categorical(let e):
            // Every level of the encoder (each with at least the minimum
            // count of the rows it was fitted on, or "(other)").
            guard !e.levels.isEmpty else { return nil }
            return PairSide(column: e.column, cells: [e.reference] + e.levels, levels: e.levels)
        }
    }

    /// The upper edges of the bins of `present` (the non-missing training
    /// values): the distinct values among the quartiles q₁, q₂, q₃ below the
    /// largest value, each the order statistic x₍⌈p·n⌉₎ (the smallest value
    /// with at least a share p of the values at or below it: numpy's
    /// `quantile(…, method="inverted_cdf")`). Empty when every value is one.
    static func binEdges(_ present: [Double]) -> [Double] {
        guard !present.isEmpty else { return [] }
        let sorted = present.sorted()
        let n = sorted.count
        var edges: [Double] = []
        for k in 1..<PairEncoder.maximumBins {
            // ⌈k n / 4⌉ in integers, as a 1-based rank.
            let rank = max(1, (k * n + PairEncoder.maximumBins - 1) / PairEncoder.maximumBins)
            let q = sorted[rank - 1]
            if q < sorted[n - 1] && (edges.last.map { q > $0 } ?? true) { edges.append(q) }
        }
        return edges
    }

    /// "≤ 3", "3 to 7", "> 12".
    static func binNames(_ edges: [Double]) -> [String] {
        var names = ["\u{2264} \(ModelNumber.text(edges[0]))"]
        for i in 1..<edges.count { names.append("\(ModelNumber.text(edges[i - 1])) to \(ModelNumber.text(edges[i]))") }
        names.append("> \(ModelNumber.text(edges[edges.count - 1]))")
        return names
    }

    /// How to find this side's cell of a lead from the value its column's
    /// encoder read (`PairSide.CellFinder.cell`).
    func cellFinder(_ encoder: ColumnEncoder) -> CellFinder {
        switch encoder {
        case .numeric(let e): return .bins(edges ?? [], missing: Self.bin(e.median, edges ?? []))
        case .date(let e): return .bins(edges ?? [], missing: Self.bin(e.numeric.median, edges ?? []))
        case .boolean: return .boolean
        case .categorical(let e):
            var cellOf = [Int](repeating: 0, count: e.levels.count + 1)
            for (c, level) in (levels ?? []).enumerated() {
                if let i = e.levels.firstIndex(of: level) { cellOf[i + 1] = c + 1 }
            }
            return .levels(cellOf)
        }
    }

    @inline(__always)
    static func bin(_ x: Double, _ edges: [Double]) -> Int {
        var i = 0
        while i < edges.count && x > edges[i] { i += 1 }
        return i
    }

    /// A side's cell from its column's value as read.
    enum CellFinder: Sendable {
        /// Numeric and date: the bin of the value (NaN: missing, in the
        /// median's bin).
        case bins([Double], missing: Int)
        /// 1 (true) is cell 1; 0 (false) and missing are cell 0.
        case boolean
        /// Categorical: the cell of active feature a at index a + 1 (−1,
        /// the reference level, at 0).
        case levels([Int])

        /// The cell of a value read as `value` (numeric, date and boolean
        /// columns: `RowEncoder.value(column:)`, NaN when missing) or
        /// `active` (categorical: `RowEncoder.activeFeature(column:)`).
        @inline(__always)
        func cell(value: Double, active: Int) -> Int {
            switch self {
            case .bins(let edges, let missing): value.isNaN ? missing : PairSide.bin(value, edges)
            case .boolean: value == 1 ? 1 : 0
            case .levels(let cellOf): cellOf[active + 1]
            }
        }
    }
}

/// A pair term bound to its model's columns: the two columns (indices of
/// `FeatureEncoder.columns`), how each side finds its cell, and the pair's
/// first feature. The design (`FeatureEncoder`) and the row encoder
/// (`RowEncoder`) both find a lead's cell with it.
struct PairBinding: Sendable {
    let first: Int
    let second: Int
    let firstCells: PairSide.CellFinder
    let secondCells: PairSide.CellFinder
    /// The pair's first feature in the design row, and its number of
    /// features.
    let offset: Int
    let width: Int
    /// The number of cells of the second side.
    let secondCount: Int
    /// The feature (from the pair's first) of each cell, −1 for none
    /// (`PairEncoder.cellFeatures`).
    let cellFeatures: [Int]

    init(_ pair: PairEncoder, columns: [ColumnEncoder], offset: Int) {
        first = columns.firstIndex { $0.column == pair.first.column }!
        second = columns.firstIndex { $0.column == pair.second.column }!
        firstCells = pair.first.cellFinder(columns[first])
        secondCells = pair.second.cellFinder(columns[second])
        self.offset = offset
        width = pair.featureCount
        secondCount = pair.second.cellCount
        cellFeatures = pair.cellFeatures
    }

    /// The cell (i · n_B + j, `PairEncoder.counts` order) of a lead whose
    /// two columns were read as (`value`, `active`) each
    /// (`PairSide.CellFinder.cell`).
    @inline(__always)
    func cell(_ a: (value: Double, active: Int), _ b: (value: Double, active: Int)) -> Int {
        firstCells.cell(value: a.value, active: a.active) * secondCount + secondCells.cell(value: b.value, active: b.active)
    }

    /// The feature (from the pair's first) of cell `c`, −1 for a cell of
    /// row or column 0 or a rare cell.
    @inline(__always)
    func feature(cell c: Int) -> Int { cellFeatures[c] }
}

extension PairEncoder {
    /// What is wrong with the pair in a model whose encoder columns are
    /// `columns`, or nil: its columns are two distinct columns of the
    /// model, each side's cells fit its column's kind (edges for numeric and
    /// dates, in increasing order; levels of the column for categories; two
    /// cells for booleans), and there is a count per cell.
    func problem(columns: [ColumnEncoder]) -> String? {
        guard first.column != second.column else { return "the pair \"\(name)\" names one column twice." }
        for side in [first, second] {
            guard let encoder = columns.first(where: { $0.column == side.column }) else {
                return "the pair \"\(name)\" names \"\(side.column)\", which is not a column of the model."
            }
            guard side.cellCount >= 2 else { return "a side of the pair \"\(name)\" has fewer than two cells." }
            switch encoder {
            case .numeric, .date:
                guard let edges = side.edges, edges.count == side.cellCount - 1, side.levels == nil,
                    edges.allSatisfy(\.isFinite), zip(edges, edges.dropFirst()).allSatisfy({ $0 < $1 })
                else { return "the bins of \"\(side.column)\" in the pair \"\(name)\" are not increasing finite edges, one fewer than its cells." }
            case .boolean:
                guard side.cellCount == 2, side.edges == nil, side.levels == nil else { return "the boolean side \"\(side.column)\" of the pair \"\(name)\" must have two cells." }
            case .categorical(let e):
                guard let levels = side.levels, levels.count == side.cellCount - 1, side.edges == nil, levels.allSatisfy(e.levels.contains),
                    Set(levels).count == levels.count
                else { return "the cells of \"\(side.column)\" in the pair \"\(name)\" are not distinct levels of the column." }
            }
        }
        guard counts.count == first.cellCount * second.cellCount, counts.allSatisfy({ $0 >= 0 }) else {
            return "the pair \"\(name)\" does not have a training count for each of its cells."
        }
        if let m = minimumCellRows, m < 1 { return "the pair \"\(name)\" has a minimum of training rows per cell below 1." }
        guard featureCount > 0 else { return "the pair \"\(name)\" has no cell with a feature." }
        return nil
    }
}
