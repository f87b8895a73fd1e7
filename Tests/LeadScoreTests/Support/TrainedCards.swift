import Foundation

@testable import LeadScore

/// Model cards trained through the library API on generated deals, for the
/// tests of what reads cards.
enum TrainedCards {
    /// A card trained on `rows` generated deals (seed `seed`), Stage =
    /// Closed Won as won, Company Name left out, a 20% holdout, trained on
    /// 2026-11-23; `adjust` changes the configuration further.
    static func train(rows: Int = 3000, seed: UInt64, adjust: (inout TrainingConfiguration) -> Void = { _ in }) throws -> ModelCard {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("card-\(UUID().uuidString).csv")
        defer { try? FileManager.default.removeItem(at: url) }
        let out = try AtomicOutput(path: url.path)
        let writer = CSVWriter(output: out)
        writer.writeRow(SyntheticDeals.header)
        SyntheticDeals(rows: rows, seed: seed).generate { writer.writeRow($0) }
        try out.commit()
        var config = TrainingConfiguration()
        config.target = "Stage"
        config.positive = ["Closed Won"]
        config.exclude = ["Company Name"]
        config.holdout = 0.2
        adjust(&config)
        var request = TrainingRequest(dataPath: url.path, configuration: config)
        request.trainingDate = "2026-11-23"
        return try Trainer.train(request)
    }
}
