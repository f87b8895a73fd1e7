import XCTest

@testable import LeadScore

final class ModelNumberTests: XCTestCase {
    func testFixedAndText() {
        XCTAssertEqual(ModelNumber.fixed(0.91462, 4), "0.9146")
        XCTAssertEqual(ModelNumber.fixed(-0.04, 1), "0.0", "no negative zero")
        XCTAssertEqual(ModelNumber.fixed(-1.25, 1), "-1.3")
        XCTAssertEqual(ModelNumber.signed(1.94), "+1.9")
        XCTAssertEqual(ModelNumber.text(1532), "1532")
        XCTAssertEqual(ModelNumber.text(2.5), "2.5")
        // Beyond Int64: falls back to the shortest form instead of trapping.
        XCTAssertEqual(ModelNumber.fixed(6e122, 2), "6e+122")
        XCTAssertEqual(ModelNumber.fixed(1e21, 1), "1e+21")
        XCTAssertEqual(ModelNumber.text(.infinity), "inf")
    }
}
