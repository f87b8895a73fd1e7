import XCTest

@testable import LeadScore

final class TierSchemeTests: XCTestCase {
    func testDefaultTiersAreInclusiveLowerBounds() {
        let t = TierScheme.standard
        XCTAssertEqual([100, 50, 49, 30, 29, 15, 14, 0].map { t.tier(score: $0) }, ["A", "A", "B", "B", "C", "C", "D", "D"])
        XCTAssertEqual(t.description, "A:50,B:30,C:15,D")
    }

    func testParsingAndErrors() throws {
        let t = try TierScheme(parsing: "Hot:70, Warm:40, Cold")
        XCTAssertEqual(t.labels, ["Hot", "Warm", "Cold"])
        XCTAssertEqual(t.cuts, [70, 40])
        for bad in ["A:50", "A:50,B:60,C", "A:x,B", "A:101,B", "A", ":5,B"] {
            XCTAssertThrowsError(try TierScheme(parsing: bad), bad)
        }
    }
}

extension TierSchemeTests {
    func testDuplicateTierNamesAreRefused() {
        for bad in ["A:50,A:30,C", "A:50,B:30,A", "Hot:70, Hot :40,Cold"] {
            XCTAssertThrowsError(try TierScheme(parsing: bad), bad) { error in
                XCTAssertTrue((error as? InputError)?.problem.contains("appears twice") ?? false, "\(error)")
            }
        }
    }
}
