import XCTest

/// `score --account`: the account file against a recount from the lead
/// scores, with the noisy-or computed here as a plain product.
final class AccountTests: XCTestCase {
    private var model: String { CLI.repositoryRoot.appendingPathComponent("models/b2b-deals.json").path }
    private var rules: String { CLI.repositoryRoot.appendingPathComponent("models/b2b-deals.rules.yaml").path }
    private var deals: String { CLI.repositoryRoot.appendingPathComponent("datasets/b2b-deals.csv").path }

    func testModelAccountsMatchARecountFromTheLeadScores() throws {
        let dir = try CLI.temporaryDirectory(self)
        let scores = dir.appendingPathComponent("s.csv").path, accounts = dir.appendingPathComponent("a.csv").path
        let r = try CLI.run(["score", "--model", model, deals, "--reasons", "0", "-o", scores, "--account", "Account ID", "--accounts-output", accounts])
        XCTAssertEqual(r.status, 0, r.stderr)
        let data = try ThresholdsTests.table(deals), scored = try ThresholdsTests.table(scores), file = try ThresholdsTests.table(accounts)
        XCTAssertEqual(file.header, ["account", "leads", "probability_any", "score_any", "best_lead", "best_probability", "mean_probability", "tier"])
        let company = try XCTUnwrap(data.header.firstIndex(of: "Account ID"))
        var byAccount: [String: [(id: String, p: Double)]] = [:]
        for (d, s) in zip(data.rows, scored.rows) { byAccount[d[company], default: []].append((s[0], Double(s[1])!)) }
        XCTAssertEqual(file.rows.count, byAccount.count)
        XCTAssertTrue(r.stderr.contains("\(ModelNumberText.grouped(byAccount.count)) accounts written"), r.stderr)
        var previous = Double.infinity
        for row in file.rows {
            let leads = try XCTUnwrap(byAccount[row[0]], row[0])
            let any = 1 - leads.reduce(1.0) { $0 * (1 - $1.p) }
            let p = Double(row[2])!
            XCTAssertEqual(p, any, accuracy: 1e-12, row[0])
            XCTAssertLessThanOrEqual(p, previous, "best first")
            previous = p
            XCTAssertEqual(Int(row[1]), leads.count)
            XCTAssertEqual(Int(row[3]), Int((p * 100).rounded()))
            let best = leads.max { $0.p < $1.p }!.p
            XCTAssertEqual(Double(row[5]), best)
            XCTAssertEqual(leads.first { $0.p == best }!.id, row[4], "the first lead in the file among equals")
            XCTAssertEqual(Double(row[6])!, leads.reduce(0) { $0 + $1.p } / Double(leads.count), accuracy: 1e-12)
            let score = Int((p * 100).rounded())
            XCTAssertEqual(row[7], score >= 50 ? "A" : score >= 30 ? "B" : score >= 15 ? "C" : "D")
        }
    }

    func testRulesAccountsSumOrMaxOfPoints() throws {
        let dir = try CLI.temporaryDirectory(self)
        let scores = dir.appendingPathComponent("s.csv").path
        let data = try ThresholdsTests.table(deals)
        let company = try XCTUnwrap(data.header.firstIndex(of: "Account ID"))
        for how in ["sum", "max"] {
            let accounts = dir.appendingPathComponent("a-\(how).csv").path
            let r = try CLI.run([
                "score", "--rules", rules, deals, "--id", "Deal ID", "-o", scores, "--account", "Account ID", "--accounts-output", accounts,
                "--account-points", how,
            ])
            XCTAssertEqual(r.status, 0, r.stderr)
            let scored = try ThresholdsTests.table(scores), file = try ThresholdsTests.table(accounts)
            var byAccount: [String: [(points: Double, disqualified: Bool)]] = [:]
            for (d, s) in zip(data.rows, scored.rows) { byAccount[d[company], default: []].append((Double(s[1])!, !s[5].isEmpty)) }
            for row in file.rows.prefix(500) {
                let leads = try XCTUnwrap(byAccount[row[0]])
                let kept = leads.filter { !$0.disqualified }.map(\.points)
                XCTAssertEqual(Int(row[2]), leads.count - kept.count)
                guard !kept.isEmpty else { continue }
                XCTAssertEqual(Double(row[3])!, how == "sum" ? kept.reduce(0, +) : kept.max()!, accuracy: 1e-9, row[0])
            }
        }
        let bad = try CLI.run(["score", "--model", model, deals, "--account", "Account", "--accounts-output", dir.appendingPathComponent("x.csv").path])
        XCTAssertEqual(bad.status, 1)
        XCTAssertTrue(bad.stderr.contains("the file has no account column \"Account\""), bad.stderr)
        XCTAssertEqual(try CLI.run(["score", "--model", model, deals, "--account", "Account ID"]).status, 2)
    }

