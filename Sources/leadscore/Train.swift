import ArgumentParser
import Foundation
import LeadScore

extension ClassWeight: ExpressibleByArgument {}
extension ColumnKind: ExpressibleByArgument {}

extension LeadScoreCommand {
    struct Train: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Train a logistic lead-scoring model from a CSV export of closed deals.",
            discussion: """
                Reads the file once, infers each column's role and type (override them with a \
                JSON config file or the flags below), learns the encoding on the training rows, \
                fits an L2-penalised logistic regression by Newton's method, and writes a JSON \
                model card.

                Examples:
                  leadscore train deals.csv --target Stage --positive "Closed Won" --output models/deals.json
                  leadscore train Leads.csv --target Converted --id "Prospect ID" --id "Lead Number" \\
                      --exclude Tags --exclude "Lead Quality" --exclude "Lead Profile" \\
                      --missing Select --holdout 0.3 --seed 42 --output models/leads.json
                  leadscore train deals.csv --config deals.config.json --l2 0     # unpenalised, statsmodels-style SEs
                """)

        @Argument(help: ArgumentHelp("The training CSV (comma, semicolon or tab separated; UTF-8).", valueName: "data.csv"))
        var data: String

        @Option(name: .shortAndLong, help: ArgumentHelp("Where to write the model card. Default: models/<data file name>.json.", valueName: "model.json"))
        var output: String?

        @Option(help: ArgumentHelp("A JSON configuration file (see the README, \"Configuration\"); flags override it.", valueName: "file.json"))
        var config: String?

        @Option(help: ArgumentHelp("The outcome column. Default: a column named Converted, Won, Stage or Outcome.", valueName: "column"))
        var target: String?

        @Option(help: ArgumentHelp("A value of the outcome column that means won (repeatable), e.g. --positive \"Closed Won\".", valueName: "value"))
        var positive: [String] = []

        @Option(help: ArgumentHelp("A value that means lost (repeatable). Rows with other values (open deals) are left out.", valueName: "value"))
        var negative: [String] = []

        @Option(help: ArgumentHelp("An identifier column (repeatable): copied to scored output, never a feature.", valueName: "column"))
        var id: [String] = []

        @Option(help: ArgumentHelp("A column to leave out (repeatable), e.g. fields sales fills in after contact.", valueName: "column"))
        var exclude: [String] = []

        @Option(help: ArgumentHelp("A high-cardinality text column to one-hot encode anyway (repeatable).", valueName: "column"))
        var include: [String] = []

        @Option(help: ArgumentHelp("Force a column's type, as column=type with type numeric, boolean, categorical or date (repeatable).", valueName: "column=type"))
        var type: [String] = []

        @Option(help: ArgumentHelp("A value meaning missing, besides the empty field, NA, N/A, null, None (repeatable), e.g. --missing Select.", valueName: "value"))
        var missing: [String] = []

        @Option(help: ArgumentHelp("Transform a skewed count column by log1p before standardising (repeatable).", valueName: "column"))
        var log1p: [String] = []

        @Option(help: ArgumentHelp("A column of positive sample weights.", valueName: "column"))
        var weight: String?

        @Option(help: ArgumentHelp("Category levels with fewer training rows are pooled into \"(other)\". Default: 30.", valueName: "n"))
        var minCategoryCount: Int?

        @Option(help: ArgumentHelp("Text columns with more distinct values are left out as free text. Default: 50.", valueName: "n"))
        var maxLevels: Int?

        @Option(help: ArgumentHelp("Reference date for date columns (YYYY-MM-DD). Default: the latest date in the file.", valueName: "date"))
        var asOf: String?

        @Option(help: ArgumentHelp("L2 penalty λ on the standardised coefficients; λ = 1/C for scikit-learn's C. 0 fits by plain maximum likelihood. Default: 1.", valueName: "λ"))
        var l2: Double?

        @Option(help: "Class weighting: none, or balanced (each class carries equal total weight).")
        var classWeight: ClassWeight?

        @Option(help: ArgumentHelp("Hold out this fraction of rows (stratified, seeded) and report metrics on them. Default: 0.", valueName: "fraction"))
        var holdout: Double?

        @Option(help: ArgumentHelp("Seed of the holdout split. Default: 42.", valueName: "n"))
        var seed: UInt64?

        @Option(help: ArgumentHelp("A separate validation CSV with the same columns, instead of --holdout.", valueName: "file.csv"))
        var validation: String?

        @Flag(name: .shortAndLong, help: "Print only errors.")
        var quiet = false

        func validate() throws {
            if let l2, !(l2 >= 0 && l2.isFinite) { throw ValidationError("--l2 must be a number ≥ 0 (got \(l2)).") }
            if let holdout, !(holdout >= 0 && holdout < 1) { throw ValidationError("--holdout must be at least 0 and below 1 (got \(holdout)).") }
            if holdout ?? 0 > 0 && validation != nil { throw ValidationError("Use either --holdout or --validation, not both.") }
            if let n = minCategoryCount, n < 1 { throw ValidationError("--min-category-count must be at least 1.") }
            if let n = maxLevels, n < 2 { throw ValidationError("--max-levels must be at least 2.") }
            _ = try parsedTypes()
        }

        func parsedTypes() throws -> [String: ColumnKind] {
            var types: [String: ColumnKind] = [:]
            for t in type {
                guard let eq = t.lastIndex(of: "="), let kind = ColumnKind(rawValue: String(t[t.index(after: eq)...])) else {
                    throw ValidationError("--type takes column=type with type numeric, boolean, categorical or date (got \"\(t)\").")
                }
                types[String(t[..<eq])] = kind
            }
            return types
        }

        func run() throws {
            var flags = TrainingConfiguration()
            flags.target = target
            flags.positive = positive.isEmpty ? nil : positive
            flags.negative = negative.isEmpty ? nil : negative
            flags.ids = id.isEmpty ? nil : id
            flags.exclude = exclude.isEmpty ? nil : exclude
            flags.include = include.isEmpty ? nil : include
            let types = try parsedTypes()
            flags.types = types.isEmpty ? nil : types
            flags.missingValues = missing.isEmpty ? nil : missing
            flags.log1p = log1p.isEmpty ? nil : log1p
            flags.weight = weight
            flags.minCategoryCount = minCategoryCount
            flags.maxCategoryLevels = maxLevels
            flags.asOf = asOf
            flags.l2 = l2
            flags.classWeight = classWeight
            flags.holdout = holdout
            flags.seed = seed
            let base = try config.map { try TrainingConfiguration.load(path: $0) } ?? TrainingConfiguration()
            let configuration = base.overridden(by: flags)
            let request = TrainingRequest(dataPath: data, configuration: configuration, validationPath: validation)

            let model = try Trainer.train(request, progress: Terminal.progress("Reading", quiet: quiet))
            Terminal.endProgress(quiet: quiet)
            let path = output ?? "models/" + ((data as NSString).lastPathComponent as NSString).deletingPathExtension + ".json"
            try model.write(to: path)
            if !quiet { Terminal.note(ModelReport.trainingSummary(model, path: path)) }
        }
    }
}
