import XCTest

/// `leadscore review`: each tier's expected and observed conversions
/// recounted from `score`'s output, and the recommendation on three
/// versions of the same deals whose truth is known: unchanged (keep), with
/// half the lost deals left out (the base rate moved, the ranking did not:
/// recalibrate), and with the outcomes shuffled (the ranking is gone:
/// retrain).
final class ReviewTests: XCTestCase {
    private var model: String { CLI.repositoryRoot.appendingPathComponent("models/b2b-deals.json").path }
    private var newLeads: String { CLI.repositoryRoot.appendingPathComponent("datasets/b2b-new-leads.csv").path }

    private func review(_ file: String, in dir: URL) throws -> [String: Any] {
        let json = dir.appendingPathComponent("review-\(UUID().uuidString).json").path
        let r = try CLI.run(["review", "--model", model, file, "--json", json])
        XCTAssertEqual(r.status, 0, r.stderr)
        return try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: json))) as? [String: Any])
    }

    func testTiersRecountedFromTheScores() throws {
        let dir = try CLI.temporaryDirectory(self)
        let scores = dir.appendingPathComponent("s.csv").path
        XCTAssertEqual(try CLI.run(["score", "--model", model, newLeads, "--reasons", "0", "-q", "-o", scores]).status, 0)
        let data = try ThresholdsTests.table(newLeads), scored = try ThresholdsTests.table(scores)
        let stage = try XCTUnwrap(data.header.firstIndex(of: "Stage"))
        var expected: [String: Double] = [:], observed: [String: Int] = [:], count: [String: Int] = [:]
        for (d, s) in zip(data.rows, scored.rows) where d[stage] == "Closed Won" || d[stage] == "Closed Lost" {
            expected[s[3], default: 0] += Double(s[1])!
            observed[s[3], default: 0] += d[stage] == "Closed Won" ? 1 : 0
            count[s[3], default: 0] += 1
        }
        let doc = try review(newLeads, in: dir)
        let tiers = try XCTUnwrap(doc["tiers"] as? [[String: Any]])
        XCTAssertEqual(tiers.map { $0["name"] as? String }, ["A", "B", "C", "D"])
        for t in tiers {
            let name = try XCTUnwrap(t["name"] as? String)
            XCTAssertEqual(t["leads"] as? Int, count[name] ?? 0, name)
            XCTAssertEqual(t["observed"] as? Int, observed[name] ?? 0, name)
            XCTAssertEqual(try XCTUnwrap(t["expected"] as? Double), expected[name] ?? 0, accuracy: 1e-9, name)
        }
        XCTAssertEqual(doc["action"] as? String, "keep")
    }

    func testRecommendationFollowsWhatChanged() throws {
        let dir = try CLI.temporaryDirectory(self)
        let text = try String(contentsOfFile: newLeads, encoding: .utf8)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        // Half the lost deals left out: the base rate rises from about 21% to
        // about 35%, each lead's ranking untouched.
        var lost = 0
        let fewerLost = [lines[0]] + lines.dropFirst().filter { line in
            guard line.hasSuffix(",Closed Lost") else { return true }
            lost += 1
            return lost % 2 == 0
        }
        let shifted = try dir.write(fewerLost.joined(separator: "\n") + "\n", to: "fewer-lost.csv")
        let recalibrate = try review(shifted, in: dir)
        XCTAssertEqual(recalibrate["action"] as? String, "recalibrateIntercept")
        let calibration = try XCTUnwrap(recalibrate["calibration"] as? [String: Any])
        XCTAssertGreaterThan(try XCTUnwrap((calibration["inTheLargeInterval"] as? [Double])?.first), 0, "more wins than expected")

        // The outcomes shuffled among the deals (a fixed rotation): the
        // model's ranking no longer matches them.
        let outcomes = lines.dropFirst().map { String($0[$0.index(after: $0.lastIndex(of: ",")!)...]) }
        let rotated = Array(outcomes.dropFirst(997)) + Array(outcomes.prefix(997))
        let shuffled = [lines[0]] + zip(lines.dropFirst(), rotated).map { line, outcome in String(line[...line.lastIndex(of: ",")!]) + outcome }
        let noise = try dir.write(shuffled.joined(separator: "\n") + "\n", to: "shuffled.csv")
        let retrain = try review(noise, in: dir)
        XCTAssertEqual(retrain["action"] as? String, "retrain")
        let ranking = try XCTUnwrap(retrain["ranking"] as? [String: Any])
        XCTAssertEqual(try XCTUnwrap(ranking["aucNow"] as? Double), 0.5, accuracy: 0.05)

        let r = try CLI.run(["review", "--model", model, noise])
        XCTAssertTrue(r.stdout.contains("Next: retrain on the history including these deals"), r.stdout)
    }

    /// An input moved far from the training rows: retrain, naming it,
    /// even where the ranking alone would not say so.
    func testDriftedInputsAskForARetrain() throws {
        let dir = try CLI.temporaryDirectory(self)
        let table = try ThresholdsTests.table(newLeads)
        let visits = try XCTUnwrap(table.header.firstIndex(of: "Pricing Page Visits"))
        var lines = try String(contentsOfFile: newLeads, encoding: .utf8).split(separator: "\n").map(String.init)
        // The files' records have no line breaks inside fields; the column is
        // a plain count, so the k-th comma-separated field of a record is
        // found by counting fields, quotes respected.
        for i in 1..<lines.count {
            var fields = ThresholdsTests.fields(Substring(lines[i]))
            fields[visits] = String(Int(fields[visits])! + 2)
            lines[i] = fields.map { $0.contains(",") || $0.contains("\"") ? "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : $0 }
                .joined(separator: ",")
        }
        let shifted = try dir.write(lines.joined(separator: "\n") + "\n", to: "more-visits.csv")
        let doc = try review(shifted, in: dir)
        XCTAssertEqual(doc["action"] as? String, "retrain")
        let drift = try XCTUnwrap(doc["drift"] as? [[String: Any]])
        let acted = drift.filter { $0["verdict"] as? String == "act" }.compactMap { $0["name"] as? String }
        XCTAssertEqual(acted, ["Pricing Page Visits"])
        let reasons = try XCTUnwrap(doc["reasons"] as? [String]).joined()
        XCTAssertTrue(reasons.contains("inputs drifted: Pricing Page Visits"), reasons)
        // The same leads as they are: every column stable.
        let plain = try XCTUnwrap(try review(newLeads, in: dir)["drift"] as? [[String: Any]])
        XCTAssertTrue(plain.allSatisfy { $0["verdict"] as? String == "stable" }, "\(plain)")
    }
}
