import XCTest

@testable import LeadScore

/// The radix sort and the grouped AUC must reproduce the comparison sort
/// and the midrank AUC exactly (same order, same bits), ties included.
final class ScoreSortTests: XCTestCase {
    /// Scores with many ties, both signs, ±0, ±∞, and magnitudes from
    /// subnormal to huge.
    static func awkwardScores(_ n: Int, rng: inout SeededGenerator) -> [Double] {
        let special: [Double] = [
            0, -0.0, 1, -1, .infinity, -.infinity, .leastNonzeroMagnitude, -.leastNonzeroMagnitude, .greatestFiniteMagnitude,
            -.greatestFiniteMagnitude, 1e-300, -1e300, 0.5, 0.5.nextUp, 0.5.nextDown,
        ]
        return (0..<n).map { _ in
            switch rng.index(below: 4) {
            case 0: return special[rng.index(below: special.count)]
            case 1: return Double(rng.index(below: 7)) / 4 - 0.75  // heavy ties
            case 2: return (rng.uniform() - 0.5) * pow(10, Double(rng.index(below: 40)) - 20)
            default: return rng.uniform()
            }
        }
    }

    func testKeysPreserveOrderAndEquality() {
        var rng = SeededGenerator(seed: 11)
        let v = Self.awkwardScores(400, rng: &rng)
        for a in v {
            XCTAssertEqual(ScoreSort.value(ofKey: ScoreSort.key(a)), a == 0 ? 0 : a)
            XCTAssertEqual(ScoreSort.value(ofKey: ScoreSort.key(a)).bitPattern, (a == 0 ? 0.0 : a).bitPattern)
            for b in v.prefix(60) {
                XCTAssertEqual(a < b, ScoreSort.key(a) < ScoreSort.key(b), "\(a) \(b)")
                XCTAssertEqual(a == b, ScoreSort.key(a) == ScoreSort.key(b), "\(a) \(b)")
            }
        }
    }

    func testDescendingOrderEqualsComparisonSort() throws {
        var rng = SeededGenerator(seed: 3)
        for n in [0, 1, 2, 3, 17, 1000, 5000] {
            let s = Self.awkwardScores(n, rng: &rng)
            let radix = try XCTUnwrap(RankedScores(scores: s, labels: s.map { _ in 0 })).order
            XCTAssertEqual(radix, RankingReference.descendingOrder(s), "n = \(n)")
        }
        // Probabilities (one varying digit fewer), and all equal (every
        // digit skipped): ties must stay in index order.
        let p = (0..<3000).map { _ in 1 / (1 + exp(-8 * (rng.uniform() - 0.5))) }
        func order(_ s: [Double]) -> [Int]? { RankedScores(scores: s, labels: s.map { _ in 0 })?.order }
        XCTAssertEqual(order(p), RankingReference.descendingOrder(p))
        XCTAssertEqual(order([Double](repeating: 0.25, count: 50)), Array(0..<50))
        XCTAssertEqual(order([0.0, -0.0, 0.0, -0.0]), [0, 1, 2, 3])
        XCTAssertEqual(order([1, 3, 2, 3]), [1, 3, 2, 0])
    }

    func testNaNHasNoRank() {
        XCTAssertNil(RankedScores(scores: [0.1, .nan, 0.3], labels: [1, 0, 1]))
    }

    func testSortKeys() {
        var rng = SeededGenerator(seed: 8)
        var keys = (0..<5000).map { _ in rng.next() >> UInt64(rng.index(below: 64)) }
        let expected = keys.sorted()
        ScoreSort.sort(&keys)
        XCTAssertEqual(keys, expected)
    }

    func testRankingCarriesLabelsAndValues() throws {
        var rng = SeededGenerator(seed: 5)
        let s = Self.awkwardScores(2000, rng: &rng).map { $0 == 0 ? 0.0 : $0 }
        let y = s.map { _ in Double(rng.index(below: 2)) }
        let d = try XCTUnwrap(RankedScores(scores: s, labels: y))
        let order = RankingReference.descendingOrder(s)
        XCTAssertEqual(d.order, order)
        XCTAssertFalse(d.hasNegativeZero)
        for (k, r) in order.enumerated() {
            XCTAssertEqual(d.isPositive(at: k), y[r] > 0.5)
            XCTAssertEqual(ScoreSort.value(ofKey: ~d.keys[k]).bitPattern, s[r].bitPattern)
        }
        XCTAssertTrue(try XCTUnwrap(RankedScores(scores: [1, -0.0], labels: [1, 0])).hasNegativeZero)
        // Tie groups, from the top and from the bottom.
        var down: [ClosedRange<Int>] = [], up: [ClosedRange<Int>] = []
        let tied = try XCTUnwrap(RankedScores(scores: [2, 1, 2, 3, 1, 1], labels: [0, 0, 0, 0, 0, 0]))
        tied.forEachGroupDescending { down.append($0); return true }
        tied.forEachGroupAscending { up.append($0) }
        XCTAssertEqual(down, [0...0, 1...2, 3...5])
        XCTAssertEqual(up, down.reversed())
    }

    /// AUC from counts per distinct score = AUC of the sorted rows, bit for
    /// bit, with ties inside groups and between them.
    func testGroupedAUCEqualsSortedAUC() {
        var rng = SeededGenerator(seed: 17)
        for trial in 0..<40 {
            let n = 50 + rng.index(below: 3000)
            let distinct = 1 + rng.index(below: trial < 20 ? 6 : 400)
            let values = (0..<distinct).map { _ in (rng.uniform() * 8).rounded() / 8 - 0.5 }  // equal values recur
            let score = (0..<n).map { _ in values[rng.index(below: distinct)] }
            let y = score.map { rng.uniform() < 0.3 + 0.5 * ($0 + 0.5) ? 1.0 : 0.0 }
            var counts: [Double: (Int, Int)] = [:]
            for (v, l) in zip(score, y) {
                var c = counts[v, default: (0, 0)]
                if l > 0.5 { c.0 += 1 } else { c.1 += 1 }
                counts[v] = c
            }
            // Entries split so that equal scores arrive as several entries.
            var entries: [(score: Double, positive: Int, negative: Int)] = []
            for (v, c) in counts {
                let half = c.0 / 2
                entries.append((v, half, c.1))
                entries.append((v, c.0 - half, 0))
            }
            let grouped = GroupedAUC.fromEntries(entries).value
            let sorted = RankedScores(scores: score, labels: y)!.auc()
            if sorted.isNaN {
                XCTAssertTrue(grouped.isNaN)
            } else {
                XCTAssertEqual(grouped.bitPattern, sorted.bitPattern, "trial \(trial)")
                XCTAssertEqual(grouped.bitPattern, RankingReference.auc(labels: y, scores: score).bitPattern, "trial \(trial)")
            }
        }
    }

    func testGroupedAUCByHand() {
        // A: 3 won, 1 lost (rate ¾); B: 1 won, 3 lost (rate ¼).
        // Won-above-lost pairs 3·3, ties ½(3·1 + 1·3): (9 + 3) / 16.
        let g = GroupedAUC.fromEntries([(0.75, 3, 1), (0.25, 1, 3)])
        XCTAssertEqual(g.value, 0.75)
        XCTAssertTrue(GroupedAUC.fromEntries([(0.5, 3, 0)]).value.isNaN)
    }
}
