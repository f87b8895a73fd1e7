import XCTest

/// Every bad-input case a user can meet: the message names the file, the
/// line and the column (and the value), and the exit status is 1 for bad
/// input, 2 for a usage error. No output file is left half-written.
final class BadInputTests: XCTestCase {
    var dir: URL!
    var model: String!

    override func setUpWithError() throws {
        dir = try CLI.temporaryDirectory(self)
        let train = try dir.write(
            """
            Lead ID,Visits,Source,Demo,Converted
            L1,3,Web,Yes,1
            L2,0,Event,No,0
            L3,5,Web,Yes,1
            L4,1,Referral,No,0
            L5,2,Web,No,0
            L6,7,Event,Yes,1
            L7,0,Web,No,0
            L8,4,Referral,Yes,1
            L9,1,Event,No,0
            L10,6,Web,Yes,0
            L11,2,Referral,No,1
            L12,0,Web,No,0

            """, to: "train.csv")
        model = dir.appendingPathComponent("model.json").path
        let r = try CLI.run(["train", train, "--output", model, "--min-category-count", "1", "--quiet"])
        XCTAssertEqual(r.status, 0, r.stderr)
    }

    func assertFails(_ args: [String], status: Int32 = 1, mentions: [String], file: StaticString = #filePath, line: UInt = #line) throws {
        let r = try CLI.run(args)
        XCTAssertEqual(r.status, status, "stderr: \(r.stderr)", file: file, line: line)
        for m in mentions { XCTAssertTrue(r.stderr.contains(m), "stderr lacks \"\(m)\": \(r.stderr)", file: file, line: line) }
    }

    func testMemoryBudgetAndCacheDirectoryErrors() throws {
        let data = CLI.repositoryRoot.appendingPathComponent("datasets/b2b-deals.csv").path
        let config = CLI.repositoryRoot.appendingPathComponent("datasets/b2b-deals.config.json").path
        let out = dir.appendingPathComponent("budget.json").path
        try assertFails(["train", data, "--config", config, "-o", out, "--memory-budget", "lots"], status: 2, mentions: ["--memory-budget", "\"lots\""])
        let absent = dir.appendingPathComponent("no-such-dir").path
        // The columns (about 4.4 MiB) beyond half of 100K: they go to the cache first.
        try assertFails(
            ["train", data, "--config", config, "-o", out, "--memory-budget", "100K", "--cache-dir", absent],
            mentions: [absent, "cannot create a cache file", "--cache-dir"])
        // Within half of 10M, but the design (6.9 MiB) does not fit in the 5.6 MiB left: only the design goes to the cache.
        try assertFails(
            ["train", data, "--config", config, "-o", out, "--memory-budget", "10M", "--cache-dir", absent],
            mentions: [absent, "cannot create the design cache", "--cache-dir"])
        XCTAssertFalse(FileManager.default.fileExists(atPath: out), "no model is written")
    }

    func testUnterminatedQuoteNamesFileLineAndColumn() throws {
        let bad = try dir.write("Lead ID,Visits,Source,Demo\nL1,3,Web,Yes\nL2,\"4,Web,No\nL3,1,Web,No\n", to: "quote.csv")
        try assertFails(["score", "--model", model, bad], mentions: ["quote.csv", "line 3", "Visits"])
    }

    func testWrongFieldCountNamesLineAndColumn() throws {
        let bad = try dir.write("Lead ID,Visits,Source,Demo\nL1,3,Web,Yes\nL2,4,Web\n", to: "short.csv")
        try assertFails(["score", "--model", model, bad], mentions: ["short.csv", "line 3", "Demo"])
    }

    func testInvalidUTF8NamesLineAndColumn() throws {
        var bytes = Array("Lead ID,Visits,Source,Demo\nL1,3,Web,Yes\nL2,4,".utf8)
        bytes += [0x57, 0xFF, 0x65, 0x62]
        bytes += Array(",No\n".utf8)
        let url = dir.appendingPathComponent("latin1.csv")
        try Data(bytes).write(to: url)
        try assertFails(["score", "--model", model, url.path], mentions: ["latin1.csv", "line 3", "Source", "UTF-8"])
    }

    func testMissingColumnsAreAllNamed() throws {
        let bad = try dir.write("Lead ID,Source\nL1,Web\n", to: "cols.csv")
        try assertFails(["score", "--model", model, bad], mentions: ["cols.csv", "\"Visits\"", "\"Demo\""])
    }

