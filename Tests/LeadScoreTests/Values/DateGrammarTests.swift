import XCTest

@testable import LeadScore

/// ISO dates with an optional time (`FieldParser.isoDate`), and the dates
/// in other formats that are recognised only to be explained
/// (`DateLookalike`).
final class DateGrammarTests: XCTestCase {
    func testTimesAfterTheDateMustBeValid() {
        let day = ValueParser.isoDate("2024-07-01")
        XCTAssertNotNil(day)
        for text in [
            "2024-07-01T10:15", "2024-07-01 10:15", "2024-07-01T00:00:00", "2024-07-01T23:59:59", "2024-07-01T10:15:30.123",
            "2024-07-01T10:15:30.5Z", "2024-07-01T10:15Z", "2024-07-01T10:15+02:00", "2024-07-01 10:15:00-05:30",
        ] {
            XCTAssertEqual(ValueParser.isoDate(text), day, "\"\(text)\"")
        }
        for text in [
            "2024-07-01T25:61", "2024-07-01T24:00", "2024-07-01T10:60", "2024-07-01T10:15:60", "2024-07-01T10", "2024-07-01T",
            "2024-07-01 ", "2024-07-01T1:15", "2024-07-01T10:15:30.", "2024-07-01T10:15.5", "2024-07-01T10:15+2", "2024-07-01T10:15+24:00",
            "2024-07-01T10:15+02:60", "2024-07-01T10:15Z+01:00", "2024-07-01T10:15 PM", "2024-07-01x", "2024-07-01T10:15:30Zjunk",
        ] {
            XCTAssertNil(ValueParser.isoDate(text), "\"\(text)\"")
        }
    }

    /// The zones CRMs and databases write after a time, as exported
    /// (Salesforce, PostgreSQL, "UTC" reports), are read; the day is the
    /// date as written.
    func testZonesAfterTheTimeAreRead() {
        let day = ValueParser.isoDate("2024-07-01")
        for text in [
            "2024-07-01T10:15:30.000+0000", "2024-07-01 10:15:30.123456+00", "2024-07-01 10:15:30 UTC", "2024-07-01T10:15:30UTC",
            "2024-07-01 10:15:30 GMT", "2024-07-01T10:15:30 Z", "2024-07-01T10:15+05", "2024-07-01T10:15-0330", "2024-07-01T10:15:30 +02:00",
            "2024-07-01T23:59:59.999-12:00", "2024-07-01T00:00+14:00", "2024-07-01T00:00-1400", "2024-07-01T10:15:30.5+00:00",
        ] {
            XCTAssertEqual(ValueParser.isoDate(text), day, "\"\(text)\"")
        }
        for text in [
            "2024-07-01T10:15+15", "2024-07-01T10:15+1500", "2024-07-01T10:15+0260", "2024-07-01T10:15+020", "2024-07-01T10:15+02:",
            "2024-07-01T10:15+02:0", "2024-07-01T10:15+02:000", "2024-07-01T10:15+", "2024-07-01T10:15 ", "2024-07-01T10:15  UTC",
            "2024-07-01T10:15 utc", "2024-07-01T10:15 EST", "2024-07-01T10:15 UTC+1", "2024-07-01T10:15 UT", "2024-07-01T10:15 UTCX",
            "2024-07-01T10:15z", "2024-07-01T10:15 +", "2024-07-01T25:61+0000", "2024-07-01T10:61 UTC", "2024-07-01T10:15:30.+0000",
            "2024-07-01T10:15:30.000+00000", "2024-07-01T10:15:30.000 + 0000", "2024-07-01T10:15+00 UTC",
        ] {
            XCTAssertNil(ValueParser.isoDate(text), "\"\(text)\"")
        }
    }

    func testDatesInOtherFormatsAreRecognised() {
        for text in ["07/01/2024 10:15", "01.07.2024", "1/7/24", "2024/07/01", "07-01-2024", "1.7.2024 9:05 PM", "2024.7.1"] {
            XCTAssertTrue(DateLookalike.matches(text), "\"\(text)\"")
        }
        for text in ["2024-07-01", "2024-07-01T25:61", "12", "1.5", "07/01", "Acme", "1/2/3/4", "123/01/2024", "07/01/2024 late", "1.2.10", "192.168.1.1"] {
            XCTAssertFalse(DateLookalike.matches(text), "\"\(text)\"")
        }
    }
}
