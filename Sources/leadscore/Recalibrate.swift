import ArgumentParser
import Foundation
import LeadScore

extension ModelCard.Calibration.Method: ExpressibleByArgument {}

extension LeadScoreCommand {
    struct Recalibrate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Fix a model's probabilities on recent closed deals, keeping its ranking: writes a recalibrated model card.",
            discussion: """
                Scores the closed deals of DEALS.csv with the model (rows whose outcome is missing or \
                open are left out), fits a map from the model's log-odds η to the outcome, and writes \
                a copy of the card that carries it. score, evaluate, thresholds and export then give \
                the recalibrated probabilities; the coefficients, the reasons and the order of the \
                leads stay the model's. The new card records the method, the deals' file, SHA-256 and \
                counts, and the calibration before and after, with 95% intervals: in sample, and \
                cross-validated (each of 5 folds by the map fitted on the others).

                Methods (--method):
                  intercept  p = σ(a + η): moves the base rate, keeps the spread; one
                             parameter, for a few hundred deals, or when only the
                             share of won deals has changed.
                  logistic   p = σ(a + b·η): Platt scaling on the log-odds; also fixes
                             probabilities too extreme (b < 1) or too timid (b > 1).
                  isotonic   non-decreasing steps on η: for thousands of deals whose
                             calibration is not S-shaped; flat steps tie leads, and
                             on fewer deals it overfits. The export's points stay η's.
                Default: intercept below \(Recalibration.logisticMinimumPerClass) deals of the smaller class (won or lost), \
                logistic from it. The methods need at least \(Recalibration.minimumPerClass(.intercept)), \(Recalibration.minimumPerClass(.logistic)) and \
                \(Recalibration.minimumPerClass(.isotonic)) deals of each class.

                A recalibrated card is format \(ModelCard.calibrationFormatVersion); older LeadScore versions refuse it. Only a card \
                whose checksum holds is recalibrated. Recalibrating a recalibrated card replaces its \
                map; tiers stored in the card are not carried (choose them again with thresholds).

                Examples:
                  leadscore recalibrate --model models/b2b-deals.json datasets/b2b-new-leads.csv -o models/b2b-deals.recalibrated.json
                  leadscore recalibrate --model models/leads.json recent-closed.csv --method isotonic -o models/leads.iso.json --json recal.json
                """)

        @Option(name: .shortAndLong, help: ArgumentHelp("The model card to recalibrate.", valueName: "model.json"))
        var model: String

        @Argument(help: ArgumentHelp("Recent closed deals: a CSV with the model's columns and its outcome column.", valueName: "deals.csv"))
        var data: String

        @Option(help: ArgumentHelp("intercept, logistic or isotonic (see above). Default: intercept below \(Recalibration.logisticMinimumPerClass) deals of the smaller class, else logistic.", valueName: "method"))
        var method: ModelCard.Calibration.Method?

        @Option(name: .shortAndLong, help: ArgumentHelp("Where to write the recalibrated model card.", valueName: "new.json"))
        var output: String

        @Option(help: ArgumentHelp("Also write the figures as JSON here; - for standard output.", valueName: "report.json"))
        var json: String?

        @Option(help: ArgumentHelp("Seed of the cross-validation folds. Default: \(SeededGenerator.defaultSeed).", valueName: "n"))
        var seed: UInt64 = SeededGenerator.defaultSeed

        @Option(help: ArgumentHelp("The day to record (YYYY-MM-DD). Default: today (UTC).", valueName: "date"))
        var date: String?

        @OptionGroup var dates: AsOfFlags

        @Option(help: ArgumentHelp("An extra value meaning missing (repeatable).", valueName: "value"))
        var missing: [String] = []

        @OptionGroup var integrity: ModelIntegrityFlags

        func validate() throws {
            if data == "-" { throw ValidationError("Recalibration fingerprints its deals file with SHA-256, so it needs a real file, not standard input.") }
            if output == "-" { throw ValidationError("--output needs a file name; the model card is not written to standard output.") }
            if let date, ValueParser.isoDate(date) == nil { throw ValidationError("--date must be a date written YYYY-MM-DD (got \"\(date)\").") }
        }

        func run() throws {
            try OutputPlan.check(inputs: [data, model], outputs: [output] + [json].compactMap { $0 })
            let card = try integrity.load(model)
            let result = try Recalibration.run(
                Recalibration.Request(
                    model: card, modelPath: model, dataPath: data, method: method,
                    scoring: ScoringOptions(reasons: 0, asOfDays: dates.asOfDays, extraMissingValues: missing, exportedOnDays: dates.exportedOnDays),
                    seed: seed, date: date))
            try result.card.write(to: output, inputs: [data, model])
            if let json {
                let out = try AtomicOutput(path: json, inputs: [data, model])
                out.write(try result.jsonData(model: model))
                try out.commit()
            }
            let text = CommandLineText.render(RecalibrationReport.summary(result, modelName: (model as NSString).lastPathComponent, path: output))
            if json == "-" { FileHandle.standardError.write(Data((text + "\n").utf8)) } else { print(text) }
        }
    }
}
