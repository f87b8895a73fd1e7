import XCTest

/// `score --tiers FILE` and `evaluate --tiers FILE`: each lead's tier and
/// each tier's counts, checked against a recomputation from the written
/// probabilities.
final class TierFileTests: XCTestCase {
    private let probabilityFile = """
        {"format": "leadscore-tiers", "formatVersion": 1, "measure": "probability",
         "tiers": [{"name": "Sales-ready", "action": "SQL", "atLeast": 0.41},
                   {"name": "MQL", "action": "MQL", "atLeast": 0.2},
                   {"name": "Nurture"}]}
        """

    /// The tier of probability `p` under `probabilityFile`, written out.
    private func expectedTier(_ p: Double) -> String {
        p >= 0.41 ? "Sales-ready" : p >= 0.2 ? "MQL" : "Nurture"
    }

    private var model: String { CLI.repositoryRoot.appendingPathComponent("models/b2b-deals.json").path }

    func testProbabilityTiersMatchEachRowsProbability() throws {
        let dir = try CLI.temporaryDirectory(self)
        let tiers = dir.appendingPathComponent("tiers.json").path, out = dir.appendingPathComponent("s.csv").path
        try probabilityFile.write(toFile: tiers, atomically: true, encoding: .utf8)
        let leads = CLI.repositoryRoot.appendingPathComponent("datasets/b2b-new-leads.csv").path
        let r = try CLI.run(["score", "--model", model, leads, "--tiers", tiers, "--reasons", "0", "-o", out])
        XCTAssertEqual(r.status, 0, r.stderr)
        // No field is quoted with --reasons 0 on this file's ids.
        let lines = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(lines[0], "Deal ID,probability,score,tier,fit_score,engagement_score,grid")
        var counts: [String: Int] = [:]
        var splitScores = Set<Int>()
        var tiersOfScore: [Int: Set<String>] = [:]
        for line in lines.dropFirst() {
            let f = line.split(separator: ",", omittingEmptySubsequences: false)
            let p = try XCTUnwrap(Double(f[1])), score = try XCTUnwrap(Int(f[2]))
            XCTAssertEqual(String(f[3]), expectedTier(p), String(line))
            counts[String(f[3]), default: 0] += 1
            tiersOfScore[score, default: []].insert(String(f[3]))
            if tiersOfScore[score]!.count > 1 { splitScores.insert(score) }
        }
        XCTAssertEqual(lines.count - 1, 5000)
        XCTAssertEqual(Set(counts.keys), ["Sales-ready", "MQL", "Nurture"])
        // The summary counts the same leads.
        let summary = counts.sorted { $0.key > $1.key }.map { "\($0.key) \($0.value)" }
        for part in summary { XCTAssertTrue(r.stderr.contains(part.replacingOccurrences(of: "(\\d)(\\d{3})$", with: "$1,$2", options: .regularExpression)), r.stderr) }
        // A cut on the probability splits the leads of score 41 (and of 20).
        XCTAssertTrue(splitScores.isSubset(of: [20, 41]), "\(splitScores)")
    }

    func testScoreTiersFileGivesTheInlineOutputByteForByte() throws {
        let dir = try CLI.temporaryDirectory(self)
        let tiers = dir.appendingPathComponent("tiers.json").path
        try """
            {"format": "leadscore-tiers", "formatVersion": 1, "measure": "score",
             "tiers": [{"name": "Hot", "atLeast": 70}, {"name": "Warm", "atLeast": 40}, {"name": "Cold"}]}
            """.write(toFile: tiers, atomically: true, encoding: .utf8)
        let leads = CLI.repositoryRoot.appendingPathComponent("datasets/b2b-new-leads.csv").path
        let a = dir.appendingPathComponent("a.csv").path, b = dir.appendingPathComponent("b.csv").path
        XCTAssertEqual(try CLI.run(["score", "--model", model, leads, "--tiers", tiers, "-o", a, "-q"]).status, 0)
        XCTAssertEqual(try CLI.run(["score", "--model", model, leads, "--tiers", "Hot:70,Warm:40,Cold", "-o", b, "-q"]).status, 0)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: a)), try Data(contentsOf: URL(fileURLWithPath: b)))
    }

    func testEvaluateTierTableEqualsARecount() throws {
        let dir = try CLI.temporaryDirectory(self)
        let tiers = dir.appendingPathComponent("tiers.json").path
        try probabilityFile.write(toFile: tiers, atomically: true, encoding: .utf8)
        let data = CLI.repositoryRoot.appendingPathComponent("datasets/b2b-deals.csv").path
        let report = dir.appendingPathComponent("r.json").path, predictions = dir.appendingPathComponent("p.csv").path
        let r = try CLI.run(["evaluate", "--model", model, data, "--tiers", tiers, "--json", report, "--predictions", predictions])
        XCTAssertEqual(r.status, 0, r.stderr)
        var leads: [String: Int] = [:], won: [String: Int] = [:]
        let lines = try String(contentsOfFile: predictions, encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(lines[0], "Deal ID,label,probability")
        for line in lines.dropFirst() {
            let f = line.split(separator: ",", omittingEmptySubsequences: false)
            let tier = expectedTier(try XCTUnwrap(Double(f[2])))
            leads[tier, default: 0] += 1
            if f[1] == "1" { won[tier, default: 0] += 1 }
        }
        let j = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: report))) as! [String: Any]
        let rows = ((j["scorers"] as! [[String: Any]])[0]["tiers"] as! [[String: Any]])
        XCTAssertEqual(rows.map { $0["tier"] as! String }, ["Sales-ready", "MQL", "Nurture"])
        for row in rows {
            let name = row["tier"] as! String
            XCTAssertEqual(row["count"] as? Int, leads[name] ?? 0, name)
            XCTAssertEqual(row["conversions"] as? Int, won[name] ?? 0, name)
        }
    }
}
