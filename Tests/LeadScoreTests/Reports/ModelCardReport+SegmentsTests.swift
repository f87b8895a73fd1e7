import XCTest

@testable import LeadScore

/// `inspect` and `train`'s summary of a card with segment models: the
/// choice of λ, the segments, and each segment's differences from the
/// global model, checked against the card's own numbers.
final class ModelCardReportSegmentsTests: XCTestCase {
    /// Segment models by Region with λ chosen by cross-validation, and
    /// with λ = 3 (given), small enough for differences above 0.01.
    static let crossValidated = try! TrainedCards.segmented(rows: 6000, seed: 311, segmentL2: nil)
    static let card = try! TrainedCards.segmented(rows: 6000, seed: 311)

    func lines(_ text: String) -> [String] { text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) }

    /// The cells of a table row: runs of text two or more spaces apart.
    func cells(_ line: String) -> [String] {
        line.components(separatedBy: "  ").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    func testInspectionListsLambdaAndTheCrossValidatedDeviances() throws {
        let s = try XCTUnwrap(Self.crossValidated.segments)
        XCTAssertEqual(s.selection.method, SegmentModels.Selection.crossValidation)
        let candidates = try XCTUnwrap(s.selection.deviances)
        XCTAssertEqual(candidates.map(\.l2), SegmentModels.lambdaGrid)
        let text = lines(ModelCardReport.inspection(Self.crossValidated))
        let head = try XCTUnwrap(text.firstIndex { $0.hasPrefix("Segment models by \"Region\": ") })
        XCTAssertTrue(text[head].contains("λ = \(ModelNumber.text(s.l2)), chosen by 5-fold cross-validation (seed 42)"), text[head])
        // The table: a header, a rule, one row per λ, then the global model.
        for (k, c) in candidates.enumerated() {
            let row = cells(text[head + 3 + k])
            XCTAssertEqual(row[0], ModelNumber.text(c.l2))
            XCTAssertEqual(row[1], String(format: "%.1f", c.deviance))
            XCTAssertEqual(row.count == 3, c.l2 == s.l2, "only the chosen λ is marked: \(row)")
        }
        XCTAssertEqual(s.l2, candidates.min { $0.deviance < $1.deviance }?.l2, "the smallest deviance is chosen")
        let global = cells(text[head + 3 + candidates.count])
        XCTAssertEqual(global[0], "global model alone")
        XCTAssertEqual(global[1], String(format: "%.1f", try XCTUnwrap(s.selection.globalDeviance)))

        let given = try XCTUnwrap(ModelCardReport.inspection(Self.card).split(separator: "\n").first { $0.hasPrefix("Segment models by ") })
        XCTAssertTrue(given.hasSuffix("λ = 3, as given (`segmentL2`)."), String(given))
    }

    func testInspectionListsTheSegmentsAndWhyOneUsesTheGlobalModel() throws {
        let s = try XCTUnwrap(Self.card.segments)
        let text = lines(ModelCardReport.inspection(Self.card))
        let head = try XCTUnwrap(text.firstIndex { $0.hasPrefix("Segments (training rows; a model of its own needs at least 100 won and 100 lost deals") })
        XCTAssertEqual(cells(text[head + 1]), ["segment", "rows", "won", "model"])
        for (k, x) in s.segments.enumerated() {
            let row = cells(text[head + 3 + k])
            XCTAssertEqual(row[0], x.value)
            XCTAssertEqual(row[1], ModelNumber.grouped(x.rows))
            XCTAssertEqual(row[2], ModelNumber.grouped(x.conversions))
            let enough = x.conversions >= 100 && x.rows - x.conversions >= 100
            XCTAssertEqual(x.hasModel, enough, x.value)
            XCTAssertEqual(row[3], enough ? "own (\(x.iterations!) Newton iterations)" : "global: \(x.conversions) won, below 100", x.value)
        }
        XCTAssertEqual(cells(text[head + 3 + s.segments.count]), ["(missing or not seen in training)", "global"])
        XCTAssertTrue(s.segments.contains { !$0.hasModel }, "LATAM is too small for a model of its own")
    }

    /// Per segment with a model: the intercept's difference, then the
    /// eight largest |β_s − β_g| recomputed here from the card's
    /// coefficients, and the count of those below 0.01.
    func testInspectionListsEachSegmentsLargestDifferences() throws {
        let m = Self.card, s = try XCTUnwrap(m.segments)
        let text = lines(ModelCardReport.inspection(m))
        var checked = 0
        for x in s.segments {
            let prefix = "\"\(x.value)\": its model minus the global model"
            guard let beta = x.coefficients, let b = x.intercept else {
                XCTAssertFalse(text.contains { $0.hasPrefix(prefix) }, x.value)
                continue
            }
            let head = try XCTUnwrap(text.firstIndex { $0.hasPrefix(prefix) }, x.value)
            var d: [(String, Double, Double)] = []
            for (k, f) in m.features.enumerated() { d.append((f.name, beta[k], f.coefficient)) }
            let negligible = d.filter { abs($0.1 - $0.2) < 0.01 }.count
            let top = d.sorted { abs($0.1 - $0.2) > abs($1.1 - $1.2) }.prefix(8).filter { abs($0.1 - $0.2) >= 0.01 }
            XCTAssertEqual(
                text[head],
                prefix + " (log-odds; per SD for numbers): \(d.count - negligible) of \(d.count) coefficients differ by 0.01 or more"
                    + (top.isEmpty ? "" : ", the largest \(top.count) listed") + "; \(negligible) by less:")
            XCTAssertFalse(top.isEmpty, "λ = 3 leaves differences above 0.01")
            XCTAssertEqual(cells(text[head + 3]), ["(intercept)", ModelNumber.signed(b, 3), ModelNumber.signed(m.intercept.coefficient, 3), ModelNumber.signed(b - m.intercept.coefficient, 3)])
            for (k, (name, mine, global)) in top.enumerated() {
                XCTAssertEqual(cells(text[head + 4 + k]), [name, ModelNumber.signed(mine, 3), ModelNumber.signed(global, 3), ModelNumber.signed(mine - global, 3)], x.value)
            }
            XCTAssertTrue(text[head + 4 + top.count].isEmpty, "the table ends after the listed rows")
            checked += 1
        }
        XCTAssertEqual(checked, s.modelled.count)
        XCTAssertGreaterThanOrEqual(checked, 2)
    }

    func testTrainingSummaryNamesTheLargestDifferencesAndACardWithoutSegmentsHasNone() throws {
        let m = Self.card, s = try XCTUnwrap(m.segments)
        let summary = ModelCardReport.trainingSummary(m, path: "seg.json")
        let apac = try XCTUnwrap(s.segments.first { $0.value == "APAC" })
        let beta = try XCTUnwrap(apac.coefficients)
        let largest = try XCTUnwrap(m.features.indices.max { abs(beta[$0] - m.features[$0].coefficient) < abs(beta[$1] - m.features[$1].coefficient) })
        XCTAssertTrue(
            summary.contains("\"APAC\" \(m.features[largest].name) \(ModelNumber.signed(beta[largest] - m.features[largest].coefficient, 2))"), summary)
        XCTAssertFalse(summary.contains("--"), "options are named by key")
        XCTAssertTrue(ModelCardReport.inspection(m).contains("lost deals, `minConversions`):"), "options are named by key")

        let plain = try TrainedCards.train(rows: 1500, seed: 312)
        XCTAssertFalse(ModelCardReport.inspection(plain).contains("Segment"))
        XCTAssertFalse(ModelCardReport.trainingSummary(plain, path: "m.json").contains("Segment"))
    }
}
