import ArgumentParser
import Foundation
import LeadScore

extension LeadScoreCommand {
    struct Inspect: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a model card: coefficients with standard errors, odds ratios and p-values, and the training metrics.",
            discussion: """
                Coefficients are changes in the log-odds of winning, sorted by size. A numeric \
                feature's coefficient is per standard deviation of its training values; the "per \
                unit" column gives it per visit, per day, etc. Category coefficients are relative \
                to the column's reference level (its most frequent value). p-values and 95% \
                intervals are Wald's, from the inverse Hessian (approximate when the model is \
                penalised). A card trained with --segment also shows the penalty λ on the segment \
                models' distance from the global model and how it was chosen, each segment and \
                whether it has a model of its own, and each segment model's largest differences \
                from the global coefficients. A card trained with --penalty l1 or elasticnet shows its \
                zeroed coefficients without a standard error, and one trained with --cv the \
                cross-validation curve (λ, the metric and its SE, the nonzero coefficients; the \
                chosen λ marked).

                Examples:
                  leadscore inspect models/b2b-deals.json
                  leadscore inspect models/b2b-deals.json --top 10
                  leadscore inspect models/leads-l1.json --html leads-l1.html     # with the --cv curve as a chart
                """)

        @Argument(help: ArgumentHelp("The model card.", valueName: "model.json"))
        var model: String

        @Option(parsing: .unconditional, help: ArgumentHelp("Show only the n largest effects.", valueName: "n"))
        var top: Int?

        @Option(help: ArgumentHelp("Also write the card as an HTML page, with the cross-validation curve of the penalty (train --cv) as a chart.", valueName: "report.html"))
        var html: String?

        @OptionGroup var integrity: ModelIntegrityFlags

        func validate() throws {
            if let top, top < 1 { throw ValidationError("--top must be at least 1.") }
        }

        func run() throws {
            let card = try integrity.load(model)
            if let html {
                try OutputPlan.check(inputs: [model], outputs: [html])
                let out = try AtomicOutput(path: html, inputs: [model])
                out.write(ModelCardReport.html(card, top: top, render: CommandLineText.render))
                try out.commit()
            }
            print(CommandLineText.render(ModelCardReport.inspection(card, top: top)))
        }
    }
}
