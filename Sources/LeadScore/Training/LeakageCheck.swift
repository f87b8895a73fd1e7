import Foundation

/// Signs that a column was filled in after the outcome was known (a sales
/// team's tags, a lead-quality grade set after the call). Such a column
/// makes a model look excellent on history and useless on new leads.
///
/// Three checks on the training rows:
/// 1. single-column AUC: each column alone, as a score (a numeric column's
///    value, or a category's conversion rate among the training rows), and
///    its AUC folded to ≥ ½, over all rows and over the rows where the
///    column is filled in. At or above `columnAUCWarning` (0.90) over all
///    rows, the column is reported.
/// 2. near-pure levels: a category level (or boolean value) held by at
///    least `pureLevelMinRows` rows of which at least 99% (or at most 1%)
///    converted: (quasi-)complete separation by that level; reported.
/// 3. the fitted model's training AUC at or above `modelAUCWarning` (0.97):
///    reported with the three columns that separate best where they are
///    filled in. Columns a sales team fills in after contact (tags, a
///    quality grade, a profile) are typically empty for many leads and very
///    telling where filled; activity columns are filled for everyone.
public enum LeakageCheck {
    public static let columnAUCWarning = 0.90
    /// A column this separating alone stops training unless confirmed.
    public static let defaultStopThreshold = 0.95
    public static let modelAUCWarning = 0.97
    public static let pureLevelMinRows = 30

    public struct ColumnSeparation: Sendable {
        public var column: String
        /// AUC of the column alone over all training rows (missing values
        /// scored as their own level, or as the median).
        public var auc: Double
        /// AUC among the rows where the column is filled in, and their
        /// share. A column sales fills in after contact is often empty for
        /// most leads and telling where filled.
        public var filledAUC: Double
        public var filledShare: Double
    }

    /// Single-column AUCs of the feature columns, highest AUC-where-filled
    /// first.
    static func columnAUCs(table: RawTable, schema: InferredSchema, rows: [Int], labels: [Double]) -> [ColumnSeparation] {
        let y = rows.map { labels[$0] }
        var result: [ColumnSeparation] = []
        for (index, kind) in schema.features {
            let col = table.columns[index]
            var score: [Double]
            var filled = [Bool](repeating: true, count: rows.count)
            switch kind {
            case .numeric, .date:
                let values = rows.map { TableValues.number(col, kind: kind, row: $0, asOfDays: 0) }
                for (k, v) in values.enumerated() where v == nil { filled[k] = false }
                let present = values.compactMap { $0 }
                guard !present.isEmpty else { continue }
                let med = NumericEncoder.median(present)
                score = values.map { $0 ?? med }
            case .boolean, .categorical:
                // Group rows by value through small integer keys (a level's
                // dictionary code, or 0/1 for booleans; the last key is
                // "missing"), then score each row by its group's rate.
                let groups = (kind == .boolean ? 2 : col.levels.count) + 1
                let missingKey = groups - 1
                var keys = [Int](repeating: missingKey, count: rows.count)
                for (k, r) in rows.enumerated() {
                    if kind == .boolean {
                        if let b = TableValues.boolean(col, row: r) { keys[k] = b ? 1 : 0 }
                    } else if let code = col.codes?[r], code != RawTable.missingCode {
                        keys[k] = Int(code)
                    }
                }
                var won = [Double](repeating: 0, count: groups), all = won
                for (k, key) in keys.enumerated() {
                    all[key] += 1
                    won[key] += y[k]
                    if key == missingKey { filled[k] = false }
                }
                score = keys.map { won[$0] / all[$0] }
            }
            // One sort serves both AUCs: all rows, and the filled ones
            // (missing rows weighted 0).
            let ranked = RankedScores(scores: score)
            let a = ranked.auc(labels: y, weights: [Double](repeating: 1, count: y.count))
            guard a.isFinite else { continue }
            var f = ranked.auc(labels: y, weights: filled.map { $0 ? 1 : 0 })
            if !f.isFinite { f = 0.5 }
            let kept = filled.reduce(0) { $0 + ($1 ? 1 : 0) }
            result.append(
                ColumnSeparation(
                    column: col.name, auc: max(a, 1 - a), filledAUC: max(f, 1 - f), filledShare: Double(kept) / Double(max(rows.count, 1))))
        }
        return result.sorted { $0.filledAUC != $1.filledAUC ? $0.filledAUC > $1.filledAUC : $0.column < $1.column }
    }
    /// Levels that (almost) decide the outcome on their own.
    static func pureLevels(table: RawTable, schema: InferredSchema, rows: [Int], labels: [Double]) -> [String] {
        var found: [String] = []
        for (index, kind) in schema.features where kind == .categorical || kind == .boolean {
            let col = table.columns[index]
            var won: [String: Int] = [:], all: [String: Int] = [:]
            for r in rows {
                let key: String
                if kind == .boolean {
                    guard let b = TableValues.boolean(col, row: r) else { continue }
                    key = b ? "Yes" : "No"
                } else {
                    key = TableValues.text(col, row: r) ?? CategoricalEncoder.missingLevel
                }
                all[key, default: 0] += 1
                if labels[r] > 0.5 { won[key, default: 0] += 1 }
            }
            for (level, n) in all.sorted(by: { $0.key < $1.key }) where n >= pureLevelMinRows {
                let w = won[level, default: 0]
                let rate = Double(w) / Double(n)
                if rate >= 0.99 || rate <= 0.01 {
                    found.append("\(col.name) = \(level): \(w) of \(n) converted")
                }
            }
        }
        return found
    }

    /// The notices of checks 1 and 2.
    static func notices(columnAUCs: [ColumnSeparation], pureLevels: [String]) -> [String] {
        var notes: [String] = []
        for c in columnAUCs where c.auc >= columnAUCWarning {
            notes.append(
                "Possible leakage: \"\(c.column)\" alone separates won from lost with AUC \(ModelNumber.fixed(c.auc, 3)). If it is filled in after the outcome is known (by sales, after contact), exclude it with --exclude \"\(c.column)\".")
        }
        if !pureLevels.isEmpty {
            let shown = pureLevels.prefix(8).joined(separator: "; ")
            notes.append(
                "Near-complete separation: these values almost decide the outcome on their own (\(shown)\(pureLevels.count > 8 ? "; and \(pureLevels.count - 8) more" : "")). Their coefficients are held finite by the L2 penalty; if the column is set after the outcome, exclude it.")
        }
        return notes
    }

    /// The notice of check 3, or nil.
    static func modelNotice(trainingAUC: Double, columnAUCs: [ColumnSeparation]) -> String? {
        guard trainingAUC >= modelAUCWarning else { return nil }
        let top = columnAUCs.prefix(3).map {
            "\"\($0.column)\" (filled for \(ModelNumber.fixed(100 * $0.filledShare, 0))% of leads, AUC \(ModelNumber.fixed($0.filledAUC, 2)) where filled)"
        }.joined(separator: ", ")
        return "Possible leakage: the model separates won from lost almost perfectly (training AUC \(ModelNumber.fixed(trainingAUC, 3))). Real lead scores rarely do; this usually means columns filled in after the outcome. The columns that separate best on their own, where filled in: \(top). If they are set after contact, exclude them with --exclude."
    }
}
