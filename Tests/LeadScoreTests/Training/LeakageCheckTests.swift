import XCTest

@testable import LeadScore

/// The leakage check counts rows per distinct score instead of sorting
/// them; its AUCs and near-pure levels must be exactly those of the
/// definitions (`RankingReference.columnAUCs`, `pureLevelsByText`).
final class LeakageCheckTests: XCTestCase {
    /// Columns with no dictionary codes: their text representation is
    /// dropped after `cap` distinct values.
    static let caps = ["Amount": 5, "Small": 2, "Opened": 5, "Binary": 1]

    func table(_ csv: String) throws -> RawTable {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("leakage-\(UUID().uuidString).csv")
        try Data(csv.utf8).write(to: url)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return try RawTable.read(path: url.path, parser: ValueParser(), levelCap: { Self.caps[$0] ?? 1000 })
    }

    static let kinds: [(String, ColumnKind)] = [
        ("Source", .categorical), ("Flag", .boolean), ("Binary", .boolean), ("BinaryCoded", .boolean),
        ("Visits", .numeric), ("Amount", .numeric), ("Small", .numeric), ("Created", .date), ("Opened", .date),
        ("Late", .numeric), ("Tag", .categorical),
    ]

    func schema(_ t: RawTable) throws -> InferredSchema {
        InferredSchema(
            target: TargetSpec(column: "Won", positive: ["1"], negative: []), targetIndex: try XCTUnwrap(t.index(of: "Won")),
            idIndices: [], weightIndex: nil,
            features: try Self.kinds.map { (try XCTUnwrap(t.index(of: $0.0)), $0.1) }, notices: [])
    }

    /// A table with every kind of column and the awkward cases: missing
    /// values, a level spelled "(missing)", booleans in several spellings,
    /// numbers written two ways ("3", "3.0"; "0", "-0"), values present
    /// only outside the training rows, a tag that nearly decides the outcome.
    func randomTable(rows n: Int, rng: inout SeededGenerator) throws -> (RawTable, labels: [Double]) {
        var csv = "Won,Source,Flag,Binary,BinaryCoded,Visits,Amount,Small,Created,Opened,Late,Tag\n"
        var labels: [Double] = []
        let sources = ["Web", "Email", "Event", "(missing)", "Partner", "Rare"]
        let flags = ["Yes", "yes", "Y", "1", "TRUE", "No", "no", "0", "false", "N", ""]
        let tags = ["Closed", "Will revert", "Ringing", "", "Busy"]
        for i in 0..<n {
            let y = rng.uniform() < 0.35 ? 1 : 0
            labels.append(Double(y))
            func missing(_ share: Double) -> Bool { rng.uniform() < share }
            let source = missing(0.1) ? "" : sources[min(rng.index(below: sources.count) + (y == 1 ? 1 : 0), sources.count - 1)]
            let flag = flags[rng.index(below: flags.count)]
            let binary = missing(0.05) ? "" : (rng.uniform() < 0.3 + 0.3 * Double(y) ? "1" : "0")
            let visitsValue = rng.index(below: 6) + y
            let visits = missing(0.2) ? "" : visitsValue == 0 ? (rng.index(below: 2) == 0 ? "0" : "-0") : rng.index(below: 2) == 0 ? "\(visitsValue)" : "\(visitsValue).0"
            let amount = missing(0.15) ? "" : String(format: "%.1f", (rng.uniform() - 0.3) * 100 + Double(y) * 10)
            let small = missing(0.3) ? "" : ["-1", "2", "2.5", "7"][rng.index(below: 4)]
            let day = 1 + rng.index(below: 28)
            let created = missing(0.1) ? "" : "2025-03-\(day < 10 ? "0" : "")\(day)"
            let opened = missing(0.4) ? "" : "2024-\(["01", "06", "11"][rng.index(below: 3)])-\(day < 10 ? "0" : "")\(day)"
            // Present only in the last rows, which the training rows leave out.
            let late = i >= n - 10 ? "\(rng.index(below: 9))" : ""
            let tag = rng.uniform() < 0.6 ? (y == 1 ? (rng.uniform() < 0.97 ? "Closed" : "Busy") : tags[1 + rng.index(below: 4)]) : ""
            csv += "\(y),\(source),\(flag),\(binary),\(binary),\(visits),\(amount),\(small),\(created),\(opened),\(late),\(tag)\n"
        }
        return (try table(csv), labels)
    }

