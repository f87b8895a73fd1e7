import Foundation

/// What to compare, on which leads, and how.
public struct ComparisonRequest: Sendable {
    public var dataPath: String
    public var scorers: [ScorerSource]
    /// How the outcome is read; default: the first model's outcome.
    public var outcome: OutcomeRule?
    /// Share of the rows (stratified, seeded) set aside to calibrate rule
    /// points into probabilities by isotonic regression; used only when a
    /// rules scorer is compared. Default 0.3.
    public var calibrationFraction: Double
    public var seed: UInt64
    /// Paired-bootstrap resamples, 0 to `maximumBootstrapResamples`.
    public var bootstrapResamples: Int
    /// The most resamples an evaluation draws. Each redraws every lead for
    /// every pair of scorers, so time and memory grow with the count;
    /// 1,000 gives 95% intervals to about two digits, and beyond 100,000
    /// the reported digits no longer move.
    public static let maximumBootstrapResamples = 100_000
    /// Leads sales can call; default: a tenth of the evaluated leads.
    public var topK: Int?
    public var scoring: ScoringOptions
    /// With exactly one scorer, a model: also write each evaluated lead's
    /// id (or row number), label and probability to this CSV
    /// (`PredictionsWriter`), in the same read of the file.
    public var predictionsPath: String?
    /// Evaluate each model with segment models (`SegmentModels`) also as
    /// its global model alone (`ModelCard.globalModel`), a scorer of its
    /// own named "<name> (global model)" and placed just before it, so that
    /// the pairwise differences compare the segment models with the global
    /// model on the same leads; and, per lead, segment by segment
    /// (`SegmentBreakdown`). Default true.
    public var compareSegmentsWithGlobal: Bool

    public init(
        dataPath: String, scorers: [ScorerSource], outcome: OutcomeRule? = nil, calibrationFraction: Double = 0.3,
        seed: UInt64 = SeededGenerator.defaultSeed, bootstrapResamples: Int = 1000, topK: Int? = nil, scoring: ScoringOptions = ScoringOptions(),
        predictionsPath: String? = nil, compareSegmentsWithGlobal: Bool = true
    ) {
        self.dataPath = dataPath
        self.scorers = scorers
        self.outcome = outcome
        self.predictionsPath = predictionsPath
        self.compareSegmentsWithGlobal = compareSegmentsWithGlobal
        self.calibrationFraction = calibrationFraction
        self.seed = seed
        self.bootstrapResamples = bootstrapResamples
        self.topK = topK
        self.scoring = scoring
    }
}

