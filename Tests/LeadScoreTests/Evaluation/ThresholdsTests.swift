import XCTest

@testable import LeadScore

/// The grammar of tiers and rates, and the choice of each cut on a ladder
/// small enough to work out by hand.
final class ThresholdsTests: XCTestCase {
    func testTierGrammar() throws {
        let t = try ThresholdTier(parsing: " Sales-ready (SQL) : capacity=200/week, precision=30% ")
        XCTAssertEqual(t.name, "Sales-ready")
        XCTAssertEqual(t.action, "SQL")
        XCTAssertEqual(t.targets, [.capacity(LeadRate(leads: 200, period: .week)), .precision(0.3)])
        XCTAssertEqual(try ThresholdTier(parsing: "MQL: recall=0.8, share=10%").targets, [.recall(0.8), .share(0.1)])
        XCTAssertEqual(try ThresholdTier(parsing: "Nurture"), ThresholdTier(name: "Nurture", targets: []))
        XCTAssertEqual(try LeadRate(parsing: "40/day", what: "x").perDay, 40)
        XCTAssertEqual(try LeadRate(parsing: "190", what: "x").perDay, 190.0 / 7)
        XCTAssertEqual(try LeadRate(parsing: "800/Month", what: "x").perDay, 800 / 30.4375)
        for bad in ["A: recall=0", "A: recall=1.5", "A: share=x", "A: capacity=-3/week", "A: capacity=3/year", "A:", "(SQL): share=0.1", "A (): share=0.1", "A: share"] {
            XCTAssertThrowsError(try ThresholdTier(parsing: bad), bad)
        }
        XCTAssertThrowsError(try ThresholdTier.check([ThresholdTier(name: "A", targets: [.share(0.1)]), ThresholdTier(name: "A", targets: [])]))
    }

    /// Ten leads, scores 10 (best) to 1 with a tie at 7, won where marked:
    ///
    ///     score  10  9  8  7  7  6  5  4  3  2
    ///     won     1  1  0  1  0  1  0  0  0  0
    ///
    /// Tie groups: {10}, {9}, {8}, {7, 7}, {6}, … with running leads
    /// 1, 2, 3, 5, 6, … and running conversions 1, 2, 2, 3, 4, 4, …
    func testCutsOnAHandWorkedLadder() throws {
        let scores: [Double] = [10, 9, 8, 7, 7, 6, 5, 4, 3, 2], won: [Double] = [1, 1, 0, 1, 0, 1, 0, 0, 0, 0]
        let ladder = Ladder(scores: scores.reversed(), conversions: won.reversed())
        XCTAssertEqual(ladder.values, [10, 9, 8, 7, 6, 5, 4, 3, 2])
        XCTAssertEqual(ladder.leads, [1, 2, 3, 5, 6, 7, 8, 9, 10])
        XCTAssertEqual(ladder.conversions, [1, 2, 2, 3, 4, 4, 4, 4, 4])
        func cut(_ targets: [ThresholdTarget], below: Int = -1, arrival: Double? = nil) throws -> Double {
            let choice = try ladder.choose(
                ThresholdTier(name: "T", targets: targets), below: below, arrivalPerDay: arrival, labelled: true, isRules: false, file: "f", next: "U")
            return ladder.values[choice.group]
        }
        // Share 40%: at most 4 leads; the tie at 7 would make 5, so 8.
        XCTAssertEqual(try cut([.share(0.4)]), 8)
        // Capacity 2 a day with 5 arriving a day: 2/5 of 10 leads = 4, as above.
        XCTAssertEqual(try cut([.capacity(LeadRate(leads: 2, period: .day))], arrival: 5), 8)
        // Recall 75%: 3 of 4 conversions first reached with the tie at 7.
        XCTAssertEqual(try cut([.recall(0.75)]), 7)
        // Precision 2/3: the largest top set converting at least 2/3 is 6
        // leads with 4 conversions (score 6); 7 leads would be 4/7.
        XCTAssertEqual(try cut([.precision(2.0 / 3)]), 6)
        // Upper bounds win over recall, with a note.
        let both = try ladder.choose(
            ThresholdTier(name: "T", targets: [.share(0.2), .recall(0.75)]), below: -1, arrivalPerDay: nil, labelled: true, isRules: false, file: "f", next: "U")
        XCTAssertEqual(ladder.values[both.group], 9)
        XCTAssertEqual(both.notes.count, 1)
        XCTAssertEqual(both.checks.map(\.chosen), [0.2, 0.5])
        // A second tier below the first (group 2, score 8): share 30% is 3
        // more leads at most: {7, 7} and {6} make 3, so 6.
        XCTAssertEqual(try cut([.share(0.3)], below: 2), 6)
        // Precision is the tier's own: below score 8, {7,7} converts 1/2 and
        // {7,7,6} 2/3.
        XCTAssertEqual(try cut([.precision(0.6)], below: 2), 6)
    }

    func testTiersFilesRoundTrip() throws {
        for scheme in [
            TierScheme(labels: ["Hot", "Warm", "Cold"], valueCuts: [0.30000000000000004, 1e-7], actions: ["SQL", nil, "Nurture \"later\""]),
            TierScheme(labels: ["A", "B"], valueCuts: [-12.5], measure: .points),
            TierScheme.standard,
        ] {
            XCTAssertEqual(try TierScheme.decode(json: try scheme.jsonData()), scheme)
        }
    }
}
