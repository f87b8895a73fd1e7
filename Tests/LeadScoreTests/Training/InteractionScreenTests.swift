import Foundation
import XCTest

@testable import LeadScore

/// The screen for pair terms (`Trainer+Interactions.swift`): its statistic
/// against an independent computation (Fixtures/make_pairs_fixture.py), a
/// planted interaction found first, none worth having where the truth is
/// linear, and the holdout never seen by it.
final class InteractionScreenTests: XCTestCase {
    var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("screen-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    func train(_ path: String, _ change: (inout TrainingConfiguration) -> Void, holdoutOutput: String? = nil) throws -> ModelCard {
        var c = TrainingConfiguration()
        c.target = "Won"
        c.positive = ["Yes"]
        c.ids = ["Deal ID"]
        c.autoInteractions = 10
        change(&c)
        var request = TrainingRequest(dataPath: path, configuration: c)
        request.trainingDate = "2026-12-07"
        request.holdoutOutputPath = holdoutOutput
        return try Trainer.train(request)
    }

    /// S = Σ g_c²/W_c and its degrees of freedom for every pair of the
    /// fixture's four columns, at the unpenalised main-effects fit, equal
    /// numpy's on statsmodels' fit (to 1e-6 relative: two Newton fits).
    func testStatisticEqualsTheRecomputation() throws {
        let f = try Fixtures.json("pairs.json")
        let card = try train(PairEncoderTests.csv) { $0.l2 = 0 }
        let screen = try XCTUnwrap(card.training.interactions)
        XCTAssertEqual(screen.candidateCount, 6)
        XCTAssertEqual(screen.candidates.count, 6)
        let references = try XCTUnwrap(f["screen_statistics"] as? [[String: Any]])
        XCTAssertEqual(references.count, 6)
        for r in references {
            let (a, b) = (r["first"] as! String, r["second"] as! String)
            let c = try XCTUnwrap(screen.candidates.first { Set([$0.first, $0.second]) == Set([a, b]) }, "\(a) × \(b)")
            XCTAssertEqual(c.degreesOfFreedom, r["df"] as! Int, "\(a) × \(b)")
            let s = try Fixtures.double(r["statistic"])
            XCTAssertEqual(c.statistic, s, accuracy: 1e-6 * s, "\(a) × \(b)")
        }
        XCTAssertEqual(screen.folds, 5)
        XCTAssertEqual(screen.seed, SeededGenerator.defaultSeed)
        XCTAssertEqual(card.formatVersion, card.requiredFormatVersion)
    }

