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
    /// A column this separating alone stops training unless confirmed: the
    /// warning level itself, so that every column reported as leakage was
    /// either confirmed (`allowLeakage`) or excluded. A warning alone is
    /// easy to miss in a pipeline, and a leaking column makes a model that
    /// looks excellent on history and fails on new leads.
    public static let defaultStopThreshold = columnAUCWarning

    /// Whether a training notice is about leakage; such notices are shown
    /// even when other output is silenced.
    public static func isLeakageNotice(_ notice: String) -> Bool {
        notice.hasPrefix("Possible leakage") || notice.hasPrefix("Near-complete separation")
    }
    /// Below this many rows of the smaller class, a column can separate
    /// won from lost by chance, and a refusal for leakage says so (the
    /// remedy is more data, not `allowLeakage`). A column unrelated to the
    /// outcome, scored as the check scores it (a category by its conversion
    /// rate among the same rows), reaches AUC 0.90 alone this often
    /// (simulated, equal classes of n rows, 4,000 draws each):
    ///
    ///     n rows per class    6      10     20     30     50
    ///     a number            1.8%   0.1%   0      0      0
    ///     10 levels           54%    21%    0.5%   0      0
    ///     20 levels           87%    77%    19%    1.1%   0
    ///
    /// At 30 the chance is gone for numbers and up to 10 levels and about
    /// 1% at 20 levels; a file with several category columns below it
    /// would almost surely show one "leaking". 30 is also
    /// `pureLevelMinRows`, the rows a level needs before it is called pure.
    public static let chanceRowsPerClass = 30
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
    ///
    /// A column's score takes one value per group of rows (a level, a
    /// boolean value, a distinct number; missing rows share one value), so
    /// both AUCs follow from the won and lost counts per distinct score
    /// (`GroupedAUC`) without sorting the rows: categorical and boolean
    /// columns, and numeric or date columns kept with dictionary codes, are
    /// counted per code; other numeric columns radix-sort their values
    /// (`ScoreSort`) and count per distinct value. Both use the AUC formula
    /// of `RankedScores` (`AUCAccumulator`), so the results are bitwise
    /// those of ranking the rows by score (`sortedSeparation`), which still
    /// serves what counting does not cover (codes that disagree with the
    /// numbers).
    static func columnAUCs(table: RawTable, schema: InferredSchema, rows: [Int], labels: [Double]) -> [ColumnSeparation] {
        let y = rows.map { labels[$0] }
        let positive = y.map { $0 > 0.5 }
        let features = schema.features
        // Columns are independent: counted on all cores, each into its slot.
        var result = [ColumnSeparation?](repeating: nil, count: features.count)
        let shared = UncheckedSendable((table: table, rows: rows, y: y, positive: positive))
        result.withUnsafeMutableBufferPointer { out in
            let target = UncheckedSendable(out.baseAddress!)
            DispatchQueue.concurrentPerform(iterations: features.count) { i in
                let (table, rows, y, positive) = shared.value
                let (index, kind) = features[i]
                let col = table.columns[index]
                let counted: Counted
                switch kind {
                case .numeric, .date: counted = countNumeric(col, kind: kind, rows: rows, positive: positive)
                case .boolean, .categorical: counted = countLevels(col, kind: kind, rows: rows, y: y, positive: positive)
                }
                switch counted {
                case .noValues:
                    target.value[i] = nil
                case let .groups(all, filled, kept):
                    target.value[i] = ColumnSeparation(column: col.name, all: all.value, filled: filled.value, kept: kept, rows: rows.count)
                case .notCountable:
                    target.value[i] = sortedSeparation(col, kind: kind, rows: rows, y: y)
                }
            }
        }
        return ordered(result.compactMap { $0 })
    }

    static func ordered(_ s: [ColumnSeparation]) -> [ColumnSeparation] {
        s.sorted { $0.filledAUC != $1.filledAUC ? $0.filledAUC > $1.filledAUC : $0.column < $1.column }
    }

    /// One column's separation from its score per row (y: labels of `rows`);
    /// nil when the column has no present value or its AUC is undefined.
    static func sortedSeparation(_ col: RawTable.Column, kind: ColumnKind, rows: [Int], y: [Double]) -> ColumnSeparation? {
        var score: [Double]
        var filled = [Bool](repeating: true, count: rows.count)
        switch kind {
        case .numeric, .date:
            let values = rows.map { TableValues.number(col, kind: kind, row: $0, asOfDays: 0) }
            for (k, v) in values.enumerated() where v == nil { filled[k] = false }
            let present = values.compactMap { $0 }
            guard !present.isEmpty else { return nil }
            let med = NumericEncoder.median(present)
            score = values.map { $0 ?? med }
        case .boolean, .categorical:
            // Group rows by value through small integer keys (a level's
            // dictionary code, or 0/1 for booleans; the last key is
            // "missing"), then score each row by its group's rate.
            let (keys, groups) = levelKeys(col, kind: kind, rows: rows)
            let missingKey = groups - 1
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
        guard let ranked = RankedScores(scores: score, labels: y) else { return nil }
        let a = ranked.auc()
        let f = ranked.auc(weights: filled.map { $0 ? 1 : 0 })
        let kept = filled.reduce(0) { $0 + ($1 ? 1 : 0) }
        return ColumnSeparation(column: col.name, all: a, filled: f, kept: kept, rows: rows.count)
    }

    /// A column's rows counted by distinct score.
    enum Counted {
        /// No present value: the column is not scored.
        case noValues
        /// Won/lost counts per distinct score over all rows and over the
        /// filled rows, and the number of filled rows.
        case groups(all: GroupedAUC, filled: GroupedAUC, kept: Int)
        /// Counting does not reproduce the sorted AUC here: sort the rows.
        case notCountable
    }

    /// Categorical and boolean columns: a row's score is the conversion
    /// rate won/all of its key (level code or boolean value, missing its own
    /// key), so the rows of one key tie, and keys with equal rates tie too
    /// (`GroupedAUC.fromEntries` merges them). The definition sums the
    /// labels of a key's rows for `won`; with labels that are all 0 or 1
    /// that sum is exact in any order and equals the key's count of won
    /// rows, so counting per code gives the same rates, bit for bit. Other
    /// labels are summed row by row, in order, as the definition does.
    static func countLevels(_ col: RawTable.Column, kind: ColumnKind, rows: [Int], y: [Double], positive: [Bool]) -> Counted {
        guard y.allSatisfy({ $0 == 0 || $0 == 1 }) else { return countLevelsByRow(col, kind: kind, rows: rows, y: y, positive: positive) }
        let groups = (kind == .boolean ? 2 : col.levels.count) + 1
        let missingKey = groups - 1
        var pos = [Int](repeating: 0, count: groups), neg = pos
        if let codes = col.codes {
            // Each code's key, resolved once (a boolean's spelling parsed once).
            let keyOfCode: [Int] =
                kind == .boolean
                ? col.levels.map { ValueParser.boolean($0).map { $0 ? 1 : 0 } ?? missingKey } : Array(col.levels.indices)
            let counts = codeCounts(codes, levelCount: col.levels.count, rows: rows, positive: positive)
            for slot in 0...col.levels.count {
                let key = slot == 0 ? missingKey : keyOfCode[slot - 1]
                neg[key] += counts[2 * slot]
                pos[key] += counts[2 * slot + 1]
            }
        } else if kind == .boolean, let numbers = col.numbers {
            for (k, r) in rows.enumerated() {
                let v = numbers[r]
                let key = v.isNaN ? missingKey : v == 1 ? 1 : 0
                if positive[k] { pos[key] += 1 } else { neg[key] += 1 }
            }
        } else {
            for p in positive { if p { pos[missingKey] += 1 } else { neg[missingKey] += 1 } }
        }
        var allEntries: [(score: Double, positive: Int, negative: Int)] = [], filledEntries = allEntries
        for key in 0..<groups where pos[key] + neg[key] > 0 {
            let rate = Double(pos[key]) / Double(pos[key] + neg[key])
            allEntries.append((rate, pos[key], neg[key]))
            if key != missingKey { filledEntries.append((rate, pos[key], neg[key])) }
        }
        return .groups(
            all: GroupedAUC.fromEntries(allEntries), filled: GroupedAUC.fromEntries(filledEntries), kept: rows.count - pos[missingKey] - neg[missingKey])
    }

    /// A small integer key per row of a boolean or categorical column: the
    /// level's dictionary code, or 0/1 for booleans; the last of `groups`
    /// keys is "missing".
    static func levelKeys(_ col: RawTable.Column, kind: ColumnKind, rows: [Int]) -> (keys: [Int], groups: Int) {
        let groups = (kind == .boolean ? 2 : col.levels.count) + 1
        var keys = [Int](repeating: groups - 1, count: rows.count)
        let booleans = TableValues.BooleanReader(col)
        for (k, r) in rows.enumerated() {
            if kind == .boolean {
                if let b = booleans[r] { keys[k] = b ? 1 : 0 }
            } else if let code = col.codes?[r], code != RawTable.missingCode {
                keys[k] = Int(code)
            }
        }
        return (keys, groups)
    }

    /// `countLevels` for any labels: keys per row, `won` summed row by row.
    static func countLevelsByRow(_ col: RawTable.Column, kind: ColumnKind, rows: [Int], y: [Double], positive: [Bool]) -> Counted {
        let (keys, groups) = levelKeys(col, kind: kind, rows: rows)
        let missingKey = groups - 1
        var won = [Double](repeating: 0, count: groups), all = won
        var pos = [Int](repeating: 0, count: groups), neg = pos
        for (k, key) in keys.enumerated() {
            all[key] += 1
            won[key] += y[k]
            if positive[k] { pos[key] += 1 } else { neg[key] += 1 }
        }
        var allEntries: [(score: Double, positive: Int, negative: Int)] = [], filledEntries = allEntries
        for key in 0..<groups where all[key] > 0 {
            let rate = won[key] / all[key]
            if rate.isNaN { return .notCountable }
            allEntries.append((rate, pos[key], neg[key]))
            if key != missingKey { filledEntries.append((rate, pos[key], neg[key])) }
        }
        return .groups(
            all: GroupedAUC.fromEntries(allEntries), filled: GroupedAUC.fromEntries(filledEntries), kept: rows.count - pos[missingKey] - neg[missingKey])
    }

    /// Lost and won rows per dictionary code, in slots: slot 0 for missing
    /// (`RawTable.missingCode` + 1 wraps to 0), slot c + 1 for code c; lost
    /// at 2·slot, won at 2·slot + 1. `positive[k]` is the class of `rows[k]`.
    static func codeCounts(_ codes: ColumnValues<UInt32>, levelCount: Int, rows: [Int], positive: [Bool]) -> [Int] {
        precondition(positive.count == rows.count)
        let width = 2 * (levelCount + 1)
        // Four tables, used in turn, so that runs of rows with the same code
        // do not wait on one counter; added up at the end.
        var tables = [Int](repeating: 0, count: 4 * width)
        codes.withUnsafeBufferPointer { codes in
            rows.withUnsafeBufferPointer { rows in
                positive.withUnsafeBufferPointer { positive in
                    tables.withUnsafeMutableBufferPointer { tables in
                        @inline(__always) func count(_ k: Int, _ table: Int) {
                            let slot = Int(codes[rows[k]] &+ 1)
                            precondition(slot <= levelCount, "a dictionary code beyond the levels")
                            tables[table * width + 2 * slot + (positive[k] ? 1 : 0)] += 1
                        }
                        let n = rows.count, quads = n / 4 * 4
                        var k = 0
                        while k < quads {
                            count(k, 0)
                            count(k + 1, 1)
                            count(k + 2, 2)
                            count(k + 3, 3)
                            k += 4
                        }
                        while k < n {
                            count(k, 0)
                            k += 1
                        }
                    }
                }
            }
        }
        return (0..<width).map { tables[$0] + tables[width + $0] + tables[2 * width + $0] + tables[3 * width + $0] }
    }

    /// A numeric or date value as the per-row definition reads it
    /// (`TableValues.number` with the date as of day 0).
    private struct NumberReader {
        let numbers: ColumnValues<Double>?
        let days: ColumnValues<Int>?
        let isDate: Bool

        init(_ col: RawTable.Column, kind: ColumnKind) {
            isDate = kind == .date
            numbers = isDate ? nil : col.numbers
            days = isDate ? col.days : nil
        }

        var hasValues: Bool { isDate ? days != nil : numbers != nil }

        @inline(__always)
        func callAsFunction(_ r: Int) -> Double? {
            if isDate {
                let d = days![r]
                return d == Int.min ? nil : Double(0 - d)
            }
            let v = numbers![r]
            return v.isNaN ? nil : v
        }
    }

    /// Numeric and date columns: a row's score is its value, missing rows
    /// score the median of the present values. Ties are equal values, so
    /// the counts are per distinct value, plus the missing rows in the group
    /// of the median's value.
    static func countNumeric(_ col: RawTable.Column, kind: ColumnKind, rows: [Int], positive: [Bool]) -> Counted {
        let read = NumberReader(col, kind: kind)
        guard read.hasValues else { return .noValues }
        if let codes = col.codes, let counted = countNumericByCode(codes: codes, levelCount: col.levels.count, read: read, rows: rows, positive: positive) {
            return counted
        }
        return countNumericBySorting(read: read, rows: rows, positive: positive)
    }

    /// Rows with the same code hold the same text and so the same number;
    /// each code's value is checked against every row (nil, and the caller
    /// sorts, if one differs).
    private static func countNumericByCode(codes: ColumnValues<UInt32>, levelCount: Int, read: NumberReader, rows: [Int], positive: [Bool]) -> Counted? {
        // Per slot (0 missing, c + 1 for code c): the bits of its value, as
        // first seen; `unset` and `missing` are NaN patterns, which no
        // present value has.
        let unset: UInt64 = 0x7FF8_0000_0000_0001, missing: UInt64 = 0x7FF8_0000_0000_0002
        var valueBits = [UInt64](repeating: unset, count: levelCount + 1)
        valueBits[0] = missing
        var counts = [Int](repeating: 0, count: 2 * (levelCount + 1))
        let consistent = codes.withUnsafeBufferPointer { codes in
            valueBits.withUnsafeMutableBufferPointer { valueBits in
                counts.withUnsafeMutableBufferPointer { counts in
                    for (k, r) in rows.enumerated() {
                        let slot = Int(codes[r] &+ 1)
                        precondition(slot <= levelCount, "a dictionary code beyond the levels")
                        let bits = read(r)?.bitPattern ?? missing
                        if valueBits[slot] != bits {
                            guard valueBits[slot] == unset, bits != missing else { return false }
                            valueBits[slot] = bits
                        }
                        counts[2 * slot + (positive[k] ? 1 : 0)] += 1
                    }
                    return true
                }
            }
        }
        guard consistent else { return nil }
        let missingNeg = counts[0], missingPos = counts[1]
        let pos = (0..<levelCount).map { counts[2 * $0 + 3] }, neg = (0..<levelCount).map { counts[2 * $0 + 2] }
        let valueOfCode = (0..<levelCount).map { Double(bitPattern: valueBits[$0 + 1]) }
        let present = rows.count - missingPos - missingNeg
        guard present > 0 else { return .noValues }
        let entries = (0..<levelCount).filter { pos[$0] + neg[$0] > 0 }
            .map { (score: valueOfCode[$0], positive: pos[$0], negative: neg[$0]) }
            .sorted { $0.score < $1.score }
        // The median from the counts: the value at a position of the sorted
        // present values is that of the entry whose cumulative count passes
        // the position.
        func valueAt(_ position: Int) -> Double {
            var seen = 0
            for e in entries {
                seen += e.positive + e.negative
                if position < seen { return e.score }
            }
            preconditionFailure("position beyond the present values")
        }
        let med = median(count: present, at: valueAt)
        if med.isNaN { return .notCountable }
        let filled = GroupedAUC.fromEntries(entries)
        let all = missingPos + missingNeg == 0 ? filled : GroupedAUC.fromEntries(entries + [(med, missingPos, missingNeg)])
        return .groups(all: all, filled: filled, kept: present)
    }

    /// `NumericEncoder.median` of `count` sorted values read by position.
    /// (Values equal as doubles may differ in the sign of zero, which does
    /// not change how the median compares with any score.)
    private static func median(count: Int, at value: (Int) -> Double) -> Double {
        let m = count / 2
        return count % 2 == 1 ? value(m) : (value(m - 1) + value(m)) / 2
    }

    /// Values without codes: the present values of won and of lost rows are
    /// sorted separately (radix sort on order-preserving keys), then merged
    /// into groups of equal value.
    private static func countNumericBySorting(read: NumberReader, rows: [Int], positive: [Bool]) -> Counted {
        var posKeys: [UInt64] = [], negKeys: [UInt64] = []
        var missingPos = 0, missingNeg = 0
        for (k, r) in rows.enumerated() {
            if let v = read(r) {
                if positive[k] { posKeys.append(ScoreSort.key(v)) } else { negKeys.append(ScoreSort.key(v)) }
            } else if positive[k] {
                missingPos += 1
            } else {
                missingNeg += 1
            }
        }
        let present = posKeys.count + negKeys.count
        guard present > 0 else { return .noValues }
        ScoreSort.sort(&posKeys)
        ScoreSort.sort(&negKeys)
        // Merge into distinct keys (equal keys ⇔ equal values), ascending.
        var groupKeys: [UInt64] = [], groupEnd: [Int] = []
        var filled = GroupedAUC()
        var i = 0, j = 0
        while i < posKeys.count || j < negKeys.count {
            let key = j == negKeys.count || (i < posKeys.count && posKeys[i] < negKeys[j]) ? posKeys[i] : negKeys[j]
            let i0 = i, j0 = j
            while i < posKeys.count && posKeys[i] == key { i += 1 }
            while j < negKeys.count && negKeys[j] == key { j += 1 }
            groupKeys.append(key)
            groupEnd.append(i + j)
            filled.positive.append(Double(i - i0))
            filled.negative.append(Double(j - j0))
        }
        // Position p of the sorted values lies in the first group ending after p.
        func valueAt(_ position: Int) -> Double {
            var lo = 0, hi = groupEnd.count - 1
            while lo < hi {
                let mid = (lo + hi) / 2
                if groupEnd[mid] > position { hi = mid } else { lo = mid + 1 }
            }
            return ScoreSort.value(ofKey: groupKeys[lo])
        }
        let med = median(count: present, at: valueAt)
        if med.isNaN { return .notCountable }
        var all = filled
        if missingPos + missingNeg > 0 {
            // The missing rows join the group of the median's value, or form
            // their own group where that value falls between groups.
            let mk = ScoreSort.key(med)
            var lo = 0, hi = groupKeys.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if groupKeys[mid] < mk { lo = mid + 1 } else { hi = mid }
            }
            if lo < groupKeys.count && groupKeys[lo] == mk {
                all.positive[lo] += Double(missingPos)
                all.negative[lo] += Double(missingNeg)
            } else {
                all.positive.insert(Double(missingPos), at: lo)
                all.negative.insert(Double(missingNeg), at: lo)
            }
        }
        return .groups(all: all, filled: filled, kept: present)
    }

    /// Levels that (almost) decide the outcome on their own.
    ///
    /// Counted per dictionary code (or boolean value) and only then named:
    /// the same counts per level text as counting the text of every row.
    static func pureLevels(table: RawTable, schema: InferredSchema, rows: [Int], labels: [Double]) -> [String] {
        var found: [String] = []
        let positive = rows.map { labels[$0] > 0.5 }
        for (index, kind) in schema.features where kind == .categorical || kind == .boolean {
            let col = table.columns[index]
            var won: [String: Int] = [:], all: [String: Int] = [:]
            if kind == .boolean {
                var w = [0, 0], a = [0, 0]
                if let codes = col.codes {
                    // Per code, then per value of its spelling.
                    let counts = codeCounts(codes, levelCount: col.levels.count, rows: rows, positive: positive)
                    for (c, level) in col.levels.enumerated() {
                        guard let b = ValueParser.boolean(level) else { continue }
                        a[b ? 1 : 0] += counts[2 * c + 2] + counts[2 * c + 3]
                        w[b ? 1 : 0] += counts[2 * c + 3]
                    }
                } else if let numbers = col.numbers {
                    for r in rows where !numbers[r].isNaN {
                        let b = numbers[r] == 1
                        a[b ? 1 : 0] += 1
                        if labels[r] > 0.5 { w[b ? 1 : 0] += 1 }
                    }
                }
                for v in 0..<2 where a[v] > 0 {
                    all[v == 1 ? "Yes" : "No"] = a[v]
                    won[v == 1 ? "Yes" : "No"] = w[v]
                }
            } else {
                // Slot 0 for missing, c + 1 for code c (see `codeCounts`).
                let counts =
                    col.codes.map { codeCounts($0, levelCount: col.levels.count, rows: rows, positive: positive) }
                    ?? [positive.count { !$0 }, positive.count { $0 }]
                // A level spelled like the missing level shares its count.
                for slot in 0..<counts.count / 2 where counts[2 * slot] + counts[2 * slot + 1] > 0 {
                    let level = slot == 0 ? CategoricalEncoder.missingLevel : col.levels[slot - 1]
                    all[level, default: 0] += counts[2 * slot] + counts[2 * slot + 1]
                    won[level, default: 0] += counts[2 * slot + 1]
                }
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
                "Possible leakage: \"\(c.column)\" alone separates won from lost with AUC \(ModelNumber.fixed(c.auc, 3)). If it is filled in after the outcome is known (by sales, after contact), exclude it with \(OptionKey.exclude.mention) \"\(c.column)\".")
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
        return "Possible leakage: the model separates won from lost almost perfectly (training AUC \(ModelNumber.fixed(trainingAUC, 3))). Real lead scores rarely do; this usually means columns filled in after the outcome. The columns that separate best on their own, where filled in: \(top). If they are set after contact, exclude them with \(OptionKey.exclude.mention)."
    }
}

extension LeakageCheck.ColumnSeparation {
    /// From a column's AUC over all rows (`all`) and where filled in; nil
    /// when the AUC over all rows is undefined. Both are folded to ≥ ½; an
    /// undefined AUC where filled in (one class only there) counts as ½.
    init?(column: String, all a: Double, filled f: Double, kept: Int, rows: Int) {
        guard a.isFinite else { return nil }
        let f = f.isFinite ? f : 0.5
        self.init(column: column, auc: max(a, 1 - a), filledAUC: max(f, 1 - f), filledShare: Double(kept) / Double(max(rows, 1)))
    }
}
