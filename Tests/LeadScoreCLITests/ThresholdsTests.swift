import XCTest

/// `leadscore thresholds`: each cut and each count checked against a
/// recount from `score`'s output and the data file, done here without the
/// library: the leads sorted by hand, the dates read by hand, the Wilson
/// interval from its closed form.
final class ThresholdsTests: XCTestCase {
    private var model: String { CLI.repositoryRoot.appendingPathComponent("models/b2b-deals.json").path }
    private var rules: String { CLI.repositoryRoot.appendingPathComponent("models/b2b-deals.rules.yaml").path }
    private var deals: String { CLI.repositoryRoot.appendingPathComponent("datasets/b2b-deals.csv").path }
    private var newLeads: String { CLI.repositoryRoot.appendingPathComponent("datasets/b2b-new-leads.csv").path }

    /// The fields of one RFC 4180 record without line breaks inside fields.
    static func fields(_ line: Substring) -> [String] {
        var out: [String] = [], field = "", quoted = false, previousQuote = false
        for ch in line {
            if quoted {
                if ch == "\"" { quoted = false; previousQuote = true } else { field.append(ch) }
            } else if ch == "\"" {
                if previousQuote { field.append("\"") }
                quoted = true
                previousQuote = false
            } else if ch == "," {
                out.append(field)
                field = ""
                previousQuote = false
            } else {
                field.append(ch)
                previousQuote = false
            }
        }
        out.append(field)
        return out
    }

    /// A CSV file as header and records.
    static func table(_ path: String) throws -> (header: [String], rows: [[String]]) {
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        return (fields(lines[0]), lines.dropFirst().map(fields))
    }

