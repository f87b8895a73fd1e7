import Foundation

/// A model card as text for a terminal: the summary `train` prints, and
/// the full card `inspect` prints. Options are named by key
/// (`OptionKey.mention`), as in every library text.
public enum ModelCardReport {
    /// What `train` prints once the model is written to `path`: the
    /// notices, the data, the solver, and the metrics.
    public static func trainingSummary(_ m: ModelCard, path: String) -> String {
        let t = m.training
        var lines: [String] = []
        for n in t.notices { lines.append("note: " + n) }
        lines.append(
            "Trained on \(grouped(t.rows)) rows of \(t.source.file) (\(grouped(t.positives)) won, base rate \(percent(t.baseRate))); \(m.features.count) features from \(m.schema.encoders.columns.count) columns.")
        let s = t.solver
        lines.append(
            "Solver: \(s.converged ? "converged" : "DID NOT CONVERGE (\(s.stopReason.rawValue))") in \(s.iterations) \(s.method.hasPrefix("Proximal") ? "proximal Newton" : "Newton") iterations, final gradient norm \(ModelNumber.scientific(s.gradientNorm)) (tolerance \(ModelNumber.scientific(s.gradientTolerance))).")
        if let line = priorCorrectionLine(m) { lines.append(line) }
        if let line = penaltyLine(m) { lines.append(line) }
        lines.append(metricsLine("Training", m.metrics.training))
        if let h = m.metrics.holdout { lines.append(metricsLine(t.source.validationFile.map { "Validation (\($0))" } ?? "Holdout", h)) }
        if let line = subScoresLine(m) { lines.append(line) }
        if let line = segmentsLine(m) { lines.append(line) }
        if let cv = m.metrics.crossValidation {
            lines.append(
                "Cross-validation, \(cv.folds.count) folds: AUC \(fixed(cv.meanAUC, 4)) ± \(fixed(cv.sdAUC, 4)), log loss \(fixed(cv.meanLogLoss, 4)) ± \(fixed(cv.sdLogLoss, 4)), Brier \(fixed(cv.meanBrier, 4)) ± \(fixed(cv.sdBrier, 4)) (mean ± SD).")
        }
        lines.append("Model written to \(path).")
        return lines.joined(separator: "\n")
    }

