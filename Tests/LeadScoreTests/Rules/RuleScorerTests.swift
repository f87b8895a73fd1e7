import Foundation
import XCTest

@testable import LeadScore

/// How the scorer evaluates each kind of rule, condition, tier and
/// disqualify entry, with the points worked out by hand.
final class RuleScorerTests: XCTestCase {
    func score(_ yaml: String, _ csv: String, asOfDays: Int? = nil) throws -> [RuleScore] {
        try RulesTestSupport.score(csv, rules: RulesTestSupport.rules(yaml), asOfDays: asOfDays, in: self)
    }

    func rulesFile(_ rules: String, tiers: String = "") -> String {
        "format: leadscore-rules\nformatVersion: 1\nrules:\n" + rules + tiers
    }

    // MARK: Per occurrence

    /// +10 for the first pricing-page visit, +5 for each additional one, at most +25.
    func testPerOccurrenceCapAtTheBoundary() throws {
        let yaml = rulesFile("""
              - name: Pricing page visits
                category: engagement
                column: Visits
                perOccurrence: {first: 10, each: 5, max: 25}

            """)
        let s = try score(yaml, "Visits\n0\n1\n2\n4\n5\n10\n3.9\n-2\n\"\"\n")
        // 0 → nothing; 1 → 10; 2 → 10 + 5 = 15; 4 → 10 + 3×5 = 25 (exactly the cap);
        // 5 → 10 + 4×5 = 30, capped at 25; 10 → 55, capped at 25;
        // 3.9 counts as 3 → 10 + 2×5 = 20; −2 → nothing; missing → nothing.
        XCTAssertEqual(s.map(\.total), [0, 10, 15, 25, 25, 25, 20, 0, 0])
        XCTAssertEqual(s.map { $0.fired.count }, [0, 1, 1, 1, 1, 1, 1, 0, 0], "no occurrence, no fired rule")
        XCTAssertEqual(s.map(\.engagement), s.map(\.total))
    }

    func testPerOccurrenceWithoutFirstOrCapAndAsAPenalty() throws {
        let yaml = rulesFile("""
              - name: Email clicks
                category: engagement
                column: Clicks
                perOccurrence: {each: 2}
              - name: Bounces
                category: engagement
                column: Bounces
                perOccurrence: {first: -5, each: -2, max: -10}

            """)
        let s = try score(yaml, "Clicks,Bounces\n0,0\n1,1\n7,2\n100,3\n0,4\n")
        // Clicks: 2 per click, no cap. Bounces: −5, then −2 each, at most −10 in all.
        // row 1: 0 + 0; row 2: 2 − 5 = −3; row 3: 14 + (−5 − 2) = 7;
        // row 4: 200 + (−5 − 4) = 191; row 5: 0 + (−5 − 6 = −11, floored at −10) = −10.
        XCTAssertEqual(s.map(\.total), [0, -3, 7, 191, -10])
    }

    func testPerOccurrenceGatedByACondition() throws {
        let yaml = rulesFile("""
              - name: Webinars (business email only)
                category: engagement
                column: Webinars
                when: {column: Email, equals: Business}
                perOccurrence: {first: 8, each: 4, max: 16}

            """)
        let s = try score(yaml, "Webinars,Email\n2,Business\n2,Free\n5,Business\n")
        // 8 + 4 = 12; gated off → 0; 8 + 4×4 = 24 capped at 16.
        XCTAssertEqual(s.map(\.total), [12, 0, 16])
    }

    // MARK: Decay and inactivity

