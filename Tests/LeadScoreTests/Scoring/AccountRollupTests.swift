import XCTest

@testable import LeadScore

/// The account roll-up: noisy-or against a direct product, the rules'
/// sum and maximum, and the same bytes however the file is cut.
final class AccountRollupTests: XCTestCase {
    func testNoisyOrBestLeadAndOrder() {
        var leads = AccountLeads()
        // Account "a": p = 0.5, 0.2, 0.2 (ids 1–3); "b": one lead, p = 0.9;
        // a lead without an account.
        for (account, id, p) in [("a", "x1", 0.5), ("b", "y1", 0.9), ("a", "x2", 0.2), (nil, "z", 0.99), ("a", "x3", 0.2)] as [(String?, String, Double)] {
            leads.append(account: account, id: id, value: log(p / (1 - p)))
        }
        let rows = AccountRollup.accounts(leads, model: .standard)
        XCTAssertEqual(rows.map(\.account), ["b", "a"], "best first: b at 0.9, a at 1 − 0.5·0.8·0.8 = 0.68")
        let a = rows.first { $0.account == "a" }!
        XCTAssertEqual(a.probability, 1 - 0.5 * 0.8 * 0.8, accuracy: 1e-15)
        XCTAssertEqual(a.leads, 3)
        XCTAssertEqual(a.bestLead, "x1")
        XCTAssertEqual(a.bestValue, 0.5, accuracy: 1e-15)
        XCTAssertEqual(a.mean, 0.3, accuracy: 1e-15)
        XCTAssertEqual(a.score, 68)
        XCTAssertEqual(a.tier, "A")
        // Many tiny probabilities: the direct product loses nothing here,
        // and −expm1(−Σ softplus) keeps full precision where 1 − Π would not.
        var tiny = AccountLeads()
        for _ in 0..<1000 { tiny.append(account: "t", id: nil, value: log(1e-12 / (1 - 1e-12))) }
        let t = AccountRollup.accounts(tiny, model: .standard)[0]
        XCTAssertEqual(t.probability, -expm1(1000 * log1p(-1e-12)), accuracy: 1e-21, "relative 1e-12: η = logit(1e-12) is itself rounded")
        XCTAssertEqual(t.bestLead, "1", "without ids, the first lead's row number")
    }

    func testRulesSumMaxAndDisqualified() throws {
        let rules = RuleSet(
            name: "r", rules: [], tiers: [RuleTier("Hot", atLeast: 50), RuleTier("Cold")],
            disqualify: [])
        var leads = AccountLeads()
        leads.append(account: "a", id: "1", value: 30)
        leads.append(account: "a", id: "2", value: 40)
        leads.append(account: "a", id: "3", value: 90, disqualifiedTier: "Disqualified")
        leads.append(account: "b", id: "4", value: 10, disqualifiedTier: "Competitor")
        let sum = AccountRollup.accounts(leads, rules: rules, points: .sum)
        XCTAssertEqual(sum.map(\.account), ["a", "b"])
        XCTAssertEqual(sum[0].score, 70)
        XCTAssertEqual(sum[0].tier, "Hot")
        XCTAssertEqual(sum[0].leads, 3)
        XCTAssertEqual(sum[0].disqualifiedLeads, 1)
        XCTAssertEqual(sum[0].bestLead, "2")
        XCTAssertEqual(sum[1].tier, "Competitor")
        let max = AccountRollup.accounts(leads, rules: rules, points: .max)
        XCTAssertEqual(max[0].score, 40)
        XCTAssertEqual(max[0].tier, "Cold")
    }
}
