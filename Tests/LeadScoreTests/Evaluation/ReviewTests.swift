import XCTest

@testable import LeadScore

final class ReviewTests: XCTestCase {
    /// Hanley and McNeil's variance, worked out by hand for A = 0.8 with
    /// 50 won and 100 lost: Q₁ = 0.8/1.2 = 2/3, Q₂ = 1.28/1.8 = 0.71111…,
    /// Var = [0.16 + 49·(2/3 − 0.64) + 99·(0.71111… − 0.64)] / 5000.
    func testHanleyMcNeilVariance() {
        let q1 = 2.0 / 3, q2 = 1.28 / 1.8
        let expected = (0.16 + 49 * (q1 - 0.64) + 99 * (q2 - 0.64)) / 5000
        XCTAssertEqual(Review.hanleyMcNeilVariance(auc: 0.8, positives: 50, negatives: 100), expected, accuracy: 1e-15)
        XCTAssertEqual(expected, 0.001_701_333, accuracy: 1e-9)
        XCTAssertTrue(Review.hanleyMcNeilVariance(auc: 0.8, positives: 0, negatives: 10).isNaN)
    }

    func testNormalDistributionFunction() {
        XCTAssertEqual(Review.normalCDF(0), 0.5, accuracy: 1e-15)
        XCTAssertEqual(Review.normalCDF(-1.959963984540054), 0.025, accuracy: 1e-12)
        XCTAssertEqual(Review.normalCDF(1), 0.8413447460685429, accuracy: 1e-14)  // scipy.stats.norm.cdf(1)
    }
}