    static func assertSame(_ a: [LeakageCheck.ColumnSeparation], _ b: [LeakageCheck.ColumnSeparation], _ message: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(a.map(\.column), b.map(\.column), message, file: file, line: line)
        for (x, y) in zip(a, b) {
            XCTAssertEqual(x.auc.bitPattern, y.auc.bitPattern, "\(message) \(x.column) auc", file: file, line: line)
            XCTAssertEqual(x.filledAUC.bitPattern, y.filledAUC.bitPattern, "\(message) \(x.column) filledAUC", file: file, line: line)
            XCTAssertEqual(x.filledShare.bitPattern, y.filledShare.bitPattern, "\(message) \(x.column) filledShare", file: file, line: line)
        }
    }

    func testCountedAUCsEqualSortedAUCsExactly() throws {
        var rng = SeededGenerator(seed: 31)
        for trial in 0..<6 {
            let n = 200 + rng.index(below: 3000)
            var (t, labels) = try randomTable(rows: n, rng: &rng)
            let s = try schema(t)
            // Labels other than 0 and 1 take the row-by-row path of the rates.
            if trial >= 4 { labels = labels.map { rng.index(below: 3) == 0 ? 0.25 + 0.5 * $0 : $0 } }
            // The representations this test is about.
            XCTAssertNil(t.columns[t.index(of: "Amount")!].codes)
            XCTAssertNil(t.columns[t.index(of: "Small")!].codes)
            XCTAssertNil(t.columns[t.index(of: "Opened")!].codes)
            XCTAssertNil(t.columns[t.index(of: "Binary")!].codes)
            XCTAssertNotNil(t.columns[t.index(of: "BinaryCoded")!].codes)
            XCTAssertNotNil(t.columns[t.index(of: "Visits")!].codes)
            XCTAssertNotNil(t.columns[t.index(of: "Created")!].codes)
            // A random training subset without the last ten rows, and all rows.
            var shuffled = Array(0..<(n - 10))
            rng.shuffle(&shuffled)
            for rows in [Array(shuffled.prefix(n * 7 / 10)).sorted(), Array(0..<n)] {
                let late = rows.count == n
                let fast = LeakageCheck.columnAUCs(table: t, schema: s, rows: rows, labels: labels)
                let reference = RankingReference.columnAUCs(table: t, schema: s, rows: rows, labels: labels)
                // Without the last ten rows "Late" has no value: not scored.
                XCTAssertEqual(reference.count, Self.kinds.count - (late ? 0 : 1))
                Self.assertSame(fast, reference, "trial \(trial)")
                XCTAssertEqual(
                    LeakageCheck.pureLevels(table: t, schema: s, rows: rows, labels: labels),
                    LeakageCheck.pureLevelsByText(table: t, schema: s, rows: rows, labels: labels), "trial \(trial)")
                XCTAssertTrue(LeakageCheck.pureLevels(table: t, schema: s, rows: rows, labels: labels).contains { $0.hasPrefix("Tag = Closed: ") })
                // Every column went through counting, not the sorting fallback.
                let y = rows.map { labels[$0] }, positive = y.map { $0 > 0.5 }
                for (index, kind) in s.features {
                    let col = t.columns[index]
                    let counted =
                        kind == .numeric || kind == .date
                        ? LeakageCheck.countNumeric(col, kind: kind, rows: rows, positive: positive)
                        : LeakageCheck.countLevels(col, kind: kind, rows: rows, y: y, positive: positive)
                    switch counted {
                    case .groups: XCTAssertTrue(col.name != "Late" || late)
                    case .noValues: XCTAssertTrue(col.name == "Late" && !late)
                    case .notCountable: XCTFail("\(col.name) was not counted")
                    }
                }
            }
        }
    }

