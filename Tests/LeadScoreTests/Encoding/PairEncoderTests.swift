import Foundation
import XCTest

@testable import LeadScore

/// Pair terms (`PairEncoder`) against an independent recomputation in
/// pandas and statsmodels (Fixtures/make_pairs_fixture.py: 1,500 deals with
/// a planted Source × Visits effect, the design of `--l2 0 --interaction
/// Visits*Source` built from the documented encoding and fitted by
/// statsmodels Logit).
final class PairEncoderTests: XCTestCase {
    static let csv = Fixtures.directory.appendingPathComponent("pairs.csv").path

    static func train(_ change: (inout TrainingConfiguration) -> Void = { _ in }) throws -> ModelCard {
        var c = TrainingConfiguration()
        c.target = "Won"
        c.positive = ["Yes"]
        c.ids = ["Deal ID"]
        c.l2 = 0
        c.interactions = ["Visits*Source"]
        change(&c)
        var request = TrainingRequest(dataPath: csv, configuration: c)
        request.trainingDate = "2026-12-07"
        return try Trainer.train(request)
    }

    static let card = Result { try train() }

    /// The probabilities `score` gives the rows of `path`.
    static func probabilities(_ card: ModelCard, _ path: String) throws -> [Double] {
        let reader = try CSVReader(path: path)
        var scorer = try ModelScorer(model: card, header: reader.header, file: path, options: ScoringOptions(reasons: 0))
        var out: [Double] = []
        while try reader.nextRecord() { out.append(scorer.probability(logOdds: try scorer.logOdds(reader: reader))) }
        return out
    }

    /// The cells: Visits at its quartiles (inverted CDF, distinct, below
    /// the maximum), Source's reference and every other level; each cell's
    /// training rows equal pandas' crosstab.
    func testCellsMatchTheRecomputation() throws {
        let f = try Fixtures.json("pairs.json")
        let card = try Self.card.get()
        let pair = try XCTUnwrap(card.schema.encoders.pairs.first)
        XCTAssertEqual(card.schema.encoders.pairs.count, 1)
        XCTAssertEqual(pair.first.column, "Visits")
        XCTAssertEqual(pair.first.edges, try Fixtures.doubles(f["visits_edges"]))
        XCTAssertEqual(pair.second.cells, try XCTUnwrap(f["source_cells"] as? [String]))
        XCTAssertEqual(pair.second.cells.count, 7)
        let counts = try XCTUnwrap(f["pair_counts"] as? [[Int]])
        XCTAssertEqual(pair.counts, counts.flatMap { $0 })
        XCTAssertEqual(pair.counts.reduce(0, +), 1500)
        XCTAssertEqual(card.formatVersion, ModelCard.pairCellRowsFormatVersion)
        XCTAssertEqual(card.formatVersion, 11)
        XCTAssertEqual(card.features.suffix(pair.featureCount).map(\.column), Array(repeating: "Visits × Source", count: pair.featureCount))
    }

    /// The rare-cell rule: exactly the cells (i ≥ 1, j ≥ 1) with fewer than
    /// 10 training rows by pandas' crosstab have no feature (3 × 6 cells,
    /// one of 9 rows: 17 features); a lead in that cell gets no pair
    /// adjustment, and one in a cell beside it does.
    func testRareCellsHaveNoFeature() throws {
        let f = try Fixtures.json("pairs.json")
        let card = try Self.card.get()
        let pair = try XCTUnwrap(card.schema.encoders.pairs.first)
        let rare = try XCTUnwrap(f["pair_rare_cells"] as? [[Int]])
        XCTAssertEqual(rare, [[2, 6]])
        XCTAssertEqual(pair.minimumCellRows, 10)
        XCTAssertEqual(PairEncoder.minimumRowsOfACell, 10)
        var withoutFeature: [[Int]] = []
        for i in 1..<pair.first.cellCount {
            for j in 1..<pair.second.cellCount where pair.feature(i, j) == nil { withoutFeature.append([i, j]) }
        }
        XCTAssertEqual(withoutFeature, rare)
        XCTAssertEqual(pair.featureCount, 3 * 6 - rare.count)
        XCTAssertFalse(pair.featureNames.contains("Visits × Source: 2 to 3, Trade show"))
        XCTAssertTrue(pair.featureNames.contains("Visits × Source: 2 to 3, Ads"))

        let c = try Self.contributions(card, "Deal ID,Source,Region,Visits,Demo\nL1,Trade show,North,3,No\nL2,Trade show,North,4,No\n")
        XCTAssertEqual(c[0][4], 0)  // 3 visits: "2 to 3", the rare cell.
        let offset = card.schema.encoders.pairOffsets[0]
        XCTAssertEqual(c[1][4], card.features[offset + (try XCTUnwrap(pair.feature(3, 6)))].coefficient)
        XCTAssertNotEqual(c[1][4], 0)
    }