/// Evaluates every scorer on the same leads and compares them pairwise.
///
/// 1. The file is read once; every scorer scores every lead; leads without
///    an outcome are left out and counted.
/// 2. When a rules scorer takes part, a stratified share of the leads
///    (`calibrationFraction`, seeded) is set aside: on it, each rule set's
///    points are mapped to probabilities by isotonic regression. Every
///    scorer is then evaluated on the remaining leads only, so all see the
///    same rows.
/// 3. Per scorer: ranking (AUC with DeLong interval, Gini, KS) on its raw
///    score (probability or points); calibration on its probabilities;
///    lift by decile; tiers; capture in the top k.
/// 4. Per pair: differences in AUC (paired DeLong and bootstrap), top-decile
///    lift, Brier score and capture at k (paired bootstrap).
/// 5. Per model with segment models, per lead: each segment's leads, the
///    segment models against the global model (`SegmentBreakdown`); the
///    global model is one of the scorers
///    (`ComparisonRequest.compareSegmentsWithGlobal`).
public enum Comparison {
    public static func run(_ request: ComparisonRequest) throws(InputError) -> ComparisonReport {
        guard !request.scorers.isEmpty else {
            throw InputError(.badConfiguration, "nothing to evaluate.", remedy: "Pass at least one \(OptionKey.model.mention) or \(OptionKey.rules.mention).")
        }
        guard (0...ComparisonRequest.maximumBootstrapResamples).contains(request.bootstrapResamples) else {
            throw InputError(
                .badConfiguration, "\(request.bootstrapResamples) bootstrap resamples were asked for; an evaluation draws from 0 to \(ModelNumber.grouped(ComparisonRequest.maximumBootstrapResamples)).",
                remedy: "Set \(OptionKey.bootstrapResamples.mention) to 1000 (the default) or another number in that range.")
        }
        let path = request.dataPath
        guard let outcome = request.outcome ?? request.scorers.lazy.compactMap({ if case .model(_, let m) = $0 { .known(m.schema.target) } else { nil } }).first
        else {
            throw InputError(.badConfiguration, "rules alone do not say which column is the outcome.", remedy: "Pass \(OptionKey.target.mention) (and \(OptionKey.positive.mention)) with \(OptionKey.rules.mention).")
        }

        // The scorers evaluated: each model with segment models preceded by
        // its global model; `primary[k]` is the index of request scorer k.
        var sources: [ScorerSource] = [], primary: [Int] = []
        var globalOf: [Int: Int] = [:]
        for source in request.scorers {
            if request.compareSegmentsWithGlobal, case .model(let path, let card) = source, card.segments != nil {
                sources.append(.model(path: path + " (global model)", card.globalModel))
                globalOf[sources.count] = sources.count - 1
            }
            primary.append(sources.count)
            sources.append(source)
        }

        // 1. Score every lead with every scorer (`LabelledLeads`).
        var predictions: PredictionsWriter? = nil
        if let predictionsPath = request.predictionsPath {
            guard request.scorers.count == 1, case .model(_, let card) = request.scorers[0] else {
                throw InputError(.badConfiguration, "predictions are written for exactly one model.", remedy: "Pass one \(OptionKey.model.mention) with \(OptionKey.predictionsPath.mention).")
            }
            predictions = try PredictionsWriter(path: predictionsPath, model: card, dataPath: path)
        }
        if predictions != nil && request.scoring.accounts != nil {
            throw InputError(.badConfiguration, "predictions are written per lead, and this evaluation is per account.", remedy: "Evaluate per lead to write predictions.")
        }
        // Each lead's account, when evaluating per account.
        var accountOf: [String?] = []
        var accountColumn: AccountColumn? = nil
        let accountParser = ValueParser(missingMarkers: ValueParser.defaultMissingMarkers + request.scoring.extraMissingValues)
        let leads = try LabelledLeads.read(
            path: path, outcome: outcome, scorers: sources, options: request.scoring,
            requiringIds: predictions != nil,
            lead: { reader, label, probabilities throws(InputError) in
                try predictions?.write(reader, label: label, probabilities: [probabilities[primary[0]]])
                guard let accounts = request.scoring.accounts else { return }
                if accountColumn == nil { accountColumn = try AccountColumn(accounts, header: reader.header, file: path) }
                accountOf.append(accountColumn!.account(reader, parser: accountParser))
            })
        let bound = leads.scorers
        var labels = leads.labels, scores = leads.scores, tiers = leads.tiers
        let cells = leads.cells
        var probabilities = leads.probabilities
        let fileRows = leads.fileRows, excluded = leads.excluded
        var accountNote: String? = nil
        if let accounts = request.scoring.accounts {
            (labels, scores, probabilities, tiers, accountNote) = try accountLevel(
                leads, accountOf: accountOf, scorers: sources, request: request, points: accounts.points, file: path)
        }
        // 2. Calibration split for rule points.
        var evaluated = Array(labels.indices)
        var calibrationRows: [Int] = []
        if bound.contains(where: { $0.isRules }) {
            (evaluated, calibrationRows) = StratifiedSplit.split(
                rows: Array(labels.indices), labels: labels, fraction: request.calibrationFraction, seed: request.seed)
            let calibrationWon = calibrationRows.reduce(0) { $0 + (labels[$1] > 0.5 ? 1 : 0) }
            guard calibrationWon > 0, calibrationWon < calibrationRows.count else {
                throw InputError(
                    .singleClass, at: InputLocation(file: path, column: outcome.column),
                    "the \(calibrationRows.count) leads set aside to calibrate rule points hold \(calibrationWon == 0 ? "no won" : "only won") leads, so points cannot be turned into probabilities.",
                    remedy: "Evaluate on more closed deals, or change \(OptionKey.calibrationFraction.mention) so both parts hold won and lost leads.")
            }
            for k in bound.indices where bound[k].isRules {
                let iso: IsotonicCalibration
                do {
                    iso = try IsotonicCalibration.fit(scores: calibrationRows.map { scores[k][$0] }, labels: calibrationRows.map { labels[$0] })
                } catch {
                    throw InputError(
                        .noTrainingData, at: InputLocation(file: path),
                        "the rule points of \(bound[k].name) could not be calibrated into probabilities (\(error)).",
                        remedy: "Evaluate on more closed deals, or a larger \(OptionKey.calibrationFraction.mention).")
                }
                // Isotonic steps reach 0 and 1 where the calibration leads of a
                // range of points were all lost or all won; a probability of
                // exactly 0 or 1 is never warranted by a finite sample, so
                // clip to [1/(2m), 1 − 1/(2m)] for m calibration leads.
                let floor = 1 / (2 * Double(calibrationRows.count))
                for r in labels.indices { probabilities[k][r] = min(max(iso.predict(scores[k][r]), floor), 1 - floor) }
            }
        }
        let y = evaluated.map { labels[$0] }
        let positives = Int(y.reduce(0, +))
        guard positives > 0, positives < y.count else {
            throw InputError(
                .singleClass, at: InputLocation(file: path, column: outcome.column),
                "the evaluated leads are all \(positives > 0 ? "won" : "lost")\(calibrationRows.isEmpty ? "" : " (after setting \(calibrationRows.count) aside for calibration)"); comparison needs both.",
                remedy: calibrationRows.isEmpty ? "Evaluate on closed deals with both outcomes." : "Evaluate on more closed deals, or change \(OptionKey.calibrationFraction.mention).")
        }
        let topK = min(request.topK ?? max(1, Int((Double(y.count) / 10).rounded())), y.count)

        // 3. Per scorer.
        var reports: [ScorerReport] = []
        var ranked: [RankedScores] = []
        for k in bound.indices {
            let s = evaluated.map { scores[k][$0] }, p = evaluated.map { probabilities[k][$0] }, t = evaluated.map { tiers[k][$0] }
            guard let r = RankedScores(scores: s, labels: y) else {
                // Unreachable: models and rules are checked to give finite scores.
                throw InputError(
                    .invalidValue, at: InputLocation(file: path), "\(bound[k].name) gives a lead a score that is not a number.",
                    remedy: "Check the scorer; please report this with the command you ran.")
            }
            ranked.append(r)
            var report = bound[k].report(labels: y, scores: s, probabilities: p, tiers: t, ranked: r, topK: topK, calibrationRows: calibrationRows.count)
            // The grid is a lead's: an account has no fit and engagement cell.
            if let grid = bound[k].grid, request.scoring.accounts == nil {
                report.grid = ScorerReport.Grid(cuts: grid.cuts, measure: grid.measure, cells: evaluated.map { cells[k][$0] }, labels: y)
            }
            if case .model(_, let card) = sources[k], !card.schema.encoders.pairs.isEmpty { report.pairs = card.pairTables() }
            reports.append(report)
        }

        // 4. Pairs.
        let pairs = PairedBootstrap.pairwise(
            labels: y, probabilities: bound.indices.map { k in evaluated.map { probabilities[k][$0] } }, ranked: ranked, names: reports.map(\.name),
            topK: topK, resamples: request.bootstrapResamples, seed: request.seed)

        // 5. Segments, per lead.
        var segments: [SegmentBreakdown] = []
        if request.scoring.accounts == nil {
            for (k, g) in globalOf.sorted(by: { $0.key < $1.key }) {
                guard case .model(_, let card) = sources[k], let models = card.segments else { continue }
                segments.append(
                    SegmentBreakdown(
                        scorer: reports[k].name, globalScorer: reports[g].name, models: models, labels: y,
                        probabilities: evaluated.map { probabilities[k][$0] }, global: evaluated.map { probabilities[g][$0] },
                        segments: evaluated.map { leads.segments[k][$0] }))
            }
        }

        let sha256 = path == "-" ? "" : try FileDigest.sha256(path: path)
        try predictions?.commit()
        let warnings = request.scorers.compactMap { scorer -> String? in
            if case .model(_, let card) = scorer { return card.integrityReportNote }
            return nil
        }
        var notes: [String] = accountNote.map { [$0] } ?? []
        if predictions != nil, case .model(_, let card) = request.scorers[0], card.schema.idColumns.isEmpty {
            notes.append(Scorer.rowNumbersNote("predictions"))
        }
        return ComparisonReport(
            file: (path as NSString).lastPathComponent, sha256: sha256,
            fileRows: fileRows, excludedRows: excluded, calibrationRows: calibrationRows.count, rows: y.count, positives: positives,
            baseRate: Double(positives) / Double(y.count), seed: request.seed, bootstrapResamples: request.bootstrapResamples,
            topK: topK, scorers: reports, comparisons: pairs,
            definitions: definitions(topK: topK, grid: reports.contains { $0.grid != nil }, segments: !globalOf.isEmpty),
            warnings: warnings.isEmpty ? nil : warnings, notes: notes.isEmpty ? nil : notes, accountColumn: request.scoring.accounts?.column,
            accountLeads: request.scoring.accounts == nil ? nil : accountOf.filter { $0 != nil }.count, segments: segments.isEmpty ? nil : segments)
    }

