import Foundation
import XCTest

@testable import LeadScore

/// `UTCTimestamp`: the moments of `scored_at`, read with a zone and written
/// in UTC, against Foundation's Gregorian calendar.
final class UTCTimestampTests: XCTestCase {
    /// Seconds since 1970 of a UTC date and time, by Foundation's calendar.
    func utc(_ y: Int, _ m: Int, _ d: Int, _ h: Int = 0, _ min: Int = 0, _ s: Int = 0) throws -> Int {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = try XCTUnwrap(TimeZone(identifier: "UTC"))
        let date = try XCTUnwrap(calendar.date(from: DateComponents(year: y, month: m, day: d, hour: h, minute: min, second: s)))
        return Int(date.timeIntervalSince1970)
    }

    func testReadsZonesAndWritesUTC() throws {
        let moment = try utc(2026, 12, 7, 10, 15)
        for text in [
            "2026-12-07T10:15:00Z", "2026-12-07T10:15Z", "2026-12-07T11:15:00+01:00", "2026-12-07T11:15:00+0100", "2026-12-07T11:15+01",
            "2026-12-07T05:15:00-05:00", "2026-12-07T10:15:00.999Z", "2026-12-08T00:15:00+14:00",
        ] {
            let t = try XCTUnwrap(UTCTimestamp(iso: text), text)
            XCTAssertEqual(t.seconds, moment, text)
            XCTAssertEqual(t.description, "2026-12-07T10:15:00Z", text)
        }
        XCTAssertEqual(UTCTimestamp(iso: "2026-12-07")?.seconds, try utc(2026, 12, 7), "a date is its midnight in UTC")
        XCTAssertEqual(UTCTimestamp(iso: "2024-02-29T23:59:59Z")?.description, "2024-02-29T23:59:59Z")
        XCTAssertEqual(UTCTimestamp(iso: "2025-01-01T00:30:00+01:00")?.description, "2024-12-31T23:30:00Z", "across the year")
        XCTAssertEqual(UTCTimestamp(iso: "1969-12-31T23:59:59Z")?.seconds, -1)
        XCTAssertEqual(UTCTimestamp(seconds: -1).description, "1969-12-31T23:59:59Z")
        XCTAssertEqual(UTCTimestamp(Date(timeIntervalSince1970: 1_796_638_500.75)).description, "2026-12-07T10:15:00Z", "fractions dropped")
        var g = SeededGenerator(seed: 3)
        for _ in 0..<2000 {
            let s = Int.random(in: -2_000_000_000...4_000_000_000, using: &g)
            let t = UTCTimestamp(seconds: s)
            XCTAssertEqual(UTCTimestamp(iso: t.description), t)
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = try XCTUnwrap(TimeZone(identifier: "UTC"))
            let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: Date(timeIntervalSince1970: Double(s)))
            let expected = String(format: "%04d-%02d-%02dT%02d:%02d:%02dZ", c.year!, c.month!, c.day!, c.hour!, c.minute!, c.second!)
            XCTAssertEqual(t.description, expected, "\(s)")
        }
    }

    func testRefusesWhatNamesNoOneMoment() {
        for text in [
            "2026-12-07T10:15:00", "2026-12-07 10:15:00Z", "2026-02-30", "2026-12-07T24:00:00Z", "2026-12-07T10:60:00Z", "2026-12-07T10:15:60Z",
            "2026-12-07T10:15:00+15:00", "2026-12-07T10:15:00+01:60", "2026-12-07T10:15:00ZZ", "2026-12-07T10:15:00.Z", "2026-12-07T10:15:00 UTC",
            "10:15:00Z", "2026-12-7", "", "2026-12-07T", "2026-12-07T10:15:00+1",
        ] {
            XCTAssertNil(UTCTimestamp(iso: text), text)
        }
    }
}
