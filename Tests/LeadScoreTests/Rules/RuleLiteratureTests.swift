import XCTest

@testable import LeadScore

/// The three points models from the lead-scoring literature, written as
/// rules files (Fixtures/rules/literature-*.yaml), scored on leads whose
/// points were worked out by hand.
final class RuleLiteratureTests: XCTestCase {
    /// (a) +10 pricing page visited, +5 each additional visit, +15 chat
    /// started, +20 demo requested, +10 company size 50–500; sales-ready
    /// above 40 (strictly).
    func testExampleA() throws {
        let rules = try RulesTestSupport.fixture("literature-a.yaml")
        let csv = """
            Lead,Pricing Page Visits,Chat Started,Demo Requested,Employees
            A,0,No,No,30
            B,1,Yes,No,50
            C,3,no,TRUE,500
            D,2,y,N,501
            E,3,No,Yes,12
            F,6,1,yes,120
            G,,,,

            """
        let s = try RulesTestSupport.score(csv, rules: rules, in: self)
        // A: 0 visits → 0; no chat, no demo; 30 employees is below 50 → 0.       Total 0.
        // B: 1 visit → 10; chat +15; 50 employees (inclusive) → +10.               Total 35 (fit 10, engagement 25).
        // C: 3 visits → 10 + 5 + 5 = 20; demo (TRUE) +20; 500 (inclusive) +10.     Total 50 (fit 10, engagement 40).
        // D: 2 visits → 10 + 5 = 15; chat (y) +15; 501 employees → 0.              Total 30.
        // E: 3 visits → 20; demo +20; 12 employees → 0.                            Total 40: not above 40.
        // F: 6 visits → 10 + 5×5 = 35; chat (1) +15; demo +20; 120 employees +10.  Total 80.
        // G: everything missing → 0.
        XCTAssertEqual(s.map(\.total), [0, 35, 50, 30, 40, 80, 0])
        XCTAssertEqual(s.map(\.fit), [0, 10, 10, 0, 0, 10, 0])
        XCTAssertEqual(s.map(\.engagement), [0, 25, 40, 30, 40, 70, 0])
        XCTAssertEqual(s.map(\.tier), ["Not yet", "Not yet", "Sales-ready", "Not yet", "Not yet", "Sales-ready", "Not yet"])
        XCTAssertEqual(s[5].points, ["Pricing page visits": 35, "Chat started": 15, "Demo requested": 20, "Company size 50–500": 10])
        XCTAssertEqual(s[0].fired, [])
        XCTAssertEqual(s[2].fired.map(\.rule), ["Pricing page visits", "Demo requested", "Company size 50–500"], "in the order of the file")
    }

    /// (b) title VP or above +20, company in target profile +15, free email
    /// −10, demo requested +30, pricing page visited +15, no activity in 30
    /// days −10; MQL at 50 (≥ 50).
    func testExampleB() throws {
        let rules = try RulesTestSupport.fixture("literature-b.yaml")
        let csv = """
            Lead,Job Title,Industry,Employees,Email Domain,Demo Requested,Pricing Page Visits,Days Since Last Activity
            1,VP of Marketing,Software,800,acme.com,Yes,2,3
            2,Director of Sales,Software,1200,gmail.com,No,1,45
            3,Chief Revenue Officer,Retail,300,outlook.com,Yes,0,30
            4,Senior Vice President,Financial Services,200,bank.example,No,3,10
            5,Marketing Manager,Software,150,yahoo.com,Yes,1,31
            6,co-founder,software,5000,GMAIL.COM,No,0,

            """
        let s = try RulesTestSupport.score(csv, rules: rules, in: self)
        // 1: VP +20; Software with 800 employees (200–5000) +15; business email; demo +30;
        //    pricing page (2 ≥ 1) +15; active 3 days ago.                           20 + 15 + 30 + 15 = 80 → MQL.
        // 2: "Director" is not VP or above (no VP/President/Chief/Founder in it); target +15;
        //    gmail −10; no demo; pricing +15; 45 days inactive −10.                 15 − 10 + 15 − 10 = 10.
        // 3: Chief +20; Retail is not a target industry; outlook −10; demo +30; no pricing visit;
        //    30 days is not more than 30.                                            20 − 10 + 30 = 40 → not MQL.
        // 4: Vice President +20; Financial Services, 200 employees (inclusive) +15; pricing +15.
        //                                                                            20 + 15 + 15 = 50 → MQL (at 50).
        // 5: Manager 0; Software but 150 < 200 → 0; yahoo −10; demo +30; pricing +15; 31 days −10.
        //                                                                            −10 + 30 + 15 − 10 = 25.
        // 6: co-founder +20 ("founder", any case); "software" matches Software (text ignores case)
        //    and 5000 is inside 200–5000 +15; GMAIL.COM −10; days missing → no penalty. 20 + 15 − 10 = 25.
        XCTAssertEqual(s.map(\.total), [80, 10, 40, 50, 25, 25])
        XCTAssertEqual(s.map(\.fit), [35, 5, 10, 35, -10, 25])
        XCTAssertEqual(s.map(\.engagement), [45, 5, 30, 15, 35, 0])
        XCTAssertEqual(s.map(\.tier), ["MQL", "Not yet MQL", "Not yet MQL", "MQL", "Not yet MQL", "Not yet MQL"])
        XCTAssertEqual(s[1].points, ["Company in target profile": 15, "Free email address": -10, "Pricing page visited": 15, "No activity in 30 days": -10])
    }