    /// The leads rolled up to accounts (`AccountRollup`), one row per
    /// account in order of first appearance: converted when any lead did;
    /// a model's probability that any lead converts; a rules file's summed
    /// or maximum points. An account whose leads a rules file all
    /// disqualified ranks below every other account. Leads without an
    /// account are left out, which the returned note says.
    private static func accountLevel(
        _ leads: LabelledLeads, accountOf: [String?], scorers: [ScorerSource], request: ComparisonRequest, points: PointsRollup, file: String
    ) throws(InputError) -> (labels: [Double], scores: [[Double]], probabilities: [[Double]], tiers: [[String]], note: String?) {
        var scores: [[Double]] = [], probabilities: [[Double]] = [], tiers: [[String]] = []
        var labels: [Double] = []
        for (k, source) in scorers.enumerated() {
            let rows: [AccountRow]
            switch source {
            case .model(_, let card):
                rows = AccountRollup.rows(
                    AccountLeads(accounts: accountOf, values: leads.logOdds[k], labels: leads.labels), model: request.scoring.tiers,
                    map: card.probabilityMap)
                scores.append(rows.map(\.probability))
                probabilities.append(rows.map(\.probability))
            case .rules(_, let set):
                let disqualified = leads.disqualified[k].indices.map { leads.disqualified[k][$0] ? leads.tiers[k][$0] : nil }
                rows = AccountRollup.rows(
                    AccountLeads(accounts: accountOf, values: leads.scores[k], disqualifiedTiers: disqualified, labels: leads.labels), rules: set,
                    points: points)
                let floor = (rows.map(\.score).filter { !$0.isNaN }.min() ?? 0) - 1
                scores.append(rows.map { $0.score.isNaN ? floor : $0.score })
                probabilities.append(rows.map { _ in .nan })
            }
            tiers.append(rows.map(\.tier))
            labels = rows.map { $0.converted == true ? 1 : 0 }
        }
        guard !labels.isEmpty else {
            throw InputError(
                .noTrainingData, at: InputLocation(file: file, column: request.scoring.accounts?.column),
                "no lead with an outcome has an account.", remedy: "Check the account column, or evaluate per lead.")
        }
        let missing = accountOf.filter { $0 == nil }.count
        return (labels, scores, probabilities, tiers, missing == 0 ? nil : "\(ModelNumber.grouped(missing)) leads with an outcome have no account and are left out of the account-level evaluation.")
    }