    /// Points × 0.5^(age / halfLife), age in days from a column.
    func testHalvingDecayByAgeColumn() throws {
        let yaml = rulesFile("""
              - name: Demo requested (fading)
                category: engagement
                when: {column: Demo, equals: true}
                points: 20
                decay: {halfLife: 30, ageColumn: Days Since Demo}

            """)
        let s = try score(yaml, "Demo,Days Since Demo\nYes,0\nYes,30\nYes,60\nYes,45\nYes,10\nYes,\nYes,-5\nNo,0\nYes,90.5\n")
        XCTAssertEqual(s[0].total, 20)  // 20 × 0.5^0
        XCTAssertEqual(s[1].total, 10)  // 20 × 0.5^1
        XCTAssertEqual(s[2].total, 5)  // 20 × 0.5^2
        XCTAssertEqual(s[3].total, 20 * pow(0.5, 1.5))  // 45 days: 20 × 0.5^1.5 ≈ 7.071
        XCTAssertEqual(s[3].total, 7.0710678118654755, accuracy: 1e-12)
        XCTAssertEqual(s[4].total, 20 * pow(0.5, 10.0 / 30.0))  // ≈ 15.874
        XCTAssertEqual(s[4].total, 15.874010519681994, accuracy: 1e-12)
        XCTAssertEqual(s[5].total, 0, "an event of unknown age earns nothing")
        XCTAssertEqual(s[5].fired, [])
        XCTAssertEqual(s[6].total, 20, "a negative age counts as 0")
        XCTAssertEqual(s[7].total, 0, "the condition gates the rule")
        XCTAssertEqual(s[8].total, 20 * pow(0.5, 90.5 / 30))
        XCTAssertEqual(s[8].fired.first?.points, s[8].total)
        XCTAssertEqual(s[3].fired.first?.description, "Demo requested (fading) (+7.1)")
        XCTAssertEqual(s[3].fired.first?.words, "Demo requested (fading): +7.1 points")
    }

    /// The age from a date column, counted to the as-of date.
    func testHalvingDecayByDateColumn() throws {
        let yaml = rulesFile("""
              - name: Webinar attended
                category: engagement
                when: {column: Webinar Date, missing: false}
                points: 12
                decay: {halfLife: 14, dateColumn: Webinar Date}

            """)
        let asOf = try XCTUnwrap(ValueParser.isoDate("2026-06-30"))
        let s = try score(
            yaml, "Webinar Date\n2026-06-30\n2026-06-16\n2026-06-02\n2026-05-09\n2026-07-10\n\"\"\n2026-06-23T10:00:00\n", asOfDays: asOf)
        // 0 days → 12; 14 days → 6; 28 days → 3; 52 days → 12 × 0.5^(52/14);
        // 10 days in the future → age 0 → 12; missing → nothing; 7 days (time ignored) → 12 × 0.5^0.5.
        XCTAssertEqual(s.map(\.total), [12, 6, 3, 12 * pow(0.5, 52.0 / 14.0), 12, 0, 12 * pow(0.5, 0.5)])
        XCTAssertEqual(s[3].total, 0.9142602406533565, accuracy: 1e-12)  // 12 × 0.5^3.714… ≈ 0.914

        let rules = try RulesTestSupport.rules(yaml)
        let e = RulesTestSupport.error { () throws(InputError) in try RuleScorer(rules: rules, header: ["Webinar Date"], file: "x.csv") }
        XCTAssertEqual(e?.kind, .badConfiguration)
        XCTAssertTrue(e?.problem.contains("as-of date") ?? false, e?.description ?? "")
    }

    /// −10 when there is no activity in 30 days: a condition on a days-since column.
    func testInactivityPenalty() throws {
        let yaml = rulesFile("""
              - name: Recent activity
                category: engagement
                when: {column: Days Since Last Activity, atMost: 7}
                points: 10
              - name: No activity in 30 days
                category: engagement
                when: {column: Days Since Last Activity, above: 30}
                points: -10

            """)
        let s = try score(yaml, "Days Since Last Activity\n0\n7\n8\n30\n31\n365\nNA\n")
        // 0 and 7 days: +10; 8 and 30 days: 0; 31 and 365 days: −10; unknown (NA): 0.
        XCTAssertEqual(s.map(\.total), [10, 10, 0, 0, -10, -10, 0])
    }

    // MARK: Conditions

    func testBetweenIncludesBothEnds() throws {
        let yaml = rulesFile("""
              - name: Company size 50–500
                category: fit
                when: {column: Employees, between: [50, 500]}
                points: 10

            """)
        let s = try score(yaml, "Employees\n49\n49.999\n50\n50.0\n275\n500\n500.5\n501\n\"\"\n")
        XCTAssertEqual(s.map(\.total), [0, 0, 10, 10, 10, 10, 0, 0, 0])
    }

