import ArgumentParser
import Foundation
import LeadScore

extension ClassWeight: ExpressibleByArgument {}
extension SplineMode: ExpressibleByArgument {}
extension ColumnKind: ExpressibleByArgument {}
extension PenaltyKind: ExpressibleByArgument {}
extension CVMetric: ExpressibleByArgument {}
extension CVRule: ExpressibleByArgument {}

extension LeadScoreCommand {
    struct Train: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Train a logistic lead-scoring model from a CSV export of closed deals.",
            discussion: """
                Reads the file once, infers each column's role and type (override them with a \
                JSON config file or the flags below), learns the encoding on the training rows, \
                fits a penalised logistic regression (L2 by default; --penalty l1 or elasticnet, λ \
                chosen by --cv), and writes a JSON \
                model card.

                Examples:
                  leadscore train deals.csv --target Stage --positive "Closed Won" --output models/deals.json
                  leadscore train Leads.csv --target Converted --id "Prospect ID" --id "Lead Number" \\
                      --exclude Tags --exclude "Lead Quality" --exclude "Lead Profile" \\
                      --missing Select --holdout 0.3 --seed 42 --output models/leads.json
                  leadscore train deals.csv --config deals.config.json --l2 0     # unpenalised, statsmodels-style SEs
                  leadscore train deals.csv --target Stage --time-column "Created Date" --test-from 2026-01-01
                  leadscore train deals.csv --target Stage --folds 5
                  leadscore train deals.csv --target Stage --penalty l1 --cv 5     # the lasso, λ chosen by 5-fold cross-validation
                  leadscore train deals.csv --target Stage --class-weight balanced     # intercept prior-corrected to the file's rate
                  leadscore train sample.csv --target Stage --population-rate 0.05    # a sample with fewer lost deals than the CRM
                  leadscore train hubspot-deals.csv --date-format "Create Date=MM/DD/YYYY"    # dates whose fields are all 12 or less
                  leadscore train opportunities.csv --amount-format "Amount=1.234,56"         # amounts with a decimal comma

                CRM exports are read as they come: dates written month first or day first \
                (07/13/2024, 13.07.2024) in a format each column's values decide, amounts with a \
                currency and thousands marks ($18,111.00, 18.111,00 €), HubSpot's deal stages \
                (closedwon, closedlost) and Salesforce's IsWon beside IsClosed, whose open deals \
                are left out.
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

        @Option(help: ArgumentHelp("Let a numeric or date column's effect bend: a natural cubic spline with K knots (3 to 7, default 5) at Harrell's quantiles of its training values, linear beyond the outer knots (repeatable).", valueName: "column[:K]"))
        var spline: [String] = []

        @Option(help: "auto: a spline (5 knots) for every numeric and date column with at least 10 distinct values; none (default): only the --spline columns.")
        var splines: SplineMode?

        @Option(help: ArgumentHelp("Hold a numeric column's effect to one direction: increasing (more never lowers the score) or decreasing. With a spline its curve is piecewise linear between the knots and flat beyond the outer ones; without, its slope keeps the sign (repeatable).", valueName: "column:increasing|decreasing"))
        var monotone: [String] = []

        @Option(help: ArgumentHelp("A column of positive sample weights.", valueName: "column"))
        var weight: String?

        @Option(parsing: .unconditional, help: ArgumentHelp("Category levels with fewer training rows are pooled into \"(other)\". Default: \(TrainingConfiguration.defaultMinCategoryCount).", valueName: "n"))
        var minCategoryCount: Int?

        @Option(parsing: .unconditional, help: ArgumentHelp("Text columns with more distinct values are left out as free text. Default: \(TrainingConfiguration.defaultMaxCategoryLevels).", valueName: "n"))
        var maxLevels: Int?

        @Option(help: ArgumentHelp("Reference date for date columns (YYYY-MM-DD). Default: the latest date in the file.", valueName: "date"))
        var asOf: String?

        @Option(help: ArgumentHelp("The format of a column of dates written month first or day first, as column=MM/DD/YYYY (month first) or column=DD/MM/YYYY (day first; also DD.MM.YYYY) (repeatable): needed when no value of the column has a field above 12, which would decide it.", valueName: "column=format"))
        var dateFormat: [String] = []

        @Option(help: ArgumentHelp("The format of a column of amounts such as $18,111.00 or 18.111,00 €, as column=1,234.56 (decimal point) or column=1.234,56 (decimal comma) (repeatable): needed when the values do not decide it.", valueName: "column=format"))
        var amountFormat: [String] = []

        @Option(help: ArgumentHelp("A column saying whether each deal is closed (true/false, 1/0), for an outcome such as Salesforce's IsWon that is false for open deals too: rows not closed are left out. Default: IsClosed, Is Closed or Closed beside an outcome IsWon, Is Won or Won.", valueName: "column"))
        var closedColumn: String?

        @Option(help: ArgumentHelp("A days-since column and the day it was measured, as column=YYYY-MM-DD (repeatable), e.g. \"Days Since Last Activity=2026-06-30\": score --as-of then ages it.", valueName: "column=date"))
        var measuredOn: [String] = []

        @Option(parsing: .unconditional, help: ArgumentHelp("L2 penalty λ on the standardised coefficients; λ = 1/C for scikit-learn's C. 0 fits by plain maximum likelihood. Default: \(ModelNumber.text(TrainingConfiguration.defaultL2)).", valueName: "λ"))
        var l2: Double?

        @Option(help: ArgumentHelp("The penalty λ[(1−α)/2‖β‖² + α‖β‖₁] (scikit-learn's elastic net with C = 1/λ, l1_ratio = α): l2 (α = 0), l1 (α = 1, the lasso: coefficients set to exactly 0 drop out), or elasticnet (α = --l1-ratio). λ is --l2, or chosen by --cv. Default: l2.", valueName: "kind"))
        var penalty: PenaltyKind?

        @Option(parsing: .unconditional, help: ArgumentHelp("With --penalty elasticnet: α, between 0 (L2) and 1 (L1). Without it, --cv chooses α among \(PenaltyPath.l1RatiosText).", valueName: "α"))
        var l1Ratio: Double?

        @Option(parsing: .unconditional, help: ArgumentHelp("Choose λ (and the elastic net's α) by k-fold stratified cross-validation on the training rows (seeded by --seed), then refit on them all; the card records the path. Instead of --l2.", valueName: "k"))
        var cv: Int?

        @Option(help: ArgumentHelp("What --cv minimises: deviance (the out-of-fold deviance) or auc (1 − AUC). Default: deviance.", valueName: "metric"))
        var cvMetric: CVMetric?

        @Option(help: ArgumentHelp("Which λ --cv chooses: min (the best) or 1se (the largest λ within one standard error of the best: a sparser, more stable model). Default: min.", valueName: "rule"))
        var cvRule: CVRule?

        @Option(help: "Class weighting: none, or balanced (each class carries equal total weight; the intercept is then prior-corrected to the training rows' rate of won deals, see --no-prior-correction).")
        var classWeight: ClassWeight?

        @Option(parsing: .unconditional, help: ArgumentHelp("The share of won deals among the leads the model will score, when the training export has another (it kept fewer lost deals): the intercept is prior-corrected to it (King & Zeng 2001). Above 0 and below 1.", valueName: "rate"))
        var populationRate: Double?

        @Flag(help: "Keep the intercept as fitted: no prior correction for --class-weight balanced or --population-rate, whose probabilities are then those of a population with the fit's own rate of won deals (50% with balanced weights).")
        var noPriorCorrection = false

        @Option(parsing: .unconditional, help: ArgumentHelp("Hold out this fraction of rows (stratified, seeded) and report metrics on them. Default: 0.", valueName: "fraction"))
        var holdout: Double?

        @Option(parsing: .unconditional, help: ArgumentHelp("Seed of the holdout split and the folds. Default: \(SeededGenerator.defaultSeed).", valueName: "n"))
        var seed: UInt64?

        @Option(help: ArgumentHelp("A separate validation CSV with the same columns, instead of --holdout.", valueName: "file.csv"))
        var validation: String?

        @Option(help: ArgumentHelp("Write the held-out rows (with --holdout or --time-column) to this CSV, to compare scorers on them.", valueName: "holdout.csv"))
        var holdoutOutput: String?

        @Option(help: ArgumentHelp("Out-of-time validation: the date column that orders leads (with --test-from).", valueName: "column"))
        var timeColumn: String?

        @Option(help: ArgumentHelp("Out-of-time validation: train on leads dated before this day, test on the rest (YYYY-MM-DD).", valueName: "date"))
        var testFrom: String?

        @Option(parsing: .unconditional, help: ArgumentHelp("k-fold stratified cross-validation: report each fold and the mean; the model is fitted on all rows.", valueName: "k"))
        var folds: Int?

        @Option(parsing: .unconditional, help: ArgumentHelp("A column whose AUC alone reaches this stops training as likely leakage. Default: \(ModelNumber.text(LeakageCheck.defaultStopThreshold)).", valueName: "auc"))
        var leakageThreshold: Double?

        @Option(help: ArgumentHelp("Confirm that a column flagged as leakage is known before the outcome, and train with it (repeatable).", valueName: "column"))
        var allowLeakage: [String] = []

        @Option(help: ArgumentHelp("A fit column (repeatable): who the lead is (company size, industry, title). With --fit or --engagement, every feature column must be in one of them, and scores get fit and engagement sub-scores and a grid cell A1–D4.", valueName: "column"))
        var fit: [String] = []

        @Option(help: ArgumentHelp("An engagement column (repeatable): what the lead did (visits, clicks, demo requests, recency). See --fit.", valueName: "column"))
        var engagement: [String] = []

        @Option(help: ArgumentHelp("A column (such as a region or product line) whose values each get a model of their own, shrunk toward the global model (partial pooling): a small segment borrows from the global model instead of overfitting. score picks each lead's model by its value; a value without a model (unseen, missing, or a segment below --min-conversions) gets the global model.", valueName: "column"))
        var segment: String?

        @Option(parsing: .unconditional, help: ArgumentHelp("The penalty λ on a segment model's distance from the global model, ‖β_segment − β_global‖²/2 (the scale of --l2): 0 fits each segment on its own, a large λ keeps it at the global model. Default: chosen by \(SegmentModels.defaultFolds)-fold cross-validation.", valueName: "λ"))
        var segmentL2: Double?

        @Option(parsing: .unconditional, help: ArgumentHelp("With --segment: segments with fewer won (or fewer lost) training deals use the global model. Default: \(TrainingConfiguration.defaultMinConversions).", valueName: "n"))
        var minConversions: Int?

        @Option(help: ArgumentHelp("A pair term A*B (repeatable): a small table of log-odds adjustments over the cells of two feature columns (every level of a category, a number's or date's training quartiles, a boolean's false/true; a cell with fewer than 10 training rows merged into the reference), for when one column's effect depends on the other's value.", valueName: "A*B"))
        var interaction: [String] = []

        @Option(help: ArgumentHelp("auto[:K]: screen every pair of columns on the training rows (a score test, then \(SegmentModels.defaultFolds)-fold cross-validation) and add at most K pair terms, those that lower the out-of-fold deviance. Default K: \(TrainingConfiguration.defaultAutoInteractions).", valueName: "auto[:K]"))
        var interactions: String?

        @Option(help: ArgumentHelp("The training date to record in the model (YYYY-MM-DD). Default: today (UTC). Give it to reproduce a model file byte for byte.", valueName: "date"))
        var trainingDate: String?

        @Flag(name: .shortAndLong, help: "Print only errors.")
        var quiet = false

        @Flag(help: "Print the wall time of each stage (read, encode, fit, …) to standard error.")
        var timings = false

        @Option(help: ArgumentHelp("The memory training may use for the columns read from the file (about 12 bytes a cell) and the encoded design (rows × features × 8 bytes), e.g. 2G or 512M. The columns go to a disk cache when they would take more than half of it, the design when it does not fit in the rest; the model is the same. Default: half the machine's memory.", valueName: "size"))
        var memoryBudget: String?

        @Option(help: ArgumentHelp("The directory for the disk cache when the data exceeds --memory-budget. Default: $TMPDIR or /tmp.", valueName: "dir"))
        var cacheDir: String?

        func validate() throws {
            if let l2, !(l2 >= 0 && l2.isFinite) { throw ValidationError("--l2 must be a number ≥ 0 (got \(l2)).") }
            if let holdout, !(holdout >= 0 && holdout < 1) { throw ValidationError("--holdout must be at least 0 and below 1 (got \(holdout)).") }
            let plans = [holdout ?? 0 > 0, validation != nil, timeColumn != nil || testFrom != nil, folds != nil].filter { $0 }.count
            if plans > 1 { throw ValidationError("Use one of --holdout, --validation, --time-column/--test-from and --folds.") }
            if (timeColumn == nil) != (testFrom == nil) { throw ValidationError("--time-column and --test-from go together.") }
            if let n = folds, n < 2 { throw ValidationError("--folds must be at least 2 (got \(n)).") }
            if let n = cv, n < 2 { throw ValidationError("--cv must be at least 2 folds (got \(n)).") }
            if let a = l1Ratio, !(a >= 0 && a <= 1) { throw ValidationError("--l1-ratio must be between 0 and 1 (got \(a)).") }
            if let n = minCategoryCount, n < 1 { throw ValidationError("--min-category-count must be at least 1 (got \(n)).") }
            if let n = maxLevels, n < 2 { throw ValidationError("--max-levels must be at least 2 (got \(n)).") }
            if let r = populationRate, !(r > 0 && r < 1) { throw ValidationError("--population-rate must be above 0 and below 1 (got \(r)).") }
            if let v = segmentL2, !(v >= 0 && v.isFinite) { throw ValidationError("--segment-l2 must be a number ≥ 0 (got \(v)).") }
            if let n = minConversions, n < 1 { throw ValidationError("--min-conversions must be at least 1 (got \(n)).") }
            if segment == nil && (segmentL2 != nil || minConversions != nil) { throw ValidationError("--segment-l2 and --min-conversions go with --segment.") }
            if let t = leakageThreshold, !(t > 0.5 && t <= 1) { throw ValidationError("--leakage-threshold must be above 0.5 and at most 1 (got \(t)).") }
            for (name, value) in [("--as-of", asOf), ("--test-from", testFrom), ("--training-date", trainingDate)] {
                if let value, ValueParser.isoDate(value) == nil { throw ValidationError("\(name) must be a date written YYYY-MM-DD (got \"\(value)\").") }
            }
            if data == "-" || validation == "-" {
                throw ValidationError("Training reads its files twice (once to fingerprint them with SHA-256), so it needs real files, not standard input.")
            }
            _ = try parsedTypes()
            _ = try parsedMeasuredOn()
            _ = try parsedDateFormats()
            _ = try parsedAmountFormats()
            _ = try parsedAutoInteractions()
            if let memoryBudget, MemorySize(memoryBudget) == nil {
                throw ValidationError("--memory-budget takes a size such as 2G, 512M or 800000000 (got \"\(memoryBudget)\").")
            }
        }

        /// `column=value` options, each value read by `read`: column → value.
        /// The column is what comes before the last `=`, so it may hold one.
        func pairs<T>(_ options: [String], refusal: (String) -> String, read: (String) -> T?) throws -> [String: T] {
            var values: [String: T] = [:]
            for option in options {
                guard let eq = option.lastIndex(of: "="), let value = read(String(option[option.index(after: eq)...])) else {
                    throw ValidationError(refusal(option))
                }
                values[String(option[..<eq])] = value
            }
            return values
        }

        /// K of `--interactions auto[:K]`, nil without it.
        func parsedAutoInteractions() throws -> Int? {
            guard let interactions else { return nil }
            if interactions == "auto" { return TrainingConfiguration.defaultAutoInteractions }
            if interactions.hasPrefix("auto:"), let k = Int(interactions.dropFirst(5)), k >= 1 { return k }
            throw ValidationError("--interactions takes auto or auto:K with K at least 1 (got \"\(interactions)\").")
        }

        func parsedTypes() throws -> [String: ColumnKind] {
            try pairs(type, refusal: { "--type takes column=type with type numeric, boolean, categorical or date (got \"\($0)\")." }) {
                ColumnKind(rawValue: $0)
            }
        }

        func parsedMeasuredOn() throws -> [String: String] {
            try pairs(measuredOn, refusal: { "--measured-on takes column=YYYY-MM-DD, the day the column's days were counted up to (got \"\($0)\")." }) {
                ValueParser.isoDate($0) != nil ? $0 : nil
            }
        }

        func parsedDateFormats() throws -> [String: DateFormat] {
            try pairs(dateFormat, refusal: { "--date-format takes column=format with format \(DateFormat.spellings) (got \"\($0)\")." }) {
                DateFormat(spelling: $0)
            }
        }

        func parsedAmountFormats() throws -> [String: AmountFormat] {
            try pairs(amountFormat, refusal: { "--amount-format takes column=format with format \(AmountFormat.spellings) (got \"\($0)\")." }) {
                AmountFormat(spelling: $0)
            }
        }

        func run() throws {
            LeadScoreCommand.useOneMallocArena()
            let path = output ?? "models/" + ((data as NSString).lastPathComponent as NSString).deletingPathExtension + ".json"
            let inputs = [data] + [validation, config].compactMap { $0 }
            try OutputPlan.check(inputs: inputs, outputs: [path] + [holdoutOutput].compactMap { $0 })
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
            let measured = try parsedMeasuredOn()
            flags.measuredOn = measured.isEmpty ? nil : measured
            flags.l2 = l2
            flags.classWeight = classWeight
            flags.penalty = penalty
            flags.l1Ratio = l1Ratio
            flags.cv = cv
            flags.cvMetric = cvMetric
            flags.cvRule = cvRule
            flags.populationRate = populationRate
            flags.priorCorrection = noPriorCorrection ? false : nil
            flags.holdout = holdout
            flags.seed = seed
            flags.timeColumn = timeColumn
            flags.testFrom = testFrom
            flags.folds = folds
            flags.leakageThreshold = leakageThreshold
            flags.allowLeakage = allowLeakage.isEmpty ? nil : allowLeakage
            flags.fit = fit.isEmpty ? nil : fit
            flags.engagement = engagement.isEmpty ? nil : engagement
            flags.segment = segment
            flags.segmentL2 = segmentL2
            flags.minConversions = minConversions
            let dates = try parsedDateFormats(), amounts = try parsedAmountFormats()
            flags.dateFormats = dates.isEmpty ? nil : dates
            flags.amountFormats = amounts.isEmpty ? nil : amounts
            flags.closedColumn = closedColumn
            flags.spline = spline.isEmpty ? nil : spline
            flags.splines = splines
            if !monotone.isEmpty {
                // COLUMN:DIRECTION, split at the last colon; the library
                // refuses a word that is not a direction, naming it.
                flags.monotone = Dictionary(monotone.map { entry in
                    guard let colon = entry.lastIndex(of: ":") else { return (entry, "") }
                    return (String(entry[..<colon]), String(entry[entry.index(after: colon)...]))
                }) { $1 }
            }
            flags.interactions = interaction.isEmpty ? nil : interaction
            flags.autoInteractions = try parsedAutoInteractions()
            let base = try config.map { try TrainingConfiguration.load(path: $0) } ?? TrainingConfiguration()
            let configuration = base.overridden(by: flags)
            var request = TrainingRequest(dataPath: data, configuration: configuration, validationPath: validation)
            request.holdoutOutputPath = holdoutOutput
            request.trainingDate = trainingDate
            let clock = StageClock()
            request.clock = clock
            request.memoryBudget = memoryBudget.flatMap(MemorySize.init)
            request.cacheDirectory = cacheDir
            if !quiet { request.log = { Terminal.note($0) } }

            let model = try Trainer.train(request, progress: Terminal.progress("Reading", quiet: quiet))
            Terminal.endProgress(quiet: quiet)
            try clock.measure("write") { () throws(InputError) in
                try model.write(to: path, inputs: inputs)
            }
            if timings {
                Terminal.note("Stage timings:\n" + clock.summary)
                Terminal.note("Linear algebra: \(BLASProvenance.current.description); the fit calls it on \(BLASProvenance.fitThreads) thread per call, on each of two fixed halves of every block of rows.")
            }
            if !quiet {
                Terminal.note(ModelCardReport.trainingSummary(model, path: path))
            } else {
                // Leakage is never silenced: a leaking model looks excellent and fails on new leads.
                for notice in model.training.notices where LeakageCheck.isLeakageNotice(notice) { Terminal.note("warning: " + notice) }
            }
        }
    }
}
