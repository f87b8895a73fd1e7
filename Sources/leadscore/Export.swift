import ArgumentParser
import Foundation
import LeadScore

extension LeadScoreCommand {
    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Export a learned model as SQL that scores leads inside a database, or as an integer points table.",
            discussion: """
                --sql writes one query that scores every row of a table (--table, default leads) as \
                `leadscore score` does: the same probabilities (within 1e-12), scores and tiers, for \
                --dialect duckdb, sqlite, postgres or ansi (other engines, with REGEXP_LIKE). It \
                returns the model's id columns, probability, score, tier (and fit_score, \
                engagement_score and grid for a model with groups) and unreadable_columns, which \
                names the columns of a row whose values could not be read (that row's probability, \
                score and tier are then NULL). --view NAME wraps it in CREATE VIEW; --as-of DATE or \
                --as-of today ages the model's dates to that day (today: the engine's current date).

                --points writes the model as a points table in the rules format. Each column's \
                contribution to the log-odds becomes round(F × contribution) points with \
                F = (points that double the odds) / ln 2: categories get points per value, numbers \
                per band between deciles of their values in --data, missing values their own \
                points; the model's tiers become points thresholds. The file can be read by \
                marketing, used with `leadscore score --rules`, and compared with other scorers in \
                `leadscore evaluate`. The AUC of the points table and of the exact model on --data \
                is printed, so the cost of rounding is known.

                Examples:
                  leadscore export --sql --dialect duckdb --model models/b2b-deals.json --table leads -o b2b-deals.duckdb.sql
                  leadscore export --sql --dialect postgres --model models/b2b-deals.json --view lead_scores --as-of today -o scores.sql
                  leadscore export --points --model models/b2b-deals.json --data datasets/b2b-deals.csv \\
                      --output models/b2b-deals.points.yaml
                """)

        @Flag(help: "Export as a points table in the rules format (with --data).")
        var points = false

        @Flag(help: "Export as an SQL query that scores a table of leads (with --dialect).")
        var sql = false

        @Option(help: ArgumentHelp("The SQL engine: \(SQLDialect.allCases.map(\.rawValue).joined(separator: ", ")).", valueName: "engine"))
        var dialect: String?

        @Option(help: ArgumentHelp("With --sql: the table of leads the query reads.", valueName: "name"))
        var table: String = "leads"

        @Option(help: ArgumentHelp("With --sql: write CREATE VIEW name AS the query.", valueName: "name"))
        var view: String?

        @Option(help: ArgumentHelp("With --sql: the day to score as of (YYYY-MM-DD), or today for the engine's current date each time the query runs. Default: the model's as-of date, days-since columns as exported.", valueName: "date"))
        var asOf: String?

        @Option(help: ArgumentHelp("With --sql and --as-of: the day the table's days-since columns were counted up to, when not the model's (YYYY-MM-DD).", valueName: "date"))
        var exportedOn: String?

        @Option(name: .shortAndLong, help: ArgumentHelp("The model card.", valueName: "model.json"))
        var model: String?

        @Option(help: ArgumentHelp("With --sql: a rules file (hand-set points or a points export) instead of a model.", valueName: "rules.yaml"))
        var rules: String?

        @Option(help: ArgumentHelp("With --sql --rules: an id column of the leads, returned with the points (repeatable).", valueName: "column"))
        var id: [String] = []

        @Option(help: ArgumentHelp("With --points: a CSV with the model's columns (the training file): its deciles make the numeric bands, and its outcomes measure the rounding.", valueName: "data.csv"))
        var data: String?

        @Option(parsing: .unconditional, help: ArgumentHelp("Points that double the odds of winning.", valueName: "points"))
        var doubleOdds: Double = 20

        @Option(help: ArgumentHelp("Tiers of the model's 0–100 score: with --points carried over as points thresholds (default \(TierScheme.standard.description)); with --sql the tiers the query assigns (inline, or a tiers file; default the model's own, else \(TierScheme.standard.description)).", valueName: "tiers"))
        var tiers: String?

        @Option(name: .shortAndLong, help: ArgumentHelp("Where to write the YAML or SQL; - for standard output.", valueName: "file"))
        var output: String = "-"

        @Option(help: ArgumentHelp("For a model trained with --segment: the segment whose model to export as points, or \"\(SegmentModels.globalName)\" for the global model (an SQL export carries every segment's model).", valueName: "value"))
        var segment: String?

        @OptionGroup var integrity: ModelIntegrityFlags

        func validate() throws {
            if points == sql { throw ValidationError("Pass one of --sql and --points.") }
            if (model == nil) == (rules == nil) { throw ValidationError("Pass one of --model and --rules.") }
            if points && rules != nil { throw ValidationError("--points exports a model; a rules file is already points.") }
            if rules != nil && id.isEmpty { throw ValidationError("--rules needs --id, the leads' id column(s), to return with the points.") }
            if model != nil && !id.isEmpty { throw ValidationError("--id goes with --rules: a model's id columns are its own.") }
            if !(doubleOdds > 0 && doubleOdds.isFinite) { throw ValidationError("--double-odds must be a number above 0 (got \(doubleOdds)).") }
            if let tiers { try TiersOption.validate(tiers) }
            if points {
                if data == nil { throw ValidationError("--points needs --data, the file whose deciles make the numeric bands.") }
                if dialect != nil || view != nil || asOf != nil || exportedOn != nil || table != "leads" {
                    throw ValidationError("--dialect, --table, --view, --as-of and --exported-on go with --sql.")
                }
            } else {
                guard let dialect else { throw ValidationError("--sql needs --dialect: \(SQLDialect.allCases.map(\.rawValue).joined(separator: ", ")).") }
                if SQLDialect(rawValue: dialect) == nil {
                    throw ValidationError("--dialect must be one of \(SQLDialect.allCases.map(\.rawValue).joined(separator: ", ")) (got \"\(dialect)\").")
                }
                if let asOf, asOf != "today", ValueParser.isoDate(asOf) == nil { throw ValidationError("--as-of takes YYYY-MM-DD or today (got \"\(asOf)\").") }
                if let exportedOn, ValueParser.isoDate(exportedOn) == nil { throw ValidationError("--exported-on takes YYYY-MM-DD (got \"\(exportedOn)\").") }
                if exportedOn != nil && asOf == nil { throw ValidationError("--exported-on goes with --as-of.") }
                if data != nil { throw ValidationError("--data goes with --points.") }
                if segment != nil { throw ValidationError("--segment goes with --points: an SQL export carries every segment's model.") }
            }
        }

        func run() throws {
            if sql { return try runSQL() }
            let data = data!, model = model!
            try OutputPlan.check(inputs: [model, data], outputs: [output])
            var card = try integrity.load(model)
            if let segment {
                guard card.segments != nil else { throw ValidationError("--segment picks one segment's model of a model trained with --segment; \(model) has none.") }
                card = try card.model(ofSegment: segment)
            }
            let export = try PointsExport.make(
                model: card, modelName: (model as NSString).lastPathComponent, data: data, pointsToDoubleOdds: doubleOdds,
                tiers: try tiers.map(TierScheme.read(option:)) ?? .standard)
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

        func runSQL() throws {
            let input = model ?? rules!
            try OutputPlan.check(inputs: [input], outputs: [output])
            let asOf: SQLAsOf = self.asOf == "today" ? .today : self.asOf.flatMap(ValueParser.isoDate).map(SQLAsOf.day) ?? .model
            let options = SQLExportOptions(
                dialect: SQLDialect(rawValue: dialect!)!, table: table, view: view, asOf: asOf, exportedOnDays: exportedOn.flatMap(ValueParser.isoDate),
                tiers: try tiers.map(TierScheme.read(option:)))
            let name = (input as NSString).lastPathComponent
            let text = try rules.map { path throws in try SQLExport.rules(try RuleSet.load(path: path), name: name, ids: id, options: options) }
                ?? SQLExport.model(try integrity.load(input), name: name, options: options)
            let out = try AtomicOutput(path: output, inputs: [input])
            out.write(text)
            try out.commit()
            if output != "-" { Terminal.note("SQL for \(options.dialect.rawValue) written to \(output).") }
        }
    }
}
