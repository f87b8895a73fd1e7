import Foundation
import XCTest

/// Catalogue: training files whose columns look like leakage only because
/// there are too few closed deals to tell leakage from chance.
final class TrainingRefusalTests: XCTestCase {
    /// The first `won` won and `lost` lost deals of deals.csv, as `name`.
    func firstDeals(_ ws: RefusalWorkspace, won: Int, lost: Int, to name: String) throws {
        let lines = try ws.read("deals.csv").split(separator: "\n")
        let rows = lines.dropFirst()
        let kept = Array(rows.filter { $0.hasSuffix(",Closed Won") }.prefix(won)) + Array(rows.filter { $0.hasSuffix(",Closed Lost") }.prefix(lost))
        try ws.write(([lines[0]] + kept).joined(separator: "\n") + "\n", to: name)
    }

    /// Six won and six lost deals: a column separates them by chance
    /// (Industry, AUC 0.944 alone). The refusal names chance and the
    /// shortage of deals, asks for more of them, and does not offer
    /// `--allow-leakage` as the way out.
    func testASeparatingColumnOnTwelveDealsIsBlamedOnTooFewDeals() throws {
        let ws = try RefusalWorkspace(self)
        try firstDeals(ws, won: 6, lost: 6, to: "small.csv")
        let result = try ws.refuses(
            ["train", "small.csv", "--config", "config.json", "-o", "small.json"],
            mentions: ["small.csv", "AUC", "only 6", "by chance", "Export more closed deals", "at least 30 won and 30 lost", "--allow-leakage", "unwise"])
        XCTAssertFalse(result.stderr.contains("likely filled in after the outcome"), result.stderr)
    }
}
