import XCTest

@testable import LeadScore

/// Ranking by its definitions, with comparison sorts: the references for
/// `RankedScores` (the radix-sorted ranking every metric uses).
enum RankingReference {
    /// Row indices by score, highest first, ties by ascending index.
    static func descendingOrder(_ scores: [Double]) -> [Int] {
        scores.indices.sorted { scores[$0] != scores[$1] ? scores[$0] > scores[$1] : $0 < $1 }
    }

    /// AUC by midranks (Mann–Whitney U from the rank sum of the won rows).
    static func auc(labels y: [Double], scores s: [Double]) -> Double {
        let n = y.count
        let order = (0..<n).sorted { s[$0] < s[$1] }
        var rankSumPositive = 0.0
        var positives = 0.0
        var i = 0
        while i < n {
            var j = i
            while j + 1 < n && s[order[j + 1]] == s[order[i]] { j += 1 }
            let midrank = Double(i + j) / 2 + 1
            for k in i...j where y[order[k]] > 0.5 {
                rankSumPositive += midrank
                positives += 1
            }
            i = j + 1
        }
        let negatives = Double(n) - positives
        guard positives > 0, negatives > 0 else { return .nan }
        return (rankSumPositive - positives * (positives + 1) / 2) / (positives * negatives)
    }

    /// The decile table with ties shared pro rata, by expected membership:
    /// each row of a tie group of m rows belongs to decile d with weight
    /// (the group's positions inside d) / m.
    static func deciles(labels y: [Double], probabilities p: [Double], groups: Int = 10) -> [BinaryMetrics.DecileRow] {
        let n = y.count
        guard n > 0 else { return [] }
        let order = descendingOrder(p)
        let parts = min(groups, n)
        var decileOf = [Int](repeating: 0, count: n)
        var sizes = [Int](repeating: 0, count: parts)
        var position = 0
        for g in 0..<parts {
            sizes[g] = n / groups + (g < n % groups ? 1 : 0)
            for _ in 0..<sizes[g] { decileOf[position] = g; position += 1 }
        }
        var membership = [[Double]](repeating: [Double](repeating: 0, count: parts), count: n)
        var start = 0
        while start < n {
            var end = start
            while end + 1 < n && p[order[end + 1]] == p[order[start]] { end += 1 }
            let m = Double(end - start + 1)
            for position in start...end {
                for member in start...end { membership[order[member]][decileOf[position]] += 1 / m }
            }
            start = end + 1
        }
        let totalPositives = y.reduce(0) { $0 + ($1 > 0.5 ? 1 : 0) }
        let overall = Double(totalPositives) / Double(n)
        var rows: [BinaryMetrics.DecileRow] = []
        var cumulative = 0.0, cumulativeCount = 0
        position = 0
        for g in 0..<parts {
            var won = 0.0, sum = 0.0
            for r in 0..<n {
                won += membership[r][g] * (y[r] > 0.5 ? 1 : 0)
                sum += membership[r][g] * p[r]
            }
            let members = order[position..<position + sizes[g]].map { p[$0] }
            position += sizes[g]
            cumulative += won
            cumulativeCount += sizes[g]
            let rate = won / Double(sizes[g])
            rows.append(
                BinaryMetrics.DecileRow(
                    decile: g + 1, count: sizes[g], positives: Int(won.rounded()), minPredicted: members.min()!, maxPredicted: members.max()!,
                    meanPredicted: sum / Double(sizes[g]), observedRate: rate, lift: rate / overall,
                    cumulativeGain: cumulative / Double(totalPositives), cumulativeLift: cumulative / Double(cumulativeCount) / overall))
        }
        return rows
    }

    /// The single-column AUCs of the leakage check, each column's rows
    /// ranked by score: the reference for `LeakageCheck.columnAUCs`.
    static func columnAUCs(table: RawTable, schema: InferredSchema, rows: [Int], labels: [Double]) -> [LeakageCheck.ColumnSeparation] {
        let y = rows.map { labels[$0] }
        return LeakageCheck.ordered(
            schema.features.compactMap { LeakageCheck.sortedSeparation(table.columns[$0.index], kind: $0.kind, rows: rows, y: y) })
    }
}

/// `a` and `b` agree within `tolerance` in every field (row counts exactly,
/// the rounded conversions within 1).
func assertDecilesClose(
    _ a: [BinaryMetrics.DecileRow], _ b: [BinaryMetrics.DecileRow], tolerance: Double, _ message: String = "",
    file: StaticString = #filePath, line: UInt = #line
) {
    XCTAssertEqual(a.count, b.count, message, file: file, line: line)
    for (x, y) in zip(a, b) {
        XCTAssertEqual([x.decile, x.count], [y.decile, y.count], message, file: file, line: line)
        // A pro-rata count of exactly k + ½ may round either way after other additions.
        XCTAssertLessThanOrEqual(abs(x.positives - y.positives), 1, message, file: file, line: line)
        let pairs = [
            (x.minPredicted, y.minPredicted), (x.maxPredicted, y.maxPredicted), (x.meanPredicted, y.meanPredicted),
            (x.observedRate, y.observedRate), (x.lift, y.lift), (x.cumulativeGain, y.cumulativeGain), (x.cumulativeLift, y.cumulativeLift),
        ]
        for (u, v) in pairs {
            XCTAssertTrue(u == v || (u.isNaN && v.isNaN) || abs(u - v) <= tolerance * max(1, abs(v)), "\(message): \(u) vs \(v)", file: file, line: line)
        }
    }
}
