import Foundation
import XCTest

@testable import LeadScore

/// Spline cards (format 7): the round trip, old cards unchanged, damaged
/// splines refused, and each spline's curve (`SplineCurve`) against
/// statsmodels' on patsy's basis (Fixtures/spline.json).
final class ModelCardSplinesTests: XCTestCase {
    /// Written as format 7, read back equal, written again to the same
    /// bytes; the covariance block is the fit's.
    func testRoundTripIsExactAndFormatSeven() throws {
        let card = try SplineCards.fixtureFit()
        XCTAssertEqual(card.formatVersion, 7)
        XCTAssertEqual(ModelCard.splinesFormatVersion, 7)
        let data = try card.jsonData()
        let back = try ModelCard.decode(data, file: "m.json")
        var written = card
        written.checksum = try card.contentChecksum()
        XCTAssertEqual(back, written)
        XCTAssertEqual(try back.jsonData(), data)
        guard case .numeric(let e) = back.schema.encoders.columns[0], let spline = e.spline else { return XCTFail("no spline") }
        let covariance = try XCTUnwrap(spline.covariance)
        XCTAssertEqual(covariance.count, 16)
        // Its diagonal is the squared standard errors the card carries.
        for j in 0..<4 { XCTAssertEqual(covariance[j * 4 + j].squareRoot(), back.features[j].standardError, accuracy: 1e-12 * back.features[j].standardError) }
        XCTAssertEqual(back.features.map(\.name), ["Score", "Score (spline 1)", "Score (spline 2)", "Score (spline 3)"])
    }

    /// A card without splines has no "spline" key and its version is
    /// unchanged; the bundled card (format 3) reads and writes back byte
    /// for byte.
    func testOldCardsAreUnchanged() throws {
        let plain = try SplineCards.fixtureFit(splines: false)
        XCTAssertEqual(plain.formatVersion, ModelCard.checksumFormatVersion)
        XCTAssertFalse(String(decoding: try plain.jsonData(), as: UTF8.self).contains("\"spline\""))
        let path = Fixtures.repositoryRoot.appendingPathComponent("models/b2b-deals.json").path
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        let bundled = try ModelCard.load(path: path)
        XCTAssertEqual(bundled.formatVersion, 3)
        XCTAssertEqual(try bundled.jsonData(), bytes)
    }

    /// A spline in a card that says format 6, and a damaged spline, are
    /// refused as damaged.
    func testDamagedSplinesAreRefused() throws {
        let data = try SplineCards.fixtureFit().jsonData()
        let text = String(decoding: data, as: UTF8.self)
        let older = text.replacingOccurrences(of: "\"formatVersion\" : 7,", with: "\"formatVersion\" : 6,")
        XCTAssertNotEqual(older, text)
        XCTAssertThrowsError(try ModelCard.decode(Data(older.utf8), file: "m.json", allowEdited: true)) {
            XCTAssertEqual(($0 as! InputError).kind, .badModel)
            XCTAssertTrue(($0 as! InputError).problem.contains("spline"), ($0 as! InputError).problem)
        }
        var object = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
        var schema = object["schema"] as! [String: Any]
        var encoders = schema["encoders"] as! [String: Any]
        var columns = encoders["columns"] as! [[String: Any]]
        var spline = columns[0]["spline"] as! [String: Any]
        spline["knots"] = [3.0, 2.0, 4.0, 5.0, 6.0]
        columns[0]["spline"] = spline
        encoders["columns"] = columns
        schema["encoders"] = encoders
        object["schema"] = schema
        let damaged = try JSONSerialization.data(withJSONObject: object)
        XCTAssertThrowsError(try ModelCard.decode(damaged, file: "m.json", allowEdited: true)) {
            XCTAssertEqual(($0 as! InputError).kind, .badModel)
            XCTAssertTrue(($0 as! InputError).problem.contains("increasing"), ($0 as! InputError).problem)
        }
    }

    /// The curve relative to the median and its standard error at the
    /// training quantiles, for the unpenalised fit, against statsmodels
    /// on patsy's basis (the curve and its SE do not depend on the basis):
    /// 1e-6 absolute. The text `inspect` prints shows them.
    func testCurveMatchesStatsmodels() throws {
        let f = try XCTUnwrap(try Fixtures.json("spline.json")["fit"] as? [String: Any])
        let card = try SplineCards.fixtureFit()
        let curve = try XCTUnwrap(card.splineCurves.first)
        XCTAssertEqual(card.splineCurves.count, 1)
        XCTAssertEqual(curve.median, try Fixtures.double(f["median"]), accuracy: 1e-12)
        let quantiles = try Fixtures.doubles(f["quantiles"]), values = try Fixtures.doubles(f["curve"]), se = try Fixtures.doubles(f["curveSE"])
        XCTAssertEqual(curve.points.count, 11)
        for (i, p) in curve.points.enumerated() {
            XCTAssertEqual(p.value, quantiles[i], accuracy: 1e-12)
            XCTAssertEqual(p.quantile, Double(i) / 10, accuracy: 1e-15)
            XCTAssertEqual(p.logOdds, values[i], accuracy: 1e-6, "curve at \(p.value)")
            XCTAssertEqual(try XCTUnwrap(p.standardError), se[i], accuracy: 1e-6, "SE at \(p.value)")
        }
        let text = ModelCardReport.inspection(card)
        XCTAssertTrue(text.contains("Spline \"Score\": natural cubic, 5 knots at 0, 3.00028, 5.0917, 7.23385, 10"), text)
        let lines = text.split(separator: "\n").map(String.init)
        for p in curve.points {
            let row = try XCTUnwrap(lines.first { $0.trimmingCharacters(in: .whitespaces).hasPrefix("\(Int(p.quantile * 100))% ") }, text)
            let cells = row.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            XCTAssertEqual(cells[1], String(format: "%.6g", p.value), row)
            XCTAssertEqual(cells[2], ModelNumber.signed(p.logOdds, 3), row)
            XCTAssertEqual(cells[4], "[\(ModelNumber.signed(p.lower95!, 3)),", row)
        }
    }
}

/// `leadscore diff` of a linear card and the same data with a spline: the
/// knots are named as an encoder change, and the spline's features as
/// added.
final class ModelDiffSplinesTests: XCTestCase {
    func testASplineIsAnEncoderChange() throws {
        let linear = try SplineCards.fixtureFit(splines: false), spline = try SplineCards.fixtureFit()
        let d = ModelDiff(old: linear, new: spline)
        XCTAssertFalse(d.same)
        guard case .numeric(let e) = spline.schema.encoders.columns[0], let knots = e.spline?.knots else { return XCTFail("no spline") }
        XCTAssertTrue(
            d.encoders.contains(.init(what: "\"Score\" spline knots", old: "none (linear)", new: knots.map(ModelNumber.text).joined(separator: ", "))),
            "\(d.encoders)")
        XCTAssertEqual(d.featuresAdded.map(\.feature), ["Score (spline 1)", "Score (spline 2)", "Score (spline 3)"])
    }
}