    /// Days since 1970-01-01 of `YYYY-MM-DD` (Howard Hinnant's days_from_civil).
    static func day(_ text: String) -> Int {
        let p = text.prefix(10).split(separator: "-").map { Int($0)! }
        let y = p[1] <= 2 ? p[0] - 1 : p[0], m = p[1], d = p[2]
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    /// Wilson 95% interval of k in n, closed form (z = 1.959963984540054).
    static func wilson(_ k: Int, _ n: Int) -> (Double, Double) {
        let z = 1.959963984540054, nn = Double(n), q = Double(k) / nn
        let centre = (q + z * z / (2 * nn)) / (1 + z * z / nn)
        let half = z * (q * (1 - q) / nn + z * z / (4 * nn * nn)).squareRoot() / (1 + z * z / nn)
        return (max(0, centre - half), min(1, centre + half))
    }

    private func json(_ path: String) throws -> [String: Any] {
        try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
    }

    /// The cuts of a tiers file, read with JSONDecoder: JSONSerialization
    /// may round a number's last digit, and a cut is compared exactly.
    private func cuts(_ tiersFile: String) throws -> [Double] {
        struct File: Decodable {
            struct Tier: Decodable { let atLeast: Double? }
            let tiers: [Tier]
        }
        return try JSONDecoder().decode(File.self, from: Data(contentsOf: URL(fileURLWithPath: tiersFile))).tiers.compactMap(\.atLeast)
    }

    /// The model on the bundled history: capacity for the top tier, recall
    /// for the second, chosen on the older 70% of rows, reported on the rest.
    func testCapacityAndRecallCutsMatchARecount() throws {
        let dir = try CLI.temporaryDirectory(self)
        let tiersFile = dir.appendingPathComponent("tiers.json").path, report = dir.appendingPathComponent("report.json").path
        let scores = dir.appendingPathComponent("scores.csv").path
        let r = try CLI.run([
            "thresholds", "--model", model, deals, "--time-column", "Created Date", "--tier", "Sales-ready (SQL): capacity=40/week",
            "--tier", "MQL: recall=80%", "--tier", "Nurture", "-o", tiersFile, "--json", report,
        ])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(try CLI.run(["score", "--model", model, deals, "--reasons", "0", "-q", "-o", scores]).status, 0)
        let (cut1, cut2) = try { let c = try cuts(tiersFile); return (c[0], c[1]) }()
        XCTAssertGreaterThan(cut1, cut2)

        // Each deal's date, outcome and probability.
        let data = try Self.table(deals)
        let dateAt = try XCTUnwrap(data.header.firstIndex(of: "Created Date")), stageAt = try XCTUnwrap(data.header.firstIndex(of: "Stage"))
        let scored = try Self.table(scores)
        XCTAssertEqual(scored.rows.count, data.rows.count)
        struct Lead { var day: Int, won: Bool?, p: Double }
        let leads = zip(data.rows, scored.rows).map { d, s in
            Lead(day: Self.day(d[dateAt]), won: d[stageAt] == "Closed Won" ? true : d[stageAt] == "Closed Lost" ? false : nil, p: Double(s[1])!)
        }
        let doc = try json(report)
        let parts = try XCTUnwrap(doc["parts"] as? [[String: Any]])
        XCTAssertEqual(parts.map { $0["role"] as? String }, ["choose", "report"])
        let testFrom = Self.day(try XCTUnwrap(parts[1]["from"] as? String))
        let firstDay = leads.map(\.day).min()!, lastDay = leads.map(\.day).max()!
        // The default split leaves at least 70% of the rows before it, and
        // fewer than 70% before the day before.
        let before = leads.filter { $0.day < testFrom }.count
        XCTAssertGreaterThanOrEqual(Double(before), 0.7 * Double(leads.count))
        XCTAssertLessThan(Double(leads.filter { $0.day < testFrom - 1 }.count), 0.7 * Double(leads.count))

        // Capacity: the most leads whose share times the arrival rate stays
        // within 40 a week; one more score value would exceed it.
        let choose = leads.filter { $0.day < testFrom && $0.won != nil }
        let arrivalPerDay = Double(before) / Double(testFrom - firstDay)
        let allowed = Int((40.0 / 7 / arrivalPerDay * Double(choose.count)).rounded(.down))
        let top = choose.filter { $0.p >= cut1 }.count
        XCTAssertLessThanOrEqual(top, allowed)
        let nextBelow = try XCTUnwrap(choose.map(\.p).filter { $0 < cut1 }.max())
        XCTAssertGreaterThan(choose.filter { $0.p >= nextBelow }.count, allowed)
        XCTAssertTrue(choose.contains { $0.p == cut1 }, "a cut is a lead's own score")

        // Recall: the top two tiers catch at least 80% of the conversions;
        // the next score value up would not.
        let won = choose.filter { $0.won! }.count
        XCTAssertGreaterThanOrEqual(Double(choose.filter { $0.won! && $0.p >= cut2 }.count), 0.8 * Double(won))
        let nextAbove = try XCTUnwrap(choose.map(\.p).filter { $0 > cut2 }.min())
        XCTAssertLessThan(Double(choose.filter { $0.won! && $0.p >= nextAbove }.count), 0.8 * Double(won))

        // Every part's counts, rates and Wilson intervals.
        func tier(_ p: Double) -> String { p >= cut1 ? "Sales-ready" : p >= cut2 ? "MQL" : "Nurture" }
        for (part, range) in zip(parts, [firstDay..<testFrom, testFrom..<(lastDay + 1)]) {
            let inPart = leads.filter { range.contains($0.day) && $0.won != nil }
            let allWon = inPart.filter { $0.won! }.count
            XCTAssertEqual(part["leads"] as? Int, inPart.count)
            XCTAssertEqual(part["rows"] as? Int, leads.filter { range.contains($0.day) }.count)
            let rows = try XCTUnwrap(part["tiers"] as? [[String: Any]])
            XCTAssertEqual(rows.map { $0["name"] as? String }, ["Sales-ready", "MQL", "Nurture"])
            for row in rows {
                let members = inPart.filter { tier($0.p) == row["name"] as? String }
                let k = members.filter { $0.won! }.count
                XCTAssertEqual(row["leads"] as? Int, members.count)
                XCTAssertEqual(row["conversions"] as? Double, Double(k))
                let rate = try XCTUnwrap(row["conversionRateInterval"] as? [Double]), w = Self.wilson(k, members.count)
                XCTAssertEqual(rate[0], w.0, accuracy: 1e-12)
                XCTAssertEqual(rate[1], w.1, accuracy: 1e-12)
                let share = try XCTUnwrap(row["shareOfConversionsInterval"] as? [Double]), ws = Self.wilson(k, allWon)
                XCTAssertEqual(share[0], ws.0, accuracy: 1e-12)
                XCTAssertEqual(share[1], ws.1, accuracy: 1e-12)
            }
        }

        // Months: every lead with an outcome, in its calendar month.
        let months = try XCTUnwrap(doc["months"] as? [[String: Any]])
        XCTAssertEqual(months.count, 24)
        let dates = data.rows.map { $0[dateAt] }
        for m in months {
            let key = try XCTUnwrap(m["month"] as? String)
            let members = leads.indices.filter { dates[$0].hasPrefix(key) && leads[$0].won != nil }.map { leads[$0] }
            let counts = ["Sales-ready", "MQL", "Nurture"].map { name in members.filter { tier($0.p) == name }.count }
            XCTAssertEqual(m["tiers"] as? [Int], counts, key)
            XCTAssertEqual(m["complete"] as? Bool, true, key)
        }
    }

    /// Grid cut-offs from shares: each the lowest whole sub-score that keeps
    /// its band within its share of the older leads, recounted from
    /// `score`'s sub-score columns; `score --tiers` then cuts the grid there.
    func testGridSharesMatchARecountOfTheSubScores() throws {
        let dir = try CLI.temporaryDirectory(self)
        let tiersFile = dir.appendingPathComponent("tiers.json").path, report = dir.appendingPathComponent("report.json").path
        let scores = dir.appendingPathComponent("scores.csv").path
        let r = try CLI.run([
            "thresholds", "--model", model, deals, "--time-column", "Created Date", "--tier", "Top: share=20%", "--tier", "Rest",
            "--grid-shares", "25%,50%,75%", "-o", tiersFile, "--json", report,
        ])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(try CLI.run(["score", "--model", model, deals, "--tiers", tiersFile, "--reasons", "0", "-q", "-o", scores]).status, 0)
        struct File: Decodable {
            struct Grid: Decodable { let fit: [Int], engagement: [Int] }
            let grid: Grid
        }
        let grid = try JSONDecoder().decode(File.self, from: Data(contentsOf: URL(fileURLWithPath: tiersFile))).grid
        let data = try Self.table(deals), scored = try Self.table(scores)
        XCTAssertEqual(Array(scored.header.suffix(3)), ["fit_score", "engagement_score", "grid"])
        let dateAt = try XCTUnwrap(data.header.firstIndex(of: "Created Date")), stageAt = try XCTUnwrap(data.header.firstIndex(of: "Stage"))
        let parts = try XCTUnwrap(try json(report)["parts"] as? [[String: Any]])
        let testFrom = Self.day(try XCTUnwrap(parts[1]["from"] as? String))
        let older = zip(data.rows, scored.rows).filter { d, _ in Self.day(d[dateAt]) < testFrom && d[stageAt].hasPrefix("Closed") }.map(\.1)
        for (axis, column, cuts) in [("fit", 4, grid.fit), ("engagement", 5, grid.engagement)] {
            let values = older.map { Int($0[column])! }
            for (share, cut) in zip([0.25, 0.5, 0.75], cuts) {
                let allowed = Int((share * Double(values.count)).rounded(.down))
                XCTAssertLessThanOrEqual(values.filter { $0 >= cut }.count, allowed, "\(axis) \(share)")
                XCTAssertGreaterThan(values.filter { $0 >= cut - 1 }.count, allowed, "\(axis) \(share): one point lower takes too many")
            }
        }
        for row in scored.rows.prefix(2000) {
            let f = Int(row[4])!, e = Int(row[5])!
            let letter = grid.fit.firstIndex { f >= $0 }.map { ["A", "B", "C"][$0] } ?? "D"
            let digit = grid.engagement.firstIndex { e >= $0 }.map { String($0 + 1) } ?? "4"
            XCTAssertEqual(row[6], letter + digit)
        }
    }

    /// The cuts stored in a copy of the model card: `score` with that card
    /// writes what `score --tiers` writes with the tiers file, byte for
    /// byte; an edited card gets no copy.
    func testTiersStoredInAModelCardScoreAsTheTiersFile() throws {
        let dir = try CLI.temporaryDirectory(self)
        let tiersFile = dir.appendingPathComponent("tiers.json").path, card = dir.appendingPathComponent("card.json").path
        let r = try CLI.run([
            "thresholds", "--model", model, deals, "--time-column", "Created Date", "--tier", "Hot: capacity=40/week", "--tier", "Warm: recall=80%",
            "--tier", "Cold", "--grid-shares", "25%,50%,75%", "-o", tiersFile, "--model-output", card,
        ])
        XCTAssertEqual(r.status, 0, r.stderr)
        let a = dir.appendingPathComponent("a.csv").path, b = dir.appendingPathComponent("b.csv").path
        XCTAssertEqual(try CLI.run(["score", "--model", card, newLeads, "-q", "-o", a]).status, 0)
        XCTAssertEqual(try CLI.run(["score", "--model", model, newLeads, "--tiers", tiersFile, "-q", "-o", b]).status, 0)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: a)), try Data(contentsOf: URL(fileURLWithPath: b)))
        XCTAssertTrue(try String(contentsOfFile: a, encoding: .utf8).contains(",Hot,"))
        XCTAssertEqual(try json(card)["formatVersion"] as? Int, 3)
        let diff = try CLI.run(["diff", model, card])
        XCTAssertEqual(diff.status, 1)
        XCTAssertTrue(diff.stdout.contains("tiers: (none) → Hot:p≥"), diff.stdout)
        // inspect names the stored tiers, and the measurement date the card keeps.
        let inspect = try CLI.run(["inspect", card])
        XCTAssertEqual(inspect.status, 0, inspect.stderr)
        XCTAssertTrue(inspect.stdout.contains("Tiers: Hot:p≥"), inspect.stdout)
        XCTAssertTrue(inspect.stdout.contains("Measured on: \"Days Since Last Activity\" on 2026-06-30"), inspect.stdout)
        // An edited card is not re-issued with a fresh checksum.
        var text = try String(contentsOfFile: model, encoding: .utf8)
        text = text.replacingOccurrences(of: "\"fileRows\" : ", with: "\"fileRows\" : 1")
        let edited = try dir.write(text, to: "edited.json")
        let refused = try CLI.run([
            "thresholds", "--model", edited, "--allow-edited-model", deals, "--tier", "Hot: share=10%", "--tier", "Cold", "--model-output",
            dir.appendingPathComponent("laundered.json").path,
        ])
        XCTAssertEqual(refused.status, 1, refused.stderr)
        XCTAssertTrue(refused.stderr.contains("the tiers can be stored only in a model card whose checksum holds"), refused.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("laundered.json").path))
    }

    /// A rules file on a new batch: cuts on points; the disqualified keep
    /// their tier and are counted against the capacity but never ranked;
    /// `score --rules --tiers` applies the cuts.
    func testRulesCutOnPointsAndDisqualifiedLeadsStayOut() throws {
        let dir = try CLI.temporaryDirectory(self)
        let tiersFile = dir.appendingPathComponent("tiers.json").path, scores = dir.appendingPathComponent("scores.csv").path
        let r = try CLI.run([
            "thresholds", "--rules", rules, newLeads, "--rate", "190/week", "--tier", "A (SQL): capacity=40/week", "--tier", "B: share=30%",
            "--tier", "C", "-o", tiersFile,
        ])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("cut on points"), r.stdout)
        XCTAssertEqual(try json(tiersFile)["measure"] as? String, "points")
        let s = try CLI.run(["score", "--rules", rules, newLeads, "--id", "Deal ID", "--tiers", tiersFile, "-o", scores])
        XCTAssertEqual(s.status, 0, s.stderr)
        let (cutA, cutB) = try { let c = try cuts(tiersFile); return (c[0], c[1]) }()
        let table = try Self.table(scores)
        let points = table.rows.map { Double($0[1])! }, tiers = table.rows.map { $0[4] }, disqualified = table.rows.map { !$0[5].isEmpty }
        let n = points.count
        XCTAssertEqual(n, 5000)
        XCTAssertTrue(disqualified.contains(true))
        for i in 0..<n {
            XCTAssertEqual(tiers[i], disqualified[i] ? "Disqualified" : points[i] >= cutA ? "A" : points[i] >= cutB ? "B" : "C", "row \(i + 1)")
        }
        let ranked = (0..<n).filter { !disqualified[$0] }.map { points[$0] }
        // A: at most 40/190 of all 5,000 leads; one more points value over.
        let allowedA = Int((40.0 / 190 * Double(n)).rounded(.down))
        XCTAssertLessThanOrEqual(ranked.filter { $0 >= cutA }.count, allowedA)
        XCTAssertGreaterThan(ranked.filter { $0 >= ranked.filter { $0 < cutA }.max()! }.count, allowedA)
        // B: at most 30% of the leads, below A.
        let allowedB = Int((0.3 * Double(n)).rounded(.down))
        let inB = ranked.filter { $0 < cutA && $0 >= cutB }.count
        XCTAssertLessThanOrEqual(inB, allowedB)
        XCTAssertGreaterThan(ranked.filter { $0 < cutA && $0 >= ranked.filter { $0 < cutB }.max()! }.count, allowedB)
        XCTAssertTrue(s.stderr.contains("A \(ModelNumberText.grouped(ranked.filter { $0 >= cutA }.count))"), s.stderr)
    }

    /// A model on a batch without the outcome: recall counts the model's
    /// expected conversions, the sum of its probabilities.
    func testNewBatchRecallUsesExpectedConversions() throws {
        let dir = try CLI.temporaryDirectory(self)
        // The new leads without their outcome column (the last one).
        let text = try String(contentsOfFile: newLeads, encoding: .utf8)
        let batch = try dir.write(
            text.split(separator: "\n").map { line in String(line[..<line.lastIndex(of: ",")!]) }.joined(separator: "\n") + "\n", to: "batch.csv")
        let tiersFile = dir.appendingPathComponent("tiers.json").path, report = dir.appendingPathComponent("report.json").path
        let r = try CLI.run(["thresholds", "--model", model, batch, "--tier", "Hot: recall=0.5", "--tier", "Rest", "-o", tiersFile, "--json", report])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(try json(report)["labelled"] as? Bool, false)
        let scored = try Self.table(try { () throws -> String in
            let out = dir.appendingPathComponent("scores.csv").path
            XCTAssertEqual(try CLI.run(["score", "--model", model, batch, "--reasons", "0", "-q", "-o", out]).status, 0)
            return out
        }())
        let p = scored.rows.map { Double($0[1])! }
        let cut = try cuts(tiersFile)[0], total = p.reduce(0, +)
        XCTAssertGreaterThanOrEqual(p.filter { $0 >= cut }.reduce(0, +), 0.5 * total * (1 - 1e-12))
        let nextAbove = try XCTUnwrap(p.filter { $0 > cut }.min())
        XCTAssertLessThan(p.filter { $0 >= nextAbove }.reduce(0, +), 0.5 * total)
    }

    func testRefusals() throws {
        let dir = try CLI.temporaryDirectory(self)
        func refuses(_ args: [String], status: Int32 = 1, saying text: String, file: StaticString = #filePath, line: UInt = #line) throws {
            let r = try CLI.run(args.first == "score" || args.first == "evaluate" ? args : ["thresholds"] + args)
            XCTAssertEqual(r.status, status, r.stderr, file: file, line: line)
            XCTAssertTrue(r.stderr.contains(text), r.stderr, file: file, line: line)
        }
        // A precision no tier below the top half reaches.
        try refuses(
            ["--model", model, deals, "--tier", "Top: share=50%", "--tier", "Next: precision=90%", "--tier", "Rest"],
            saying: "no tier \"Next\" converts at 90.0% or more")
        // A capacity without an arrival rate.
        try refuses(["--model", model, deals, "--tier", "Top: capacity=50/week", "--tier", "Rest"], saying: "--time-column")
        // Recall on a rules file without an outcome.
        try refuses(["--rules", rules, newLeads, "--tier", "Top: recall=50%", "--tier", "Rest"], saying: "needs to know which leads convert")
        // A recall the tiers above already reach; a tier they leave no leads for.
        try refuses(
            ["--model", model, deals, "--tier", "A: recall=90%", "--tier", "B: recall=50%", "--tier", "C"],
            saying: "the tiers above \"B\" already catch")
        try refuses(
            ["--model", model, deals, "--tier", "A: share=100%", "--tier", "B: share=10%", "--tier", "C"],
            saying: "the tiers above \"B\" already take every lead")
        // Usage errors: the grammar of a tier, a last tier with targets, one tier.
        try refuses(["--model", model, deals, "--tier", "A: capacity=lots", "--tier", "B"], status: 2, saying: "is not a positive number of leads per period")
        try refuses(["--model", model, deals, "--tier", "A: share=0.1", "--tier", "B: share=0.2"], status: 2, saying: "the last tier, \"B\", has targets")
        try refuses(["--model", model, deals, "--tier", "A"], status: 2, saying: "cut-offs need at least two tiers")
        try refuses(["--model", model, deals, "--tier", "A: speed=3", "--tier", "B"], status: 2, saying: "\"speed\" in the tier")
        // Tiers files on the wrong scorer.
        let points = try dir.write(
            #"{"format": "leadscore-tiers", "formatVersion": 1, "measure": "points", "tiers": [{"name": "A", "atLeast": 40}, {"name": "B"}]}"#,
            to: "points.json")
        try refuses(["score", "--model", model, newLeads, "--tiers", points], saying: "cuts on a rules file's points")
        let probability = try dir.write(
            #"{"format": "leadscore-tiers", "formatVersion": 1, "measure": "probability", "tiers": [{"name": "A", "atLeast": 0.4}, {"name": "B"}]}"#,
            to: "p.json")
        try refuses(["score", "--rules", rules, newLeads, "--tiers", probability], saying: "these tiers cut on the probability, and a rules file gives points")
        try refuses(["evaluate", "--model", model, newLeads, "--tiers", points], saying: "no --rules is evaluated")
    }
}

/// Thousands separators as the tool prints counts.
enum ModelNumberText {
    static func grouped(_ n: Int) -> String {
        let digits = String(n)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return out
    }
}