    func testNonNumericValueNamesLineColumnAndValue() throws {
        let out = dir.appendingPathComponent("scores.csv").path
        let bad = try dir.write("Lead ID,Visits,Source,Demo\nL1,3,Web,Yes\nL2,four,Web,No\n", to: "value.csv")
        try assertFails(["score", "--model", model, bad, "--output", out], mentions: ["value.csv", "line 3", "\"Visits\"", "\"four\"", "--missing"])
        XCTAssertFalse(FileManager.default.fileExists(atPath: out), "a failed run must not leave an output file")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.contains("tmp") }
        XCTAssertEqual(leftovers, [], "temporary files left behind")
    }

    func testFailedRunLeavesAnExistingOutputUntouched() throws {
        let out = try dir.write("previous scores\n", to: "scores.csv")
        let bad = try dir.write("Lead ID,Visits,Source,Demo\nL1,3,Web,Yes\nL2,x,Web,No\n", to: "value.csv")
        try assertFails(["score", "--model", model, bad, "--output", out], mentions: ["line 3"])
        XCTAssertEqual(try String(contentsOfFile: out, encoding: .utf8), "previous scores\n")
    }

    func testNewerModelFormatIsRefused() throws {
        var text = try String(contentsOfFile: model, encoding: .utf8)
        text = text.replacingOccurrences(of: "\"formatVersion\" : 2", with: "\"formatVersion\" : 99")
        let newer = try dir.write(text, to: "newer.json")
        let leads = try dir.write("Lead ID,Visits,Source,Demo\nL1,3,Web,Yes\n", to: "leads.csv")
        try assertFails(["score", "--model", newer, leads], mentions: ["newer.json", "format version 99", "Upgrade"])
    }

    func testDamagedModelIsRefused() throws {
        let text = try String(contentsOfFile: model, encoding: .utf8)
        let damaged = try dir.write(String(text.prefix(text.count / 2)), to: "damaged.json")
        let leads = try dir.write("Lead ID,Visits,Source,Demo\nL1,3,Web,Yes\n", to: "leads.csv")
        try assertFails(["score", "--model", damaged, leads], mentions: ["damaged.json", "damaged"])
        try assertFails(["inspect", damaged], mentions: ["damaged.json"])
    }

    func testUnknownTargetAndSingleClass() throws {
        let train = try dir.write("Visits,Won\n1,1\n2,1\n3,1\n", to: "oneclass.csv")
        try assertFails(["train", train, "--output", dir.appendingPathComponent("m.json").path, "--target", "Stage"], mentions: ["oneclass.csv", "\"Stage\""])
        try assertFails(["train", train, "--output", dir.appendingPathComponent("m.json").path], mentions: ["oneclass.csv", "same outcome"])
    }

    func testBadConfigurationKeyIsNamed() throws {
        let config = try dir.write("{\"tagret\": \"Converted\"}", to: "config.json")
        let train = try dir.write("Visits,Converted\n1,1\n2,0\n", to: "t.csv")
        try assertFails(["train", train, "--config", config], mentions: ["config.json", "\"tagret\""])
    }

    func testUsageErrorsExitWithStatus2() throws {
        try assertFails(["train", "x.csv", "--l2", "-1"], status: 2, mentions: ["--l2"])
        try assertFails(["score", "--model", model, "x.csv", "--tiers", "A:50,B:70,C"], status: 2, mentions: ["70"])
        try assertFails(["score", "--model", model, "x.csv", "--bogus"], status: 2, mentions: ["--bogus"])
        try assertFails(["frobnicate"], status: 2, mentions: [])
    }

    func testMissingInputFileIsARuntimeError() throws {
        try assertFails(["score", "--model", model, dir.appendingPathComponent("nope.csv").path], mentions: ["nope.csv"])
    }

    func testHelpExitsZeroAndShowsExamples() throws {
        for sub in ["train", "score", "evaluate", "inspect", "generate"] {
            let r = try CLI.run([sub, "--help"])
            XCTAssertEqual(r.status, 0, sub)
            XCTAssertTrue(r.stdout.contains("Examples:"), "\(sub) --help has no examples")
        }
    }
}

extension BadInputTests {
    /// A category value never seen in training is scored, not refused.
    func testUnseenCategoryIsScoredWithANote() throws {
        let leads = try dir.write("Lead ID,Visits,Source,Demo\nL1,3,Carrier Pigeon,Yes\nL2,,Web,\n", to: "new.csv")
        let r = try CLI.run(["score", "--model", model, leads])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout.split(separator: "\n").count, 3)
        XCTAssertTrue(r.stderr.contains("not seen in training"), r.stderr)
    }

    /// Duplicated columns: refused unpenalised (naming the feature), fitted
    /// with a notice under the default penalty.
    func testDuplicatedColumnIsExplained() throws {
        var csv = "Visits,Visits again,Converted\n"
        for i in 0..<40 { csv += "\(i % 9),\(i % 9),\(i % 3 == 0 ? 1 : 0)\n" }
        let train = try dir.write(csv, to: "dup.csv")
        let out = dir.appendingPathComponent("dup.json").path
        let unpenalised = try CLI.run(["train", train, "--l2", "0", "--output", out])
        XCTAssertEqual(unpenalised.status, 1)
        XCTAssertTrue(unpenalised.stderr.contains("linear combination") && unpenalised.stderr.contains("--exclude"), unpenalised.stderr)
        let penalised = try CLI.run(["train", train, "--output", out])
        XCTAssertEqual(penalised.status, 0, penalised.stderr)
        XCTAssertTrue(penalised.stderr.contains("linear combination"), penalised.stderr)
    }
}
