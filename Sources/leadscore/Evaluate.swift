import ArgumentParser
import Foundation
import LeadScore

extension LeadScoreCommand {
    struct Evaluate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Measure a model on a labelled CSV: AUC, log loss, Brier score, calibration and lift by decile.",
            discussion: """
                The leads are scored exactly as `leadscore score` scores them, then compared with \
                their outcomes (rows whose outcome is missing or open are left out and counted). \
                Deciles: leads sorted by probability, highest first, in ten groups of (almost) equal \
                size. Lift = the group's conversion rate / the overall rate; cumulative gain = \
                share of all conversions found in groups 1…k.

                Examples:
                  leadscore evaluate --model models/b2b-deals.json holdout.csv
                  leadscore evaluate --model models/leads.json Leads.csv --json --predictions preds.csv
                """)

        @OptionGroup var flags: ScoringFlags

        @Argument(help: ArgumentHelp("A CSV with the model's columns and its outcome column.", valueName: "data.csv"))
        var data: String

        @Flag(help: "Print the report as JSON on standard output.")
        var json = false

        @Option(help: ArgumentHelp("Also write each lead's label and probability to this CSV.", valueName: "file.csv"))
        var predictions: String?

        func run() throws {
            let model = try ModelCard.load(path: flags.model)
            let report = try Evaluator.evaluate(model: model, dataPath: data, options: flags.options(), predictionsPath: predictions)
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                FileHandle.standardOutput.write(try encoder.encode(report))
                FileHandle.standardOutput.write(Data("\n".utf8))
                return
            }
            let b = report.metrics
            var text = [
                "Evaluated \(Terminal.grouped(b.rows)) leads of \(report.file) (\(Terminal.grouped(b.positives)) won, rate \(ModelReport.pct(b.baseRate)))"
                    + (report.excludedRows > 0 ? "; \(Terminal.grouped(report.excludedRows)) rows without an outcome left out." : "."),
                "AUC \(ModelReport.f(b.auc, 4))   log loss \(ModelReport.f(b.logLoss, 4))   Brier \(ModelReport.f(b.brier, 4))",
                "",
                "Calibration and lift by decile (1 = highest scores):",
                ModelReport.decileTable(b),
            ]
            if let p = predictions { text.append("\nPredictions written to \(p).") }
            print(text.joined(separator: "\n"))
        }
    }
}