    func testComparisonsAtTheirEdges() throws {
        let yaml = rulesFile("""
              - {name: above 10, category: fit, when: {column: X, above: 10}, points: 1}
              - {name: atLeast 10, category: fit, when: {column: X, atLeast: 10}, points: 10}
              - {name: below 10, category: fit, when: {column: X, below: 10}, points: 100}
              - {name: atMost 10, category: fit, when: {column: X, atMost: 10}, points: 1000}
              - {name: equals 10, category: fit, when: {column: X, equals: 10}, points: 10000}
              - {name: 5 < X ≤ 10, category: fit, when: {column: X, above: 5, atMost: 10}, points: 100000}

            """)
        let s = try score(yaml, "X\n9.5\n10\n1e1\n10.5\n5\n")
        // 9.5: below, atMost, (5, 10]   → 100 + 1000 + 100000
        // 10:  atLeast, atMost, equals, (5, 10] → 10 + 1000 + 10000 + 100000; 1e1 is the same number
        // 10.5: above, atLeast          → 1 + 10
        // 5:   below, atMost (5 is not above 5) → 100 + 1000
        XCTAssertEqual(s.map(\.total), [101_100, 111_010, 111_010, 11, 1100])
    }

    func testContainsIgnoresCase() throws {
        let yaml = rulesFile("""
              - name: VP title
                category: fit
                when: {column: Job Title, contains: VP}
                points: 20
              - name: Technical
                category: fit
                when: {column: Job Title, contains: [Engineer, Developer]}
                points: 5

            """)
        let s = try score(yaml, "Job Title\nVP Sales\n\"svp, marketing\"\nRegional Vp\nDirector\nSoftware ENGINEER\n\"Vp, developer relations\"\n\"\"\n")
        XCTAssertEqual(s.map(\.total), [20, 20, 20, 0, 5, 25, 0])
    }

    func testEqualsAndOneOf() throws {
        let yaml = rulesFile("""
              - {name: Business email, category: fit, when: {column: Email Type, equals: Business}, points: 5}
              - {name: Core country, category: fit, when: {column: Country, oneOf: [United States, Canada]}, points: 10}
              - {name: Two seats, category: fit, when: {column: Seats, equals: 2}, points: 100}
              - {name: Size band, category: fit, when: {column: Size, oneOf: ["1-10", "11-50"]}, points: -1000}

            """)
        let s = try score(yaml, "Email Type,Country,Seats,Size\nBusiness,United States,2,1-10\nbusiness ,CANADA,2.0,11-50\nBusinessman,Canada ,3,51-200\n,,,\n")
        // Text compares ignoring case and surrounding spaces, never by prefix; numbers numerically (2.0 = 2).
        XCTAssertEqual(s.map(\.total), [-885, -885, 10, 0])  // 5 + 10 + 100 − 1000 = −885; Canada only: 10
    }

    /// `equals: true` matches every boolean spelling ValueParser accepts.
    func testBooleansMatchEverySpelling() throws {
        let yaml = rulesFile("""
              - {name: Demo, category: engagement, when: {column: Demo, equals: true}, points: 1}
              - {name: No demo, category: engagement, when: {column: Demo, equals: false}, points: 10}
              - {name: Text yes, category: engagement, when: {column: Demo, equals: "Yes"}, points: 100}

            """)
        let s = try score(yaml, "Demo\nYes\nTRUE\nY\n1\nt\nyes\nNo\nFALSE\nn\n0\n1.0\n\"\"\n")
        // true spellings score 1 (+100 when the text is literally yes, in any case); false spellings 10; missing 0.
        XCTAssertEqual(s.map(\.total), [101, 1, 1, 1, 1, 101, 10, 10, 10, 10, 1, 0])
    }