    /// The report's glossary; `grid`: with the grid's entry, for a report
    /// with a scorer that has one; `segments`: with the segments' entry,
    /// for a report with a model with segment models.
    static func definitions(topK: Int, grid: Bool = false, segments: Bool = false) -> [String: String] {
        var terms = [
            "AUC": "Probability that a random won lead scores above a random lost one (ties count ½); 95% interval from DeLong's variance.",
            "Gini": "2 × AUC − 1.",
            "KS": "Largest gap between the cumulative score distributions of won and lost leads, over all thresholds.",
            "decile": "Leads sorted by score, highest first, split into ten groups of (almost) equal size; decile 1 holds the highest scores.",
            "lift": "A group's conversion rate divided by the overall conversion rate of the evaluated leads.",
            "cumulative gain": "Share of all conversions found in deciles 1 to k.",
            "cumulative lift": "Conversion rate of deciles 1 to k divided by the overall rate.",
            "top-decile lift": "Lift of decile 1, the first ⌈n/10⌉ leads (in the bootstrap, of the resampled leads).",
            "capture at k": "Share of all conversions among the \(topK) highest-scored leads: what sales finds if it can call \(topK) leads.",
            "ECE": "Expected calibration error: Σ (bin share) × |observed rate − mean predicted| over 10 bins, equal-width on [0, 1] or equal-count.",
            "Brier": "Mean squared difference between predicted probability and outcome; decomposed over the 10 equal-width bins as reliability − resolution + uncertainty, plus the within-bin residual.",
            "calibration-in-the-large": "Mean observed rate minus mean predicted probability (0 is ideal).",
            "calibration slope": "Slope of logit(p) in a logistic regression of the outcome on it (1 is ideal; below 1, predictions too extreme).",
            "Hosmer–Lemeshow": "Σ over 10 equal-count groups of (observed − expected)² / (expected × (1 − expected/n)), chi-square with 8 degrees of freedom.",
            "rule probabilities": "Rule points are not probabilities: they are mapped to probabilities by an isotonic (monotone) fit of the outcome on the points, on a calibration split set aside from the evaluated leads, clipped to [1/(2m), 1 − 1/(2m)] for m calibration leads.",
            "ties": "Leads with equal scores have no order between them: where a decile, the top k or a point of the gains curve cuts through a group of tied scores, the group's conversions are shared pro rata, so results do not depend on the order of rows in the file (counts may then be fractional and are shown rounded).",
            "intervals": "95%. Differences are b − a with paired-bootstrap percentile intervals: the same resampled leads for both scorers.",
        ]
        if grid {
            terms["grid"] = "Fit letter A–D by engagement digit 1–4, A1 the best: a model's fit_score and engagement_score (0–100: its probability of winning with this fit and average engagement, or this engagement and average fit) or a rules file's fit and engagement points, cut at the scorer's cut-offs (inclusive; a model's default: the quartiles of its training rows). Per cell: leads, conversions, conversion rate with its Wilson 95% interval."
        }
        if segments { terms["segments"] = SegmentBreakdown.definition }
        return terms
    }
}