    /// Each term's contribution (`ModelScorer.contributions`: the columns,
    /// then the pairs) to the log-odds of each lead of the CSV `text`.
    static func contributions(_ card: ModelCard, _ text: String) throws -> [[Double]] {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pairs-leads-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let leads = dir.appendingPathComponent("leads.csv").path
        try text.write(toFile: leads, atomically: true, encoding: .utf8)
        let reader = try CSVReader(path: leads)
        var scorer = try ModelScorer(model: card, header: reader.header, file: leads, options: ScoringOptions(reasons: 0))
        var out: [[Double]] = []
        while try reader.nextRecord() {
            _ = try scorer.logOdds(reader: reader)
            out.append(scorer.contributions())
        }
        return out
    }

    /// A card of format 8 to 10 (no `minimumCellRows`: every cell off row
    /// and column 0 has a feature, also an empty or rare one) still loads
    /// and scores by its own rule: the card above with the rare cell given
    /// back a feature of coefficient 0.25 scores a lead of that cell 0.25
    /// higher in log-odds, and every other lead the same.
    func testCardsWithoutTheRuleKeepEveryCell() throws {
        let card = try Self.card.get()
        var old = card
        let offset = card.schema.encoders.pairOffsets[0]
        old.schema.encoders.pairs[0].minimumCellRows = nil
        let at = offset + (try XCTUnwrap(old.schema.encoders.pairs[0].feature(2, 6)))
        old.features.insert(ModelCard.Feature(name: "Visits × Source: 2 to 3, Trade show", column: "Visits × Source", coefficient: 0.25, standardError: 0), at: at)
        old.formatVersion = 10
        XCTAssertEqual(old.requiredFormatVersion, 8)
        XCTAssertEqual(old.schema.encoders.featureNames, old.features.map(\.name))
        let back = try ModelCard.decode(try old.jsonData(), file: "old.json", allowEdited: true)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pairs-old-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let leads = dir.appendingPathComponent("leads.csv").path
        try "Deal ID,Source,Region,Visits,Demo\nL1,Trade show,North,3,No\nL2,Trade show,North,4,No\nL3,Email,South,,Yes\n".write(toFile: leads, atomically: true, encoding: .utf8)
        func logOdds(_ c: ModelCard) throws -> [Double] {
            try Self.probabilities(c, leads).map { log($0 / (1 - $0)) }
        }
        let (new, was) = (try logOdds(card), try logOdds(back))
        XCTAssertEqual(was[0] - new[0], 0.25, accuracy: 1e-12)
        XCTAssertEqual(was[1], new[1], accuracy: 1e-12)
        XCTAssertEqual(was[2], new[2], accuracy: 1e-12)
    }

    /// λ = 0: the coefficients and the probabilities `score` gives equal
    /// statsmodels' on the pandas design, to 1e-6.
    func testFitEqualsStatsmodelsOnTheSameDesign() throws {
        let f = try Fixtures.json("pairs.json")
        let card = try Self.card.get()
        let names = try XCTUnwrap(f["feature_names"] as? [String])
        XCTAssertEqual(card.features.count, names.count)
        XCTAssertEqual(Array(card.features.prefix(10).map(\.name)), Array(names.prefix(10)))
        XCTAssertEqual(card.intercept.coefficient, try Fixtures.double(f["intercept"]), accuracy: 1e-6)
        assertClose(card.coefficients, try Fixtures.doubles(f["coef"]), absolute: 1e-6)
        assertClose(try Self.probabilities(card, Self.csv), try Fixtures.doubles(f["probabilities"]), absolute: 1e-6)
    }

    /// `score` on the training file gives the fit's own probabilities (the
    /// one road: the design of training and the row encoder of scoring).
    func testScoreReproducesTheTrainingFit() throws {
        let card = try Self.card.get()
        let scored = try Self.probabilities(card, Self.csv)
        let labels = try String(contentsOfFile: Self.csv, encoding: .utf8).split(separator: "\n").dropFirst().map { $0.hasSuffix(",Yes") ? 1.0 : 0.0 }
        let metrics = BinaryMetrics.compute(labels: labels, probabilities: scored, logOdds: scored.map { log($0 / (1 - $0)) })
        XCTAssertEqual(metrics.logLoss, card.metrics.training.logLoss, accuracy: 1e-12)
        XCTAssertEqual(metrics.auc, card.metrics.training.auc, accuracy: 1e-12)
    }

