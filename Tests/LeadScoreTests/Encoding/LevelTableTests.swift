import XCTest

@testable import LeadScore

/// The byte-keyed level lookup must give, for every value, what the
/// `String` functions give: `CategoricalEncoder.activeIndex`,
/// `RowEncoder.isUnseen`, and pooled membership for `[rare]`.
final class LevelTableTests: XCTestCase {
    /// The String answer for a present value.
    func stringAnswer(_ e: CategoricalEncoder, _ value: String) -> LevelTable.Match {
        let lookup = e.makeLookup()
        let unseen = lookup[value] == nil && value != e.reference && !e.pooled.contains(value)
        return LevelTable.Match(
            active: Int32(e.activeIndex(value, lookup: lookup) ?? -1), unseen: unseen, rare: unseen || e.pooled.contains(value))
    }

    func bytes<R>(_ s: String, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        var s = s
        return s.withUTF8(body)
    }

    /// The table's answer, or the String one where the table declines.
    func answer(_ table: LevelTable, _ e: CategoricalEncoder, column k: Int, _ value: String) -> LevelTable.Match {
        bytes(value) { table.match(column: k, $0) } ?? stringAnswer(e, value)
    }

    let withOther = CategoricalEncoder(
        column: "Source", reference: "Web", levels: ["Event", "(missing)", "(other)", "Zürich"], pooled: ["Ads", "Fax", "Ünique"],
        counts: [20, 10, 5, 12, 50])
    let withoutOther = CategoricalEncoder(
        column: "Plan", reference: "(missing)", levels: ["Pro", "Team", "K"], pooled: ["Old"], counts: [30, 20, 15, 40])

    static let values: [String] = [
        "Web", "Event", "(missing)", "(other)", "Zürich", "Zu\u{308}rich", "Ads", "Fax", "Ünique", "U\u{308}nique", "Pro", "Team",
        "K", "\u{212A}", "Old", "web", "WEB", "Webb", "", " Web", "West", "Ev", "Eventt", "é", "e\u{301}", "(Other)", "Zurich",
        "A long value that is longer than sixteen bytes", "Ads ", "日本", "Fax\u{0}",
    ]

    func testMatchesTheStringFunctionsOnAwkwardValues() {
        let columns: [ColumnEncoder] = [
            .numeric(NumericEncoder(column: "n", median: 0, log1p: false, mean: 0, standardDeviation: 1, missingIndicator: false)),
            .categorical(withOther), .categorical(withoutOther),
        ]
        let table = LevelTable(columns: columns)
        for (k, e) in [(1, withOther), (2, withoutOther)] {
            for v in Self.values {
                XCTAssertEqual(answer(table, e, column: k, v), stringAnswer(e, v), "column \(k), \"\(v)\"")
            }
            // A missing value is the "(missing)" level, or the reference, or "(other)".
            let lookup = e.makeLookup()
            XCTAssertEqual(table.missing(column: k).active, Int32(e.activeIndex(nil, lookup: lookup) ?? -1))
        }
    }

    func testKnownAnswers() {
        let ascii = CategoricalEncoder(
            column: "Source", reference: "Web", levels: ["Event", "(missing)", "(other)"], pooled: ["Ads", "Fax"], counts: [20, 10, 5, 50])
        let table = LevelTable(columns: [.categorical(withOther), .categorical(withoutOther), .categorical(ascii)])
        // Levels map to their feature; pooled levels to "(other)" and are rare but not unseen.
        XCTAssertEqual(bytes("Event") { table.match(column: 0, $0) }, LevelTable.Match(active: 0, unseen: false, rare: false))
        XCTAssertEqual(bytes("Fax") { table.match(column: 0, $0) }, LevelTable.Match(active: 2, unseen: false, rare: true))
        XCTAssertEqual(bytes("Web") { table.match(column: 0, $0) }, LevelTable.Match(active: -1, unseen: false, rare: false))
        XCTAssertEqual(bytes("Zürich") { table.match(column: 0, $0) }, LevelTable.Match(active: 3, unseen: false, rare: false))
        // Unseen values go to "(other)"; in a column with non-ASCII levels the
        // table does not decide them.
        XCTAssertEqual(bytes("West") { table.match(column: 2, $0) }, LevelTable.Match(active: 2, unseen: true, rare: true))
        XCTAssertNil(bytes("West") { table.match(column: 0, $0) })
        XCTAssertEqual(table.missing(column: 2).active, 1)
        // Without "(other)": unseen and pooled values get the reference's (no) feature;
        // a pooled level was seen in training, so it is rare but not unseen.
        XCTAssertEqual(bytes("Old") { table.match(column: 1, $0) }, LevelTable.Match(active: -1, unseen: false, rare: true))
        XCTAssertEqual(bytes("Older") { table.match(column: 1, $0) }, LevelTable.Match(active: -1, unseen: true, rare: true))
        XCTAssertEqual(bytes("(missing)") { table.match(column: 1, $0) }, LevelTable.Match(active: -1, unseen: false, rare: false))
        // Non-ASCII text not found in the table is left to the String functions:
        // the Kelvin sign equals "K" as a string.
        XCTAssertNil(bytes("\u{212A}") { table.match(column: 1, $0) })
        XCTAssertNil(bytes("Zu\u{308}rich") { table.match(column: 0, $0) })
        XCTAssertEqual(stringAnswer(withoutOther, "\u{212A}").active, 2)
        XCTAssertEqual(stringAnswer(withOther, "Zu\u{308}rich").active, 3)
    }

    /// Two levels equal as strings but spelt with different bytes: the
    /// table must not answer from the bytes at all.
    func testCanonicallyEqualLevelsAreLeftToStrings() {
        let e = CategoricalEncoder(column: "C", reference: "A", levels: ["é", "B"], pooled: ["e\u{301}"], counts: [5, 5, 9])
        let table = LevelTable(columns: [.categorical(e)])
        XCTAssertNil(bytes("é") { table.match(column: 0, $0) })
        XCTAssertNil(bytes("B") { table.match(column: 0, $0) })
        for v in ["é", "e\u{301}", "B", "A", "Z"] { XCTAssertEqual(answer(table, e, column: 0, v), stringAnswer(e, v), v) }
    }

    /// Many levels (collisions in the open-addressing table) and random values.
    func testManyLevelsAndRandomValues() {
        var g = SeededGenerator(seed: 11)
        let alphabet = Array("abcXYZ01 -_(),")
        func word() -> String { String((0..<Int.random(in: 0...6, using: &g)).map { _ in alphabet.randomElement(using: &g)! }) }
        var levels = Set<String>()
        while levels.count < 300 { levels.insert(word()) }
        let all = levels.sorted()
        let e = CategoricalEncoder(
            column: "Many", reference: all[0], levels: Array(all[1..<200]) + ["(other)"], pooled: Array(all[200...]),
            counts: [Int](repeating: 1, count: 201))
        let table = LevelTable(columns: [.categorical(e)])
        for v in all + (0..<5000).map({ _ in word() }) {
            XCTAssertEqual(answer(table, e, column: 0, v), stringAnswer(e, v), "\"\(v)\"")
        }
        XCTAssertEqual(bytes(all[5]) { table.match(column: 0, $0) }?.active, 4)
    }
}
