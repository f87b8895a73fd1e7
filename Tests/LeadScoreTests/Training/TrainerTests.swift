import XCTest

@testable import LeadScore

/// The training pipeline as a whole: its in-memory encoding path and the
/// streaming scoring path must agree, and the same inputs must give the
/// same model.
final class TrainerTests: XCTestCase {
    func generatedFile(rows: Int, seed: UInt64) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("trainer-\(UUID().uuidString).csv")
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        let out = try AtomicOutput(path: url.path)
        let writer = CSVWriter(output: out)
        writer.writeRow(SyntheticDeals.header)
        SyntheticDeals(rows: rows, seed: seed).generate { writer.writeRow($0) }
        try out.commit()
        return url.path
    }

    func configuration() -> TrainingConfiguration {
        var c = TrainingConfiguration()
        c.target = "Stage"
        c.positive = ["Closed Won"]
        c.negative = ["Closed Lost"]
        c.exclude = ["Company Name"]
        return c
    }

    /// Training metrics come from the in-memory design; evaluate re-reads
    /// the file and encodes each row as text. Same rows, same numbers.
    func testInMemoryAndStreamingEncodingsAgree() throws {
        let path = try generatedFile(rows: 3000, seed: 21)
        let card = try Trainer.train(TrainingRequest(dataPath: path, configuration: configuration()))
        let report = try Evaluator.evaluate(model: card, dataPath: path, options: ScoringOptions())
        let a = card.metrics.training, b = report.metrics
        XCTAssertEqual(a.rows, b.rows)
        XCTAssertEqual(a.positives, b.positives)
        XCTAssertEqual(a.auc, b.auc, accuracy: 1e-12)
        XCTAssertEqual(a.logLoss, b.logLoss, accuracy: 1e-12)
        XCTAssertEqual(a.brier, b.brier, accuracy: 1e-12)
        XCTAssertEqual(report.excludedRows, card.training.excludedRows)
        for (x, y) in zip(a.deciles, b.deciles) { XCTAssertEqual(x.meanPredicted, y.meanPredicted, accuracy: 1e-12) }
    }

    func testHoldoutIsStratifiedAndValidationFileFillsHoldoutMetrics() throws {
        let path = try generatedFile(rows: 2000, seed: 22)
        var c = configuration()
        c.holdout = 0.25
        let card = try Trainer.train(TrainingRequest(dataPath: path, configuration: c))
        let closed = card.training.rows + card.training.holdoutRows
        XCTAssertEqual(card.training.fileRows, closed + card.training.excludedRows)
        XCTAssertEqual(Double(card.training.holdoutRows), 0.25 * Double(closed), accuracy: 1)
        let holdout = try XCTUnwrap(card.metrics.holdout)
        XCTAssertEqual(Double(holdout.positives) / Double(holdout.rows), card.training.baseRate, accuracy: 0.01)

        // The held-out rows written out and evaluated give exactly the card's
        // holdout metrics: training computes their log-odds as the scorer does.
        let heldOut = FileManager.default.temporaryDirectory.appendingPathComponent("holdout-\(UUID().uuidString).csv").path
        addTeardownBlock { try? FileManager.default.removeItem(atPath: heldOut) }
        var request = TrainingRequest(dataPath: path, configuration: c)
        request.holdoutOutputPath = heldOut
        let written = try Trainer.train(request)
        XCTAssertEqual(written.metrics.holdout, holdout)
        XCTAssertEqual(try Evaluator.evaluate(model: written, dataPath: heldOut, options: ScoringOptions()).metrics, holdout)

        let validation = try generatedFile(rows: 500, seed: 23)
        let v = try Trainer.train(TrainingRequest(dataPath: path, configuration: configuration(), validationPath: validation))
        let direct = try Evaluator.evaluate(model: v, dataPath: validation, options: ScoringOptions())
        XCTAssertEqual(v.metrics.holdout, direct.metrics)
        XCTAssertNotNil(v.training.source.validationSHA256)
    }

    /// Data beyond the memory budget goes to cache files: with a tiny
    /// budget, the columns read from the file and the design; with twice
    /// the columns' estimate, the design only (it does not fit in the
    /// half the columns leave). The model card is the same, byte for byte,
    /// and the cache files are gone afterwards.
    func testDataBeyondTheMemoryBudgetGivesTheSameModel() throws {
        let path = try generatedFile(rows: 12_000, seed: 31)
        let tableBytes = try XCTUnwrap(RawTable.estimatedBytes(path: path))
        var c = configuration()
        c.holdout = 0.3
        var inMemory = TrainingRequest(dataPath: path, configuration: c)
        inMemory.trainingDate = "2026-11-23"
        let cacheDir = FileManager.default.temporaryDirectory.appendingPathComponent("cache-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: cacheDir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: cacheDir) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let reference = String(decoding: try encoder.encode(try Trainer.train(inMemory)), as: UTF8.self)
        for (budget, cached) in [(64 << 10, ["they are kept in cache files", "exceeds the memory budget of 64.0 KiB"]), (2 * tableBytes, ["exceeds the memory budget"])] {
            var streamed = inMemory
            streamed.memoryBudget = MemorySize(bytes: budget)
            streamed.cacheDirectory = cacheDir
            let messages = MessageLog()
            streamed.log = { messages.append($0) }
            let text = String(decoding: try encoder.encode(try Trainer.train(streamed)), as: UTF8.self)
            XCTAssertEqual(text, reference, "budget \(budget)")
            XCTAssertEqual(messages.all.count, cached.count, "\(messages.all)")
            for (message, expected) in zip(messages.all, cached) { XCTAssertTrue(message.contains(expected), message) }
            XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: cacheDir), [], "the cache files are removed")

            streamed.cacheDirectory = cacheDir + "/absent"
            XCTAssertThrowsError(try Trainer.train(streamed)) { error in
                XCTAssertEqual((error as? InputError)?.kind, .io)
            }
        }
    }

    /// Balanced class weights: both classes carry equal total weight, so the
    /// fit's weighted score equation for the intercept is
    /// ½ mean(μ | won) + ½ mean(μ | lost) = ½ instead of mean(μ) = base rate:
    /// as fitted (no prior correction), the mean predicted probability rises
    /// well above the base rate (the exact values are checked against
    /// scikit-learn in LogisticRegressionTests). The prior correction, on by
    /// default, moves the intercept back to the base rate
    /// (PriorCorrectionTests checks it against King & Zeng's formula).
    func testBalancedClassWeightsRaisePredictedProbabilitiesUntilCorrected() throws {
        let path = try generatedFile(rows: 2000, seed: 24)
        var c = configuration()
        c.classWeight = .balanced
        c.priorCorrection = false
        let balanced = try Trainer.train(TrainingRequest(dataPath: path, configuration: c))
        c.priorCorrection = nil
        let corrected = try Trainer.train(TrainingRequest(dataPath: path, configuration: c))
        let plain = try Trainer.train(TrainingRequest(dataPath: path, configuration: configuration()))
        func mean(_ card: ModelCard) -> Double {
            card.metrics.training.deciles.map { $0.meanPredicted * Double($0.count) }.reduce(0, +) / Double(card.training.rows)
        }
        XCTAssertEqual(mean(plain), plain.training.baseRate, accuracy: 0.01, "an unweighted logistic fit is calibrated in the large")
        XCTAssertGreaterThan(mean(balanced), mean(plain) + 0.1)
        XCTAssertEqual(mean(corrected), plain.training.baseRate, accuracy: 0.01)
        XCTAssertNil(balanced.training.priorCorrection)
        XCTAssertEqual(corrected.training.priorCorrection?.fittedIntercept, balanced.intercept.coefficient)
    }
}

final class MessageLog: @unchecked Sendable {
    private let lock = NSLock()
    private var messages: [String] = []
    func append(_ m: String) { lock.lock(); messages.append(m); lock.unlock() }
    var all: [String] { lock.lock(); defer { lock.unlock() }; return messages }
}