    /// The card writes and reads back byte for byte; a card without pairs
    /// has no `pairs` key (the bundled card reads and writes as it is), and
    /// a card with pairs that says an older version, or names a column the
    /// model does not have, is refused.
    func testCardRoundTripAndOldCards() throws {
        let card = try Self.card.get()
        let data = try card.jsonData()
        let back = try ModelCard.decode(data, file: "m.json")
        XCTAssertEqual(back.schema.encoders.pairs, card.schema.encoders.pairs)
        XCTAssertEqual(try back.jsonData(), data)

        let bundled = Fixtures.repositoryRoot.appendingPathComponent("models/b2b-deals.json").path
        let bytes = try Data(contentsOf: URL(fileURLWithPath: bundled))
        let old = try ModelCard.decode(bytes, file: bundled)
        XCTAssertTrue(old.schema.encoders.pairs.isEmpty)
        XCTAssertEqual(try old.jsonData(), bytes)
        XCTAssertFalse(String(decoding: bytes, as: UTF8.self).contains("\"pairs\""))

        let text = String(decoding: data, as: UTF8.self)
        let lowered = text.replacingOccurrences(of: "\"formatVersion\" : 11,", with: "\"formatVersion\" : 6,")
        XCTAssertNotEqual(lowered, text)
        XCTAssertThrowsError(try ModelCard.decode(Data(lowered.utf8), file: "m.json", allowEdited: true)) {
            XCTAssertTrue(($0 as! InputError).problem.contains("only format"), "\($0)")
        }
        // Rare cells without a feature need format 11: a reader of 10
        // would give the rare cell a feature and misplace the coefficients.
        let ten = text.replacingOccurrences(of: "\"formatVersion\" : 11,", with: "\"formatVersion\" : 10,")
        XCTAssertThrowsError(try ModelCard.decode(Data(ten.utf8), file: "m.json", allowEdited: true)) {
            XCTAssertTrue(($0 as! InputError).problem.contains("only format 11 cards have"), "\($0)")
        }
        var renamed = card
        renamed.schema.encoders.pairs[0].second.column = "Nowhere"
        XCTAssertTrue(renamed.pairsProblem?.contains("not a column of the model") ?? false)
        var unsorted = card
        unsorted.schema.encoders.pairs[0].first.edges = [2, 1, 3]
        XCTAssertNotNil(unsorted.pairsProblem)
    }

    /// The cells of a lead: bins by x ≤ edge, a missing number in the
    /// median's bin; booleans false/missing → 0; a category without a cell
    /// of its own (in a card of format 8 to 10, which kept 4 levels) or
    /// unseen → cell 0.
    func testCellRules() throws {
        let numeric = ColumnEncoder.numeric(NumericEncoder(column: "N", median: 2.5, log1p: true, mean: 0, standardDeviation: 1, missingIndicator: true))
        let side = PairSide(column: "N", cells: ["a", "b", "c"], edges: [1, 3])
        let rule = side.cellFinder(numeric)
        XCTAssertEqual([0.0, 1, 1.5, 3, 3.5, -.infinity, .infinity].map { rule.cell(value: $0, active: -1) }, [0, 0, 1, 1, 2, 0, 2])
        XCTAssertEqual(rule.cell(value: .nan, active: -1), 1)
        let boolean = PairSide(column: "B", cells: ["false", "true"]).cellFinder(.boolean(BooleanEncoder(column: "B", missingIndicator: true)))
        XCTAssertEqual([1.0, 0, .nan].map { boolean.cell(value: $0, active: -1) }, [1, 0, 0])
        let category = CategoricalEncoder(column: "C", reference: "r", levels: ["x", "y", "z"], pooled: [], counts: [5, 4, 3, 9])
        let levels = PairSide(column: "C", cells: ["r or other", "z", "x"], levels: ["z", "x"]).cellFinder(.categorical(category))
        XCTAssertEqual([-1, 0, 1, 2].map { levels.cell(value: .nan, active: $0) }, [0, 2, 0, 1])
        XCTAssertEqual(PairSide.binEdges([0, 0, 0, 0, 0, 1, 2, 5]), [0, 1])
        XCTAssertEqual(PairSide.binEdges([4, 4, 4]), [])
        XCTAssertEqual(PairSide.binEdges([1, 2, 3, 4, 5, 6, 7, 8]), [2, 4, 6])
    }

    /// Reasons: a pair's contribution is a reason of its own, with both
    /// values, equal to its active cell's coefficient.
    func testPairReasons() throws {
        let card = try Self.card.get()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pairs-reasons-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let leads = dir.appendingPathComponent("leads.csv").path
        let text = "Deal ID,Source,Region,Visits,Demo\nL1,Email,North,7,No\nL2,Ads,North,7,No\n"
        try text.write(toFile: leads, atomically: true, encoding: .utf8)
        let pair = card.schema.encoders.pairs[0]
        let offset = card.schema.encoders.pairOffsets[0]
        let c = try Self.contributions(card, text)
        XCTAssertEqual(c[0].count, 5)
        // Visits 7 is in the last bin (> 3), Email is Source's cell 2.
        XCTAssertEqual(c[0][4], card.features[offset + pair.feature(3, 2)!].coefficient)
        XCTAssertEqual(c[1][4], card.features[offset + pair.feature(3, 5)!].coefficient)  // Ads is cell 5.

        let out = dir.appendingPathComponent("scores.csv").path
        _ = try Scorer.score(model: card, inputPath: leads, outputPath: out, options: ScoringOptions(reasons: 5))
        let scored = try String(contentsOfFile: out, encoding: .utf8)
        XCTAssertTrue(scored.contains("Visits = 7 and Source = Email: odds ×"), scored)
    }
}
