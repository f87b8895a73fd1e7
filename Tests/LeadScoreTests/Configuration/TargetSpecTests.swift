import XCTest

@testable import LeadScore

/// The outcome conventions of CRM exports: HubSpot's deal stages and
/// Salesforce's IsWon beside IsClosed.
final class TargetSpecTests: XCTestCase {
    func testHubSpotDealStagesAreReadAsWonAndLost() throws {
        // Internal values, with the open stages of the default pipeline.
        let internalValues = ["appointmentscheduled", "closedwon", "qualifiedtobuy", "closedlost", "contractsent"]
        let spec = try TargetSpec.infer(column: "Deal Stage", values: internalValues, positive: nil, negative: nil, file: "hubspot.csv")
        XCTAssertEqual(spec.positive, ["closedwon"])
        XCTAssertEqual(spec.negative, ["closedlost"])
        XCTAssertEqual(internalValues.map(spec.label), [nil, 1, nil, 0, nil])
        // Labels, as the export writes them by default.
        let labels = try TargetSpec.infer(
            column: "Deal Stage", values: ["Presentation Scheduled", "Closed Won", "Closed Lost"], positive: nil, negative: nil, file: "hubspot.csv")
        XCTAssertEqual(labels.positive, ["Closed Won"])
        XCTAssertEqual(labels.negative, ["Closed Lost"])
        // "won" must be a word, or "closed" and the word written as one.
        XCTAssertFalse(TargetSpec.hasWord("wonderful", "won"))
        XCTAssertFalse(TargetSpec.hasWord("disclosedwon", "won"))
        XCTAssertTrue(TargetSpec.hasWord("CLOSEDWON", "won"))
    }

    func testSalesforceOpenDealsAreLeftOut() throws {
        var spec = try TargetSpec.infer(column: "IsWon", values: ["false", "true"], positive: nil, negative: nil, file: "sf.csv")
        XCTAssertEqual(spec.positive, ["true"])
        XCTAssertEqual(spec.negative, ["false"])
        XCTAssertEqual(TargetSpec.closedColumn(for: "IsWon", header: ["Id", "StageName", "IsClosed", "IsWon"]), "IsClosed")
        XCTAssertEqual(TargetSpec.closedColumn(for: "Won", header: ["Id", "Closed", "Won"]), "Closed")
        XCTAssertNil(TargetSpec.closedColumn(for: "Stage", header: ["Stage", "IsClosed"]))
        XCTAssertNil(TargetSpec.closedColumn(for: "IsWon", header: ["IsWon", "Amount"]))
        spec.closedColumn = "IsClosed"
        let at = InputLocation(file: "sf.csv", line: 7)
        XCTAssertEqual(try spec.label("true", closed: "true", at: at), 1)
        XCTAssertEqual(try spec.label("false", closed: "1", at: at), 0)
        XCTAssertNil(try spec.label("false", closed: "false", at: at), "open")
        XCTAssertNil(try spec.label("false", closed: "0", at: at), "open")
        XCTAssertNil(try spec.label("false", closed: nil, at: at), "not known to be closed")
        XCTAssertNil(try spec.label(nil, closed: "true", at: at), "no outcome")
        XCTAssertTrue(spec.isOpen(closed: "FALSE"))
        XCTAssertFalse(spec.isOpen(closed: "TRUE"))
        // Won but open cannot be; a closed flag must be a boolean.
        XCTAssertThrowsError(try spec.label("true", closed: "false", at: at)) {
            let e = $0 as! InputError
            XCTAssertEqual(e.location, InputLocation(file: "sf.csv", line: 7, column: "IsClosed", value: "false"))
            XCTAssertTrue(e.problem.contains("won (\"IsWon\" is \"true\") but not closed"), e.problem)
        }
        XCTAssertThrowsError(try spec.label("false", closed: "maybe", at: at)) {
            XCTAssertEqual(($0 as! InputError).location?.value, "maybe")
        }
        // Without a closed column the outcome alone decides.
        spec.closedColumn = nil
        XCTAssertEqual(try spec.label("false", closed: "false", at: at), 0)
        XCTAssertFalse(spec.isOpen(closed: "false"))
    }
}