    /// Deals with columns A (4 levels), B (3 levels), X and Z (numbers) and
    /// D (boolean), the truth linear in them, plus, when `planted`, +1.5
    /// log-odds for A = a2 and B = b2 and −1.2 for A = a3 and B = b1.
    func writeDeals(_ name: String, rows: Int, planted: Bool, seed: UInt64, strength: Double = 1) throws -> String {
        var rng = SeededGenerator(seed: seed)
        var text = "Deal ID,A,B,X,Z,D,Won\n"
        for i in 0..<rows {
            let a = rng.index(below: 4), b = rng.index(below: 3)
            let x = (rng.uniform() * 10).rounded() / 2, z = (rng.uniform() * 100).rounded()
            let d = rng.uniform() < 0.4
            var eta = -1.0 + 0.3 * Double(a) - 0.4 * Double(b) + 0.25 * (x - 2.5) + 0.01 * (z - 50) + (d ? 0.7 : 0)
            if planted && a == 2 && b == 2 { eta += 1.5 * strength }
            if planted && a == 3 && b == 1 { eta -= 1.2 * strength }
            let won = rng.uniform() < 1 / (1 + exp(-eta))
            text += "T-\(i),a\(a),b\(b),\(ModelNumber.text(x)),\(ModelNumber.text(z)),\(d ? "Yes" : "No"),\(won ? "Yes" : "No")\n"
        }
        let path = directory.appendingPathComponent(name).path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// The planted A × B is the first pair chosen, with a clear gain (1%
    /// of the deviance or more); in the same deals without it, a pair
    /// chosen by chance gains under 0.5% of the deviance.
    func testPlantedPairIsFoundFirst() throws {
        let planted = try train(try writeDeals("planted.csv", rows: 4000, planted: true, seed: 7)) { _ in }
        let screen = try XCTUnwrap(planted.training.interactions)
        XCTAssertEqual(screen.candidateCount, 10)
        let first = try XCTUnwrap(screen.chosen.first)
        XCTAssertEqual(Set([first.first, first.second]), ["A", "B"])
        XCTAssertGreaterThan(try XCTUnwrap(first.devianceGain), 0.01 * screen.baselineDeviance)
        XCTAssertGreaterThan(try XCTUnwrap(first.aucChange), 0.005)
        XCTAssertEqual(planted.schema.encoders.pairs.first?.name, first.name)
        // Forward: the first pair is added to the main effects alone, the
        // same fits as its gain alone; each chosen pair lowered the
        // deviance of those before it.
        XCTAssertEqual(try XCTUnwrap(first.addedDevianceGain), try XCTUnwrap(first.devianceGain), accuracy: 1e-9 * screen.baselineDeviance)
        XCTAssertGreaterThan(try XCTUnwrap(first.addedDevianceGain), try XCTUnwrap(first.addedGainStandardError))
        for c in screen.chosen { XCTAssertGreaterThan(try XCTUnwrap(c.addedDevianceGain), 0, c.name) }
        XCTAssertEqual(planted.schema.encoders.pairs.map(\.name), screen.chosen.map(\.name))
        XCTAssertTrue(planted.training.notices.contains { $0.hasPrefix("Interactions: 10 column pairs") && $0.contains(first.name) })

        let linear = try train(try writeDeals("linear.csv", rows: 4000, planted: false, seed: 7)) { _ in }
        let none = try XCTUnwrap(linear.training.interactions)
        for c in none.chosen {
            XCTAssertLessThan(try XCTUnwrap(c.devianceGain), 0.005 * none.baselineDeviance, c.name)
            XCTAssertLessThan(abs(try XCTUnwrap(c.aucChange)), 0.002, c.name)
        }
        XCTAssertFalse(none.chosen.contains { Set([$0.first, $0.second]) == ["A", "B"] && ($0.devianceGain ?? 0) > 0.01 * none.baselineDeviance })
    }

    /// With a holdout, the screen sees the training rows only: its
    /// statistics equal those of training on a file of those rows alone
    /// (to 1e-9 relative: the same fit, rows in another order), and it
    /// chooses the same first pair.
    func testHoldoutIsNeverScreened() throws {
        let path = try writeDeals("planted.csv", rows: 3000, planted: true, seed: 11)
        let heldPath = directory.appendingPathComponent("held.csv").path
        let withHoldout = try train(path, { $0.holdout = 0.3 }, holdoutOutput: heldPath)
        let held = Set(try String(contentsOfFile: heldPath, encoding: .utf8).split(separator: "\n").dropFirst().map { $0.split(separator: ",")[0] })
        XCTAssertEqual(held.count, withHoldout.training.holdoutRows)
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        let trainingOnly = directory.appendingPathComponent("training-only.csv").path
        try ([lines[0]] + lines.dropFirst().filter { !held.contains($0.split(separator: ",")[0]) }).joined(separator: "\n").appending("\n")
            .write(toFile: trainingOnly, atomically: true, encoding: .utf8)
        let alone = try train(trainingOnly) { _ in }
        let (a, b) = (try XCTUnwrap(withHoldout.training.interactions), try XCTUnwrap(alone.training.interactions))
        XCTAssertEqual(a.candidateCount, b.candidateCount)
        for c in a.candidates {
            let d = try XCTUnwrap(b.candidates.first { $0.name == c.name })
            XCTAssertEqual(c.statistic, d.statistic, accuracy: 1e-9 * max(1, d.statistic), c.name)
            XCTAssertEqual(c.degreesOfFreedom, d.degreesOfFreedom)
        }
        XCTAssertEqual(a.chosen.first?.name, b.chosen.first?.name)
        XCTAssertEqual(a.chosen.first.map { Set([$0.first, $0.second]) }, ["A", "B"])
    }

    /// With `folds`, the screen runs again on each fold's fitting rows:
    /// on the planted deals, the cross-validated AUC beats the main
    /// effects' own on the same folds, and the final model's pairs are
    /// the screen's on all the rows.
    func testCrossValidationScreensEachFold() throws {
        let path = try writeDeals("planted.csv", rows: 3000, planted: true, seed: 13)
        let with = try train(path) { $0.folds = 3 }
        let without = try train(path) {
            $0.folds = 3
            $0.autoInteractions = nil
        }
        let (a, b) = (try XCTUnwrap(with.metrics.crossValidation), try XCTUnwrap(without.metrics.crossValidation))
        XCTAssertEqual(a.folds.count, 3)
        XCTAssertGreaterThan(a.meanAUC, b.meanAUC + 0.005)
        XCTAssertEqual(with.schema.encoders.pairs.map(\.name), try XCTUnwrap(with.training.interactions).chosen.map(\.name))
    }

    /// Each fold of `folds` is the model that training on that fold's
    /// fitting rows alone gives, its screen included: the fold's AUC equals
    /// that model's on the fold's test rows (to 1e-9; the same rows in the
    /// same order, so the same inner folds).
    func testEachFoldIsTrainedOnItsRowsAlone() throws {
        // 0.7 of the planted effect: a fold chooses other pairs than all the
        // rows do.
        let path = try writeDeals("weak.csv", rows: 2000, planted: true, seed: 17, strength: 0.7)
        let card = try train(path) { $0.folds = 3 }
        let cv = try XCTUnwrap(card.metrics.crossValidation)
        let all = try XCTUnwrap(card.training.interactions).chosen.map(\.name)
        var differing = 0
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        let labels = lines.dropFirst().map { $0.hasSuffix(",Yes") ? 1.0 : 0.0 }
        let splits = StratifiedSplit.folds(rows: Array(labels.indices), labels: labels, k: 3, seed: SeededGenerator.defaultSeed)
        for (f, split) in splits.enumerated() {
            let fitPath = directory.appendingPathComponent("fit-\(f).csv").path, testPath = directory.appendingPathComponent("test-\(f).csv").path
            try ([lines[0]] + split.fit.map { lines[$0 + 1] }).joined(separator: "\n").appending("\n").write(toFile: fitPath, atomically: true, encoding: .utf8)
            try ([lines[0]] + split.test.map { lines[$0 + 1] }).joined(separator: "\n").appending("\n").write(toFile: testPath, atomically: true, encoding: .utf8)
            let fold = try train(fitPath) { _ in }
            if try XCTUnwrap(fold.training.interactions).chosen.map(\.name) != all { differing += 1 }
            let p = try PairEncoderTests.probabilities(fold, testPath)
            let auc = BinaryMetrics.auc(labels: split.test.map { labels[$0] }, scores: p)
            XCTAssertEqual(cv.folds[f].auc, auc, accuracy: 1e-9, "fold \(f)")
        }
        XCTAssertGreaterThan(differing, 0, "the folds choose the pairs all the rows do: the test would not tell")
    }

    /// The bundled deals (a linear truth, datasets/README.md): whatever is
    /// chosen gains under 0.1% of the deviance and 0.001 of AUC.
    func testBundledDealsGainNothing() throws {
        let root = Fixtures.repositoryRoot
        var config = try TrainingConfiguration.load(path: root.appendingPathComponent("datasets/b2b-deals.config.json").path)
        config.autoInteractions = 10
        var request = TrainingRequest(dataPath: root.appendingPathComponent("datasets/b2b-deals.csv").path, configuration: config)
        request.trainingDate = "2026-12-07"
        let card = try Trainer.train(request)
        let screen = try XCTUnwrap(card.training.interactions)
        for c in screen.chosen {
            XCTAssertLessThan(try XCTUnwrap(c.devianceGain), 0.001 * screen.baselineDeviance, c.name)
            XCTAssertLessThan(abs(try XCTUnwrap(c.aucChange)), 0.001, c.name)
        }
    }

    /// One fold of the check, recomputed from cards: the offsets o_i are
    /// the log-odds (`ModelScorer`) of the model trained without pairs on
    /// the fold's fitting rows alone, of its fitting and held-out rows; a
    /// row's cell of A × B is found from the sides' levels of the model
    /// trained on those rows with A × B named (i · n_B + j, categorical
    /// sides: a level with a cell of its own is cell 1 + its place, any
    /// other cell 0).
    struct Fold {
        var fitOffsets: [Double], fitLabels: [Double], fitCells: [Int]
        var testOffsets: [Double], testLabels: [Double], testCells: [Int]
        var firstCount: Int, secondCount: Int
    }

    func folds(_ path: String) throws -> [Fold] {
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        let labels = lines.dropFirst().map { $0.hasSuffix(",Yes") ? 1.0 : 0.0 }
        let splits = StratifiedSplit.folds(rows: Array(labels.indices), labels: labels, k: SegmentModels.defaultFolds, seed: SeededGenerator.defaultSeed)
        return try splits.enumerated().map { f, split in
            let fitPath = directory.appendingPathComponent("fit-\(f).csv").path, testPath = directory.appendingPathComponent("test-\(f).csv").path
            try ([lines[0]] + split.fit.map { lines[$0 + 1] }).joined(separator: "\n").appending("\n").write(toFile: fitPath, atomically: true, encoding: .utf8)
            try ([lines[0]] + split.test.map { lines[$0 + 1] }).joined(separator: "\n").appending("\n").write(toFile: testPath, atomically: true, encoding: .utf8)
            let main = try train(fitPath) { $0.autoInteractions = nil }
            let named = try train(fitPath) {
                $0.autoInteractions = nil
                $0.interactions = ["A*B"]
            }
            let pair = try XCTUnwrap(named.schema.encoders.pairs.first)
            XCTAssertEqual([pair.first.column, pair.second.column], ["A", "B"])
            func logOdds(_ path: String) throws -> [Double] {
                let reader = try CSVReader(path: path)
                var scorer = try ModelScorer(model: main, header: reader.header, file: path, options: ScoringOptions(reasons: 0))
                var out: [Double] = []
                while try reader.nextRecord() { out.append(try scorer.logOdds(reader: reader)) }
                return out
            }
            func cell(_ row: Int) -> Int {
                let fields = lines[row + 1].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
                let i = (pair.first.levels ?? []).firstIndex(of: fields[1]).map { $0 + 1 } ?? 0
                let j = (pair.second.levels ?? []).firstIndex(of: fields[2]).map { $0 + 1 } ?? 0
                return i * pair.second.cellCount + j
            }
            return Fold(
                fitOffsets: try logOdds(fitPath), fitLabels: split.fit.map { labels[$0] }, fitCells: split.fit.map(cell),
                testOffsets: try logOdds(testPath), testLabels: split.test.map { labels[$0] }, testCells: split.test.map(cell),
                firstCount: pair.first.cellCount, secondCount: pair.second.cellCount)
        }
    }

    /// The 1-D equation of a cell, h(β) = Σ s_i (σ(o_i + β) − y_i) + λβ,
    /// recomputed here.
    func stationarity(_ beta: Double, offsets: [Double], labels: [Double], weights: [Double], l2: Double) -> Double {
        var h = l2 * beta
        for i in offsets.indices { h += weights[i] * (1 / (1 + exp(-(offsets[i] + beta))) - labels[i]) }
        return h
    }

    /// Each cell's coefficient on fixed offsets solves its stationarity
    /// equation h(β) = 0 to 1e-10: every A × B cell of every fold of the
    /// planted deals (λ = 1, unit weights), and random cells of 1 to 400
    /// rows with weights in (0.2, 3), offsets in (−30, 30) and λ from 0 to
    /// 100 (at λ = 0, a cell of one class has no root: β = 0).
    func testCellCoefficientSolvesItsEquation() throws {
        let l2 = TrainingConfiguration.defaultL2
        var moved = 0
        for fold in try folds(try writeDeals("planted.csv", rows: 4000, planted: true, seed: 7)) {
            for i in 1..<fold.firstCount {
                for j in 1..<fold.secondCount {
                    let rows = fold.fitCells.indices.filter { fold.fitCells[$0] == i * fold.secondCount + j }
                    let (o, y, s) = (rows.map { fold.fitOffsets[$0] }, rows.map { fold.fitLabels[$0] }, [Double](repeating: 1, count: rows.count))
                    let beta = PairCells.coefficient(offsets: o, labels: y, weights: s, l2: l2)
                    XCTAssertEqual(stationarity(beta, offsets: o, labels: y, weights: s, l2: l2), 0, accuracy: 1e-10, "cell \(i), \(j)")
                    if abs(beta) > 0.1 { moved += 1 }
                }
            }
        }
        XCTAssertGreaterThan(moved, 5, "the planted cells move off the main effects")
        var rng = SeededGenerator(seed: 3)
        for t in 0..<200 {
            let n = 1 + rng.index(below: 400), l2 = [0, 1e-3, 1, 100][t % 4]
            let o = (0..<n).map { _ in 60 * rng.uniform() - 30 }, s = (0..<n).map { _ in 0.2 + 2.8 * rng.uniform() }
            let rate = rng.uniform()
            let y = (0..<n).map { _ in rng.uniform() < rate ? 1.0 : 0.0 }
            let beta = PairCells.coefficient(offsets: o, labels: y, weights: s, l2: l2)
            if l2 == 0 && (y.allSatisfy { $0 == 1 } || y.allSatisfy { $0 == 0 }) {
                XCTAssertEqual(beta, 0, "case \(t)")
            } else {
                XCTAssertEqual(stationarity(beta, offsets: o, labels: y, weights: s, l2: l2), 0, accuracy: 1e-10, "case \(t): n \(n), λ \(l2)")
            }
        }
        XCTAssertEqual(PairCells.coefficient(offsets: [], labels: [], weights: [], l2: 1), 0)
    }

    /// The check fits only the cells with a feature: on a 2 × 3 table whose
    /// cell (1, 2) is rare (no feature, −1), β is 0 for it and for the
    /// reference cells, and each other cell's β solves its own equation
    /// on its rows (to 1e-10).
    func testCheckFitsOnlyCellsWithAFeature() {
        let cells = PairFold.Cells(fit: [0, 1, 2, 3, 4, 5, 4, 5, 4, 5, 5], test: [], features: [-1, -1, -1, -1, 0, -1])
        let o = [0.1, -0.2, 0.3, 0.0, 0.5, -0.5, 0.2, 0.1, -0.3, 0.4, 0.0]
        let y = [1.0, 0, 1, 0, 1, 1, 0, 1, 1, 0, 1]
        let s = [Double](repeating: 1, count: o.count)
        let beta = PairCells.coefficients(cells, offsets: o, labels: y, weights: s, l2: 1)
        XCTAssertEqual(beta.count, 6)
        XCTAssertEqual(beta[0], 0)
        XCTAssertEqual(beta[3], 0)
        XCTAssertEqual(beta[5], 0)  // the rare cell, with 4 rows
        let rows = [4, 6, 8]
        XCTAssertNotEqual(beta[4], 0)
        XCTAssertEqual(stationarity(beta[4], offsets: rows.map { o[$0] }, labels: rows.map { y[$0] }, weights: [1, 1, 1], l2: 1), 0, accuracy: 1e-10)
    }

    /// A × B's gain alone on the planted deals equals the drop of the
    /// out-of-fold deviance Σ ℓ(y_i, η_i), recomputed here, from the
    /// held-out offsets (η = o_i) to the offsets plus the coefficients of
    /// the rows' cells fitted on each fold's fitting rows (to 1e-9 of the
    /// deviance: the offsets are the same fits, scored by another road);
    /// so does the main effects' out-of-fold deviance.
    func testGainAloneEqualsTheRecomputation() throws {
        let path = try writeDeals("planted.csv", rows: 4000, planted: true, seed: 7)
        let screen = try XCTUnwrap(try train(path) { _ in }.training.interactions)
        let l2 = TrainingConfiguration.defaultL2
        func loss(_ y: Double, _ eta: Double) -> Double { log(1 + exp(eta)) - y * eta }
        var baseline = 0.0, withPair = 0.0
        for fold in try folds(path) {
            var beta = [Double](repeating: 0, count: fold.firstCount * fold.secondCount)
            for i in 1..<fold.firstCount {
                for j in 1..<fold.secondCount {
                    let rows = fold.fitCells.indices.filter { fold.fitCells[$0] == i * fold.secondCount + j }
                    beta[i * fold.secondCount + j] = PairCells.coefficient(
                        offsets: rows.map { fold.fitOffsets[$0] }, labels: rows.map { fold.fitLabels[$0] }, weights: [Double](repeating: 1, count: rows.count),
                        l2: l2)
                }
            }
            for i in fold.testOffsets.indices {
                baseline += loss(fold.testLabels[i], fold.testOffsets[i])
                withPair += loss(fold.testLabels[i], fold.testOffsets[i] + beta[fold.testCells[i]])
            }
        }
        XCTAssertEqual(screen.baselineDeviance, baseline, accuracy: 1e-9 * baseline)
        let pair = try XCTUnwrap(screen.candidates.first { $0.name == "A × B" })
        XCTAssertEqual(try XCTUnwrap(pair.devianceGain), baseline - withPair, accuracy: 1e-9 * baseline)
        XCTAssertGreaterThan(baseline - withPair, 0.01 * baseline)
    }

    /// Named pairs: unknown columns and a column with itself are refused
    /// by name.
    func testNamedPairsAreChecked() throws {
        for (pair, words) in [("Visits*Nowhere", "\"Nowhere\""), ("Visits*Visits", "with itself"), ("Visits", "not two columns")] {
            XCTAssertThrowsError(try PairEncoderTests.train { $0.interactions = [pair] }, pair) {
                let e = $0 as! InputError
                XCTAssertEqual(e.kind, .badConfiguration)
                XCTAssertTrue(e.problem.contains(words), e.problem)
            }
        }
    }
}

/// Every part of the richer model asked for at once (`splines` auto, a
/// monotone column, `autoInteractions` and the penalty chosen by `cv`):
/// the screen's pairs, the splines and the bound all reach the final model,
/// and that model is the one the same options give with the chosen pairs
/// named and the chosen λ given (the refit at the chosen point).
extension InteractionScreenTests {
    func testScreenSplinesMonotoneAndCrossValidatedPenaltyCompose() throws {
        let screen = self
        let path = try screen.writeDeals("planted.csv", rows: 3000, planted: true, seed: 19)
        let rich = try screen.train(path) {
            $0.splines = SplineMode.auto
            $0.monotone = ["Z": "increasing"]
            $0.cv = 3
        }
        let chosen = try XCTUnwrap(rich.training.interactions).chosen
        XCTAssertFalse(chosen.isEmpty)
        XCTAssertTrue(chosen.contains { Set([$0.first, $0.second]) == ["A", "B"] })
        XCTAssertEqual(rich.schema.encoders.pairs.map(\.name), chosen.map(\.name), "the screen's pairs are in the final model")
        let selection = try XCTUnwrap(rich.training.penalty?.selection)
        let lambda = selection.path[selection.chosen].lambda
        XCTAssertEqual(rich.training.penalty?.lambda, lambda)
        let splined = rich.schema.numericEncoders.filter { $0.encoder.spline != nil }.map { rich.schema.encoders.columns[$0.index].column }
        XCTAssertTrue(splined.contains("Z"))
        // Z's ramps are held nondecreasing.
        for f in rich.features where f.column == "Z" && !f.name.hasSuffix("(missing)") {
            XCTAssertGreaterThanOrEqual(f.coefficient, 0, f.name)
        }

        let given = try screen.train(path) {
            $0.splines = SplineMode.auto
            $0.monotone = ["Z": "increasing"]
            $0.autoInteractions = nil
            $0.interactions = chosen.map { "\($0.first)*\($0.second)" }
            $0.l2 = lambda
        }
        XCTAssertEqual(given.features.map(\.name), rich.features.map(\.name))
        for (a, b) in zip(rich.features, given.features) {
            XCTAssertEqual(a.coefficient, b.coefficient, accuracy: 1e-8 * max(1, abs(b.coefficient)), a.name)
        }
        XCTAssertEqual(rich.intercept.coefficient, given.intercept.coefficient, accuracy: 1e-8)
    }
}