    func testMissingHandling() throws {
        let yaml = """
            formatVersion: 1
            missingValues: [Select, "-"]
            rules:
              - {name: No industry, category: fit, when: {column: Industry, missing: true}, points: -5}
              - {name: Has industry, category: fit, when: {column: Industry, missing: false}, points: 1}
              - {name: Not software, category: fit, when: {not: {column: Industry, equals: Software}}, points: 10}
              - {name: Big, category: fit, when: {column: Employees, above: 100}, points: 100}
              - {name: Not big, category: fit, when: {not: {column: Employees, above: 100}}, points: 1000}

            """
        let s = try score(yaml, "Industry,Employees\nSoftware,500\n,50\nSelect,Select\n  ,-\nNA,\nRetail,N/A\n")
        // Software, 500: has industry +1, big +100                         → 101
        // empty, 50:     no industry −5, not software +10, not big +1000    → 1005
        // Select (a declared marker), Select: −5 + 10 + 1000                → 1005 ("Select" is never read as a number)
        // spaces, "-":   −5 + 10 + 1000                                     → 1005
        // NA (a default marker), empty: −5 + 10 + 1000                      → 1005
        // Retail, N/A:   +1 + 10 + 1000 (a numeric test on a missing value is false, so its `not` holds) → 1011
        XCTAssertEqual(s.map(\.total), [101, 1005, 1005, 1005, 1005, 1011])
    }

    func testAllAnyNot() throws {
        let yaml = rulesFile("""
              - name: Enterprise software
                category: fit
                when:
                  all:
                    - {column: Industry, equals: Software}
                    - {column: Employees, atLeast: 1000}
                points: 1
              - name: Warm source
                category: fit
                when:
                  any:
                    - {column: Source, oneOf: [Referral, Partner]}
                    - {column: Source, contains: event}
                points: 10
              - name: Neither free nor student
                category: fit
                when:
                  not:
                    - {column: Email, equals: Free}
                    - {column: Student, equals: true}
                points: 100
              - name: Nested
                category: fit
                when:
                  any:
                    - all: [{column: Industry, equals: Retail}, {not: {column: Student, equals: true}}]
                    - {all: []}
                points: 1000

            """)
        let s = try score(yaml, """
            Industry,Employees,Source,Email,Student
            Software,5000,Referral,Business,No
            Software,999,Trade Event,Free,No
            Retail,10,Cold,Business,Yes
            Retail,10,Partner,Business,No

            """)
        // `all: []` holds, so "Nested" fires for every row (+1000).
        // 1: all (+1), any (+10), none of free/student (+100)       → 1111
        // 2: 999 < 1000; "Trade Event" contains "event" (+10); free  → 1010
        // 3: student, so not(...) fails                             → 1000
        // 4: Partner (+10); business, not a student (+100)          → 1110
        XCTAssertEqual(s.map(\.total), [1111, 1010, 1000, 1110])
    }

    // MARK: Categories, tiers, disqualify

    /// A rules file's grid: the cell of the lead's fit and engagement
    /// points at the file's cut-offs (inclusive); none without a grid.
    func testGridCellOfTheFitAndEngagementPoints() throws {
        let yaml = """
            formatVersion: 1
            rules:
              - {name: Big, category: fit, when: {column: Employees, atLeast: 100}, points: 20}
              - {name: Visits, category: engagement, column: Visits, perOccurrence: {each: 10, max: 40}}
            grid: {fit: [20, 10, 0], engagement: [30, 20, 10]}

            """
        let rules = try RulesTestSupport.rules(yaml)
        XCTAssertEqual(rules.grid, GridCuts(fit: [20, 10, 0], engagement: [30, 20, 10]))
        let scores = try RulesTestSupport.score("Employees,Visits\n500,4\n50,3\n100,2\n5,1\n5,0\n", rules: rules, in: self)
        XCTAssertEqual(scores.map { $0.cell?.label }, ["A1", "C1", "A2", "C3", "C4"])
        let plain = try RulesTestSupport.rules(yaml.replacingOccurrences(of: "grid: {fit: [20, 10, 0], engagement: [30, 20, 10]}", with: ""))
        XCTAssertNil(plain.grid)
        XCTAssertTrue(try RulesTestSupport.score("Employees,Visits\n500,4\n", rules: plain, in: self).allSatisfy { $0.cell == nil })
        // Written back as YAML, the grid reads the same.
        XCTAssertEqual(try RulesTestSupport.rules(try XCTUnwrap(rules.yamlText())), rules)
    }

