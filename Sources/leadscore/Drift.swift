import ArgumentParser
import Foundation
import LeadScore

/// The verdicts --fail-on takes: every column is at stable or above.
enum DriftFailLevel: String, ExpressibleByArgument, CaseIterable {
    case watch, act

    var verdict: DriftVerdict { self == .act ? .act : .watch }
}

extension LeadScoreCommand {
    struct Drift: ParsableCommand {
        /// The exit status when a column (or the score) is at the level of
        /// --fail-on: above 1 (bad input) and 2 (usage), so that a
        /// scheduler tells drift from a failed run.
        static let driftStatus: Int32 = 3

        static let configuration = CommandConfiguration(
            abstract: "Compare new leads with the model's training rows: how far each column and the score have moved.",
            discussion: """
                Reads the file as score reads it (an outcome column, if any, is ignored) and \
                compares every column the model uses, and the model's probability, with the \
                distributions stored in the model card when it was trained. For each, the \
                population stability index PSI = Σ (new − training) · ln(new / training) over \
                its bins: a number's training deciles plus a missing bin, a category's \
                training levels plus "(other)" and "(missing)", the deciles of the training \
                probabilities for the score; shares below 0.0001 count as 0.0001. Verdicts: \
                below 0.1 stable, 0.1 to 0.25 watch, 0.25 and above act. Also the change in \
                each column's missing share, and for categories the share of values never \
                seen in training.

                Needs a model card with a training profile: cards trained by an earlier \
                LeadScore have none, and are refused with the advice to retrain.

                Prints the columns by PSI, largest first, and the bins of the columns at watch \
                or act; --json writes every column's name, PSI, verdict and bins, --html a page \
                with bars of the drifted columns, training against new.

                Exit status: 0 when the report is written (whatever the drift, unless \
                --fail-on); 3 with --fail-on LEVEL when the score or a column is at LEVEL or \
                above (the report is still written); 1 bad input (a file or value the model \
                cannot read, a model without a training profile); 2 a usage error.

                Examples:
                  leadscore drift --model models/b2b-deals.json datasets/b2b-new-leads.csv
                  leadscore drift --model models/b2b-deals.json week.csv --fail-on act -q \\
                      --json drift.json --html drift.html
                """)

        @Option(name: .shortAndLong, help: ArgumentHelp("A model card from `leadscore train`.", valueName: "model.json"))
        var model: String

        @Argument(help: ArgumentHelp("A CSV of new leads, with the model's columns.", valueName: "leads.csv"))
        var data: String

        @Option(help: ArgumentHelp("Write the report as JSON; - for standard output.", valueName: "drift.json"))
        var json: String?

        @Option(help: ArgumentHelp("Write the report as an HTML page with bars of the drifted columns.", valueName: "drift.html"))
        var html: String?

        @Option(help: ArgumentHelp("Exit with status 3 when the score or any column is at this verdict or above: act (PSI ≥ 0.25) or watch (PSI ≥ 0.1).", valueName: "verdict"))
        var failOn: DriftFailLevel?

        @OptionGroup var dates: AsOfFlags

        @Option(help: ArgumentHelp("An extra value meaning missing (repeatable); the model's own are always used.", valueName: "value"))
        var missing: [String] = []

        @Flag(name: .shortAndLong, help: "Print no report on the terminal (the files and the exit status still tell).")
        var quiet = false

        @OptionGroup var integrity: ModelIntegrityFlags

        func validate() throws {
            if html == "-" { throw ValidationError("--html needs a file name; the page is not written to standard output.") }
        }

        func run() throws {
            let inputs = [data, model]
            try OutputPlan.check(inputs: inputs, outputs: [json, html].compactMap { $0 })
            let card = try integrity.load(model)
            let report = try LeadScore.Drift.run(
                DriftRequest(
                    dataPath: data, model: card, modelPath: model,
                    scoring: ScoringOptions(reasons: 0, asOfDays: dates.asOfDays, extraMissingValues: missing, exportedOnDays: dates.exportedOnDays)))
            if let json {
                let out = try AtomicOutput(path: json, inputs: inputs)
                out.write(try report.jsonData())
                try out.commit()
            }
            if let html {
                let out = try AtomicOutput(path: html, inputs: inputs)
                out.write(DriftHTMLReport.render(report))
                try out.commit()
            }
            if !quiet && json != "-" {
                print(CommandLineText.render(DriftTextReport.render(report)))
                for (what, path) in [("JSON", json), ("HTML", html)] {
                    if let path { print("\(what) written to \(path).") }
                }
            }
            if let level = failOn?.verdict, report.verdict >= level {
                if !quiet {
                    let at = ([report.score] + report.columns).filter { $0.verdict >= level }.map { $0.kind == "score" ? "the score" : "\"\($0.name)\"" }
                    Terminal.note("drift: \(at.joined(separator: ", ")) at \(level.rawValue) or above (exit status \(Self.driftStatus)).")
                }
                throw ExitCode(Self.driftStatus)
            }
        }
    }
}