    /// What `inspect` prints: the card's provenance, the coefficients
    /// (largest effect first; `top` limits them) with standard errors, odds
    /// ratios, Wald p-values, intervals and per-unit values, the metrics,
    /// the holdout deciles and the training notices.
    public static func inspection(_ m: ModelCard, top: Int? = nil) -> String {
        let t = m.training
        var out: [String] = []
        if let note = m.integrityReportNote { out.append("warning: " + note) }
        // Two SHA-256s: the training file's (which data), the card's own
        // checksum (whether the card is as trained).
        out.append(
            "LeadScore model (format \(m.formatVersion)) trained on \(t.date) from \(t.source.file) (data SHA-256 \(t.source.sha256.prefix(16))…)"
                + (m.checksum.map { "; card checksum \($0.prefix(16))…" } ?? "") + ".")
        out.append(
            "Outcome: \"\(m.schema.target.column)\" = \(m.schema.target.positive.joined(separator: " / ")) means won\(m.schema.target.closedColumn.map { " (deals whose \"\($0)\" is not true are open, left out)" } ?? ""). Rows: \(grouped(t.rows)) for training (\(grouped(t.positives)) won, base rate \(percent(t.baseRate))), \(grouped(t.holdoutRows)) \(t.source.validationFile == nil ? "held out" : "in the validation file"), \(grouped(t.excludedRows)) without an outcome.")
        if !m.schema.idColumns.isEmpty { out.append("Id columns: \(m.schema.idColumns.joined(separator: ", ")).") }
        if let measured = m.schema.measuredOn, !measured.isEmpty {
            let list = measured.sorted { $0.key < $1.key }.map { "\"\($0.key)\" on \($0.value)" }.joined(separator: ", ")
            out.append("Measured on: \(list); scoring as of a later day ages these columns by the days between.")
        }
        if !m.schema.columnFormats.isEmpty {
            out.append("Formats: \(m.schema.columnFormats.joined(separator: ", ")); scoring reads these columns so.")
        }
        if let tiers = m.tiers { out.append("Tiers: \(tiers.description) (score and evaluate use them when no tiers are given).") }
        let o = t.options
        out.append("Penalty: \(t.solver.penaltyNote)")
        out.append("Validation: \(o.validation).")
        out.append(
            "Solver: \(t.solver.converged ? "converged" : "did not converge (\(t.solver.stopReason.rawValue))") in \(t.solver.iterations) iterations, gradient norm \(ModelNumber.scientific(t.solver.gradientNorm)); class weights \(o.classWeight.rawValue); categories pooled below \(o.minCategoryCount) rows.")
        if let blas = t.linearAlgebra { out.append("Fitted with \(blas.library) \(blas.version), \(blas.kernel) kernel.") }
        if let line = priorCorrectionLine(m) { out.append(line) }
        if let c = m.calibration { out.append(RecalibrationReport.line(c)) }
        if let groups = m.columnGroups {
            for group in FeatureGroup.allCases {
                let columns = zip(m.schema.encoders.columns, groups).filter { $0.1 == group }.map { "\"\($0.0.column)\"" }
                out.append("\(group == .fit ? "Fit" : "Engagement") columns: \(columns.isEmpty ? "none" : columns.joined(separator: ", ")).")
            }
        }
        if let line = subScoresLine(m) { out.append(line) }
        out.append("")
        let rows = m.coefficientSummaries()
        let intercept = rows[rows.count - 1]
        var effects = Array(rows.dropLast()).sorted { abs($0.coefficient) != abs($1.coefficient) ? abs($0.coefficient) > abs($1.coefficient) : $0.name < $1.name }
        if let top { effects = Array(effects.prefix(top)) }
        // A model with groups shows each feature's group in a last column.
        let groupOf = Dictionary(m.features.compactMap { f in f.group.map { (f.name, $0.rawValue) } }, uniquingKeysWith: { x, _ in x })
        // An L1 card's zeroed coefficients (and all of them, when the
        // nonzero ones' Hessian was singular) have no standard error,
        // written as 0: shown as "—", as are their z, p and interval.
        let hasSE: (CoefficientSummary) -> Bool = { r in !(t.penalty.map { $0.l1Ratio > 0 } == true && r.standardError == 0) }
        let table = (effects + [intercept]).map { r in
            (hasSE(r)
                ? [
                    r.name, ModelNumber.signed(r.coefficient, 3), fixed(r.standardError, 3), fixed(r.oddsRatio, 2), fixed(r.z, 2), pValue(r.pValue),
                    "[\(fixed(r.lower95, 2)), \(fixed(r.upper95, 2))]", r.perUnit.map(perUnit) ?? "",
                ]
                : [r.name, ModelNumber.signed(r.coefficient, 3), "—", fixed(r.oddsRatio, 2), "—", "—", "—", r.perUnit.map { ModelNumber.signed($0.coefficient, 4) } ?? ""])
                + (groupOf.isEmpty ? [] : [groupOf[r.name] ?? ""])
        }
        out.append("Coefficients (log-odds; per SD for numbers):")
        out.append(
            TextTable.render(
                ["feature", "coef", "SE", "odds ratio", "z", "p", "95% interval", "per unit (± 95%)"] + (groupOf.isEmpty ? [] : ["group"]), table,
                rightAligned: [1, 2, 3, 4, 5]))
        for curve in m.splineCurves {
            out.append("")
            out += splineSection(curve)
        }
        if let section = penaltySection(m) {
            out.append("")
            out += section
        }
        if let section = segmentsSection(m) {
            out.append("")
            out += section
        }
        for table in m.pairTables() {
            out.append("")
            out += pairSection(table)
        }
        if let screen = m.training.interactions {
            out.append("")
            out += screenSection(screen)
        }
        out.append("")
        out.append(metricsLine("Training", m.metrics.training))
        if let h = m.metrics.holdout {
            out.append(metricsLine(t.source.validationFile.map { "Validation (\($0))" } ?? "Holdout", h))
            out.append("\nHoldout calibration and lift by decile:")
            out.append(decileTable(h))
        }
        if let cv = m.metrics.crossValidation {
            out.append(
                "Cross-validation (\(cv.folds.count) folds): AUC \(fixed(cv.meanAUC, 4)) ± \(fixed(cv.sdAUC, 4)), log loss \(fixed(cv.meanLogLoss, 4)) ± \(fixed(cv.sdLogLoss, 4)), Brier \(fixed(cv.meanBrier, 4)) ± \(fixed(cv.sdBrier, 4)) (mean ± SD over folds).")
        }
        if !t.notices.isEmpty {
            out.append("\nNotes from training:")
            out += t.notices.map { "- " + $0 }
        }
        return out.joined(separator: "\n")
    }

