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
        XCTAssertEqual(card.formatVersion, 8)
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