    func testFitAndEngagementSumToTotal() throws {
        let rules = try RulesTestSupport.fixture("literature-a.yaml")
        var csv = "Pricing Page Visits,Chat Started,Demo Requested,Employees\n"
        for i in 0..<50 { csv += "\(i % 7),\(i % 2 == 0 ? "Yes" : "No"),\(i % 3 == 0 ? "TRUE" : "FALSE"),\(i * 13)\n" }
        for s in try RulesTestSupport.score(csv, rules: rules, in: self) {
            XCTAssertEqual(s.fit + s.engagement, s.total)
            XCTAssertEqual(s.fired.filter { $0.category == .fit }.reduce(0) { $0 + $1.points }, s.fit)
            XCTAssertEqual(s.fired.filter { $0.category == .engagement }.reduce(0) { $0 + $1.points }, s.engagement)
        }
    }

    func testTiersAtExactCutPoints() throws {
        let yaml = rulesFile(
            """
              - name: Points
                category: engagement
                column: Points
                perOccurrence: {each: 1}
              - name: Fraction
                category: engagement
                when: {column: Points, equals: 19}
                points: 0.999

            """,
            tiers: """
                tiers:
                  - {name: Hot, above: 40}
                  - {name: Sales-ready, atLeast: 40}
                  - {name: Nurture, atLeast: 20}
                  - {name: Low}

                """)
        let s = try score(yaml, "Points\n41\n40\n39\n20\n19\n0\n")
        // 41 > 40 → Hot; 40 is not above 40 but is at least 40 → Sales-ready; 39 → Nurture;
        // 20 → Nurture (at least 20); 19 + 0.999 = 19.999 → Low; 0 → Low.
        XCTAssertEqual(s.map(\.total), [41, 40, 39, 20, 19.999, 0])
        XCTAssertEqual(s.map(\.tier), ["Hot", "Sales-ready", "Nurture", "Nurture", "Low", "Low"])
        let rules = try RulesTestSupport.rules(yaml)
        XCTAssertEqual(rules.tier(for: 40.000001), "Hot")
        XCTAssertEqual(rules.tier(for: -100), "Low")
    }

    func testNoTiersGiveAnEmptyTier() throws {
        let s = try score(rulesFile("  - {name: A, category: fit, when: {column: X, equals: 1}, points: 5}\n"), "X\n1\n")
        XCTAssertEqual(s[0].tier, "")
    }

    func testDisqualifyOverridesTheTier() throws {
        let yaml = rulesFile(
            """
              - {name: Demo, category: engagement, when: {column: Demo, equals: true}, points: 50}
              - {name: Big company, category: fit, when: {column: Employees, atLeast: 500}, points: 20}

            """,
            tiers: """
                tiers:
                  - {name: Sales-ready, atLeast: 40}
                  - {name: Low}
                disqualify:
                  - {name: Competitor, when: {column: Competitor, equals: true}}
                  - name: Student
                    when: {any: [{column: Title, contains: student}, {column: Email, contains: .edu}]}
                    tier: Not a buyer

                """)
        let s = try score(yaml, """
            Demo,Employees,Competitor,Title,Email
            Yes,1000,No,CTO,a@b.com
            Yes,1000,Yes,CTO,a@b.com
            Yes,10,No,PhD Student,x@uni.edu
            No,10,Y,Student,x@uni.edu
            No,10,,,

            """)
        // 1: 50 + 20 = 70 → Sales-ready.
        // 2: 70 points, but a competitor → Disqualified (points still reported).
        // 3: 50 → would be Sales-ready; a student → "Not a buyer".
        // 4: 0 points; both entries hold → the first one listed wins.
        // 5: 0 → Low; a missing Competitor value is not true.
        XCTAssertEqual(s.map(\.total), [70, 70, 50, 0, 0])
        XCTAssertEqual(s.map(\.tier), ["Sales-ready", "Disqualified", "Not a buyer", "Disqualified", "Low"])
        XCTAssertEqual(s.map(\.disqualifiedBy), [nil, "Competitor", "Student", "Competitor", nil])
        XCTAssertEqual(s[1].fired.map(\.rule), ["Demo", "Big company"])
        XCTAssertEqual(try RulesTestSupport.rules(yaml).tierNames, ["Sales-ready", "Low", "Disqualified", "Not a buyer"])
    }

