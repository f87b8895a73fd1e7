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
                penalised).

                Examples:
                  leadscore inspect models/b2b-deals.json
                  leadscore inspect models/b2b-deals.json --top 10
                """)

        @Argument(help: ArgumentHelp("The model card.", valueName: "model.json"))
        var model: String

        @Option(help: ArgumentHelp("Show only the n largest effects.", valueName: "n"))
        var top: Int?

        func validate() throws {
            if let top, top < 1 { throw ValidationError("--top must be at least 1.") }
        }

        func run() throws {
            let m = try ModelCard.load(path: model)
            let t = m.training
            var out: [String] = []
            out.append("LeadScore model (format \(m.formatVersion)) trained on \(t.date) from \(t.source.file), SHA-256 \(t.source.sha256.prefix(16))…")
            out.append(
                "Outcome: \"\(m.schema.target.column)\" = \(m.schema.target.positive.joined(separator: " / ")) means won. Rows: \(Terminal.grouped(t.rows)) for training (\(Terminal.grouped(t.positives)) won, base rate \(ModelReport.pct(t.baseRate))), \(Terminal.grouped(t.holdoutRows)) \(t.source.validationFile == nil ? "held out" : "in the validation file"), \(Terminal.grouped(t.excludedRows)) without an outcome.")
            if !m.schema.idColumns.isEmpty { out.append("Id columns: \(m.schema.idColumns.joined(separator: ", ")).") }
            let o = t.options
            out.append("Penalty: \(t.solver.penaltyNote)")
            out.append("Validation: \(o.validation).")
            out.append(
                "Solver: \(t.solver.converged ? "converged" : "did not converge (\(t.solver.stopReason.rawValue))") in \(t.solver.iterations) iterations, gradient norm \(ModelReport.sci(t.solver.gradientNorm)); class weights \(o.classWeight.rawValue); categories pooled below \(o.minCategoryCount) rows.")
            out.append("")
            let rows = m.coefficientSummaries()
            let intercept = rows.last!
            var effects = Array(rows.dropLast()).sorted { abs($0.coefficient) != abs($1.coefficient) ? abs($0.coefficient) > abs($1.coefficient) : $0.name < $1.name }
            if let top { effects = Array(effects.prefix(top)) }
            let f = ModelReport.f
            let table = (effects + [intercept]).map { r in
                [
                    r.name, ModelNumber.signed(r.coefficient, 3), f(r.standardError, 3), f(r.oddsRatio, 2), f(r.z, 2), pText(r.pValue),
                    "[\(f(r.lower95, 2)), \(f(r.upper95, 2))]", r.perUnit.map { ModelNumber.signed($0.coefficient, 4) + " ± " + f(Self.z95($0.standardError), 4) } ?? "",
                ]
            }
            out.append("Coefficients (log-odds; per SD for numbers):")
            out.append(Terminal.table(["feature", "coef", "SE", "odds ratio", "z", "p", "95% interval", "per unit (± 95%)"], table, rightAligned: [1, 2, 3, 4, 5]))
            out.append("")
            out.append(ModelReport.metricsLine("Training", m.metrics.training))
            if let h = m.metrics.holdout {
                out.append(ModelReport.metricsLine(t.source.validationFile.map { "Validation (\($0))" } ?? "Holdout", h))
                out.append("\nHoldout calibration and lift by decile:")
                out.append(ModelReport.decileTable(h))
            }
            if let cv = m.metrics.crossValidation {
                out.append(
                    "Cross-validation (\(cv.folds.count) folds): AUC \(f(cv.meanAUC, 4)) ± \(f(cv.sdAUC, 4)), log loss \(f(cv.meanLogLoss, 4)) ± \(f(cv.sdLogLoss, 4)), Brier \(f(cv.meanBrier, 4)) ± \(f(cv.sdBrier, 4)) (mean ± SD over folds).")
            }
            if !t.notices.isEmpty {
                out.append("\nNotes from training:")
                out += t.notices.map { "- " + $0 }
            }
            print(out.joined(separator: "\n"))
        }

        static func z95(_ se: Double) -> Double { CoefficientSummary.z975 * se }

        func pText(_ p: Double) -> String { p < 0.0001 ? "<0.0001" : ModelNumber.fixed(p, 4) }
    }
}
