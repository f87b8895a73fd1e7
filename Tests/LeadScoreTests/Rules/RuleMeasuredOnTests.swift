import Foundation
import XCTest

@testable import LeadScore

/// A rules file's `measuredOn`: every number read from a days-since column
/// (conditions, decay ages) is aged to the scorer's as-of day, with the
/// points worked out by hand.
final class RuleMeasuredOnTests: XCTestCase {
    static let exportDay = 20_634  // 2026-06-30

    /// Recent activity worth 16 points halved every 10 days, −10 after 30
    /// days without activity, and a count rule on another column.
    static let yaml = """
        format: leadscore-rules
        formatVersion: 1
        measuredOn: {Days Since Last Activity: 2026-06-30}
        rules:
          - name: Recent activity
            category: engagement
            when: {column: Days Since Last Activity, atMost: 60}
            points: 16
            decay: {halfLife: 10, ageColumn: Days Since Last Activity}
          - name: No activity in 30 days
            category: engagement
            when: {column: Days Since Last Activity, above: 30}
            points: -10
          - name: Visits
            category: engagement
            column: Visits
            perOccurrence: {each: 5}

        """

    static let csv = "Days Since Last Activity,Visits\n0,1\n25,0\n40,2\n\"\",1\n"

    func scores(asOfDays: Int?) throws -> [RuleScore] {
        try RulesTestSupport.score(Self.csv, rules: RulesTestSupport.rules(Self.yaml), asOfDays: asOfDays, in: self)
    }

    func testWithoutAnAsOfDayTheValuesAreReadAsExported() throws {
        let s = try scores(asOfDays: nil)
        // 0 days: 16 + 5; 25 days: 16 × 0.5^2.5; 40 days: 16 × 0.5^4 − 10 + 10; missing: the visit only.
        XCTAssertEqual(s.map(\.total), [21, 16 * pow(0.5, 2.5), 1 - 10 + 10, 5])
        XCTAssertEqual(try scores(asOfDays: Self.exportDay), s, "as of the export date, the same")
    }

    /// 10 days after the export every lead has 10 more days without
    /// activity: in the decay and in both conditions.
    func testTenDaysLaterEveryReadingIsAged() throws {
        let s = try scores(asOfDays: Self.exportDay + 10)
        // 10 days: 16 × 0.5 + 5 = 13; 35 days: 16 × 0.5^3.5 − 10 (now above 30);
        // 50 days: 16 × 0.5^5 − 10 + 10; missing stays missing: 5.
        XCTAssertEqual(s.map(\.total), [13, 16 * pow(0.5, 3.5) - 10, 0.5 - 10 + 10, 5])
        XCTAssertEqual(s[1].points, ["Recent activity": 16 * pow(0.5, 3.5), "No activity in 30 days": -10])
        // 30 days later the 40-day lead (70 days) is past the 60-day window.
        let later = try scores(asOfDays: Self.exportDay + 30)
        XCTAssertEqual(later[2].points, ["No activity in 30 days": -10, "Visits": 10])
    }

    /// Twenty days before the export a lead active on the export date
    /// counts as active on that day (0 days, not −20), a 25-day one as 5
    /// days and a 40-day one as 20.
    func testEarlierDaysStopAtZero() throws {
        let s = try scores(asOfDays: Self.exportDay - 20)
        XCTAssertEqual(s.map(\.total), [21, 16 * pow(0.5, 0.5), 16 * pow(0.5, 2) + 10, 5])
    }

    /// A file exported 10 days after the rules' date, scored as of 10 days
    /// after its own export, is aged by 10 days, not 20.
    func testAFileExportedOnAnotherDayIsAgedFromThatDay() throws {
        let path = try RulesTestSupport.temporaryCSV(Self.csv, in: self)
        let reader = try CSVReader(path: path)
        let rules = try RulesTestSupport.rules(Self.yaml)
        let scorer = try RuleScorer(rules: rules, header: reader.header, file: path, asOfDays: Self.exportDay + 20, exportedOnDays: Self.exportDay + 10)
        var totals: [Double] = []
        while try reader.nextRecord() { totals.append(try scorer.score(reader).total) }
        XCTAssertEqual(totals, try scores(asOfDays: Self.exportDay + 10).map(\.total))
    }

    func testTheKeyIsWrittenAndReadBack() throws {
        let rules = try RulesTestSupport.rules(Self.yaml)
        XCTAssertEqual(rules.measuredOn, ["Days Since Last Activity": "2026-06-30"])
        let yaml = try XCTUnwrap(rules.yamlText())
        XCTAssertTrue(yaml.contains("measuredOn:\n  Days Since Last Activity: '2026-06-30'\n"), yaml)
        XCTAssertEqual(try RulesTestSupport.rules(yaml), rules)
        let json = try JSONEncoder().encode(rules)
        XCTAssertEqual(try RuleSet.decode(json: json), rules)
    }

    /// A date that is not a day, and a column no rule reads as a number,
    /// are refused with their line and a remedy.
    func testBadEntriesAreRefusedWithTheirLine() throws {
        let badDate = Self.yaml.replacingOccurrences(of: "2026-06-30", with: "2026-06-31")
        let e = try XCTUnwrap(RulesTestSupport.error { () throws(InputError) in try RuleSet.decode(yaml: badDate, file: "r.yaml") })
        XCTAssertEqual(e.kind, .badConfiguration)
        XCTAssertEqual(e.location?.line, 3)
        XCTAssertTrue(e.problem.contains("\"2026-06-31\", is not an ISO 8601 date"), e.problem)

        let typo = Self.yaml.replacingOccurrences(of: "measuredOn: {Days Since Last Activity:", with: "measuredOn: {Days Since Last Activty:")
        let t = try XCTUnwrap(RulesTestSupport.error { () throws(InputError) in try RuleSet.decode(yaml: typo, file: "r.yaml") })
        XCTAssertEqual(t.location?.line, 3)
        XCTAssertTrue(t.problem.contains("\"Days Since Last Activty\", which no rule reads as a number"), t.problem)
        XCTAssertTrue(t.remedy.hasPrefix("Did you mean \"Days Since Last Activity\"?"), t.remedy)

        // A column read only as text or for missingness is not aged either.
        let text = RuleSet(
            measuredOn: ["Stage": "2026-06-30"],
            rules: [Rule("Open", .fit, when: .column("Stage", .missing(false)), points: 1)])
        XCTAssertEqual(RulesTestSupport.error { () throws(InputError) in try text.validate() }?.kind, .badConfiguration)
    }
}
