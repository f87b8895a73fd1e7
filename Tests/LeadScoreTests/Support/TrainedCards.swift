import Foundation
import XCTest

@testable import LeadScore

/// Model cards trained through the library API on generated deals, for the
/// tests of what reads cards.
enum TrainedCards {
    /// A card trained on `rows` generated deals (seed `seed`, accounts'
    /// effect `accountEffect`, with the Region column when `regions`),
    /// Stage = Closed Won as won, Company Name left out, a 20% holdout,
    /// trained on 2026-11-23; `adjust` changes the configuration further.
    static func train(
        rows: Int = 3000, seed: UInt64, accountEffect: Double = SyntheticDeals.defaultAccountEffect, regions: Bool = false,
        adjust: (inout TrainingConfiguration) -> Void = { _ in }
    ) throws -> ModelCard {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("card-\(UUID().uuidString).csv")
        defer { try? FileManager.default.removeItem(at: url) }
        try writeDeals(rows: rows, seed: seed, accountEffect: accountEffect, regions: regions, to: url.path)
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
    /// `accountEffect`, with the Region column when `regions`) as a CSV
    /// file at `path`; `edit` may change each row (its index, its fields).
    static func writeDeals(
        rows: Int, seed: UInt64, accountEffect: Double = SyntheticDeals.defaultAccountEffect, regions: Bool = false, to path: String,
        edit: (Int, inout [String]) -> Void = { _, _ in }
    ) throws {
        let out = try AtomicOutput(path: path)
        let writer = CSVWriter(output: out)
        let deals = SyntheticDeals(rows: rows, seed: seed, accountEffect: accountEffect, regions: regions)
        writer.writeRow(deals.columns)
        var row = 0
        deals.generate { fields in
            var fields = fields
            edit(row, &fields)
            row += 1
            writer.writeRow(fields)
        }
        try out.commit()
    }

    /// A card with segment models by Region (`SegmentModels`), trained on
    /// `rows` generated deals with regions (seed `seed`), Region left out
    /// of the features, λ_s = `segmentL2` (nil: chosen by cross-validation).
    static func segmented(rows: Int = 8000, seed: UInt64, segmentL2: Double? = 3, minConversions: Int? = nil) throws -> ModelCard {
        try train(rows: rows, seed: seed, accountEffect: 0, regions: true) {
            $0.exclude = ["Company Name", "Account ID", SyntheticDeals.regionColumn]
            $0.segment = SyntheticDeals.regionColumn
            $0.segmentL2 = segmentL2
            $0.minConversions = minConversions
        }
    }

    /// `rows` generated deals (seed `seed`; with the Region column, and no
    /// accounts' effect, when `regions`) in a temporary CSV file, removed
    /// when `test` ends.
    static func dealsFile(rows: Int, seed: UInt64, regions: Bool = false, for test: XCTestCase) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("deals-\(UUID().uuidString).csv")
        test.addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        try writeDeals(rows: rows, seed: seed, accountEffect: regions ? 0 : SyntheticDeals.defaultAccountEffect, regions: regions, to: url.path)
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