    // MARK: Errors at scoring time

    func testAbsentColumnsAreAllNamed() throws {
        let rules = try RulesTestSupport.fixture("literature-b.yaml")
        let header = ["Lead", "job title", "Industry", "Employees", "Demo Requested", "Days Since Last Activty"]
        let e = RulesTestSupport.error { () throws(InputError) in try RuleScorer(rules: rules, header: header, file: "leads.csv") }
        XCTAssertEqual(e?.kind, .missingColumn)
        XCTAssertEqual(e?.location?.file, "leads.csv")
        let text = e?.description ?? ""
        for name in ["\"Job Title\"", "\"Email Domain\"", "\"Pricing Page Visits\"", "\"Days Since Last Activity\""] {
            XCTAssertTrue(e?.problem.contains(name) ?? false, "\(name) in: \(text)")
        }
        XCTAssertTrue(e?.problem.contains("4 columns") ?? false, text)
        XCTAssertFalse(e?.problem.contains("\"Industry\"") ?? true, text)
        XCTAssertTrue(e?.remedy.contains("\"Job Title\" → \"job title\"") ?? false, text)
        XCTAssertTrue(e?.remedy.contains("\"Days Since Last Activity\" → \"Days Since Last Activty\"") ?? false, text)
    }

    func testColumnsUsedInOrderOfFirstUse() throws {
        let rules = try RulesTestSupport.fixture("literature-b.yaml")
        let reader = try CSVReader(path: RulesTestSupport.temporaryCSV(
            "Days Since Last Activity,Pricing Page Visits,Demo Requested,Email Domain,Employees,Industry,Job Title,Extra\n", in: self))
        let scorer = try RuleScorer(rules: rules, header: reader.header, file: reader.path)
        XCTAssertEqual(scorer.columnsUsed, ["Job Title", "Industry", "Employees", "Email Domain", "Demo Requested", "Pricing Page Visits", "Days Since Last Activity"])
        XCTAssertEqual(scorer.columnIndices, [6, 5, 4, 3, 2, 1, 0])
    }

    /// "abc" in a column compared with numbers: file, line, column and value.
    func testNonNumericValueIsNamedWithLineColumnAndValue() throws {
        let rules = try RulesTestSupport.fixture("literature-a.yaml")
        let path = try RulesTestSupport.temporaryCSV("""
            Lead,Pricing Page Visits,Chat Started,Demo Requested,Employees
            A,1,No,No,120
            "B, with a
            line break",2,No,No,80
            C,0,No,No,abc

            """, in: self)
        let e = RulesTestSupport.error { () throws(InputError) in try RulesTestSupport.score(path: path, rules: rules) }
        XCTAssertEqual(e?.kind, .invalidValue)
        XCTAssertEqual(e?.location, InputLocation(file: path, line: 5, column: "Employees", value: "abc"))
        XCTAssertTrue(e?.problem.contains("Company size 50–500") ?? false, e?.description ?? "")
        XCTAssertTrue(e?.description.contains("line 5, column \"Employees\", value \"abc\"") ?? false, e?.description ?? "")
    }

