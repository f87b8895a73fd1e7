import XCTest

@testable import LeadScore

/// `generate --style`: the same deals written as a HubSpot deal export and
/// a Salesforce opportunity report. Each styled row is checked against the
/// plain row of the same deal, read back through LeadScore's readers of
/// those formats.
final class SyntheticDealsStylesTests: XCTestCase {
    typealias S = SyntheticDeals

    func collect(_ style: S.Style, rows: Int = 4000, seed: UInt64 = 31, regions: Bool = false) -> [[String]] {
        SyntheticDealsTests.collect(S(rows: rows, seed: seed, regions: regions, style: style))
    }

    func testHeaders() {
        XCTAssertEqual(S(rows: 1, seed: 1, style: .plain).columns, S.header)
        let hubspot = S(rows: 1, seed: 1, style: .hubspot).columns
        XCTAssertEqual(hubspot.count, 21)
        XCTAssertEqual(Array(hubspot.suffix(2)), ["Amount", "Deal Stage"])
        XCTAssertEqual([hubspot[0], hubspot[3], hubspot[14]], ["Deal ID", "Create Date", "Last Activity Date"])
        let salesforce = S(rows: 1, seed: 1, regions: true, style: .salesforce).columns
        XCTAssertEqual(Array(salesforce.suffix(5)), ["Amount", "StageName", "IsClosed", "IsWon", "Region"])
        XCTAssertEqual([salesforce[0], salesforce[3], salesforce[14]], ["Id", "CreatedDate", "LastActivityDate"])
    }

    /// Every field of every styled row, read back, is the plain row's.
    func testStylesWriteTheSameDeals() throws {
        let plain = collect(.plain, regions: true), hubspot = collect(.hubspot, regions: true), salesforce = collect(.salesforce, regions: true)
        let lastDay = try XCTUnwrap(ValueParser.isoDate("2026-06-30"))
        let unchanged = [4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 15, 16, 17, 18]
        var open = 0, missingAmounts = 0
        for (i, (p, (h, s))) in zip(plain, zip(hubspot, salesforce)).enumerated() {
            XCTAssertEqual(unchanged.map { h[$0] }, unchanged.map { p[$0] }, "row \(i)")
            XCTAssertEqual(unchanged.map { s[$0] }, unchanged.map { p[$0] }, "row \(i)")
            XCTAssertEqual(h.last, p.last, "Region")
            XCTAssertEqual(s.last, p.last, "Region")
            XCTAssertEqual([h[2], s[2]], [p[2], p[2]], "company name")
            XCTAssertEqual(h[0], String(1_000_000_001 + i))
            XCTAssertEqual(s[0], "006" + String(format: "%012d", i + 1))
            XCTAssertEqual(Int(h[1])! - 100_000_000, Int(p[1].dropFirst(2))!, "account")
            XCTAssertEqual(Int(s[1].dropFirst(3))!, Int(p[1].dropFirst(2))!, "account")
            // Creation dates: ISO with a time of day.
            let created = try XCTUnwrap(ValueParser.isoDate(p[3]))
            XCTAssertEqual(ValueParser.isoDate(h[3]), created, h[3])
            XCTAssertTrue(h[3].hasPrefix(p[3] + " "), h[3])
            XCTAssertEqual(ValueParser.isoDate(s[3]), created, s[3])
            XCTAssertTrue(s[3].hasSuffix(":00.000Z"), s[3])
            // Last activity: the export date minus the days since it.
            let daysSince = try XCTUnwrap(Int(p[14]))
            XCTAssertEqual(ValueParser.date(h[14], format: .monthFirst), lastDay - daysSince, h[14])
            XCTAssertEqual(ValueParser.date(s[14], format: .dayFirst), lastDay - daysSince, s[14])
            // The outcome.
            let stage = p[19]
            switch stage {
            case "Closed Won":
                XCTAssertEqual(h[20], "closedwon")
                XCTAssertEqual([s[20], s[21], s[22]], ["Closed Won", "true", "true"])
            case "Closed Lost":
                XCTAssertEqual(h[20], "closedlost")
                XCTAssertEqual([s[20], s[21], s[22]], ["Closed Lost", "true", "false"])
            default:
                open += 1
                let k = try XCTUnwrap(S.openStages.firstIndex(of: stage))
                XCTAssertEqual(h[20], S.hubspotOpenStages[k])
                XCTAssertEqual([s[20], s[21], s[22]], [S.salesforceOpenStages[k], "false", "false"])
            }
            // The amount, the same number both ways.
            XCTAssertEqual(h[19].isEmpty, s[19].isEmpty)
            if h[19].isEmpty {
                missingAmounts += 1
            } else {
                let a = try XCTUnwrap(ValueParser.number(h[19]))
                XCTAssertEqual(ValueParser.amount(s[19], format: .decimalPoint)?.value, a, s[19])
                XCTAssertEqual(ValueParser.amount(s[19], format: .decimalPoint)?.currency, Currency("USD"))
                XCTAssertNil(ValueParser.amount(s[19], format: .decimalComma), "only a decimal point reads \(s[19])")
                XCTAssertEqual(a, a.rounded(), "whole dollars")
            }
        }
        XCTAssertGreaterThan(open, 20)
        XCTAssertEqual(Double(missingAmounts) / 4000, S.amountMissing, accuracy: 0.012)
    }

    /// Amounts go with company size, as deal sizes do: the median of each
    /// size band is near the band's median amount.
    func testAmountsFollowCompanySize() {
        let rows = collect(.hubspot, rows: 20000, seed: 20_261_123)
        for (k, size) in S.sizes.enumerated() {
            let amounts = rows.filter { $0[6] == size }.compactMap { Double($0[19]) }.sorted()
            let median = amounts[amounts.count / 2]
            XCTAssertEqual(log(median / S.medianAmount[k]), 0, accuracy: 0.1, size)
        }
    }
}