extension BoundScorer {
    /// The scorer's part of the report: ranking, calibration, deciles,
    /// gains, tiers, capture at k, points bands and score distributions on
    /// the evaluated leads.
    func report(
        labels y: [Double], scores s: [Double], probabilities p: [Double], tiers t: [String], ranked: RankedScores, topK: Int,
        calibrationRows: Int
    ) -> ScorerReport {
        let n = y.count
        let positives = y.reduce(0, +)
        let ranking = ComparisonStatistics.ranking(labels: y, ranked: ranked)
        // Deciles by the raw score, probabilities averaged per decile.
        let deciles = ranked.deciles(probabilities: p)
        var gains: [Double] = []
        for pct in 0...100 { gains.append(ranked.conversionsInTop(Double(pct) * Double(n) / 100) / positives) }
        var tierRows: [ScorerReport.TierRow] = []
        for name in tierOrder {
            let members = t.indices.filter { t[$0] == name }
            let conv = members.reduce(0) { $0 + Int(y[$1]) }
            tierRows.append(
                .init(
                    tier: name, count: members.count, conversions: conv, rate: members.isEmpty ? 0 : Double(conv) / Double(members.count),
                    shareOfConversions: Double(conv) / positives))
        }
        let captured = ranked.conversionsInTop(Double(topK))
        var bands: [ScorerReport.Band]? = nil
        if isRules {
            // Bands 10 points wide, or wider so that there are at most 40.
            let lo0 = s.min()!, hi = s.max()!
            var width = 10.0
            while (hi - lo0) / width > 40 { width *= 2 }
            let lo = (lo0 / width).rounded(.down) * width
            let count = Int(((hi - lo) / width).rounded(.down)) + 1
            var members = [Int](repeating: 0, count: count), won = members
            for i in 0..<n {
                let b = min(count - 1, Int(((s[i] - lo) / width).rounded(.down)))
                members[b] += 1
                won[b] += Int(y[i])
            }
            bands = (0..<count).filter { members[$0] > 0 }.map { b in
                .init(
                    lower: lo + Double(b) * width, upper: lo + Double(b + 1) * width, count: members[b], conversions: won[b],
                    rate: Double(won[b]) / Double(members[b]))
            }
        }
        // Score distributions on 20 shared bins.
        let lo = isRules ? s.min()! : 0, hi = isRules ? max(s.max()!, lo + 1) : 1
        let edges = (0...20).map { lo + (hi - lo) * Double($0) / 20 }
        var won = [Int](repeating: 0, count: 20), lost = won
        for i in 0..<n {
            let b = min(19, max(0, Int((s[i] - lo) / (hi - lo) * 20)))
            if y[i] > 0.5 { won[b] += 1 } else { lost[b] += 1 }
        }
        return ScorerReport(
            name: name, kind: isRules ? .rules : .model, source: (source as NSString).lastPathComponent,
            probabilitySource: isRules
                ? "isotonic fit of the outcome on the rule points, on \(calibrationRows) leads set aside for calibration"
                : "the model's own probabilities",
            ranking: ranking, calibration: ComparisonStatistics.calibration(labels: y, probabilities: p), deciles: deciles,
            gainsCurve: gains, pointsBands: bands, tiers: tierRows,
            topK: .init(k: topK, conversions: Int(captured.rounded()), rate: captured / Double(topK), shareOfConversions: captured / positives),
            distribution: .init(edges: edges, won: won, lost: lost))
    }
}

extension ScorerReport.Grid {
    /// Leads and conversions per cell, from each evaluated lead's cell
    /// index (`GridCell.index`; negative: none) and label.
    init(cuts: GridCuts, measure: String, cells: [Int8], labels y: [Double]) {
        var count = [Int](repeating: 0, count: GridCell.count), won = count
        for (i, c) in cells.enumerated() where c >= 0 {
            count[Int(c)] += 1
            won[Int(c)] += y[i] > 0.5 ? 1 : 0
        }
        let positives = won.reduce(0, +)
        self.init(
            measure: measure, fitCuts: cuts.fit, engagementCuts: cuts.engagement,
            cells: GridCell.all.map { cell in
                let n = count[cell.index], w = won[cell.index]
                let interval = CalibrationSupport.wilson(positives: w, count: n)
                return Cell(
                    cell: cell.label, count: n, conversions: w, rate: n > 0 ? Double(w) / Double(n) : .nan, wilsonLower: interval.lower,
                    wilsonUpper: interval.upper, shareOfConversions: positives > 0 ? Double(w) / Double(positives) : .nan)
            })
    }
}
