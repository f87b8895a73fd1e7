import Foundation
import XCTest

@testable import LeadScore

/// Dates written month first (US) and day first (EU), read in a column's
/// format (`FieldParser.date(_:format:)`, `FieldParser.dateFields`),
/// checked against Foundation's Gregorian calendar, an independent
/// reckoning of days.
final class DateFormatTests: XCTestCase {
    /// Days since 1970-01-01 of a calendar day by Foundation, nil for a day
    /// that does not exist.
    static func foundationDays(year: Int, month: Int, day: Int) -> Int? {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let components = DateComponents(calendar: calendar, timeZone: calendar.timeZone, year: year, month: month, day: day)
        guard components.isValidDate(in: calendar), let date = calendar.date(from: components) else { return nil }
        return Int((date.timeIntervalSince1970 / 86400).rounded(.down))
    }

    func testUSAndEUDatesNameTheSameDay() {
        let july1 = ValueParser.isoDate("2024-07-01")
        XCTAssertEqual(july1, Self.foundationDays(year: 2024, month: 7, day: 1))
        XCTAssertEqual(ValueParser.date("07/01/2024", format: .monthFirst), july1)
        XCTAssertEqual(ValueParser.date("01/07/2024", format: .dayFirst), july1)
        XCTAssertEqual(ValueParser.date("01.07.2024", format: .dayFirst), july1)
        XCTAssertEqual(ValueParser.date("1-7-2024", format: .dayFirst), july1)
        XCTAssertEqual(ValueParser.date("7/1/2024", format: .monthFirst), july1)
        XCTAssertEqual(ValueParser.date("2024-07-01", format: .iso), july1)
        // The same text, the other order: 7 January.
        XCTAssertEqual(ValueParser.date("07/01/2024", format: .dayFirst), Self.foundationDays(year: 2024, month: 1, day: 7))
        // ISO text is no month-first date, nor the reverse.
        XCTAssertNil(ValueParser.date("2024-07-01", format: .monthFirst))
        XCTAssertNil(ValueParser.date("07/01/2024", format: .iso))
    }

    func testTimesAfterTheDate() {
        let july1 = ValueParser.isoDate("2024-07-01")
        for text in [
            "07/01/2024 10:15", "07/01/2024 10:15:30", "07/01/2024T10:15", "7/1/2024 9:05 PM", "7/1/2024 9:05PM", "07/01/2024 12:00 am",
            "07/01/2024 23:59:59.999", "07/01/2024 10:15 UTC", "07/01/2024 10:15:00 +02:00", "07/01/2024 0:00",
        ] {
            XCTAssertEqual(ValueParser.date(text, format: .monthFirst), july1, "\"\(text)\"")
        }
        // Impossible times: written as a date, read as none, named by training.
        for text in ["07/01/2024 25:61", "07/01/2024 24:00", "07/01/2024 10:60", "7/1/2024 13:05 PM", "7/1/2024 0:05 AM", "07/01/2024 10:15 XM"] {
            XCTAssertEqual(ValueParser.dateFields(text), .invalid, "\"\(text)\"")
            XCTAssertNil(ValueParser.date(text, format: .monthFirst), "\"\(text)\"")
            XCTAssertNil(ValueParser.date(text, format: .dayFirst), "\"\(text)\"")
        }
    }

    func testImpossibleDatesAreReadAsNone() {
        // Written as dates, but no day: the 30th of February, a 13th month.
        for text in ["02/30/2024", "13/13/2024", "02/29/2023", "04/31/2024"] {
            let fields = ValueParser.dateFields(text)
            XCTAssertNotNil(fields, text)
            XCTAssertEqual(fields?.isValid, true, text)
            XCTAssertNil(ValueParser.date(text, format: .monthFirst), text)
        }
        XCTAssertEqual(ValueParser.date("02/29/2024", format: .monthFirst), Self.foundationDays(year: 2024, month: 2, day: 29))
        XCTAssertEqual(ValueParser.date("29/02/2024", format: .dayFirst), Self.foundationDays(year: 2024, month: 2, day: 29))
        XCTAssertNil(ValueParser.date("29/02/2023", format: .dayFirst))
        // A field of 0 or above 31 fits no format.
        for text in ["00/01/2024", "01/00/2024", "32/01/2024", "1/45/2024"] {
            XCTAssertEqual(ValueParser.dateFields(text), .invalid, text)
        }
        // Not written as such a date at all.
        for text in ["07/01/24", "2024/07/01", "07/01", "07/01/2024 late", "07/01.2024", "123/01/2024", "07/01/20245", "1.2.10", "", "Closed Won"] {
            XCTAssertNil(ValueParser.dateFields(text), "\"\(text)\"")
        }
    }

    /// Which orders read a value: the evidence a column's format is
    /// decided from.
    func testFieldsSayWhichFormatsReadThem() {
        XCTAssertTrue(ValueParser.dateFields("07/13/2024")!.readableAs == (true, false))
        XCTAssertTrue(ValueParser.dateFields("13/07/2024")!.readableAs == (false, true))
        XCTAssertTrue(ValueParser.dateFields("04/05/2024")!.readableAs == (true, true))
        XCTAssertTrue(ValueParser.dateFields("02/30/2024")!.readableAs == (false, false))
    }

    /// Every day from 1899 to 2101 and a sample of impossible ones, written
    /// in both orders with every separator, padded or not, against
    /// Foundation's calendar.
    func testEveryDayAgainstFoundation() {
        var g = SeededGenerator(seed: 11)
        for _ in 0..<6000 {
            let year = Int.random(in: 1899...2101, using: &g), month = Int.random(in: 1...13, using: &g), day = Int.random(in: 1...31, using: &g)
            let expected = month <= 12 ? Self.foundationDays(year: year, month: month, day: day) : nil
            let separator = ["/", ".", "-"][Int.random(in: 0...2, using: &g)]
            func field(_ v: Int) -> String { v < 10 && Bool.random(using: &g) ? "0\(v)" : "\(v)" }
            let us = field(month) + separator + field(day) + separator + String(year)
            let eu = field(day) + separator + field(month) + separator + String(year)
            XCTAssertEqual(ValueParser.date(us, format: .monthFirst), expected, us)
            XCTAssertEqual(ValueParser.date(eu, format: .dayFirst), expected, eu)
            var bytes = us
            XCTAssertEqual(bytes.withUTF8 { FieldParser.date($0, format: .monthFirst) }, expected, us)
        }
    }

    func testFormatSpellings() {
        XCTAssertEqual(DateFormat(spelling: "MM/DD/YYYY"), .monthFirst)
        XCTAssertEqual(DateFormat(spelling: "mm-dd-yyyy"), .monthFirst)
        XCTAssertEqual(DateFormat(spelling: "DD.MM.YYYY"), .dayFirst)
        XCTAssertEqual(DateFormat(spelling: "dd/mm/yyyy"), .dayFirst)
        XCTAssertEqual(DateFormat(spelling: "YYYY-MM-DD"), .iso)
        for bad in ["MM/DD/YY", "DD/MM.YYYY", "YYYY/MM/DD", "US", "", "MM/DD/YYYY "] {
            XCTAssertNil(DateFormat(spelling: bad), bad)
        }
    }
}
