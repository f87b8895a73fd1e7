import Foundation

extension TrainingProfile {
    /// The profile of the training rows `rows` of `table` for the model's
    /// `encoder` (its columns, in order), and of the model's log-odds
    /// `logOdds` on them (one per row of `rows`), as probabilities.
    ///
    /// Values are read as the encoders read them (`TableValues`): numbers
    /// as they are, dates as days before `asOfDays`, booleans and
    /// categories by their dictionary level; a category's level counts in
    /// its own bin when the model kept it, else in "(other)". The columns
    /// are profiled on the cores in parallel; each column's profile is the
    /// same whatever the threads.
    static func of(table: RawTable, rows: [Int], encoder: FeatureEncoder, asOfDays: Int?, logOdds: [Double]) -> TrainingProfile {
        let columns = encoder.columns
        var profiles = [ColumnProfile?](repeating: nil, count: columns.count + 1)
        profiles.withUnsafeMutableBufferPointer { out in
            let target = UncheckedSendable(out.baseAddress!)
            DispatchQueue.concurrentPerform(iterations: columns.count + 1) { k in
                if k == columns.count {
                    var probabilities = logOdds.map(sigmoid)
                    target.value[k] = ColumnProfile.numbers(column: ColumnProfile.scoreName, kind: .numeric, present: &probabilities, missing: 0)
                } else if let column = table.columns.first(where: { $0.name == columns[k].column }) {
                    target.value[k] = ColumnProfile.training(columns[k], column: column, rows: rows, asOfDays: asOfDays)
                }
            }
        }
        return TrainingProfile(rows: rows.count, columns: profiles.dropLast().compactMap { $0 }, score: profiles.last!!)
    }
}

extension ColumnProfile {
    /// The profile of one encoder's column on the training rows.
    static func training(_ encoder: ColumnEncoder, column col: RawTable.Column, rows: [Int], asOfDays: Int?) -> ColumnProfile {
        switch encoder {
        case .numeric, .date:
            var present: [Double] = []
            present.reserveCapacity(rows.count)
            for r in rows {
                if let v = TableValues.number(col, kind: encoder.kind, row: r, asOfDays: asOfDays) { present.append(v) }
            }
            let missing = rows.count - present.count
            return numbers(column: col.name, kind: encoder.kind, present: &present, missing: missing)
        case .boolean:
            let read = TableValues.BooleanReader(col)
            var counts = [0, 0, 0]
            for r in rows { counts[read[r].map { $0 ? 1 : 0 } ?? 2] += 1 }
            return ColumnProfile(
                column: col.name, kind: .boolean, levels: [falseLevel, trueLevel, CategoricalEncoder.missingLevel], shares: shares(counts))
        case .categorical(let e):
            let levels = levels(of: e)
            let kept = Dictionary(uniqueKeysWithValues: levels.dropLast(2).enumerated().map { ($1, $0) })
            let other = levels.count - 2, missing = levels.count - 1
            // The bin of each dictionary code, then one count per row.
            let byCode = col.levels.map { kept[$0] ?? other }
            var counts = [Int](repeating: 0, count: levels.count)
            if let codes = col.codes {
                for r in rows {
                    let c = codes[r]
                    counts[c == RawTable.missingCode ? missing : byCode[Int(c)]] += 1
                }
            } else {
                counts[missing] = rows.count
            }
            return ColumnProfile(column: col.name, kind: .categorical, levels: levels, shares: shares(counts))
        }
    }
}