    /// A spline column's shape (`SplineCurve`): its contribution at the
    /// training quantiles, relative to the median, with the 95% band.
    static func splineSection(_ c: SplineCurve) -> [String] {
        // Six significant digits: the quantiles interpolate between values.
        func short(_ v: Double) -> String { String(format: "%.6g", v) }
        let knots = c.knots.map(short).joined(separator: ", ")
        var lines = [
            "Spline \"\(c.feature)\": \(c.shape), \(c.knots.count) knots at \(knots)\(c.encoder.log1p ? " (on the log1p scale)" : ""); contribution to the log-odds relative to the median (\(short(c.median))), at the training quantiles:"
        ]
        if c.encoder.spline?.monotone != nil { lines.append(SplineCurve.monotoneBandNote) }
        let rows = c.points.map { p in
            [
                "\(Int((p.quantile * 100).rounded()))%", short(p.value), ModelNumber.signed(p.logOdds, 3), fixed(exp(p.logOdds), 2),
                p.lower95.map { "[\(ModelNumber.signed($0, 3)), \(ModelNumber.signed(p.upper95!, 3))]" } ?? "",
            ]
        }
        lines.append(TextTable.render(["quantile", "value", "log-odds", "odds ×", "95% band"], rows, rightAligned: [0, 1, 2, 3]))
        return lines
    }

    /// A pair term as a table: the first column's cells down, the second's
    /// across, each cell's log-odds adjustment and training rows; a rare
    /// cell merged into the reference shows "·" for its adjustment (0).
    static func pairSection(_ t: PairTable) -> [String] {
        let rows = t.rowCells.indices.map { i in
            [t.rowCells[i]] + t.columnCells.indices.map { j in "\(t.merged[i][j] ? "·" : ModelNumber.signed(t.logOdds[i][j], 3)) (\(grouped(t.counts[i][j])))" }
        }
        let merged = t.minimumCellRows.map { "; · a cell with fewer than \($0) training rows, merged into the reference cells, 0" } ?? ""
        return [
            "Pair \(t.name) (log-odds added to the main effects; training rows in brackets; the first row and column are the reference cells, 0\(merged)):",
            TextTable.render(["\(t.rowColumn) \\ \(t.columnColumn)"] + t.columnCells, rows, rightAligned: Set(1...t.columnCells.count)),
        ]
    }

    /// The interaction screen: the pairs it checked by cross-validation,
    /// their statistics and gains, and which it chose.
    static func screenSection(_ s: InteractionScreen) -> [String] {
        var out = [
            "Interaction screen: \(s.candidateCount) column pairs scored (\(s.statistic)); the best \(s.checked.count) checked by \(s.folds)-fold cross-validation on the training rows (seed \(s.seed)), out-of-fold deviance \(fixed(s.baselineDeviance, 1)) and AUC \(fixed(s.baselineAUC, 4)) without them; at most \(s.maximumPairs) chosen forward, each lowering the deviance of the model with those chosen before it by more than its standard error."
        ]
        guard !s.checked.isEmpty else { return out }
        let rows = s.checked.map { c in
            [
                c.name, fixed(c.statistic, 1), "\(c.degreesOfFreedom)", ModelNumber.signed(c.devianceGain ?? 0, 1),
                ModelNumber.signed(c.aucChange ?? 0, 4), c.addedDevianceGain.map { ModelNumber.signed($0, 1) + " ± " + fixed(c.addedGainStandardError ?? 0, 1) } ?? "",
                c.addedAUCChange.map { ModelNumber.signed($0, 4) } ?? "", c.chosen ? "yes" : "",
            ]
        }
        out.append("Gains alone: the pair added to the main effects; added: to the main effects and the pairs chosen above it.")
        out.append(
            TextTable.render(
                ["pair", "S", "df", "deviance gain alone", "AUC alone", "deviance gain added", "AUC added", "chosen"], rows, rightAligned: [1, 2, 3, 4, 5, 6]))
        return out
    }