    /// The counting agrees with the definition on a hand-checked case: rates
    /// ¾ and ¼ give AUC ¾ (see `GroupedAUC`), and two levels with the same
    /// rate tie.
    func testCategoricalAUCByHand() throws {
        var csv = "Won,Source,Flag,Binary,BinaryCoded,Visits,Amount,Small,Created,Opened,Late,Tag\n"
        let rows: [(Int, String)] = [
            (1, "A"), (1, "A"), (1, "A"), (0, "A"), (1, "B"), (0, "B"), (0, "B"), (0, "B"), (1, "C"), (0, "C"), (0, "C"), (0, "C"),
        ]
        for (y, source) in rows { csv += "\(y),\(source),Yes,1,1,1,1,1,2025-01-01,2025-01-01,1,x\n" }
        let t = try table(csv)
        var s = try schema(t)
        s.features = [(t.index(of: "Source")!, .categorical)]
        let labels = rows.map { Double($0.0) }
        let result = LeakageCheck.columnAUCs(table: t, schema: s, rows: Array(0..<12), labels: labels)
        // Won 5, lost 7. A (¾): 3 won above the 6 lost of B and C: 18 pairs,
        // ties ½·3·1; B and C (¼) tie with each other: ½·2·6.
        XCTAssertEqual(result.count, 1)
        XCTAssertEqual(result[0].auc, (18 + 1.5 + 6) / 35)
        Self.assertSame(result, RankingReference.columnAUCs(table: t, schema: s, rows: Array(0..<12), labels: labels), "by hand")
    }

    /// Missing values count under the level name "(missing)", together with
    /// a level spelled that way; booleans count by value, whatever the
    /// spelling.
    func testPureLevelsCountByText() throws {
        var csv = "Won,Source,Flag,Binary,BinaryCoded,Visits,Amount,Small,Created,Opened,Late,Tag\n"
        var labels: [Double] = []
        func add(_ y: Int, _ tag: String, _ flag: String, count: Int) {
            for _ in 0..<count {
                csv += "\(y),A,\(flag),1,1,1,1,1,2025-01-01,2025-01-01,1,\(tag)\n"
                labels.append(Double(y))
            }
        }
        add(0, "(missing)", "Yes", count: 20)
        add(0, "", "yes", count: 15)
        add(1, "Closed", "No", count: 40)
        add(1, "Other", "", count: 5)
        add(0, "Other", "", count: 5)
        let t = try table(csv)
        var s = try schema(t)
        s.features = [(t.index(of: "Tag")!, .categorical), (t.index(of: "Flag")!, .boolean)]
        let rows = Array(0..<labels.count)
        let found = LeakageCheck.pureLevels(table: t, schema: s, rows: rows, labels: labels)
        XCTAssertEqual(
            found,
            ["Tag = (missing): 0 of 35 converted", "Tag = Closed: 40 of 40 converted", "Flag = No: 40 of 40 converted", "Flag = Yes: 0 of 35 converted"])
        XCTAssertEqual(found, LeakageCheck.pureLevelsByText(table: t, schema: s, rows: rows, labels: labels))
    }
}

extension LeakageCheck {
    /// Levels that (almost) decide the outcome, counted by the text of every
    /// row: the definition, and the reference for `pureLevels`.
    static func pureLevelsByText(table: RawTable, schema: InferredSchema, rows: [Int], labels: [Double]) -> [String] {
        var found: [String] = []
        for (index, kind) in schema.features where kind == .categorical || kind == .boolean {
            let col = table.columns[index]
            var won: [String: Int] = [:], all: [String: Int] = [:]
            for r in rows {
                let key: String
                if kind == .boolean {
                    guard let b = TableValues.boolean(col, row: r) else { continue }
                    key = b ? "Yes" : "No"
                } else {
                    key = TableValues.text(col, row: r) ?? CategoricalEncoder.missingLevel
                }
                all[key, default: 0] += 1
                if labels[r] > 0.5 { won[key, default: 0] += 1 }
            }
            for (level, n) in all.sorted(by: { $0.key < $1.key }) where n >= LeakageCheck.pureLevelMinRows {
                let w = won[level, default: 0]
                let rate = Double(w) / Double(n)
                if rate >= 0.99 || rate <= 0.01 {
                    found.append("\(col.name) = \(level): \(w) of \(n) converted")
                }
            }
        }
        return found
    }
}