    /// `evaluate --account`: the accounts, their outcomes and the AUC of
    /// the noisy-or probability, recomputed here from the lead scores (the
    /// AUC by counting pairs).
    func testAccountLevelEvaluationMatchesARecount() throws {
        let dir = try CLI.temporaryDirectory(self)
        let scores = dir.appendingPathComponent("s.csv").path, report = dir.appendingPathComponent("r.json").path
        XCTAssertEqual(try CLI.run(["score", "--model", model, deals, "--reasons", "0", "-q", "-o", scores]).status, 0)
        let r = try CLI.run(["evaluate", "--model", model, deals, "--account", "Account ID", "--json", report])
        XCTAssertEqual(r.status, 0, r.stderr)
        let data = try ThresholdsTests.table(deals), scored = try ThresholdsTests.table(scores)
        let company = try XCTUnwrap(data.header.firstIndex(of: "Account ID")), stage = try XCTUnwrap(data.header.firstIndex(of: "Stage"))
        var order: [String] = [], survive: [String: Double] = [:], won: [String: Bool] = [:], leads = 0
        for (d, s) in zip(data.rows, scored.rows) where d[stage] == "Closed Won" || d[stage] == "Closed Lost" {
            leads += 1
            if survive[d[company]] == nil { order.append(d[company]) }
            survive[d[company], default: 1] *= 1 - Double(s[1])!
            won[d[company], default: false] = won[d[company], default: false] || d[stage] == "Closed Won"
        }
        let doc = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: report))) as? [String: Any])
        XCTAssertEqual(doc["accountColumn"] as? String, "Account ID")
        XCTAssertEqual(doc["accountLeads"] as? Int, leads)
        XCTAssertEqual(doc["rows"] as? Int, order.count)
        XCTAssertEqual(doc["positives"] as? Int, won.values.filter { $0 }.count)
        // AUC: P(won account above lost account), ties ½, by sorting.
        let pairs = order.map { (1 - survive[$0]!, won[$0]!) }.sorted { $0.0 < $1.0 }
        var rankSum = 0.0, i = 0
        while i < pairs.count {
            var j = i
            while j < pairs.count && pairs[j].0 == pairs[i].0 { j += 1 }
            let midRank = Double(i + j + 1) / 2
            rankSum += Double(pairs[i..<j].filter(\.1).count) * midRank
            i = j
        }
        let p = Double(pairs.filter(\.1).count), n = Double(pairs.count) - p
        let auc = (rankSum - p * (p + 1) / 2) / (p * n)
        let scorer = try XCTUnwrap((doc["scorers"] as? [[String: Any]])?.first)
        let ranking = try XCTUnwrap(scorer["ranking"] as? [String: Any])
        XCTAssertEqual(try XCTUnwrap(ranking["auc"] as? Double), auc, accuracy: 1e-9)
        XCTAssertTrue(r.stdout.contains("Evaluated \(order.count) accounts"), r.stdout)
    }
}
