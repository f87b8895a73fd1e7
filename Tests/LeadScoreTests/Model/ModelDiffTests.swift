import XCTest

@testable import LeadScore

final class ModelDiffTests: XCTestCase {
    /// One small card, trained once for every test.
    static let card = try! TrainedCards.train(seed: 11)

    func testACardEqualsItself() {
        let d = ModelDiff(old: Self.card, new: Self.card)
        XCTAssertTrue(d.same)
        XCTAssertEqual(d.largestDifference, 0)
        XCTAssertEqual(d.largestDifferenceAt, "")
        XCTAssertTrue(d.provenance.isEmpty)
        // Coefficients and standard errors of every feature and the intercept, at least.
        XCTAssertGreaterThan(d.numbersCompared, 2 * (Self.card.features.count + 1))
        XCTAssertTrue(ModelDiffReport.render(d).contains("are the same model"))
    }

    /// The groups decide: a column moved to the other group, a cut-off or
    /// a mean changed, and groups on one side only, are differences.
    func testFitAndEngagementGroupsAreCompared() throws {
        let a = try TrainedCards.train(rows: 1500, seed: 12) { TrainedCards.assignGroups(&$0) }
        XCTAssertTrue(ModelDiff(old: a, new: a).same)
        var b = a
        for j in b.features.indices where b.features[j].column == "Lead Source" { b.features[j].group = .engagement }
        b.subScores?.grid.fit[0] += 1
        b.subScores?.meanFit += 1e-12
        let d = ModelDiff(old: a, new: b)
        XCTAssertFalse(d.same)
        XCTAssertEqual(d.groups, [ModelDiff.Change(what: "\"Lead Source\" group", old: "fit", new: "engagement")])
        XCTAssertEqual(d.subScoreNumbers.map(\.what), ["grid fit cut-off 1"], "a change within the tolerance is the same")
        let text = ModelDiffReport.render(d)
        XCTAssertTrue(text.contains("Fit and engagement:\n  \"Lead Source\" group: fit → engagement\n  grid fit cut-off 1: "), text)

        var plain = a
        plain.subScores = nil
        for j in plain.features.indices { plain.features[j].group = nil }
        let e = ModelDiff(old: plain, new: a)
        XCTAssertFalse(e.same)
        XCTAssertEqual(e.groups.count, 1)
        XCTAssertEqual(e.groups[0].old, "")
        XCTAssertTrue(e.groups[0].new.hasPrefix("fit: Country, Industry,"), e.groups[0].new)
        XCTAssertTrue(e.groups[0].new.contains("; engagement: Created Date, Pricing Page Visits"), e.groups[0].new)
    }

    /// The rule |a − b| ≤ tolerance · max(|a|, |b|, 1), at its edges.
    func testTheToleranceRule() {
        XCTAssertEqual(ModelDiff.scaledDifference(2, 2), 0)
        XCTAssertEqual(ModelDiff.scaledDifference(.nan, .nan), 0, "NaN equals NaN")
        XCTAssertEqual(ModelDiff.scaledDifference(.infinity, .infinity), 0)
        XCTAssertEqual(ModelDiff.scaledDifference(1, .nan), .infinity)
        XCTAssertEqual(ModelDiff.scaledDifference(1, .infinity), .infinity)
        XCTAssertEqual(ModelDiff.scaledDifference(-4, 4), 2, "relative to the larger magnitude")
        XCTAssertEqual(ModelDiff.scaledDifference(1e-14, 3e-14), 3e-14 - 1e-14, "absolute below 1")
        XCTAssertTrue(ModelDiff.same(1e-14, 3e-14, tolerance: 1e-9), "a coefficient near zero is judged on the log-odds scale")
        XCTAssertFalse(ModelDiff.same(1000, 1000.001, tolerance: 1e-9))
        XCTAssertTrue(ModelDiff.same(1000, 1000 + 1e-7, tolerance: 1e-9))
    }

    /// A last-bit change is the same model; a change beyond the tolerance is
    /// reported with its odds-ratio factor.
    func testCoefficientChanges() throws {
        var b = Self.card
        let k = try XCTUnwrap(b.features.firstIndex { $0.name == "Demo Requested" })
        let beta = b.features[k].coefficient
        b.features[k].coefficient = beta.nextUp.nextUp
        var d = ModelDiff(old: Self.card, new: b)
        XCTAssertTrue(d.same)
        XCTAssertEqual(d.largestDifferenceAt, "coefficient of Demo Requested")
        XCTAssertEqual(d.largestDifference, 2 * beta.ulp / max(abs(beta), 1), accuracy: 1e-30)

        b.features[k].coefficient = beta + 0.25
        d = ModelDiff(old: Self.card, new: b)
        XCTAssertFalse(d.same)
        XCTAssertEqual(d.coefficients.count, 1)
        let c = d.coefficients[0]
        XCTAssertEqual(c.feature, "Demo Requested")
        XCTAssertTrue(c.coefficientChanged)
        XCTAssertEqual(c.difference, (beta + 0.25) - beta)
        XCTAssertEqual(c.oddsRatioFactor, exp(c.difference))
        XCTAssertEqual(c.oldStandardError, c.newStandardError)

        // A standard error alone.
        b = Self.card
        b.intercept.standardError *= 1.01
        d = ModelDiff(old: Self.card, new: b)
        XCTAssertEqual(d.coefficients.map(\.feature), ["(intercept)"])
        XCTAssertFalse(d.coefficients[0].coefficientChanged)
        XCTAssertEqual(ModelDiff(old: Self.card, new: b, tolerance: 0.02).same, true, "within a looser tolerance")
    }