    /// A value is checked even when the test that needs it is not reached.
    func testValuesAreCheckedWhateverTheOtherConditionsSay() throws {
        let yaml = rulesFile("""
              - name: Big and demo
                category: fit
                when: {all: [{column: Demo, equals: true}, {column: Employees, above: 100}]}
                points: 10

            """)
        let rules = try RulesTestSupport.rules(yaml)
        let path = try RulesTestSupport.temporaryCSV("Demo,Employees\nNo,50\nNo,\"1,200\"\n", in: self)
        let e = RulesTestSupport.error { () throws(InputError) in try RulesTestSupport.score(path: path, rules: rules) }
        XCTAssertEqual(e?.location?.line, 3)
        XCTAssertEqual(e?.location?.value, "1,200")

        let path2 = try RulesTestSupport.temporaryCSV("Demo,Employees\nMaybe,50\n", in: self)
        let e2 = RulesTestSupport.error { () throws(InputError) in try RulesTestSupport.score(path: path2, rules: rules) }
        XCTAssertEqual(e2?.kind, .invalidValue)
        XCTAssertEqual(e2?.location, InputLocation(file: path2, line: 2, column: "Demo", value: "Maybe"))
    }

    func testMissingMarkersOfTheParserAndTheRulesCombine() throws {
        let yaml = """
            formatVersion: 1
            missingValues: [unknown]
            rules:
              - {name: Big, category: fit, when: {column: Employees, above: 100}, points: 10}

            """
        let rules = try RulesTestSupport.rules(yaml)
        let path = try RulesTestSupport.temporaryCSV("Employees\n500\nunknown\nSelect\n", in: self)
        let s = try RulesTestSupport.score(path: path, rules: rules, parser: ValueParser(missingMarkers: ValueParser.defaultMissingMarkers + ["Select"]))
        XCTAssertEqual(s.map(\.total), [10, 0, 0])
        XCTAssertThrowsError(try RulesTestSupport.score(path: path, rules: rules))  // "Select" is not missing by default
    }

    // MARK: Built in code

    func testRulesBuiltInCode() throws {
        let rules = RuleSet(
            name: "In code",
            rules: [
                Rule("Pricing", .engagement, column: "Visits", perOccurrence: PerOccurrence(first: 10, each: 5, max: 25)),
                Rule("Demo", .engagement, when: .column("Demo", .equals(.boolean(true))), points: 20, decay: RuleDecay(halfLife: 10, ageColumn: "Age")),
                Rule("Size", .fit, when: .column("Employees", [.between(50, 500)]), points: 10),
            ],
            tiers: [RuleTier("A", atLeast: 30), RuleTier("B")],
            disqualify: [Disqualifier("Competitor", when: .column("Competitor", .equals(.boolean(true))))])
        let scorer = try RuleScorer(rules: rules, header: ["Visits", "Demo", "Age", "Employees", "Competitor"], file: "x.csv")
        let row = ["3", "Yes", "10", "60", "No"]
        let s = try scorer.score(field: { row[$0] }, line: 2)
        // 10 + 5 + 5 = 20; demo 20 × 0.5^(10/10) = 10; size +10 → 40 (fit 10, engagement 30) → A.
        XCTAssertEqual(s, RuleScore(
            total: 40, fit: 10, engagement: 30, tier: "A", disqualifiedBy: nil,
            fired: [FiredRule(rule: "Pricing", category: .engagement, points: 20), FiredRule(rule: "Demo", category: .engagement, points: 10),
                    FiredRule(rule: "Size", category: .fit, points: 10)]))
        XCTAssertEqual(s.fired[1].description, "Demo (+10)")
        XCTAssertEqual(s.fired[1].words, "Demo: +10 points")
        XCTAssertEqual(FiredRule(rule: "Student", category: .fit, points: -15).words, "Student: -15 points")
        XCTAssertEqual(FiredRule(rule: "Referral", category: .fit, points: 1).words, "Referral: +1 point")
        XCTAssertEqual(FiredRule(rule: "Bounce", category: .engagement, points: -1).description, "Bounce (-1)")
        XCTAssertEqual(try RuleSet.decode(yaml: try XCTUnwrap(rules.yamlText())), rules)

        var bad = rules
        bad.tiers = [RuleTier("B"), RuleTier("A", atLeast: 30)]
        let e = RulesTestSupport.error { () throws(InputError) in try RuleScorer(rules: bad, header: ["Visits", "Demo", "Age", "Employees", "Competitor"], file: "x.csv") }
        XCTAssertEqual(e?.kind, .badConfiguration)
        XCTAssertTrue(e?.problem.contains("tier 1 \"B\"") ?? false, e?.description ?? "")
    }
}
