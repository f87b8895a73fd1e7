import Foundation
import XCTest

@testable import LeadScore

/// Files and helpers shared by the rules tests.
enum RulesTestSupport {
    /// Tests/LeadScoreTests/Fixtures/rules
    static let fixtures = Fixtures.directory.appendingPathComponent("rules")

    static func fixture(_ name: String) throws -> RuleSet {
        try RuleSet.load(path: fixtures.appendingPathComponent(name).path)
    }

    static func rules(_ yaml: String) throws -> RuleSet {
        try RuleSet.decode(yaml: yaml, file: "test.rules.yaml")
    }

    /// Writes `csv` to a temporary file (removed after the test).
    static func temporaryCSV(_ csv: String, in test: XCTestCase) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("rules-\(UUID().uuidString).csv")
        try Data(csv.utf8).write(to: url)
        test.addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url.path
    }

    /// Scores every row of a CSV file.
    static func score(path: String, rules: RuleSet, parser: ValueParser = ValueParser(), asOfDays: Int? = nil) throws(InputError) -> [RuleScore] {
        let reader = try CSVReader(path: path)
        let scorer = try RuleScorer(rules: rules, header: reader.header, file: path, parser: parser, asOfDays: asOfDays)
        var scores: [RuleScore] = []
        while try reader.nextRecord() { scores.append(try scorer.score(reader)) }
        return scores
    }

    /// Scores the rows of an in-memory CSV.
    static func score(_ csv: String, rules: RuleSet, asOfDays: Int? = nil, in test: XCTestCase) throws -> [RuleScore] {
        try score(path: temporaryCSV(csv, in: test), rules: rules, asOfDays: asOfDays)
    }

    /// The InputError `body` throws, or nil (and a test failure) if it does not.
    static func error<T>(_ body: () throws(InputError) -> T, file: StaticString = #filePath, line: UInt = #line) -> InputError? {
        do {
            _ = try body()
            XCTFail("expected an InputError", file: file, line: line)
            return nil
        } catch {
            return error
        }
    }
}

extension RuleScore {
    /// The points of the rules that fired, by name.
    var points: [String: Double] {
        Dictionary(uniqueKeysWithValues: fired.map { ($0.rule, $0.points) })
    }
}
