import XCTest

@testable import LeadScore

/// Aging a days-since value to another day (`DaysSince`): exact arithmetic
/// on whole days, no BLAS, so the values are asserted exactly.
final class DaysSinceTests: XCTestCase {
    func testLaterDaysAddTheDaysBetween() {
        XCTAssertEqual(DaysSince.aged(16, by: 30), 46)
        XCTAssertEqual(DaysSince.aged(0, by: 90), 90)
        XCTAssertEqual(DaysSince.aged(2.5, by: 1), 3.5, "fractional days keep their fraction")
        XCTAssertEqual(DaysSince.aged(-3, by: 10), 7, "forward, a value is moved whatever its sign")
    }

    func testTheMeasurementDayItselfLeavesTheValueAsItIs() {
        for x in [0.0, -0.0, 16, 1e300, -7, .leastNonzeroMagnitude] {
            XCTAssertEqual(DaysSince.aged(x, by: 0).bitPattern, x.bitPattern, "\(x)")
        }
    }

    /// Back in time the count goes down, stopping at 0; a value already
    /// below 0 is not raised.
    func testEarlierDaysSubtractButNotBelowZero() {
        XCTAssertEqual(DaysSince.aged(40, by: -30), 10)
        XCTAssertEqual(DaysSince.aged(30, by: -30), 0)
        XCTAssertEqual(DaysSince.aged(5, by: -30), 0, "an activity after the day counts as active on it")
        XCTAssertEqual(DaysSince.aged(0, by: -1), 0)
        XCTAssertEqual(DaysSince.aged(-3, by: -10), -3, "not a count of days: left as it is")
        XCTAssertEqual(DaysSince.aged(-3, by: -1), -3)
    }

    func testShiftsAreTheDaysFromTheMeasurementToTheAsOfDay() throws {
        let june30 = try XCTUnwrap(ValueParser.isoDate("2026-06-30"))
        let dates = ["Days Since Last Activity": "2026-06-30", "Days Since Demo": "2026-07-15"]
        XCTAssertEqual(
            DaysSince.shifts(measuredOn: dates, asOfDays: june30 + 30),
            ["Days Since Last Activity": 30, "Days Since Demo": 15])
        XCTAssertEqual(DaysSince.shifts(measuredOn: dates, asOfDays: june30), ["Days Since Last Activity": 0, "Days Since Demo": -15])
        XCTAssertEqual(DaysSince.shifts(measuredOn: dates, asOfDays: nil), [:], "without an as-of day nothing is aged")
        XCTAssertEqual(DaysSince.shifts(measuredOn: nil, asOfDays: june30), [:])
        XCTAssertEqual(DaysSince.shifts(measuredOn: ["X": "2026-02-30"], asOfDays: june30), [:], "not a day: skipped")
        // A file exported on another day: its day replaces every column's.
        XCTAssertEqual(
            DaysSince.shifts(measuredOn: dates, asOfDays: june30 + 30, exportedOnDays: june30 + 30),
            ["Days Since Last Activity": 0, "Days Since Demo": 0])
        XCTAssertEqual(DaysSince.shifts(measuredOn: dates, asOfDays: nil, exportedOnDays: june30), [:])
        XCTAssertEqual(DaysSince.shifts(measuredOn: nil, asOfDays: june30, exportedOnDays: june30 - 5), [:], "only named columns are aged")
        // Across a leap day: 2028-02-28 → 2028-03-01 is 2 days.
        XCTAssertEqual(
            DaysSince.shifts(measuredOn: ["X": "2028-02-28"], asOfDays: try XCTUnwrap(ValueParser.isoDate("2028-03-01"))), ["X": 2])
    }
}
