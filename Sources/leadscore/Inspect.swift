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
                from the global coefficients. A spline column (train --spline) is shown by its \
                curve: its contribution relative to the median at the training deciles, with a \
                95% band. A card with pair terms (--interaction, --interactions) shows each pair \
                as a table of its cells' log-odds with their training rows, and the screen's \
                checked pairs with their gains. A card trained with --penalty l1 or elasticnet \
                shows its zeroed coefficients without a standard error, and one trained with --cv \
                the cross-validation curve (λ, the metric and its SE, the nonzero coefficients; \
                the chosen λ marked). --html writes the curves, the pairs' heatmaps and the card \
                as one page.

                Examples:
                  leadscore inspect models/b2b-deals.json
                  leadscore inspect models/b2b-deals.json --top 10
                  leadscore inspect models/leads.json --html leads.html
                """)

        @Argument(help: ArgumentHelp("The model card.", valueName: "model.json"))
        var model: String

        @Option(parsing: .unconditional, help: ArgumentHelp("Show only the n largest effects.", valueName: "n"))
        var top: Int?

        @Option(help: ArgumentHelp("Also write the card as a self-contained HTML page: the spline columns' curves with their 95% bands, the pair terms' heatmaps, the cross-validation curve of the penalty (train --cv) and the card's text.", valueName: "report.html"))
        var html: String?

        @OptionGroup var integrity: ModelIntegrityFlags

        func validate() throws {
            if let top, top < 1 { throw ValidationError("--top must be at least 1.") }
            if html == "-" { throw ValidationError("--html needs a file name; the page is not written to standard output.") }
        }

        func run() throws {
            if let html { try OutputPlan.check(inputs: [model], outputs: [html]) }
            let card = try integrity.load(model)
            print(CommandLineText.render(ModelCardReport.inspection(card, top: top)))
            if let html {
                let out = try AtomicOutput(path: html, inputs: [model])
                out.write(ModelCardHTMLReport.render(card, name: (model as NSString).lastPathComponent, top: top, render: CommandLineText.render))
                try out.commit()
            }
        }
    }
}
