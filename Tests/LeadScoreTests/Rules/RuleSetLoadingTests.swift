import Foundation
import XCTest

@testable import LeadScore

/// Reading rules files: what is refused, and that the message names the
/// key, the line and what to do.
final class RuleSetLoadingTests: XCTestCase {
    let rule = """
        formatVersion: 1
        rules:
          - name: Demo requested
            category: engagement
            when: {column: Demo Requested, equals: true}
            points: 20

        """

    func yamlError(_ yaml: String, file: StaticString = #filePath, line: UInt = #line) -> InputError? {
        RulesTestSupport.error({ () throws(InputError) in try RuleSet.decode(yaml: yaml, file: "r.yaml") }, file: file, line: line)
    }

    func jsonError(_ json: String, file: StaticString = #filePath, line: UInt = #line) -> InputError? {
        RulesTestSupport.error({ () throws(InputError) in try RuleSet.decode(json: Data(json.utf8), file: "r.json") }, file: file, line: line)
    }

    func testValidFileLoads() throws {
        let r = try RulesTestSupport.rules(rule)
        XCTAssertEqual(r.rules, [Rule("Demo requested", .engagement, when: .column("Demo Requested", .equals(.boolean(true))), points: 20)])
        XCTAssertNil(r.tiers)
        XCTAssertNil(r.format)
    }

    /// A grid: three strictly decreasing finite cut-offs per axis, under
    /// the keys `fit` and `engagement`; refusals name the key and line.
    func testBadGridsAreRefusedWithTheKeyAndLine() throws {
        let cases: [(String, String)] = [
            ("grid: {fit: [20, 10, 0]}", "the grid has no `engagement` cut-offs"),
            ("grid: {fit: [20, 10], engagement: [3, 2, 1]}", "the grid's `fit` needs 3 finite cut-offs"),
            ("grid: {fit: [20, 10, 10], engagement: [3, 2, 1]}", "the grid's `fit` cut-off 10 is not below the one before it (10)"),
            ("grid: {fit: [20, 10, 0], engagement: [3, 2, .inf]}", "the grid's `engagement` needs 3 finite cut-offs"),
            ("grid: {fit: [20, 10, 0], engagement: [3, 2, 1], recency: [1]}", "unknown key \"recency\" in the grid"),
            ("grid: {fit: [20, ten, 0], engagement: [3, 2, 1]}", "grid"),
        ]
        for (grid, words) in cases {
            let e = yamlError(rule + grid + "\n")
            XCTAssertEqual(e?.kind, .badConfiguration, grid)
            XCTAssertEqual(e?.location?.line, 7, grid)
            XCTAssertTrue(e?.problem.contains(words) ?? false, "\(grid): \(e?.description ?? "")")
            XCTAssertFalse((e?.remedy ?? "").isEmpty, grid)
        }
        var built = try RulesTestSupport.rules(rule)
        built.grid = GridCuts(fit: [1, 2, 3], engagement: [3, 2, 1])
        XCTAssertTrue(RulesTestSupport.error({ () throws(InputError) in try built.validate() })?.problem.contains("not below") ?? false)
    }

    func testUnknownKeyIsNamedWithItsLine() throws {
        let e = yamlError(rule.replacingOccurrences(of: "    points: 20", with: "    pionts: 20"))
        XCTAssertEqual(e?.kind, .badConfiguration)
        XCTAssertEqual(e?.location?.file, "r.yaml")
        XCTAssertEqual(e?.location?.line, 6)
        XCTAssertTrue(e?.problem.contains("unknown key \"pionts\"") ?? false, e?.description ?? "")
        XCTAssertTrue(e?.problem.contains("rule 1 \"Demo requested\"") ?? false, e?.description ?? "")
        XCTAssertTrue(e?.remedy.contains("Did you mean `points`?") ?? false, e?.description ?? "")
    }

