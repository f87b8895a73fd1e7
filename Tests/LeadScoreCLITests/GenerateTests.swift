import Foundation
import XCTest

/// `generate --regions`: the same file with a last column Region, and a
/// truth file that says which region differs and how.
final class GenerateTests: XCTestCase {
    /// The file with --regions is the file without it plus Region, except
    /// the Stage of some APAC deals; the truth without --regions has no
    /// region keys, with it the same keys plus the region's truth.
    func testRegionsAddALastColumnAndTheTruthCarriesTheDifferingRegion() throws {
        let dir = try CLI.temporaryDirectory(self)
        func path(_ name: String) -> String { dir.appendingPathComponent(name).path }
        let common = ["generate", "--rows", "3000", "--seed", "11"]
        let plain = try CLI.run(common + ["-o", path("plain.csv"), "--truth", path("plain.json")])
        XCTAssertEqual(plain.status, 0, plain.stderr)
        let regional = try CLI.run(common + ["--regions", "-o", path("regions.csv"), "--truth", path("regions.json")])
        XCTAssertEqual(regional.status, 0, regional.stderr)

        let before = try ThresholdsTests.table(path("plain.csv")), after = try ThresholdsTests.table(path("regions.csv"))
        XCTAssertEqual(before.header.count, 20)
        XCTAssertEqual(after.header, before.header + ["Region"])
        XCTAssertEqual(after.rows.count, 3000)
        let country = try XCTUnwrap(before.header.firstIndex(of: "Country")), stage = 19
        let expectedRegion = [
            "United States": "North America", "Canada": "North America", "United Kingdom": "EMEA", "Germany": "EMEA",
            "France": "EMEA", "Netherlands": "EMEA", "India": "APAC", "Australia": "APAC",
        ]
        var changed = 0
        for (a, b) in zip(before.rows, after.rows) {
            XCTAssertEqual(b.count, 21)
            XCTAssertEqual(Array(b[..<stage]), Array(a[..<stage]), a[0])
            if let region = expectedRegion[a[country]] { XCTAssertEqual(b[20], region, a[0]) }
            if a[stage] != b[stage] {
                changed += 1
                XCTAssertEqual(b[20], "APAC", a[0])
            }
        }
        XCTAssertGreaterThan(changed, 0, "some APAC outcomes differ")

        func json(_ name: String) throws -> [String: Any] {
            try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path(name)))) as? [String: Any])
        }
        let truth = try json("plain.json"), regionTruth = try json("regions.json")
        XCTAssertEqual(Set(truth.keys), ["intercept", "effects", "accountEffect", "marginalShrinkage"])
        XCTAssertEqual(
            Set(regionTruth.keys), Set(truth.keys).union(["regionOfCountry", "differingRegion", "regionDifferences"]))
        func text(_ value: Any?) throws -> String {
            String(decoding: try JSONSerialization.data(withJSONObject: [try XCTUnwrap(value)], options: .sortedKeys), as: UTF8.self)
        }
        for key in truth.keys { XCTAssertEqual(try text(regionTruth[key]), try text(truth[key]), key) }
        XCTAssertTrue(try text(truth["effects"]).contains("Demo Requested"))
        XCTAssertEqual(regionTruth["differingRegion"] as? String, "APAC")
        let map = try XCTUnwrap(regionTruth["regionOfCountry"] as? [String: String])
        XCTAssertEqual(map.count, 23)
        XCTAssertEqual(map["New Zealand"], "APAC")
        XCTAssertEqual(map["Brazil"], "LATAM")
        let differences = try XCTUnwrap(regionTruth["regionDifferences"] as? [[String: Any]])
        XCTAssertEqual(differences.map { $0["feature"] as? String }, ["Lead Source = Paid Search", "Pricing Page Visits", "Demo Requested"])
        XCTAssertEqual(differences.map { $0["coefficient"] as? Double }, [0.75, 0.3, -0.7])
    }

    func testRegionsAreListedInTheHelp() throws {
        let r = try CLI.run(["generate", "--help"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("--regions"), r.stdout)
    }
}
