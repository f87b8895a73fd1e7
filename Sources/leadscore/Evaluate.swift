import ArgumentParser
import Foundation
import LeadScore

extension LeadScoreCommand {
    struct Evaluate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Evaluate and compare scorers on labelled leads: learned models and rule-based points, side by side.",
            discussion: """
                Every scorer scores the same leads (rows whose outcome is missing or open are left \
                out and counted). Rule points are not probabilities: when a rules file takes part, \
                a stratified share of the leads (--calibration-fraction) is set aside to map each \
                rule set's points to probabilities by isotonic regression, and every scorer is \
                evaluated on the remaining leads. The report gives, per scorer: AUC with DeLong's \
                95% interval, Gini, KS; a reliability table with Wilson intervals, ECE (equal-width \
                and equal-count bins), the Brier score and its decomposition, calibration-in-the-\
                large and slope, Hosmer–Lemeshow; lift and cumulative gain by decile; how the tiers \
                route leads; conversions in the top k. Per pair: differences in AUC, top-decile \
                lift, Brier score and capture at k with paired-bootstrap 95% intervals. A model \
                trained with --segment is also evaluated as its global model alone, on the same \
                leads, and segment by segment: AUC, log loss and Brier of both with paired 95% \
                intervals of the differences.

                Examples:
                  leadscore evaluate --model models/b2b-deals.json datasets/b2b-new-leads.csv
                  leadscore evaluate --model models/leads.json --rules models/leads-x-education.rules.yaml \\
                      --model models/leads.points.yaml Leads.csv --html report.html --json report.json
                  leadscore evaluate --rules rules.yaml --target Converted deals.csv --top-k 200
                """)

        @Option(name: .shortAndLong, help: ArgumentHelp("A model card from `leadscore train` (repeatable).", valueName: "model.json"))
        var model: [String] = []

        @Option(help: ArgumentHelp("A rules file of points (repeatable), YAML or JSON.", valueName: "rules.yaml"))
        var rules: [String] = []

        @Argument(help: ArgumentHelp("A CSV with the scorers' columns and the outcome column.", valueName: "data.csv"))
        var data: String

        @Option(help: ArgumentHelp("The outcome column (default: the first model's). Its won and lost values are read from the file as train reads them, unless given with --positive and --negative.", valueName: "column"))
        var target: String?

        @Option(help: ArgumentHelp("A value of the outcome column that means won (repeatable).", valueName: "value"))
        var positive: [String] = []

        @Option(help: ArgumentHelp("A value that means lost (repeatable); other values are left out as open.", valueName: "value"))
        var negative: [String] = []

        @Option(help: ArgumentHelp("Write the report as JSON to this file; - for standard output.", valueName: "report.json"))
        var json: String?

        @Option(help: ArgumentHelp("Write the report as a self-contained HTML page with charts.", valueName: "report.html"))
        var html: String?

        @Option(parsing: .unconditional, help: ArgumentHelp("How many leads sales can call, for the capture-at-k view. Default: a tenth of the leads.", valueName: "k"))
        var topK: Int?

        @Option(parsing: .unconditional, help: ArgumentHelp("Bootstrap resamples for the intervals of the differences (at most \(ModelNumber.grouped(ComparisonRequest.maximumBootstrapResamples))).", valueName: "n"))
        var bootstrap: Int = 1000

        @Option(parsing: .unconditional, help: ArgumentHelp("Share of leads set aside to calibrate rule points into probabilities.", valueName: "fraction"))
        var calibrationFraction: Double = 0.3

        @Option(help: ArgumentHelp("Seed of the calibration split and the bootstrap.", valueName: "n"))
        var seed: UInt64 = SeededGenerator.defaultSeed

        @Option(help: ArgumentHelp("Tiers of the models' 0–100 scores, as LABEL:CUT,…,LAST, or a tiers file (JSON); a tiers file cut on points replaces the rules files' tiers. Default: \(TierScheme.standard.description) for models, the rules files' own tiers.", valueName: "tiers"))
        var tiers: String?

        @Option(help: ArgumentHelp("With one model: also write each lead's label and probability to this CSV.", valueName: "file.csv"))
        var predictions: String?

        @OptionGroup var dates: AsOfFlags

        @Option(help: ArgumentHelp("An extra value meaning missing (repeatable).", valueName: "value"))
        var missing: [String] = []

        @Flag(help: "For a model trained with --segment: do not also evaluate its global model on the same leads (nor segment by segment against it).")
        var noGlobalComparison = false

        @Option(help: ArgumentHelp("Evaluate per account: the column naming each lead's account. An account converts if any of its leads does; a model's account probability is that any lead converts.", valueName: "column"))
        var account: String?

        @Option(help: ArgumentHelp("With --account and --rules: an account's points are the sum or the max of its leads' points.", valueName: "sum|max"))
        var accountPoints: PointsRollup = .sum

        @OptionGroup var integrity: ModelIntegrityFlags

        func validate() throws {
            if model.isEmpty && rules.isEmpty { throw ValidationError("Pass at least one --model or --rules.") }
            if model.isEmpty && target == nil { throw ValidationError("With rules only, pass --target to name the outcome column.") }
            if predictions != nil && (model.count != 1 || !rules.isEmpty) { throw ValidationError("--predictions works with exactly one --model.") }
            if predictions != nil && account != nil { throw ValidationError("--predictions writes leads; leave out --account to write them.") }
            if !(0...ComparisonRequest.maximumBootstrapResamples).contains(bootstrap) {
                // Each resample redraws every lead for every pair of scorers:
                // time and memory grow with the count, and beyond this the
                // intervals' percentiles do not move in the digits reported.
                throw ValidationError("--bootstrap must be from 0 to \(ComparisonRequest.maximumBootstrapResamples) (got \(bootstrap)); 1000, the default, gives 95% intervals to about two digits.")
            }
            if target == nil && !(positive.isEmpty && negative.isEmpty) { throw ValidationError("--positive and --negative go with --target.") }
            if html == "-" { throw ValidationError("--html needs a file name; the page is not written to standard output.") }
            if !(calibrationFraction > 0 && calibrationFraction < 1) { throw ValidationError("--calibration-fraction must be above 0 and below 1 (got \(calibrationFraction)).") }
            if let k = topK, k < 1 { throw ValidationError("--top-k must be at least 1 (got \(k)).") }
            if let tiers { try TiersOption.validate(tiers) }
        }

        func run() throws {
            let inputs = [data] + model + rules + [tiers.flatMap(TiersOption.file)].compactMap { $0 }
            try OutputPlan.check(inputs: inputs, outputs: [json, html, predictions].compactMap { $0 })
            var scorers: [ScorerSource] = []
            var cards: [ModelCard] = []
            for path in model {
                let card = try integrity.load(path)
                cards.append(card)
                scorers.append(.model(path: path, card))
            }
            let scheme = try tiers.map(TierScheme.read(option:))
            if let scheme, let tiers {
                // Points cut rules files; probabilities and scores cut models.
                let forRules = scheme.measure == .points
                if forRules ? rules.isEmpty : model.isEmpty {
                    throw InputError(
                        .badConfiguration, at: InputLocation(file: tiers),
                        forRules ? "these tiers cut on a rules file's points, and no --rules is evaluated." : "these tiers cut on a model's probability or score, and no --model is evaluated.",
                        remedy: forRules ? "Add the rules file with --rules, or give tiers cut on the probability." : "Add a model with --model, or give a tiers file cut on points for the rules.")
                }
            }
            for path in rules {
                var set = try RuleSet.load(path: path)
                if let scheme, let tiers, scheme.measure == .points { set = try set.replacingTiers(with: scheme, file: tiers) }
                scorers.append(.rules(path: path, set))
            }
            var outcome: OutcomeRule? = nil
            if let target {
                if positive.isEmpty, negative.isEmpty, let spec = cards.first(where: { $0.schema.target.column == target })?.schema.target {
                    // The model's own won and lost values (open deals stay out).
                    outcome = .known(spec)
                } else {
                    // Read as training reads an outcome column.
                    outcome = .inferred(column: target, positive: positive.isEmpty ? nil : positive, negative: negative.isEmpty ? nil : negative)
                }
            }
            let options = ScoringOptions(
                tiers: scheme.flatMap { $0.measure == .points ? nil : $0 } ?? (cards.count == 1 ? cards[0].tiers : nil) ?? .standard, reasons: 0, asOfDays: dates.asOfDays, extraMissingValues: missing,
                exportedOnDays: dates.exportedOnDays, accounts: account.map { AccountOptions(column: $0, points: accountPoints) })
            let report = try Comparison.run(
                ComparisonRequest(
                    dataPath: data, scorers: scorers, outcome: outcome, calibrationFraction: calibrationFraction, seed: seed,
                    bootstrapResamples: scorers.count > 1 || (!noGlobalComparison && cards.contains { $0.segments != nil }) ? bootstrap : 0, topK: topK,
                    scoring: options, predictionsPath: predictions, compareSegmentsWithGlobal: !noGlobalComparison))
            if let json {
                let out = try AtomicOutput(path: json, inputs: inputs)
                out.write(try report.jsonData())
                try out.commit()
            }
            if let html {
                let out = try AtomicOutput(path: html, inputs: inputs)
                out.write(HTMLReport.render(report))
                try out.commit()
            }
            for note in report.notes ?? [] { Terminal.note("note: " + note) }
            if json != "-" {
                print(TextReport.render(report))
                for (flag, path) in [("JSON", json), ("HTML", html), ("Predictions", predictions)] {
                    if let path { print("\(flag) written to \(path).") }
                }
            }
        }
    }
}
