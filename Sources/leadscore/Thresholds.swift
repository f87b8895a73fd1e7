import ArgumentParser
import Foundation
import LeadScore

extension LeadScoreCommand {
    struct Thresholds: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Set tier cut-offs from what sales can work: a capacity, a recall target, a precision floor or shares of leads.",
            discussion: """
                Scores the file with a model (cuts on the probability) or a rules file (cuts on \
                points), then cuts the ranked leads into the tiers given with --tier, best first. \
                Each tier but the last has targets: capacity=N/day|week|month (at most N of the \
                tier's leads per period), share=S (at most S of the leads), precision=P (the tier \
                converts at least P) and recall=R (this tier and the ones above catch at least R \
                of the conversions). Leads with equal scores are never split.

                With --time-column, the leads arrive at the rate the dates show (or --rate), the cuts \
                are chosen on the older leads and reported on the newer ones (from --test-from, \
                default: the newest 30% of rows), and the tiers' sizes are shown per month. On a \
                file without an outcome (a new batch), a model's expected conversions stand in for \
                conversions, and rules can use capacity and share only.

                Writes a tiers file (--output) that score, evaluate and export read with --tiers, \
                and a report: per tier, leads per period, conversions, conversion rate and share of \
                conversions with Wilson 95% intervals; as JSON (--json) and as an HTML page with \
                the capacity curve (--html).

                Examples:
                  leadscore thresholds --model models/b2b-deals.json datasets/b2b-deals.csv \\
                      --time-column "Created Date" --tier "Sales-ready (SQL): capacity=120/week" \\
                      --tier "MQL: recall=80%" --tier Nurture --output tiers.json --html tiers.html
                  leadscore thresholds --rules models/b2b-deals.rules.yaml datasets/b2b-new-leads.csv \\
                      --rate 190/week --tier "A: capacity=40/week" --tier "B: share=0.3" --tier C -o rules-tiers.json
                """)

        @Option(name: .shortAndLong, help: ArgumentHelp("A model card from `leadscore train`.", valueName: "model.json"))
        var model: String?

        @Option(help: ArgumentHelp("A rules file of points (YAML or JSON).", valueName: "rules.yaml"))
        var rules: String?

        @Argument(help: ArgumentHelp("A CSV of leads: labelled history, or a new batch.", valueName: "leads.csv"))
        var data: String

        @Option(help: ArgumentHelp("A tier, best first: NAME[ (ACTION)]: TARGET[, TARGET…]; the last a name alone (repeatable).", valueName: "tier"))
        var tier: [String] = []

        @Option(help: ArgumentHelp("The leads' date column: the arrival rate, the split in time, the months.", valueName: "column"))
        var timeColumn: String?

        @Option(help: ArgumentHelp("With --time-column: report the cuts on leads from this day (YYYY-MM-DD), choose them on the ones before. Default: the newest 30% of rows.", valueName: "date"))
        var testFrom: String?

        @Option(help: ArgumentHelp("Leads arriving per period, e.g. 190/week (default: measured from --time-column).", valueName: "rate"))
        var rate: String?

        @Option(help: ArgumentHelp("With a model with fit and engagement groups: set the grid's cut-offs so that A (1), A–B (1–2) and A–C (1–3) hold at most these shares of the leads on each axis, e.g. 25%,50%,75%; written to the tiers file.", valueName: "shares"))
        var gridShares: String?

        @Option(help: ArgumentHelp("The outcome column (default: the model's, when the file has it; without it, the file is a new batch).", valueName: "column"))
        var target: String?

        @Option(help: ArgumentHelp("A value of the outcome column that means won (repeatable).", valueName: "value"))
        var positive: [String] = []

        @Option(help: ArgumentHelp("A value that means lost (repeatable).", valueName: "value"))
        var negative: [String] = []

        @Option(name: .shortAndLong, help: ArgumentHelp("Write the tiers file here; - for standard output.", valueName: "tiers.json"))
        var output: String?

        @Option(help: ArgumentHelp("With --model: also write a copy of the model card that carries the tiers, which score and evaluate then use when --tiers is not given.", valueName: "model.json"))
        var modelOutput: String?

        @Option(help: ArgumentHelp("Write the report as JSON; - for standard output.", valueName: "report.json"))
        var json: String?

        @Option(help: ArgumentHelp("Write the report as an HTML page with the capacity curve.", valueName: "report.html"))
        var html: String?

        @OptionGroup var dates: AsOfFlags

        @Option(help: ArgumentHelp("An extra value meaning missing (repeatable).", valueName: "value"))
        var missing: [String] = []

        @OptionGroup var integrity: ModelIntegrityFlags

        func validate() throws {
            if (model == nil) == (rules == nil) { throw ValidationError("Pass exactly one of --model and --rules.") }
            if target == nil && !(positive.isEmpty && negative.isEmpty) { throw ValidationError("--positive and --negative go with --target.") }
            if html == "-" { throw ValidationError("--html needs a file name; the page is not written to standard output.") }
            if [output, json].filter({ $0 == "-" }).count > 1 { throw ValidationError("Only one of --output and --json can be standard output.") }
            if testFrom != nil && timeColumn == nil { throw ValidationError("--test-from goes with --time-column.") }
            if modelOutput != nil && model == nil { throw ValidationError("--model-output goes with --model.") }
            if modelOutput == "-" { throw ValidationError("--model-output needs a file name.") }
            if let testFrom, ValueParser.isoDate(testFrom) == nil {
                throw ValidationError("--test-from must be a date written YYYY-MM-DD (got \"\(testFrom)\").")
            }
            do {
                try ThresholdTier.check(try tier.map(ThresholdTier.init(parsing:)))
                _ = try rate.map { v throws(InputError) in try LeadRate(parsing: v, what: "the arrival rate") }
                _ = try gridShares.map { v throws(InputError) in try ThresholdTier.gridShares(parsing: v) }
            } catch {
                throw ValidationError(CommandLineText.render(error.problem + " " + error.remedy))
            }
        }

        func run() throws {
            let inputs = [data, model, rules].compactMap { $0 }
            try OutputPlan.check(inputs: inputs, outputs: [output, json, html, modelOutput].compactMap { $0 })
            let scorer: ScorerSource
            if let model {
                scorer = .model(path: model, try integrity.load(model))
            } else {
                scorer = .rules(path: rules!, try RuleSet.load(path: rules!))
            }
            var outcome: OutcomeRule? = nil
            if let target {
                if positive.isEmpty, negative.isEmpty, case .model(_, let card) = scorer, card.schema.target.column == target {
                    outcome = .known(card.schema.target)
                } else {
                    outcome = .inferred(column: target, positive: positive.isEmpty ? nil : positive, negative: negative.isEmpty ? nil : negative)
                }
            }
            let (scheme, report) = try LeadScore.Thresholds.run(
                ThresholdRequest(
                    dataPath: data, scorer: scorer, outcome: outcome, tiers: try tier.map(ThresholdTier.init(parsing:)), timeColumn: timeColumn,
                    testFrom: testFrom, rate: try rate.map { v throws(InputError) in try LeadRate(parsing: v, what: "the arrival rate") },
                    gridShares: try gridShares.map { v throws(InputError) in try ThresholdTier.gridShares(parsing: v) },
                    scoring: ScoringOptions(
                        reasons: 0, asOfDays: dates.asOfDays, extraMissingValues: missing, exportedOnDays: dates.exportedOnDays)))
            for (path, bytes) in [(output, try scheme.jsonData()), (json, try report.jsonData())] {
                guard let path else { continue }
                let out = try AtomicOutput(path: path, inputs: inputs)
                out.write(bytes)
                try out.commit()
            }
            if let html {
                let out = try AtomicOutput(path: html, inputs: inputs)
                out.write(ThresholdHTMLReport.render(report))
                try out.commit()
            }
            if let modelOutput, case .model(let path, let card) = scorer {
                try card.carrying(scheme, from: report, file: path).write(to: modelOutput, inputs: inputs)
            }
            guard output != "-" && json != "-" else { return }
            print(CommandLineText.render(ThresholdTextReport.render(report)))
            for (what, path) in [("Tiers file", output), ("JSON", json), ("HTML", html), ("Model card with the tiers", modelOutput)] {
                if let path { print("\(what) written to \(path).") }
            }
        }
    }
}
