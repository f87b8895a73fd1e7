import XCTest

@testable import LeadScore

/// `ModelDiff` of cards with segment models (`SegmentModels`): λ, the
/// segments, and each segment model's coefficients under the tolerance
/// rule of the global ones.
final class ModelDiffSegmentsTests: XCTestCase {
    /// Segment models by Region, λ = 3: North America, EMEA and APAC with
    /// models of their own, LATAM with the global model.
    static let card = try! TrainedCards.segmented(rows: 5000, seed: 331)

    func index(_ value: String, in card: ModelCard) throws -> Int {
        try XCTUnwrap(card.segments?.segments.firstIndex { $0.value == value })
    }

    /// The same card: the same model, with every segment coefficient and
    /// intercept counted among the numbers compared, and λ.
    func testACardWithSegmentsEqualsItself() throws {
        let s = try XCTUnwrap(Self.card.segments)
        XCTAssertEqual(s.modelled.count, 3)
        let d = ModelDiff(old: Self.card, new: Self.card)
        XCTAssertTrue(d.same)
        XCTAssertEqual(d.segments, [])
        XCTAssertEqual(d.segmentNumbers, [])
        XCTAssertEqual(d.segmentCoefficients, [])
        let global = ModelDiff(old: Self.card.globalModel, new: Self.card.globalModel)
        XCTAssertEqual(d.numbersCompared, global.numbersCompared + 1 + 3 * (Self.card.features.count + 1))
        XCTAssertEqual(ModelDiffReport.render(d), ModelDiffReport.render(global).replacingOccurrences(of: "\(global.numbersCompared) numbers", with: "\(d.numbersCompared) numbers"))
    }

    /// A last-bit difference in a segment coefficient is the same model; a
    /// change beyond the tolerance is listed with the segment, the feature
    /// and its odds-ratio factor.
    func testSegmentCoefficientsUnderTheToleranceRule() throws {
        let k = try index("APAC", in: Self.card)
        let j = try XCTUnwrap(Self.card.features.firstIndex { $0.name == "Demo Requested" })
        let beta = try XCTUnwrap(Self.card.segments?.segments[k].coefficients?[j])
        var b = Self.card
        b.segments!.segments[k].coefficients![j] = beta.nextUp.nextUp
        var d = ModelDiff(old: Self.card, new: b)
        XCTAssertTrue(d.same)
        XCTAssertEqual(d.largestDifferenceAt, "segment \"APAC\" coefficient of Demo Requested")
        XCTAssertEqual(d.largestDifference, 2 * beta.ulp / max(abs(beta), 1), accuracy: 1e-30)

        b.segments!.segments[k].coefficients![j] = beta + 0.2
        let intercept = try XCTUnwrap(Self.card.segments?.segments[k].intercept)
        b.segments!.segments[k].intercept = intercept - 0.05
        d = ModelDiff(old: Self.card, new: b)
        XCTAssertFalse(d.same)
        XCTAssertEqual(d.segments, [])
        XCTAssertEqual(
            d.segmentCoefficients,
            [
                .init(segment: "APAC", feature: "Demo Requested", old: beta, new: beta + 0.2, difference: (beta + 0.2) - beta, oddsRatioFactor: exp((beta + 0.2) - beta)),
                .init(
                    segment: "APAC", feature: "(intercept)", old: intercept, new: intercept - 0.05, difference: (intercept - 0.05) - intercept,
                    oddsRatioFactor: exp((intercept - 0.05) - intercept)),
            ])
        XCTAssertTrue(d.coefficients.isEmpty, "the global model is unchanged")
        let text = ModelDiffReport.render(d)
        XCTAssertTrue(text.contains("Segment models' coefficients (log-odds; per SD for numbers), largest change first:\n"), text)
        let row = try XCTUnwrap(text.split(separator: "\n").first { $0.hasPrefix("APAC") && $0.contains("Demo Requested") })
        XCTAssertTrue(row.hasSuffix(ModelNumber.fixed(exp(0.2), 4)), String(row))
        XCTAssertTrue(ModelDiffReport.render(d, top: 1).contains("largest change first, 1 of 2:"))
    }

