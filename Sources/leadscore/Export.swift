import ArgumentParser
import Foundation
import LeadScore

extension LeadScoreCommand {
    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Export a learned model as an integer points table in the rules format.",
            discussion: """
                Each column's contribution to the log-odds becomes round(F × contribution) points \
                with F = (points that double the odds) / ln 2: categories get points per value, \
                numbers per band between deciles of their values in --data, missing values their \
                own points; the model's tiers become points thresholds. The file can be read by \
                marketing, used with `leadscore score --rules`, and compared with other scorers in \
                `leadscore evaluate`. The AUC of the points table and of the exact model on --data \
                is printed, so the cost of rounding is known.

                Examples:
                  leadscore export --points --model models/b2b-deals.json --data datasets/b2b-deals.csv \\
                      --output models/b2b-deals.points.yaml
                  leadscore export --points --model models/leads.json --data Leads.csv --double-odds 10 -o -
                """)

        @Flag(help: "Export as a points table (the only export format).")
        var points = false

        @Option(name: .shortAndLong, help: ArgumentHelp("The model card.", valueName: "model.json"))
        var model: String

        @Option(help: ArgumentHelp("A CSV with the model's columns (the training file): its deciles make the numeric bands, and its outcomes measure the rounding.", valueName: "data.csv"))
        var data: String

        @Option(parsing: .unconditional, help: ArgumentHelp("Points that double the odds of winning.", valueName: "points"))
        var doubleOdds: Double = 20

        @Option(help: ArgumentHelp("Tiers of the model's 0–100 score to carry over as points thresholds.", valueName: "tiers"))
        var tiers: String = TierScheme.standard.description

        @Option(name: .shortAndLong, help: ArgumentHelp("Where to write the YAML; - for standard output.", valueName: "points.yaml"))
        var output: String = "-"

        @Option(help: ArgumentHelp("For a model trained with --segment: the segment whose model to export, or \"\(SegmentModels.globalName)\" for the global model.", valueName: "value"))
        var segment: String?

        @OptionGroup var integrity: ModelIntegrityFlags

        func validate() throws {
            if !points { throw ValidationError("Pass --points (the points table is the one export format).") }
            if !(doubleOdds > 0 && doubleOdds.isFinite) { throw ValidationError("--double-odds must be a number above 0 (got \(doubleOdds)).") }
            do { _ = try TierScheme(parsing: tiers) } catch { throw ValidationError(error.problem + " " + error.remedy) }
        }

        func run() throws {
            try OutputPlan.check(inputs: [model, data], outputs: [output])
            var card = try integrity.load(model)
            if let segment {
                guard card.segments != nil else { throw ValidationError("--segment picks one segment's model of a model trained with --segment; \(model) has none.") }
                card = try card.model(ofSegment: segment)
            }
            let export = try PointsExport.make(
                model: card, modelName: (model as NSString).lastPathComponent, data: data, pointsToDoubleOdds: doubleOdds,
                tiers: try TierScheme(parsing: tiers))
            guard let yaml = export.rules.yamlText() else {
                throw InputError(.io, "the points table could not be written as YAML.", remedy: "Please report this with the command you ran.")
            }
            let out = try AtomicOutput(path: output, inputs: [model, data])
            out.write(yaml)
            try out.commit()
            for note in export.notes { Terminal.note("note: " + note) }
            Terminal.note(
                "\(export.rules.rules.count) rules. On \(export.rows) leads of \((data as NSString).lastPathComponent): AUC of the points table \(ModelNumber.fixed(export.pointsAUC, 4)), of the exact model \(ModelNumber.fixed(export.modelAUC, 4)) (rounding costs \(ModelNumber.fixed(export.modelAUC - export.pointsAUC, 4)))."
                    + (output == "-" ? "" : " Written to \(output)."))
        }
    }
}