    /// (c) target region +10, business email +5, pricing page +20,
    /// consultation requested +40, introductory guide downloaded +5,
    /// unsubscribed −20, student or job seeker −30; tiers ≥ 40 sales-ready,
    /// 20–39 nurture, below 20 low.
    func testExampleC() throws {
        let rules = try RulesTestSupport.fixture("literature-c.yaml")
        let csv = """
            Lead,Region,Email Type,Visited Pricing Page,Consultation Requested,Downloaded Intro Guide,Unsubscribed,Occupation
            1,North America,Business,Yes,Yes,No,No,Working Professional
            2,Asia,Free,Yes,No,Yes,No,Student
            3,Western Europe,Business,No,No,Yes,Yes,Job Seeker
            4,western europe,business,no,yes,no,no,
            5,Latin America,Business,yes,no,yes,no,Unemployed
            6,North America, Business ,No,No,No,No,student

            """
        let s = try RulesTestSupport.score(csv, rules: rules, in: self)
        // 1: region +10; business +5; pricing +20; consultation +40.              75 → Sales-ready (fit 15, engagement 60).
        // 2: Asia 0; free email 0; pricing +20; guide +5; student −30.            20 + 5 − 30 = −5 → Low (fit −30, engagement 25).
        // 3: region +10; business +5; guide +5; unsubscribed −20; job seeker −30. 10 + 5 + 5 − 20 − 30 = −30 → Low.
        // 4: lower-case region and email type still match: +10 +5; consultation +40. 55 → Sales-ready.
        // 5: business +5; pricing +20; guide +5.                                   30 → Nurture.
        // 6: region +10; " Business " (spaces trimmed) +5; "student" −30.          −15 → Low.
        XCTAssertEqual(s.map(\.total), [75, -5, -30, 55, 30, -15])
        XCTAssertEqual(s.map(\.fit), [15, -30, -15, 15, 5, -15])
        XCTAssertEqual(s.map(\.engagement), [60, 25, -15, 40, 25, 0])
        XCTAssertEqual(s.map(\.tier), ["Sales-ready", "Low", "Low", "Sales-ready", "Nurture", "Low"])
        for score in s { XCTAssertEqual(score.fit + score.engagement, score.total) }
    }

    /// The fixtures survive a trip through YAML and JSON.
    func testFixturesRoundTrip() throws {
        for name in ["literature-a.yaml", "literature-b.yaml", "literature-c.yaml"] {
            let rules = try RulesTestSupport.fixture(name)
            let yaml = try XCTUnwrap(rules.yamlText())
            XCTAssertEqual(try RuleSet.decode(yaml: yaml), rules, name + "\n" + yaml)
            let json = try JSONEncoder().encode(rules)
            XCTAssertEqual(try RuleSet.decode(json: json), rules, name)
        }
    }
}