    func testUnknownKeyInsideAConditionAndAtTheTop() throws {
        let nested = """
            formatVersion: 1
            rules:
              - name: Size
                category: fit
                when:
                  all:
                    - {column: Employees, atLeast: 50}
                    - column: Industry
                      equal: Software
                points: 10

            """
        let e = yamlError(nested)
        XCTAssertEqual(e?.location?.line, 9)
        XCTAssertTrue(e?.problem.contains("unknown key \"equal\" in a condition") ?? false, e?.description ?? "")
        XCTAssertTrue(e?.problem.contains("when › all › item 2") ?? false, e?.description ?? "")
        XCTAssertTrue(e?.remedy.contains("`equals`") ?? false, e?.description ?? "")

        // Keys are checked from the outside in: an unknown top-level key is reported first.
        let top = yamlError(nested + "tierz: []\n")
        XCTAssertEqual(top?.location?.line, 11)
        XCTAssertTrue(top?.problem.contains("unknown key \"tierz\" in the rules file") ?? false, top?.description ?? "")
    }

    func testNewerFormatVersionIsRefusedBeforeAnythingElse() throws {
        let e = yamlError("formatVersion: 2\nrules:\n  - {name: A, category: fit, someNewThing: 3}\nfutureKey: 1\n")
        XCTAssertEqual(e?.location?.line, 1)
        XCTAssertTrue(e?.problem.contains("formatVersion 2, newer than this LeadScore understands (1)") ?? false, e?.description ?? "")
        XCTAssertTrue(e?.remedy.contains("Upgrade LeadScore") ?? false)
        let j = jsonError(#"{"formatVersion": 7, "rules": []}"#)
        XCTAssertTrue(j?.problem.contains("formatVersion 7") ?? false, j?.description ?? "")
    }

    func testBadTypeNamesTheKeyLineAndValue() throws {
        let e = yamlError(rule.replacingOccurrences(of: "points: 20", with: "points: twenty"))
        XCTAssertEqual(e?.location, InputLocation(file: "r.yaml", line: 6, value: "twenty"))
        XCTAssertTrue(e?.problem.contains("points: expected a number") ?? false, e?.description ?? "")

        let list = yamlError(rule.replacingOccurrences(of: "rules:\n", with: "missingValues: Select\nrules:\n"))
        XCTAssertEqual(list?.location?.line, 2)
        XCTAssertTrue(list?.problem.contains("expected a list") ?? false, list?.description ?? "")

        let quoted = yamlError(rule.replacingOccurrences(of: "points: 20", with: "points: \"20\""))
        XCTAssertEqual(quoted?.location?.line, 6, "a quoted number is text")

        let between = yamlError(rule.replacingOccurrences(of: "equals: true", with: "between: [1, many]"))
        XCTAssertEqual(between?.location?.line, 5)
        XCTAssertEqual(between?.location?.value, "many")
    }

    func testInconsistentRulesAreRefusedWithTheirLine() throws {
        func problem(_ yaml: String, line: Int, _ text: String, file: StaticString = #filePath, at: UInt = #line) {
            let e = yamlError(yaml, file: file, line: at)
            XCTAssertEqual(e?.location?.line, line, e?.description ?? "", file: file, line: at)
            XCTAssertTrue(e?.problem.contains(text) ?? false, "\(text) in: \(e?.description ?? "")", file: file, line: at)
        }
        problem(rule.replacingOccurrences(of: "    category: engagement\n", with: ""), line: 3, "no `category`")
        problem(rule.replacingOccurrences(of: "category: engagement", with: "category: Fitness"), line: 4, "neither `fit` nor `engagement`")
        problem(rule.replacingOccurrences(of: "    points: 20\n", with: ""), line: 3, "no `points`")
        problem(rule.replacingOccurrences(of: "equals: true", with: "between: [500, 50]"), line: 5, "the lower first")
        problem(rule.replacingOccurrences(of: "equals: true", with: "oneOf: [1, Yes, b]"), line: 5, "mixes a number (1) with true/false (true)")
        problem(rule.replacingOccurrences(of: "equals: true", with: "equals: null"), line: 5, "empty (null)")
        problem(rule.replacingOccurrences(of: "{column: Demo Requested, equals: true}", with: "{column: Demo Requested}"), line: 5, "has no test")
        problem(rule.replacingOccurrences(of: "{column: Demo Requested, equals: true}", with: "{column: A, equals: 1, any: []}"), line: 5, "`any` cannot be combined")
        problem(rule + "  - {name: demo requested, category: fit, when: {column: X, equals: 1}, points: 1}\n", line: 7, "two rules are named")
        problem(rule.replacingOccurrences(of: "    points: 20\n", with: "    column: Visits\n"), line: 6, "a `column` but no `perOccurrence`")
        problem(rule + "  - {name: Visits, category: engagement, perOccurrence: {each: 5}}\n", line: 7, "names no `column`")
        problem(rule + "  - {name: V, category: engagement, column: V, perOccurrence: {first: 10, each: -5}}\n", line: 7, "opposite signs")
        problem(rule + "  - {name: V, category: engagement, column: V, perOccurrence: {each: -5, max: 20}}\n", line: 7, "must have the sign")
        problem(rule + "    decay: {halfLife: 0, ageColumn: Age}\n", line: 7, "positive number of days")
        problem(rule + "    decay: {halfLife: 7, ageColumn: Age, dateColumn: Date}\n", line: 7, "exactly one of `ageColumn`")
        problem(rule + "tiers:\n  - {name: Nurture, atLeast: 20}\n  - {name: Hot, above: 40}\n  - {name: Low}\n", line: 9, "can never be reached")
    }

    func testTierAtTheSameValueIsReachableOnlyFromAboveToAtLeast() throws {
        let ok = rule + "tiers:\n  - {name: Hot, above: 40}\n  - {name: Warm, atLeast: 40}\n  - {name: Low}\n"
        let r = try RulesTestSupport.rules(ok)
        XCTAssertEqual([41, 40, 39].map { r.tier(for: $0) }, ["Hot", "Warm", "Low"])
        let e = yamlError(rule + "tiers:\n  - {name: Warm, atLeast: 40}\n  - {name: Hot, above: 40}\n  - {name: Low}\n")
        XCTAssertEqual(e?.location?.line, 9)
        let last = yamlError(rule + "tiers:\n  - {name: Hot, above: 40}\n")
        XCTAssertTrue(last?.problem.contains("the last tier") ?? false, last?.description ?? "")
        let both = yamlError(rule + "tiers:\n  - {name: Hot, above: 40, atLeast: 40}\n  - {name: Low}\n")
        XCTAssertTrue(both?.problem.contains("both `above` and `atLeast`") ?? false, both?.description ?? "")
    }

    func testNotARulesFile() throws {
        XCTAssertTrue(yamlError("just text\n")?.problem.contains("expected a mapping") ?? false)
        XCTAssertTrue(yamlError("coefficients: [1, 2]\n")?.problem.contains("not a LeadScore rules file") ?? false)
        XCTAssertTrue(yamlError("format: leadscore-model\nformatVersion: 1\nrules: []\n")?.problem.contains("not a LeadScore rules file") ?? false)
        XCTAssertTrue(yamlError("formatVersion: 1\nrules: []\n")?.problem.contains("empty") ?? false)
        XCTAssertTrue(yamlError("")?.problem.contains("empty") ?? false)
    }

    func testYAMLSyntaxErrorsAndRepeatedKeysHaveALine() throws {
        let syntax = yamlError(rule.replacingOccurrences(of: "when: {column: Demo Requested, equals: true}", with: "when: column: Demo Requested"))
        XCTAssertEqual(syntax?.location?.line, 5)
        XCTAssertTrue(syntax?.problem.contains("not valid YAML") ?? false, syntax?.description ?? "")

        let tab = yamlError(rule.replacingOccurrences(of: "    points: 20", with: "\tpoints: 20"))
        XCTAssertEqual(tab?.location?.line, 6)

        let repeated = yamlError(rule + "    points: 30\n")
        XCTAssertEqual(repeated?.location?.line, 6)
        XCTAssertTrue(repeated?.problem.contains("\"points\" appears more than once") ?? false, repeated?.description ?? "")
    }

    func testJSONErrors() throws {
        let unknown = jsonError("""
            {
              "formatVersion": 1,
              "rules": [
                {"name": "Demo", "category": "engagement",
                 "when": {"column": "Demo", "equals": true},
                 "points": 20, "weight": 2}
              ]
            }
            """)
        XCTAssertEqual(unknown?.location?.line, 6)
        XCTAssertTrue(unknown?.problem.contains("unknown key \"weight\"") ?? false, unknown?.description ?? "")

        let type = jsonError(#"{"formatVersion": 1, "rules": [{"name": "Demo", "category": "fit", "when": {"column": "D", "above": "3"}, "points": 1}]}"#)
        XCTAssertEqual(type?.location?.value, "3")
        XCTAssertTrue(type?.problem.contains("when › above: expected a number") ?? false, type?.description ?? "")

        let syntax = jsonError("{\n  \"formatVersion\": 1,\n  \"rules\": [\n    {\"name\": \"x\",}\n    oops\n  ]\n}\n")
        XCTAssertTrue(syntax?.problem.contains("not valid JSON") ?? false, syntax?.description ?? "")
        XCTAssertNotNil(syntax?.location?.line, syntax?.description ?? "")
    }

    func testJSONAndYAMLReadTheSameRules() throws {
        let json = """
            {
              "format": "leadscore-rules",
              "formatVersion": 1,
              "name": "Literature example (a)",
              "rules": [
                {"name": "Pricing page visits", "category": "engagement", "column": "Pricing Page Visits",
                 "perOccurrence": {"first": 10, "each": 5}},
                {"name": "Chat started", "category": "engagement", "when": {"column": "Chat Started", "equals": true}, "points": 15},
                {"name": "Demo requested", "category": "engagement", "when": {"column": "Demo Requested", "equals": true}, "points": 20},
                {"name": "Company size 50–500", "category": "fit", "when": {"column": "Employees", "between": [50, 500]}, "points": 10}
              ],
              "tiers": [{"name": "Sales-ready", "above": 40}, {"name": "Not yet"}]
            }
            """
        XCTAssertEqual(try RuleSet.decode(json: Data(json.utf8)), try RulesTestSupport.fixture("literature-a.yaml"))
    }

    func testJSONValueKinds() throws {
        let json = #"""
            {"formatVersion": 1, "rules": [
              {"name": "A", "category": "fit", "when": {"column": "X", "equals": 1}, "points": 1},
              {"name": "B", "category": "fit", "when": {"column": "X", "equals": true}, "points": 1},
              {"name": "C", "category": "fit", "when": {"column": "X", "equals": "true"}, "points": 1},
              {"name": "D", "category": "FIT", "when": {"not": [{"column": "X", "missing": true}]}, "points": 2.5}
            ]}
            """#
        let r = try RuleSet.decode(json: Data(json.utf8))
        XCTAssertEqual(r.rules.map(\.when), [
            .column("X", .equals(.number(1))), .column("X", .equals(.boolean(true))), .column("X", .equals(.text("true"))),
            .not(.any([.column("X", .missing(true))])),
        ])
        XCTAssertEqual(r.rules[3].category, .fit, "categories ignore case")
        XCTAssertEqual(r.rules[3].points, 2.5)
    }

    /// Every complete example in docs/rules.md loads; the first scores as the text says.
    func testDocumentationExamplesLoad() throws {
        let doc = try String(contentsOf: Fixtures.repositoryRoot.appendingPathComponent("docs/rules.md"), encoding: .utf8)
        var loaded: [RuleSet] = []
        for (fence, decode) in [("```yaml\n", true), ("```json\n", false)] {
            for block in doc.components(separatedBy: fence).dropFirst() {
                let text = String(block[..<(block.range(of: "```")?.lowerBound ?? block.endIndex)])
                guard text.contains("formatVersion") else { continue }
                loaded.append(decode ? try RuleSet.decode(yaml: text, file: "docs/rules.md") : try RuleSet.decode(json: Data(text.utf8), file: "docs/rules.md"))
            }
        }
        XCTAssertEqual(loaded.count, 5, "the first example, (a), (b), (c) and the JSON example")
        XCTAssertEqual(loaded[1], try RulesTestSupport.fixture("literature-a.yaml"))
        XCTAssertEqual(loaded[2], try RulesTestSupport.fixture("literature-b.yaml"))
        XCTAssertEqual(loaded[3], try RulesTestSupport.fixture("literature-c.yaml"))
        let s = try RulesTestSupport.score(
            "Pricing Page Visits,Demo Requested,Employees,Email Domain,Competitor\n3,Yes,120,acme.com,No\n3,Yes,120,acme.com,Yes\n",
            rules: loaded[0], in: self)
        // 10 + 5 + 5 for the visits, 20 for the demo, 10 for the size: 50 (fit 10, engagement 40).
        XCTAssertEqual(s.map(\.total), [50, 50])
        XCTAssertEqual(s.map(\.fit), [10, 10])
        XCTAssertEqual(s.map(\.tier), ["Sales-ready", "Disqualified"])
    }

    func testLoadByExtension() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rules-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        let expected = try RulesTestSupport.rules(rule)
        let yml = dir.appendingPathComponent("r.yml")
        try Data(("\u{FEFF}" + rule).utf8).write(to: yml)
        XCTAssertEqual(try RuleSet.load(path: yml.path), expected)
        let json = dir.appendingPathComponent("r.JSON")
        try JSONEncoder().encode(expected).write(to: json)
        XCTAssertEqual(try RuleSet.load(path: json.path), expected)
        let txt = dir.appendingPathComponent("r.txt")
        try Data(rule.utf8).write(to: txt)
        XCTAssertTrue(RulesTestSupport.error { () throws(InputError) in try RuleSet.load(path: txt.path) }?.problem.contains(".yaml, .yml or .json") ?? false)
        let absent = RulesTestSupport.error { () throws(InputError) in try RuleSet.load(path: dir.appendingPathComponent("none.yaml").path) }
        XCTAssertEqual(absent?.kind, .io)

        // A file's errors name the file as given.
        let broken = dir.appendingPathComponent("broken.yaml")
        try Data(rule.replacingOccurrences(of: "points: 20", with: "points: lots").utf8).write(to: broken)
        XCTAssertEqual(RulesTestSupport.error { () throws(InputError) in try RuleSet.load(path: broken.path) }?.location?.file, broken.path)
    }

    func testTextThatLooksLikeABooleanOrNumberStaysTextWhenQuoted() throws {
        let r = try RulesTestSupport.rules("""
            formatVersion: 1
            rules:
              - {name: A, category: fit, when: {column: X, equals: "Yes"}, points: 1}
              - {name: B, category: fit, when: {column: X, equals: Yes}, points: 1}
              - {name: C, category: fit, when: {column: X, oneOf: ["1-10", "11-50"]}, points: 1}
              - {name: D, category: fit, when: {column: X, equals: 2024-01-01}, points: 1}
              - {name: E, category: fit, when: {column: X, equals: "42"}, points: 1}

            """)
        XCTAssertEqual(r.rules.map(\.when), [
            .column("X", .equals(.text("Yes"))), .column("X", .equals(.boolean(true))),
            .column("X", .oneOf([.text("1-10"), .text("11-50")])), .column("X", .equals(.text("2024-01-01"))),
            .column("X", .equals(.text("42"))),
        ])
        XCTAssertEqual(try RuleSet.decode(yaml: try XCTUnwrap(r.yamlText())), r)
    }
}
