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

    /// The odds factor e^c: two significant digits, whole from 10 up, one
    /// decimal fewer when rounding reaches the next power of ten.
    func testOddsFactor() {
        for (factor, text) in [
            (4.5, "4.5"), (4.48, "4.5"), (1.0513, "1.1"), (0.9512, "0.95"), (1 / 3.0, "0.33"), (0.0741, "0.074"), (0.00123, "0.0012"),
            (2.0, "2.0"), (9.94, "9.9"), (9.96, "10"), (0.0996, "0.10"), (20.09, "20"), (148.41, "148"), (99.6, "100"), (0.1, "0.10"), (10, "10"),
        ] {
            XCTAssertEqual(ModelNumber.odds(log(factor)), text, "\(factor)")
        }
        XCTAssertEqual(ModelNumber.odds(-40), "0.000000000000", "at most 12 decimals")
        XCTAssertEqual(ModelNumber.odds(-20000), "0.000000000000", "e^c underflows to 0")
    }
}
