import ArgumentParser
import Foundation
import LeadScore

/// Options of `score`.
struct ScoringFlags: ParsableArguments {
    @Option(name: .shortAndLong, help: ArgumentHelp("The model card written by `leadscore train`.", valueName: "model.json"))
    var model: String?

    @Option(help: ArgumentHelp("Score with a rules file of points instead of a model (YAML or JSON; see docs/rules.md).", valueName: "rules.yaml"))
    var rules: String?

    @Option(help: ArgumentHelp("With --rules: an id column to copy to the output (repeatable).", valueName: "column"))
    var id: [String] = []

    @OptionGroup var dates: AsOfFlags

    @Option(help: ArgumentHelp("An extra value meaning missing (repeatable); the model's own are always used.", valueName: "value"))
    var missing: [String] = []

    @Flag(name: .shortAndLong, help: "Print only errors (and a warning about an edited or unchecked model card).")
    var quiet = false

    @OptionGroup var integrity: ModelIntegrityFlags

    func validate() throws {
        if (model == nil) == (rules == nil) { throw ValidationError("Pass exactly one of --model and --rules.") }
        if model != nil && !id.isEmpty { throw ValidationError("--id goes with --rules; a model copies its own id columns.") }
    }

    func options(tiers: TierScheme = .standard, reasons: Int = 3, accounts: AccountOptions? = nil) -> ScoringOptions {
        ScoringOptions(
            tiers: tiers, reasons: reasons, asOfDays: dates.asOfDays, extraMissingValues: missing, exportedOnDays: dates.exportedOnDays, accounts: accounts)
    }
}

