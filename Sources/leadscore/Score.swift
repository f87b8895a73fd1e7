import ArgumentParser
import Foundation
import LeadScore

extension ScoresFormat: ExpressibleByArgument {}
extension ReasonStyle: ExpressibleByArgument {}

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

/// How `score` writes its file: format, probability, reasons, provenance.
struct ScoresFileFlags: ParsableArguments {
    @Option(help: ArgumentHelp("The scores file's format: csv (a header, then one row per lead) or jsonl (JSON Lines: one object per lead with the CSV's columns as keys, in the same order; numbers as JSON numbers, empty fields as null). The account file stays CSV.", valueName: "csv|jsonl"))
    var format: ScoresFormat = .csv

    @Option(help: ArgumentHelp("Write the probability with n decimals (1–15), rounded half away from zero, e.g. 0.8734 with 4, for a CRM field of fixed decimals. Default: the shortest text that reads back as the exact probability.", valueName: "n"))
    var precision: Int?

    @Option(help: ArgumentHelp("Reasons in words, for sales (\"Demo Requested = Yes: odds ×4.5\", \"Pricing page visits: +10 points\"), or raw (\"Demo Requested = Yes (+1.5)\" in log-odds, \"Pricing page visits (+10)\").", valueName: "words|raw"))
    var reasonStyle: ReasonStyle = .words

    @Flag(help: "Add two last columns, model_id (the model card's checksum, or the rules file's SHA-256) and scored_at (this run's time in UTC, e.g. 2026-12-07T10:15:00Z), the same on every row: scores imported into a CRM then say which model gave them and when.")
    var provenance = false

    @Option(help: ArgumentHelp("The scored_at to write instead of this run's time, for output that can be reproduced: 2026-12-07T10:15:00Z, an offset (2026-12-07T11:15:00+01:00) or a date (midnight UTC). Implies --provenance.", valueName: "timestamp"))
    var scoredAt: String?

    func validate() throws {
        if let precision, !Scorer.probabilityDecimals.contains(precision) {
            throw ValidationError(
                "--precision must be from \(Scorer.probabilityDecimals.lowerBound) to \(Scorer.probabilityDecimals.upperBound) decimals (got \(precision)); leave it out for the shortest exact text.")
        }
        if let scoredAt, UTCTimestamp(iso: scoredAt) == nil {
            throw ValidationError(
                "--scored-at must be a UTC time such as 2026-12-07T10:15:00Z, a time with its offset (2026-12-07T11:15:00+01:00) or a date (2026-12-07) (got \"\(scoredAt)\").")
        }
    }

    /// `options` with these flags set; the run's time read now unless
    /// --scored-at gives one.
    func applied(to options: ScoringOptions) -> ScoringOptions {
        var options = options
        options.format = format
        options.probabilityDecimals = precision
        options.reasonStyle = reasonStyle
        if provenance || scoredAt != nil {
            options.provenance = ScoresProvenance(scoredAt: scoredAt.flatMap(UTCTimestamp.init(iso:)) ?? .now)
        }
        return options
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
                column's value and the factor it multiplies the odds of winning by, e.g. \
                "Lead Origin = Lead Add Form: odds ×6.7" (--reason-style raw: its contribution to \
                the log-odds, "Lead Origin = Lead Add Form (+1.9)"). \
                Columns the model needs, its id columns included, must be present (all missing \
                ones are named); extra columns are ignored, and a column name may not repeat. The output is written to a temporary file and renamed, so \
                it is never left half-written. A model card changed after training and used anyway \
                (--allow-edited-model) adds a column, model_edited, true on every row; \
                --provenance adds model_id and scored_at last. With --format jsonl the file is JSON \
                Lines, one object per lead with the same fields.

                Examples:
                  leadscore score --model models/b2b-deals.json new-leads.csv --output scores.csv
                  leadscore score --model models/leads.json Leads.csv --tiers "Hot:70,Warm:40,Cold" --reasons 0 -o -
                  leadscore score --model models/b2b-deals.json new-leads.csv --format jsonl --provenance --precision 4 -o scores.jsonl
                  leadscore score --rules models/b2b-deals.rules.yaml datasets/b2b-new-leads.csv --id "Deal ID" -o rule-scores.csv
                  leadscore score --model models/b2b-deals.json datasets/b2b-new-leads.csv --account "Account ID" \\
                      --accounts-output accounts.csv -o scores.csv

                With --rules, each lead gets its points, the fit and engagement parts, the rules' tier \
                (or the disqualify entry that overrides it) and the rules that fired as reasons \
                ("Demo requested: +30 points"; raw: "Demo requested (+30)").
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

        @OptionGroup var file: ScoresFileFlags

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
            if flags.rules != nil && file.precision != nil {
                throw ValidationError("--precision sets the decimals of a model's probability; a rules file gives points, which are written as they are.")
            }
        }

        func run() throws {
            try OutputPlan.check(
                inputs: [input] + [flags.model, flags.rules, tiers.flatMap(TiersOption.file)].compactMap { $0 }, outputs: [output, accountsOutput].compactMap { $0 })
            let accounts = account.map { AccountOptions(column: $0, points: accountPoints) }
            let scheme = try tiers.map(TierScheme.read(option:))
            let summary: ScoringSummary
            var tierOrder = (scheme ?? .standard).labels
            if let rulesPath = flags.rules {
                let (loaded, digest) = try RuleSet.loadWithDigest(path: rulesPath)
                var rules = loaded
                // A tiers file cut on points (from `thresholds`) takes the place
                // of the rules file's tiers; its disqualify entries still override.
                if let scheme, let tiers { rules = try rules.replacingTiers(with: scheme, file: tiers) }
                tierOrder = rules.tierNames
                summary = try Scorer.score(
                    rules: rules, inputPath: input, outputPath: output, idColumns: flags.id, options: file.applied(to: flags.options(accounts: accounts)),
                    accountsPath: accountsOutput, progress: Terminal.progress("Scoring", quiet: flags.quiet), rulesID: digest)
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
                    model: model, inputPath: input, outputPath: output,
                    options: file.applied(to: flags.options(tiers: tiers, reasons: reasons, accounts: accounts)),
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