    /// Encoder changes: a new reference level, levels added, removed and
    /// pooled, a changed median and scale, a removed column and its features.
    func testEncoderAndFeatureChanges() throws {
        var b = Self.card
        var columns = b.schema.encoders.columns
        let c = try XCTUnwrap(columns.firstIndex { $0.kind == .categorical })
        guard case .categorical(var e) = columns[c] else { return XCTFail() }
        let oldReference = e.reference
        e.reference = e.levels[0]
        e.levels[0] = oldReference
        e.levels.append("Brand New")
        e.pooled.append("Rare One")
        e.counts.insert(1, at: e.levels.count - 1)
        columns[c] = .categorical(e)
        let n = try XCTUnwrap(columns.firstIndex { $0.kind == .numeric })
        guard case .numeric(var f) = columns[n] else { return XCTFail() }
        f.median += 1
        f.standardDeviation *= 2
        columns[n] = .numeric(f)
        let removed = try XCTUnwrap(columns.firstIndex { $0.kind == .boolean })
        let removedName = columns[removed].column
        columns.remove(at: removed)
        b.schema.encoders.columns = columns
        b.features.removeAll { $0.column == removedName }

        let d = ModelDiff(old: Self.card, new: b)
        XCTAssertFalse(d.same)
        let col = "\"\(e.column)\""
        XCTAssertTrue(d.encoders.contains(.init(what: "\(col) reference level", old: oldReference, new: e.reference)), "\(d.encoders)")
        // The old reference now has a feature, the new one has none.
        XCTAssertTrue(d.encoders.contains(.init(what: "\(col) levels added", old: "", new: "\(oldReference), Brand New")), "\(d.encoders)")
        XCTAssertTrue(d.encoders.contains(.init(what: "\(col) levels removed", old: e.reference, new: "")), "\(d.encoders)")
        XCTAssertTrue(d.encoders.contains(.init(what: "\(col) levels pooled into \"(other)\"", old: "", new: "Rare One")))
        XCTAssertEqual(d.encoderNumbers.map(\.what), ["\"\(f.column)\" median", "\"\(f.column)\" standard deviation (scale)"])
        XCTAssertEqual(d.encoderNumbers[0].difference, 1)
        XCTAssertEqual(d.columnsRemoved.map(\.column), [removedName])
        XCTAssertEqual(d.featuresRemoved.map(\.column), Self.card.features.filter { $0.column == removedName }.map(\.column))
        XCTAssertTrue(d.featuresAdded.isEmpty)
    }

    /// Metrics, the training record, and what never decides.
    func testMetricsTrainingAndProvenance() throws {
        var b = Self.card
        b.metrics.holdout?.auc += 0.01
        b.metrics.training.deciles[3].observedRate += 0.01
        b.training.options.l2 = 2
        var d = ModelDiff(old: Self.card, new: b)
        XCTAssertFalse(d.same)
        XCTAssertEqual(d.metrics.map(\.what), ["holdout AUC"])
        XCTAssertEqual(d.decileNumbers.map(\.what), ["training decile 4 observed rate"])
        XCTAssertEqual(d.trainingNumbers.map(\.what), ["L2 penalty (l2)"])

        b = Self.card
        b.training.date = "2027-01-01"
        b.training.source.file = "renamed.csv"
        // A kernel no machine reports, so that the test holds under any OPENBLAS_CORETYPE.
        b.training.linearAlgebra = ModelCard.LinearAlgebra(library: "OpenBLAS", version: "0.3.21", kernel: "NoSuchKernel", threads: 1)
        b.training.solver.iterations += 1
        b.training.solver.gradientNorm *= 3
        d = ModelDiff(old: Self.card, new: b)
        XCTAssertTrue(d.same, "provenance does not decide")
        XCTAssertEqual(d.provenance.map(\.what), ["training date", "training file", "linear algebra", "solver iterations", "final gradient norm"])
        b.training.notices.append("A new notice.")
        XCTAssertFalse(ModelDiff(old: Self.card, new: b).same, "a notice decides")
    }

    /// The JSON form reads back, NaN included.
    func testJSON() throws {
        var b = Self.card
        b.metrics.training.auc = .nan
        let d = ModelDiff(old: Self.card, new: b)
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        let back = try decoder.decode(ModelDiff.self, from: d.jsonData())
        XCTAssertEqual(back.metrics.count, 1)
        XCTAssertTrue(back.metrics[0].new.isNaN)
        XCTAssertFalse(back.same)
    }
}