extension LeadScoreCommand {
    struct Score: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Score a CSV of new leads with a trained model.",
            discussion: """
                Reads the file in segments on all cores (standard input on one), in memory that \
                does not grow with its length, and writes one CSV row per \
                lead: the model's id columns, the probability of winning, a 0–100 score \
                (probability × 100, rounded), a tier, and the top reasons for and against: each \
                column's contribution to the log-odds, e.g. "Lead Origin = Lead Add Form (+1.9)". \
                Columns the model needs, its id columns included, must be present (all missing \
                ones are named); extra columns are ignored, and a column name may not repeat. The output is written to a temporary file and renamed, so \
                it is never left half-written. A model card changed after training and used anyway \
                (--allow-edited-model) adds a last column, model_edited, true on every row.

                Examples:
                  leadscore score --model models/b2b-deals.json new-leads.csv --output scores.csv
                  leadscore score --model models/leads.json Leads.csv --tiers "Hot:70,Warm:40,Cold" --reasons 0 -o -
                  leadscore score --rules models/b2b-deals.rules.yaml datasets/b2b-new-leads.csv --id "Deal ID" -o rule-scores.csv
                  leadscore score --model models/b2b-deals.json datasets/b2b-new-leads.csv --account "Account ID" \\
                      --accounts-output accounts.csv -o scores.csv

                With --rules, each lead gets its points, the fit and engagement parts, the rules' tier \
                (or the disqualify entry that overrides it) and the rules that fired as reasons.
                """)

        @OptionGroup var flags: ScoringFlags

        @Argument(help: ArgumentHelp("The CSV of leads to score.", valueName: "leads.csv"))
        var input: String

        @Option(name: .shortAndLong, help: ArgumentHelp("Where to write the scores; - for standard output.", valueName: "scores.csv"))
        var output: String = "-"

        @Option(help: ArgumentHelp("Tiers by score as LABEL:CUT,…,LAST (cuts inclusive, decreasing), or a tiers file (JSON); with --rules, a tiers file cut on points. Default: \(TierScheme.standard.description), or the rules file's own tiers.", valueName: "tiers"))
        var tiers: String?

        @Option(parsing: .unconditional, help: ArgumentHelp("Reasons for and against per lead (0 for none).", valueName: "n"))
        var reasons: Int = 3

        @Option(help: ArgumentHelp("The column naming each lead's account (company); with --accounts-output, roll the leads up to accounts.", valueName: "column"))
        var account: String?

        @Option(help: ArgumentHelp("Write one row per account here: leads, the probability that at least one converts (or the rules' points), the best lead, the mean, a tier.", valueName: "accounts.csv"))
        var accountsOutput: String?

        @Option(help: ArgumentHelp("With --rules: an account's points are the sum or the max of its leads' points.", valueName: "sum|max"))
        var accountPoints: PointsRollup = .sum

        func validate() throws {
            if reasons < 0 || reasons > 20 { throw ValidationError("--reasons must be from 0 to 20.") }
            if let tiers { try TiersOption.validate(tiers) }
            if (account == nil) != (accountsOutput == nil) { throw ValidationError("--account and --accounts-output go together.") }
        }

        func run() throws {
            try OutputPlan.check(
                inputs: [input] + [flags.model, flags.rules, tiers.flatMap(TiersOption.file)].compactMap { $0 }, outputs: [output, accountsOutput].compactMap { $0 })
            let accounts = account.map { AccountOptions(column: $0, points: accountPoints) }
            let scheme = try tiers.map(TierScheme.read(option:))
            let summary: ScoringSummary
            var tierOrder = (scheme ?? .standard).labels
            if let rulesPath = flags.rules {
                var rules = try RuleSet.load(path: rulesPath)
                // A tiers file cut on points (from `thresholds`) takes the place
                // of the rules file's tiers; its disqualify entries still override.
                if let scheme, let tiers { rules = try rules.replacingTiers(with: scheme, file: tiers) }
                tierOrder = rules.tierNames
                summary = try Scorer.score(
                    rules: rules, inputPath: input, outputPath: output, idColumns: flags.id, options: flags.options(accounts: accounts),
                    accountsPath: accountsOutput, progress: Terminal.progress("Scoring", quiet: flags.quiet))
            } else {
                if let scheme, let tiers, scheme.measure == .points {
                    throw InputError(
                        .badConfiguration, at: InputLocation(file: tiers),
                        "this tiers file cuts on a rules file's points, and a model gives probabilities.",
                        remedy: "Score with --rules, or give tiers cut on the probability or the 0–100 score.")
                }
                let model = try flags.integrity.load(flags.model!)
                // Tiers given here, else the card's own (from `thresholds`), else the standard ones.
                let tiers = scheme ?? model.tiers ?? .standard
                tierOrder = tiers.labels
                summary = try Scorer.score(
                    model: model, inputPath: input, outputPath: output, options: flags.options(tiers: tiers, reasons: reasons, accounts: accounts),
                    accountsPath: accountsOutput, progress: Terminal.progress("Scoring", quiet: flags.quiet))
            }
            Terminal.endProgress(quiet: flags.quiet)
            guard !flags.quiet else { return }
            let tiersText = tierOrder.map { "\($0) \(ModelNumber.grouped(summary.tierCounts[$0] ?? 0))" }.joined(separator: ", ")
            Terminal.note(
                "Scored \(ModelNumber.grouped(summary.rows)) leads in \(ModelNumber.fixed(summary.seconds, 2)) s (\(ModelNumber.grouped(Int(Double(summary.rows) / max(summary.seconds, 1e-9)))) rows/s). Tiers: \(tiersText).")
            for note in summary.notes { Terminal.note("note: " + note) }
            for (column, n) in summary.unseenValues.sorted(by: { $0.key < $1.key }) {
                Terminal.note("note: \(ModelNumber.grouped(n)) leads have a value of \"\(column)\" not seen in training; scored as \"(other)\" or the reference level.")
            }
            if output != "-" { Terminal.note("Scores written to \(output).") }
            if let accountsOutput, let n = summary.accounts { Terminal.note("\(ModelNumber.grouped(n)) accounts written to \(accountsOutput).") }
        }
    }
}
