import ArgumentParser
import Foundation
import LeadScore

extension SyntheticDeals.Style: ExpressibleByArgument {}

extension LeadScoreCommand {
    struct Generate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Generate a realistic synthetic B2B closed-deal export (deterministic by seed).",
            discussion: """
                The outcome follows a known logistic model (see datasets/README.md), so a fitted \
                model can be checked against the truth. Leads belong to accounts (Account ID, \
                Company Name), a few large and many small, whose contacts share the account's \
                firmographics and a hidden effect on the odds (--account-effect). The same rows, seed and open fraction \
                always give the same bytes.

                With --regions, a last column Region holds the sales region of the account's \
                country (North America, EMEA, APAC, LATAM), and the deals of APAC follow a truth \
                of their own (three slopes differ; every other column, and every other region's \
                outcomes, are those of the file made without --regions): data to test models fitted \
                per segment. --truth then also writes the region's differences.

                With --style hubspot or --style salesforce, the same deals are written as a \
                HubSpot deal export or a Salesforce opportunity report would have them: the CRM's \
                column names and ids, dates with a time in its formats (HubSpot's Last Activity \
                Date month first, 07/01/2024 10:15; Salesforce's LastActivityDate day first, \
                01/07/2024), its outcome columns (HubSpot's Deal Stage closedwon/closedlost; \
                Salesforce's StageName, IsClosed and IsWon), and an Amount column (18111.00; USD \
                18,111.00), which is not in the true model. Trained as of 2026-06-30 without Amount, \
                they give the model of the plain file (see datasets/README.md).

                Examples:
                  leadscore generate --rows 20000 --seed 20261123 --output datasets/b2b-deals.csv
                  leadscore generate --rows 1000000 --seed 1 --output /tmp/deals-1m.csv --truth /tmp/truth.json
                  leadscore generate --rows 60000 --seed 3 --regions --account-effect 0 -o /tmp/regions.csv --truth /tmp/regions.json
                  leadscore generate --rows 20000 --seed 20261123 --style hubspot -o /tmp/hubspot-deals.csv
                """)

        @Option(help: ArgumentHelp("Number of rows, open deals included.", valueName: "n"))
        var rows: Int = 20000

        @Option(help: ArgumentHelp("Random seed.", valueName: "n"))
        var seed: UInt64 = 20_261_123

        @Option(help: ArgumentHelp("Share of open deals (no outcome yet).", valueName: "fraction"))
        var openFraction: Double = 0.03

        @Option(help: ArgumentHelp("Standard deviation of each account's hidden effect on the log-odds, shared by its contacts (0 for none).", valueName: "sd"))
        var accountEffect: Double = SyntheticDeals.defaultAccountEffect

        @Flag(help: "Add a last column Region (from Country), where the deals of APAC follow a truth of their own.")
        var regions = false

        @Option(help: "The shape of the export: plain (LeadScore's columns), hubspot (a HubSpot deal export) or salesforce (a Salesforce opportunity report), the same deals in each.")
        var style: SyntheticDeals.Style = .plain

        @Option(name: .shortAndLong, help: ArgumentHelp("Where to write the CSV; - for standard output.", valueName: "file.csv"))
        var output: String = "-"

        @Option(help: ArgumentHelp("Also write the true intercept and coefficients as JSON.", valueName: "file.json"))
        var truth: String?

        func validate() throws {
            if rows < 1 { throw ValidationError("--rows must be at least 1.") }
            if !(openFraction >= 0 && openFraction < 1) { throw ValidationError("--open-fraction must be at least 0 and below 1.") }
            if !(accountEffect >= 0 && accountEffect <= 5) { throw ValidationError("--account-effect must be from 0 to 5 (got \(accountEffect)).") }
        }

        func run() throws {
            try OutputPlan.check(inputs: [], outputs: [output] + [truth].compactMap { $0 })
            let generator = SyntheticDeals(rows: rows, seed: seed, openFraction: openFraction, accountEffect: accountEffect, regions: regions, style: style)
            let out = try AtomicOutput(path: output)
            let writer = CSVWriter(output: out)
            writer.writeRow(generator.columns)
            generator.generate { writer.writeRow($0) }
            try out.commit()
            if let truth {
                struct Truth: Encodable {
                    var intercept: Double
                    var effects: [TrueEffect]
                    var accountEffect: Double
                    var marginalShrinkage: Double
                    // With --regions only (nil is left out of the JSON).
                    var regionOfCountry: [String: String]?
                    var differingRegion: String?
                    var regionDifferences: [TrueEffect]?
                }
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                let t = try AtomicOutput(path: truth)
                t.write(
                    try encoder.encode(
                        Truth(
                            intercept: SyntheticDeals.trueIntercept, effects: SyntheticDeals.trueEffects, accountEffect: accountEffect,
                            marginalShrinkage: SyntheticDeals.marginalShrinkage(accountEffect: accountEffect),
                            regionOfCountry: regions ? SyntheticDeals.regionOfCountry : nil,
                            differingRegion: regions ? SyntheticDeals.differingRegion : nil,
                            regionDifferences: regions ? SyntheticDeals.regionDifferences : nil)))
                try t.commit()
            }
        }
    }
}
