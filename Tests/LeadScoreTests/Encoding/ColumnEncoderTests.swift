import XCTest

@testable import LeadScore

final class ColumnEncoderTests: XCTestCase {
    /// Median imputation, then population-SD standardisation; values
    /// computed by hand: present [1, 2, 4, 10], one missing → median 3,
    /// imputed column [1, 2, 4, 10, 3], mean 4, squared deviations
    /// 9 + 4 + 0 + 36 + 1 = 50, SD √(50/5) = √10.
    func testNumericImputeThenStandardise() throws {
        let e = try XCTUnwrap(NumericEncoder.fit(column: "Visits", present: [1, 2, 4, 10], missing: 1, log1p: false))
        XCTAssertEqual(e.median, 3)
        XCTAssertEqual(e.mean, 4, accuracy: 1e-15)
        XCTAssertEqual(e.standardDeviation, 10.0.squareRoot(), accuracy: 1e-15)
        XCTAssertTrue(e.missingIndicator)
        var out = [0.0, 0.0]
        e.encode(nil, into: &out)
        XCTAssertEqual(out[0], (3 - 4) / 10.0.squareRoot(), accuracy: 1e-15)
        XCTAssertEqual(out[1], 1)
        e.encode(10, into: &out)
        XCTAssertEqual(out[1], 0)
        XCTAssertEqual(e.featureNames, ["Visits", "Visits (missing)"])
    }

    func testLog1pIsSignedAndConstantColumnsAreDropped() throws {
        let e = try XCTUnwrap(NumericEncoder.fit(column: "Clicks", present: [0, 1, 3], missing: 0, log1p: true))
        XCTAssertEqual(e.transform(3), log1p(3))
        XCTAssertEqual(e.transform(-3), -log1p(3))
        XCTAssertFalse(e.missingIndicator)
        XCTAssertNil(NumericEncoder.fit(column: "Same", present: [5, 5, 5], missing: 0, log1p: false))
    }

    /// Levels below the minimum count are pooled into "(other)"; the most
    /// frequent level is the reference; unseen levels go to "(other)".
    func testCategoricalPoolingReferenceAndUnseenLevels() throws {
        let e = try XCTUnwrap(
            CategoricalEncoder.fit(column: "Source", counts: ["Web": 50, "Event": 20, "Ads": 3, "Fax": 2, "(missing)": 10], minCount: 10))
        XCTAssertEqual(e.reference, "Web")
        XCTAssertEqual(e.levels, ["Event", "(missing)", "(other)"])
        XCTAssertEqual(e.pooled, ["Ads", "Fax"])
        XCTAssertEqual(e.counts, [20, 10, 5, 50])
        let lookup = e.makeLookup()
        XCTAssertNil(e.activeIndex("Web", lookup: lookup))
        XCTAssertEqual(e.activeIndex("Event", lookup: lookup), 0)
        XCTAssertEqual(e.activeIndex(nil, lookup: lookup), 1)
        XCTAssertEqual(e.activeIndex("Ads", lookup: lookup), 2)
        XCTAssertEqual(e.activeIndex("Carrier pigeon", lookup: lookup), 2, "unseen → (other)")
        // Without rare levels, an unseen level is scored as the reference.
        let f = try XCTUnwrap(CategoricalEncoder.fit(column: "S", counts: ["a": 5, "b": 4], minCount: 1))
        XCTAssertNil(f.activeIndex("zzz", lookup: f.makeLookup()))
        XCTAssertNil(CategoricalEncoder.fit(column: "S", counts: ["a": 5], minCount: 2), "one level: constant")
        // A single frequent level plus rare ones: the rare ones form "(other)".
        XCTAssertEqual(CategoricalEncoder.fit(column: "S", counts: ["a": 5, "b": 1], minCount: 2)?.levels, ["(other)"])
    }

    func testMedianBySelectionEqualsMiddleOfSortedValues() {
        var g = SeededGenerator(seed: 99)
        for n in [1, 2, 3, 4, 5, 10, 11, 100, 1001, 4096] {
            for spread in [3, 1000] {
                // Few distinct values (many ties) and many.
                let values = (0..<n).map { _ in Double(Int.random(in: 0..<spread, using: &g)) - 0.5 * Double(spread) }
                let sorted = values.sorted()
                let expected = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2
                XCTAssertEqual(NumericEncoder.median(values), expected, "n = \(n), spread = \(spread)")
            }
        }
        XCTAssertEqual(NumericEncoder.median([5, 1, 4, 2]), 3)
        XCTAssertEqual(NumericEncoder.median([7, 7, 7]), 7)
    }

    func testValueParsing() {
        let p = ValueParser(missingMarkers: ValueParser.defaultMissingMarkers + ["Select"])
        XCTAssertNil(p.present("  "))
        XCTAssertNil(p.present("Select"))
        XCTAssertNil(p.present("N/A"))
        XCTAssertEqual(p.present(" Web "), "Web")
        XCTAssertEqual(ValueParser.number("2.5"), 2.5)
        XCTAssertNil(ValueParser.number("1,234"))
        XCTAssertNil(ValueParser.number("nan"))
        for (text, value) in [("Yes", true), ("no", false), ("TRUE", true), ("false", false), ("Y", true), ("n", false), ("1", true), ("0.0", false)] {
            XCTAssertEqual(ValueParser.boolean(text), value, text)
        }
        XCTAssertNil(ValueParser.boolean("maybe"))
        XCTAssertEqual(ValueParser.isoDate("1970-01-01"), 0)
        XCTAssertEqual(ValueParser.isoDate("2024-02-29"), 19782)
        XCTAssertEqual(ValueParser.isoDate("2024-02-29T13:45:00Z"), 19782)
        XCTAssertNil(ValueParser.isoDate("2023-02-29"))
        XCTAssertNil(ValueParser.isoDate("02/03/2024"))
        XCTAssertEqual(ValueParser.isoDateString(days: 19782), "2024-02-29")
    }
}
