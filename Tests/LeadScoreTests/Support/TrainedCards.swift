import Foundation
import XCTest

@testable import LeadScore

/// Model cards trained through the library API on generated deals, for the
/// tests of what reads cards.
enum TrainedCards {
    /// A card trained on `rows` generated deals (seed `seed`, accounts'
    /// effect `accountEffect`), Stage = Closed Won as won, Company Name
    /// left out, a 20% holdout, trained on 2026-11-23; `adjust` changes the
    /// configuration further.
    static func train(
        rows: Int = 3000, seed: UInt64, accountEffect: Double = SyntheticDeals.defaultAccountEffect,
        adjust: (inout TrainingConfiguration) -> Void = { _ in }
    ) throws -> ModelCard {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("card-\(UUID().uuidString).csv")
        defer { try? FileManager.default.removeItem(at: url) }
        try writeDeals(rows: rows, seed: seed, accountEffect: accountEffect, to: url.path)
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

    /// Writes `rows` generated deals (seed `seed`, accounts' effect
    /// `accountEffect`) as a CSV file at `path`.
    static func writeDeals(
        rows: Int, seed: UInt64, accountEffect: Double = SyntheticDeals.defaultAccountEffect, to path: String
    ) throws {
        let out = try AtomicOutput(path: path)
        let writer = CSVWriter(output: out)
        writer.writeRow(SyntheticDeals.header)
        SyntheticDeals(rows: rows, seed: seed, accountEffect: accountEffect).generate { writer.writeRow($0) }
        try out.commit()
    }

    /// `rows` generated deals (seed `seed`) in a temporary CSV file,
    /// removed when `test` ends.
    static func dealsFile(rows: Int, seed: UInt64, for test: XCTestCase) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("deals-\(UUID().uuidString).csv")
        test.addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        try writeDeals(rows: rows, seed: seed, to: url.path)
        return url.path
    }

    /// The generated deals' feature columns by what they say about a lead
    /// (the bundled configuration's groups, with Created Date as
    /// engagement, since these cards keep it as a feature).
    static let fitColumns = ["Country", "Industry", "Company Size", "Job Level", "Email Domain Type", "Lead Source", "Is Student", "Competitor"]
    static let engagementColumns = [
        "Pricing Page Visits", "Email Clicks", "Webinars Attended", "Website Sessions", "Days Since Last Activity", "Demo Requested", "Unsubscribed",
        "Created Date",
    ]

    /// Assigns every feature column of the generated deals to fit or
    /// engagement.
    static func assignGroups(_ config: inout TrainingConfiguration) {
        config.fit = fitColumns
        config.engagement = engagementColumns
    }
}