    /// The prior correction of the intercept (`PriorCorrection`), for a
    /// card that had one; nil otherwise.
    static func priorCorrectionLine(_ m: ModelCard) -> String? {
        guard let c = m.training.priorCorrection else { return nil }
        let why = m.training.options.classWeight == .balanced ? "balanced class weights" : "the training rows"
        let source = c.populationRateGiven ? "given" : "the training rows' rate"
        return "Prior correction (King & Zeng 2001): intercept \(ModelNumber.signed(c.fittedIntercept, 3)) as fitted with \(percent(c.sampleRate)) won (\(why)), \(ModelNumber.signed(c.correctedIntercept, 3)) for a population with \(percent(c.populationRate)) won (\(source)); to keep the intercept as fitted, switch it off with \(OptionKey.priorCorrection.mention)."
    }

    /// How the model's sub-scores are made and its grid cut, for a model
    /// with fit and engagement groups; nil otherwise.
    static func subScoresLine(_ m: ModelCard) -> String? {
        guard let s = m.subScores else { return nil }
        // With segment models, b, F and E are each lead's segment model's.
        let b = m.segments == nil
            ? "b = \(ModelNumber.signed(m.intercept.coefficient, 3))"
            : "b the intercept of the lead's model (\(([ModelNumber.signed(m.intercept.coefficient, 3) + " global"] + m.segments!.modelled.map { "\(ModelNumber.signed($0.intercept!, 3)) \($0.value)" }).joined(separator: ", ")))"
        guard m.calibration != nil, let carried = m.gridCuts else {
            return "Sub-scores: fit_score = 100·σ(b + F + Ē), engagement_score = 100·σ(b + F̄ + E), \(b), F̄ = \(ModelNumber.signed(s.meanFit, 3)), Ē = \(ModelNumber.signed(s.meanEngagement, 3)); grid cut-offs (training quartiles) \(s.grid.description)."
        }
        return "Sub-scores: fit_score = 100·p(b + F + Ē), engagement_score = 100·p(b + F̄ + E) with p the recalibration above, \(b), F̄ = \(ModelNumber.signed(s.meanFit, 3)), Ē = \(ModelNumber.signed(s.meanEngagement, 3)); grid cut-offs \(carried.description) (the training quartiles \(s.grid.description), carried through the recalibration)."
    }

    /// A coefficient per unit of the column with its 95% half-width. The
    /// unit is named where it is not the column's own: per day for a date,
    /// per unit of log1p(x) for a column transformed by log1p.
    static func perUnit(_ u: CoefficientSummary.PerUnit) -> String {
        let value = ModelNumber.signed(u.coefficient, 4) + " ± " + fixed(CoefficientSummary.z975 * u.standardError, 4)
        return u.unit.hasPrefix("per unit of ") && !u.unit.hasPrefix("per unit of log1p(") ? value : value + " " + u.unit
    }

    static func metricsLine(_ label: String, _ b: BinaryMetrics) -> String {
        "\(label): \(grouped(b.rows)) rows, AUC \(fixed(b.auc, 4)), log loss \(fixed(b.logLoss, 4)), Brier \(fixed(b.brier, 4))."
    }

    /// The decile calibration and lift table.
    static func decileTable(_ b: BinaryMetrics) -> String {
        let rows = b.deciles.map { d in
            [
                String(d.decile), grouped(d.count), grouped(d.positives), fixed(d.minPredicted, 3) + "–" + fixed(d.maxPredicted, 3),
                fixed(d.meanPredicted, 3), fixed(d.observedRate, 3), fixed(d.lift, 2), percent(d.cumulativeGain), fixed(d.cumulativeLift, 2),
            ]
        }
        return TextTable.render(
            ["decile", "leads", "won", "predicted range", "mean predicted", "observed rate", "lift", "cum. gain", "cum. lift"], rows,
            rightAligned: Set(0...8))
    }

    static func pValue(_ p: Double) -> String { p < 0.0001 ? "<0.0001" : fixed(p, 4) }
    static func fixed(_ v: Double, _ digits: Int) -> String { ModelNumber.fixed(v, digits) }
    static func percent(_ v: Double) -> String { ModelNumber.fixed(100 * v, 1) + "%" }
    static func grouped(_ n: Int) -> String { ModelNumber.grouped(n) }
}
