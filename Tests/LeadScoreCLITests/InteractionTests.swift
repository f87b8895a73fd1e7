import Foundation
import XCTest

/// `train --interaction` and `--interactions auto[:K]` from the command
/// line: the card, the notes, the refusals a user can act on, and the
/// pair's reason in the scores file.
final class InteractionTests: XCTestCase {
    static let fixture = CLI.repositoryRoot.appendingPathComponent("Tests/LeadScoreTests/Fixtures/pairs.csv").path

    func testNamedAndAutomaticPairs() throws {
        let dir = try CLI.temporaryDirectory(self)
        func path(_ name: String) -> String { dir.appendingPathComponent(name).path }
        let base = ["train", Self.fixture, "--target", "Won", "--id", "Deal ID", "--training-date", "2026-12-07"]

        let named = try CLI.run(base + ["--interaction", "Visits*Source", "-o", path("named.json")])
        XCTAssertEqual(named.status, 0, named.stderr)
        let card = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path("named.json")))) as? [String: Any])
        // Format 11: the cell (2 to 3, Trade show) has 9 training rows, too
        // few for a feature: 11 main-effect features and 3 × 6 − 1 pair cells.
        XCTAssertEqual(card["formatVersion"] as? Int, 11)
        XCTAssertTrue(named.stderr.contains("28 features from 4 columns"), named.stderr)

        let auto = try CLI.run(base + ["--interactions", "auto:2", "-o", path("auto.json")])
        XCTAssertEqual(auto.status, 0, auto.stderr)
        XCTAssertTrue(auto.stderr.contains("note: Interactions: 6 column pairs scored by a score test on the training rows"), auto.stderr)
        let inspected = try CLI.run(["inspect", path("auto.json")])
        XCTAssertTrue(inspected.stdout.contains("Interaction screen: 6 column pairs scored"), inspected.stdout)

        try "Deal ID,Source,Region,Visits,Demo\nL1,Email,North,7,No\n".write(toFile: path("leads.csv"), atomically: true, encoding: .utf8)
        let scored = try CLI.run(["score", "--model", path("named.json"), path("leads.csv"), "-o", path("scores.csv"), "--reasons", "5"])
        XCTAssertEqual(scored.status, 0, scored.stderr)
        XCTAssertTrue(try String(contentsOfFile: path("scores.csv"), encoding: .utf8).contains("Visits = 7 and Source = Email: odds ×"))

        for (arguments, words) in [
            (["--interaction", "Visits*Nowhere"], "\"Nowhere\""), (["--interaction", "Visits*Visits"], "with itself"),
            (["--interactions", "sometimes"], "--interactions takes auto or auto:K"), (["--interactions", "auto:0"], "--interactions takes auto or auto:K"),
        ] {
            let refused = try CLI.run(base + arguments + ["-o", path("refused.json")])
            XCTAssertNotEqual(refused.status, 0, arguments.joined(separator: " "))
            XCTAssertTrue(refused.stderr.contains(words), refused.stderr)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("refused.json")))
    }
}