    /// λ, a segment's own model against the global model, its training
    /// deals, and segments added and removed.
    func testLambdaSegmentsAndTheirModels() throws {
        var b = Self.card
        b.segments!.l2 = 4
        let apac = try index("APAC", in: b), latam = try index("LATAM", in: b)
        b.segments!.segments[apac].intercept = nil
        b.segments!.segments[apac].coefficients = nil
        b.segments!.segments[apac].conversions += 1
        b.segments!.segments[latam].value = "South America"
        let d = ModelDiff(old: Self.card, new: b)
        XCTAssertFalse(d.same)
        XCTAssertEqual(d.segmentNumbers?.map(\.what), ["segment penalty λ (segmentL2)"])
        XCTAssertEqual(d.segmentNumbers?.first?.new, 4)
        XCTAssertEqual(
            d.segments,
            [
                .init(what: "segments added", old: "", new: "South America"), .init(what: "segments removed", old: "LATAM", new: ""),
                .init(
                    what: "segment \"APAC\" won training deals", old: String(Self.card.segments!.segments[apac].conversions),
                    new: String(Self.card.segments!.segments[apac].conversions + 1)),
                .init(what: "segment \"APAC\" model", old: "own", new: "global model"),
            ])
        XCTAssertEqual(d.segmentCoefficients, [], "no coefficients to compare with the global model's")
        let text = ModelDiffReport.render(d)
        XCTAssertTrue(text.contains("Segment models:\n  segments added: (none) → South America\n  segments removed: LATAM → (none)\n"), text)
    }

    /// The cross-validated deviances are compared number by number.
    func testCrossValidatedDeviances() {
        var a = Self.card
        let candidates = SegmentModels.lambdaGrid.map { SegmentModels.Selection.Candidate(l2: $0, deviance: 1000 + $0) }
        a.segments!.selection = .init(method: SegmentModels.Selection.crossValidation, folds: 5, seed: 42, deviances: candidates, globalDeviance: 1200)
        var b = a
        b.segments!.selection.deviances![3].deviance += 0.5
        b.segments!.selection.globalDeviance = 1200 * (1 + 1e-12)
        let d = ModelDiff(old: a, new: b)
        XCTAssertEqual(d.segmentNumbers?.map(\.what), ["segment out-of-fold deviance at λ = 3"])
        XCTAssertEqual(d.segmentNumbers?.first?.difference, (1003 + 0.5) - 1003)
        XCTAssertEqual(ModelDiff(old: Self.card, new: a).segments?.map(\.what), ["segment λ chosen by", "segment cross-validation folds", "segment cross-validation seed", "segment λ candidates"])
    }

    /// A card with segment models against one without is a change, said in
    /// one line; two cards without have no segment fields at all.
    func testACardWithSegmentsAgainstOneWithout() throws {
        let d = ModelDiff(old: Self.card.globalModel, new: Self.card)
        XCTAssertFalse(d.same)
        let s = try XCTUnwrap(Self.card.segments)
        let listing = s.segments.map { "\($0.value) (\($0.coefficients == nil ? "global model" : "own model"))" }.joined(separator: ", ")
        XCTAssertEqual(d.segments, [.init(what: "segment models", old: "", new: "by \"Region\", λ = 3: \(listing)")])
        XCTAssertEqual(d.segmentCoefficients, [])
        XCTAssertTrue(ModelDiffReport.render(d).contains("Segment models:\n  segment models: (none) → by \"Region\", λ = 3: "))
        XCTAssertEqual(ModelDiff(old: Self.card, new: Self.card.globalModel).segments?.first?.old, "by \"Region\", λ = 3: \(listing)")

        let plain = ModelDiff(old: Self.card.globalModel, new: Self.card.globalModel)
        XCTAssertNil(plain.segments)
        XCTAssertNil(plain.segmentNumbers)
        XCTAssertNil(plain.segmentCoefficients)
        XCTAssertFalse(String(decoding: try plain.jsonData(), as: UTF8.self).contains("segment"))
        XCTAssertFalse(ModelDiffReport.render(plain).contains("Segment"))
    }
}
