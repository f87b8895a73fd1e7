import ArgumentParser
import Foundation
import LeadScore

extension LeadScoreCommand {
    struct Review: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Review a model against the deals closed since it was trained: keep, recalibrate or retrain.",
            discussion: """
                Scores the closed deals with the model and compares what it expected with what \
                happened: per tier, expected against observed conversions; calibration-in-the-large \
                and the calibration slope, with 95% intervals; the AUC now against the AUC the model \
                card recorded on held-out deals, with a test of the difference. It recommends \
                retraining when the ranking fell (one-sided p below 0.05), recalibrating when the \
                ranking held but the probabilities moved (calibration-in-the-large or slope off), \
                and keeping the model otherwise, and prints the command for that step.

                Example:
                  leadscore review --model models/b2b-deals.json closed-since-training.csv
                """)

        @Option(name: .shortAndLong, help: ArgumentHelp("The model card to review.", valueName: "model.json"))
        var model: String

        @Argument(help: ArgumentHelp("Deals closed since the model was trained, with their outcome.", valueName: "closed.csv"))
        var data: String

        @Option(help: ArgumentHelp("Tiers as LABEL:CUT,…,LAST or a tiers file (default: the card's, else \(TierScheme.standard.description)).", valueName: "tiers"))
        var tiers: String?

        @Option(help: ArgumentHelp("Write the review as JSON; - for standard output.", valueName: "review.json"))
        var json: String?

        @Option(help: ArgumentHelp("An extra value meaning missing (repeatable).", valueName: "value"))
        var missing: [String] = []

        @OptionGroup var integrity: ModelIntegrityFlags

        func validate() throws {
            if let tiers { try TiersOption.validate(tiers) }
        }

        func run() throws {
            let inputs = [data, model] + [tiers.flatMap(TiersOption.file)].compactMap { $0 }
            try OutputPlan.check(inputs: inputs, outputs: [json].compactMap { $0 })
            let card = try integrity.load(model)
            let scheme = try tiers.map(TierScheme.read(option:)) ?? card.tiers ?? .standard
            let report = try LeadScore.Review.run(
                ReviewRequest(
                    dataPath: data, modelPath: model, model: card, scoring: ScoringOptions(tiers: scheme, reasons: 0, extraMissingValues: missing)))
            if let json {
                let out = try AtomicOutput(path: json, inputs: inputs)
                out.write(try report.jsonData())
                try out.commit()
            }
            guard json != "-" else { return }
            print(CommandLineText.render(ReviewTextReport.render(report)))
            print("Next: " + nextStep(report))
        }

        /// The command for the recommended step.
        func nextStep(_ r: ReviewReport) -> String {
            let stem = (model as NSString).deletingPathExtension
            switch r.action {
            case .keep:
                return "review again on next month's closed deals: leadscore review --model \(model) NEXT.csv"
            case .recalibrateIntercept, .recalibrateLogistic:
                let method = r.action == .recalibrateIntercept ? "intercept" : "logistic"
                return "leadscore recalibrate --model \(model) --method \(method) \(data) --output \(stem)-recalibrated.json"
            case .retrain:
                return "retrain on the history including these deals, then compare: leadscore train HISTORY.csv --config CONFIG.json --output \(stem)-retrained.json && leadscore diff \(model) \(stem)-retrained.json"
            }
        }
    }
}
